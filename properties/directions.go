package properties

import (
	"math"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// directional runs the random-direction check of CheckGradient.
func (s *session) directional(f func([]float64) float64, f0 float64, a []float64, r *Report) {
	k, d := s.c.directions, len(s.x)
	rng := newRand(s.c.seed)
	cmp := &comparison{property: "gradient", rows: k, cols: 1, a: make([]float64, k), n: make([]float64, k), est: make([]float64, k),
		margin: s.c.margin, directions: true, seed: s.c.seed, what: "analytic directional derivative ∇f·u"}
	dirs := make([][]float64, k)
	floors := make([]float64, k)
	for m := range dirs {
		u := make([]float64, d)
		for i := range u {
			u[i] = math.Max(1, math.Abs(s.x[i]))
			if rng.Uint64()&1 == 1 {
				u[i] = -u[i]
			}
		}
		dirs[m] = u
		dot, abs := 0.0, 0.0
		for i := range u {
			dot += a[i] * u[i]
			abs += math.Abs(a[i] * u[i])
		}
		cmp.a[m] = dot
		// The dot product's own round-off: ≈ ε·Σ|aᵢuᵢ| per term added.
		floors[m] = 4 * eps * abs * math.Sqrt(float64(d))
		cmp.n[m], cmp.est[m] = gradients.DerivativeWithError(s.along(f, u), 0, nil)
	}
	cmp.tolerances()
	for m := range cmp.tol {
		cmp.tol[m] += floors[m]
	}
	// A kink at x along a direction spoils its numerical derivative, as
	// along a coordinate in the full check: no verdict on grad there.
	bad := cmp.bad()
	kinked := s.kinks(cmp, bad, nil, lines{fn: "f", deriv: "grad", unit: "directions", line: func(m int) (func(float64) float64, float64, float64) {
		return s.along(f, dirs[m]), 0, f0
	}})
	bad = slices.DeleteFunc(cmp.bad(), func(m int) bool { return slices.Contains(kinked, m) })
	cmp.stats(r)
	if len(bad) > 0 {
		fl := cmp.diagnose(bad)
		fl.Detail += " (directions have entries ±max(1,|xᵢ|) with the signs of the seed)"
		s.add(fl)
	}
}

// along returns t ↦ f(x + t·u) on a fresh copy.
func (s *session) along(f func([]float64) float64, u []float64) func(float64) float64 {
	work := make([]float64, len(s.x))
	return func(t float64) float64 {
		for i, v := range s.x {
			work[i] = v + t*u[i]
		}
		return f(work)
	}
}
