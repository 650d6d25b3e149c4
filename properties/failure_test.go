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
