package properties_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestSymmetryDeterministic: the pairs out of tolerance are recomputed
// column by column in a fixed order, so a grad that panics only at Ridders'
// larger steps is reported at the same point every time (the columns came
// from a map, and the point varied from run to run).
func TestSymmetryDeterministic(t *testing.T) {
	x := []float64{0.3, -1.2, 0.7}
	grad := func(g, v []float64) {
		for i := range v {
			if math.Abs(v[i]-x[i]) > 1e-3 {
				panic("left the trust region")
			}
		}
		// Not a gradient field: ∂g₀/∂x₁ = 2, ∂g₁/∂x₀ = 0 (and likewise
		// for the pair [1,2]).
		g[0], g[1], g[2] = 2*v[1]+v[0], v[1]-v[2], v[2]
	}
	first := ""
	for n := range 20 {
		err := properties.CheckSymmetric(grad, x, nil)
		if err == nil {
			t.Fatal("no failure for a grad that is not a gradient field")
		}
		if n == 0 {
			first = err.Error()
			continue
		}
		if err.Error() != first {
			t.Fatalf("run %d reported\n%v\nrun 0\n%v", n, err, first)
		}
	}
}

// TestSymmetricUnresolved: a pair ∂gᵢ/∂xⱼ, ∂gⱼ/∂xᵢ whose tolerance, after
// Ridders' second opinion, would pass an asymmetry of 50% of the pair
// (grad's round-off hides both: g = 30 + c·Qx with c of 1e-12, whose
// central differences are exactly 0) is a no-verdict of Kind Unresolved,
// symmetric or not, never a pass; a pair the check resolves — the same g
// with c of 1e-10, which Ridders from larger steps resolves, an exact zero
// of a separable g at |g| of 1e6 (hidden at the central differences'
// steps, exactly 0 at Ridders'), a tiny pair beside large ones — is not,
// and an asymmetry the check sees is a bug. An asymmetry that only
// Ridders' larger steps see (c of 1e-10, Q not symmetric) is no verdict.
func TestSymmetricUnresolved(t *testing.T) {
	field := func(c float64, Q []float64) func(dst, x []float64) {
		d := len(dst0(Q))
		return func(dst, x []float64) {
			for r := range d {
				dst[r] = 30
				for j := range d {
					dst[r] += c * Q[r*d+j] * x[j]
				}
			}
		}
	}
	sym := []float64{2, 1, 0, 1, 3, -1, 0, -1, 4}
	asym := []float64{2, 1, 0, -1, 3, -1, 0, 1, 4} // pairs [0,1] and [1,2] sign-flipped
	x := []float64{0.5, -0.3, 1.2}
	separable := func(dst, x []float64) {
		for i, v := range x {
			dst[i] = 1e6 + v*v
		}
	}
	tiny := func(dst, x []float64) { // the Hessian of x₀² + 3x₁² + x₀x₁ + 1e-15·x₁x₂
		dst[0], dst[1], dst[2] = 2*x[0]+x[1], 6*x[1]+x[0]+1e-15*x[2], 1e-15*x[1]
	}
	notField := func(dst, x []float64) { dst[0], dst[1], dst[2] = 2*x[1]+x[0], x[1]-x[2], x[2] }
	for _, tt := range []struct {
		name  string
		grad  func(dst, x []float64)
		x     []float64
		pairs int  // pairs without a verdict
		bug   bool // a bug reported
	}{
		{"flat gradient field", field(1e-12, sym), x, 2, false},
		{"flat field, not a gradient", field(1e-12, asym), x, 2, false},
		// Entries of 1e-13 move grad by 15 times its noise over a unit
		// step, at the level of its round-off (Ridders from 0.1 reads
		// 1e-13 ± 1.3e-13): negligible against grad, a pass.
		{"flat field, entries of 1e-13", field(1e-13, asym), x, 0, false},
		{"flat field Ridders resolves", field(1e-10, sym), x, 0, false},
		// Ridders' values from larger steps refute the symmetry there, but
		// the check's own steps, whose round-off hides the pairs, do not
		// confirm it: no verdict, not a bug.
		{"flat field Ridders resolves, not a gradient", field(1e-10, asym), x, 2, false},
		{"separable at |g| of 1e6", separable, x, 0, false},
		{"tiny pair beside large ones", tiny, x, 0, false},
		{"rosen", rosenGrad, x5, 0, false},
		{"not a gradient field", notField, x, 0, true},
	} {
		r := properties.SymmetryReport(tt.grad, tt.x, nil)
		noVerdict := 0
		for _, e := range r.PerEntry {
			if e.Verdict == "no verdict" {
				noVerdict++
			}
		}
		if noVerdict != 2*tt.pairs || errors.Is(r.Err, properties.Unresolved) != (tt.pairs > 0) || errors.Is(r.Err, properties.Bug) != tt.bug {
			t.Errorf("%s: %v (%d entries without verdict), want %d pairs without verdict, bug %v", tt.name, r.Err, noVerdict, tt.pairs, tt.bug)
			continue
		}
		if tt.pairs == 0 && !tt.bug && r.Err != nil {
			t.Errorf("%s: %v, want a pass", tt.name, r.Err)
		}
		if tt.pairs > 0 {
			msg := r.Err.Error()
			if !strings.Contains(msg, "noise") || !strings.Contains(msg, "scale grad") || !strings.Contains(msg, "[0,1]") {
				t.Errorf("%s: the message does not name the pairs, the noise and what to do: %v", tt.name, r.Err)
			}
			var f *properties.Failure
			if !errors.As(r.Err, &f) || f.Bad != tt.pairs || f.Total != 3 {
				t.Errorf("%s: failure %+v, want Bad = %d of Total = 3 pairs", tt.name, f, tt.pairs)
			}
		}
		t.Logf("%s: %v", tt.name, r.Err)
	}
}

// dst0 returns a slice of the length of the side of the square matrix Q.
func dst0(Q []float64) []float64 {
	d := 0
	for d*d < len(Q) {
		d++
	}
	return make([]float64, d)
}
