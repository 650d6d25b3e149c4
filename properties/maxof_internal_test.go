package properties

import (
	"math"
	"testing"
)

// TestMaxOf: maxOf is math.Max to the bit on every pair of special and
// ordinary values, the pairs where the builtin max differs included.
func TestMaxOf(t *testing.T) {
	vals := []float64{math.Inf(1), math.Inf(-1), math.NaN(), 0, math.Copysign(0, -1), 1, -1, 1e-300, math.MaxFloat64}
	for _, a := range vals {
		for _, b := range vals {
			if got, want := maxOf(a, b), math.Max(a, b); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("maxOf(%v, %v) = %v, want %v", a, b, got, want)
			}
		}
	}
}
