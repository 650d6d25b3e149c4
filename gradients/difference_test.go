package gradients

import (
	"math"
	"testing"
)

// TestDefaultHazards evaluates the default method where a large first step
// leaves f's domain (log, sqrt near 0), crosses a pole (1/x, tan) or a branch
// cut (atan2 across the negative x axis), cases in which a single-start
// Ridders returned errors of order 1 with estimates of 1e-3 (measured while
// tuning riddersStarts). A central difference at its optimal step is the
// baseline: the default must be no worse than it by more than 100× and
// accurate to 1e-11 relative wherever Central manages 1e-4 or better.
func TestDefaultHazards(t *testing.T) {
	atan2 := func(x []float64) float64 { return math.Atan2(x[1], x[0]) }
	dAtan2 := func(x []float64) []float64 {
		r := x[0]*x[0] + x[1]*x[1]
		return []float64{-x[1] / r, x[0] / r}
	}
	one := func(f func(float64) float64) func([]float64) float64 {
		return func(x []float64) float64 { return f(x[0]) }
	}
	tests := []struct {
		name  string
		f     func([]float64) float64
		exact func([]float64) []float64
		x     []float64
	}{
		{"log at 1e-3", one(math.Log), func(x []float64) []float64 { return []float64{1 / x[0]} }, []float64{1e-3}},
		{"log at 0.03", one(math.Log), func(x []float64) []float64 { return []float64{1 / x[0]} }, []float64{0.03}},
		{"log at 1e-6", one(math.Log), func(x []float64) []float64 { return []float64{1 / x[0]} }, []float64{1e-6}},
		{"sqrt at 1e-4", one(math.Sqrt), func(x []float64) []float64 { return []float64{0.5 / math.Sqrt(x[0])} }, []float64{1e-4}},
		{"1/x at 0.05", one(func(v float64) float64 { return 1 / v }), func(x []float64) []float64 { return []float64{-1 / (x[0] * x[0])} }, []float64{0.05}},
		{"1/x at -0.003", one(func(v float64) float64 { return 1 / v }), func(x []float64) []float64 { return []float64{-1 / (x[0] * x[0])} }, []float64{-0.003}},
		{"tan near π/2", one(math.Tan), func(x []float64) []float64 { c := math.Cos(x[0]); return []float64{1 / (c * c)} }, []float64{math.Pi/2 - 0.02}},
		{"atan2 near its branch cut", atan2, dAtan2, []float64{-1, 1e-3}},
		{"atan2 below its branch cut", atan2, dAtan2, []float64{-2.5, -0.04}},
		{"atan2 near the origin", atan2, dAtan2, []float64{-0.01, 0.002}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exact := tt.exact(tt.x)
			got, est := GradientWithError(nil, nil, tt.f, tt.x, nil)
			central := Gradient(nil, tt.f, tt.x, &Settings{Method: Central})
			e, ec := normRelErr(got, exact), normRelErr(central, exact)
			t.Logf("default %.1e (estimate %.1e), central %.1e", e, est[len(est)-1]/math.Abs(exact[len(exact)-1]), ec)
			if !(e <= 1e-11) && !(ec > 1e-4 && e <= 100*ec) {
				t.Errorf("relative error %.2e (central %.2e), want ≤ 1e-11", e, ec)
			}
		})
	}
}

// TestRiddersNaNEverywhere: where f is NaN at every step, the result is NaN
// with an infinite error estimate, not a finite guess.
func TestRiddersNaNEverywhere(t *testing.T) {
	f := func(x []float64) float64 { return math.NaN() }
	got, est := GradientWithError(nil, nil, f, []float64{1, 2}, nil)
	for i := range got {
		if !math.IsNaN(got[i]) || !math.IsInf(est[i], 1) {
			t.Errorf("entry %d: got %v with estimate %v, want NaN with +Inf", i, got[i], est[i])
		}
	}
}

// TestRepresentableSteps: at |x| = 2⁴⁰ a fixed absolute step of 2e-8 would
// vanish (x + h == x, NUMERICS.md); relative steps do not, and the offsets
// actually travelled are exact.
func TestRepresentableSteps(t *testing.T) {
	x := math.Ldexp(1.2345, 40)
	f := func(v float64) float64 { return v * v }
	for _, m := range []Method{Forward, Backward, Central, FivePoint, Ridders} {
		got := Derivative(f, x, &Settings{Method: m})
		if e := math.Abs(got-2*x) / (2 * x); !(e <= 1e-7) {
			t.Errorf("%v: relative error %.2e at x = %g, want ≤ 1e-7 (the forward formula's best)", m, e, x)
		}
	}
	for _, h := range []float64{1e-3, 1e-8, 0.1} {
		for _, v := range []float64{0.1, 1.9999999, x, -x, -0.5, -3e-7} {
			xh, delta := offset(v, h)
			// Exact when |h| ≤ |x| (Sterbenz); otherwise rounded once,
			// which is a relative error of ε/2 in the step, harmless.
			exact := math.Abs(h) <= math.Abs(v)
			if exact && (xh-delta != v || xh-v != delta) {
				t.Errorf("offset(%g, %g) = %g, %g: distance not exact", v, h, xh, delta)
			}
			if !exact && math.Abs((xh-v)-delta) > eps/2*math.Abs(delta) {
				t.Errorf("offset(%g, %g) = %g, %g: distance off by more than ε/2", v, h, xh, delta)
			}
		}
	}
}

// TestDerivativeWeights: the weights of the four-point formula at a uniform
// grid are 1/12h·(1, −8, 8, −1), and any grid's weights differentiate cubics
// exactly.
func TestDerivativeWeights(t *testing.T) {
	h := 0.25
	w := derivativeWeights([4]float64{-2 * h, -h, h, 2 * h})
	want := [4]float64{1 / (12 * h), -8 / (12 * h), 8 / (12 * h), -1 / (12 * h)}
	for n := range w {
		if math.Abs(w[n]-want[n]) > 1e-14 {
			t.Errorf("uniform weights %v, want %v", w, want)
			break
		}
	}
	off := [4]float64{-0.3, -0.1, 0.15, 0.4}
	w = derivativeWeights(off)
	cubic := func(t float64) float64 { return 2 - 3*t + 0.5*t*t + 4*t*t*t } // derivative −3 at 0
	sum := 0.0
	for n := range off {
		sum += w[n] * cubic(off[n])
	}
	if math.Abs(sum+3) > 1e-13 {
		t.Errorf("uneven-grid weights give %v for a cubic whose derivative is −3", sum)
	}
}

// TestExtremeCoordinates: at coordinates near the top of the float64 range
// the methods stay accurate. FivePoint's weights are products of three
// offsets, which overflowed from |x| ≈ 1e105 (NaN); Ridders' first step
// 0.1·|x| leaves the range from |x| ≈ 1.6e308, where x+h = +Inf gave a
// difference over an infinite distance: a derivative of exactly 0 with an
// error estimate of 0.
func TestExtremeCoordinates(t *testing.T) {
	for _, x0 := range []float64{-1e120, 1e200, 1e300, 1.7e308, -1.75e308} {
		c := 1 / math.Abs(x0)
		f := func(x []float64) float64 { return math.Atan(x[0]*c) + math.Sin(x[1]) }
		x := []float64{x0, 0.4}
		want := []float64{c / 2, math.Cos(0.4)} // d/dx atan(cx) = c/(1 + (cx)²), cx = ±1
		for _, m := range []Method{Default, Central, FivePoint} {
			got, errs := GradientWithError(nil, nil, f, x, &Settings{Method: m})
			for i := range got {
				if rel := math.Abs(got[i]-want[i]) / want[i]; !(rel < 1e-9) || !(errs[i] < math.Abs(want[i])) {
					t.Errorf("x = %g, %v: ∂f/∂x[%d] = %g ± %g, want %g (relative error %.1e)", x0, m, i, got[i], errs[i], want[i], rel)
				}
			}
		}
	}
	// Tiny steps underflowed the weights' products to 0 likewise (at x = 0,
	// where a step of 1e-120 is representable).
	if g := Gradient(nil, func(x []float64) float64 { return 3*x[0] + x[0]*x[0] }, []float64{0}, &Settings{Method: FivePoint, Step: 1e-120}); math.Abs(g[0]-3) > 1e-15 {
		t.Errorf("FivePoint at Step 1e-120: %v, want 3", g[0])
	}
}
