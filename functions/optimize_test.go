package functions_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/gradcheck/gradcheck/functions"
)

// TestOptimizeProblem: the losses' method set is gonum's optimize.Problem,
// so a loss plugs straight into optimize.Minimize. Newton's method on the
// MSE of an exactly solvable system must find its solution.
func TestOptimizeProblem(t *testing.T) {
	X := mat.NewDense(4, 2, []float64{1, 2, 3, -1, 0.5, 4, -2, 1})
	w := []float64{0.7, -1.3}
	y := make([]float64, 4)
	mat.NewVecDense(4, y).MulVec(X, mat.NewVecDense(2, w))
	l := &functions.MSE{X: X, Y: y}
	p := optimize.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}
	res, err := optimize.Minimize(p, []float64{0, 0}, nil, &optimize.Newton{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range w {
		// Newton solves a quadratic in one step up to the round-off of the
		// normal equations, cond(XᵀX)·ε ≈ 1e-15 here.
		if math.Abs(res.X[i]-w[i]) > 1e-12 {
			t.Errorf("Newton on MSE found %v, want %v", res.X, w)
		}
	}
}
