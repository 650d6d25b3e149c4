package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
)

var taskMSE = &task{
	index:    2,
	num:      "2.1",
	title:    "MSE gradient of a linear model",
	funcs:    []string{"MSEGrad"},
	cases:    dataCases(false),
	check:    checkMSE,
	describe: describeData,
}

// dataCases returns the cases of a task on data X, y, w: every shape of
// shapes, with labels in {0, 1} for logistic, targets on the grid
// otherwise, and w scaled to moderate logits (|z| ≤ 8) for logistic.
func dataCases(logistic bool) func(r *rand.Rand) []*gcase {
	return func(r *rand.Rand) []*gcase {
		var out []*gcase
		for _, s := range shapes(r, 12, 8) {
			n, d := s[0], s[1]
			c := &gcase{size: 2 * size(n, d), n: n, d: d, X: gridMat(r, n, d), w: gridVec(r, d)}
			if logistic {
				c.y = labels(r, n)
				if maxAbs(logits(c.X, c.w)) > 8 {
					scaleTo(c.X, c.w, 8)
				}
			} else {
				c.y = gridVec(r, n)
				// No residual exactly 0, which grid data make likely at
				// n = 1: at an exact zero of the loss the checker's noise
				// estimate, relative to f = 0, is too tight for round-off
				// in Xw − y (a false alarm seen once per thousand seeds).
				z := logits(c.X, c.w)
				for i := range c.y {
					if math.Abs(z[i]-c.y[i]) < 0.05 {
						c.y[i] += 0.25
					}
				}
			}
			out = append(out, c)
		}
		return out
	}
}

func describeData(c *gcase) string {
	return fmt.Sprintf("%s\nX = %s\ny = %s\nw = %s", shapeWords("n", "d", c.n, c.d), fmtMat(c.X), fmtVec(c.y), fmtVec(c.w))
}

func checkMSE(t Tasks, c *gcase) verdict {
	const fn = "MSEGrad"
	l := &functions.MSE{X: c.X, Y: c.y}
	grad := func(dst, w []float64) {
		defer guard(fn)
		putVec(fn, dst, t.MSEGrad(mat.DenseCopyOf(c.X), slices.Clone(c.y), w))
	}
	err := properties.CheckGradient(l.Func, grad, c.w, nil)
	v, done := explainMSE(c.n, c.d).verdict(err)
	if done {
		return v
	}
	var got []float64
	if call(fn, func() { got = t.MSEGrad(mat.DenseCopyOf(c.X), slices.Clone(c.y), slices.Clone(c.w)) }) != nil {
		return v
	}
	r := logits(c.X, c.w)
	for i := range r {
		r[i] -= c.y[i]
	}
	if h := perSample(got, r, "Xw − y", c.n, c.d, "∇L = (2/n)·Xᵀ(Xw − y)"); h != "" {
		v.hint, v.rank = prefixed(fn, h), rankSpecific
		return v
	}
	right := make([]float64, c.d)
	l.Grad(right, c.w)
	return refine(v, matchCandidate(got, right, mseBank(c)))
}

func explainMSE(n, d int) explain {
	fn, nf := float64(n), float64(n)
	names := []factorName{
		{0.5, "did you drop the 2 of the square?"},
		{2, "an extra 2? The 2 of the square appears once: (2/n)Xᵀ(Xw − y)"},
		{nf, fmt.Sprintf("did you forget the 1/n of the mean (n = %d samples)?", n)},
		{nf / 2, "did you drop both the 2 of the square and the 1/n of the mean?"},
		{1 / nf, "an extra 1/n: did you divide by n twice?"},
	}
	if n != d {
		names = append(names, factorName{fn / float64(d), fmt.Sprintf("did you divide by d = %d (features) instead of n = %d (samples)?", d, n)})
	}
	return explain{
		what:    "gradient",
		fn:      "MSEGrad",
		formula: "∇L = (2/n)·Xᵀ(Xw − y), with d entries",
		factors: func(c float64) (string, int) { return nameFactor(c, names) },
		sign:    "did you compute the residual as y − Xw? With L = (1/n)‖Xw − y‖² it is r = Xw − y, and ∇L = (2/n)Xᵀr",
		panics:  dataPanics,
		shape: func(e shapeError) string {
			if e.rows == n && n != d {
				return fmt.Sprintf("X where Xᵀ belongs? Xr has n = %d entries, the gradient Xᵀr has d = %d, one per weight", n, d)
			}
			return fmt.Sprintf("the gradient has one entry per weight: d = %d", d)
		},
	}
}

// dataPanics explains the panics of the tasks on data X (n×d).
func dataPanics(msg string) string {
	switch {
	case containsAny(msg, "dimension mismatch"):
		return "a product of matrices whose shapes do not fit: X where Xᵀ belongs? X is n×d and r = Xw − y has n entries, so the gradient is Xᵀr, with d entries, one per weight"
	case containsAny(msg, "index out of range"):
		return "an index past the end: loop i over the n samples (rows of X, entries of y) and j over the d features (columns of X, entries of w); the gradient has d entries"
	}
	return ""
}

// mseBank returns the typical wrong answers of task 2.1.
func mseBank(c *gcase) []candidate {
	n := float64(c.n)
	r := logits(c.X, c.w)
	for i := range r {
		r[i] -= c.y[i]
	}
	var out []candidate
	if c.n == c.d {
		out = append(out, candidate{affine(c.X, r, 2/n, false),
			"X where Xᵀ belongs? The gradient is (2/n)·Xᵀ(Xw − y); with n = d the shapes fit, so only the values are wrong (with n ≠ d it would not even compute)"})
	}
	out = append(out, candidate{affine(c.X, logits(c.X, c.w), 2/n, true),
		"y is missing: the residual is r = Xw − y, and ∇L = (2/n)·Xᵀr"})
	return out
}
