package properties_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
)

// digamma returns ψ(x) for x > 0: the recurrence ψ(x) = ψ(x+1) − 1/x up
// to x ≥ 6, then the asymptotic series, accurate to about 1e-15 relative.
func digamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	return r + math.Log(x) - 0.5/x - f*(1.0/12-f*(1.0/120-f*(1.0/252-f*(1.0/240-f/132))))
}

func lgamma(x []float64) float64 { v, _ := math.Lgamma(x[0]); return v }

// absAt returns |x₀ − k| + x₁² and its gradient: a kink at x₀ = k.
func absAt(k float64) (func([]float64) float64, func(dst, x []float64)) {
	return func(x []float64) float64 { return math.Abs(x[0]-k) + x[1]*x[1] },
		func(dst, x []float64) { dst[0] = math.Copysign(1, x[0]-k); dst[1] = 2 * x[1] }
}

// TestNearStructure: a pole, a kink or an edge closer to x than the steps
// of the numerical derivative is crossed by them; smaller steps, below the
// structure, decide (kink.go's ladder). A correct derivative there must
// never get a Bug verdict, nor "a kink at x" where x is not the kink; a
// wrong one must still be reported.
func TestNearStructure(t *testing.T) {
	digammaGrad := func(c float64) func(dst, x []float64) {
		return func(dst, x []float64) { dst[0] = c * digamma(x[0]) }
	}
	type check struct {
		name string
		f    func([]float64) float64
		g    func(dst, x []float64)
		x    []float64
	}
	var correct, wrong []check
	// lgamma near its pole at 0: the default steps (6e-6 and up) cross it.
	for _, x0 := range []float64{1e-10, 1e-8, 1e-6, 1e-3} {
		correct = append(correct, check{"lgamma′ = digamma", lgamma, digammaGrad(1), []float64{x0}})
	}
	for _, x0 := range []float64{1e-10, 1e-8} {
		wrong = append(wrong, check{"lgamma′ = 1.01·digamma", lgamma, digammaGrad(1.01), []float64{x0}})
	}
	// Kinks 1e-9 … 3e-7 from x = 0.3, on either side.
	for _, dist := range []float64{1e-9, 1e-8, 3e-8, 1e-7, 3e-7, -2e-8} {
		f, g := absAt(0.3 + dist)
		correct = append(correct, check{"|x − k| near k", f, g, []float64{0.3, 0.7}})
		wrong = append(wrong, check{"|x − k| near k, slope of the far side", f, func(dst, x []float64) { g(dst, x); dst[0] = -dst[0] }, []float64{0.3, 0.7}})
	}
	// At |x| = 1e8 steps relative to |x| are ≥ 10; a kink 7 units away
	// is not at x.
	f, g := absAt(1e8 + 7)
	correct = append(correct, check{"|x − k| 7 from x = 1e8", f, g, []float64{1e8, 0.7}})
	wrong = append(wrong, check{"|x − k| 7 from x = 1e8, slope of the far side", f, func(dst, x []float64) { g(dst, x); dst[0] = -dst[0] }, []float64{1e8, 0.7}})

	for _, c := range correct {
		err := properties.CheckGradient(c.f, c.g, c.x, nil)
		if errors.Is(err, properties.Bug) {
			t.Errorf("%s at x = %v: a correct derivative got a bug verdict: %v", c.name, c.x, err)
		}
		var fl *properties.Failure
		if errors.As(err, &fl) && fl.Kind == properties.Nondifferentiable {
			t.Errorf("%s at x = %v: x is not at the structure, yet: %v", c.name, c.x, err)
		}
	}
	for _, c := range wrong {
		if err := properties.CheckGradient(c.f, c.g, c.x, nil); !errors.Is(err, properties.Bug) {
			t.Errorf("%s at x = %v: got %v, want a bug", c.name, c.x, err)
		}
	}
}

// TestJumpBelowResolution: at logits of 7e186 softmax changes within one
// ulp of a logit (1e171), so every step the floats allow crosses the
// change: its correct Jacobian gets no verdict, never a bug. The same
// Jacobian scaled by 2 at ordinary logits is a bug, and at the huge ones
// is no verdict too (no difference quotient is a derivative there).
// FuzzJacobian found the false alarm under libFuzzer.
func TestJumpBelowResolution(t *testing.T) {
	var sm functions.Softmax
	huge := []float64{6.995858036209929e+186, -1.2683645927082934e-30, 6.995858036209929e+186}
	err := properties.CheckJacobian(sm.Apply, sm.Jacobian, huge, nil)
	if err == nil || errors.Is(err, properties.Bug) || !errors.Is(err, properties.NoVerdict) || !strings.Contains(err.Error(), "f jumps at x") {
		t.Errorf("softmax at %v: %v, want no verdict (f jumps at x)", huge, err)
	}
	doubled := func(dst *mat.Dense, x []float64) {
		sm.Jacobian(dst, x)
		dst.Scale(2, dst)
	}
	if err := properties.CheckJacobian(sm.Apply, doubled, []float64{0.3, -1.2, 0.7}, nil); !errors.Is(err, properties.Bug) {
		t.Errorf("softmax Jacobian ×2 at ordinary logits: %v, want a bug", err)
	}
	if err := properties.CheckJacobian(sm.Apply, sm.Jacobian, []float64{0.3, -1.2, 0.7}, nil); err != nil {
		t.Errorf("softmax at ordinary logits: %v, want a pass", err)
	}
	// A smooth gradient of a quadratic with a Hessian off by 2 keeps its
	// bug verdict at |x| = 1e5, where grad's values are large and their
	// changes at the smallest steps sink to rounding.
	grad := func(dst, x []float64) { dst[0], dst[1] = 2*x[0]*x[0]*x[0]+x[1], x[0]+3*x[1] }
	hess := func(dst *mat.SymDense, x []float64) {
		dst.SetSym(0, 0, 12*x[0]*x[0])
		dst.SetSym(0, 1, 1)
		dst.SetSym(1, 1, 3)
	}
	if err := properties.CheckHessian(grad, hess, []float64{1e5, 3}, nil); !errors.Is(err, properties.Bug) || errors.Is(err, properties.NoVerdict) {
		t.Errorf("Hessian with [0,0] off by 2 at x = [1e5 3]: %v, want a bug and no no-verdict", err)
	}
}

// TestAbsorbed: f = x₀ + x₁ at x = [1e20, 1]: a step of x₁ up to 1e-3
// changes f by less than one ulp of 1e20, so f as computed does not move
// along x₁ at any step of its own scale, although its derivative is 1.
// That is never a bug (the effect is absorbed: it shows at steps of 1e-3
// of 1e20); where it puts an entry out of tolerance it is no verdict
// (softmax cross-entropy's Hessian at weights of 1e141 beside one of 1e61:
// suites/testdata/fuzz/FuzzHessian/79667dd667f89a89). A gradient that claims 1 for a coordinate f ignores
// (f = x₀) is a bug: f does not move along it at any scale. FuzzHessian
// found the false alarm under libFuzzer, at softmax weights of 1e141
// beside one of 1e61.
func TestAbsorbed(t *testing.T) {
	x := []float64{1e20, 1}
	sum := func(x []float64) float64 { return x[0] + x[1] }
	ones := func(dst, x []float64) { dst[0], dst[1] = 1, 1 }
	if err := properties.CheckGradient(sum, ones, x, nil); errors.Is(err, properties.Bug) {
		t.Errorf("x₀ + x₁ at %v: %v, want a pass or no verdict", x, err)
	}
	first := func(x []float64) float64 { return x[0] }
	if err := properties.CheckGradient(first, ones, []float64{1e20, 1e20}, nil); !errors.Is(err, properties.Bug) {
		t.Errorf("f = x₀ with grad [1 1] at [1e20 1e20]: %v, want a bug", err)
	}
	if err := properties.CheckGradient(sum, ones, []float64{3, 1}, nil); err != nil {
		t.Errorf("x₀ + x₁ at [3 1]: %v, want a pass", err)
	}
}

// TestRiddersAcrossStructure: a softmax cross-entropy at weights of −8e4
// (found by FuzzGradient), whose logits move by 1e4 over Ridders' first
// step along a weight: Ridders gives −0.678 ± 0.006 for ∂f/∂w₆ = −0.634,
// its margin's tolerance clears the analytic value, and once the ladder
// has read the entry and resolved no plateau that value, held to
// agreeFactor estimates, refuted it without the confirmation at small
// steps (a false "partial"). The failure must be backed by the small
// steps: the correct gradient passes, and a 1% error in that entry, which
// the small steps resolve to about 1e-4, is a bug.
func TestRiddersAcrossStructure(t *testing.T) {
	X := mat.NewDense(3, 4, []float64{0.09752845655280118, -1.8064844105763658, 0.3375604770179752, -2.202873317565259, 0.1636718923081465, 0.05465864734877263, 0.7023217979609507, 1.901914601066872, -0.10493318156993181, 1.816423043473306, -1.9203067930991775, 2.022953379352726})
	T := mat.NewDense(3, 2, []float64{1, 0, 1, 0, 0, 1})
	l := &functions.SoftmaxCrossEntropy{X: X, Y: T}
	w := []float64{52.251826171874995, -5.908333333333334, -77058, -77023, 52.251826171874995, -5.908333333333334, -77058, -77023}
	if err := properties.CheckGradient(l.Func, l.Grad, w, nil); err != nil {
		t.Errorf("correct gradient: %v", err)
	}
	off := func(dst, x []float64) {
		l.Grad(dst, x)
		dst[6] *= 1.01
	}
	err := properties.CheckGradient(l.Func, off, w, nil)
	var f *properties.Failure
	if !errors.Is(err, properties.Bug) || !errors.As(err, &f) || f.Row != 6 {
		t.Errorf("entry [6] 1%% off: %v, want a bug at [6]", err)
	}
	// At nearby weights the screen's line along w₆ is suspect (a kink
	// within its steps) and its value −0.633966 ± 2e-12 (the truncation
	// left out of a suspect line's estimate) refuted −0.633972 with
	// Ridders' −0.671 ± 0.008 beside it: a suspect line's screen value is
	// no derivative to weigh, and Ridders' is confirmed at small steps.
	w[0], w[1], w[3] = 169.25913085937498, -92.44999999999999, -76929
	w[4], w[5], w[7] = w[0], w[1], w[3]
	if err := properties.CheckGradient(l.Func, l.Grad, w, nil); err != nil {
		t.Errorf("correct gradient at the second point: %v", err)
	}
	err = properties.CheckGradient(l.Func, off, w, nil)
	if !errors.Is(err, properties.Bug) || !errors.As(err, &f) || f.Row != 6 {
		t.Errorf("entry [6] 1%% off at the second point: %v, want a bug at [6]", err)
	}
}

// TestWholesaleRestAfterLadder: a softmax cross-entropy at weights of
// 4e195 (found by FuzzGradient), whose logits change order within the
// screen's step along some weights: the screen put half the entries out,
// a wholesale pattern, whose worst entry Ridders and the small steps
// confirmed and the ladder then cleared. The other entries had rested on
// that confirmation and kept the screen's values: [4] at −0.143 ± 0.008
// for −0.263, a false "partial". Once the confirmed entry is cleared every
// entry still out is examined like any other: the correct gradient
// passes, one entry 1% off and the whole gradient doubled are bugs.
func TestWholesaleRestAfterLadder(t *testing.T) {
	X := mat.NewDense(2, 4, []float64{-0.5709085814698978, -0.9658227659085765, 0.532680580270247, 0.8205943197391652, -2.2124705050417024, 0.05426184361859998, 1.0596185873741493, -0.05330314703160874})
	T := mat.NewDense(2, 2, []float64{0, 1, 1, 0})
	l := &functions.SoftmaxCrossEntropy{X: X, Y: T}
	w := []float64{4.454373396714831e+195, 4.4543733967185163e+195, 6.681560095077775e+193, 2.227186698359258e+194, 4.454373396714831e+195, 4.4543733967185163e+195, 6.681560095077775e+193, 2.227186698359258e+194}
	if err := properties.CheckGradient(l.Func, l.Grad, w, nil); err != nil {
		t.Errorf("correct gradient: %v", err)
	}
	off := func(dst, x []float64) {
		l.Grad(dst, x)
		dst[4] *= 1.01
	}
	err := properties.CheckGradient(l.Func, off, w, nil)
	var f *properties.Failure
	if !errors.Is(err, properties.Bug) || !errors.As(err, &f) || f.Row != 4 {
		t.Errorf("entry [4] 1%% off: %v, want a bug at [4]", err)
	}
	doubled := func(dst, x []float64) {
		l.Grad(dst, x)
		for i := range dst {
			dst[i] *= 2
		}
	}
	if err := properties.CheckGradient(l.Func, doubled, w, nil); !errors.Is(err, properties.ConstantFactor) {
		t.Errorf("gradient doubled: %v, want constant-factor", err)
	}
	// At other weights the ladder finds structure its steps cannot get
	// below on the confirmed entry: no verdict there, and the rest is
	// examined too (entry [0] kept the screen's 0.289 ± 0.008 for 0).
	w2 := slices.Clone(w)
	w2[3], w2[7] = 3.7119778305987636e+193, 3.7119778305987636e+193
	if err := properties.CheckGradient(l.Func, l.Grad, w2, nil); errors.Is(err, properties.Bug) {
		t.Errorf("correct gradient at the second point: %v, want a pass or no verdict", err)
	}
}
