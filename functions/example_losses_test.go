package functions_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/gradients"
)

// The lab's Task 2.1: the gradient (2/n)Xᵀ(Xw − y) of the mean squared error
// of a linear model ŷ = Xw, with w of shape (d,) and X of shape (n, d),
// checked against the numerical gradient and its error estimate.
func ExampleMSE() {
	X := mat.NewDense(4, 3, []float64{
		1, 2, -1,
		0.5, -1, 3,
		2, 0, 1,
		-1, 1, 0.5,
	})
	y := []float64{1, -2, 0.5, 3}
	w := []float64{0.3, -0.2, 0.7}
	l := &functions.MSE{X: X, Y: y}

	g := make([]float64, len(w))
	l.Grad(g, w)
	num, est := gradients.GradientWithError(nil, nil, l.Func, w, nil)
	fmt.Printf("loss:     %.6g\n", l.Func(w))
	fmt.Printf("gradient: [%.6g %.6g %.6g]\n", g[0], g[1], g[2])
	fmt.Printf("numeric:  [%.6g %.6g %.6g]\n", num[0], num[1], num[2])
	agree := true
	for i := range g {
		// 4× the error estimate plus the best accuracy of the method,
		// 1e-14 relative (docs/NUMERICS.md).
		agree = agree && math.Abs(g[i]-num[i]) <= 4*est[i]+1e-14*math.Abs(g[i])
	}
	fmt.Println("agree:", agree)
	// Output:
	// loss:     8.40125
	// gradient: [2.5875 -5.6 7.1875]
	// numeric:  [2.5875 -5.6 7.1875]
	// agree: true
}

// The lab's Task 3.1: binary cross-entropy of logistic regression with the
// gradient (1/n)Xᵀ(σ(Xw) − y). The logs are made safe without clipping p:
// the loss comes from the logits in a stable form, so it stays finite and
// exact at any logit, and the residual σ(z) − y keeps full precision where
// σ(z) rounds to 1 (z ≳ 36.7). Clipping p to [1e-7, 1−1e-7] would make the
// gradient 0 beyond |z| ≈ 16 instead of ±1.
func ExampleLogistic() {
	X := mat.NewDense(4, 2, []float64{
		1, 2,
		-0.5, 1,
		2, -1,
		0.3, -2,
	})
	l := &functions.Logistic{X: X, Y: []float64{1, 0, 1, 0}}
	w := []float64{0.4, -0.3}
	g := make([]float64, 2)
	l.Grad(g, w)
	fmt.Printf("loss %.6g, gradient [%.6g %.6g]\n", l.Func(w), g[0], g[1])

	// One sample with feature 1, so that the logit is w and the gradient
	// is the residual σ(z) − y.
	for _, c := range []struct{ z, y float64 }{{40, 1}, {40, 0}, {-20, 1}, {-1000, 1}} {
		one := &functions.Logistic{X: mat.NewDense(1, 1, []float64{1}), Y: []float64{c.y}}
		w := []float64{c.z}
		one.Grad(g[:1], w)
		fmt.Printf("z = %5g, y = %g: loss %-12.6g σ(z) − y = %.6g\n", c.z, c.y, one.Func(w), g[0])
	}
	// Output:
	// loss 0.669036, gradient [-0.259076 -0.4544]
	// z =    40, y = 1: loss 4.24835e-18  σ(z) − y = -4.24835e-18
	// z =    40, y = 0: loss 40           σ(z) − y = 1
	// z =   -20, y = 1: loss 20           σ(z) − y = -1
	// z = -1000, y = 1: loss 1000         σ(z) − y = -1
}

// The lab's Task 4.1: the Hessian of f(w) = Σwᵢ² is 2I. The lab computes it
// as the numerical gradient of each gradient component, which is the
// Jacobian of the gradient.
func ExampleSumSquares_Hess() {
	w := []float64{0.5, -1.5, 2}
	var f functions.SumSquares

	H := mat.NewSymDense(3, nil)
	f.Hess(H, w)
	fmt.Printf("analytic:\n%.6g\n", mat.Formatted(H))

	J := gradients.Jacobian(mat.NewDense(3, 3, nil), f.Grad, w, &gradients.Settings{Method: gradients.Central})
	fmt.Printf("numerical (Jacobian of the gradient):\n%.6g\n", mat.Formatted(J))
	// Output:
	// analytic:
	// ⎡2  0  0⎤
	// ⎢0  2  0⎥
	// ⎣0  0  2⎦
	// numerical (Jacobian of the gradient):
	// ⎡2  0  0⎤
	// ⎢0  2  0⎥
	// ⎣0  0  2⎦
}
