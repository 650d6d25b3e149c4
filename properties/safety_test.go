package properties_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

func asFailure(err error, f **properties.Failure) bool { return errors.As(err, f) }

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestInputNeverModified: every check, on correct and on misbehaving
// functions (mutating ones included), leaves x bit-identical, negative zero
// included.
func TestInputNeverModified(t *testing.T) {
	x := []float64{0.3, math.Copysign(0, -1), 0.7, 2.1, -0.4}
	orig := slices.Clone(x)
	lf, lj := linear(A35)
	mutJac := func(dst *mat.Dense, v []float64) { lj(dst, v); v[0] = 9 }
	for _, c := range kindCases() {
		c.check() // the cases use x5; run them for their side effects on it
	}
	if !bitsEqual(x5, []float64{0.3, -1.2, 0.7, 2.1, -0.4}) {
		t.Fatalf("x5 changed to %v", x5)
	}
	checks := []func(){
		func() {
			properties.CheckGradient(gradtest.MutatingFunc(rosen), gradtest.MutatingVec(rosenGrad), x, nil)
		},
		func() {
			properties.CheckGradient(gradtest.MutatingFunc(rosen), gradtest.MutatingVec(rosenGrad), x, &properties.Settings{Directions: 3})
		},
		func() { properties.CheckHessian(gradtest.MutatingVec(rosenGrad), rosenHess, x, nil) },
		func() { properties.CheckSymmetric(gradtest.MutatingVec(rosenGrad), x, nil) },
		func() { properties.CheckJacobian(gradtest.MutatingVec(lf), mutJac, x, nil) },
		func() { properties.CheckTaylor(gradtest.MutatingFunc(rosen), gradtest.MutatingVec(rosenGrad), x, nil) },
	}
	for i, check := range checks {
		check()
		if !bitsEqual(x, orig) {
			t.Fatalf("check %d changed x to %v", i, x)
		}
	}
}

// TestNoPanicEscapes: whatever the user's functions do — panic with any
// value, index out of range, write garbage, resize dst — no check panics.
func TestNoPanicEscapes(t *testing.T) {
	// The behaviours run with Workers: 3 too, so they must be safe for
	// concurrent use, as the checks require: the random source is locked.
	var mu sync.Mutex
	rnd := rand.New(rand.NewPCG(19, 20))
	x := []float64{0.3, -1.2, 0.7}
	behaviours := []func(dst, x []float64){
		func(dst, x []float64) { panic(errors.New("an error value")) },
		func(dst, x []float64) { panic(nil) },
		func(dst, x []float64) { dst[len(dst)+1] = 1 },
		func(dst, x []float64) { var m map[string]int; m["a"] = 1 },
		func(dst, x []float64) {
			mu.Lock()
			defer mu.Unlock()
			for i := range dst {
				dst[i] = rnd.NormFloat64() * 1e300
			}
		},
		func(dst, x []float64) {
			for i := range dst {
				dst[i] = math.Inf(1 - 2*(i%2))
			}
		},
		func(dst, x []float64) {
			if x[0] != 0.3 {
				panic("only at x")
			}
			copy(dst, x)
		},
	}
	jacs := []func(dst *mat.Dense, x []float64){
		func(dst *mat.Dense, x []float64) { panic("jac") },
		func(dst *mat.Dense, x []float64) { dst.ReuseAs(1, 1) },
		func(dst *mat.Dense, x []float64) { *dst = *mat.NewDense(7, 2, nil) },
		func(dst *mat.Dense, x []float64) {
			if dst.IsEmpty() {
				dst.ReuseAs(3, 3)
			}
			dst.Set(5, 5, 1)
		},
	}
	hesses := []func(dst *mat.SymDense, x []float64){
		func(dst *mat.SymDense, x []float64) { panic("hess") },
		func(dst *mat.SymDense, x []float64) { *dst = *mat.NewSymDense(1, nil) },
		func(dst *mat.SymDense, x []float64) { dst.SetSym(0, 0, math.NaN()) },
	}
	for bi, b := range behaviours {
		f := func(v []float64) float64 { out := make([]float64, 1); b(out, v); return out[0] }
		for _, s := range []*properties.Settings{nil, {Directions: 2}, {Workers: 3}} {
			mustNotPanic(t, bi, func() { properties.CheckGradient(f, b, x, s) })
			mustNotPanic(t, bi, func() { properties.CheckTaylor(f, b, x, s) })
			mustNotPanic(t, bi, func() { properties.CheckSymmetric(b, x, s) })
			for _, h := range hesses {
				mustNotPanic(t, bi, func() { properties.CheckHessian(b, h, x, s) })
				mustNotPanic(t, bi, func() { properties.CheckHessian(rosenGrad, h, x, s) })
			}
			for _, j := range jacs {
				mustNotPanic(t, bi, func() { properties.CheckJacobian(b, j, x, s) })
				mustNotPanic(t, bi, func() { properties.CheckJacobian(softmaxApply, j, x, s) })
			}
		}
	}
}

func mustNotPanic(t *testing.T, case_ int, check func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("behaviour %d: a check panicked: %v", case_, r)
		}
	}()
	check()
}

// TestMisusePanics: misuse by the caller panics with a "properties: "
// message, before any user code runs.
func TestMisusePanics(t *testing.T) {
	called := false
	f := func(x []float64) float64 { called = true; return 0 }
	g := func(dst, x []float64) { called = true }
	tests := []struct {
		name, want string
		call       func()
	}{
		{"nil f", "CheckGradient: f and grad must not be nil", func() { properties.CheckGradient(nil, g, x5, nil) }},
		{"nil grad", "CheckTaylor: f and grad must not be nil", func() { properties.CheckTaylor(f, nil, x5, nil) }},
		{"nil hess", "CheckHessian: grad and hess must not be nil", func() { properties.CheckHessian(g, nil, x5, nil) }},
		{"nil jac", "CheckJacobian: f and jac must not be nil", func() { properties.CheckJacobian(g, nil, x5, nil) }},
		{"nil symmetric", "CheckSymmetric: grad must not be nil", func() { properties.CheckSymmetric(nil, x5, nil) }},
		{"negative directions", "Directions = -1", func() { properties.CheckGradient(f, g, x5, &properties.Settings{Directions: -1}) }},
		{"NaN margin", "Margin = NaN", func() { properties.CheckGradient(f, g, x5, &properties.Settings{Margin: math.NaN()}) }},
		{"negative outputs", "Outputs = -2", func() { properties.CheckJacobian(g, nil2jac, x5, &properties.Settings{Outputs: -2}) }},
		{"unknown property", "unknown property hessain", func() { properties.Problem{Func: f, Grad: g}.Report("hessain", x5, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called = false
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "properties: ") || !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want a \"properties: \" message containing %q", msg, tt.want)
				}
				if called {
					t.Error("user code ran before the panic")
				}
			}()
			tt.call()
		})
	}
}

func nil2jac(dst *mat.Dense, x []float64) {}

// TestEmptyX: an empty x has nothing to check; every check returns nil
// without calling the user's functions.
func TestEmptyX(t *testing.T) {
	f := func(x []float64) float64 { t.Error("f called"); return 0 }
	g := func(dst, x []float64) { t.Error("a vector function called") }
	h := func(dst *mat.SymDense, x []float64) { t.Error("hess called") }
	j := func(dst *mat.Dense, x []float64) { t.Error("jac called") }
	for _, x := range [][]float64{nil, {}} {
		for name, err := range map[string]error{
			"gradient":  properties.CheckGradient(f, g, x, nil),
			"taylor":    properties.CheckTaylor(f, g, x, nil),
			"symmetry":  properties.CheckSymmetric(g, x, nil),
			"hessian":   properties.CheckHessian(g, h, x, nil),
			"jacobian":  properties.CheckJacobian(g, j, x, nil),
			"direction": properties.CheckGradient(f, g, x, &properties.Settings{Directions: 3}),
		} {
			if err != nil {
				t.Errorf("%s of an empty x: %v", name, err)
			}
		}
	}
}

// TestWorkersSameVerdict: the verdict and its figures do not depend on
// Settings.Workers; a negative Workers means GOMAXPROCS.
func TestWorkersSameVerdict(t *testing.T) {
	lf, lj := linear(A35)
	p := properties.Problem{Func: rosen, Grad: gradtest.PerturbedVec(rosenGrad, 2, 1e-4), Hess: gradtest.ScaledHess(rosenHess, 2), Apply: lf, Jacobian: lj}
	for _, name := range p.Properties() {
		serial := p.Report(name, x5, nil)
		for _, w := range []int{3, -1} {
			r := p.Report(name, x5, &properties.Settings{Workers: w})
			if (r.Err == nil) != (serial.Err == nil) || r.Err != nil && r.Err.Error() != serial.Err.Error() ||
				r.MaxRelErr != serial.MaxRelErr || r.WorstRatio != serial.WorstRatio {
				t.Errorf("%s, Workers = %d: %v (max rel %g), serial %v (max rel %g)", name, w, r.Err, r.MaxRelErr, serial.Err, serial.MaxRelErr)
			}
		}
	}
}
