package generators_test

import (
	"fmt"
	"testing"

	"github.com/gradcheck/gradcheck/generators"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// mseGradientShape is a property a user writes: for any regression dataset,
// the MSE gradient (2/n)·Xᵀ(Xw - y) has the shape of w. A transpose bug
// (X·r instead of Xᵀ·r) panics on most shapes, and on square ones, which
// Shape draws a quarter of the time, gives a wrong vector of the right shape.
func mseGradientShape(t *rapid.T) {
	ds := generators.RegressionData().Draw(t, "data")
	n, d := ds.X.Dims()
	if len(ds.Y) != n || len(ds.W) != d {
		t.Fatalf("X is %d×%d but len(y) = %d, len(w) = %d", n, d, len(ds.Y), len(ds.W))
	}
	var r, g mat.VecDense
	r.MulVec(ds.X, mat.NewVecDense(d, ds.W))
	r.SubVec(&r, mat.NewVecDense(n, ds.Y))
	g.MulVec(ds.X.T(), &r)
	g.ScaleVec(2/float64(n), &g)
	if g.Len() != d {
		t.Fatalf("gradient has length %d, want d = %d", g.Len(), d)
	}
}

// A property test drawing datasets. In a _test.go file:
//
//	func TestMSEGradientShape(t *testing.T) {
//		rapid.Check(t, mseGradientShape)
//	}
//
// On failure rapid reports the shrunk dataset, printed as a Go expression
// (generators.Regression{X: mat.NewDense(…), …}), and a -rapid.seed to
// reproduce it.
func Example() {
	var t *testing.T // the test's *testing.T; this example is not run
	rapid.Check(t, mseGradientShape)
}

// Drawing a shape and sizing other draws from it: rapid.Check passes each
// run a fresh *rapid.T, and every draw is labelled for the failure report.
func ExampleShape() {
	var t *testing.T // the test's *testing.T; this example is not run
	rapid.Check(t, func(t *rapid.T) {
		s := generators.Shape().Draw(t, "shape")
		x := generators.Matrix(s.N, s.D).Draw(t, "X")
		w := generators.Point(s.D).Draw(t, "w")
		var z mat.VecDense
		z.MulVec(x, mat.NewVecDense(s.D, w))
		if z.Len() != s.N {
			t.Fatalf("Xw has length %d, want N = %d", z.Len(), s.N)
		}
	})
}

// Example values are deterministic for a seed: a quick look at what a
// generator produces.
func ExampleRegressionData() {
	ds := generators.RegressionData().Example(3)
	n, d := ds.X.Dims()
	fmt.Printf("X is %d×%d, len(y) = %d, len(w) = %d\n", n, d, len(ds.Y), len(ds.W))
	for i := range n {
		fmt.Printf("x_%d = %.6g\n", i, ds.X.RawRowView(i))
	}
	fmt.Printf("y = %.6g\nw = %.6g\n", ds.Y, ds.W)
	// Output:
	// X is 2×3, len(y) = 2, len(w) = 3
	// x_0 = [0.135226 -0.002 -0.023607]
	// x_1 = [0.0218211 -0.73416 91.0808]
	// y = [10 -0.0873324]
	// w = [9.5625 3.42267 4.1383]
}

func ExampleIllConditionedMatrix() {
	a := generators.IllConditionedMatrix(6, 4, 1e6).Example(1)
	var svd mat.SVD
	svd.Factorize(a, mat.SVDNone)
	fmt.Printf("singular values %.6g\n", svd.Values(nil))
	fmt.Printf("condition number %.6g\n", mat.Cond(a, 2))
	// Output:
	// singular values [1 0.01 0.0001 1e-06]
	// condition number 1e+06
}

// Points are asymmetric: no zero coordinate, no two magnitudes within a
// factor 65/64.
func ExamplePoint() {
	for seed := range 3 {
		fmt.Printf("%.6g\n", generators.Point(4).Example(seed))
	}
	// Output:
	// [0.938745 2.04253 -0.750819 0.687365]
	// [2.31517 -5.76381 9.01019 3.60156]
	// [-0.297276 0.180585 0.1 1.56316]
}

// Extreme logits cluster at the thresholds where naive code breaks.
func ExampleExtremeLogit() {
	for seed := range 6 {
		fmt.Printf("%.6g\n", generators.ExtremeLogit().Example(seed))
	}
	// Output:
	// -16.1181
	// 18.5214
	// 709.783
	// 709.436
	// 709.436
	// 709.783
}

// TestExampleProperty runs the package example's property for real.
func TestExampleProperty(t *testing.T) {
	rapid.Check(t, mseGradientShape)
}
