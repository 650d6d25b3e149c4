package gradients

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestKnownNoise: a call given the noise that Noise measures returns the
// results of the call that measures it, bit for bit, for 15 evaluations of
// f fewer (Derivative, Gradient, GradientWithError by Central, Jacobian,
// Ridders Hessian); a larger given noise raises Ridders' error estimate
// (f's round-off is part of it) and not the derivative beyond it; and the
// two-point formulas without estimates, which read no noise, ignore it.
func TestKnownNoise(t *testing.T) {
	// A small sum of large terms: its round-off, about 1e-14 against
	// |f| ≈ 0.3, is far above ε·|f|, so the noise decides the estimates.
	f := func(v []float64) float64 {
		return 1e2*math.Sin(v[0]) - 1e2*math.Sin(v[0]) + math.Exp(v[1])*v[2] + 1e2*math.Cos(v[2]) - 1e2*math.Cos(v[2])
	}
	x := []float64{0.3, -1.2, 0.4}
	evals := 0
	counted := func(v []float64) float64 { evals++; return f(v) }
	sigma := Noise(f, x)
	if !(sigma > 0) {
		t.Fatalf("Noise = %v, want > 0", sigma)
	}
	same := func(name string, measured, given func() []float64) {
		t.Helper()
		evals = 0
		a := measured()
		nm := evals
		evals = 0
		b := given()
		ng := evals
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
				t.Errorf("%s: result %d is %v given the noise, %v measuring it", name, i, b[i], a[i])
			}
		}
		if nm-ng != 15 {
			t.Errorf("%s: %d evaluations measuring the noise, %d given it: want 15 fewer", name, nm, ng)
		}
	}
	known := &Settings{Noise: sigma}
	same("Gradient", func() []float64 { return Gradient(nil, counted, x, nil) }, func() []float64 { return Gradient(nil, counted, x, known) })
	same("GradientWithError Central", func() []float64 {
		g, e := GradientWithError(nil, nil, counted, x, &Settings{Method: Central})
		return append(g, e...)
	}, func() []float64 {
		g, e := GradientWithError(nil, nil, counted, x, &Settings{Method: Central, Noise: sigma})
		return append(g, e...)
	})
	line := func(t float64) float64 { return counted([]float64{x[0], x[1], t}) }
	sigmaLine := Noise(func(v []float64) float64 { return f([]float64{x[0], x[1], v[0]}) }, x[2:])
	same("DerivativeWithError", func() []float64 {
		d, e := DerivativeWithError(line, x[2], nil)
		return []float64{d, e}
	}, func() []float64 {
		d, e := DerivativeWithError(line, x[2], &Settings{Noise: sigmaLine})
		return []float64{d, e}
	})
	vf := func(dst, v []float64) { dst[0] = counted(v) }
	same("JacobianWithError", func() []float64 {
		j, e := JacobianWithError(mat.NewDense(1, 3, nil), nil, vf, x, nil)
		return append(j.RawMatrix().Data, e.RawMatrix().Data...)
	}, func() []float64 {
		j, e := JacobianWithError(mat.NewDense(1, 3, nil), nil, vf, x, known)
		return append(j.RawMatrix().Data, e.RawMatrix().Data...)
	})
	same("Hessian Ridders", func() []float64 {
		return Hessian(nil, counted, x, &Settings{Method: Ridders, Step: 0.01}).RawSymmetric().Data
	}, func() []float64 {
		return Hessian(nil, counted, x, &Settings{Method: Ridders, Step: 0.01, Noise: sigma}).RawSymmetric().Data
	})

	// A thousand times the noise: every estimate grows (the round-off
	// term 2·σ/h of the rows is part of each), and the value stays
	// within its estimate of the exact derivative.
	exact := []float64{0, math.Exp(x[1]) * x[2], math.Exp(x[1])}
	_, e0 := GradientWithError(nil, nil, f, x, nil)
	g1, e1 := GradientWithError(nil, nil, f, x, &Settings{Noise: 1e3 * sigma})
	for i := range x {
		if !(e1[i] > e0[i]) {
			t.Errorf("entry %d: estimate %.3g given 1000σ, %.3g measured: want larger", i, e1[i], e0[i])
		}
		if math.Abs(g1[i]-exact[i]) > e1[i] {
			t.Errorf("entry %d: %v ± %.3g given 1000σ, exact %v", i, g1[i], e1[i], exact[i])
		}
	}

	// Central without estimates reads no noise: the same with any.
	evals = 0
	a := Gradient(nil, counted, x, &Settings{Method: Central})
	b := Gradient(nil, counted, x, &Settings{Method: Central, Noise: 1e3 * sigma})
	if evals != 12 || a[0] != b[0] || a[1] != b[1] || a[2] != b[2] {
		t.Errorf("Central: %v and %v with %d evaluations, want the same values and 2·2d = 12", a, b, evals)
	}
}
