package properties_test

import (
	"errors"
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

// TestLargeSumSensitivity: f = Σ cᵢxᵢ² at d = 20 000 carries round-off of
// about 1e-9 over the whole point (a sum of 20 000 terms) but only an ulp of
// its value along one coordinate. A bug of 1e-4 relative in one entry must
// be reported: when the small-step confirmation took the whole point's
// noise for its own (σ = 1.7e-10 measured, σ/crossStep = 1.7e-4, three
// times that above the bug of 2.4e-4) it passed; at d = 100 000 a 1% bug
// did (BenchmarkDirectionsVsFull).
func TestLargeSumSensitivity(t *testing.T) {
	if testing.Short() {
		t.Skip("a full check at d = 20 000 takes seconds")
	}
	const d = 20_000
	x := make([]float64, d)
	for i := range x {
		x[i] = math.Sin(float64(i)*0.7) * 1.5
	}
	f := func(v []float64) float64 {
		s := 0.0
		for i, e := range v {
			s += e * e * float64(1+i%3)
		}
		return s
	}
	grad := func(g, v []float64) {
		for i, e := range v {
			g[i] = 2 * e * float64(1+i%3)
		}
	}
	err := properties.CheckGradient(f, gradtest.PerturbedVec(grad, d/3, 1e-4), x, nil)
	var fl *properties.Failure
	if !errors.As(err, &fl) || fl.Kind != properties.Partial || fl.Row != d/3 {
		t.Errorf("a 1e-4 bug in entry %d at d = %d: got %v, want partial at that entry", d/3, d, err)
	}
}
