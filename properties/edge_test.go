package properties_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// halfLine is x₀⁴ + x₀ + x₁², defined for x₀ ≥ 0 only: it panics below
// 0, as gonum's ChiSquared.CDF does, or returns NaN with nan set.
func halfLine(nan bool) func(x []float64) float64 {
	return func(x []float64) float64 {
		if x[0] < 0 {
			if nan {
				return math.NaN()
			}
			panic("cephes: parameter out of bounds")
		}
		return x[0]*x[0]*x[0]*x[0] + x[0] + x[1]*x[1]
	}
}

func halfLineGrad(dst, x []float64) {
	dst[0] = 4*x[0]*x[0]*x[0] + 1
	dst[1] = 2 * x[1]
}

// TestDomainEdge: a panic (or NaN) of f at a probe point a step away from
// x is an edge of f's domain. The derivative is taken with steps that stay
// inside, from one side where x is on the edge: a correct gradient is never
// a bug, and a 1% bug in the entry along the edge is one, at every distance
// from the edge down to 0. A panic at x itself stays a Panic verdict.
func TestDomainEdge(t *testing.T) {
	for _, nan := range []bool{false, true} {
		f := halfLine(nan)
		for _, x0 := range []float64{1e-3, 1e-7, 1e-9, 1e-12, 0} {
			x := []float64{x0, 0.6}
			if err := properties.CheckGradient(f, halfLineGrad, x, nil); errors.Is(err, properties.Bug) {
				t.Errorf("NaN %v, x = %v: correct gradient: %v", nan, x, err)
			}
			err := properties.CheckGradient(f, gradtest.PerturbedVec(halfLineGrad, 0, 1e-2), x, nil)
			if !errors.Is(err, properties.Bug) || errors.Is(err, properties.Panic) {
				t.Errorf("NaN %v, x = %v: a 1%% bug in entry [0]: %v, want a bug verdict on the values", nan, x, err)
			}
		}
	}
	err := properties.CheckGradient(halfLine(false), halfLineGrad, []float64{-1e-9, 0.6}, nil)
	if !errors.Is(err, properties.Panic) || !strings.Contains(err.Error(), "f panicked at x: cephes") {
		t.Errorf("f panics at x: %v, want a panic verdict", err)
	}
}

// TestDomainEdgeJacobian: the same for a map whose Jacobian is checked
// (a bug of 0.01 in entry [0,0], whose right value is 2x₀ ≈ 0).
func TestDomainEdgeJacobian(t *testing.T) {
	f := func(dst, x []float64) {
		if x[0] < 0 {
			panic("sqrt of a negative number")
		}
		dst[0] = x[0]*x[0] + x[1]
		dst[1] = x[0] * x[1]
	}
	jac := func(bug float64) func(dst *mat.Dense, x []float64) {
		return func(dst *mat.Dense, x []float64) {
			dst.Set(0, 0, 2*x[0]+bug-1)
			dst.Set(0, 1, 1)
			dst.Set(1, 0, x[1]*bug)
			dst.Set(1, 1, x[0])
		}
	}
	two := &properties.Settings{Outputs: 2}
	for _, x0 := range []float64{1e-7, 1e-12} {
		x := []float64{x0, 0.8}
		if err := properties.CheckJacobian(f, jac(1), x, two); errors.Is(err, properties.Bug) {
			t.Errorf("x = %v: correct Jacobian: %v", x, err)
		}
		if err := properties.CheckJacobian(f, jac(1.01), x, two); !errors.Is(err, properties.Bug) || errors.Is(err, properties.Panic) {
			t.Errorf("x = %v: a 1%% bug in column 0: %v, want a bug verdict on the values", x, err)
		}
	}
}

// TestKinkBelowSteps: a kink closer to x than any step the floats of x
// allow a plateau below (7.3e-11 from x = 9, where the smallest step is
// 1e-13) is a no-verdict with its distance, in one entry (d = 1) or among
// others, never a bug; a kink 1e-5 away is resolved, and a 1% bug there is
// a bug.
func TestKinkBelowSteps(t *testing.T) {
	const mu = 9.0
	f := func(x []float64) float64 { return -math.Abs(x[0]-mu)/2.25 + x[1]*x[1] }
	grad := func(dst, x []float64) {
		dst[0] = -math.Copysign(1, x[0]-mu) / 2.25
		dst[1] = 2 * x[1]
	}
	f1 := func(x []float64) float64 { return -math.Abs(x[0]-mu) / 2.25 }
	grad1 := func(dst, x []float64) { dst[0] = -math.Copysign(1, x[0]-mu) / 2.25 }
	for _, off := range []float64{7.3e-11, -7.3e-11} {
		for _, err := range []error{
			properties.CheckGradient(f, grad, []float64{mu + off, 0.3}, nil),
			properties.CheckGradient(f1, grad1, []float64{mu + off}, nil),
			properties.CheckGradient(f1, gradtest.PerturbedVec(grad1, 0, 1e-2), []float64{mu + off}, nil),
		} {
			if !errors.Is(err, properties.NoVerdict) || errors.Is(err, properties.Bug) || !strings.Contains(err.Error(), "within") {
				t.Errorf("kink %g from x: %v, want a no-verdict with the distance", off, err)
			}
		}
	}
	x := []float64{mu + 1e-5, 0.3}
	if err := properties.CheckGradient(f, grad, x, nil); err != nil {
		t.Errorf("kink 1e-5 from x: correct gradient: %v", err)
	}
	if err := properties.CheckGradient(f, gradtest.PerturbedVec(grad, 0, 1e-2), x, nil); !errors.Is(err, properties.Partial) {
		t.Errorf("kink 1e-5 from x: a 1%% bug in entry [0]: %v, want partial", err)
	}
}

// TestOverflowAtX: f(x) = −Inf with an infinite gradient is f's exact
// value beyond float64's range, a no-verdict; f(x) = +Inf with a finite
// gradient (a log(0) where the loss is finite) stays a NotFinite bug.
func TestOverflowAtX(t *testing.T) {
	f := func(x []float64) float64 { return -math.Exp(1000 * x[0]) }
	grad := func(dst, x []float64) { dst[0] = -1000 * math.Exp(1000*x[0]) }
	err := properties.CheckGradient(f, grad, []float64{1}, nil)
	if !errors.Is(err, properties.NoVerdict) || errors.Is(err, properties.Bug) || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("f and grad overflow: %v, want a no-verdict", err)
	}
	g := func(x []float64) float64 { return -math.Log(1 - 1/(1+math.Exp(-x[0]))) }
	gGrad := func(dst, x []float64) { dst[0] = 1 / (1 + math.Exp(-x[0])) }
	if err := properties.CheckGradient(g, gGrad, []float64{40}, nil); !errors.Is(err, properties.NotFinite) {
		t.Errorf("f = +Inf with a finite gradient: %v, want not-finite", err)
	}
}

// TestOneEntryDiagnosis: with one entry no pattern is shown: a wrong value
// is a Mismatch that states the ratio, a sign or a factor of 2 named only
// as a possibility; with two entries the same factor is ConstantFactor.
func TestOneEntryDiagnosis(t *testing.T) {
	sin := func(x []float64) float64 { return math.Sin(x[0]) }
	for _, c := range []struct {
		factor float64
		want   string
	}{{0.97, "0.97× the numerical one; one entry shows no pattern"}, {-1, "a sign error?"}, {2, "an extra 2"}} {
		grad := func(dst, x []float64) { dst[0] = c.factor * math.Cos(x[0]) }
		err := properties.CheckGradient(sin, grad, []float64{0.4}, nil)
		if !errors.Is(err, properties.Mismatch) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("factor %g at d = 1: %v, want a mismatch saying %q", c.factor, err, c.want)
		}
	}
	if err := properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 0.97), x5, nil); !errors.Is(err, properties.ConstantFactor) {
		t.Errorf("factor 0.97 at d = 5: %v, want constant-factor", err)
	}
	if err := properties.CheckGradient(sin, func(dst, x []float64) { dst[0] = math.Cos(x[0]) }, []float64{0.4}, nil); err != nil {
		t.Errorf("correct derivative at d = 1: %v", err)
	}
}

// TestDomainEdgeHessian: the same for a Hessian checked against a gradient
// that panics below x₀ = 0 (a bug of 1% in entry [0,0]).
func TestDomainEdgeHessian(t *testing.T) {
	grad := func(dst, x []float64) {
		if x[0] < 0 {
			panic("log of a negative number")
		}
		dst[0] = 1 + 3*x[0] + x[1]
		dst[1] = x[0] + 2*x[1]
	}
	hess := func(bug float64) func(dst *mat.SymDense, x []float64) {
		return func(dst *mat.SymDense, x []float64) {
			dst.SetSym(0, 0, 3*bug)
			dst.SetSym(0, 1, 1)
			dst.SetSym(1, 1, 2)
		}
	}
	for _, x0 := range []float64{1e-7, 1e-12, 0} {
		x := []float64{x0, 0.8}
		if err := properties.CheckHessian(grad, hess(1), x, nil); errors.Is(err, properties.Bug) {
			t.Errorf("x = %v: correct Hessian: %v", x, err)
		}
		if err := properties.CheckHessian(grad, hess(1.01), x, nil); !errors.Is(err, properties.Bug) || errors.Is(err, properties.Panic) {
			t.Errorf("x = %v: a 1%% bug in entry [0,0]: %v, want a bug verdict on the values", x, err)
		}
	}
}

// TestDomainEdgeSteepPower: x₀¹⁸ (a χ² CDF with 36 degrees of freedom)
// 1.34e-12 above the edge 0 where it panics: the steps that stay inside
// resolve nothing better than the values' spread over 150 orders of
// magnitude, and a value that loose is no evidence: a 1% bug is not
// passed, and neither is the correct derivative called a bug.
func TestDomainEdgeSteepPower(t *testing.T) {
	f := func(x []float64) float64 {
		if x[0] < 0 {
			panic("cephes: parameter out of bounds")
		}
		return math.Pow(x[0], 18)
	}
	grad := func(dst, x []float64) { dst[0] = 18 * math.Pow(x[0], 17) }
	x := []float64{1.3409318923950195e-12}
	if err := properties.CheckGradient(f, grad, x, nil); errors.Is(err, properties.Bug) {
		t.Errorf("correct derivative: %v", err)
	}
	if err := properties.CheckGradient(f, gradtest.PerturbedVec(grad, 0, 1e-2), x, nil); err == nil {
		t.Errorf("a 1%% bug passed")
	} else {
		t.Log(err)
	}
}

// TestInfiniteWithinSteps: f is −Inf beyond x₀ + 1.9·ε^(1/3) (a
// log-density past the end of its support), which the screen's step at
// 2h reaches and its step at h does not. The screen's estimate there is
// not finite; it used to be +Inf, a tolerance that passed any analytic
// value (a 1% bug in entry 0 passed with tol +Inf). Now the entry is
// recomputed: the correct gradient passes and the bug is reported.
func TestInfiniteWithinSteps(t *testing.T) {
	x := []float64{0.3, -0.7, 1.1}
	edge := x[0] + 1.9*math.Cbrt(0x1p-52)
	f := func(v []float64) float64 {
		if v[0] > edge {
			return math.Inf(-1)
		}
		return v[0]*v[0] + v[1]*v[1] + v[2]*v[2]
	}
	g := func(dst, v []float64) {
		for i, e := range v {
			dst[i] = 2 * e
		}
	}
	r := properties.GradientReport(f, g, x, nil)
	if r.Err != nil || !(r.PerEntry[0].Tol < 1e-3) {
		t.Errorf("correct gradient: %v, entry 0 %v; want a pass with a finite tolerance", r.Err, r.PerEntry[0])
	}
	err := properties.CheckGradient(f, gradtest.PerturbedVec(g, 0, 0.01), x, nil)
	var fl *properties.Failure
	if !errors.Is(err, properties.Bug) || !errors.As(err, &fl) || fl.Row != 0 {
		t.Errorf("entry 0 off by 1%%: %v, want a bug at entry 0", err)
	}
}
