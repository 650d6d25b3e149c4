package properties

import (
	"fmt"
	"gonum.org/v1/gonum/stat"
	"math"

	"github.com/gradcheck/gradcheck/gradients"
)

// Parameters of the Taylor test.
const (
	// taylorSteps halvings of the step from taylorStart (relative: the
	// direction carries the scale of x) reach 0.1·2⁻³⁹ ≈ 2e-13, below any
	// useful step.
	taylorStart = 0.1
	taylorSteps = 40
	// taylorClear: a remainder counts only if it exceeds this many times
	// the round-off of f, so round-off moves its logarithm by under 2%.
	taylorClear = 100
	// taylorFit is the number of smallest usable steps whose remainders
	// the order is fitted to: the asymptotic end of the sequence.
	taylorFit = 6
	// taylorPass is the order threshold: a right gradient gives order 2
	// (3 if the curvature along u vanishes), a wrong one order 1.
	taylorPass = 1.5
	// taylorNoise: a fitted order below this is a flat remainder, the
	// floor of round-off, not the order 1 of a wrong gradient.
	taylorNoise = 0.5
	// taylorAsymptotic: only steps at most this (relative) are in the
	// asymptotic regime of the expansion. Above it, higher-order terms can
	// mimic any order: a logistic loss whose logits are all beyond 40 is
	// nearly piecewise linear, and its remainder fell as h^1.2 over
	// h = 0.1 … 0.013 with a correct gradient (TestNoFalseAlarms).
	taylorAsymptotic = 1e-3
)

// CheckTaylor checks the gradient without a finite-difference step: along a
// random direction u (entries ±max(1,|xᵢ|), signs from Settings.Seed) the
// Taylor remainder r(h) = |f(x+hu) − f(x) − h·∇f(x)·u| falls as h² when
// ∇f is right and only as h when ∇f·u is wrong. CheckTaylor halves h from
// 0.1 down to 2e-13, keeps the remainders at steps of at most 1e-3 (the
// asymptotic regime) that stand clear of f's round-off, and fits the order
// to the smallest of them. An order in [0.5, 1.5), confirmed by a
// numerical directional derivative that differs from ∇f·u beyond its error
// estimate and round-off, is a failure (Kind Mismatch, Failure.Order the
// measured order, Analytic ∇f·u, Numeric the Ridders estimate of it) —
// unless f has a kink at x along u, which is reported as Nondifferentiable,
// as CheckGradient does.
//
// It sees a bug e only through e·u, and only where h|e·u| exceeds the
// curvature term h²|uᵀ∇²f u|/2 at steps above round-off: it is a
// complement to CheckGradient, which is far more sensitive, not a
// replacement. Where the remainders at small steps are lost in round-off
// (f linear along u, or flat), it passes with Report.Order NaN; where they
// stop falling (order below 0.5: round-off the noise estimate missed), it
// passes too, counting the check as inconclusive.
//
// Otherwise as CheckGradient; CheckTaylor panics only if f or grad is nil
// or s is invalid.
func CheckTaylor(f func(x []float64) float64, grad func(dst, x []float64), x []float64, s *Settings) error {
	return TaylorReport(f, grad, x, s).Err
}

// TaylorReport runs CheckTaylor and returns its Report.
func TaylorReport(f func(x []float64) float64, grad func(dst, x []float64), x []float64, s *Settings) *Report {
	c := resolve("CheckTaylor", s)
	if f == nil || grad == nil {
		panic("properties: CheckTaylor: f and grad must not be nil")
	}
	// A Taylor check compares orders, not values: its error figures are
	// NaN ("does not apply") unless a failure's confirmation sets them.
	return check("taylor", x, c, &Report{Property: "taylor", Dim: len(x), Order: math.NaN(), MaxRelErr: math.NaN(), WorstRatio: math.NaN(), WorstTol: math.NaN()}, func(ss *session, r *Report) { ss.taylor(f, grad, r) })
}

func (s *session) taylor(f func([]float64) float64, grad func(dst, x []float64), r *Report) {
	d := len(s.x)
	if d == 0 || !s.checkX() {
		return
	}
	f0, okF := s.checkValue(f)
	a, okG := s.checkVector("grad", grad, d)
	if !okF || !okG {
		return
	}
	fw := s.scalar(f)
	rng := newRand(s.c.seed)
	u := make([]float64, d)
	gu := 0.0
	for i := range u {
		u[i] = math.Max(1, math.Abs(s.x[i]))
		if rng.Uint64()&1 == 1 {
			u[i] = -u[i]
		}
		gu += a[i] * u[i]
	}
	phi := s.along(fw, u)
	sigma := math.Max(gradients.Noise(func(v []float64) float64 { return phi(v[0]) }, []float64{0}), eps*math.Abs(f0))
	var logH, logR []float64
	h := taylorStart
	for range taylorSteps {
		rem := math.Abs(phi(h) - f0 - h*gu)
		// The remainder's own round-off: that of two values of f, of the
		// product h·∇f·u, and the loss of precision below the smallest
		// normal number.
		if h <= taylorAsymptotic && rem > taylorClear*(2*sigma+eps*math.Abs(h*gu)+minNormal) && isFinite(rem) {
			logH = append(logH, math.Log(h))
			logR = append(logR, math.Log(rem))
		}
		h /= 2
	}
	r.Entries = 1
	if len(logH) < 3 {
		// The remainders at small steps are lost in round-off: nothing
		// can be seen.
		r.Inconclusive = 1
		return
	}
	if len(logH) > taylorFit {
		logH, logR = logH[len(logH)-taylorFit:], logR[len(logR)-taylorFit:]
	}
	_, order := stat.LinearRegression(logH, logR, nil, false)
	r.Order = order
	if order >= taylorPass {
		return
	}
	if order < taylorNoise {
		// Remainders that do not fall with h are round-off the noise
		// estimate missed, not a wrong gradient (whose remainder falls as
		// h): nothing can be seen.
		r.Inconclusive = 1
		return
	}
	// Confirm with a numerical directional derivative: an order-1 term at
	// the level of round-off in ∇f·u (a relative 5e-13 on a softmax loss of
	// 1e-128, FuzzTaylor) is no wrong gradient.
	// As in CheckGradient, the confirmation is taken at the engine's
	// relative steps and at small absolute ones (crossStep in x, so
	// crossStep/‖u‖∞ in t): the steps along u move x by up to |t|·‖u‖∞, far
	// beyond the scale of a softmax at x = 1e8 (FuzzTaylor).
	num, est := gradients.DerivativeWithError(phi, 0, nil)
	unorm := 0.0
	for _, v := range u {
		unorm = math.Max(unorm, math.Abs(v))
	}
	num2, est2 := gradients.DerivativeWithError(phi, 0, &gradients.Settings{Method: gradients.Ridders, Step: crossStep / unorm})
	est2 = math.Max(est2, crossFloor(math.Max(sigma, gradients.Noise(fw, s.x))))
	for _, c := range []struct{ v, e float64 }{{num, est}, {num2, est2}} {
		if math.Abs(gu-c.v) <= s.c.margin*c.e+(floorUlps*eps+relFloor)*math.Max(math.Abs(gu), math.Abs(c.v))+minNormal {
			r.Inconclusive = 1
			return
		}
	}
	// A kink at x along u (a ReLU at 0 with a subgradient) makes the
	// remainder fall as h too; CheckGradient says "nondifferentiable"
	// there, and so does this check.
	if k := findKink(phi, 0, s.c.margin*est); k.found {
		s.add(&Failure{Kind: Nondifferentiable, Row: 0, Col: 0, Analytic: gu, Numeric: num, AbsErr: math.Abs(gu - num), RelErr: relErr(gu, num),
			Tol: s.c.margin * est, Order: order, Seed: s.c.seed, Bad: 1, Total: 1,
			Detail: fmt.Sprintf("f has a kink at x along u: its one-sided derivatives are %.6g (right) and %.6g (left), and their gap does not shrink with the step (%s); no gradient exists there to check — not a verdict on grad: check at another point",
				k.right, k.left, k.evidence)})
		r.Inconclusive = 1
		return
	}
	fl := &Failure{Kind: Mismatch, Row: 0, Col: 0, Analytic: gu, Numeric: num, AbsErr: math.Abs(gu - num), RelErr: relErr(gu, num),
		Tol: s.c.margin * est, Order: order, Seed: s.c.seed, Bad: 1, Total: 1,
		Detail: fmt.Sprintf("the Taylor remainder |f(x+hu) − f(x) − h·∇f·u| falls as h^%.2f, want h² (fitted over h = %.2g … %.2g): ∇f·u is wrong",
			order, math.Exp(logH[0]), math.Exp(logH[len(logH)-1]))}
	s.add(fl)
	r.MaxRelErr, r.WorstRatio, r.WorstTol = fl.RelErr, fl.AbsErr/fl.Tol, fl.Tol
}
