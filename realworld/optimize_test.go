package realworld

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/functions"

	"github.com/gradcheck/gradcheck/generators"
	"github.com/gradcheck/gradcheck/gradients"
	"github.com/gradcheck/gradcheck/properties"
)

type optimizeCase struct {
	name string
	dim  int
	f    func(x []float64) float64
	grad func(dst, x []float64)
	hess func(dst *mat.SymDense, x []float64) // nil if the function has none
}

// minimalSurface wraps MinimalSurface, whose Grad also returns its dst.
var minimalSurface = functions.NewMinimalSurface(5, 5)

// optimizeCases lists every function of optimize/functions with a Grad,
// with its Hess where it has one.
var optimizeCases = []optimizeCase{
	{"Beale", 2, functions.Beale{}.Func, functions.Beale{}.Grad, functions.Beale{}.Hess},
	{"BiggsEXP2", 2, functions.BiggsEXP2{}.Func, functions.BiggsEXP2{}.Grad, nil},
	{"BiggsEXP3", 3, functions.BiggsEXP3{}.Func, functions.BiggsEXP3{}.Grad, nil},
	{"BiggsEXP4", 4, functions.BiggsEXP4{}.Func, functions.BiggsEXP4{}.Grad, nil},
	{"BiggsEXP5", 5, functions.BiggsEXP5{}.Func, functions.BiggsEXP5{}.Grad, nil},
	{"BiggsEXP6", 6, functions.BiggsEXP6{}.Func, functions.BiggsEXP6{}.Grad, nil},
	{"Box3D", 3, functions.Box3D{}.Func, functions.Box3D{}.Grad, nil},
	{"BrownBadlyScaled", 2, functions.BrownBadlyScaled{}.Func, functions.BrownBadlyScaled{}.Grad, functions.BrownBadlyScaled{}.Hess},
	{"BrownAndDennis", 4, functions.BrownAndDennis{}.Func, functions.BrownAndDennis{}.Grad, functions.BrownAndDennis{}.Hess},
	{"ExtendedPowellSingular", 8, functions.ExtendedPowellSingular{}.Func, functions.ExtendedPowellSingular{}.Grad, nil},
	{"ExtendedRosenbrock", 5, functions.ExtendedRosenbrock{}.Func, functions.ExtendedRosenbrock{}.Grad, nil},
	{"Gaussian", 3, functions.Gaussian{}.Func, functions.Gaussian{}.Grad, nil},
	{"GulfResearchAndDevelopment", 3, functions.GulfResearchAndDevelopment{}.Func, functions.GulfResearchAndDevelopment{}.Grad, nil},
	{"HelicalValley", 3, functions.HelicalValley{}.Func, functions.HelicalValley{}.Grad, nil},
	{"Linear", 4, functions.Linear{}.Func, func(dst, x []float64) { functions.Linear{}.Grad(dst, x) }, nil},
	{"PenaltyI", 4, functions.PenaltyI{}.Func, functions.PenaltyI{}.Grad, nil},
	{"PenaltyII", 4, functions.PenaltyII{}.Func, functions.PenaltyII{}.Grad, nil},
	{"PowellBadlyScaled", 2, functions.PowellBadlyScaled{}.Func, functions.PowellBadlyScaled{}.Grad, functions.PowellBadlyScaled{}.Hess},
	{"Sphere", 4, functions.Sphere{}.Func, functions.Sphere{}.Grad, nil},
	{"Trigonometric", 4, functions.Trigonometric{}.Func, functions.Trigonometric{}.Grad, nil},
	{"VariablyDimensioned", 4, functions.VariablyDimensioned{}.Func, functions.VariablyDimensioned{}.Grad, nil},
	{"Watson", 4, functions.Watson{}.Func, functions.Watson{}.Grad, functions.Watson{}.Hess},
	{"Wood", 4, functions.Wood{}.Func, functions.Wood{}.Grad, functions.Wood{}.Hess},
	{"ConcaveRight", 1, functions.ConcaveRight{}.Func, functions.ConcaveRight{}.Grad, nil},
	{"ConcaveLeft", 1, functions.ConcaveLeft{}.Func, functions.ConcaveLeft{}.Grad, nil},
	{"Plassmann", 1, functions.Plassmann{L: 39, Beta: 0.01}.Func, functions.Plassmann{L: 39, Beta: 0.01}.Grad, nil},
	{"YanaiOzawaKaneko", 1, functions.YanaiOzawaKaneko{Beta1: 0.001, Beta2: 0.01}.Func, functions.YanaiOzawaKaneko{Beta1: 0.001, Beta2: 0.01}.Grad, nil},
	{"MinimalSurface", 9, minimalSurface.Func, func(dst, x []float64) { minimalSurface.Grad(dst, x) }, nil},
}

// optimizeScales multiply generators.Point's coordinates (magnitudes
// 0.1…10, distinct, signed) to reach small and large points.
var optimizeScales = []struct {
	name   string
	factor float64
}{{"moderate", 1}, {"small", 1e-2}, {"large", 1e2}}

const optimizePoints = 8

// TestOptimizeFunctions checks every Grad against Func and every Hess
// against Grad.
func TestOptimizeFunctions(t *testing.T) {
	for ci, c := range optimizeCases {
		t.Run(c.name, func(t *testing.T) {
			for si, s := range optimizeScales {
				for _, x := range examples(generators.Point(c.dim), 70000+100*ci+10*si, optimizePoints) {
					for i := range x {
						x[i] *= s.factor
					}
					if v := c.f(x); math.IsInf(v, 0) || math.IsNaN(v) {
						// Overflow of exp(·) at large points, or outside
						// the domain: no derivative to check.
						ledger.skip(gonum, "optimize/functions."+c.name)
						continue
					}
					at := fmt.Sprintf("x = %s (%s)", fmtPoint(x), s.name)
					err := properties.CheckGradient(c.f, c.grad, x, nil)
					holds(t, gonum, "optimize/functions."+c.name+".Grad", at, err)
					if c.hess == nil {
						continue
					}
					err = properties.CheckHessian(c.grad, c.hess, x, nil)
					var evidence func() string
					if c.name == "Beale" {
						evidence = func() string { return bealeHessEvidence(x) }
					}
					judge(t, gonum, "optimize/functions."+c.name+".Hess", at, err, evidence, "")
				}
			}
		})
	}
}

// bealeHess is the Hessian of Beale's function f = Σᵢ fᵢ², fᵢ = cᵢ − x₀tᵢ,
// tᵢ = 1 − x₁ⁱ (c = 1.5, 2.25, 2.625), derived by hand: with ∂fᵢ/∂x₀ = −tᵢ
// and ∂fᵢ/∂x₁ = i·x₀·x₁ⁱ⁻¹,
//
//	h₀₀ = 2 Σ tᵢ²
//	h₀₁ = 2 Σ i·x₁ⁱ⁻¹ (fᵢ − x₀tᵢ)
//	h₁₁ = 2 Σ (i·x₀·x₁ⁱ⁻¹)² + 2 Σ fᵢ · i(i−1)·x₀·x₁ⁱ⁻²
func bealeHess(x []float64) (h00, h01, h11 float64) {
	c := [3]float64{1.5, 2.25, 2.625}
	pow := func(v float64, n int) float64 {
		p := 1.0
		for range n {
			p *= v
		}
		return p
	}
	for k := range 3 {
		i := k + 1
		ti := 1 - pow(x[1], i)
		fi := c[k] - x[0]*ti
		di := float64(i) * x[0] * pow(x[1], i-1)
		h00 += 2 * ti * ti
		h01 += 2 * float64(i) * pow(x[1], i-1) * (fi - x[0]*ti)
		h11 += 2 * di * di
		if i >= 2 {
			h11 += 2 * fi * float64(i*(i-1)) * x[0] * pow(x[1], i-2)
		}
	}
	return h00, h01, h11
}

// bealeGradComplex is Beale.Grad's entry i rewritten for complex
// arguments (the same formula as gonum's Grad, which the check finds
// right), so that its complex-step gradient is row i of the Hessian.
func bealeGradComplex(i int) func(x []complex128) complex128 {
	return func(x []complex128) complex128 {
		t1 := 1 - x[1]
		t2 := 1 - x[1]*x[1]
		t3 := 1 - x[1]*x[1]*x[1]
		f1 := 1.5 - x[0]*t1
		f2 := 2.25 - x[0]*t2
		f3 := 2.625 - x[0]*t3
		if i == 0 {
			return -2 * (f1*t1 + f2*t2 + f3*t3)
		}
		return 2 * x[0] * (f1 + 2*f2*x[1] + 3*f3*x[1]*x[1])
	}
}

// bealeHessEvidence compares Beale.Hess with bealeHess, and bealeHess
// with the complex-step Jacobian of bealeGradComplex (exact to rounding:
// no subtraction), so that the reference stands on two derivations.
func bealeHessEvidence(x []float64) string {
	h := mat.NewSymDense(2, nil)
	functions.Beale{}.Hess(h, x)
	h00, h01, h11 := bealeHess(x)
	want := []float64{h00, h01, h11}
	row0 := gradients.GradientComplex(nil, bealeGradComplex(0), x, nil)
	row1 := gradients.GradientComplex(nil, bealeGradComplex(1), x, nil)
	for i, cs := range []float64{row0[0], row0[1], row1[1]} {
		if relDiff(cs, want[i]) > 1e-12 {
			return "" // the hand derivation is in doubt: no evidence
		}
	}
	got := []float64{h.At(0, 0), h.At(0, 1), h.At(1, 1)}
	for i := range got {
		if relDiff(got[i], want[i]) > 1e-12 {
			return fmt.Sprintf("Beale.Hess = %.6g, by hand and by complex step %.6g (entries 00, 01, 11)", got, want)
		}
	}
	return ""
}
