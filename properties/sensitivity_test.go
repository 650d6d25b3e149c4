package properties_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestSensitivity: on well-scaled problems — the classic functions at points
// of scale 1 — a bug that changes one gradient entry by 1e-7·‖∇f‖∞ is
// reported, at every entry of every function, and diagnosed as partial (or,
// in one dimension, as a constant factor). PyTorch gradcheck's default
// rtol of 1e-3 would miss it 10⁴ times over.
func TestSensitivity(t *testing.T) {
	rnd := rand.New(rand.NewPCG(17, 18))
	checked := 0
	for _, cp := range classicProblems() {
		if cp.name == "BrownBadlyScaled" || cp.name == "PowellBadlyScaled" {
			continue // badly scaled by design: covered by TestNoFalseAlarms
		}
		for range 3 {
			x := randomVec(rnd, cp.dim, 1)
			g := make([]float64, cp.dim)
			cp.p.Grad(g, x)
			norm := 0.0
			for _, v := range g {
				norm = math.Max(norm, math.Abs(v))
			}
			for i := range x {
				delta := 1e-7 * norm
				if rnd.IntN(2) == 0 {
					delta = -delta
				}
				err := properties.CheckGradient(cp.p.Func, gradtest.OffsetVec(cp.p.Grad, i, delta), x, nil)
				checked++
				if err == nil {
					t.Errorf("%s at %v: a bug of 1e-7·‖∇f‖ = %.3g in entry %d was not reported", cp.name, x, delta, i)
					continue
				}
				var f *properties.Failure
				if !asFailure(err, &f) || f.Kind != properties.Partial || f.Row != i {
					t.Errorf("%s at %v, bug in entry %d: diagnosed %v", cp.name, x, i, err)
				}
			}
		}
	}
	t.Logf("%d one-entry bugs of 1e-7·‖∇f‖∞, all reported", checked)
}
