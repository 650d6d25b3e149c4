package properties_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestGradientCheckCost counts evaluations (not time): a full check of a
// correct gradient costs the screen's 3d, 16 on f's noise, 4 on f(x) and
// the block sums: per block of up to blockSize = 64 coordinates one
// evaluation that picks the start and one Ridders extrapolation from one
// start (at most 10 rows of 2 evaluations, and 15 for the engine's noise
// measurement): at most 36. That is about 2× the 2d evaluations of a plain
// central difference for d ≥ 100 (docs/NUMERICS.md, "Block sums"); the
// analytic gradient is called 9 times.
func TestGradientCheckCost(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	for _, d := range []int{10, 100, 1000} {
		x := randomVec(rnd, d, 1)
		r := properties.GradientReport(rosen, rosenGrad, x, nil)
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		// grad: 2 calls at x, 4 with finite prefills (accumulated-dst), 3
		// for stale state; f: 1 more for stale state.
		blocks := (d + 63) / 64
		if want := 3*d + 21 + 36*blocks; r.Evals > want || r.Calls != 9 {
			t.Errorf("d = %d: %d evaluations of f and %d of grad, want ≤ %d and 9", d, r.Evals, r.Calls, want)
		}
		t.Logf("d = %d: %d evaluations of f (%.2f× the %d of central differences)", d, r.Evals, float64(r.Evals)/float64(2*d), 2*d)
	}
}

// TestWholesaleBugCost: a gradient wrong at every entry (2×) is a wholesale
// failure; its worst entry is confirmed (Ridders, small steps, the kink
// search) and the rest keep their Central verdicts, so the check costs at
// most 8 central differences at d ≤ 100 and its cost beyond 4d stays
// bounded as d grows. Measured: 142, 506 and 4106 evaluations at d = 10,
// 100 and 1000 (7.1×, 2.5×, 2.1× the 2d of central differences), against
// 5 802 and 9 394 at d = 100 and 1000 when the worst 64 entries were each
// confirmed. The general bound allows 200 evaluations per escalated entry
// (≈ 80 for Ridders, ≈ 60 for the small-step confirmation, measured).
func TestWholesaleBugCost(t *testing.T) {
	for _, d := range []int{10, 100, 1000} {
		x := randomVec(rand.New(rand.NewPCG(23, uint64(d))), d, 1)
		r := properties.GradientReport(rosen, gradtest.ScaledVec(rosenGrad, 2), x, nil)
		var f *properties.Failure
		if !errors.As(r.Err, &f) || f.Kind != properties.ConstantFactor {
			t.Fatalf("d = %d: %v, want a constant factor", d, r.Err)
		}
		ratio := float64(r.Evals) / float64(2*d)
		t.Logf("d = %d: %d evaluations, %.1f× the 2d of central differences", d, r.Evals, ratio)
		if d <= 100 && r.Evals > 8*2*d {
			t.Errorf("d = %d: %d evaluations, want ≤ 8·2d = %d", d, r.Evals, 8*2*d)
		}
		if r.Evals > 4*d+64*200 {
			t.Errorf("d = %d: %d evaluations, want ≤ 4d + 64·200 = %d", d, r.Evals, 4*d+64*200)
		}
	}
}
