package lab

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gradcheck/gradcheck/properties"
)

// labEps is the step the grader passes to the learner's numerical
// derivatives: near the optimal central step ε^(1/3) ≈ 6e-6
// (docs/NUMERICS.md), and round, as a learner would pick it.
const labEps = 1e-5

// numericMargin is the checker's margin for the learner's numerical
// derivatives (tasks 1.1 and 4.1), which are themselves central differences
// with errors of ≈1e-10 relative at labEps where the checker's own estimate
// is ≈1e-11: a margin of 1000 passes every correct solution with room to
// spare, and still fails a forward difference, whose error ε/2·|f″| ≈ 5e-6
// relative is 100× the tolerance (TestGradeReference, TestBank). Where
// the checker resolves an entry finer than that (Ridders' value of an
// entry its block sums nominate, to 1e-10 of it), the learner's gradient
// is read against the same central difference instead (centralAt).
const numericMargin = 1000

var taskGradient = &task{
	index:    1,
	num:      "1.1",
	title:    "numerical gradient by central differences",
	funcs:    []string{"NumericalGradient"},
	cases:    gradientCases,
	check:    numericalTask(checkGradient),
	describe: describeGradient,
}

// sinQuad returns f(w) = Σ cᵢ sin(wᵢ) + ½(a·w)²: not a polynomial (so a
// forward difference is visibly worse than a central one), with coupled
// coordinates (so an index bug shows).
func sinQuad(c, a []float64) *testFunc {
	dot := func(w []float64) float64 {
		s := 0.0
		for i := range w {
			s += a[i] * w[i]
		}
		return s
	}
	return &testFunc{
		desc: fmt.Sprintf("f(w) = Σ cᵢ·sin(wᵢ) + ½(a·w)², c = %s, a = %s", fmtVec(c), fmtVec(a)),
		f: func(w []float64) float64 {
			s := 0.0
			for i := range w {
				s += c[i] * math.Sin(w[i])
			}
			p := dot(w)
			return s + p*p/2
		},
		grad: func(dst, w []float64) {
			p := dot(w)
			for i := range w {
				dst[i] = c[i]*math.Cos(w[i]) + p*a[i]
			}
		},
	}
}

func gradientCases(r *rand.Rand) []*gcase {
	dims := []int{1, 2, 3}
	for range 5 {
		dims = append(dims, 2+r.IntN(9))
	}
	var out []*gcase
	for _, d := range dims {
		out = append(out, &gcase{size: d, d: d, w: gridVec(r, d), fn: sinQuad(gridVec(r, d), gridVec(r, d))})
	}
	return out
}

func describeGradient(c *gcase) string {
	return fmt.Sprintf("d = %d: %s\nat w = %s, eps = %g", c.d, c.fn.desc, fmtVec(c.w), labEps)
}

func checkGradient(t Tasks, c *gcase) verdict {
	const fn = "NumericalGradient"
	f := c.fn.f
	grad := func(dst, w []float64) {
		defer guard(fn)
		putVec(fn, dst, t.NumericalGradient(f, w, labEps))
	}
	err := properties.CheckGradient(f, grad, c.w, &properties.Settings{Margin: numericMargin})
	v, done := explainGradient.verdict(err)
	if done {
		return v
	}
	var got []float64
	if call(fn, func() { got = t.NumericalGradient(f, slices.Clone(c.w), labEps) }) != nil {
		return v
	}
	if onlyValues(err) && centralAt(f, c.w, labEps, got) {
		// The checker resolves the derivative to 1e-10 of it, finer than
		// the truncation of a central difference at labEps (h²f‴/6, up
		// to 1e-9 of it): what it flags is the method's error, which the
		// task asks for.
		return verdict{ok: true}
	}
	right := make([]float64, c.d)
	c.fn.grad(right, c.w)
	return refine(v, matchCandidate(got, right, gradientBank(c)))
}

// centralAt reports whether got is the central difference of f at w with
// step eps, (f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2·eps), to the rounding of
// its arithmetic: the grader computes the same formula, and two
// implementations of it differ by the rounding of the step and of the
// quotient, a few ulps of f's values over the step (64 allowed).
func centralAt(f func([]float64) float64, w []float64, eps float64, got []float64) bool {
	if len(got) != len(w) {
		return false
	}
	v := slices.Clone(w)
	for i := range w {
		v[i] = w[i] + eps
		fp := f(v)
		v[i] = w[i] - eps
		fm := f(v)
		v[i] = w[i]
		want := (fp - fm) / (2 * eps)
		if !(math.Abs(got[i]-want) <= 64*0x1p-52*(math.Abs(fp)+math.Abs(fm))/(2*eps)) {
			return false
		}
	}
	return true
}

var explainGradient = explain{
	what:    "gradient",
	fn:      "NumericalGradient",
	formula: "gᵢ = (f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2·eps), one coordinate i at a time",
	factors: func(c float64) (string, int) {
		return nameFactor(c, []factorName{
			{2, "did you divide by eps instead of 2·eps?"},
			{0.5, "did you divide by 4·eps? The central difference divides by 2·eps"},
		})
	},
	sign: "is the difference reversed? gᵢ = (f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2·eps)",
	panics: func(msg string) string {
		if containsAny(msg, "index out of range") {
			return "an index past the end of w: loop i over 0 … len(w)−1, and return a slice of len(w)"
		}
		return ""
	},
	shape: func(e shapeError) string {
		return "the gradient has one entry per coordinate of w"
	},
}

// gradientBank returns the typical wrong answers of task 1.1.
func gradientBank(c *gcase) []candidate {
	f, w, d := c.fn.f, c.w, c.d
	at := func(i int, h float64) float64 {
		v := slices.Clone(w)
		v[i] += h
		return f(v)
	}
	forward, backward, half, all := make([]float64, d), make([]float64, d), make([]float64, d), make([]float64, d)
	shift := func(h float64) float64 {
		v := slices.Clone(w)
		for i := range v {
			v[i] += h
		}
		return f(v)
	}
	f0 := f(w)
	for i := range d {
		forward[i] = (at(i, labEps) - f0) / labEps
		backward[i] = (f0 - at(i, -labEps)) / labEps
		half[i] = forward[i] / 2
		all[i] = (shift(labEps) - shift(-labEps)) / (2 * labEps)
	}
	// The probes on a copy of w, coordinate i left at w[i] − eps (or
	// w[i] + eps, probing − first) instead of put back: every later
	// coordinate is probed at a moved point.
	unrestored := func(first float64) []float64 {
		g, x := make([]float64, d), slices.Clone(w)
		for i := range d {
			x[i] += first * labEps
			a := f(x)
			x[i] -= first * 2 * labEps
			g[i] = first * (a - f(x)) / (2 * labEps)
		}
		return g
	}
	const notRestored = "you did not put the coordinate back after probing it: after f(w + eps·eᵢ) and f(w − eps·eᵢ), coordinate i stays moved, so every later coordinate is probed at a wrong point (entry 0 is right, the others are off). Restore w[i] (or your copy's entry) before moving on to i + 1"
	return []candidate{
		{unrestored(1), notRestored},
		{unrestored(-1), notRestored},
		{forward, "you used the forward difference (f(w + eps·eᵢ) − f(w)) / eps: its error is O(eps) (about eps/2·|f″|); the central difference (f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2·eps) has error O(eps²) — see \"gradlab evidence\" for why central beats forward"},
		{backward, "you used the backward difference (f(w) − f(w − eps·eᵢ)) / eps: its error is O(eps); use the central difference (f(w + eps·eᵢ) − f(w − eps·eᵢ)) / (2·eps), error O(eps²)"},
		{half, "you divide by 2·eps but take f(w + eps·eᵢ) − f(w): the central difference subtracts f(w − eps·eᵢ), not f(w)"},
		{all, "you moved every coordinate at once (w + eps·(1, …, 1)): that is a directional derivative, the same for every i; move one coordinate at a time, w + eps·eᵢ"},
	}
}
