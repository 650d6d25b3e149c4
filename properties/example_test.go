package properties_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
)

// A gradient with the lab's most common bug: the 2 of the square dropped.
// The check says what kind of bug it is and by which factor.
func ExampleCheckGradient() {
	f := func(x []float64) float64 { return x[0]*x[0] + 3*x[1]*x[1] } // x₀² + 3x₁²
	right := func(g, x []float64) { g[0], g[1] = 2*x[0], 6*x[1] }
	wrong := func(g, x []float64) { g[0], g[1] = x[0], 3*x[1] } // the 2 is missing
	x := []float64{0.7, -1.3}

	fmt.Println(properties.CheckGradient(f, right, x, nil))

	err := properties.CheckGradient(f, wrong, x, nil)
	var fail *properties.Failure
	if errors.As(err, &fail) {
		fmt.Printf("%s, factor %.4g\n", fail.Kind, fail.Factor)
	}
	fmt.Println(errors.Is(err, properties.ConstantFactor))
	// Output:
	// <nil>
	// constant-factor, factor 0.5
	// true
}

// A check has three outcomes, and one line tells each apart: nil is a
// pass, errors.Is(err, Bug) a verdict against the derivative, and
// otherwise errors.Is(err, NoVerdict) says the check could not decide at x
// (here a kink of |x₁| at x₁ = 0, where no derivative exists to check).
// A test that fails on bugs only, as Run does, tests errors.Is(err, Bug).
func Example_outcomes() {
	f := func(x []float64) float64 { return x[0]*x[0] + math.Abs(x[1]) }
	right := func(g, x []float64) { g[0], g[1] = 2*x[0], math.Copysign(1, x[1]) }
	wrong := func(g, x []float64) { g[0], g[1] = x[0], math.Copysign(1, x[1]) } // the 2 is missing
	outcome := func(err error) string {
		switch {
		case err == nil:
			return "pass"
		case errors.Is(err, properties.Bug):
			return "bug"
		case errors.Is(err, properties.NoVerdict):
			return "no verdict"
		}
		return "unreachable"
	}
	fmt.Println(outcome(properties.CheckGradient(f, right, []float64{0.7, -1.3}, nil)))
	fmt.Println(outcome(properties.CheckGradient(f, wrong, []float64{0.7, -1.3}, nil)))
	fmt.Println(outcome(properties.CheckGradient(f, right, []float64{0.7, 0}, nil)))
	// Output:
	// pass
	// bug
	// no verdict
}

// GradientReport returns the figures behind the verdict. Where round-off
// in f hides the gradient — a value of 30 moving by 1e-12 per unit step —
// even a gradient off by 2× cannot be told from a right one: the check
// claims neither a bug nor a pass but no verdict (Unresolved) on that
// entry; the second, 0 at a stationary point, is 0 beside it. The report
// counts both as inconclusive at the first numeric value. Where f moves
// visibly along the second coordinate, its 2× is found; the first entry's
// error, 1e-12 against a gradient of size 6, is below what any check can
// resolve, and negligible beside the second.
func ExampleGradientReport() {
	f := func(x []float64) float64 { return 30 + 1e-12*x[0] + x[1]*x[1] }
	wrong := func(g, x []float64) { g[0], g[1] = 2e-12, 4*x[1] } // both entries 2×

	r := properties.GradientReport(f, wrong, []float64{0.5, 0}, nil)
	fmt.Println("at x₁ = 0:", errors.Is(r.Err, properties.NoVerdict), errors.Is(r.Err, properties.Bug), r.PerEntry[0].Verdict, "| inconclusive entries:", r.Inconclusive)

	r = properties.GradientReport(f, wrong, []float64{0.5, 1.5}, nil)
	var fail *properties.Failure
	errors.As(r.Err, &fail)
	fmt.Println("at x₁ = 1.5:", fail.Kind, "at entry", fail.Row, "| inconclusive entries:", r.Inconclusive)
	// Output:
	// at x₁ = 0: true false no verdict | inconclusive entries: 2
	// at x₁ = 1.5: partial at entry 1 | inconclusive entries: 0
}

// Run checks every property a problem allows, each as a subtest: here the
// gradient, Taylor, symmetry and Hessian properties of an MSE loss.
// (Rename to TestMSE(t *testing.T) to make it a test.)
func ExampleRun() {
	var t *testing.T
	loss := &functions.MSE{X: matrix(3, 2, []float64{1, 2, 3, 4, 5, 7}), Y: []float64{1, 0, 2}}
	properties.Run(t, properties.Problem{Func: loss.Func, Grad: loss.Grad, Hess: loss.Hess}, []float64{0.3, -0.8}, nil)
}

// Verify works inside rapid.Check, whose *rapid.T has no subtests: rapid
// draws the data and the point, shrinks a failure to a minimal case, and
// prints the seed that replays it. (Rename to TestMSEProperties(t
// *testing.T) to make it a test.)
func ExampleVerify() {
	var t *testing.T
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(rt, "n")
		d := rapid.IntRange(1, 4).Draw(rt, "d")
		entries := rapid.SliceOfN(rapid.Float64Range(-3, 3), n*d, n*d).Draw(rt, "X")
		y := rapid.SliceOfN(rapid.Float64Range(-3, 3), n, n).Draw(rt, "y")
		w := rapid.SliceOfN(rapid.Float64Range(-3, 3), d, d).Draw(rt, "w")
		loss := &functions.MSE{X: matrix(n, d, entries), Y: y}
		properties.Verify(rt, properties.Problem{Func: loss.Func, Grad: loss.Grad, Hess: loss.Hess}, w, nil)
	})
}
