package realworld

import (
	"math"
)

// noncentralTLogDensity returns the log of the density of the noncentral t
// distribution with nu degrees of freedom and noncentrality mu at t,
// computed independently of gonum's CDF-difference formula: T = (Z + mu)/W
// with W = √(U/ν), U ~ χ²(ν), so
//
//	f(t) = ∫₀^∞ φ(t·w − μ) · w · g(w) dw,  g(w) = 2ν·w·χ²_ν(ν·w²),
//
// integrated by the trapezoid rule in v = log w over [−60, 8]: the
// integrand decays at both ends faster than any power of w, where the
// trapezoid rule converges exponentially. The sum is taken in log space,
// so densities far below the smallest float64 still have a log.
func noncentralTLogDensity(nu, mu, t float64) float64 {
	const lo, hi, n = -60.0, 8.0, 200000
	h := (hi - lo) / n
	lg, _ := math.Lgamma(nu / 2)
	logPart := func(v float64) float64 {
		w := math.Exp(v)
		z := t*w - mu
		logPhi := -z*z/2 - 0.5*math.Log(2*math.Pi)
		u := nu * w * w
		logChi := (nu/2-1)*math.Log(u) - u/2 - (nu/2)*math.Ln2 - lg
		// φ(tw−μ)·w · 2νw·χ²(νw²) · dw/dv (= w)
		return logPhi + math.Log(2*nu) + 3*v + logChi
	}
	peak := math.Inf(-1)
	for i := 0; i <= n; i++ {
		peak = max(peak, logPart(lo+float64(i)*h))
	}
	var sum float64
	for i := 0; i <= n; i++ {
		sum += math.Exp(logPart(lo+float64(i)*h) - peak)
	}
	return peak + math.Log(sum*h)
}
