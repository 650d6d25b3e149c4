package mutants

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// Subjects are the built-in losses and maps the mutants are wrong versions
// of.
const (
	SumSquares          = "SumSquares"
	MSE                 = "MSE"
	Logistic            = "Logistic"
	SoftmaxCrossEntropy = "SoftmaxCrossEntropy"
	Sigmoid             = "Sigmoid"
	Softmax             = "Softmax"
	Linear              = "Linear"
)

// Subjects returns every subject, losses first.
func Subjects() []string {
	return []string{SumSquares, MSE, Logistic, SoftmaxCrossEntropy, Sigmoid, Softmax, Linear}
}

// Data is one draw of data for a subject. Which fields are set depends on
// the subject: X and Y for MSE and Logistic (Y of 0/1 labels), X and T for
// SoftmaxCrossEntropy, A for Linear; W is always the point of the check.
type Data struct {
	Subject string
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
	fmt.Fprintf(&b, "mutants.Data{Subject: %q", d.Subject)
	for _, m := range []struct {
		name string
		a    *mat.Dense
	}{{"X", d.X}, {"T", d.T}, {"A", d.A}} {
		if m.a != nil {
			fmt.Fprintf(&b, ", %s: %s", m.name, denseGoString(m.a))
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

// denseGoString formats a as mat.NewDense(r, c, []float64{…}), row-major.
func denseGoString(a *mat.Dense) string {
	r, c := a.Dims()
	var b strings.Builder
	fmt.Fprintf(&b, "mat.NewDense(%d, %d, []float64{", r, c)
	for i := range r {
		for j := range c {
			if i+j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%#v", a.At(i, j))
		}
	}
	b.WriteString("})")
	return b.String()
}

// Needs are the conditions under which a mutant's bug can show: a missing
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

// A Mutant is a deliberately wrong derivative of a subject.
type Mutant struct {
	// Name identifies the mutant: "mse/missing-2".
	Name string
	// Class is the lab's bug class: "missing constant", "shape",
	// "sign", "stability", "off-by-one", "small error", "wrong formula",
	// "not a gradient field", "side effect".
	Class string
	// Subject is the loss or map it is a wrong version of.
	Subject string
	// Property is the check that catches it: "gradient", "hessian",
	// "symmetry" or "jacobian".
	Property string
	// Want is the Kind the check should diagnose.
	Want properties.Kind
	// Accept lists other Kinds that are right on some data, with the reason
	// in Doc: a dropped sample whose row has entries near zero leaves those
	// coordinates right, so "partial" is as true as "mismatch" there.
	Accept []properties.Kind
	// Needs are the conditions the data must meet for the bug to show.
	Needs Needs
	// Doc says what the bug is, in the lab's terms.
	Doc string
	// Build returns the wrong problem on the data: the subject's correct
	// functions with the one under test replaced.
	Build func(Data) properties.Problem
}

// All returns the corpus, ordered by subject.
func All() []Mutant {
	var out []Mutant
	out = append(out, sumSquaresMutants()...)
	out = append(out, mseMutants()...)
	out = append(out, logisticMutants()...)
	out = append(out, softmaxCEMutants()...)
	out = append(out, mapMutants()...)
	out = append(out, misbehaveMutants()...)
	return out
}

// ByName returns the mutant with the given name.
func ByName(name string) (Mutant, bool) {
	for _, m := range All() {
		if m.Name == name {
			return m, true
		}
	}
	return Mutant{}, false
}

// Right reports whether k is a right diagnosis of the mutant: its label
// Want, or one of Accept.
func (m Mutant) Right(k properties.Kind) bool {
	if k == m.Want {
		return true
	}
	for _, a := range m.Accept {
		if k == a {
			return true
		}
	}
	return false
}

// Check runs the mutant's property check on data and returns the report.
func (m Mutant) Check(d Data, s *properties.Settings) *properties.Report {
	return m.Build(d).Report(m.Property, d.W, s)
}
