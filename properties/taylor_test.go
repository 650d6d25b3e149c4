package properties_test

import (
	"errors"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestTaylorPassIsMarked: a CheckTaylor pass on a wrong gradient is never
// a clean one. On float64 code a dropped 2 is a bug; on float32 code the
// order-1 remainder is confirmed by a directional derivative whose error
// the function's noise makes too wide, and the check may pass, but only
// with Report.Inconclusive = 1 (docs/PLAYBOOK.md, step 2, says to read it).
// A right gradient is no bug in either precision.
func TestTaylorPassIsMarked(t *testing.T) {
	f64 := func(x []float64) float64 { return x[0]*x[0] + 3*x[1]*x[1] }
	f32 := func(x []float64) float64 {
		a, b := float32(x[0]), float32(x[1])
		return float64(a*a + 3*b*b)
	}
	right := func(g, x []float64) { g[0], g[1] = 2*x[0], 6*x[1] }
	wrong := func(g, x []float64) { g[0], g[1] = x[0], 3*x[1] } // the 2 dropped
	x := []float64{0.7, -1.3}
	for _, seed := range []uint64{0, 1, 2, 3} {
		s := &properties.Settings{Seed: seed}
		if r := properties.TaylorReport(f64, wrong, x, s); !errors.Is(r.Err, properties.Bug) {
			t.Errorf("seed %d: float64, the 2 dropped: %v (order %.3g), want a bug", seed, r.Err, r.Order)
		}
		if r := properties.TaylorReport(f32, wrong, x, s); r.Err == nil && r.Inconclusive != 1 {
			t.Errorf("seed %d: float32, the 2 dropped: a pass with Inconclusive = %d (order %.3g), want a failure or Inconclusive = 1", seed, r.Inconclusive, r.Order)
		}
		for name, f := range map[string]func([]float64) float64{"float64": f64, "float32": f32} {
			if err := properties.CheckTaylor(f, right, x, s); errors.Is(err, properties.Bug) {
				t.Errorf("seed %d: %s, right gradient: %v", seed, name, err)
			}
		}
	}
}
