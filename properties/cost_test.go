package properties_test

import (
	"math/rand/v2"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestGradientCheckCost counts evaluations (not time): a full check of a
// correct gradient costs at most 3× the 2d evaluations of a plain central
// difference — it spends 4d on the two steps of its error estimate, 16 on
// f's noise, 4 on f(x) — once d is large enough that the fixed 20 fade
// (d ≥ 10); the analytic gradient is called twice.
func TestGradientCheckCost(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	for _, d := range []int{10, 100, 1000} {
		x := randomVec(rnd, d, 1)
		r := properties.GradientReport(rosen, rosenGrad, x, nil)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if r.Evals > 3*2*d || r.Calls != 2 {
			t.Errorf("d = %d: %d evaluations of f and %d of grad, want ≤ %d and 2", d, r.Evals, r.Calls, 6*d)
		}
		t.Logf("d = %d: %d evaluations of f (%.2f× the %d of central differences)", d, r.Evals, float64(r.Evals)/float64(2*d), 2*d)
	}
}
