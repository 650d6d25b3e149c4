package generators

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// Regression is a linear-regression dataset: X is n×d, Y has length n and
// W, the point at which to check a gradient, has length d (the lab's shapes:
// ŷ = Xw, w of shape (d,), X of shape (n, d)).
type Regression struct {
	X *mat.Dense
	Y []float64
	W []float64
}

// Classification is a binary-classification dataset: X is n×d, Y holds n
// labels in {0, 1} and W, the point at which to check a gradient, has
// length d. The logits are z = Xw.
type Classification struct {
	X *mat.Dense
	Y []float64
	W []float64
}

// Multiclass is a k-class dataset: X is n×d, Y is n×k with one-hot or
// probability rows, and W holds the d×k weight matrix flattened row-major,
// W[i*k+j] = W_ij, so the logits are Z = X·W (n×k). k is Y's column count.
type Multiclass struct {
	X *mat.Dense
	Y *mat.Dense
	W []float64
}

// RegressionData returns a generator of regression datasets of shape
// Shape(). It is RegressionDataOf(Shape()).
func RegressionData() *rapid.Generator[Regression] {
	return RegressionDataOf(Shape())
}

// RegressionDataOf returns a generator of regression datasets whose shape is
// drawn from shape: X entries and Y from Float64 and W from Point. Y is drawn
// independently of X·W, so the residual Xw - y is nonzero (almost surely) and
// a missing constant in a gradient (the 2 of a square, the 1/n of a mean)
// shows instead of multiplying zero.
//
// RegressionDataOf panics if shape is nil; a drawn shape with N < 1 or D < 1
// panics in the property.
func RegressionDataOf(shape *rapid.Generator[Dims]) *rapid.Generator[Regression] {
	mustf(shape != nil, "RegressionDataOf: shape is nil, want a generator")
	return rapid.Custom(func(t *rapid.T) Regression {
		s := drawShape(t, shape, "RegressionDataOf")
		return Regression{
			X: Matrix(s.N, s.D).Draw(t, "X"),
			Y: Vector(s.N).Draw(t, "Y"),
			W: Point(s.D).Draw(t, "W"),
		}
	})
}

// ClassificationData returns a generator of binary-classification datasets
// of shape Shape() with logits from Logit. It is
// ClassificationDataOf(Shape(), Logit()); for stability tests, where every
// logit should be extreme, use ClassificationDataOf(Shape(), ExtremeLogit()).
func ClassificationData() *rapid.Generator[Classification] {
	return ClassificationDataOf(Shape(), Logit())
}

// ClassificationDataOf returns a generator of binary-classification datasets
// whose shape is drawn from shape and whose logits Xw are drawn from logit,
// one per sample. Labels come from Labels01 independently of the logits, so
// confidently right and confidently wrong samples both occur. W comes from
// Point; X starts from Float64 entries and each row x_i is then moved along w
// until x_i·w equals its drawn logit z_i (x_i += (z_i - x_i·w)/‖w‖²·w, twice,
// the second time to correct the rounding of the first), so a recomputed Xw
// matches the drawn logits up to rounding, about d·ε·Σ_j|x_ij·w_j|.
//
// ClassificationDataOf panics if shape or logit is nil; a drawn shape with
// N < 1 or D < 1 panics in the property.
func ClassificationDataOf(shape *rapid.Generator[Dims], logit *rapid.Generator[float64]) *rapid.Generator[Classification] {
	mustf(shape != nil, "ClassificationDataOf: shape is nil, want a generator")
	mustf(logit != nil, "ClassificationDataOf: logit is nil, want a generator")
	return rapid.Custom(func(t *rapid.T) Classification {
		s := drawShape(t, shape, "ClassificationDataOf")
		x := Matrix(s.N, s.D).Draw(t, "X")
		w := Point(s.D).Draw(t, "W")
		z := VectorOf(logit, s.N).Draw(t, "logits")
		y := Labels01(s.N).Draw(t, "Y")
		ww := 0.0
		for _, wj := range w {
			ww += wj * wj
		}
		for i := range s.N {
			row := x.RawRowView(i)
			// The first pass cancels the row's component along w, which
			// costs about ε·Σ_j|x_ij·w_j| of the drawn row; the second
			// corrects that rounding against the moved row.
			for range 2 {
				zi := 0.0
				for j, wj := range w {
					zi += row[j] * wj
				}
				c := (z[i] - zi) / ww
				for j, wj := range w {
					row[j] += c * wj
				}
			}
		}
		return Classification{X: x, Y: y, W: w}
	})
}

// feature draws the X entries of Multiclass datasets: ±|x| spread evenly
// over the decades of [0.01, 1), so that with W from Point (|W_ij| mostly
// below 10) the logits |Z_ij| ≤ Σ_l |x_il|·|W_lj| stay mostly moderate and
// softmax mostly unsaturated: Float64 entries (up to 1e3) would push them
// into the hundreds.
var feature = Float64Decades(-2, 0)

// MulticlassData returns a generator of k-class datasets of shape Shape(),
// with k in 2…5 and one-hot labels. It is
// MulticlassDataOf(Shape(), rapid.IntRange(2, 5), OneHot).
func MulticlassData() *rapid.Generator[Multiclass] {
	return MulticlassDataOf(Shape(), rapid.IntRange(2, 5), OneHot)
}

// MulticlassDataOf returns a generator of multiclass datasets whose shape is
// drawn from shape, class count k from classes and n×k targets from
// targets(n, k): pass OneHot for hard labels or ProbabilityRows for soft
// ones. X entries are ±|x| spread evenly over the decades of [0.01, 1); the
// flattened d×k W comes from Point(d·k), so all its entries differ and a
// transposed or column-major read of W changes the result.
//
// MulticlassDataOf panics if an argument is nil; a drawn shape with N < 1 or
// D < 1, a drawn k < 1 or targets of the wrong shape panic in the property.
func MulticlassDataOf(shape *rapid.Generator[Dims], classes *rapid.Generator[int], targets func(n, k int) *rapid.Generator[*mat.Dense]) *rapid.Generator[Multiclass] {
	mustf(shape != nil, "MulticlassDataOf: shape is nil, want a generator")
	mustf(classes != nil, "MulticlassDataOf: classes is nil, want a generator")
	mustf(targets != nil, "MulticlassDataOf: targets is nil, want a function such as OneHot")
	return rapid.Custom(func(t *rapid.T) Multiclass {
		s := drawShape(t, shape, "MulticlassDataOf")
		k := classes.Draw(t, "k")
		mustf(k >= 1, "MulticlassDataOf: classes drew k = %d, want k ≥ 1", k)
		x := MatrixOf(feature, s.N, s.D).Draw(t, "X")
		w := Point(s.D*k).Draw(t, "W")
		y := targets(s.N, k).Draw(t, "Y")
		r, c := y.Dims()
		mustf(r == s.N && c == k, "MulticlassDataOf: targets(%d, %d) drew a %d×%d matrix, want %d×%d", s.N, k, r, c, s.N, k)
		return Multiclass{X: x, Y: y, W: w}
	})
}

// drawShape draws a dataset shape and checks it can size a gonum matrix.
func drawShape(t *rapid.T, shape *rapid.Generator[Dims], caller string) Dims {
	s := shape.Draw(t, "shape")
	mustf(s.N >= 1 && s.D >= 1, "%s: shape drew N×D = %d×%d, want N ≥ 1 and D ≥ 1", caller, s.N, s.D)
	return s
}

// GoString formats the dataset as a Go expression, so rapid's report of a
// failing draw can be pasted into a regression test.
func (r Regression) GoString() string {
	return fmt.Sprintf("generators.Regression{X: %s, Y: %#v, W: %#v}", DenseGoString(r.X), r.Y, r.W)
}

// GoString formats the dataset as a Go expression, so rapid's report of a
// failing draw can be pasted into a regression test.
func (c Classification) GoString() string {
	return fmt.Sprintf("generators.Classification{X: %s, Y: %#v, W: %#v}", DenseGoString(c.X), c.Y, c.W)
}

// GoString formats the dataset as a Go expression, so rapid's report of a
// failing draw can be pasted into a regression test.
func (m Multiclass) GoString() string {
	return fmt.Sprintf("generators.Multiclass{X: %s, Y: %s, W: %#v}", DenseGoString(m.X), DenseGoString(m.Y), m.W)
}

// DenseGoString formats a as Go source, mat.NewDense(r, c, []float64{…})
// row-major, with every value exact (%#v), so that a failing case can be
// pasted into a test. A nil a gives "nil".
func DenseGoString(a *mat.Dense) string {
	if a == nil {
		return "nil"
	}
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
