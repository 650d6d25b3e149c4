package functions

import (
	"errors"
	"strconv"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// MSE is the mean squared error of the linear model ŷ = Xw, the lab's
// Task 2.1, with an optional L2 term:
//
//	f(w)   = (1/n)‖Xw − Y‖² + (λ/2)‖w‖²
//	∇f(w)  = (2/n)Xᵀ(Xw − Y) + λw
//	∇²f(w) = (2/n)XᵀX + λI
//
// X is n×d (one sample per row) and w has length d. Use it through a
// pointer: l := &MSE{X: X, Y: y}, then l.Func, l.Grad, l.Hess, for example
// in optimize.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}.
type MSE struct {
	X  *mat.Dense // n×d design matrix, one sample per row
	Y  []float64  // n targets
	L2 float64    // λ ≥ 0 of the term (λ/2)‖w‖²; 0 means none

}

// dims checks the shapes for a call with parameters w and returns n and d.
func (l *MSE) dims(caller string, w []float64) (n, d int) {
	mustNot(vectorLossProblem(caller, l.X, l.Y, l.L2))
	n, d = l.X.Dims()
	checkW(caller, w, d, func() string { return "X is " + shapeOf(l.X) }, func() string { return strconv.Itoa(d) })
	return n, d
}

// residual sets r to Xw − Y with one BLAS call: r = Y, then r = Xw − r.
func (l *MSE) residual(r, w []float64) []float64 {
	copy(r, l.Y)
	blas64.Gemv(blas.NoTrans, 1, l.X.RawMatrix(), vec(w), -1, vec(r))
	return r
}

// Func returns (1/n)‖Xw − Y‖² + (λ/2)‖w‖². It makes no allocations after the
// first call. It panics if X is nil or empty, len(Y) ≠ n, len(w) ≠ d, or L2
// is negative, NaN or infinite. It does not look at the data: see Validate.
func (l *MSE) Func(w []float64) float64 {
	n, _ := l.dims("MSE.Func", w)
	ws := acquire(n)
	r := l.residual(ws.buf, w)
	f := blas64.Dot(vec(r), vec(r)) / float64(n)
	release(ws)
	return plusL2(f, l.L2, w)
}

// Grad sets dst to (2/n)Xᵀ(Xw − Y) + λw: two matrix-vector products. It
// makes no allocations after the first call. It panics as Func does, and if
// len(dst) ≠ len(w).
func (l *MSE) Grad(dst, w []float64) {
	n, _ := l.dims("MSE.Grad", w)
	checkDst("MSE.Grad", dst, w)
	ws := acquire(n)
	r := l.residual(ws.buf, w)
	beta := gradInit(dst, w, l.L2)
	blas64.Gemv(blas.Trans, 2/float64(n), l.X.RawMatrix(), vec(r), beta, vec(dst))
	release(ws)
}

// Hess sets dst to (2/n)XᵀX + λI, d×d, which does not depend on w; an empty
// dst is sized. It panics as Func does, and if dst is nil or of another
// size.
func (l *MSE) Hess(dst *mat.SymDense, w []float64) {
	n, d := l.dims("MSE.Hess", w)
	hessDst("MSE.Hess", dst, d, func() string { return "X is " + shapeOf(l.X) })
	blas64.Syrk(blas.Trans, 2/float64(n), l.X.RawMatrix(), 0, dst.RawSymmetric())
	addDiag(dst, l.L2)
}

// Validate reports what Func, Grad and Hess would panic on (a missing X,
// len(Y) ≠ n, an invalid L2) and every NaN or infinite entry of X and Y, as
// *DataError values joined with errors.Join (at most ten listed). Func and
// Grad do not validate, because it costs as much as a call; on such data
// the NaN or infinity propagates into their results.
func (l *MSE) Validate() error {
	if msg := vectorLossProblem("MSE.Validate", l.X, l.Y, l.L2); msg != "" {
		return errors.New(msg)
	}
	v := validator{loss: "MSE"}
	v.finiteMatrix("X", l.X)
	v.finiteVector("Y", l.Y)
	return v.err()
}
