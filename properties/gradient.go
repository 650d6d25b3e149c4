package properties

import (
	"fmt"
	"math"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// CheckGradient checks that grad is the gradient of f at x: every entry of
// grad(x) agrees with a numerical derivative of f within a tolerance derived
// from that derivative's estimated error. It returns nil if so, and
// otherwise an error in which errors.As finds a *Failure per violation, with
// a diagnosis of the bug (see Kind).
//
// The numerical gradient is first taken with central differences and their
// error estimates (4d evaluations of f: the formula at steps h and 2h, plus
// 16 to measure f's round-off and 4 at x). Entries out of tolerance are
// computed again with Ridders' method and once more at small steps before
// any verdict, so a failure is always backed by the more accurate method;
// an entry confirmed wrong costs about 80 more evaluations (two Ridders
// derivatives and a search for a kink, each with its noise measurement).
// A correct gradient costs about twice a plain central difference.
//
// A numeric value clears an entry only if it could have seen the error: a
// value that allows the analytic one only because its estimate is wide is
// void when a tighter value, consistent with it, rejects the analytic one
// (issue 11: float32 inside f, |f| ≫ ‖∇f‖, parameters at 1e8 passed bugs
// of 2× this way). Entries whose tolerance would pass an error of 1e-3 of
// the entry (loose) get a Ridders value too, at most 64 of them (≈ 31
// evaluations each); where f is noisy (float32 inside) Ridders starts at
// 0.1 with its estimate floored at the round-off of its smallest step; and
// an entry still out where |xᵢ| > 1 gets a central difference at an
// absolute step with round-off measured at that step (9 evaluations), so
// that steps relative to a large |xᵢ| that cross f's structure (log-sum-exp
// at logits 5e7) do not decide alone.
//
// Where round-off in f hides the derivative from every value (a flat or
// saturated region, a value of 30 with a gradient of 1e-12), the estimated
// error is large, the tolerance with it, and the check passes: it cannot
// see a bug there and does not claim one (GradientReport counts such
// entries as Inconclusive).
//
// With Settings.Directions = k > 0 the check compares directional
// derivatives ∇f·u with numerical ones along k random directions u with
// entries ±max(1, |xᵢ|) (Rademacher signs from Settings.Seed), for about
// 30 evaluations of f per direction (16 of them measure its round-off)
// instead of O(d). A bug vector e (analytic − true
// gradient) is seen along u unless e·u cancels: for a bug in one entry that
// never happens (e·u = ±eᵢ·max(1,|xᵢ|)), and for any e a direction misses it
// with probability at most 1/2 (Littlewood–Offord; exactly 1/2 for two
// equal entries of opposite sign), so k directions miss it with probability
// at most 2⁻ᵏ. A one-entry bug must exceed the directional tolerance, which
// grows like √d times the per-coordinate one. A direction along which f
// has a kink at x is reported as Nondifferentiable, as a coordinate is.
//
// f and grad receive copies of x, never x itself. A panic in f or grad is
// recovered and reported, so CheckGradient never panics because of them. It
// panics, with a "properties: " message, only if f or grad is nil or s is
// invalid (negative Directions or Outputs; a negative, NaN or infinite
// Margin).
func CheckGradient(f func(x []float64) float64, grad func(dst, x []float64), x []float64, s *Settings) error {
	return GradientReport(f, grad, x, s).Err
}

// GradientReport runs CheckGradient and returns its Report.
func GradientReport(f func(x []float64) float64, grad func(dst, x []float64), x []float64, s *Settings) *Report {
	c := resolve("CheckGradient", s)
	if f == nil || grad == nil {
		panic("properties: CheckGradient: f and grad must not be nil")
	}
	ss := &session{property: "gradient", x: x, c: c}
	r := &Report{Property: "gradient", Dim: len(x)}
	ss.startClock()
	ss.guard(func() { ss.gradient(f, grad, r) })
	ss.guard(ss.runAfter)
	r.Evals, r.Calls, r.Err = int(ss.evals.Load()), ss.calls, ss.err()
	return r
}

func (s *session) gradient(f func([]float64) float64, grad func(dst, x []float64), r *Report) {
	if len(s.x) == 0 || !s.checkX() {
		return
	}
	f0, okF := s.checkValue(f)
	a, okG := s.checkVector("grad", grad, len(s.x))
	if !okF || !okG {
		return
	}
	fw := s.scalar(f)
	s.after = append(s.after, func() { s.serialCheck(f) }, func() { s.staleGradient(f, grad, a) })
	if s.c.directions > 0 {
		s.directional(fw, a, r)
		return
	}
	cmp, jumps, sigma := s.screen(fw, f0, a)
	ridders := func(i int) (float64, float64) { return s.ridders(fw, i, sigma, f0, 0) }
	bad := cmp.bad()
	r.Escalated = len(bad)
	// Escalate: recompute the doubtful entries with Ridders' method, whose
	// error is 1e-14-ish where Central's is 1e-10-ish.
	redone := s.escalate(bad, func(i int) {
		cmp.addAlt(i, cmp.n[i], cmp.est[i])
		cmp.n[i], cmp.est[i] = ridders(i)
		cmp.retol(i)
	}, cmp)
	escalated := make(map[int]bool, len(redone))
	for i := range redone {
		escalated[i] = true
	}
	// Entries in tolerance whose tolerance is too wide to see a bug that
	// matters (loose) are recomputed with Ridders too: its error estimate
	// is the tight one where the screen's step was set for a scale that f
	// does not have (a quadratic plus 1e4: σ/h = 4e-7 hid a 2% bug in an
	// entry of 1.7e-5, where Ridders' larger steps resolve it to 1e-11).
	// An agreement within a wide tolerance is no evidence (see out).
	for _, i := range cmp.loose(redone) {
		cmp.addAlt(i, cmp.n[i], cmp.est[i])
		cmp.n[i], cmp.est[i] = ridders(i)
		cmp.retol(i)
		redone[i] = true
		r.Escalated++
	}
	// The confirmation at small steps and the kink search follow the
	// escalation, within its bound: when a wholesale bug put every entry
	// out of tolerance and the worst were confirmed, the rest keep their
	// Central verdicts instead of costing ≈ 90 evaluations each (a 2× bug
	// cost 38× a central difference at d = 100 without a bound).
	confirm := func(set map[int]bool) {
		// Settle first: an entry that its first value cleared can turn out
		// once the tighter Ridders value becomes its primary one (the first
		// value is then judged by agreeFactor estimates, not the margin),
		// and such an entry needs the confirmation at small steps as much as
		// any other (softmax cross-entropy at weights of 1e4, where Ridders'
		// steps of ≈ 1e3 cross the curvature of the loss: FuzzGradient).
		cmp.settle()
		for _, i := range cmp.bad() {
			if !set[i] {
				continue
			}
			// The estimate's round-off comes from the noise measured along
			// this coordinate's line (at two scales, gradients.Noise). Not
			// the noise σ of the whole point: moving every coordinate
			// changes every term of a sum, one coordinate only its own, and
			// σ/crossStep overstated the error 500× on Σcᵢxᵢ² at
			// d = 100 000, where it let a 1% bug in one entry pass
			// (BenchmarkDirectionsVsFull).
			v, e := gradients.DerivativeWithError(s.line(fw, i), s.x[i], crossSettings(s.x[i]))
			cmp.addAlt(i, v, e)
		}
		// Where |xᵢ| > 1 every step so far was relative to |xᵢ| (the
		// small-step one excepted, whose round-off there is ε|f|/1e-6):
		// log-sum-exp at logits 5e7 saturates within a step of 300, and
		// Central and Ridders agree on a wrong 0.5 with tight estimates,
		// while the only value that allows softmax is the small-step one,
		// whose estimate (from noise measured at steps relative to |xᵢ|, 48
		// there) is no evidence (see out). One more value at an absolute
		// step follows the function's own scale there (unitStep).
		// The same where 0 < |xᵢ| < 0.1, at a step relative to |xᵢ|:
		// structure at the scale of a parameter of 1e-6 is crossed by steps
		// relative to max(1, |xᵢ|) (log1p((x/s)²) at s = 1e-6: numeric 1e-3
		// against an analytic 1e6, TestScalesAndDimensions).
		for _, i := range cmp.bad() {
			if ax := math.Abs(s.x[i]); set[i] && (ax > 1 || ax > 0 && ax < 0.1) {
				v, e := s.unitStep(fw, i, f0, math.Min(1, ax))
				cmp.addAlt(i, v, e)
			}
		}
		cmp.settle()
	}
	confirm(redone)
	// A wholesale escalation stopped after its first confirmations rests
	// the other entries on them. If the confirmation at small steps cleared
	// one of them after all, that rest is no evidence: every entry still
	// out is recomputed and confirmed like any other.
	cleared := false
	for i := range escalated {
		cleared = cleared || !cmp.out(i)
	}
	if wholesale(bad, len(a)) && cleared {
		more := make(map[int]bool)
		for _, i := range cmp.bad() {
			if !redone[i] {
				cmp.addAlt(i, cmp.n[i], cmp.est[i])
				cmp.n[i], cmp.est[i] = ridders(i)
				cmp.retol(i)
				redone[i], more[i] = true, true
				r.Escalated++
			}
		}
		confirm(more)
	}
	bad = cmp.bad()
	// A kink spoils the numerical derivative, and a gradient does not exist
	// there: look for one along the coordinates still out of tolerance, or
	// whose one-sided differences did not behave like a smooth function's,
	// at most maxEscalate of them.
	var suspects []int
	for i := range a {
		if (redone[i] && slices.Contains(bad, i) || jumps[i]) && len(suspects) < maxEscalate {
			suspects = append(suspects, i)
		}
	}
	kinked := s.kinks(fw, cmp, suspects, nil)
	bad = slices.DeleteFunc(bad, func(i int) bool { return slices.Contains(kinked, i) })
	cmp.stats(r)
	if len(bad) > 0 {
		s.add(cmp.diagnose(bad))
	}
}

// noisyULPs is the round-off, in ulps of f(x), beyond which f counts as
// noisy: computed in float32 inside (≈ 2²⁹ ulps of float64), or a sum whose
// terms cancel. A float64 sum of 1e5 terms carries ≈ 500 ulps.
const noisyULPs = 1 << 12

// ridders returns Ridders' derivative along coordinate i with its error
// estimate. For a function computed to float64 precision it is the engine's
// default (three starts, the estimate from the noise measured along the
// line). For a noisy f (σ > noisyULPs·ε|f(x)|) the line's own noise
// measurement misses round-off that does not move with one coordinate
// (float32 quantizes xᵢ, so f is exactly constant at the measurement's
// steps; issue 11 measured estimates of 1e-11 on values 2e-5 off), and the
// extrapolation from chance agreements is optimistic: one start at
// ridders0 = 0.1, whose steps stay above 0.1/1.4⁹ ≈ 4.8e-3 of
// max(1, |xᵢ|), with the estimate floored at the round-off those steps
// allow, roundoffFactor·σ/h_min (the engine's amplification factor of 2,
// gradients.roundoffFactor); a five-point difference at the step suited
// to σ (fivePoint) replaces it when its estimate is tighter, as it is for
// float32 inside f (0.1% one-entry bugs reported at 92 of 100 seeds
// instead of 69, TestClass1).
//
// A positive s0 is the first step, relative to max(1, |xᵢ|), instead of
// the default.
func (s *session) ridders(f func([]float64) float64, i int, sigma, f0, s0 float64) (float64, float64) {
	// At f(x) = 0 (an exact zero of a squared residual) no round-off is
	// relative to |f|: not noisy.
	noisy := f0 != 0 && sigma > noisyULPs*eps*math.Abs(f0)
	if !noisy {
		var gs *gradients.Settings
		if s0 > 0 {
			gs = &gradients.Settings{Method: gradients.Ridders, Step: s0}
		}
		v, e := gradients.DerivativeWithError(s.line(f, i), s.x[i], gs)
		return v, e + s.ulpFloor(f, i, f0)
	}
	if s0 == 0 {
		s0 = 0.1
	}
	v, e := gradients.DerivativeWithError(s.line(f, i), s.x[i], &gradients.Settings{Method: gradients.Ridders, Step: s0})
	hMin := s0 * math.Max(1, math.Abs(s.x[i])) / math.Pow(1.4, 9)
	e = math.Max(e, 2*sigma/hMin)
	if fv, fe := s.fivePoint(f, i, sigma, f0); fe < e {
		v, e = fv, fe
	}
	return v, e
}

// ulpFloor returns the limit of any method along coordinate i, as in
// screen: xᵢ is known only to an ulp, which moves the derivative by
// ε·|xᵢ|·|∂²f/∂xᵢ²|, the curvature from a second difference at 1e-4 of
// max(1, |xᵢ|) (2 evaluations). At an exact zero of a squared residual
// (f = 0, gradient 0) the round-off of Xw − y shows there and in no value
// of f, and Ridders' estimate, without it, rejected a gradient of exactly
// 0 against a numeric −1.1e-16 ± 6e-18 (TestExactZeroOfF).
func (s *session) ulpFloor(f func([]float64) float64, i int, f0 float64) float64 {
	line := s.line(f, i)
	xi := s.x[i]
	h := 1e-4 * math.Max(1, math.Abs(xi))
	h = (xi + h) - xi
	curv := math.Abs(line(xi+h)+line(xi-h)-2*f0) / (h * h)
	if !isFinite(curv) {
		return 0
	}
	return 4 * eps * math.Max(1, math.Abs(xi)) * curv
}

// fivePoint returns the five-point derivative along coordinate i at the
// step suited to noise σ, h = (σ/|f(x)|)^(1/5)·max(1, |xᵢ|) within [1e-3,
// 0.1] of it — the optimum of h⁴|f⁽⁵⁾|/30 + 1.5σ/h under the scale
// assumption |f⁽⁵⁾| ≈ |f| (NUMERICS.md) — with its error estimate:
// Richardson between h and 2h (|D(h) − D(2h)|/15) plus the round-off of
// its weights, Σ|wₖ|σ/h = 1.5σ/h, doubled. σ is the noise of the whole
// point, which for float32 inside f is the rounding of f's value, not of
// one term. 10 evaluations.
func (s *session) fivePoint(f func([]float64) float64, i int, sigma, f0 float64) (float64, float64) {
	line := s.line(f, i)
	xi := s.x[i]
	rel := 0.1
	if f0 != 0 {
		rel = math.Min(0.1, math.Max(1e-3, math.Pow(sigma/math.Abs(f0), 0.2)))
	}
	h := rel * math.Max(1, math.Abs(xi))
	h = (xi + h) - xi
	d := func(h float64) float64 {
		return (line(xi-2*h) - 8*line(xi-h) + 8*line(xi+h) - line(xi+2*h)) / (12 * h)
	}
	d1, d2 := d(h), d(2*h)
	// Plus the limit of any method, as in screen: x is known to an ulp,
	// which moves the derivative by ε·|xᵢ|·|f″|.
	curv := math.Abs(line(xi+h)+line(xi-h)-2*f0) / (h * h)
	e := math.Abs(d1-d2)/15 + 3*sigma/h + 4*eps*math.Max(1, math.Abs(xi))*curv
	if !isFinite(d1) || !isFinite(e) {
		return math.NaN(), math.Inf(1)
	}
	return d1, e
}

// unitStep returns a central difference along coordinate i at an absolute
// step h = ∛(4ε|f(x)|) (at least 1e-6), the optimum of Central for a
// function whose structure has scale 1 in xᵢ whatever |xᵢ|, with its error
// estimate: Richardson between h and 2h, plus the round-off of f measured
// at this step — the fourth differences of f over x ± 2h and over
// x ± 2h′ (h′ = 1.375h), whose h⁴f⁗ is below round-off at such steps, so
// that they show round-off (float32 included) and, if anything, curvature,
// never less than 4ε·max|f| — divided by h, plus the rounding of x ± h,
// ε|xᵢ|·|f″|. The engine's own noise measurement, at steps relative to
// |xᵢ|, mistakes f's curvature for noise where |xᵢ| ≫ 1: 1.8e6 ulps of f
// for log-sum-exp at logits 5e7. 9 evaluations.
//
// scale is the scale of the structure assumed: 1, or |xᵢ| where it is
// smaller; the step is scale·max(1e-6, ∛(4ε|f(x)|)), at least 64 ulps of xᵢ.
func (s *session) unitStep(f func([]float64) float64, i int, f0, scale float64) (float64, float64) {
	line := s.line(f, i)
	xi := s.x[i]
	h := scale * math.Max(1e-6, math.Cbrt(4*eps*math.Abs(f0)))
	h = math.Max(h, 64*eps*math.Abs(xi))
	h = (xi + h) - xi
	hp := (xi + 1.375*h) - xi
	fr1, fl1, fr2, fl2 := line(xi+h), line(xi-h), line(xi+2*h), line(xi-2*h)
	gr1, gl1, gr2, gl2 := line(xi+hp), line(xi-hp), line(xi+2*hp), line(xi-2*hp)
	fx := line(xi)
	d1, d2 := (fr1-fl1)/(2*h), (fr2-fl2)/(4*h)
	big := 0.0
	for _, v := range []float64{fr1, fl1, fr2, fl2, gr1, gl1, gr2, gl2, fx} {
		big = math.Max(big, math.Abs(v))
	}
	d4 := math.Max(math.Abs(fl2-4*fl1+6*fx-4*fr1+fr2), math.Abs(gl2-4*gl1+6*fx-4*gr1+gr2))
	round := math.Max(4*eps*big, d4)
	curv := math.Abs(fr1+fl1-2*fx) / (h * h)
	e := math.Abs(d1-d2)/3 + round/h + 4*eps*math.Abs(xi)*curv
	if !isFinite(d1) || !isFinite(e) {
		return math.NaN(), math.Inf(1)
	}
	return d1, e
}

// screenStep returns the relative step of the screen: Central's optimum
// ε^(1/3) for a function computed to full precision, and (σ/|f|)^(1/3) when
// its measured round-off σ is larger than ε|f| — the optimum of
// (h²/6)|f‴| + σ/h under the scale assumption |f‴| ≈ |f| (NUMERICS.md). A
// sum of 1e5 terms carries σ ≈ 500ε|f|, and the default step would leave an
// error of σ/h that hides a 1e-3 bug in one entry. It stays within
// [ε^(1/3), 1e-3]: when σ is not small against |f| the scale assumption
// says nothing.
func screenStep(sigma, f0 float64) float64 {
	h := gradients.OptimalStep(gradients.Central)
	if f0 == 0 {
		return h
	}
	return math.Min(1e-3, math.Max(h, math.Cbrt(sigma/math.Abs(f0))))
}

// screen computes the first, cheap numerical gradient: one-sided differences
// at the step h of screenStep and at 2h (4d evaluations). Their means are central
// differences D(h) and D(2h), whose difference estimates the truncation
// error (|D(h) − D(2h)|/3, Richardson), and the measured noise of f its
// round-off (σ/h). Their gaps J = right − left double from h to 2h where f
// is smooth (J ≈ h·f″) and stay put across a kink; jumps marks the
// coordinates where they did not double.
func (s *session) screen(f func([]float64) float64, f0 float64, a []float64) (cmp *comparison, jumps []bool, sigma float64) {
	d := len(s.x)
	sigma = math.Max(gradients.Noise(f, s.x), eps*math.Abs(f0))
	h := screenStep(sigma, f0)
	r1, l1 := gradients.OneSided(nil, nil, f, s.x, &gradients.Settings{Step: h, Workers: s.c.workers})
	r2, l2 := gradients.OneSided(nil, nil, f, s.x, &gradients.Settings{Step: 2 * h, Workers: s.c.workers})
	cmp = &comparison{property: "gradient", rows: d, cols: 1, a: a, n: make([]float64, d), est: make([]float64, d), margin: s.c.margin, what: "analytic gradient"}
	jumps = make([]bool, d)
	for i := range s.x {
		hi := h * math.Max(1, math.Abs(s.x[i]))
		d1, d2 := (r1[i]+l1[i])/2, (r2[i]+l2[i])/2
		cmp.n[i] = d1
		// Truncation (Richardson), round-off of f (σ/h), and the limit of
		// any method: x itself is known only to an ulp, which moves the
		// derivative by ε·|xᵢ|·|∂²f/∂xᵢ²| (with ∂²f/∂xᵢ² ≈ (right − left)/h).
		// At an exact zero of a squared residual the round-off of Xw − y
		// shows there and nowhere in f's values.
		curv := math.Abs(r1[i]-l1[i]) / hi
		cmp.est[i] = math.Abs(d1-d2)/3 + sigma/hi + 4*eps*math.Max(1, math.Abs(s.x[i]))*curv
		j1, j2 := r1[i]-l1[i], r2[i]-l2[i]
		// Round-off in a gap is up to 4σ/h; smooth gaps double (ratio 2),
		// a kink's stays (ratio 1): suspect below 1.5 when the gap is
		// clear of noise and of the central difference's uncertainty.
		jumps[i] = math.Abs(j1) > 40*sigma/hi && math.Abs(j1) > s.c.margin*cmp.est[i] && !(math.Abs(j2) >= 1.5*math.Abs(j1))
	}
	cmp.tolerances()
	return cmp, jumps, sigma
}

// line returns f along coordinate i: t ↦ f(x with xᵢ = t), evaluated on a
// fresh copy of x each time.
func (s *session) line(f func([]float64) float64, i int) func(float64) float64 {
	work := make([]float64, len(s.x))
	return func(t float64) float64 {
		copy(work, s.x)
		work[i] = t
		return f(work)
	}
}

// kinks confirms kinks of f at x along the suspected entries — coordinates,
// or with dirs the directions of a random-direction check — records a
// Nondifferentiable failure for them, and returns them.
func (s *session) kinks(f func([]float64) float64, cmp *comparison, suspects []int, dirs [][]float64) []int {
	var kinked []int
	var first kink
	for _, i := range suspects {
		if !isFinite(cmp.n[i]) {
			continue
		}
		var phi func(float64) float64
		var t0 float64
		if dirs != nil {
			phi, t0 = s.along(f, dirs[i]), 0
		} else {
			phi, t0 = s.line(f, i), s.x[i]
		}
		if k := findKink(phi, t0, cmp.margin*cmp.est[i]); k.found {
			if len(kinked) == 0 {
				first = k
			}
			kinked = append(kinked, i)
		}
	}
	if len(kinked) == 0 {
		return nil
	}
	i := kinked[0]
	unit := "coordinates"
	if dirs != nil {
		unit = "directions"
	}
	fl := cmp.failure(Nondifferentiable, i, len(kinked), fmt.Sprintf(
		"f has a kink at x along %s (%d of %d %s): its one-sided derivatives are %.6g (right) and %.6g (left), and their gap does not shrink with the step (%s); no gradient exists there to check — not a verdict on grad: check at another point",
		cmp.name(i), len(kinked), len(cmp.a), unit, first.right, first.left, first.evidence))
	s.add(fl)
	return kinked
}

// directional runs the random-direction check of CheckGradient.
func (s *session) directional(f func([]float64) float64, a []float64, r *Report) {
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
	kinked := s.kinks(f, cmp, bad, dirs)
	bad = slices.DeleteFunc(bad, func(m int) bool { return slices.Contains(kinked, m) })
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

// maxEscalate bounds the entries recomputed with Ridders' method when a
// wholesale bug puts every entry out of tolerance: if the worst maxEscalate
// are all confirmed, the rest keep their Central verdicts (a failure is then
// backed by Ridders on maxEscalate entries); if any is not, every entry is
// recomputed.
const maxEscalate = 64

// wholesaleConfirm is how many of the worst entries of a wholesale bug are
// recomputed before the rest keep their screen verdicts: when the screen
// puts most entries out by more than margin estimates each (a constant
// factor, a sign, a transpose), the worst one confirmed by Ridders' method,
// at small steps and by the kink search settles that the gradient is
// wrong, and confirming every entry would cost ≈ 90 evaluations each (31×
// a central difference at d = 100, 48× at d = 10). If the confirmation
// does not hold, every entry is recomputed.
const wholesaleConfirm = 1

// wholesale reports whether the entries bad of d make a wholesale failure:
// at least four, and at least half of the entries.
func wholesale(bad []int, d int) bool {
	return len(bad) >= 4 && 2*len(bad) >= d
}

// escalate recomputes the entries bad with redo, worst first, within the
// bound of maxEscalate, and returns the entries it recomputed.
func (s *session) escalate(bad []int, redo func(i int), cmp *comparison) (redone map[int]bool) {
	redone = make(map[int]bool, min(len(bad), maxEscalate))
	order := slices.Clone(bad)
	slices.SortStableFunc(order, func(i, j int) int {
		ri := math.Abs(cmp.a[i]-cmp.n[i]) / cmp.tol[i]
		rj := math.Abs(cmp.a[j]-cmp.n[j]) / cmp.tol[j]
		return cmpFloat(rj, ri)
	})
	limit := maxEscalate
	if wholesale(bad, len(cmp.a)) {
		limit = wholesaleConfirm
	}
	confirmed := true
	for n, i := range order {
		if n == limit && confirmed {
			return redone
		}
		redo(i)
		redone[i] = true
		confirmed = confirmed && cmp.out(i)
	}
	return redone
}
