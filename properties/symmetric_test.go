package properties_test

import (
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestSymmetryDeterministic: the pairs out of tolerance are recomputed
// column by column in a fixed order, so a grad that panics only at Ridders'
// larger steps is reported at the same point every time (the columns came
// from a map, and the point varied from run to run).
func TestSymmetryDeterministic(t *testing.T) {
	x := []float64{0.3, -1.2, 0.7}
	grad := func(g, v []float64) {
		for i := range v {
			if math.Abs(v[i]-x[i]) > 1e-3 {
				panic("left the trust region")
			}
		}
		// Not a gradient field: ∂g₀/∂x₁ = 2, ∂g₁/∂x₀ = 0 (and likewise
		// for the pair [1,2]).
		g[0], g[1], g[2] = 2*v[1]+v[0], v[1]-v[2], v[2]
	}
	first := ""
	for n := range 20 {
		err := properties.CheckSymmetric(grad, x, nil)
		if err == nil {
			t.Fatal("no failure for a grad that is not a gradient field")
		}
		if n == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("run %d reported\n%v\nrun 0\n%v", n, err, first)
		}
	}
}
