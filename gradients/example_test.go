package gradients_test

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/gradients"
)

// The gradient of f(x) = x₀²x₁ + sin(x₂) at an asymmetric point, with the
// default method and its error estimate.
func ExampleGradient() {
	f := func(x []float64) float64 { return x[0]*x[0]*x[1] + math.Sin(x[2]) }
	x := []float64{1.5, -2, 0.5}

	g := gradients.Gradient(nil, f, x, nil)
	fmt.Printf("numeric: [%.6g %.6g %.6g]\n", g[0], g[1], g[2])
	fmt.Printf("exact:   [%.6g %.6g %.6g]\n", 2*x[0]*x[1], x[0]*x[0], math.Cos(x[2]))

	_, errs := gradients.GradientWithError(nil, nil, f, x, &gradients.Settings{Method: gradients.Central})
	fmt.Println("central's error estimates below 1e-8:", errs[0] < 1e-8 && errs[1] < 1e-8 && errs[2] < 1e-8)
	// Output:
	// numeric: [-6 2.25 0.877583]
	// exact:   [-6 2.25 0.877583]
	// central's error estimates below 1e-8: true
}

// The Jacobian of f: ℝ³→ℝ² is 2×3 (k×d): row r is the gradient of output r.
func ExampleJacobian() {
	f := func(dst, x []float64) {
		dst[0] = x[0] * x[1] * x[2]
		dst[1] = x[0] + 2*x[1] - x[2]*x[2]
	}
	x := []float64{1, 2, 3}
	jac := gradients.Jacobian(mat.NewDense(2, 3, nil), f, x, nil)
	fmt.Printf("%.6g\n", mat.Formatted(jac))
	// Output:
	// ⎡ 6   3   2⎤
	// ⎣ 1   2  -6⎦
}

// The Hessian of f(x) = x₀²x₁ + x₁³ from values of f alone (≈ 1e-8
// relative), and from the Jacobian of its gradient (≈ 1e-11 and better),
// which is not symmetrized: a non-symmetric result means grad is not a
// gradient.
func ExampleHessian() {
	f := func(x []float64) float64 { return x[0]*x[0]*x[1] + x[1]*x[1]*x[1] }
	grad := func(dst, x []float64) {
		dst[0] = 2 * x[0] * x[1]
		dst[1] = x[0]*x[0] + 3*x[1]*x[1]
	}
	x := []float64{1, -2}
	h := gradients.Hessian(nil, f, x, nil)
	fmt.Printf("from f:\n%.6g\n", mat.Formatted(h))
	j := gradients.Jacobian(mat.NewDense(2, 2, nil), grad, x, nil)
	fmt.Printf("from the gradient:\n%.6g\n", mat.Formatted(j))
	// Output:
	// from f:
	// ⎡ -4    2⎤
	// ⎣  2  -12⎦
	// from the gradient:
	// ⎡ -4    2⎤
	// ⎣  2  -12⎦
}

// The derivative of a scalar function, and the complex step, which has no
// round-off from subtraction.
func ExampleDerivative() {
	d := gradients.Derivative(math.Exp, 1, &gradients.Settings{Method: gradients.FivePoint})
	fmt.Printf("five-point: %.12g\n", d)
	fmt.Printf("exact:      %.12g\n", math.E)
	// Output:
	// five-point: 2.71828182846
	// exact:      2.71828182846
}
