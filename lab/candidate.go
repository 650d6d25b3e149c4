package lab

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// A candidate is a typical wrong answer, computed for a case: if the
// learner's output matches it, hint names the bug.
type candidate struct {
	vals []float64
	hint string
}

// matchCandidate returns the hint of the first candidate the learner's
// output got matches, or "". A candidate that agrees with the right answer
// on this case (X = Xᵀ, say) is skipped: it tells nothing.
//
// A candidate parallel to the right answer is skipped too: the checker
// diagnoses a constant factor better, and in one dimension every wrong
// answer is parallel to every other, so a match would be a coincidence.
func matchCandidate(got, right []float64, cands []candidate) string {
	for _, c := range cands {
		if close(got, c.vals, 1e-8) && !close(c.vals, right, 1e-12) && !parallel(c.vals, right) {
			return c.hint
		}
	}
	return ""
}

// parallel reports whether a = c·b for a constant c other than 1: |a·b| =
// ‖a‖‖b‖ within 1e-9 relative, and c = a·b/b·b off 1 by more than 1e-3.
func parallel(a, b []float64) bool {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	return math.Abs(math.Abs(ab)-math.Sqrt(aa*bb)) <= 1e-9*math.Sqrt(aa*bb) && math.Abs(ab/bb-1) > 1e-3
}

// close reports whether a and b have the same length and agree within rel
// of the largest |b|, every entry finite.
func close(a, b []float64, rel float64) bool {
	if len(a) != len(b) {
		return false
	}
	scale := maxAbs(b)
	for i := range a {
		if math.IsNaN(a[i]) || math.IsInf(a[i], 0) || math.IsNaN(b[i]) || math.IsInf(b[i], 0) {
			return false
		}
		if math.Abs(a[i]-b[i]) > rel*scale {
			return false
		}
	}
	return true
}

// perSample returns the hint for a result of n values, one per sample,
// where the gradient has d ≠ n, one per weight, or "": res is the
// per-sample quantity (the residual Xw − y, or p − y) named resName, and
// grad the right formula; the hint names the scaling of res that got
// matches, if any.
func perSample(got, res []float64, resName string, n, d int, grad string) string {
	if len(got) != n || n == d {
		return ""
	}
	what := "a per-sample quantity"
	for _, k := range []struct {
		c    float64
		name string
	}{{1, "%s"}, {2, "2·(%s)"}, {1 / float64(n), "(1/n)·(%s)"}, {2 / float64(n), "(2/n)·(%s)"}} {
		v := slices.Clone(res)
		for i := range v {
			v[i] *= k.c
		}
		if close(got, v, 1e-8) {
			what = "apparently " + fmt.Sprintf(k.name, resName)
			break
		}
	}
	return fmt.Sprintf("you returned one value per sample (n = %d), %s, where the gradient has one entry per weight (d = %d): multiply by Xᵀ, which sums the samples' contributions: %s", n, what, d, grad)
}

// affine returns alpha·Mᵀv (trans) or alpha·Mv.
func affine(M *mat.Dense, v []float64, alpha float64, trans bool) []float64 {
	r, c := M.Dims()
	var out []float64
	if trans {
		out = make([]float64, c)
		mat.NewVecDense(c, out).MulVec(M.T(), mat.NewVecDense(r, v))
	} else {
		out = make([]float64, r)
		mat.NewVecDense(r, out).MulVec(M, mat.NewVecDense(c, v))
	}
	for i := range out {
		out[i] *= alpha
	}
	return out
}
