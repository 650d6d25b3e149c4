package functions

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// SoftmaxCrossEntropy is the cross-entropy of multinomial logistic
// regression with k classes, with an optional L2 term. The parameters are a
// d×k matrix W, flattened row-major into w of length d·k: w[a*k+b] = W[a][b],
// so mat.NewDense(d, k, w) is W. With logits zᵢ = xᵢᵀW (row i of XW) and
// sᵢ = softmax(zᵢ):
//
//	f(w)   = −(1/n)Σᵢ Σⱼ Yᵢⱼ log sᵢⱼ + (λ/2)‖w‖²
//	∇f(w)  = (1/n)Xᵀ(S − Y) + λw                           (d×k, flattened)
//	∇²f(w) = (1/n)Σᵢ (xᵢxᵢᵀ) ⊗ (diag(sᵢ) − sᵢsᵢᵀ) + λI     (d·k × d·k)
//
// The Kronecker product follows the flattening: the entry of ∇²f at
// (a*k+b, c*k+e) is (1/n)Σᵢ X[i][a]·X[i][c]·(S[i][b]·[b=e] − S[i][b]·S[i][e]),
// plus λ on the diagonal.
//
// X is n×d (one sample per row) and Y is n×k, each row one-hot or a
// probability distribution over the classes. The formulas above assume rows
// that sum to 1; the methods use each row's actual sum rᵢ, with gradient
// (1/n)Xᵀ(diag(r)S − Y) and Hessian terms scaled by rᵢ, so that Grad and Hess
// are the exact derivatives of Func for any Y and agree with the formulas
// above when the rows sum to 1.
//
// The log-softmax is computed stably: with m = max zᵢ at class j* and
// t = Σ_{j≠j*} e^(zᵢⱼ−m), −log sᵢⱼ = (m − zᵢⱼ) + log1p(t), and 1 − sᵢⱼ* =
// t/(1+t), so large logits neither overflow nor lose the small residuals of
// confidently classified samples. Use it through a pointer, as MSE.
type SoftmaxCrossEntropy struct {
	X  *mat.Dense // n×d design matrix, one sample per row
	Y  *mat.Dense // n×k targets, one probability row per sample
	L2 float64    // λ ≥ 0 of the term (λ/2)‖w‖²; 0 means none

}

// problem returns the message for the first shape or setting problem, or "".
func (l *SoftmaxCrossEntropy) problem(caller string) string {
	if msg := designProblem(caller, l.X); msg != "" {
		return msg
	}
	if l.Y == nil || l.Y.IsEmpty() {
		return fmt.Sprintf("functions: %s: Y is nil or empty (want an n×k matrix with one probability row per sample)", caller)
	}
	n, _ := l.X.Dims()
	if r, _ := l.Y.Dims(); r != n {
		return fmt.Sprintf("functions: %s: Y is %s, X is %s (want %d rows in Y)", caller, shapeOf(l.Y), shapeOf(l.X), n)
	}
	return l2Problem(caller, l.L2)
}

// dims checks the shapes for a call with parameters w and returns n, d, k.
func (l *SoftmaxCrossEntropy) dims(caller string, w []float64) (n, d, k int) {
	mustNot(l.problem(caller))
	n, d = l.X.Dims()
	_, k = l.Y.Dims()
	checkW(caller, w, d*k,
		func() string { return fmt.Sprintf("X is %s and Y is %s", shapeOf(l.X), shapeOf(l.Y)) },
		func() string { return fmt.Sprintf("%d·%d = %d", d, k, d*k) })
	return n, d, k
}

// logits sets z (n×k, row-major) to XW, one matrix-vector product per
// class: column j of Z is X times column j of W, both strided by k. gonum's
// Dgemm would do the same work for these skinny shapes, but goes parallel
// for tall X with allocations that grow with n (316 per call at
// 10 000×100, k = 10) and measured 3× slower there than the k products
// (6.5 ms against 2.2 ms for XW).
func (l *SoftmaxCrossEntropy) logits(z, w []float64, n, d, k int) blas64.General {
	X := l.X.RawMatrix()
	for j := range k {
		blas64.Gemv(blas.NoTrans, 1, X, blas64.Vector{N: d, Inc: k, Data: w[j:]}, 0, blas64.Vector{N: n, Inc: k, Data: z[j:]})
	}
	return blas64.General{Rows: n, Cols: k, Stride: k, Data: z}
}

// logSumExpParts returns the parts of the stable log-sum-exp of z: the
// maximum m, its first index j, and t = Σ_{i≠j} e^(zᵢ−m) ∈ [0, k−1], so that
// log Σ e^z = m + log1p(t) and softmax(z) = e^(z−m)/(1+t). A NaN in z is
// taken as the maximum, so that it propagates.
func logSumExpParts(z []float64) (m float64, j int, t float64) {
	m, j = argmax(z)
	for i, v := range z {
		if i != j {
			t += math.Exp(v - m)
		}
	}
	return m, j, t
}

// expShift overwrites z with e^(z−m), m = max z, and returns the index j of
// the maximum (where z becomes 1) and t = Σ_{i≠j} e^(zᵢ−m): the parts of
// logSumExpParts with one exponential per entry, for callers that no longer
// need z.
func expShift(z []float64) (j int, t float64) {
	m, j := argmax(z)
	for i, v := range z {
		z[i] = math.Exp(v - m)
		if i != j {
			t += z[i]
		}
	}
	z[j] = 1
	return j, t
}

// argmax returns the maximum of z and its first index; a NaN counts as the
// maximum.
func argmax(z []float64) (m float64, j int) {
	m, j = z[0], 0
	for i, v := range z {
		if v > m || (math.IsNaN(v) && !math.IsNaN(m)) {
			m, j = v, i
		}
	}
	return m, j
}

// Func returns the mean cross-entropy plus (λ/2)‖w‖². It makes no
// allocations after the first call. It panics if X or Y is nil or empty, Y
// has a number of rows other than n, len(w) ≠ d·k, or L2 is negative, NaN
// or infinite. It does not look at the data: see Validate.
func (l *SoftmaxCrossEntropy) Func(w []float64) float64 {
	n, d, k := l.dims("SoftmaxCrossEntropy.Func", w)
	ws := acquire(n * k)
	Z := l.logits(ws.buf, w, n, d, k)
	Y := l.Y.RawMatrix()
	var f float64
	for i := range n {
		z, y := Z.Data[i*k:(i+1)*k], Y.Data[i*Y.Stride:i*Y.Stride+k]
		m, _, t := logSumExpParts(z)
		lse := math.Log1p(t)
		for j, yj := range y {
			if yj != 0 { // a zero weight stays 0 even where m − z overflows
				f += yj * ((m - z[j]) + lse)
			}
		}
	}
	release(ws)
	return plusL2(f/float64(n), l.L2, w)
}

// Grad sets dst to (1/n)Xᵀ(S − Y) + λw (d×k, flattened as w), with S − Y
// read as diag(r)S − Y for rows that do not sum to 1: 2k matrix-vector
// products. It makes no allocations after the first call. It panics as Func
// does, and if len(dst) ≠ len(w).
func (l *SoftmaxCrossEntropy) Grad(dst, w []float64) {
	n, d, k := l.dims("SoftmaxCrossEntropy.Grad", w)
	checkDst("SoftmaxCrossEntropy.Grad", dst, w)
	ws := acquire(n * k)
	R := l.logits(ws.buf, w, n, d, k)
	Y := l.Y.RawMatrix()
	for i := range n {
		z, y := R.Data[i*k:(i+1)*k], Y.Data[i*Y.Stride:i*Y.Stride+k]
		jm, t := expShift(z)
		var rest float64 // Σ_{j≠j*} yⱼ = r − y_j*
		for j, yj := range y {
			if j != jm {
				rest += yj
			}
		}
		for j := range z {
			if j != jm {
				z[j] = (rest+y[jm])*z[j]/(1+t) - y[j]
			}
		}
		// r·s_j* − y_j* = (r − y_j*(1+t))/(1+t) = (rest − y_j*·t)/(1+t):
		// no cancellation between s_j* ≈ 1 and a one-hot y_j* = 1.
		z[jm] = (rest - y[jm]*t) / (1 + t)
	}
	// dst = (1/n)XᵀR + λw, one product per class as in logits.
	beta := gradInit(dst, w, l.L2)
	X := l.X.RawMatrix()
	for j := range k {
		blas64.Gemv(blas.Trans, 1/float64(n), X, blas64.Vector{N: n, Inc: k, Data: R.Data[j:]}, beta, blas64.Vector{N: d, Inc: k, Data: dst[j:]})
	}
	release(ws)
}

// Hess sets dst to the (d·k)×(d·k) Hessian
// (1/n)Σᵢ rᵢ(xᵢxᵢᵀ) ⊗ (diag(sᵢ) − sᵢsᵢᵀ) + λI in the flattening order of w;
// an empty dst is sized. Each of the k(k+1)/2 distinct d×d blocks is one
// product Xᵀ diag(q) X, so Hess costs O(n·d²·k²) and allocates
// n·(2k+d+2) + d² scratch values per call. It panics as Func does, and if
// dst is nil or of another size.
func (l *SoftmaxCrossEntropy) Hess(dst *mat.SymDense, w []float64) {
	n, d, k := l.dims("SoftmaxCrossEntropy.Hess", w)
	hessDst("SoftmaxCrossEntropy.Hess", dst, d*k, func() string {
		return fmt.Sprintf("len(w) = %d, X is %s and Y is %s", len(w), shapeOf(l.X), shapeOf(l.Y))
	})
	buf := make([]float64, n*(2*k+d+2)+d*d)
	next := func(m int) []float64 {
		s := buf[:m:m]
		buf = buf[m:]
		return s
	}
	S := l.logits(next(n*k), w, n, d, k).Data // softmax rows, in place of the logits
	C := next(n * k)                          // 1 − S, accurate where S ≈ 1
	r, q, scratch, G := next(n), next(n), next(n*d), next(d*d)
	Y := l.Y.RawMatrix()
	for i := range n {
		s, c := S[i*k:(i+1)*k], C[i*k:(i+1)*k]
		jm, t := expShift(s)
		for j := range s {
			s[j] /= 1 + t
			c[j] = 1 - s[j] // s_j ≤ 1/2 off the maximum: no cancellation
		}
		c[jm] = t / (1 + t)
		for _, yj := range Y.Data[i*Y.Stride : i*Y.Stride+k] {
			r[i] += yj
		}
	}
	Gm := blas64.General{Rows: d, Cols: d, Stride: d, Data: G}
	for b := range k {
		for e := b; e < k; e++ {
			// Block (b, e): (1/n) Xᵀ diag(q) X with qᵢ = rᵢ(sᵢ_b δ_be − sᵢ_b sᵢ_e).
			for i := range n {
				if b == e {
					q[i] = r[i] * S[i*k+b] * C[i*k+b]
				} else {
					q[i] = -r[i] * S[i*k+b] * S[i*k+e]
				}
			}
			xtdx(Gm, 1/float64(n), l.X.RawMatrix(), q, scratch)
			for a := range d {
				c0 := 0
				if b == e {
					c0 = a // a symmetric block: its upper triangle
				}
				for c := c0; c < d; c++ {
					dst.SetSym(a*k+b, c*k+e, G[a*d+c])
				}
			}
		}
	}
	addDiag(dst, l.L2)
}

// rowSumTol returns the tolerance of Validate on the sum of a row of Y with
// k entries: |Σⱼ Yᵢⱼ − 1| ≤ 1e-12·k. A float64 sum of k probabilities has a
// rounding error below k·ε ≈ 2.2e-16·k (Higham, Accuracy and Stability of
// Numerical Algorithms, §4.2), and probabilities computed by a float64
// softmax or normalization are within a few ulps each; 1e-12·k leaves
// a factor of over 4000 for such data while rejecting rows normalized in
// float32 (errors ≈ 1e-7·k), printed to six digits, or not normalized.
func rowSumTol(k int) float64 {
	return 1e-12 * float64(k)
}

// Validate reports what Func, Grad and Hess would panic on (a missing X or
// Y, a Y whose number of rows is not n, an invalid L2) and every NaN or
// infinite entry of X and Y, negative entry of Y, and row of Y whose sum is
// not 1 within 1e-12·k — thousands of times the rounding error of float64
// probabilities, far below that of float32 ones — as *DataError values
// joined with errors.Join (at most ten listed). Func and Grad do not validate, because it costs as
// much as a call: a NaN or infinity propagates into their results, and rows
// that are not distributions give the values of the same formulas (with the
// row sums rᵢ), which are then no cross-entropy.
func (l *SoftmaxCrossEntropy) Validate() error {
	if msg := l.problem("SoftmaxCrossEntropy.Validate"); msg != "" {
		return errors.New(msg)
	}
	v := validator{loss: "SoftmaxCrossEntropy"}
	v.finiteMatrix("X", l.X)
	Y := l.Y.RawMatrix()
	tol := rowSumTol(Y.Cols)
	for i := range Y.Rows {
		var sum float64
		ok := true
		for j, y := range Y.Data[i*Y.Stride : i*Y.Stride+Y.Cols] {
			switch {
			case !isFinite(y):
				v.add(&DataError{Field: "Y", Row: i, Col: j, Value: y, Want: "finite"})
				ok = false
			case y < 0:
				v.add(&DataError{Field: "Y", Row: i, Col: j, Value: y, Want: "≥ 0"})
				ok = false
			}
			sum += y
		}
		if ok && math.Abs(sum-1) > tol {
			v.add(&DataError{Field: "Y", Row: i, Col: -1, Sum: true, Value: sum, Want: fmt.Sprintf("1 ± %.3g", tol)})
		}
	}
	return v.err()
}
