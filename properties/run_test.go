package properties_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// recorder is a TB that records instead of failing.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestRunCorrect(t *testing.T) {
	lf, lj := linear(A35)
	properties.Run(t, properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess, Apply: lf, Jacobian: lj}, x5, nil)
}

func TestProblemProperties(t *testing.T) {
	lf, lj := linear(A35)
	tests := []struct {
		p    properties.Problem
		want []string
	}{
		{properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess}, []string{"gradient", "taylor", "symmetry", "hessian"}},
		{properties.Problem{Grad: rosenGrad}, []string{"symmetry"}},
		{properties.Problem{Apply: lf, Jacobian: lj}, []string{"jacobian"}},
		{properties.Problem{Func: rosen}, nil},
	}
	for _, tt := range tests {
		if got := tt.p.Properties(); !slices.Equal(got, tt.want) {
			t.Errorf("Properties() = %v, want %v", got, tt.want)
		}
	}
}

// TestVerify: Verify reports each failing property through Errorf — the
// route a *rapid.T takes — and returns false; on a correct problem it
// reports nothing.
func TestVerify(t *testing.T) {
	var r recorder
	if !properties.Verify(&r, properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess}, x5, nil) || len(r.errs) != 0 {
		t.Errorf("correct problem: %v", r.errs)
	}
	r = recorder{}
	bad := properties.Problem{Func: rosen, Grad: gradtest.ScaledVec(rosenGrad, 2), Hess: rosenHess}
	if properties.Verify(&r, bad, x5, nil) {
		t.Error("Verify returned true for a wrong gradient")
	}
	// gradient, taylor and hessian fail (the Hessian no longer matches the
	// doubled gradient); symmetry holds: 2∇f is still a gradient field.
	if len(r.errs) != 3 || !strings.HasPrefix(r.errs[0], "gradient: constant-factor") ||
		!strings.HasPrefix(r.errs[1], "taylor: mismatch") || !strings.HasPrefix(r.errs[2], "hessian: constant-factor") {
		t.Errorf("reports %q", r.errs)
	}
	if err := bad.Check(x5, nil); err == nil || !strings.Contains(err.Error(), "hessian") {
		t.Errorf("Problem.Check: %v", err)
	}
}

// TestVerifyUnderRapid runs ExampleVerify's property for real: a *rapid.T
// is a TB, and a correct loss passes every property at every drawn point.
func TestVerifyUnderRapid(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(rt, "n")
		d := rapid.IntRange(1, 4).Draw(rt, "d")
		entries := rapid.SliceOfN(rapid.Float64Range(-3, 3), n*d, n*d).Draw(rt, "X")
		y := rapid.SliceOfN(rapid.Float64Range(-3, 3), n, n).Draw(rt, "y")
		w := rapid.SliceOfN(rapid.Float64Range(-3, 3), d, d).Draw(rt, "w")
		loss := &functions.MSE{X: matrix(n, d, entries), Y: y}
		properties.Verify(rt, properties.Problem{Func: loss.Func, Grad: loss.Grad, Hess: loss.Hess}, w, nil)
	})
}
