package gradients

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestGradientComplex: the complex step subtracts nothing, so on
// complex-step-safe functions it is exact to about one rounding of f′:
// ≤ 1e-15 relative (NUMERICS.md: ≈ 1e-16).
func TestGradientComplex(t *testing.T) {
	f := func(x []complex128) complex128 {
		return cmplx.Exp(x[0])*cmplx.Sin(x[1]) + x[2]*x[2]*x[2] - 2*cmplx.Log(x[3]) + x[0]*x[3]
	}
	exact := func(x []float64) []float64 {
		return []float64{
			math.Exp(x[0])*math.Sin(x[1]) + x[3],
			math.Exp(x[0]) * math.Cos(x[1]),
			3 * x[2] * x[2],
			-2/x[3] + x[0],
		}
	}
	rnd := rand.New(rand.NewPCG(7, 8))
	for range 50 {
		x := []float64{2*rnd.Float64() - 1, 4*rnd.Float64() - 2, 10*rnd.Float64() - 5, 0.1 + 3*rnd.Float64()}
		if e := normRelErr(GradientComplex(nil, f, x, nil), exact(x)); e > 1e-15 {
			t.Errorf("at %v: relative error %.2e, want ≤ 1e-15", x, e)
		}
	}
	d := DerivativeComplex(cmplx.Exp, 0.3, nil)
	if e := math.Abs(d-math.Exp(0.3)) / math.Exp(0.3); e > 1e-15 {
		t.Errorf("DerivativeComplex(exp, 0.3) = %v, relative error %.2e", d, e)
	}
}

// TestDerivative: the 1-D entry point agrees with the exact derivative to the
// accuracy of each method (NUMERICS.md's best errors, with 1000× headroom as
// in TestGradientMethods) and its error estimate bounds the error. Steps are
// relative to max(1, |x|) while sin varies on a scale of 1, so a formula of
// order p loses a factor max(1, |x|)ᵖ; the tolerance includes it.
func TestDerivative(t *testing.T) {
	tol := map[Method]float64{Forward: 1e-5, Backward: 1e-5, Central: 1e-8, FivePoint: 1e-10, Ridders: 1e-12, Default: 1e-12}
	for m, tl := range tol {
		for _, x := range []float64{-1.7, 0.3, 4.2} {
			d, e := DerivativeWithError(math.Sin, x, &Settings{Method: m})
			want := tl
			if m != Ridders && m != Default {
				want *= math.Pow(scale(x), float64(order(m)))
			}
			if err := math.Abs(d - math.Cos(x)); err > want || err > 4*e+4*eps {
				t.Errorf("%v at %g: error %.2e (estimate %.2e), want ≤ %.0e and within 4× the estimate", m, x, err, e, want)
			}
			if got := Derivative(math.Sin, x, &Settings{Method: m}); got != d {
				t.Errorf("%v at %g: Derivative %v differs from DerivativeWithError %v", m, x, got, d)
			}
		}
	}
}

// rosenbrockHess is the exact Hessian of the extended Rosenbrock function
// Σ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)² (gonum's ExtendedRosenbrock).
func rosenbrockHess(x []float64) *mat.SymDense {
	d := len(x)
	h := mat.NewSymDense(d, nil)
	for i := 0; i < d-1; i++ {
		h.SetSym(i, i, h.At(i, i)+1200*x[i]*x[i]-400*x[i+1]+2)
		h.SetSym(i, i+1, -400*x[i])
		h.SetSym(i+1, i+1, h.At(i+1, i+1)+200)
	}
	return h
}

func extendedRosenbrock(x []float64) float64 {
	s := 0.0
	for i := 0; i < len(x)-1; i++ {
		a, b := x[i+1]-x[i]*x[i], 1-x[i]
		s += 100*a*a + b*b
	}
	return s
}

func extendedRosenbrockGrad(g, x []float64) {
	for i := range g {
		g[i] = 0
	}
	for i := 0; i < len(x)-1; i++ {
		a := x[i+1] - x[i]*x[i]
		g[i] += -400*a*x[i] - 2*(1-x[i])
		g[i+1] += 200 * a
	}
}

// maxRelErr returns max|a−b| / max|b| over the entries of two matrices.
func maxRelErr(a, b mat.Matrix) float64 {
	r, c := b.Dims()
	var num, den float64
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			num = math.Max(num, math.Abs(a.At(i, j)-b.At(i, j)))
			den = math.Max(den, math.Abs(b.At(i, j)))
		}
	}
	return num / den
}

// TestHessianAccuracy pins NUMERICS.md's figures: the Hessian from f alone
// ≈ 1e-8 relative (tolerance 1e-7: the entries of Rosenbrock's Hessian
// reach 1e3 while f reaches 1e2, so the round-off term 4ε|f|/h² is up to
// 10× the unit-scale figure); Ridders on the same formulas ≤ 1e-10; the
// Jacobian of the analytic gradient ≈ 1e-11 with Central and ≤ 1e-12 with
// the default Ridders.
func TestHessianAccuracy(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 10))
	for range 10 {
		x := make([]float64, 5)
		for i := range x {
			x[i] = 2*rnd.Float64() - 1
		}
		exact := rosenbrockHess(x)
		if e := maxRelErr(Hessian(nil, extendedRosenbrock, x, nil), exact); e > 1e-7 {
			t.Errorf("Hessian from f at %v: relative error %.2e, want ≤ 1e-7", x, e)
		}
		if e := maxRelErr(Hessian(nil, extendedRosenbrock, x, &Settings{Method: Ridders}), exact); e > 1e-10 {
			t.Errorf("Ridders Hessian from f at %v: relative error %.2e, want ≤ 1e-10", x, e)
		}
		jc := Jacobian(mat.NewDense(5, 5, nil), extendedRosenbrockGrad, x, &Settings{Method: Central})
		if e := maxRelErr(jc, exact); e > 1e-10 {
			t.Errorf("Central Jacobian of the gradient at %v: relative error %.2e, want ≤ 1e-10", x, e)
		}
		jr := Jacobian(mat.NewDense(5, 5, nil), extendedRosenbrockGrad, x, nil)
		if e := maxRelErr(jr, exact); e > 1e-12 {
			t.Errorf("default Jacobian of the gradient at %v: relative error %.2e, want ≤ 1e-12", x, e)
		}
	}
}

// TestJacobianNonSquare: a map ℝ³→ℝ² gives a 2×3 Jacobian with the right
// entries in the right places (an index swap or a transpose would show at
// this asymmetric point), and its error estimates bound the error.
func TestJacobianNonSquare(t *testing.T) {
	f := func(dst, x []float64) {
		dst[0] = x[0]*x[1] + math.Sin(x[2])
		dst[1] = math.Exp(x[0]) - x[2]*x[2]*x[1]
	}
	x := []float64{0.3, -1.2, 2.1}
	exact := mat.NewDense(2, 3, []float64{
		x[1], x[0], math.Cos(x[2]),
		math.Exp(x[0]), -x[2] * x[2], -2 * x[2] * x[1],
	})
	for _, m := range append(Methods(), Default) {
		got, est := JacobianWithError(mat.NewDense(2, 3, nil), nil, f, x, &Settings{Method: m})
		for i := 0; i < 2; i++ {
			for j := 0; j < 3; j++ {
				e := math.Abs(got.At(i, j) - exact.At(i, j))
				if !(e <= 4*est.At(i, j)+4*eps*math.Abs(exact.At(i, j))) || e > 1e-5 {
					t.Errorf("%v: J[%d][%d] = %v, want %v (estimate %.1e)", m, i, j, got.At(i, j), exact.At(i, j), est.At(i, j))
				}
			}
		}
		plain := Jacobian(mat.NewDense(2, 3, nil), f, x, &Settings{Method: m})
		if !mat.Equal(plain, got) {
			t.Errorf("%v: Jacobian and JacobianWithError differ", m)
		}
	}
}

// TestNoise: the measured noise of a value computed to full precision is of
// the order of ε·|f|, and that of a small sum of large terms is of the order
// of ε times the terms (a sum of 4 terms of size 1 cancelling to 1e-4 has
// round-off ≈ ε, 1e4 times ε·|f|); both within a factor 100 (the estimate
// rests on 4 fourth differences, and round-off is not exactly random).
func TestNoise(t *testing.T) {
	x := []float64{0.3, -1.1, 0.8, 0.25}
	exact := func(v []float64) float64 { return math.Exp(v[0]) * 3 }
	if n, want := Noise(exact, x), eps*exact(x); n > 100*want || n < want/100 {
		t.Errorf("noise of exp: %.2e, want ≈ ε·|f| = %.2e", n, want)
	}
	cancel := func(v []float64) float64 {
		return math.Sin(v[0]) + math.Cos(v[1]) - math.Sin(v[2]) - math.Cos(v[3]) + 0.7
	}
	scale := math.Abs(math.Sin(x[0])) + math.Abs(math.Cos(x[1])) + math.Abs(math.Sin(x[2])) + math.Abs(math.Cos(x[3]))
	if n, want := Noise(cancel, x), eps*scale; n > 100*want || n < want/100 {
		t.Errorf("noise of a cancelling sum (|f| = %.2g): %.2e, want ≈ ε·Σ|terms| = %.2e", cancel(x), n, want)
	}
	if n := Noise(func([]float64) float64 { return math.NaN() }, x); n != 0 {
		t.Errorf("noise of NaN: %v, want 0", n)
	}
}

// TestOneSided: on a smooth function right − left ≈ h·f″ (doubling with the
// step) and the mean is the central difference; across a kink the gap stays
// at the jump of the slopes.
func TestOneSided(t *testing.T) {
	x := []float64{0.4, -0.7}
	smooth := func(v []float64) float64 { return math.Exp(v[0]) + v[1]*v[1]*v[1] }
	r1, l1 := OneSided(nil, nil, smooth, x, &Settings{Step: 1e-4})
	r2, l2 := OneSided(nil, nil, smooth, x, &Settings{Step: 2e-4})
	second := []float64{math.Exp(x[0]), 6 * x[1]}
	for i := range x {
		// Gap = h·f″ + O(h³); the tolerance is the O(h³) term plus
		// round-off 2ε|f|/h ≈ 1e-11, measured ≈ 1e-9.
		if gap := r1[i] - l1[i]; math.Abs(gap-1e-4*second[i]) > 1e-8 {
			t.Errorf("smooth [%d]: gap %.6g at h = 1e-4, want h·f″ = %.6g", i, gap, 1e-4*second[i])
		}
		if ratio := (r2[i] - l2[i]) / (r1[i] - l1[i]); math.Abs(ratio-2) > 0.01 {
			t.Errorf("smooth [%d]: gap ratio %.4f between steps 2h and h, want 2", i, ratio)
		}
	}
	kinked := func(v []float64) float64 { return math.Abs(v[0]) + 3*math.Max(v[1], 0) }
	r, l := OneSided(nil, nil, kinked, []float64{0, 0}, nil)
	if r[0] != 1 || l[0] != -1 || r[1] != 3 || l[1] != 0 {
		t.Errorf("kinked: right %v, left %v, want [1 3] and [-1 0]", r, l)
	}
}

// TestOneSidedPanic: a panic of f reaches OneSided's caller with the
// slice f was handed still holding the point where f panicked, and the
// next call, which may reuse the probe, still works.
func TestOneSidedPanic(t *testing.T) {
	x := []float64{0.4, -0.7, 1.5}
	var at []float64
	f := func(v []float64) float64 {
		at = v
		if v[1] > x[1] {
			panic("edge")
		}
		return v[0] + v[1] + v[2]
	}
	func() {
		defer func() {
			if r := recover(); r != "edge" {
				t.Errorf("recovered %v, want edge", r)
			}
		}()
		OneSided(nil, nil, f, x, nil)
		t.Error("OneSided returned, want a panic")
	}()
	if at[0] != x[0] || at[2] != x[2] || !(at[1] > x[1]) {
		t.Errorf("f's slice holds %v after the panic, want x = %v moved up along [1]", at, x)
	}
	r, l := OneSided(nil, nil, func(v []float64) float64 { return v[0] + v[1] + v[2] }, x, nil)
	for i := range x {
		if math.Abs(r[i]-1) > 1e-9 || math.Abs(l[i]-1) > 1e-9 {
			t.Errorf("after the panic: right %v, left %v, want ones", r, l)
			break
		}
	}
}

// TestGradientPanic: a panic of f reaches Gradient's caller with the
// slice f was handed still holding the point where f panicked (the
// forward pass at 2h of the checker's screen relies on it, as on
// OneSided's), and the next call, which may reuse the probe, still works.
func TestGradientPanic(t *testing.T) {
	x := []float64{0.4, -0.7, 1.5}
	var at []float64
	f := func(v []float64) float64 {
		at = v
		if v[1] > x[1] {
			panic("edge")
		}
		return v[0] + v[1] + v[2]
	}
	s := &Settings{Method: Forward, Step: 2e-3}
	func() {
		defer func() {
			if r := recover(); r != "edge" {
				t.Errorf("recovered %v, want edge", r)
			}
		}()
		Gradient(nil, f, x, s)
		t.Error("Gradient returned, want a panic")
	}()
	// The next call of the same shape, which would reuse a probe put
	// back in the pool, at another point.
	y := []float64{3, 4, 5}
	g := Gradient(nil, func(v []float64) float64 { return v[0] + v[1] + v[2] }, y, s)
	if at[0] != x[0] || at[2] != x[2] || !(at[1] > x[1]) {
		t.Errorf("f's slice holds %v after the panic and another call, want x = %v moved up along [1]", at, x)
	}
	for i := range x {
		if math.Abs(g[i]-1) > 1e-9 {
			t.Errorf("after the panic: %v, want ones", g)
			break
		}
	}
}

// TestNoiseTinyValues: the noise of a function whose values are near
// 1e-260 is measured, not lost to underflow when squared.
func TestNoiseTinyValues(t *testing.T) {
	// exp(−z) at z ≈ 600, where z itself carries the round-off of a sum
	// of large terms (≈ 1e-13 absolute), so f's relative noise is ≈ 1e-13.
	f := func(v []float64) float64 { return math.Exp(-(v[0]*1000 - v[1]*400 + 0.25)) }
	x := []float64{0.9876, 0.9}
	n, fx := Noise(f, x), f(x)
	if !(n > 1e-15*fx) || n > 1e-10*fx {
		t.Errorf("noise %.3g of a value %.3g: want ≈ 1e-13 relative", n, fx)
	}
}

// TestHessianEmpty: an empty x has an empty Hessian, which needs no f; a nil
// dst gives gonum's empty matrix (mat.NewSymDense(0, nil) would panic).
func TestHessianEmpty(t *testing.T) {
	f := func(x []float64) float64 { t.Error("f called for an empty x"); return 0 }
	if h := Hessian(nil, f, nil, nil); h == nil || !h.IsEmpty() {
		t.Errorf("Hessian of an empty x = %v, want an empty *mat.SymDense", h)
	}
	dst := &mat.SymDense{}
	if h := Hessian(dst, f, []float64{}, &Settings{Method: Ridders}); h != dst {
		t.Errorf("Hessian of an empty x with an empty dst returned %p, want dst %p", h, dst)
	}
}
