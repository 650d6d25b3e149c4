package properties

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/gradients"
)

// numericJacobian returns the Jacobian of the vector function f (k outputs)
// at x by central differences with error estimates (4d evaluations of f
// plus 8 for its noise), as a comparison against the analytic values a
// (k×d, row-major). Entries out of tolerance are computed again, a column
// at a time, with Ridders' method.
func (s *session) numericJacobian(f func(dst, x []float64), k int, a []float64, what string) *comparison {
	d := len(s.x)
	jac, est := gradients.JacobianWithError(mat.NewDense(k, d, nil), nil, f, s.x,
		&gradients.Settings{Method: gradients.Central, Workers: s.c.workers})
	cmp := &comparison{property: s.property, rows: k, cols: d, a: a, n: flat(jac), est: flat(est), margin: s.c.margin, what: what}
	cmp.tolerances()
	return cmp
}

// refineColumns recomputes with Ridders' method the columns of cmp's
// numeric matrix that hold an entry out of tolerance, and returns how many
// columns it recomputed.
func (s *session) refineColumns(f func(dst, x []float64), cmp *comparison) int {
	var cols []int
	for _, i := range cmp.bad() {
		if c := i % cmp.cols; !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, j := range cols {
		s.refineColumn(f, cmp, j)
	}
	// Confirm what is still out of tolerance at smaller steps (cross).
	cols = cols[:0]
	for _, i := range cmp.bad() {
		if c := i % cmp.cols; !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, j := range cols {
		n, e := s.column(f, cmp.rows, j, &gradients.Settings{Method: gradients.Ridders, Step: crossStep})
		for r := 0; r < cmp.rows; r++ {
			if i := r*cmp.cols + j; cmp.out(i) {
				cmp.cross(i, n[r], e[r])
			}
		}
	}
	return len(cols)
}

// refineColumn recomputes column j of cmp's numeric matrix with Ridders'
// method: the k outputs of f along coordinate j.
func (s *session) refineColumn(f func(dst, x []float64), cmp *comparison, j int) {
	n, e := s.column(f, cmp.rows, j, nil)
	for r := 0; r < cmp.rows; r++ {
		cmp.n[r*cmp.cols+j], cmp.est[r*cmp.cols+j] = n[r], e[r]
		cmp.retol(r*cmp.cols + j)
	}
}

// column returns the k outputs' derivatives along coordinate j with the
// settings gs, and their error estimates.
func (s *session) column(f func(dst, x []float64), k, j int, gs *gradients.Settings) (n, e []float64) {
	work := make([]float64, len(s.x))
	along := func(dst, t []float64) {
		copy(work, s.x)
		work[j] = t[0]
		f(dst, work)
	}
	col, est := gradients.JacobianWithError(mat.NewDense(k, 1, nil), nil, along, []float64{s.x[j]}, gs)
	return col.RawMatrix().Data, est.RawMatrix().Data
}

// flat returns the entries of m row by row.
func flat(m mat.Matrix) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, m.At(i, j))
		}
	}
	return out
}

// finiteAll reports whether every value is finite.
func finiteAll(v []float64) bool {
	for _, e := range v {
		if math.IsNaN(e) || math.IsInf(e, 0) {
			return false
		}
	}
	return true
}
