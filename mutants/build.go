package mutants

import (
	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
)

// Hand-written pieces the mutants are assembled from, as a learner would
// write them: plain loops and gonum products.

// xw returns X·w.
func xw(X *mat.Dense, w []float64) []float64 {
	n, _ := X.Dims()
	out := make([]float64, n)
	mat.NewVecDense(n, out).MulVec(X, mat.NewVecDense(len(w), w))
	return out
}

// xtr returns Xᵀ·r.
func xtr(X *mat.Dense, r []float64) []float64 {
	_, d := X.Dims()
	out := make([]float64, d)
	mat.NewVecDense(d, out).MulVec(X.T(), mat.NewVecDense(len(r), r))
	return out
}

// addL2 adds λw, the gradient of (λ/2)‖w‖², to g.
func addL2(g []float64, l2 float64, w []float64) {
	for i := range g {
		g[i] += l2 * w[i]
	}
}

// scaleInto writes c·v to dst.
func scaleInto(dst []float64, c float64, v []float64) {
	for i := range dst {
		dst[i] = c * v[i]
	}
}

// withGrad returns the subject's correct problem with Grad replaced.
func withGrad(d subjects.Data, grad func(dst, w []float64)) properties.Problem {
	p := subjects.Correct(d)
	p.Grad = grad
	return p
}

// withHess returns the subject's correct problem with Hess replaced.
func withHess(d subjects.Data, hess func(dst *mat.SymDense, w []float64)) properties.Problem {
	p := subjects.Correct(d)
	p.Hess = hess
	return p
}

// withFunc returns the subject's correct problem with Func replaced.
func withFunc(d subjects.Data, f func(w []float64) float64) properties.Problem {
	p := subjects.Correct(d)
	p.Func = f
	return p
}

// withJacobian returns the map's correct problem with Jacobian replaced.
func withJacobian(d subjects.Data, jac func(dst *mat.Dense, x []float64)) properties.Problem {
	p := subjects.Correct(d)
	p.Jacobian = jac
	return p
}
