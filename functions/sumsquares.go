package functions

import (
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// SumSquares is f(w) = Σᵢ wᵢ², the lab's Task 4.1, with gradient 2w and
// Hessian 2I for any length of w. It has no data and no workspace, so its
// methods have value receivers and it is safe for concurrent use.
type SumSquares struct{}

// Func returns Σᵢ wᵢ².
func (SumSquares) Func(w []float64) float64 {
	return sqNorm(w)
}

// Grad sets dst to 2w. It panics if len(dst) ≠ len(w).
func (SumSquares) Grad(dst, w []float64) {
	checkDst("SumSquares.Grad", dst, w)
	for i, v := range w {
		dst[i] = 2 * v
	}
}

// Hess sets dst to 2I (len(w)×len(w)); an empty dst is sized. It panics if
// dst is nil or of another size.
func (SumSquares) Hess(dst *mat.SymDense, w []float64) {
	d := len(w)
	hessDst("SumSquares.Hess", dst, d, func() string { return "len(w) = " + strconv.Itoa(d) })
	for i := range d {
		for j := i; j < d; j++ {
			dst.SetSym(i, j, 0)
		}
		dst.SetSym(i, i, 2)
	}
}
