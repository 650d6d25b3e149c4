package functions

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSumSquares checks SumSquares, the lab's Task 4.1: Grad is 2w and Hess
// is 2I exactly (multiplying by 2 is exact in binary floating point), and
// both agree with the numerical derivatives, including the Hessian from
// values that the task asks for.
func TestSumSquares(t *testing.T) {
	for _, d := range []int{1, 3, 6} {
		t.Run(fmt.Sprintf("d=%d", d), func(t *testing.T) {
			seed := uint64(90 + d)
			w := lossVec(lossRand(seed), d, 1)
			var l SumSquares
			g := make([]float64, d)
			l.Grad(g, w)
			for i := range w {
				if g[i] != 2*w[i] {
					t.Errorf("SumSquares.Grad[%d] = %v, want 2·%v exactly", i, g[i], w[i])
				}
			}
			H := lossHessian(l, w)
			I2 := mat.NewDiagDense(d, nil)
			for i := range d {
				I2.SetDiag(i, 2)
			}
			if !mat.Equal(H, I2) {
				t.Errorf("SumSquares.Hess =\n%v\nwant 2I exactly", mat.Formatted(H))
			}
			lossCheckProblem(t, "SumSquares", l, w, seed, d, 0, true)
		})
	}
}
