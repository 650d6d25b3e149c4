package properties_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestLooseEntryCost measures evaluations and time at d = 10, 100, 1000
// on a correct and a one-entry-wrong Rosenbrock (unchanged by issue 11:
// 60/420/4020 correct; 145/503/4105 with a 1% bug, 147/505/4116 now) and
// on a correct
// quadratic plus 1e4 near its minimum, whose entries are loose (the
// screen's tolerance would pass a 1e-3 error) and get a Ridders value each,
// at most maxEscalate = 64 of them: 396/2532/6106 evaluations, against
// 60/420/4020 before, when a 2% bug there passed. The bound allows 40
// evaluations per loose entry (≈ 33 measured).
func TestLooseEntryCost(t *testing.T) {
	for _, d := range []int{10, 100, 1000} {
		x := randomVec(rand.New(rand.NewPCG(21, uint64(d))), d, 1)
		t0 := time.Now()
		r := properties.GradientReport(rosen, rosenGrad, x, nil)
		tc := time.Since(t0)
		t0 = time.Now()
		rw := properties.GradientReport(rosen, gradtest.PerturbedVec(rosenGrad, d/2, 1e-2), x, nil)
		tw := time.Since(t0)
		// quadratic + 1e4 near its minimum, correct
		m := make([]float64, d)
		xq := make([]float64, d)
		for i := range m {
			m[i] = math.Sin(float64(i))
			xq[i] = m[i] + 1e-3*math.Cos(float64(3*i))
		}
		q := func(v []float64) float64 {
			s := 1e4
			for i, e := range v {
				s += (e - m[i]) * (e - m[i])
			}
			return s
		}
		qg := func(g, v []float64) {
			for i, e := range v {
				g[i] = 2 * (e - m[i])
			}
		}
		rq := properties.GradientReport(q, qg, xq, nil)
		if r.Err != nil || rq.Err != nil || rw.Err == nil {
			t.Errorf("d = %d: correct %v, quadratic %v, wrong %v", d, r.Err, rq.Err, rw.Err)
		}
		if limit := 4*d + 20 + 64*40; rq.Evals > limit {
			t.Errorf("d = %d: %d evaluations on quadratic+1e4, want ≤ %d", d, rq.Evals, limit)
		}
		t.Logf("d=%d rosen correct: %d evals (%.2f× 2d) %v err=%v | rosen 1%% one-entry: %d evals %v caught=%v | quad+1e4 correct: %d evals (%.2f× 2d) err=%v",
			d, r.Evals, float64(r.Evals)/float64(2*d), tc, r.Err != nil, rw.Evals, tw, rw.Err != nil, rq.Evals, float64(rq.Evals)/float64(2*d), rq.Err != nil)
	}
}
