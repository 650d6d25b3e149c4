package gradients

import (
	"math"

	"gonum.org/v1/gonum/optimize/functions"
)

// testFunc is a smooth function with its exact gradient, for accuracy tests.
type testFunc struct {
	name string
	dim  int
	f    func(x []float64) float64
	grad func(dst, x []float64)
	// domain maps a random point of the test's scale into f's domain.
	domain func(x []float64)
}

// classicFuncs are classic optimization test functions with analytic
// gradients (gonum.org/v1/gonum/optimize/functions; Moré, Garbow & Hillstrom
// 1981) and smooth elementary functions with known derivatives.
func classicFuncs() []testFunc {
	return []testFunc{
		{name: "Beale", dim: 2, f: functions.Beale{}.Func, grad: functions.Beale{}.Grad},
		{name: "BiggsEXP6", dim: 6, f: functions.BiggsEXP6{}.Func, grad: functions.BiggsEXP6{}.Grad},
		{name: "Box3D", dim: 3, f: functions.Box3D{}.Func, grad: functions.Box3D{}.Grad},
		{name: "BrownAndDennis", dim: 4, f: functions.BrownAndDennis{}.Func, grad: functions.BrownAndDennis{}.Grad},
		{name: "ExtendedPowellSingular", dim: 8, f: functions.ExtendedPowellSingular{}.Func, grad: functions.ExtendedPowellSingular{}.Grad},
		{name: "ExtendedRosenbrock", dim: 5, f: functions.ExtendedRosenbrock{}.Func, grad: functions.ExtendedRosenbrock{}.Grad},
		{name: "HelicalValley", dim: 3, f: functions.HelicalValley{}.Func, grad: functions.HelicalValley{}.Grad},
		{name: "PenaltyI", dim: 5, f: functions.PenaltyI{}.Func, grad: functions.PenaltyI{}.Grad},
		{name: "Trigonometric", dim: 5, f: functions.Trigonometric{}.Func, grad: functions.Trigonometric{}.Grad},
		{name: "VariablyDimensioned", dim: 5, f: functions.VariablyDimensioned{}.Func, grad: functions.VariablyDimensioned{}.Grad},
		{name: "Wood", dim: 4, f: functions.Wood{}.Func, grad: functions.Wood{}.Grad},
	}
}

// elementaryFuncs are sums of exp, sin, log, atan and a polynomial, with
// coordinate-dependent coefficients so that a swapped index shows.
func elementaryFuncs() []testFunc {
	return []testFunc{
		{name: "exp", dim: 4, f: func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += float64(i+1) * math.Exp(v/float64(i+1))
			}
			return s
		}, grad: func(g, x []float64) {
			for i, v := range x {
				g[i] = math.Exp(v / float64(i+1))
			}
		}},
		{name: "sin", dim: 4, f: func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += math.Sin(v * float64(i+1))
			}
			return s
		}, grad: func(g, x []float64) {
			for i, v := range x {
				g[i] = float64(i+1) * math.Cos(v*float64(i+1))
			}
		}},
		{name: "log", dim: 3, f: func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += math.Log(v) * float64(i+1)
			}
			return s
		}, grad: func(g, x []float64) {
			for i, v := range x {
				g[i] = float64(i+1) / v
			}
		}, domain: func(x []float64) {
			for i := range x {
				x[i] = math.Abs(x[i]) + 0.5
			}
		}},
		{name: "atan", dim: 3, f: func(x []float64) float64 {
			s := 0.0
			for i, v := range x {
				s += math.Atan(v * float64(i+1))
			}
			return s
		}, grad: func(g, x []float64) {
			for i, v := range x {
				a := float64(i+1) * v
				g[i] = float64(i+1) / (1 + a*a)
			}
		}},
		{name: "polynomial", dim: 3, f: func(x []float64) float64 {
			return 3*x[0]*x[0]*x[0]*x[1] - 2*x[1]*x[1]*x[2] + x[2]*x[2]*x[2]*x[2] + 0.5*x[0]
		}, grad: func(g, x []float64) {
			g[0] = 9*x[0]*x[0]*x[1] + 0.5
			g[1] = 3*x[0]*x[0]*x[0] - 4*x[1]*x[2]
			g[2] = -2*x[1]*x[1] + 4*x[2]*x[2]*x[2]
		}},
	}
}

// normRelErr returns ‖got − want‖∞/‖want‖∞.
func normRelErr(got, want []float64) float64 {
	var num, den float64
	for i := range got {
		num = math.Max(num, math.Abs(got[i]-want[i]))
		den = math.Max(den, math.Abs(want[i]))
	}
	return num / den
}

// usable reports whether f and its exact gradient are finite at x and the
// gradient is not zero, so that a relative error means something. Some
// classic functions overflow far from their minimum (Gaussian at |x| ≈ 100).
func usable(tf testFunc, x []float64) bool {
	if !isFinite(tf.f(x)) {
		return false
	}
	g := make([]float64, len(x))
	tf.grad(g, x)
	nonzero := false
	for _, v := range g {
		if !isFinite(v) {
			return false
		}
		nonzero = nonzero || v != 0
	}
	return nonzero
}
