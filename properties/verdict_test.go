package properties_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// verdictRecorder is a TB that records what Verify reports.
type verdictRecorder struct{ errs, logs []string }

func (r *verdictRecorder) Helper() {}
func (r *verdictRecorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *verdictRecorder) Logf(format string, a ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, a...))
}

// TestThreeOutcomes: a kink at x is a no-verdict (errors.Is NoVerdict, not
// Bug), which Verify logs without failing unless Strict; a wrong gradient
// is a Bug, which fails it; a right one passes.
func TestThreeOutcomes(t *testing.T) {
	relu := func(x []float64) float64 { return math.Max(0, x[0]) + x[1]*x[1] }
	reluGrad := func(g, x []float64) {
		g[0] = 0
		if x[0] > 0 {
			g[0] = 1
		}
		g[1] = 2 * x[1]
	}
	at0 := []float64{0, 0.7}
	err := properties.CheckGradient(relu, reluGrad, at0, nil)
	if !errors.Is(err, properties.NoVerdict) || errors.Is(err, properties.Bug) || !errors.Is(err, properties.Nondifferentiable) {
		t.Fatalf("ReLU at its kink: %v, want a no-verdict (nondifferentiable) and no bug", err)
	}
	p := properties.Problem{Func: relu, Grad: reluGrad}
	var r verdictRecorder
	if !properties.Verify(&r, p, at0, nil) || len(r.errs) != 0 || len(r.logs) == 0 {
		t.Errorf("Verify at a kink: errors %q, logs %q; want it logged, not failed", r.errs, r.logs)
	}
	r = verdictRecorder{}
	if properties.Verify(&r, p, at0, &properties.Settings{Strict: true}) || len(r.errs) == 0 {
		t.Errorf("Verify at a kink with Strict: errors %q, want a failure", r.errs)
	}
	bad := gradtest.ScaledVec(reluGrad, 2)
	err = properties.CheckGradient(relu, bad, []float64{0.4, 0.7}, nil)
	if !errors.Is(err, properties.Bug) || errors.Is(err, properties.NoVerdict) {
		t.Errorf("a 2× gradient: %v, want a bug and no no-verdict", err)
	}
	r = verdictRecorder{}
	if properties.Verify(&r, properties.Problem{Func: relu, Grad: bad}, []float64{0.4, 0.7}, nil) || len(r.errs) == 0 {
		t.Error("Verify passed a 2× gradient")
	}
	if err := properties.CheckGradient(relu, reluGrad, []float64{0.4, 0.7}, nil); err != nil {
		t.Errorf("a correct gradient away from the kink: %v", err)
	}
}
