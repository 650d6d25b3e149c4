package functions

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// This file holds what the losses share: the workspace that keeps Func and
// Grad free of allocations, the shape checks, the data validation and the
// numerically stable logistic functions.

// workspace is scratch memory for one call of Func or Grad. The losses take
// it from a sync.Pool and put it back when they return, so serial calls
// reuse memory (no allocation once the pool holds a buffer large enough)
// and concurrent calls — Gradient with Settings.Workers > 1, gonum's
// concurrent optimizers — never share it. Values of the losses are
// therefore safe for concurrent use, and copies of them share nothing.
type workspace struct {
	buf []float64
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// acquire returns a workspace with a buffer of n values. It must be paired
// with release.
func acquire(n int) *workspace {
	w := workspaces.Get().(*workspace)
	if cap(w.buf) < n {
		w.buf = make([]float64, n)
	}
	w.buf = w.buf[:n]
	return w
}

// release returns w to the pool for the next call.
func release(w *workspace) { workspaces.Put(w) }

// shapeOf describes a matrix in messages: "5×4", or "nil".
func shapeOf(m *mat.Dense) string {
	if m == nil || m.IsEmpty() {
		return "nil"
	}
	r, c := m.Dims()
	return fmt.Sprintf("%d×%d", r, c)
}

// designProblem returns the message for a missing design matrix X, or "".
func designProblem(caller string, X *mat.Dense) string {
	if X == nil || X.IsEmpty() {
		return fmt.Sprintf("functions: %s: X is nil or empty (want an n×d matrix of n samples with d features)", caller)
	}
	return ""
}

// vectorLossProblem returns the message for the first shape or setting
// problem of a loss over X (n×d) and a vector Y (len n) — MSE and Logistic —
// or "" if there is none.
func vectorLossProblem(caller string, X *mat.Dense, Y []float64, l2 float64) string {
	if msg := designProblem(caller, X); msg != "" {
		return msg
	}
	if n, _ := X.Dims(); len(Y) != n {
		return fmt.Sprintf("functions: %s: len(Y) = %d, X is %s (want len(Y) = %d)", caller, len(Y), shapeOf(X), n)
	}
	return l2Problem(caller, l2)
}

// l2Problem returns the message for an L2 coefficient that is not a finite
// λ ≥ 0, or "".
func l2Problem(caller string, l2 float64) string {
	if !(l2 >= 0) || math.IsInf(l2, 1) {
		return fmt.Sprintf("functions: %s: L2 = %v (want a finite λ ≥ 0; 0 means no L2 term)", caller, l2)
	}
	return ""
}

// mustNot panics with msg unless it is empty.
func mustNot(msg string) {
	if msg != "" {
		panic(msg)
	}
}

// checkW panics unless len(w) = want, the number of parameters; shape
// describes the data the number comes from (e.g. "X is 5×4") and wantExpr
// how (e.g. "4" or "4·3 = 12"). Both are only called on failure, to keep the
// success path free of allocations.
func checkW(caller string, w []float64, want int, shape, wantExpr func() string) {
	if len(w) != want {
		panic(fmt.Sprintf("functions: %s: len(w) = %d, %s (want len(w) = %s)", caller, len(w), shape(), wantExpr()))
	}
}

// checkDst panics unless len(dst) = len(w).
func checkDst(caller string, dst, w []float64) {
	if len(dst) != len(w) {
		panic(fmt.Sprintf("functions: %s: len(dst) = %d, len(w) = %d (want len(dst) = %d)", caller, len(dst), len(w), len(w)))
	}
}

// hessDst sizes an empty dst to d×d and panics if dst is nil or of another
// size; shape describes where d comes from (e.g. "X is 5×4").
func hessDst(caller string, dst *mat.SymDense, d int, shape func() string) {
	if dst == nil {
		panic(fmt.Sprintf("functions: %s: dst is nil (want a %d×%d *mat.SymDense, or an empty one to be sized)", caller, d, d))
	}
	if dst.IsEmpty() {
		if d > 0 { // gonum has no 0×0 matrix; there is nothing to write
			dst.ReuseAsSym(d)
		}
		return
	}
	if m := dst.SymmetricDim(); m != d {
		panic(fmt.Sprintf("functions: %s: dst is %d×%d, %s (want %d×%d)", caller, m, m, shape(), d, d))
	}
}

// addDiag adds v to the diagonal of s (the L2 term of a Hessian).
func addDiag(s *mat.SymDense, v float64) {
	if v == 0 {
		return
	}
	for i := range s.SymmetricDim() {
		s.SetSym(i, i, s.At(i, i)+v)
	}
}

// plusL2 returns f + (λ/2)‖w‖²: a loss with its L2 term, f itself when
// λ = 0.
func plusL2(f, l2 float64, w []float64) float64 {
	if l2 != 0 {
		f += l2 / 2 * sqNorm(w)
	}
	return f
}

// sqNorm returns ‖w‖².
func sqNorm(w []float64) float64 {
	return blas64.Dot(vec(w), vec(w))
}

// vec wraps a slice as a BLAS vector.
func vec(v []float64) blas64.Vector {
	return blas64.Vector{N: len(v), Data: v, Inc: 1}
}

// gradInit prepares dst for the BLAS update dst = α·Xᵀv + β·dst that adds
// the L2 term λw: it returns β = λ with dst = w. With λ = 0 the BLAS call
// ignores dst's old content (β = 0 clears it).
func gradInit(dst, w []float64, l2 float64) (beta float64) {
	if l2 != 0 {
		copy(dst, w)
	}
	return l2
}

// xtdx sets c (d×d) to α·Xᵀ·diag(q)·X through BLAS: scratch (n×d) receives
// the rows of X scaled by q, and Gemm multiplies. Only c's upper triangle is
// used by the callers.
func xtdx(c blas64.General, alpha float64, x blas64.General, q, scratch []float64) {
	n, d := x.Rows, x.Cols
	s := blas64.General{Rows: n, Cols: d, Stride: d, Data: scratch[:n*d]}
	for i := range n {
		row, srow := x.Data[i*x.Stride:i*x.Stride+d], s.Data[i*d:(i+1)*d]
		for j, v := range row {
			srow[j] = q[i] * v
		}
	}
	blas64.Gemm(blas.Trans, blas.NoTrans, alpha, x, s, 0, c)
}

// symAsGeneral views the storage of a symmetric matrix as a general one, for
// BLAS routines that write a full square whose upper triangle is wanted.
func symAsGeneral(s *mat.SymDense) blas64.General {
	r := s.RawSymmetric()
	return blas64.General{Rows: r.N, Cols: r.N, Stride: r.Stride, Data: r.Data}
}

// sigmoid returns σ(z) = 1/(1 + e^(−z)) without overflow: for z < 0 it is
// computed as e^z/(1 + e^z), so that it keeps full relative precision down to
// the smallest normal number instead of rounding 1 − tiny.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// logisticLoss returns the binary cross-entropy of one sample with logit z
// and label y, −y·log σ(z) − (1−y)·log(1 − σ(z)), in the stable form
// max(z, 0) − z·y + log1p(e^(−|z|)) (NUMERICS.md): finite for every finite
// z, and for y ∈ {0, 1} free of cancellation, because max(z, 0) − z·y is then
// 0 or |z| exactly.
func logisticLoss(z, y float64) float64 {
	return math.Max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
}

// logisticResidual returns σ(z) − y, the derivative of logisticLoss in z,
// without cancellation for y = 1: σ(z) − 1 = −σ(−z). With σ(z) rounded to 1
// (z ≳ 36.7) the naive difference would be 0 instead of −e^(−z).
func logisticResidual(z, y float64) float64 {
	if y == 1 {
		return -sigmoid(-z)
	}
	return sigmoid(z) - y
}

// logisticWeight returns σ(z)(1 − σ(z)) = σ(z)σ(−z), the second derivative
// of logisticLoss in z, with full relative precision for large |z|.
func logisticWeight(z float64) float64 {
	return sigmoid(z) * sigmoid(-z)
}

// maxReported bounds the number of entries a Validate lists: data with a
// systematic problem (a matrix full of NaN) would otherwise produce millions
// of errors. The count of the rest is reported.
const maxReported = 10

// DataError is an invalid entry found by a loss's Validate method: a NaN or
// infinite value, a label outside {0, 1}, a negative probability or a row of
// probabilities that does not sum to 1. Validate returns the errors joined
// (errors.Join); errors.As reaches each one.
type DataError struct {
	Loss  string  // the loss: "MSE", "Logistic" or "SoftmaxCrossEntropy"
	Field string  // the field that holds the entry: "X" or "Y"
	Row   int     // the row of the entry, or its index in a vector Y
	Col   int     // the column of the entry; −1 for a vector Y and for a row sum
	Sum   bool    // Value is the sum of row Row, not a single entry
	Value float64 // the offending value
	Want  string  // what was wanted, e.g. "finite", "0 or 1", "≥ 0", "1 ± 3e-12"
}

// Error returns e.g. "functions: Logistic: Y[3] = 0.5 (want 0 or 1)".
func (e *DataError) Error() string {
	switch {
	case e.Sum:
		return fmt.Sprintf("functions: %s: sum of row %s[%d] = %v (want %s)", e.Loss, e.Field, e.Row, e.Value, e.Want)
	case e.Col < 0:
		return fmt.Sprintf("functions: %s: %s[%d] = %v (want %s)", e.Loss, e.Field, e.Row, e.Value, e.Want)
	}
	return fmt.Sprintf("functions: %s: %s[%d][%d] = %v (want %s)", e.Loss, e.Field, e.Row, e.Col, e.Value, e.Want)
}

// validator collects the problems a Validate method finds.
type validator struct {
	loss string
	errs []error
	more int // problems found beyond maxReported
}

func (v *validator) add(e *DataError) {
	if len(v.errs) >= maxReported {
		v.more++
		return
	}
	e.Loss = v.loss
	v.errs = append(v.errs, e)
}

// finiteMatrix reports every NaN or infinite entry of m.
func (v *validator) finiteMatrix(field string, m *mat.Dense) {
	r := m.RawMatrix()
	for i := range r.Rows {
		for j, x := range r.Data[i*r.Stride : i*r.Stride+r.Cols] {
			if !isFinite(x) {
				v.add(&DataError{Field: field, Row: i, Col: j, Value: x, Want: "finite"})
			}
		}
	}
}

// finiteVector reports every NaN or infinite entry of y.
func (v *validator) finiteVector(field string, y []float64) {
	for i, x := range y {
		if !isFinite(x) {
			v.add(&DataError{Field: field, Row: i, Col: -1, Value: x, Want: "finite"})
		}
	}
}

// err returns the problems joined, or nil.
func (v *validator) err() error {
	if v.more > 0 {
		v.errs = append(v.errs, fmt.Errorf("functions: %s: %d more invalid entries not listed", v.loss, v.more))
	}
	return errors.Join(v.errs...)
}

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
