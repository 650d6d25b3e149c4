package functions

import (
	"errors"
	"strconv"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Logistic is the binary cross-entropy of logistic regression, the lab's
// Task 3.1, with an optional L2 term. With logits z = Xw and p = σ(z):
//
//	f(w)   = −(1/n)Σᵢ [yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)] + (λ/2)‖w‖²
//	∇f(w)  = (1/n)Xᵀ(p − Y) + λw
//	∇²f(w) = (1/n)Xᵀ diag(p(1−p)) X + λI
//
// X is n×d (one sample per row), w has length d and the labels Y are 0 or 1.
// Use it through a pointer, as MSE.
//
// The lab says to clip p to keep the logs finite; this code does not, because
// clipping p to [1e-7, 1−1e-7] makes the loss flat beyond |z| ≈ 16.1 and the
// gradient exactly 0 there, where the true derivative of a misclassified
// sample's loss in z is ±1: a silent bug that a gradient check must see
// (docs/NUMERICS.md). Instead each sample's loss is computed from its
// logit as max(z, 0) − z·y + log1p(e^(−|z|)), which is finite for every
// finite z (exp never overflows, log never sees 0), and the residual p − y
// as σ(z) for y = 0 and −σ(−z) for y = 1, with σ(z) = e^z/(1+e^z) for z < 0,
// so that it keeps full relative precision where p is within 1e-16 of 0 or
// 1 (σ(z) rounds to 1 from z ≈ 36.7, where the naive 1 − p is 0).
type Logistic struct {
	X  *mat.Dense // n×d design matrix, one sample per row
	Y  []float64  // n labels, each 0 or 1
	L2 float64    // λ ≥ 0 of the term (λ/2)‖w‖²; 0 means none

}

// dims checks the shapes for a call with parameters w and returns n and d.
func (l *Logistic) dims(caller string, w []float64) (n, d int) {
	mustNot(vectorLossProblem(caller, l.X, l.Y, l.L2))
	n, d = l.X.Dims()
	checkW(caller, w, d, func() string { return "X is " + shapeOf(l.X) }, func() string { return strconv.Itoa(d) })
	return n, d
}

// logits sets z to Xw.
func (l *Logistic) logits(z, w []float64) []float64 {
	blas64.Gemv(blas.NoTrans, 1, l.X.RawMatrix(), vec(w), 0, vec(z))
	return z
}

// Func returns the mean binary cross-entropy plus (λ/2)‖w‖², finite for
// every finite logit. It makes no allocations after the first call. It
// panics if X is nil or empty, len(Y) ≠ n, len(w) ≠ d, or L2 is negative,
// NaN or infinite. It does not look at the data: see Validate.
func (l *Logistic) Func(w []float64) float64 {
	n, _ := l.dims("Logistic.Func", w)
	ws := acquire(n)
	z := l.logits(ws.buf, w)
	var f float64
	for i, zi := range z {
		f += logisticLoss(zi, l.Y[i])
	}
	release(ws)
	return plusL2(f/float64(n), l.L2, w)
}

// Grad sets dst to (1/n)Xᵀ(σ(Xw) − Y) + λw: two matrix-vector products. It
// makes no allocations after the first call. It panics as Func does, and if
// len(dst) ≠ len(w).
func (l *Logistic) Grad(dst, w []float64) {
	n, _ := l.dims("Logistic.Grad", w)
	checkDst("Logistic.Grad", dst, w)
	ws := acquire(n)
	r := l.logits(ws.buf, w)
	for i, zi := range r {
		r[i] = logisticResidual(zi, l.Y[i])
	}
	beta := gradInit(dst, w, l.L2)
	blas64.Gemv(blas.Trans, 1/float64(n), l.X.RawMatrix(), vec(r), beta, vec(dst))
	release(ws)
}

// Hess sets dst to (1/n)Xᵀ diag(p(1−p)) X + λI, d×d; an empty dst is sized.
// It allocates n·(d+1) scratch values per call. It panics as Func does, and
// if dst is nil or of another size.
func (l *Logistic) Hess(dst *mat.SymDense, w []float64) {
	n, d := l.dims("Logistic.Hess", w)
	hessDst("Logistic.Hess", dst, d, func() string { return "X is " + shapeOf(l.X) })
	buf := make([]float64, n*(d+1))
	q := l.logits(buf[:n], w)
	for i, zi := range q {
		q[i] = logisticWeight(zi)
	}
	xtdx(symAsGeneral(dst), 1/float64(n), l.X.RawMatrix(), q, buf[n:])
	addDiag(dst, l.L2)
}

// Validate reports what Func, Grad and Hess would panic on (a missing X,
// len(Y) ≠ n, an invalid L2), every label other than 0 or 1 (NaN included)
// and every NaN or infinite entry of X, as *DataError values joined with
// errors.Join (at most ten listed). Func and Grad do not validate, because
// it costs as much as a call: a NaN or infinity in X propagates into their
// results, and a label y outside {0, 1} gives the value of the same formula,
// max(z, 0) − z·y + log1p(e^(−|z|)), and residual σ(z) − y, which is then no
// cross-entropy (it is unbounded below for y > 1 or y < 0).
func (l *Logistic) Validate() error {
	if msg := vectorLossProblem("Logistic.Validate", l.X, l.Y, l.L2); msg != "" {
		return errors.New(msg)
	}
	v := validator{loss: "Logistic"}
	v.finiteMatrix("X", l.X)
	for i, y := range l.Y {
		if y != 0 && y != 1 {
			v.add(&DataError{Field: "Y", Row: i, Col: -1, Value: y, Want: "0 or 1"})
		}
	}
	return v.err()
}
