package functions

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// The maps f: ℝᵈ→ℝᵏ of the lab's "Jacobian intuition", with exact
// Jacobians (k×d, dst[r][c] = ∂fᵣ/∂x_c, as Jacobian computes them). Each has
// the method set
//
//	Outputs(d int) int                   // k for inputs of length d
//	Apply(dst, x []float64)              // dst = f(x), len(dst) = k
//	Jacobian(dst *mat.Dense, x []float64) // dst = J(x), k×d
//
// An empty Jacobian dst (&mat.Dense{}) is sized to k×d, gonum's convention;
// a dst of another size panics, naming both shapes. The maps hold no
// scratch memory, make no allocations, and are safe for concurrent use.

// Sigmoid is the elementwise logistic function σ(xᵢ) = 1/(1 + e^(−xᵢ)),
// ℝᵈ→ℝᵈ, with the diagonal Jacobian diag(σ(1−σ)). σ is computed without
// overflow for any x, and σ(x)(1 − σ(x)) as σ(x)σ(−x), accurate for large
// |x| where 1 − σ(x) would round to 0.
type Sigmoid struct{}

// Outputs returns d: Sigmoid maps ℝᵈ to ℝᵈ.
func (Sigmoid) Outputs(d int) int { return d }

// Apply sets dst to σ(x) elementwise. It panics if len(dst) ≠ len(x).
func (Sigmoid) Apply(dst, x []float64) {
	checkOut("Sigmoid.Apply", dst, len(x), func() string { return fmt.Sprintf("len(x) = %d", len(x)) })
	for i, v := range x {
		dst[i] = sigmoid(v)
	}
}

// Jacobian sets dst to diag(σ(x)σ(−x)), d×d; an empty dst is sized. It
// panics if dst is nil or not d×d.
func (Sigmoid) Jacobian(dst *mat.Dense, x []float64) {
	d := len(x)
	jacDst("Sigmoid.Jacobian", dst, d, d, func() string { return fmt.Sprintf("len(x) = %d", d) })
	for i := range d {
		for j := range d {
			dst.Set(i, j, 0)
		}
		dst.Set(i, i, logisticWeight(x[i]))
	}
}

// Softmax is softmax(x)ᵢ = e^(xᵢ)/Σⱼ e^(xⱼ), ℝᵈ→ℝᵈ, with the Jacobian
// diag(s) − ssᵀ (s = softmax(x)). It subtracts the maximum before
// exponentiating, so no input overflows, and computes 1 − s at the maximum as
// t/(1+t), t = Σ_{j≠j*} e^(xⱼ−m), so the diagonal s(1 − s) stays accurate
// where s rounds to 1.
type Softmax struct{}

// Outputs returns d: Softmax maps ℝᵈ to ℝᵈ.
func (Softmax) Outputs(d int) int { return d }

// Apply sets dst to softmax(x). It panics if len(dst) ≠ len(x).
func (Softmax) Apply(dst, x []float64) {
	checkOut("Softmax.Apply", dst, len(x), func() string { return fmt.Sprintf("len(x) = %d", len(x)) })
	if len(x) == 0 {
		return
	}
	softmaxInto(dst, x)
}

// softmaxInto sets dst to softmax(x) and returns the index of the maximum
// and t = Σ_{j≠j*} e^(xⱼ−m), with which 1 − s_j* = t/(1+t).
func softmaxInto(dst, x []float64) (jm int, t float64) {
	copy(dst, x)
	jm, t = expShift(dst)
	for i := range dst {
		dst[i] /= 1 + t
	}
	return jm, t
}

// Jacobian sets dst to diag(s) − ssᵀ, d×d, with s = softmax(x); an empty
// dst is sized. It panics if dst is nil or not d×d.
func (Softmax) Jacobian(dst *mat.Dense, x []float64) {
	d := len(x)
	jacDst("Softmax.Jacobian", dst, d, d, func() string { return fmt.Sprintf("len(x) = %d", d) })
	if d == 0 {
		return
	}
	// Row 0 of dst holds s until the other rows are written from it; then
	// row 0 is rewritten in place, each entry read before it is overwritten.
	raw := dst.RawMatrix()
	s := raw.Data[:d]
	jm, t := softmaxInto(s, x)
	comp := func(j int) float64 { // 1 − s_j without cancellation
		if j == jm {
			return t / (1 + t)
		}
		return 1 - s[j] // s_j ≤ 1/2 off the maximum
	}
	for r := d - 1; r >= 0; r-- {
		row := raw.Data[r*raw.Stride : r*raw.Stride+d]
		sr, cr := s[r], comp(r)
		for c := range row {
			row[c] = -sr * s[c]
		}
		row[r] = sr * cr
	}
}

// Linear is the linear map x ↦ Ax, ℝᵈ→ℝᵏ for a k×d matrix A, whose Jacobian
// is A itself: the simplest non-square Jacobian, and the one a transposed
// implementation gets wrong.
type Linear struct {
	A *mat.Dense // k×d
}

// Outputs returns k, the number of rows of A. It panics if A is nil or
// empty or d is not the number of columns of A.
func (l Linear) Outputs(d int) int {
	k, _ := l.dims("Linear.Outputs", d)
	return k
}

// dims checks A and the input length d and returns A's shape.
func (l Linear) dims(caller string, d int) (k, c int) {
	if l.A == nil || l.A.IsEmpty() {
		panic(fmt.Sprintf("functions: %s: A is nil or empty (want a k×d matrix)", caller))
	}
	k, c = l.A.Dims()
	if d != c {
		panic(fmt.Sprintf("functions: %s: len(x) = %d, A is %d×%d (want len(x) = %d)", caller, d, k, c, c))
	}
	return k, c
}

// Apply sets dst (length k) to Ax with one BLAS matrix-vector product. It
// panics if A is nil or empty, len(x) is not the number of columns of A, or
// len(dst) is not the number of rows.
func (l Linear) Apply(dst, x []float64) {
	k, _ := l.dims("Linear.Apply", len(x))
	checkOut("Linear.Apply", dst, k, func() string { return "A is " + shapeOf(l.A) })
	blas64.Gemv(blas.NoTrans, 1, l.A.RawMatrix(), vec(x), 0, vec(dst))
}

// Jacobian sets dst to A, k×d, whatever x is; an empty dst is sized. It
// panics as Apply does, and if dst is nil or not k×d.
func (l Linear) Jacobian(dst *mat.Dense, x []float64) {
	k, d := l.dims("Linear.Jacobian", len(x))
	jacDst("Linear.Jacobian", dst, k, d, func() string { return "A is " + shapeOf(l.A) })
	dst.Copy(l.A)
}

// checkOut panics unless len(dst) = k; shape says where k comes from.
func checkOut(caller string, dst []float64, k int, shape func() string) {
	if len(dst) != k {
		panic(fmt.Sprintf("functions: %s: len(dst) = %d, %s (want len(dst) = %d)", caller, len(dst), shape(), k))
	}
}

// jacDst sizes an empty dst to k×d and panics if dst is nil or of another
// size; shape says where k and d come from.
func jacDst(caller string, dst *mat.Dense, k, d int, shape func() string) {
	if dst == nil {
		panic(fmt.Sprintf("functions: %s: dst is nil (want a %d×%d *mat.Dense, or an empty one to be sized)", caller, k, d))
	}
	if dst.IsEmpty() {
		if k > 0 && d > 0 { // gonum has no empty matrix; there is nothing to write
			dst.ReuseAs(k, d)
		}
		return
	}
	if r, c := dst.Dims(); r != k || c != d {
		panic(fmt.Sprintf("functions: %s: dst is %d×%d, %s (want %d×%d)", caller, r, c, shape(), k, d))
	}
}
