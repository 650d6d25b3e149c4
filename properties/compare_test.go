package properties_test

import (
	"errors"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestHugeValues: tolerances hold near the top of the float64 range. The
// round-off floor 16ε·(|entry| + ‖a‖∞) overflowed to +Inf once the two
// summed past 1.8e308, and an analytic gradient of ±1e308 against a true
// one of order 1 passed, counted as inconclusive. Correct entries of 1e307
// still pass.
func TestHugeValues(t *testing.T) {
	huge := func(g, x []float64) {
		for i := range g {
			g[i] = 1e308
			if i%2 == 1 {
				g[i] = -1e308
			}
		}
	}
	r := properties.GradientReport(rosen, huge, x5, nil)
	var f *properties.Failure
	if !errors.As(r.Err, &f) || f.Bad != len(x5) {
		t.Errorf("gradient of ±1e308 where it is of order 100: %v (inconclusive %d), want every entry reported", r.Err, r.Inconclusive)
	}
	big := func(x []float64) float64 { return 1e307*x[0] - 0.5e307*x[1] + x[2]*x[2] }
	bigGrad := func(g, x []float64) { g[0], g[1], g[2] = 1e307, -0.5e307, 2*x[2] }
	if err := properties.CheckGradient(big, bigGrad, x5[:3], nil); err != nil {
		t.Errorf("correct gradient with entries of 1e307: %v", err)
	}
}
