package properties_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/gradients"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// kindCase is a check that must fail with a given Kind (and Factor).
type kindCase struct {
	name   string
	check  func() error
	kind   properties.Kind
	factor float64 // checked when not 0, to 1e-6 relative
	msg    string  // a substring the message must contain
}

func kindCases() []kindCase {
	relu := func(x []float64) float64 { return math.Max(x[0], 0) + x[1]*x[1] }
	reluGrad := func(g, x []float64) {
		g[0] = 0
		if x[0] > 0 {
			g[0] = 1
		}
		g[1] = 2 * x[1]
	}
	abs := func(x []float64) float64 { return math.Abs(x[0]) + math.Exp(x[1]) }
	absGrad := func(g, x []float64) { g[0], g[1] = 0, math.Exp(x[1]) } // a subgradient at 0
	// The gradient of f(x) = x₀²x₁ with an extra term in ∂/∂x₀ only.
	notField := func(g, x []float64) { rosenGrad(g, x); g[0] += 0.5 * x[3] }
	lf, lj := linear(A35)
	sf, sj := linear(A33)
	wrongMap := func(dst, x []float64) { lf(dst, x); dst[1] += math.Sin(x[2]) }
	shortMap := func(dst, x []float64) { tmp := make([]float64, 3); lf(tmp, x); copy(dst[:2], tmp) }
	x3 := []float64{0.3, -1.2, 0.7}
	return []kindCase{
		{"gradient 2×", func() error { return properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 2), x5, nil) }, properties.ConstantFactor, 2, "2×"},
		{"gradient 0.5×", func() error { return properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, 0.5), x5, nil) }, properties.ConstantFactor, 0.5, "the 2 of a square dropped?"},
		{"gradient missing 1/n", func() error {
			return properties.CheckGradient(meanSquares, gradtest.ScaledVec(meanSquaresGrad, 5), x5, nil)
		}, properties.ConstantFactor, 5, "1/n"},
		{"gradient extra 1/n", func() error {
			return properties.CheckGradient(meanSquares, gradtest.ScaledVec(meanSquaresGrad, 0.2), x5, nil)
		}, properties.ConstantFactor, 0.2, "(1/5)"},
		{"gradient sign", func() error { return properties.CheckGradient(rosen, gradtest.ScaledVec(rosenGrad, -1), x5, nil) }, properties.Sign, -1, "sign error"},
		{"gradient swap", func() error { return properties.CheckGradient(rosen, gradtest.SwappedVec(rosenGrad, 1, 3), x5, nil) }, properties.Permutation, 0, "[1] and [3] are swapped"},
		{"gradient one entry 1e-4", func() error {
			return properties.CheckGradient(rosen, gradtest.PerturbedVec(rosenGrad, 2, 1e-4), x5, nil)
		}, properties.Partial, 0, "worst entry [2]"},
		{"gradient of another function", func() error { return properties.CheckGradient(rosen, meanSquaresGrad, x5, nil) }, properties.Mismatch, 0, "every one of the 5 entries"},
		{"gradient zero", func() error { return properties.CheckGradient(rosen, func(g, x []float64) { clear(g) }, x5, nil) }, properties.Mismatch, 0, "is 0 where the numerical one is not"},
		{"grad NaN", func() error {
			return properties.CheckGradient(rosen, gradtest.NaNVec(rosenGrad, 1, gradtest.Everywhere), x5, nil)
		}, properties.NotFinite, 0, "grad(x)[1] = NaN"},
		{"f NaN", func() error {
			return properties.CheckGradient(gradtest.NaNFunc(rosen, gradtest.Everywhere), rosenGrad, x5, nil)
		}, properties.NotFinite, 0, "f(x) = NaN"},
		// x on an edge of f's domain (NaN, or a panic, beyond it): the
		// derivative from the side that is finite decides, and a 1% bug
		// in that entry is seen (edge_test.go: a correct one passes).
		{"f NaN beyond a wall at x, 1% bug", func() error {
			f := func(x []float64) float64 {
				if x[2] > 0.7 {
					return math.NaN()
				}
				return rosen(x)
			}
			return properties.CheckGradient(f, gradtest.PerturbedVec(rosenGrad, 2, 1e-2), x5, nil)
		}, properties.Partial, 0, "worst entry [2]"},
		{"x NaN", func() error { return properties.CheckGradient(rosen, rosenGrad, []float64{1, math.NaN()}, nil) }, properties.NotFinite, 0, "x[1] = NaN"},
		{"grad unwritten", func() error { return properties.CheckGradient(rosen, gradtest.UnwrittenVec(rosenGrad, 4), x5, nil) }, properties.Shape, 0, "left 1 of 5 entries of dst unwritten"},
		{"f panics", func() error {
			return properties.CheckGradient(gradtest.PanickingFunc(rosen, gradtest.Everywhere, "boom in f"), rosenGrad, x5, nil)
		}, properties.Panic, 0, "f panicked at x: boom in f"},
		{"f panics off x, 1% bug", func() error {
			return properties.CheckGradient(gradtest.PanickingFunc(rosen, gradtest.Above(3, 2.1), "wall"), gradtest.PerturbedVec(rosenGrad, 3, 1e-2), x5, nil)
		}, properties.Partial, 0, "worst entry [3]"},
		{"grad panics out of range", func() error {
			return properties.CheckGradient(rosen, func(g, x []float64) { g[len(x)] = 1 }, x5, nil)
		}, properties.Panic, 0, "a shape bug?"},
		{"f mutates", func() error { return properties.CheckGradient(gradtest.MutatingFunc(rosen), rosenGrad, x5, nil) }, properties.InputMutated, 0, "f wrote to its input"},
		{"grad mutates", func() error { return properties.CheckGradient(rosen, gradtest.MutatingVec(rosenGrad), x5, nil) }, properties.InputMutated, 0, "grad wrote to its input"},
		// (Ulp-level differences, a sum in varying order, are noise:
		// reproduce_test.go.)
		{"f nondeterministic", func() error {
			return properties.CheckGradient(gradtest.NondeterministicFunc(rosen, 1e-9, 1), rosenGrad, x5, nil)
		}, properties.Nondeterministic, 0, "f(x) returned"},
		{"grad nondeterministic", func() error {
			return properties.CheckGradient(rosen, gradtest.NondeterministicVec(rosenGrad, 1e-12, 1), x5, nil)
		}, properties.Nondeterministic, 0, "grad returned"},
		{"ReLU at 0", func() error { return properties.CheckGradient(relu, reluGrad, []float64{0, 0.7}, nil) }, properties.Nondifferentiable, 0, "kink at x along [0]"},
		{"|x| at 0 with a subgradient", func() error { return properties.CheckGradient(abs, absGrad, []float64{0, -0.3}, nil) }, properties.Nondifferentiable, 0, "(right) and -1 (left)"},
		{"ReLU at 0, random directions", func() error {
			return properties.CheckGradient(relu, reluGrad, []float64{0, 0.7}, &properties.Settings{Directions: 4})
		}, properties.Nondifferentiable, 0, "kink at x along direction #0"},
		{"ReLU at 0, taylor", func() error { return properties.CheckTaylor(relu, reluGrad, []float64{0, 0.7}, nil) }, properties.Nondifferentiable, 0, "kink at x along u"},
		// A kink 1e-9 from x is not at x: steps below 1e-9 resolve the
		// derivative there, rosen's minus the kink's slope 1, and rosenGrad
		// is off by that 1 in entry [2].
		{"kink 1e-9 away", func() error {
			return properties.CheckGradient(gradtest.Kinked(rosen, 2, 0.7+1e-9, 1), rosenGrad, x5, nil)
		}, properties.Partial, 0, "the worst is [2]"},

		{"hessian 2×", func() error { return properties.CheckHessian(rosenGrad, gradtest.ScaledHess(rosenHess, 2), x5, nil) }, properties.ConstantFactor, 2, "analytic Hessian is 2×"},
		{"hessian one pair", func() error {
			return properties.CheckHessian(rosenGrad, gradtest.PerturbedHess(rosenHess, 1, 2, 1e-4), x5, nil)
		}, properties.Partial, 0, "2 of 25"},
		{"hessian unwritten", func() error {
			return properties.CheckHessian(rosenGrad, func(h *mat.SymDense, x []float64) { h.SetSym(0, 0, 1) }, x5, nil)
		}, properties.Shape, 0, "unwritten"},
		{"hessian panics", func() error {
			return properties.CheckHessian(rosenGrad, func(h *mat.SymDense, x []float64) { h.SetSym(9, 9, 1) }, x5, nil)
		}, properties.Panic, 0, "hess panicked"},
		{"hessian mutates", func() error {
			return properties.CheckHessian(rosenGrad, func(h *mat.SymDense, x []float64) { rosenHess(h, x); x[0] = 7 }, x5, nil)
		}, properties.InputMutated, 0, "hess wrote to its input"},
		{"not a gradient field", func() error { return properties.CheckSymmetric(notField, x5, nil) }, properties.Mismatch, 0, "not symmetric: ∂g[0]/∂x[3] = 0.5"},

		{"jacobian 2×", func() error {
			return properties.CheckJacobian(softmaxApply, gradtest.ScaledJac(softmaxJac, 2), x5, nil)
		}, properties.ConstantFactor, 2, "analytic Jacobian is 2×"},
		{"jacobian transposed", func() error { return properties.CheckJacobian(sf, gradtest.TransposedJac(sj), x3, nil) }, properties.Transpose, 0, "transpose"},
		{"jacobian of the wrong size", func() error { return properties.CheckJacobian(lf, gradtest.TransposedJac(lj), x5, nil) }, properties.Shape, 0, "transposed"},
		{"jacobian wrong size for Outputs", func() error {
			return properties.CheckJacobian(lf, gradtest.TransposedJac(lj), x5, &properties.Settings{Outputs: 3})
		}, properties.Panic, 0, "transposed Jacobian is 5×3"},
		{"jacobian one output wrong", func() error { return properties.CheckJacobian(wrongMap, lj, x5, nil) }, properties.Partial, 0, "worst entry [1,2]"},
		{"map writes too few outputs", func() error { return properties.CheckJacobian(shortMap, lj, x5, nil) }, properties.Shape, 0, "f left 1 of 3 entries of dst unwritten ([2]): does it use the right length or index? (k = 3 outputs, from the rows jac sized its empty dst to)"},
		{"Outputs larger than the map's", func() error {
			threeOutputs := func(dst, x []float64) { copy(dst[:3], x) }
			return properties.CheckJacobian(threeOutputs, lj, x5, &properties.Settings{Outputs: 4})
		}, properties.Shape, 0, "f left 1 of 4 entries of dst unwritten ([3]): does it use the right length or index? (k = 4 outputs, from Settings.Outputs)"},
		{"jacobian cannot size", func() error {
			return properties.CheckJacobian(lf, func(dst *mat.Dense, x []float64) { dst.Copy(A35) }, x5, nil)
		}, properties.Shape, 0, "set Settings.Outputs"},

		{"taylor 2×", func() error { return properties.CheckTaylor(rosen, gradtest.ScaledVec(rosenGrad, 2), x5, nil) }, properties.Mismatch, 0, "falls as h^1.0"},
		{"taylor one entry 1e-4", func() error { return properties.CheckTaylor(rosen, gradtest.PerturbedVec(rosenGrad, 2, 1e-4), x5, nil) }, properties.Mismatch, 0, "want h²"},
		{"grad reads f's stale cache", func() error {
			f, g := gradtest.StaleCache(rosen, rosenGrad)
			return properties.CheckGradient(f, g, x5, nil)
		}, properties.StaleState, 0, "grad(x) depends on the last call of f: after f(y) it returned"},
		{"grad accumulates into dst", func() error { return properties.CheckGradient(rosen, gradtest.AccumulatingVec(rosenGrad), x5, nil) }, properties.AccumulatedDst, 0, "reads dst before writing it"},
		{"f not safe for concurrent use", func() error {
			return properties.CheckGradient(gradtest.SharedBufferFunc(rosen), rosenGrad, x50, &properties.Settings{Workers: 4})
		}, properties.ConcurrencyUnsafe, 0, "not safe for concurrent use"},
		{"evaluation budget", func() error {
			return properties.CheckGradient(rosen, rosenGrad, x5, &properties.Settings{MaxEvals: 10})
		}, properties.Stopped, 0, "MaxEvals = 10"},
		{"a gradient below f's round-off", func() error {
			// f = 30 + 1e-12·x₀ + 2e-12·x₁: no step the check takes moves f
			// by more than an ulp or two of 30.
			f := func(x []float64) float64 { return 30 + 1e-12*x[0] + 2e-12*x[1] }
			g := func(dst, x []float64) { dst[0], dst[1] = 1e-12, 2e-12 }
			return properties.CheckGradient(f, g, []float64{0.5, -0.3}, nil)
		}, properties.Unresolved, 0, "smallest derivative the check resolves there"},
	}
}

// TestKinds asserts the Kind (and Factor) that each kind of bug is
// diagnosed as, through errors.As and errors.Is, and a telling message.
func TestKinds(t *testing.T) {
	for _, tt := range kindCases() {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			if err == nil {
				t.Fatalf("no failure, want %v", tt.kind)
			}
			var f *properties.Failure
			if !errors.As(err, &f) {
				t.Fatalf("errors.As found no *Failure in %v", err)
			}
			if f.Kind != tt.kind {
				t.Fatalf("first failure is %v, want %v:\n%v", f.Kind, tt.kind, err)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false", tt.kind)
			}
			if tt.factor != 0 && math.Abs(f.Factor-tt.factor) > 1e-6*math.Abs(tt.factor) {
				t.Errorf("Factor = %v, want %v", f.Factor, tt.factor)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message does not contain %q:\n%v", tt.msg, err)
			}
			t.Log(err)
		})
	}
}

// TestKindsCovered: every Kind is produced by some case of TestKinds.
func TestKindsCovered(t *testing.T) {
	seen := map[properties.Kind]bool{}
	for _, c := range kindCases() {
		seen[c.kind] = true
	}
	for _, k := range properties.Kinds() {
		if !seen[k] {
			t.Errorf("no case produces %v", k)
		}
	}
}

// TestJoinedErrors: a grad that both mutates its input and is wrong gives
// two failures, joined, the more telling first, and errors.As and errors.Is
// reach both.
func TestJoinedErrors(t *testing.T) {
	grad := gradtest.MutatingVec(gradtest.ScaledVec(rosenGrad, 2))
	err := properties.CheckGradient(rosen, grad, x5, nil)
	if err == nil {
		t.Fatal("no failure")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not a joined error", err)
	}
	errs := joined.Unwrap()
	if len(errs) != 2 {
		t.Fatalf("%d failures, want 2:\n%v", len(errs), err)
	}
	var first *properties.Failure
	if !errors.As(errs[0], &first) || first.Kind != properties.InputMutated {
		t.Errorf("first failure %v, want input-mutated", errs[0])
	}
	if !errors.Is(err, properties.InputMutated) || !errors.Is(err, properties.ConstantFactor) {
		t.Errorf("errors.Is does not reach both kinds in %v", err)
	}
	if errors.Is(err, properties.Sign) {
		t.Error("errors.Is matched a kind that is not there")
	}
}

// TestBugBeforeKink: a ReLU whose gradient forgets the mask, checked at a
// point with one coordinate at the kink, gives a no-verdict there and a bug
// at the negative coordinate; errors.As finds the bug first, so a caller
// that skips kinks on the first failure's Kind does not skip the bug. The
// correct gradient gives the no-verdict alone.
func TestBugBeforeKink(t *testing.T) {
	relu := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += max(0, v)
		}
		return s
	}
	noMask := func(dst, x []float64) {
		for i := range x {
			dst[i] = 1
		}
	}
	masked := func(dst, x []float64) {
		for i, v := range x {
			dst[i] = 0
			if v > 0 {
				dst[i] = 1
			}
		}
	}
	x := []float64{0.5, 0, -0.3}
	err := properties.CheckGradient(relu, noMask, x, nil)
	var first *properties.Failure
	if !errors.As(err, &first) || !errors.Is(first, properties.Bug) || first.Row != 2 {
		t.Errorf("mask forgotten: first failure %v, want a bug at entry [2]; all: %v", first, err)
	}
	if !errors.Is(err, properties.Nondifferentiable) {
		t.Errorf("mask forgotten: %v, want the kink at entry [1] reported too", err)
	}
	err = properties.CheckGradient(relu, masked, x, nil)
	if !errors.Is(err, properties.Nondifferentiable) || errors.Is(err, properties.Bug) {
		t.Errorf("correct gradient at the kink: %v, want nondifferentiable and no bug", err)
	}
}

func TestKindString(t *testing.T) {
	want := []string{"mismatch", "constant-factor", "sign", "permutation", "transpose", "partial",
		"not-finite", "shape", "panic", "input-mutated", "nondeterministic", "nondifferentiable",
		"stale-state", "accumulated-dst", "concurrency-unsafe", "stopped", "unresolved"}
	for i, k := range properties.Kinds() {
		if k.String() != want[i] {
			t.Errorf("Kind(%d).String() = %q, want %q", i, k, want[i])
		}
	}
	if got := properties.Kind(99).String(); got != "Kind(99)" {
		t.Errorf("unknown kind prints %q", got)
	}
}

// TestExactZeroOfF: at a perfect fit (f = 0, residual 0) the gradient is
// exactly 0 and the numeric one carries the round-off of Xw − y, which
// shows in no value of f: the check must pass (the curvature floor of the
// estimate covers it). A forward difference with step 1e-5 passed off as the
// gradient is (1 + h/2)× the true one on eˣ: reported as a mismatch "by a
// relative 5e-6", not as a missing constant factor.
func TestExactZeroOfF(t *testing.T) {
	l := &functions.MSE{X: mat.NewDense(1, 2, []float64{0.5, 1.3}), Y: []float64{-2}}
	if err := properties.CheckGradient(l.Func, l.Grad, []float64{1.2, -2}, nil); err != nil {
		t.Errorf("gradient at an exact zero of f: %v", err)
	}
	f := func(x []float64) float64 { return math.Exp(x[0]) + math.Exp(x[1]) }
	fwd := func(g, x []float64) {
		gradients.Gradient(g, f, x, &gradients.Settings{Method: gradients.Forward, Step: 1e-5})
	}
	err := properties.CheckGradient(f, fwd, []float64{0.3, 0.9}, nil)
	var fl *properties.Failure
	if !errors.As(err, &fl) || fl.Kind != properties.Mismatch || !strings.Contains(err.Error(), "an approximation") {
		t.Errorf("forward difference as the gradient: %v, want a mismatch by a small relative error", err)
	}
}

// TestOneEntryWords: a wrong gradient of one entry is "its only entry",
// not "every one of the 1 entries".
func TestOneEntryWords(t *testing.T) {
	f := func(x []float64) float64 { return math.Sin(x[0]) }
	g := func(dst, x []float64) { dst[0] = 0 }
	err := properties.CheckGradient(f, g, []float64{0.3}, nil)
	if err == nil || strings.Contains(err.Error(), "the 1 entries") || !strings.Contains(err.Error(), "its only entry") {
		t.Errorf("error %v: want \"its only entry\"", err)
	}
}
