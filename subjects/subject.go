package subjects

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/generators"
)

// A Subject is one of the built-in losses and maps of package functions.
type Subject string

// The subjects, named after their types in package functions.
const (
	SumSquares          Subject = "SumSquares"
	MSE                 Subject = "MSE"
	Logistic            Subject = "Logistic"
	SoftmaxCrossEntropy Subject = "SoftmaxCrossEntropy"
	Sigmoid             Subject = "Sigmoid"
	Softmax             Subject = "Softmax"
	Linear              Subject = "Linear"
)

// All returns every subject, losses first.
func All() []Subject {
	return []Subject{SumSquares, MSE, Logistic, SoftmaxCrossEntropy, Sigmoid, Softmax, Linear}
}

// Losses returns the subjects that are losses (Func, Grad, Hess).
func Losses() []Subject { return []Subject{SumSquares, MSE, Logistic, SoftmaxCrossEntropy} }

// Maps returns the subjects that are maps (Apply, Jacobian).
func Maps() []Subject { return []Subject{Sigmoid, Softmax, Linear} }

// String returns the subject's name.
func (s Subject) String() string { return string(s) }

// Data is one draw of data for a subject. Which fields are set depends on
// the subject: X and Y for MSE and Logistic (Y of 0/1 labels), X and T for
// SoftmaxCrossEntropy, A for Linear; W is always the point of the check.
type Data struct {
	Subject Subject
	X       *mat.Dense // n×d design matrix
	Y       []float64  // n targets, or labels in {0, 1}
	T       *mat.Dense // n×k one-hot targets
	A       *mat.Dense // k×d matrix of Linear
	L2      float64    // λ of the (λ/2)‖w‖² term, 0 for none
	W       []float64  // the point: d entries (d·k for SoftmaxCrossEntropy, row-major)
}

// N, D and K return the data's sizes: samples, features, classes or outputs.
func (d Data) N() int {
	if d.X == nil {
		return 0
	}
	n, _ := d.X.Dims()
	return n
}

// D returns the number of features, or of inputs of a map.
func (d Data) D() int {
	switch {
	case d.X != nil:
		_, c := d.X.Dims()
		return c
	case d.A != nil:
		_, c := d.A.Dims()
		return c
	}
	return len(d.W)
}

// K returns the number of classes (SoftmaxCrossEntropy) or outputs (Linear),
// else 0.
func (d Data) K() int {
	switch {
	case d.T != nil:
		_, k := d.T.Dims()
		return k
	case d.A != nil:
		k, _ := d.A.Dims()
		return k
	}
	return 0
}

// String describes the data briefly: subject and shapes.
func (d Data) String() string {
	s := fmt.Sprintf("%s d=%d", d.Subject, d.D())
	if d.X != nil {
		s = fmt.Sprintf("%s n=%d d=%d", d.Subject, d.N(), d.D())
	}
	if k := d.K(); k > 0 {
		s += fmt.Sprintf(" k=%d", k)
	}
	if d.L2 != 0 {
		s += fmt.Sprintf(" λ=%.3g", d.L2)
	}
	return s
}

// GoString formats the data as a Go expression with every value, so that
// rapid's report of a failing draw shows the matrices (not their
// addresses) and can be pasted into a regression test.
func (d Data) GoString() string {
	var b strings.Builder
	fmt.Fprintf(&b, "subjects.Data{Subject: subjects.%s", d.Subject)
	for _, m := range []struct {
		name string
		a    *mat.Dense
	}{{"X", d.X}, {"T", d.T}, {"A", d.A}} {
		if m.a != nil {
			fmt.Fprintf(&b, ", %s: %s", m.name, generators.DenseGoString(m.a))
		}
	}
	if d.Y != nil {
		fmt.Fprintf(&b, ", Y: %#v", d.Y)
	}
	if d.L2 != 0 {
		fmt.Fprintf(&b, ", L2: %#v", d.L2)
	}
	fmt.Fprintf(&b, ", W: %#v}", d.W)
	return b.String()
}

// Needs are conditions on the data under which a bug can show: a missing
// 1/n needs n ≥ 2, X where Xᵀ belongs is silent only when n == d, clipping
// needs logits beyond 16.
type Needs struct {
	MinN, MinD, MinK int
	// Square asks for n == d (for Linear: k == d); NotSquare for n ≠ d.
	Square, NotSquare bool
	// Extreme asks for logits from generators.ExtremeLogit, mostly beyond
	// the clipping threshold |z| ≈ 16 (Logistic); ExtremeBeyond40 for a
	// confidently wrong sample with z ≥ 40.5, where σ rounds to 1.
	Extreme, ExtremeBeyond40 bool
	// Moderate asks for logits of moderate size only, |z| < 10 (Logistic):
	// at extreme logits a sample's weight p(1−p) or residual σ(z) − y can
	// be too small for its bug to show.
	Moderate bool
	// L2 asks for a nonzero λ.
	L2 bool
}
