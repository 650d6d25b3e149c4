package properties_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
)

// TestFloat32RandomPoints checks the float32 target of issue 11 over
// random points: f computed in float32 inside (class1Cases: a sum of
// c·x² + sin x at |x| ≤ 1 and at |x| ∈ [2, 5], a 6→8→1 tanh MLP), its
// gradient in float64. A correct gradient never gets a bug verdict, and a
// one-entry error of 1e-3 relative is reported wherever it exceeds 100×
// the error estimate of the best numeric value at that point
// (checkMissExplained); such bugs are missed at no more than 6% of the
// points. 300 seeds (900 points) in the normal run, 3000
// (9000 points) with GRADCHECK_LONG=1.
func TestFloat32RandomPoints(t *testing.T) {
	seeds := uint64(300)
	if testing.Short() {
		seeds = 50
	}
	run := func(t *testing.T, first, last uint64) {
		points, missed := 0, 0
		for seed := first; seed <= last; seed++ {
			for _, cs := range class1Cases(seed) {
				if !strings.HasPrefix(cs.name, "float32") {
					continue
				}
				points++
				if err := properties.CheckGradient(cs.f, cs.grad, cs.x, nil); errors.Is(err, properties.Bug) {
					t.Errorf("%s seed %d: correct gradient flagged: %v", cs.name, seed, err)
				}
				i := int(seed) % len(cs.x)
				bad := func(dst, x []float64) {
					cs.grad(dst, x)
					dst[i] *= 1 + 1e-3
				}
				if err := properties.CheckGradient(cs.f, bad, cs.x, nil); err == nil {
					missed++
					checkMissExplained(t, cs, seed, i, 1e-3)
				}
			}
		}
		t.Logf("%d points (seeds %d…%d): 0.1%% one-entry bug missed at %d", points, first, last, missed)
		// Measured: 3.2% of 900 points, 4.0% of 8100 (entries whose |∂ᵢf|
		// is small against f's float32 round-off over the step).
		if 100*missed > 6*points {
			t.Errorf("0.1%% one-entry bug missed at %d of %d points, want at most 6%%", missed, points)
		}
	}
	run(t, 1, seeds)
	t.Run("long", func(t *testing.T) {
		testenv.Long(t)
		run(t, seeds+1, 3000)
	})
}
