package properties_test

import (
	"fmt"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestVerdictsRepeat: every verdict on the class-1 cases (correct, and with
// a 1% bug in one entry) and near structure is identical, to the message,
// across 20 runs: the ladder of steps has no randomness.
func TestVerdictsRepeat(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		for _, cs := range class1Cases(seed) {
			i := int(seed) % len(cs.x)
			g := cs.grad
			bad := func(dst, x []float64) {
				g(dst, x)
				dst[i] *= 1.01
			}
			for _, gr := range []func(dst, x []float64){cs.grad, bad} {
				first := fmt.Sprint(properties.CheckGradient(cs.f, gr, cs.x, nil))
				for range 19 {
					if got := fmt.Sprint(properties.CheckGradient(cs.f, gr, cs.x, nil)); got != first {
						t.Fatalf("%s seed %d: verdicts differ between runs:\n%s\n%s", cs.name, seed, first, got)
					}
				}
			}
		}
	}
	f, g := absAt(0.3 + 1e-8)
	first := fmt.Sprint(properties.CheckGradient(lgamma, func(dst, x []float64) { dst[0] = digamma(x[0]) }, []float64{1e-8}, nil), properties.CheckGradient(f, g, []float64{0.3, 0.7}, nil))
	for range 19 {
		if got := fmt.Sprint(properties.CheckGradient(lgamma, func(dst, x []float64) { dst[0] = digamma(x[0]) }, []float64{1e-8}, nil), properties.CheckGradient(f, g, []float64{0.3, 0.7}, nil)); got != first {
			t.Fatalf("near structure: verdicts differ between runs:\n%s\n%s", first, got)
		}
	}
}
