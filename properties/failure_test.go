package properties_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestMessagesBounded: a failure's message names the worst entry and counts
// the others; it never prints whole vectors, so its length does not grow
// with d. Failures that used random directions print their seed.
func TestMessagesBounded(t *testing.T) {
	const d = 1000
	x := make([]float64, d)
	for i := range x {
		x[i] = 0.3 + 0.37*math.Sin(float64(i)) // asymmetric, no zeros
	}
	shuffled := func(g, v []float64) {
		rosenGrad(g, v)
		for i := 0; i+1 < len(g); i += 2 {
			g[i], g[i+1] = g[i+1], g[i]
		}
	}
	half := func(g, v []float64) {
		rosenGrad(g, v)
		for i := 0; i < len(g); i += 3 {
			g[i] *= 1.01
		}
	}
	unwritten := func(g, v []float64) {
		tmp := make([]float64, len(g))
		rosenGrad(tmp, v)
		copy(g[:len(g)/2], tmp)
	}
	seeded := &properties.Settings{Directions: 4, Seed: 12345}
	tests := []struct {
		name   string
		err    error
		seeded bool
	}{
		{"constant factor", properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 2), x, nil), false},
		{"permutation", properties.CheckGradient(rosen, shuffled, x, nil), false},
		{"partial", properties.CheckGradient(rosen, half, x, nil), false},
		{"mismatch", properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 0), x, nil), false},
		{"shape", properties.CheckGradient(rosen, unwritten, x, nil), false},
		{"nondeterministic", properties.CheckGradient(rosen, gradtest.NondeterministicVec(rosenGrad, 1e-9, 3), x, nil), false},
		{"mutated and wrong", properties.CheckGradient(gradtest.MutatingFunc(rosen), gradtest.MutatingVec(gradtest.ScaledVec(rosenGrad, 2)), x, nil), false},
		{"directions", properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 2), x, seeded), true},
		{"taylor", properties.CheckTaylor(rosen, gradtest.ScaledVec(rosenGrad, 2), x, &properties.Settings{Seed: 12345}), true},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no failure", tt.name)
			continue
		}
		msg := tt.err.Error()
		if len(msg) > 800 {
			t.Errorf("%s: message of %d bytes at d = %d, want a bounded one:\n%s", tt.name, len(msg), d, msg)
		}
		if tt.seeded && !strings.Contains(msg, fmt.Sprintf("(seed %d)", 12345)) {
			t.Errorf("%s: message does not print the seed:\n%s", tt.name, msg)
		}
		t.Logf("%s (%d bytes): %s", tt.name, len(msg), msg)
	}
}

// TestMessageValuesDiffer: the message prints the worst entry's two values
// with the digits that tell them apart — a one-entry bug of 1e-7 of the
// entry printed both as -7.8 — and with 6 significant digits where
// those already differ.
func TestMessageValuesDiffer(t *testing.T) {
	f := func(x []float64) float64 { return x[0]*x[0] + 3*x[1]*x[1] }
	tests := []struct {
		name  string
		scale float64 // entry [1] of the gradient is multiplied by it
		want  string
	}{
		{"1e-7 of the entry", 1 + 1e-7, "analytic = -7.800001, numeric = -7.8 "},
		{"a dropped 2", 0.5, "analytic = -3.9, numeric = -7.8 "},
	}
	for _, tt := range tests {
		grad := func(g, x []float64) { g[0], g[1] = 2*x[0], 6*x[1]*tt.scale }
		err := properties.CheckGradient(f, grad, []float64{0.7, -1.3}, nil)
		if err == nil {
			t.Errorf("%s: no failure", tt.name)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.want) {
			t.Errorf("%s: the message does not contain %q:\n%s", tt.name, tt.want, msg)
		}
	}
	// The two values of a failure always print differently when they differ.
	for _, v := range [][2]float64{{1.3574116, 1.3574134}, {1, math.Nextafter(1, 2)}, {-2e-300, -2.0000001e-300}} {
		msg := (&properties.Failure{Property: "gradient", Kind: properties.Partial, Row: 0, Analytic: v[0], Numeric: v[1]}).Error()
		i := strings.Index(msg, "analytic = ")
		j := strings.Index(msg, ", numeric = ")
		k := strings.Index(msg, " (|Δ|")
		if i < 0 || j < 0 || k < 0 {
			t.Fatalf("no values in %q", msg)
		}
		if a, n := msg[i+len("analytic = "):j], msg[j+len(", numeric = "):k]; a == n {
			t.Errorf("%v and %v print as the same %q: %s", v[0], v[1], a, msg)
		}
		// A Report entry prints them the same way.
		e := properties.EntryStatus{Entry: "[0]", Verdict: "bug", Analytic: v[0], Numeric: v[1]}.String()
		a, n, _ := strings.Cut(strings.TrimPrefix(e, "[0]: bug (analytic "), ", numeric ")
		if n, _, _ = strings.Cut(n, ","); a == n {
			t.Errorf("%v and %v print as the same %q: %s", v[0], v[1], a, e)
		}
	}
	if e := (properties.EntryStatus{Entry: "[1]", Verdict: "pass", Analytic: 13.8, Numeric: 6.9}).String(); !strings.Contains(e, "analytic 13.8, numeric 6.9,") {
		t.Errorf("values that differ at 6 digits print with them: %s", e)
	}
}
