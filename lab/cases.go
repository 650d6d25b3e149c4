package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// A gcase is one graded case: shapes, data and the point.
type gcase struct {
	size    int  // the order cases are tried in: smallest first
	extreme bool // logits beyond the moderate range (tasks 3.1 and 5.1)
	n, d, k int
	X       *mat.Dense // n×d data (tasks 2.1, 3.1, 4.1), or A, k×d (task 5.1)
	y       []float64
	w       []float64 // the point: w, or x for task 5.1
	fn      *testFunc // the function (tasks 1.1 and 4.1)
}

// A testFunc is a function with its exact gradient, described for reports.
type testFunc struct {
	desc string
	f    func(w []float64) float64
	grad func(dst, w []float64)
}

// gridVal draws a value from {−2, −1.9, …, 2}: short to print, and random
// enough that no symmetry hides an index bug (STYLE.md: asymmetric points).
func gridVal(r *rand.Rand) float64 { return float64(r.IntN(41)-20) / 10 }

func gridVec(r *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = gridVal(r)
	}
	return v
}

// gridMat draws an n×d matrix of grid values with no zero in its first row,
// so that every coordinate of w matters.
func gridMat(r *rand.Rand, n, d int) *mat.Dense {
	m := mat.NewDense(n, d, gridVec(r, n*d))
	for j := range d {
		if m.At(0, j) == 0 {
			m.Set(0, j, 0.5)
		}
	}
	return m
}

func labels(r *rand.Rand, n int) []float64 {
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(r.IntN(2))
	}
	return y
}

// shapes returns the (rows, cols) of a task's cases: every small shape,
// then random ones, half square (n = d, where X and Xᵀ have the same shape
// and a transpose bug computes without a panic) and half not.
func shapes(r *rand.Rand, maxRows, maxCols int) [][2]int {
	s := [][2]int{{1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 2}, {2, 3}, {3, 3}}
	for range 3 {
		n := 2 + r.IntN(min(maxRows, maxCols)-1)
		s = append(s, [2]int{n, n})
	}
	for range 3 {
		n, d := 1+r.IntN(maxRows), 1+r.IntN(maxCols)
		if n == d {
			n++
		}
		s = append(s, [2]int{n, d})
	}
	return s
}

func size(n, d int) int { return n*d + n + d }

// logits returns Xw.
func logits(X *mat.Dense, w []float64) []float64 {
	n, _ := X.Dims()
	z := make([]float64, n)
	mat.NewVecDense(n, z).MulVec(X, mat.NewVecDense(len(w), w))
	return z
}

// maxAbs returns the largest |vᵢ|, 0 for an empty v.
func maxAbs(v []float64) float64 { return floats.Norm(v, math.Inf(1)) }

// scaleTo scales w so that the logit of Xw largest in magnitude is target
// (either sign).
func scaleTo(X *mat.Dense, w []float64, target float64) {
	z := logits(X, w)
	j := 0
	for i := range z {
		if math.Abs(z[i]) > math.Abs(z[j]) {
			j = i
		}
	}
	if math.Abs(z[j]) < 0.01 {
		// w nearly orthogonal to every row: take the first row, whose
		// logit is then ‖X₀‖² ≥ 0.01 (gridMat leaves no zero in it).
		copy(w, X.RawRowView(0))
		z, j = logits(X, w), 0
	}
	for i := range w {
		w[i] *= target / z[j]
	}
}

// Formatting of data in reports: %.4g, at most maxShown entries.
const maxShown = 8

func fmtVec(v []float64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range v {
		if i == maxShown {
			fmt.Fprintf(&b, " … (%d entries)", len(v))
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.4g", e)
	}
	b.WriteByte(']')
	return b.String()
}

func fmtMat(m *mat.Dense) string {
	if m == nil {
		return "nil"
	}
	r, _ := m.Dims()
	var b strings.Builder
	b.WriteByte('[')
	for i := range r {
		if i == maxShown {
			fmt.Fprintf(&b, " … (%d rows)", r)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(fmtVec(m.RawRowView(i)))
	}
	b.WriteByte(']')
	return b.String()
}

// shapeWords says whether a shape is square, which matters to transpose
// bugs.
func shapeWords(rows, cols string, a, b int) string {
	rel := "≠"
	if a == b {
		rel = "="
	}
	return fmt.Sprintf("%s = %d, %s = %d (%s %s %s)", rows, a, cols, b, rows, rel, cols)
}
