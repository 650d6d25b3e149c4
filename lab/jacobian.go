package lab

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
)

var taskJacobian = &task{
	index:    5,
	num:      "5.1",
	title:    "Jacobian of softmax(Ax), k×d",
	funcs:    []string{"SoftmaxJacobian"},
	region:   "large logits (|Ax| > 709, where exp overflows)",
	cases:    jacobianCases,
	check:    checkJacobian,
	describe: describeJacobian,
}

// jacobianCases draws A (k×d) and x for every shape (k = d included, where
// a transposed Jacobian has the right shape), with moderate logits Ax
// (|Ax| ≤ 6), then a few with logits of 800, where a softmax that does not
// subtract the maximum overflows.
func jacobianCases(r *rand.Rand) []*gcase {
	var out []*gcase
	for _, s := range shapes(r, 8, 8) {
		k, d := s[0], s[1]
		c := &gcase{size: 2 * size(k, d), k: k, d: d, X: gridMat(r, k, d), w: gridVec(r, d)}
		if maxAbs(logits(c.X, c.w)) > 6 {
			scaleTo(c.X, c.w, 6)
		}
		out = append(out, c)
	}
	for _, s := range [][2]int{{2, 1}, {2, 2}, {3, 2}, {2 + r.IntN(5), 1 + r.IntN(5)}} {
		k, d := s[0], s[1]
		c := &gcase{size: 2*size(k, d) + 1, extreme: true, k: k, d: d, X: gridMat(r, k, d), w: gridVec(r, d)}
		scaleTo(c.X, c.w, 800)
		out = append(out, c)
	}
	return out
}

func describeJacobian(c *gcase) string {
	return fmt.Sprintf("%s\nA = %s\nx = %s\nlogits z = Ax = %s", shapeWords("k", "d", c.k, c.d), fmtMat(c.X), fmtVec(c.w), fmtVec(logits(c.X, c.w)))
}

// softmaxLayer returns x ↦ softmax(Ax).
func softmaxLayer(A *mat.Dense) func(dst, x []float64) {
	return func(dst, x []float64) {
		functions.Softmax{}.Apply(dst, logits(A, x))
	}
}

func checkJacobian(t Tasks, c *gcase) verdict {
	const fn = "SoftmaxJacobian"
	jac := func(dst *mat.Dense, x []float64) {
		defer guard(fn)
		putMat(fn, dst, t.SoftmaxJacobian(mat.DenseCopyOf(c.X), x))
	}
	err := properties.CheckJacobian(softmaxLayer(c.X), jac, c.w, &properties.Settings{Outputs: c.k})
	v, done := explainJacobian(c).verdict(err)
	if done {
		return v
	}
	v = overflowHint(v, err, c, "your Jacobian has NaN or ±Inf entries at logits up to |z| = %.3g: exp(z) overflows above 709 — subtract max(z) from every zᵢ before exponentiating (softmax does not change)")
	var got *mat.Dense
	if call(fn, func() { got = t.SoftmaxJacobian(mat.DenseCopyOf(c.X), slices.Clone(c.w)) }) != nil || got == nil {
		return v
	}
	if r, cc := got.Dims(); r != c.k || cc != c.d {
		return v
	}
	right, bank := jacobianBank(c)
	return refine(v, matchCandidate(flat(got), flat(right), bank))
}

func explainJacobian(c *gcase) explain {
	k, d := c.k, c.d
	return explain{
		what:    "Jacobian",
		fn:      "SoftmaxJacobian",
		formula: "J = (diag(s) − ssᵀ)·A with s = softmax(Ax): k×d, J[i][j] = ∂sᵢ/∂xⱼ",
		sign:    "J = (diag(s) − ssᵀ)·A, not (ssᵀ − diag(s))·A",
		panics: func(msg string) string {
			switch {
			case containsAny(msg, "dimension mismatch"):
				return fmt.Sprintf("matrices whose shapes do not fit: diag(s) − ssᵀ is k×k (%d×%d) and A is k×d (%d×%d), so J = (diag(s) − ssᵀ)·A is k×d", k, k, k, d)
			case containsAny(msg, "index out of range"):
				return fmt.Sprintf("an index past the end: A is k×d (%d×%d), x has d entries, s = softmax(Ax) has k, J is k×d", k, d)
			}
			return ""
		},
		shape: func(e shapeError) string {
			switch {
			case e.isNil:
				return fmt.Sprintf("return a k×d matrix (%d×%d)", k, d)
			case e.rows == d && e.cols == k:
				return fmt.Sprintf("transposed? Rows are outputs (k = %d, one per class) and columns are inputs (d = %d): the Jacobian of f: ℝᵈ→ℝᵏ is k×d", k, d)
			case e.rows == k && e.cols == k:
				return fmt.Sprintf("k×k is the Jacobian of softmax alone, ∂s/∂z: by the chain rule multiply it by ∂z/∂x = A (k×d) to get the k×d = %d×%d Jacobian of softmax(Ax)", k, d)
			}
			return fmt.Sprintf("the Jacobian of f: ℝᵈ→ℝᵏ is k×d = %d×%d: a row per output, a column per input", k, d)
		},
	}
}

// jacobianBank returns the Jacobian of task 5.1 at the case and its
// typical wrong answers.
func jacobianBank(c *gcase) (right *mat.Dense, bank []candidate) {
	k := c.k
	s := make([]float64, k)
	softmaxLayer(c.X)(s, c.w)
	js, plus, diagOnly, noOuter := mat.NewDense(k, k, nil), mat.NewDense(k, k, nil), mat.NewDense(k, k, nil), mat.NewDense(k, k, nil)
	for i := range k {
		for j := range k {
			js.Set(i, j, -s[i]*s[j])
			plus.Set(i, j, s[i]*s[j])
		}
		js.Set(i, i, s[i]-s[i]*s[i])
		plus.Set(i, i, s[i]+s[i]*s[i])
		diagOnly.Set(i, i, s[i]*(1-s[i]))
		noOuter.Set(i, i, s[i])
	}
	times := func(m mat.Matrix) *mat.Dense {
		var out mat.Dense
		out.Mul(m, c.X)
		return &out
	}
	right = times(js)
	bank = []candidate{
		{flat(times(plus)), "the sign of ssᵀ: ∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ), so J = (diag(s) − ssᵀ)·A"},
		{flat(times(diagOnly)), "only the diagonal sᵢ(1 − sᵢ) of softmax's Jacobian: softmax couples every output to every logit, ∂sᵢ/∂zⱼ = −sᵢsⱼ for i ≠ j; J = (diag(s) − ssᵀ)·A"},
		{flat(times(noOuter)), "the −ssᵀ term is missing: ∂sᵢ/∂zⱼ = sᵢ(δᵢⱼ − sⱼ), so J = (diag(s) − ssᵀ)·A"},
	}
	if c.k == c.d {
		var viaT mat.Dense
		viaT.Mul(js, c.X.T())
		bank = append(bank,
			candidate{flat(js), "that is the Jacobian of softmax alone, ∂s/∂z (k×k): by the chain rule multiply it by ∂z/∂x = A; with k = d the shapes fit, so only the values are wrong"},
			candidate{flat(&viaT), "Aᵀ where A belongs: z = Ax, so ∂z/∂x = A and J = (diag(s) − ssᵀ)·A"})
	}
	return right, bank
}
