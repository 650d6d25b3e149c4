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

// clipDelta is the clipping of p that the lab suggests, [1e-7, 1 − 1e-7]:
// it caps a sample's loss at −log(1e-7) ≈ 16.1 (docs/NUMERICS.md),
// hence the "|z| > 16" of the hints.
const clipDelta = 1e-7

var taskBCE = &task{
	index:    3,
	num:      "3.1",
	title:    "binary cross-entropy: loss and gradient",
	funcs:    []string{"BCELoss", "BCEGrad"},
	region:   "|z| > 16",
	cases:    bceCases,
	check:    checkBCE,
	describe: describeBCE,
}

// extremeLogits are the largest logits of the extreme cases, of either
// sign: beyond the 16.1 where clipping bites, beyond the 36.7 where σ(z)
// rounds to 1 and a naive log(1 − p) is −Inf, and beyond the 709.8 where
// exp overflows (e^z/(1 + e^z) for z > 0, e^(−z) for z < 0).
var extremeLogits = []float64{20, -30, 45, 800, -20, 30, -45, -800}

func bceCases(r *rand.Rand) []*gcase {
	out := dataCases(true)(r)
	ext := [][2]int{{1, 1}, {2, 1}, {1, 2}, {2, 2}, {3, 2}}
	for range len(extremeLogits) - len(ext) {
		ext = append(ext, [2]int{2 + r.IntN(8), 1 + r.IntN(6)})
	}
	for i, s := range ext {
		n, d := s[0], s[1]
		c := &gcase{size: 2*size(n, d) + 1, extreme: true, n: n, d: d, X: gridMat(r, n, d), w: gridVec(r, d), y: labels(r, n)}
		scaleTo(c.X, c.w, extremeLogits[i%len(extremeLogits)])
		// Misclassify the sample of the largest logit, with confidence:
		// where the true loss grows like |z| and a clipped one stops.
		z := logits(c.X, c.w)
		j := 0
		for i := range z {
			if math.Abs(z[i]) > math.Abs(z[j]) {
				j = i
			}
		}
		c.y[j] = 0
		if z[j] < 0 {
			c.y[j] = 1
		}
		out = append(out, c)
	}
	return out
}

func describeBCE(c *gcase) string {
	return describeData(c) + fmt.Sprintf("\nlogits z = Xw = %s", fmtVec(logits(c.X, c.w)))
}

func checkBCE(t Tasks, c *gcase) verdict {
	l := &functions.Logistic{X: c.X, Y: c.y}
	lv := checkBCELoss(t, c, l)
	if lv.notImpl != "" {
		return lv
	}
	gv := checkBCEGrad(t, c, l)
	switch {
	case gv.notImpl != "":
		return gv
	case lv.ok:
		return gv
	case gv.ok:
		return lv
	}
	// Both wrong: the more specific hint first, both diagnoses.
	first, second := lv, gv
	if gv.rank > lv.rank {
		first, second = gv, lv
	}
	first.hint += "\nand " + second.hint
	first.diag += "\n" + second.diag
	if first.worst == "" {
		first.worst = second.worst
	} else if second.worst != "" {
		first.worst += "\n" + second.worst
	}
	return first
}

// checkBCELoss compares the learner's loss with the exact one, to 1e-9
// relative: a stable form is accurate to a few ulps at any logit, and a
// naive log(1 − p) loses 1e-3 of a sample's loss at z = 30.
func checkBCELoss(t Tasks, c *gcase, l *functions.Logistic) verdict {
	const fn = "BCELoss"
	want := l.Func(c.w)
	var got float64
	if p := call(fn, func() { got = t.BCELoss(mat.DenseCopyOf(c.X), slices.Clone(c.y), slices.Clone(c.w)) }); p != nil {
		return explainBCE(c).fromPanic(p, verdict{})
	}
	tol := 1e-9 * math.Max(1, math.Abs(want))
	if math.Abs(got-want) <= tol {
		return verdict{ok: true}
	}
	zmax := maxAbs(logits(c.X, c.w))
	// Enough digits to see the difference: 6, or more when the two
	// agree to more (a naive log is off by 1e-9 relative at z = 20).
	digits := 6
	if rel := math.Abs(got-want) / math.Abs(want); rel > 0 && rel < 1e-4 {
		digits = min(17, 3+int(math.Ceil(-math.Log10(rel))))
	}
	v := verdict{
		diag: fmt.Sprintf("loss: BCELoss = %.*g, want %.*g (|Δ| = %.3g, rel = %.3g, tol = %.3g)",
			digits, got, digits, want, math.Abs(got-want), math.Abs(got-want)/math.Abs(want), tol),
		worst: fmt.Sprintf("BCELoss: yours = %.*g, exact = %.*g (|Δ| = %.3g)", digits, got, digits, want, math.Abs(got-want)),
		rank:  rankSpecific,
	}
	stable := "compute each sample's loss from its logit z: max(z, 0) − z·y + log1p(exp(−|z|)), finite for every z"
	ratio := got / want
	switch {
	case math.IsNaN(got) || math.IsInf(got, 0):
		v.hint = fmt.Sprintf("BCELoss is %v at logits up to |z| = %.3g: log(p) or log(1 − p) of a p that rounded to 0 or 1 (σ(z) is exactly 1 from z ≈ 36.7) — %s", got, zmax, stable)
	case c.extreme && got < want*(1-1e-3) && zmax > 16:
		v.hint = fmt.Sprintf("wrong only for |z| > 16: are you clipping p? Clipping p to [δ, 1 − δ] caps a sample's loss at −log δ (16.1 for δ = 1e-7) where the true loss grows like |z| (%.3g here); %s", zmax, stable)
	case c.extreme:
		v.hint = fmt.Sprintf("BCELoss loses accuracy at large |z| (%.3g here): log(1 − p) cancels when p ≈ 1 — %s", zmax, stable)
	case math.Abs(ratio+1) < 1e-6:
		v.hint = "your loss is the negative of the right one: the cross-entropy is −(1/n)Σ[y log p + (1 − y) log(1 − p)], positive"
	case math.Abs(ratio-float64(c.n)) < 1e-6*float64(c.n) && c.n > 1:
		v.hint = fmt.Sprintf("your loss is n× the right one (n = %d): did you forget the 1/n of the mean?", c.n)
	case math.Abs(ratio*float64(c.n)-1) < 1e-6 && c.n > 1:
		v.hint = "your loss is 1/n of the right one: did you divide by n twice?"
	default:
		v.rank = rankSymptom
		v.hint = "BCELoss differs from the cross-entropy: re-derive L = −(1/n)Σ[yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)] with p = σ(Xw)"
	}
	v.hint = prefixed("BCELoss", v.hint)
	return v
}

func checkBCEGrad(t Tasks, c *gcase, l *functions.Logistic) verdict {
	const fn = "BCEGrad"
	grad := func(dst, w []float64) {
		defer guard(fn)
		putVec(fn, dst, t.BCEGrad(mat.DenseCopyOf(c.X), slices.Clone(c.y), w))
	}
	err := properties.CheckGradient(l.Func, grad, c.w, nil)
	v, done := explainBCE(c).verdict(err)
	if done {
		return v
	}
	v = overflowHint(v, err, c, "your gradient has NaN or ±Inf entries at logits up to |z| = %.3g: σ(z) = eᶻ/(1 + eᶻ) overflows to Inf/Inf for z > 709 — compute σ(z) as 1/(1 + e^(−z)) for z ≥ 0 and eᶻ/(1 + eᶻ) for z < 0")
	var got []float64
	if call(fn, func() { got = t.BCEGrad(mat.DenseCopyOf(c.X), slices.Clone(c.y), slices.Clone(c.w)) }) == nil {
		res := logits(c.X, c.w)
		for i, z := range res {
			res[i] = 1/(1+math.Exp(-z)) - c.y[i]
		}
		if h := perSample(got, res, "p − y", c.n, c.d, "∇L = (1/n)·Xᵀ(p − y)"); h != "" {
			v.hint, v.rank = h, rankSpecific
		} else {
			right := make([]float64, c.d)
			l.Grad(right, c.w)
			v = refine(v, matchCandidate(got, right, bceBank(c)))
		}
	}
	v.hint = prefixed("BCEGrad", v.hint)
	return v
}

func explainBCE(c *gcase) explain {
	n, d := c.n, c.d
	return explain{
		what:    "gradient",
		fn:      "BCEGrad",
		formula: "∇L = (1/n)·Xᵀ(p − y), p = σ(Xw), with d entries",
		factors: func(f float64) (string, int) {
			return nameFactor(f, []factorName{
				{float64(n), fmt.Sprintf("did you forget the 1/n of the mean (n = %d samples)?", n)},
				{2, "an extra 2? Unlike MSE's, the cross-entropy gradient has none: (1/n)Xᵀ(p − y)"},
				{1 / float64(n), "an extra 1/n: did you divide by n twice?"},
			})
		},
		sign:   "did you compute y − p? The gradient is (1/n)Xᵀ(p − y)",
		panics: dataPanics,
		shape: func(e shapeError) string {
			if e.rows == n && n != d {
				return fmt.Sprintf("X where Xᵀ belongs? X(p − y) cannot even be formed; Xᵀ(p − y) has d = %d entries, one per weight", d)
			}
			return fmt.Sprintf("the gradient has one entry per weight: d = %d", d)
		},
	}
}

// bceBank returns the typical wrong answers of BCEGrad.
func bceBank(c *gcase) []candidate {
	n := float64(c.n)
	z := logits(c.X, c.w)
	noSigma, clipped, chain, res := make([]float64, c.n), make([]float64, c.n), make([]float64, c.n), make([]float64, c.n)
	for i, zi := range z {
		p := 1 / (1 + math.Exp(-zi))
		noSigma[i] = zi - c.y[i]
		clipped[i] = math.Min(math.Max(p, clipDelta), 1-clipDelta) - c.y[i]
		chain[i] = (p - c.y[i]) * p * (1 - p)
		res[i] = p - c.y[i]
	}
	out := []candidate{
		{affine(c.X, noSigma, 1/n, true), "did you forget σ? p = σ(Xw) = 1/(1 + e^(−Xw)), not the logits Xw: ∇L = (1/n)Xᵀ(σ(Xw) − y)"},
		{affine(c.X, clipped, 1/n, true), "wrong only for |z| > 16: are you clipping p? The gradient needs no clipping (no log in it): (1/n)Xᵀ(σ(Xw) − y), σ computed stably"},
		{affine(c.X, chain, 1/n, true), "an extra factor σ′(z) = p(1 − p): for the cross-entropy it cancels against the 1/(p(1 − p)) of the log's derivative, leaving (1/n)Xᵀ(p − y)"},
	}
	if c.n == c.d {
		out = append(out, candidate{affine(c.X, res, 1/n, false),
			"X where Xᵀ belongs? The gradient is (1/n)·Xᵀ(p − y); with n = d the shapes fit, so only the values are wrong"})
	}
	return out
}
