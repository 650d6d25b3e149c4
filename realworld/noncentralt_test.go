package realworld

import (
	"math"
	"testing"

	"pgregory.net/rapid"

	"gonum.org/v1/gonum/stat/distuv"
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

// TestNoncentralTLogDensity checks the reference against StudentsT at
// μ = 0, whose density has a closed form, to 1e-13, and against gonum's
// NoncentralT at ν = 3…10, |μ| ≤ 2, t = 0.5…4, to what gonum's own design
// allows: its CDF stops its series at an absolute error of 1e-12, and its
// density (ν/t)·(CDF₁ − CDF₂) then carries 2e-12·ν/t absolute.
func TestNoncentralTLogDensity(t *testing.T) {
	g := rapid.Custom(func(rt *rapid.T) [3]float64 {
		return [3]float64{
			rapid.Float64Range(3, 10).Draw(rt, "nu"),
			rapid.Float64Range(-2, 2).Draw(rt, "mu"),
			rapid.Float64Range(0.5, 4).Draw(rt, "t"),
		}
	})
	for _, c := range examples(g, 160000, 12) {
		nu, mu, x := c[0], c[1], c[2]
		got := noncentralTLogDensity(nu, mu, x)
		want := distuv.NoncentralT{Nu: nu, Mu: mu}.LogProb(x)
		if tol := 1e-12 + 2e-12*nu/x/math.Exp(want); math.Abs(got-want) > tol {
			t.Errorf("ν = %g, μ = %g, t = %g: log density %.15g, gonum %.15g (tol %.3g)", nu, mu, x, got, want, tol)
		}
		got = noncentralTLogDensity(nu, 0, x)
		want = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nu}.LogProb(x)
		if math.Abs(got-want) > 1e-13 {
			t.Errorf("ν = %g, μ = 0, t = %g: log density %.15g, StudentsT %.15g", nu, x, got, want)
		}
	}
}
