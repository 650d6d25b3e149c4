package properties

import (
	"fmt"
	"math"
)

// The prefills of the accumulation probe: finite, different, and exact in
// binary, so dst[i] += v gives results that differ by the prefills.
const (
	prefillA = 1.0
	prefillB = -3.0
)

// accumulates calls the vector function name at x with dst prefilled with
// prefillA, prefillB, prefillB and prefillA. A deterministic function (the
// same prefill gives the same bits) whose result changes with the prefill
// reads dst before writing it: an AccumulatedDst failure, recorded here,
// and true. Entries that come back as the prefill itself were not written
// at all: left to the Shape check. Cost: four calls.
func (s *session) accumulates(name string, f func(dst, x []float64), n int) bool {
	// In the order A, B, B, A: a function whose result alternates from call
	// to call, or changes every second call, shows it within a pair.
	a, _ := s.vectorAt(name, f, n, prefillA)
	b, _ := s.vectorAt(name, f, n, prefillB)
	b2, _ := s.vectorAt(name, f, n, prefillB)
	a2, _ := s.vectorAt(name, f, n, prefillA)
	var read []int
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(a2[i]) || math.Float64bits(b[i]) != math.Float64bits(b2[i]) {
			return false // nondeterministic: checkVector says so
		}
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(a[i] == prefillA && b[i] == prefillB) {
			read = append(read, i)
		}
	}
	if len(read) == 0 {
		return false
	}
	i := read[0]
	fl := noEntry(AccumulatedDst, fmt.Sprintf("%s reads dst before writing it: with dst prefilled with %g, entry [%d] came back %.6g, with %g it came back %.6g (%d of %d entries depend on the prefill): it adds into dst (dst[i] += …) without zeroing it first — set the entries, or clear(dst) before accumulating",
		name, prefillA, i, a[i], prefillB, b[i], len(read), n))
	fl.Row, fl.Col, fl.Bad, fl.Total = i, 0, len(read), n
	fl.Analytic, fl.Numeric = a[i], b[i]
	s.add(fl)
	return true
}
