package lab

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// factorWords writes a factor as "0.5×", "3×".
func factorWords(c float64) string { return fmt.Sprintf("%.4g×", c) }

// A factorName is a constant factor with what it suggests.
type factorName struct {
	c     float64
	words string
}

// nameFactor returns what the factor c suggests: the one matching name
// (rankSpecific), or every match joined with "or" when several do, as 2 and
// n when n = 2 (rankPattern), or "" if none does.
func nameFactor(c float64, names []factorName) (string, int) {
	var hits []string
	for _, nm := range names {
		if nm.c != 1 && math.Abs(c-nm.c) <= 1e-5*math.Abs(nm.c) && !slices.Contains(hits, nm.words) {
			hits = append(hits, nm.words)
		}
	}
	switch len(hits) {
	case 0:
		return "", 0
	case 1:
		return hits[0], rankSpecific
	}
	return strings.Join(hits, ", or ") + " (this case cannot tell them apart)", rankPattern
}
