package lab

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/gradients"
	"github.com/gradcheck/gradcheck/properties"
)

var taskHessian = &task{
	index:    4,
	num:      "4.1",
	title:    "numerical Hessian (2I for Σw²)",
	funcs:    []string{"NumericalHessian"},
	cases:    hessianCases,
	check:    numericalTask(checkHessian),
	describe: describeHessian,
}

// The functions of task 4.1: the lab's Σw², whose Hessian is 2I, then the
// lab's losses, whose Hessians are full ((2/n)XᵀX) and not constant.
func hessianCases(r *rand.Rand) []*gcase {
	var out []*gcase
	dims := []int{1, 2, 3, 2 + r.IntN(7), 2 + r.IntN(7)}
	for _, d := range dims {
		out = append(out, &gcase{size: d, d: d, w: gridVec(r, d),
			fn: &testFunc{desc: "f(w) = Σwᵢ², gradient 2w (its Hessian is 2I)", f: functions.SumSquares{}.Func, grad: functions.SumSquares{}.Grad}})
	}
	for _, s := range [][2]int{{2, 2}, {3, 2}, {2, 3}, {2 + r.IntN(8), 2 + r.IntN(5)}} {
		n, d := s[0], s[1]
		X, y := gridMat(r, n, d), gridVec(r, n)
		l := &functions.MSE{X: X, Y: y}
		out = append(out, &gcase{size: 100 + size(n, d), n: n, d: d, X: X, y: y, w: gridVec(r, d),
			fn: &testFunc{desc: fmt.Sprintf("f = MSE loss (1/n)‖Xw − y‖², gradient (2/n)Xᵀ(Xw − y), n = %d, d = %d\nX = %s\ny = %s", n, d, fmtMat(X), fmtVec(y)), f: l.Func, grad: l.Grad}})
	}
	for _, s := range [][2]int{{3, 2}, {3 + r.IntN(8), 2 + r.IntN(5)}} {
		n, d := s[0], s[1]
		c := &gcase{size: 200 + size(n, d), n: n, d: d, X: gridMat(r, n, d), y: labels(r, n), w: gridVec(r, d)}
		scaleTo(c.X, c.w, 3)
		l := &functions.Logistic{X: c.X, Y: c.y}
		c.fn = &testFunc{desc: fmt.Sprintf("f = binary cross-entropy, gradient (1/n)Xᵀ(σ(Xw) − y), n = %d, d = %d\nX = %s\ny = %s", n, d, fmtMat(c.X), fmtVec(c.y)), f: l.Func, grad: l.Grad}
		out = append(out, c)
	}
	return out
}

func describeHessian(c *gcase) string {
	return fmt.Sprintf("d = %d: %s\nat w = %s, eps = %g", c.d, c.fn.desc, fmtVec(c.w), labEps)
}

func checkHessian(t Tasks, c *gcase) verdict {
	const fn = "NumericalHessian"
	// The learner's grad returns a new slice, as their gradients do.
	g := func(w []float64) []float64 {
		dst := make([]float64, len(w))
		c.fn.grad(dst, w)
		return dst
	}
	jac := func(dst *mat.Dense, w []float64) {
		defer guard(fn)
		putMat(fn, dst, t.NumericalHessian(g, w, labEps))
	}
	// The Hessian is the Jacobian of the gradient (the lab's "numerical
	// gradient of each gradient component"): checking it as one compares
	// all d×d entries, symmetric or not, which CheckHessian's *SymDense
	// would not hold.
	err := properties.CheckJacobian(c.fn.grad, jac, c.w, &properties.Settings{Outputs: c.d, Margin: numericMargin})
	v, done := explainHessian(c).verdict(err)
	if done {
		return v
	}
	var got *mat.Dense
	if call(fn, func() { got = t.NumericalHessian(g, slices.Clone(c.w), labEps) }) != nil || got == nil {
		return v
	}
	if r, cc := got.Dims(); r != c.d || cc != c.d {
		return v
	}
	right := gradients.Jacobian(mat.NewDense(c.d, c.d, nil), c.fn.grad, c.w, nil)
	return refine(v, matchCandidate(flat(got), flat(right), hessianBank(c, g, right)))
}
func explainHessian(c *gcase) explain {
	d := c.d
	return explain{
		what:    "Hessian",
		fn:      "NumericalHessian",
		formula: "H[i][j] = (gᵢ(w + eps·eⱼ) − gᵢ(w − eps·eⱼ)) / (2·eps): column j from moving wⱼ, d×d (2I for Σw²)",
		factors: func(f float64) (string, int) {
			return nameFactor(f, []factorName{
				{2, "did you divide by eps instead of 2·eps?"},
				{0.5, "for Σw² the Hessian is 2I, not I (the second derivative of wᵢ² is 2); or did you divide by 4·eps, or subtract g(w) where g(w − eps·eⱼ) belongs?"},
			})
		},
		sign: "is the difference reversed? H[i][j] = (gᵢ(w + eps·eⱼ) − gᵢ(w − eps·eⱼ)) / (2·eps)",
		panics: func(msg string) string {
			switch {
			case containsAny(msg, "len(w)", "len(dst)"):
				return fmt.Sprintf("grad was called with a vector of the wrong length: pass it w with one coordinate moved, length d = %d", d)
			case containsAny(msg, "index out of range"):
				return fmt.Sprintf("an index past the end: H is d×d with d = len(w) = %d, and grad(w) has d entries", d)
			}
			return ""
		},
		shape: func(e shapeError) string {
			return fmt.Sprintf("the Hessian is d×d, d = len(w) = %d: one row per gradient entry, one column per coordinate of w", d)
		},
	}
}

// hessianBank returns the typical wrong answers of task 4.1; right is the
// Hessian.
func hessianBank(c *gcase, g func([]float64) []float64, right *mat.Dense) []candidate {
	d := c.d
	forward, half, diag, one, two := mat.NewDense(d, d, nil), mat.NewDense(d, d, nil), mat.NewDense(d, d, nil), mat.NewDense(d, d, nil), mat.NewDense(d, d, nil)
	g0 := g(c.w)
	for j := range d {
		v := slices.Clone(c.w)
		v[j] += labEps
		gj := g(v)
		for i := range d {
			forward.Set(i, j, (gj[i]-g0[i])/labEps)
			half.Set(i, j, (gj[i]-g0[i])/(2*labEps))
		}
		diag.Set(j, j, right.At(j, j))
		one.Set(j, j, 1)
		two.Set(j, j, 2)
	}
	return []candidate{
		{flat(one), "the Hessian of Σw² is 2I: the second derivative of wᵢ² is 2, not 1 — and compute it from grad, not by hand"},
		{flat(two), "you return 2I whatever grad is: that is the Hessian of Σw² only; compute H from grad by central differences"},
		{flat(diag), "only the diagonal is filled: H[i][j] = ∂gᵢ/∂wⱼ for every pair (i, j), not only i = j — move each wⱼ and record every entry of the gradient"},
		{flat(half), "you divide by 2·eps but take g(w + eps·eⱼ) − g(w): the central difference subtracts g(w − eps·eⱼ), not g(w)"},
		{flat(forward), "you used the forward difference (g(w + eps·eⱼ) − g(w)) / eps: error O(eps); the central difference (g(w + eps·eⱼ) − g(w − eps·eⱼ)) / (2·eps) has error O(eps²) (exact for the quadratic Σw², not for a loss like the cross-entropy)"},
	}
}

// flat returns the entries of m row by row.
func flat(m *mat.Dense) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := range r {
		out = append(out, m.RawRowView(i)...)
	}
	return out
}
