package properties_test

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Test problems with exact derivatives, at asymmetric points.

// rosen is the extended Rosenbrock function Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)².
func rosen(x []float64) float64 {
	s := 0.0
	for i := 0; i < len(x)-1; i++ {
		a, b := x[i+1]-x[i]*x[i], 1-x[i]
		s += 100*a*a + b*b
	}
	return s
}

func rosenGrad(g, x []float64) {
	for i := range g {
		g[i] = 0
	}
	for i := 0; i < len(x)-1; i++ {
		a := x[i+1] - x[i]*x[i]
		g[i] += -400*a*x[i] - 2*(1-x[i])
		g[i+1] += 200 * a
	}
}

func rosenHess(h *mat.SymDense, x []float64) {
	d := len(x)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			h.SetSym(i, j, 0)
		}
	}
	for i := 0; i < d-1; i++ {
		h.SetSym(i, i, h.At(i, i)+1200*x[i]*x[i]-400*x[i+1]+2)
		h.SetSym(i, i+1, -400*x[i])
		h.SetSym(i+1, i+1, h.At(i+1, i+1)+200)
	}
}

// x5 is an asymmetric point: a swap of any two coordinates changes f.
var x5 = []float64{0.3, -1.2, 0.7, 2.1, -0.4}

// softmaxApply writes softmax(x), stably.
func softmaxApply(dst, x []float64) {
	m := x[0]
	for _, v := range x {
		m = math.Max(m, v)
	}
	s := 0.0
	for i, v := range x {
		dst[i] = math.Exp(v - m)
		s += dst[i]
	}
	for i := range dst {
		dst[i] /= s
	}
}

// softmaxJac writes diag(s) − ssᵀ, sizing an empty dst.
func softmaxJac(dst *mat.Dense, x []float64) {
	d := len(x)
	if dst.IsEmpty() {
		dst.ReuseAs(d, d)
	}
	s := make([]float64, d)
	softmaxApply(s, x)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			v := -s[i] * s[j]
			if i == j {
				v += s[i]
			}
			dst.Set(i, j, v)
		}
	}
}

// linear returns the map x ↦ Ax and its Jacobian A.
func linear(A *mat.Dense) (func(dst, x []float64), func(dst *mat.Dense, x []float64)) {
	return func(dst, x []float64) {
			mat.NewVecDense(len(dst), dst).MulVec(A, mat.NewVecDense(len(x), x))
		}, func(dst *mat.Dense, x []float64) {
			if dst.IsEmpty() {
				r, c := A.Dims()
				dst.ReuseAs(r, c)
			}
			dst.Copy(A)
		}
}

// A35 is a 3×5 matrix, A33 a square non-symmetric one.
var (
	A35 = mat.NewDense(3, 5, []float64{1, 2, 3, 4, 5, 0.5, -1, 2, 0, 1, 3, 3, -2, 1, 0.25})
	A33 = mat.NewDense(3, 3, []float64{1, 2, 3, -0.5, 4, 1.5, 0.25, -2, 5})
)

// mean is the mean of squares (1/n)Σ xᵢ² with its gradient (2/n)x: the
// lab's "missing 1/n" lives here.
func meanSquares(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s / float64(len(x))
}

func meanSquaresGrad(g, x []float64) {
	for i, v := range x {
		g[i] = 2 * v / float64(len(x))
	}
}

// bealeHess is the Hessian of gonum's Beale function, corrected: gonum
// v0.17.0's Beale.Hess computes fₖ = cₖ − x[1]·tₖ where its Func and Grad
// have cₖ − x[0]·tₖ, which is right only where x[0] = x[1] — at the
// symmetric points its tests use. TestGonumBealeHessBug pins the finding.
func bealeHess(dst *mat.SymDense, x []float64) {
	t1 := 1 - x[1]
	t2 := 1 - x[1]*x[1]
	t3 := 1 - x[1]*x[1]*x[1]
	f1 := 1.5 - x[0]*t1
	f2 := 2.25 - x[0]*t2
	f3 := 2.625 - x[0]*t3
	dst.SetSym(0, 0, 2*(t1*t1+t2*t2+t3*t3))
	dst.SetSym(0, 1, 2*(f1+x[1]*(2*f2+3*x[1]*f3)-x[0]*(t1+x[1]*(2*t2+3*x[1]*t3))))
	dst.SetSym(1, 1, 2*x[0]*(x[0]+2*f2+x[1]*(6*f3+x[0]*x[1]*(4+9*x[1]*x[1]))))
}

func matrix(r, c int, data []float64) *mat.Dense { return mat.NewDense(r, c, data) }
