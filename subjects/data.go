package subjects

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/generators"
	"github.com/gradcheck/gradcheck/properties"
)

// maxSize bounds n, d and k of drawn data: the bugs show at any size, and
// small cases are quick to check and to read once shrunk.
const maxSize = 8

// Generator returns a generator of data for the subject that meets needs,
// built from package generators: shapes that include n = 1, d = 1 and
// n == d, values spread over decades, labels independent of the logits,
// and, where asked, extreme logits.
func Generator(subject Subject, needs Needs) *rapid.Generator[Data] {
	return rapid.Custom(func(t *rapid.T) Data {
		dims := drawDims(t, needs)
		d := Data{Subject: subject}
		switch subject {
		case SumSquares, Sigmoid, Softmax:
			d.W = generators.Point(dims.D).Draw(t, "w")
		case MSE:
			r := generators.RegressionDataOf(rapid.Just(dims)).Draw(t, "regression")
			d.X, d.Y, d.W = r.X, r.Y, r.W
		case Logistic:
			logit := generators.Logit()
			switch {
			case needs.Extreme || needs.ExtremeBeyond40:
				logit = generators.ExtremeLogit()
			case needs.Moderate:
				logit = generators.Float64Decades(-3, 1)
			}
			c := generators.ClassificationDataOf(rapid.Just(dims), logit).Draw(t, "classification")
			d.X, d.Y, d.W = c.X, c.Y, c.W
			if needs.ExtremeBeyond40 {
				confidentlyWrong(&d)
			}
		case SoftmaxCrossEntropy:
			k := rapid.IntRange(max(2, needs.MinK), 4).Draw(t, "k")
			m := generators.MulticlassDataOf(rapid.Just(dims), rapid.Just(k), generators.OneHot).Draw(t, "multiclass")
			d.X, d.T, d.W = m.X, m.Y, m.W
		case Linear:
			// For Linear, "n" is the number of outputs k.
			d.A = generators.Matrix(dims.N, dims.D).Draw(t, "A")
			d.W = generators.Point(dims.D).Draw(t, "x")
		default:
			panic(fmt.Sprintf("subjects: unknown subject %q", subject))
		}
		if needs.L2 {
			d.L2 = generators.Float64Decades(-2, 0).Draw(t, "λ")
			if d.L2 < 0 {
				d.L2 = -d.L2
			}
		}
		return d
	})
}

// drawDims draws the shape (n, d) — for Linear (k, d) — that needs allow.
func drawDims(t *rapid.T, needs Needs) generators.Dims {
	minN, minD := max(1, needs.MinN, needs.MinK), max(1, needs.MinD)
	s := generators.ShapeRange(minN, maxSize, minD, maxSize).Draw(t, "shape")
	switch {
	case needs.Square:
		s.D = max(s.N, minD)
		s.N = s.D
	case needs.NotSquare && s.N == s.D:
		// Move the larger-than-minimum side, so both minimums still hold.
		if s.D < maxSize {
			s.D++
		} else {
			s.N--
		}
	}
	return s
}

// confidentlyWrong makes the sample of largest |z| a confidently wrong one
// with z ≥ 40.5: its row is flipped and scaled so that z = Xw is at least
// 40.5, and its label set to 0. There σ(z) rounds to 1 and a naive
// log(1 − σ(z)) is log(0) (NUMERICS.md: from z ≈ 36.7).
func confidentlyWrong(d *Data) {
	n, _ := d.X.Dims()
	z := make([]float64, n)
	mat.NewVecDense(n, z).MulVec(d.X, mat.NewVecDense(len(d.W), d.W))
	i := 0
	for j := range z {
		if math.Abs(z[j]) > math.Abs(z[i]) {
			i = j
		}
	}
	c := 1.0
	if z[i] < 0 {
		c = -1
	}
	if math.Abs(z[i]) < 40.5 {
		c *= 40.5 / math.Abs(z[i])
	}
	row := d.X.RawRowView(i)
	for j := range row {
		row[j] *= c
	}
	d.Y[i] = 0
}

// Correct returns the subject's correct problem on the data: the built-in
// loss or map of package gradients.
func Correct(d Data) properties.Problem {
	switch d.Subject {
	case SumSquares:
		l := functions.SumSquares{}
		return properties.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}
	case MSE:
		l := &functions.MSE{X: d.X, Y: d.Y, L2: d.L2}
		return properties.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}
	case Logistic:
		l := &functions.Logistic{X: d.X, Y: d.Y, L2: d.L2}
		return properties.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}
	case SoftmaxCrossEntropy:
		l := &functions.SoftmaxCrossEntropy{X: d.X, Y: d.T, L2: d.L2}
		return properties.Problem{Func: l.Func, Grad: l.Grad, Hess: l.Hess}
	case Sigmoid:
		m := functions.Sigmoid{}
		return properties.Problem{Apply: m.Apply, Jacobian: m.Jacobian}
	case Softmax:
		m := functions.Softmax{}
		return properties.Problem{Apply: m.Apply, Jacobian: m.Jacobian}
	case Linear:
		m := functions.Linear{A: d.A}
		return properties.Problem{Apply: m.Apply, Jacobian: m.Jacobian}
	}
	panic(fmt.Sprintf("subjects: unknown subject %q", d.Subject))
}
