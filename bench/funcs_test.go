package bench

import (
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/gradients"
)

// TestStudyFuncs checks the default functions against the engine: F′ by
// Ridders' method matches Deriv, and FC extends F.
func TestStudyFuncs(t *testing.T) {
	reproduce(t)
	for _, fn := range StudyFuncs(defaultSeed) {
		tol := 1e-10
		if fn.Name == "offset" {
			// Round-off ε·1e6/h on Ridders' steps of ~0.1: the study
			// measured 1.1e-9 at best.
			tol = 1e-8
		}
		for _, x := range []float64{fn.X - sampleSpread, fn.X, fn.X + sampleSpread} {
			exact := fn.Deriv(x)
			if d := gradients.Derivative(fn.F, x, nil); math.Abs(d-exact) > tol*math.Abs(exact) {
				t.Errorf("%s at %g: Ridders gives %g, Deriv %g (want rel. diff ≤ %g)", fn.Name, x, d, exact, tol)
			}
			if fn.FC == nil {
				continue
			}
			if v, vc := fn.F(x), real(fn.FC(complex(x, 0))); math.Abs(v-vc) > 1e-13*math.Abs(v) {
				t.Errorf("%s at %g: F = %g, Re FC = %g (want rel. diff ≤ 1e-13)", fn.Name, x, v, vc)
			}
			if d := gradients.DerivativeComplex(fn.FC, x, nil); math.Abs(d-exact) > 1e-14*math.Abs(exact) {
				t.Errorf("%s at %g: complex step gives %g, Deriv %g (want rel. diff ≤ 1e-14)", fn.Name, x, d, exact)
			}
		}
	}
	a, b := StudyFuncs(1), StudyFuncs(2)
	if a[4].Deriv(0) == b[4].Deriv(0) {
		t.Error("StudyFuncs(1) and StudyFuncs(2) have the same MSE: the seed is not used")
	}
}
