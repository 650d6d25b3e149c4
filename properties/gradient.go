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
// error estimates (3d evaluations of f: f(x ± h) and f(x + 2h) along each
// coordinate, plus 15 to measure f's round-off and 4 at x). Entries out of tolerance are
// computed again with Ridders' method and once more at small steps before
// any verdict, so a failure is always backed by the more accurate method;
// an entry confirmed wrong costs about 90 more evaluations (two Ridders
// derivatives with their noise measurements, and a ladder of steps down to
// 64 ulps of xᵢ that looks for a kink or other structure near x, about 33).
// Entries that pass with a tight tolerance are summed in blocks of 64
// coordinates, and Ridders' derivative of f along each sum is compared
// with the analytic one: a block that disagrees is halved down to the
// entries to escalate (blocksums.go), so that a one-entry bug of about 100
// error estimates of Ridders' value on its line is reported, down to 1e-10
// of the entry (docs/NUMERICS.md, "Block sums"). A correct gradient costs
// 3d + 20 evaluations (the fixed ones above and one for the stale-state
// probe) and about 30 per block where the screen's tolerances are tight,
// about 15 for a block of at least half of the coordinates, which takes
// the screen's measured noise instead of measuring its own: about 1.75× a
// plain central difference for large d, 3.3× at d = 10.
// Entries that pass with a loose one (f computed in float32,
// |f| ≫ ‖∇f‖) get a second opinion from the ladder of kink.go, sharpened
// by two Ridders extrapolations where it is loose (sharpen.go), for at
// most Settings.SecondOpinions entries, the loosest first (64 by default;
// Report.NoSecondOpinion counts the others, docs/NUMERICS.md);
// bench/README.md ("Cost of a check, correct and wrong") counts the
// evaluations. A loose entry the bound left without a second opinion is
// no pass: it gets no verdict (Kind Unresolved), with the number of such
// entries, the largest error their tolerances would pass, and how to lift
// the bound (a negative Settings.SecondOpinions, or fewer parameters per
// check).
//
// Where round-off in f hides the derivative (a flat or saturated region,
// a value of 30 with a gradient of 1e-12), the estimated error is large,
// the tolerance with it: the check cannot see a bug there and claims
// neither a bug nor a pass. An entry (with Settings.Directions, a
// direction) whose every numeric value that allows
// it — after Ridders' method and the ladder, each for at most
// Settings.SecondOpinions entries — would allow an error of 50% of it,
// and that is not negligible (see the package documentation), gets no
// verdict (Kind Unresolved); a bug in other entries is reported first.
//
// With Settings.Directions = k > 0 the check compares directional
// derivatives ∇f·u with numerical ones along k random directions u with
// entries ±max(1, |xᵢ|) (Rademacher signs from Settings.Seed), for about
// 30 evaluations of f per direction (15 of them measure its round-off)
// instead of O(d). A bug vector e (analytic − true
// gradient) is seen along u unless e·u cancels: for a bug in one entry that
// never happens (e·u = ±eᵢ·max(1,|xᵢ|)), and for any e a direction misses it
// with probability at most 1/2 (Littlewood–Offord; exactly 1/2 for two
// equal entries of opposite sign), so k directions miss it with probability
// at most 2⁻ᵏ. A one-entry bug must exceed the directional tolerance, which
// grows like √d times the per-coordinate one. A direction out of tolerance
// is computed again at small steps inside the nearest kink along u and
// read with the ladder before any verdict, as a coordinate is
// (docs/NUMERICS.md, "Random directions across kinks"), and one in
// tolerance only loosely (f computed in float32) is sharpened as a
// coordinate is. A direction along
// which f has a kink at x is reported as Nondifferentiable, as a coordinate
// is.
//
// f and grad receive copies of x, never x itself. A panic in f or grad is
// recovered, so CheckGradient never panics because of them: at x it is
// reported, away from x (at a step of the numerical derivative) it is an
// edge of f's domain, like NaN, and the derivative is taken with the steps
// that stay inside (see the package documentation). It
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
	return check("gradient", x, c, &Report{Property: "gradient", Dim: len(x)}, func(ss *session, r *Report) { ss.gradient(f, grad, r) })
}

func (s *session) gradient(f func([]float64) float64, grad func(dst, x []float64), r *Report) {
	if len(s.x) == 0 || !s.checkX() {
		return
	}
	f0, okF := s.checkValue(f)
	a, okG := s.checkVector("grad", grad, len(s.x))
	if !okF || !okG {
		s.overflowed(f0, a)
		return
	}
	fw := s.scalar(f)
	s.gradAfter.f, s.gradAfter.grad, s.gradAfter.a = f, grad, a // serialCheck and staleGradient follow the check (runAfter)
	if s.c.directions > 0 {
		s.directional(fw, f0, a, r)
		return
	}
	cmp, jumps, sigma := s.screen(fw, f0, a)
	cmp.sigma, cmp.hasSigma, cmp.at = sigma, true, s.x
	bad := cmp.bad()
	screenBad := bad
	// The screen's tight tolerances are 1e4…1e5 of Ridders' estimates:
	// sums over blocks of the entries it passed tightly nominate those
	// whose smaller errors show (blocksums.go). Not after a wholesale
	// failure, which is a bug whatever the rest. The nominated entries are
	// recomputed like bad ones, but are not among them: they do not make
	// a wholesale failure of the screen's few (a softmax at weights of
	// 1e196 with 1 entry out and 6 nominated of 12 was read as one, and
	// the rest kept the screen's values; FuzzGradient).
	var nominated []int
	if !wholesale(bad, len(a)) {
		skip := make([]bool, len(a))
		for _, i := range bad {
			skip[i] = true
		}
		for _, i := range cmp.loose() {
			skip[i] = true
		}
		sums := func() { nominated = s.blockSums(fw, f0, cmp, func(i int) bool { return skip[i] || jumps[i] }) }
		s.leanlyOrWatched(sums)
		if len(nominated) > 0 {
			cmp.nominated = make(map[int]bool, len(nominated))
			for _, i := range nominated {
				cmp.nominated[i] = true
			}
		}
	}
	r.Escalated = len(bad) + len(nominated)
	// Escalate: recompute the doubtful entries with Ridders' method, whose
	// error is 1e-14-ish where Central's is 1e-10-ish.
	redo := func(i int) {
		// The screen's value stays one of the entry's values, except on a
		// suspect line: its estimate there left out the truncation to send
		// the entry on (screen), and the value, D(h) across what may be a
		// kink, is no derivative to weigh (a softmax cross-entropy at
		// weights of −8e4: −0.633966 ± 2e-12 for −0.633972 refuted the
		// correct value once the ladder had resolved nothing;
		// FuzzGradient). Ridders' value is then confirmed at small steps
		// whatever it says (below).
		if !jumps[i] {
			v := cmp.value(i)
			cmp.addAlt(i, v.v, v.e, v.reach)
		}
		v, e := gradients.DerivativeWithError(s.line(fw, i), s.x[i], nil)
		// Its reach is not recorded: the engine's starts run from
		// 0.1 to 0.1/256 of max(1, |xᵢ|), and which one it kept is
		// not known here.
		cmp.setValue(i, estimate{v: v, e: e})
	}
	redone := s.escalate(bad, redo, cmp)
	if len(nominated) > 0 && redone == nil {
		redone = make(map[int]bool, len(nominated))
	}
	for _, i := range nominated {
		redo(i)
		redone[i] = true
	}
	// The confirmation at small steps and the kink search follow the
	// escalation, within its bound: when a wholesale bug put most entries
	// out of tolerance and the worst were confirmed, the rest keep their
	// Central verdicts instead of costing ≈ 90 evaluations each (a 2× bug
	// cost 38× a central difference at d = 100 when every entry was).
	confirmed := make(map[int]bool)
	confirm := func(set map[int]bool) {
		for _, i := range cmp.bad() {
			if !set[i] {
				continue
			}
			confirmed[i] = true
			// The estimate's round-off comes from the noise measured along
			// this coordinate's line (at two scales, gradients.Noise). Not
			// the noise σ of the whole point: moving every coordinate
			// changes every term of a sum, one coordinate only its own, and
			// σ/crossStep overstated the error 500× on Σcᵢxᵢ² at
			// d = 100 000, where it let a 1% bug in one entry pass
			// (BenchmarkDirectionsVsFull).
			v, e := gradients.DerivativeWithError(s.line(fw, i), s.x[i], crossSettings(s.x[i]))
			cmp.addAlt(i, v, e, crossStep)
		}
		cmp.settle()
	}
	if len(redone) > 0 {
		confirm(redone)
	}
	// A wholesale escalation stopped after its first confirmation rests the
	// other entries on it. If the confirmation at small steps cleared it
	// after all, that rest is no evidence: every entry still out is
	// recomputed and confirmed like any other.
	cleared := false
	for i := range redone {
		cleared = cleared || !cmp.out(i)
	}
	if wholesale(bad, len(a)) && cleared {
		more := make(map[int]bool)
		for _, i := range cmp.bad() {
			if !redone[i] {
				redo(i)
				redone[i], more[i] = true, true
			}
		}
		confirm(more)
	}
	if len(redone) > 0 {
		bad = cmp.bad() // nothing was computed again otherwise
	}
	// A kink spoils the numerical derivative, and a gradient does not exist
	// there: look for one along the coordinates still out of tolerance, or
	// whose screen values did not behave like a smooth function's,
	// at most maxEscalate of them.
	var suspects []int
	for i := range a {
		if (len(redone) > 0 && redone[i] && slices.Contains(bad, i) || jumps[i] || !isFinite(cmp.n[i])) && len(suspects) < maxEscalate {
			suspects = append(suspects, i)
		}
	}
	var kinked []int
	if len(suspects) > 0 {
		kinked = s.kinks(cmp, suspects, jumps, s.coordinates(fw, f0))
	}
	// Entries cleared by a value less precise than one that refutes them
	// get the ladder's second opinion, as loose ones do below.
	if doubted := doubted(cmp, redone, kinked); len(doubted) > 0 {
		kinked = append(kinked, s.kinks(cmp, doubted, nil, s.coordinates(fw, f0))...)
		suspects = append(suspects, doubted...)
	}
	// The wholesale shortcut rested the entries it did not recompute on
	// the confirmation of the worst. If the ladder cleared a confirmed
	// entry after all, or found structure that its steps could not get
	// below (no verdict there: the confirmation is no evidence either way;
	// the same softmax at other weights of 4e195), or its steps stayed
	// inside structure that the screen's
	// and Ridders' steps crossed: a softmax cross-entropy at weights of
	// 4e195, whose logits change order within the screen's step, where
	// the screen's third difference can vanish, docs/NUMERICS.md "The
	// screen's four points"), that rest is no evidence: every entry still
	// out is recomputed, confirmed at small steps and read by the ladder,
	// like any other.
	if wholesale(screenBad, len(a)) && slices.ContainsFunc(screenBad, func(i int) bool {
		return redone[i] && (!cmp.out(i) || slices.Contains(kinked, i))
	}) {
		more := make(map[int]bool)
		for _, i := range cmp.bad() {
			if !redone[i] && !slices.Contains(kinked, i) && len(more) < maxEscalate {
				redo(i)
				redone[i], more[i] = true, true
			}
		}
		if len(more) > 0 {
			confirm(more)
			var still []int
			for _, i := range cmp.bad() {
				if more[i] {
					still = append(still, i)
				}
			}
			kinked = append(kinked, s.kinks(cmp, still, jumps, s.coordinates(fw, f0))...)
			suspects = append(suspects, still...)
		}
	}
	// Entries that passed with a loose tolerance (float32 noise, |f| ≫
	// ‖∇f‖, |xᵢ| ≫ 1) get the ladder's second opinion, which may show that
	// their agreement was no evidence, within Settings.SecondOpinions.
	loose, left := s.secondOpinions(cmp)
	if len(loose) > 0 {
		kinked = append(kinked, s.kinks(cmp, loose, nil, s.coordinates(fw, f0))...)
		suspects = append(suspects, loose...)
	}
	r.NoSecondOpinion = left
	if len(redone) > 0 || len(suspects) > 0 {
		// Otherwise nothing was recomputed or read by the ladder since
		// the screen found bad empty, and nothing kinked.
		bad = slices.DeleteFunc(cmp.bad(), func(i int) bool { return slices.Contains(kinked, i) })
	}
	// A failure is backed by the small steps too. Ridders' value may clear
	// an entry with the margin's tolerance at the escalation, so that it is
	// not confirmed, and refute it once the ladder has read it and
	// resolved nothing (its values are then held to agreeFactor error
	// estimates, out): where Ridders' first steps crossed structure its
	// estimate can fall short (a softmax loss at weights of 8e4, whose
	// logits move by 1e4 over Ridders' first step: −0.678 ± 0.006 for
	// −0.634), and the small steps decide. Their value counts only if it
	// could have seen the error: tighter than the most precise value that
	// refutes the analytic one, or contradicting it (informativeAgainst).
	// One consistent with both is no evidence, and would have cleared
	// gonum's flat NoncentralT.CDF at x = 2.1e6 (a confirmed bug: 7.5e-10
	// ± 2e-9 for the density 7.5e-10, against 0 ± 2e-17 of the small steps
	// of the screen). Not for a wholesale bug, whose worst entries were
	// confirmed already.
	if len(redone) > 0 && !wholesale(bad, len(a)) {
		n := 0
		for i := range a {
			if !redone[i] || confirmed[i] || n == maxEscalate {
				continue
			}
			if !slices.Contains(bad, i) && !(jumps[i] && !slices.Contains(kinked, i)) {
				continue
			}
			n++
			v := estimate{}
			v.v, v.e = gradients.DerivativeWithError(s.line(fw, i), s.x[i], crossSettings(s.x[i]))
			if ref, tolRef, ok := cmp.refuter(i); !ok || informativeAgainst(v, cmp.altTol(i, v), ref, tolRef) {
				cmp.addAlt(i, v.v, v.e, crossStep)
			}
		}
		if n > 0 {
			cmp.settle()
			bad = slices.DeleteFunc(cmp.bad(), func(i int) bool { return slices.Contains(kinked, i) })
		}
	}
	riddersAt := func(i int, start float64) (estimate, float64) {
		v, e := gradients.DerivativeWithError(s.line(fw, i), s.x[i], riddersSettings(start))
		h0 := start * math.Max(1, math.Abs(s.x[i]))
		return estimate{v, e, h0}, h0
	}
	if len(nominated) > 0 && s.confirmStanding(cmp, s.coordinates(fw, f0), riddersAt) {
		bad = slices.DeleteFunc(cmp.bad(), func(i int) bool { return slices.Contains(kinked, i) })
	}
	examined := make(map[int]bool, len(redone)+len(suspects))
	for i := range redone {
		examined[i] = true
	}
	for _, i := range suspects {
		examined[i] = true
	}
	// What the second opinions leave unresolved is no pass: no verdict,
	// after the verdict on the others (a bug elsewhere is still a bug).
	// What a confirmed value refutes there is a bug like the others.
	refuted, unresolved := s.unresolved(cmp, bad, redone, examined, riddersAt, func(int) (string, float64) { return "f(x)", f0 }, s.coordinates(fw, f0))
	if len(refuted) > 0 {
		bad = append(bad, refuted...)
		slices.Sort(bad)
	}
	unasked := s.unasked(cmp, examined, left)
	cmp.stats(r)
	if len(bad) > 0 {
		s.add(cmp.diagnose(bad))
	}
	if unresolved != nil {
		s.add(unresolved)
	}
	if unasked != nil {
		s.add(unasked)
	}
}

// doubted returns the entries of redone, not in kinked, that are in
// tolerance although their most precise numeric value refutes the analytic
// one, at most maxEscalate of them, in order. A less precise value that
// allows the analytic one may have been too uncertain to see the error (the
// small-step value, with the line's noise over a step of 1e-6, allowed a
// bug of 1e-6·‖∇f‖∞ at d = 10⁴ that Ridders resolved to 4e-11), or the
// precise one crossed structure narrower than its steps (logistic losses
// whose logits move by 10 over a step of 1e-5: Ridders 0.6× the derivative
// with an estimate of 1e-6 of it, the small-step value right). The ladder of
// kink.go tells the two apart: out reads the others against its value
// (docs/NUMERICS.md, "The screen's noise along each line").
func doubted(cmp *comparison, redone map[int]bool, kinked []int) []int {
	if len(redone) == 0 {
		return nil
	}
	var out []int
	for i := range cmp.a {
		if _, done := cmp.ladder[i]; done || !redone[i] || slices.Contains(kinked, i) || cmp.out(i) {
			continue
		}
		best := cmp.value(i)
		for _, alt := range cmp.alts[i] {
			if alt.e < best.e {
				best = alt
			}
		}
		if !(math.Abs(cmp.a[i]-best.v) <= cmp.altTol(i, best)) {
			out = append(out, i)
		}
		if len(out) == maxEscalate {
			break
		}
	}
	return out
}

// overflowed turns the NotFinite failures of f(x) = ±Inf and of grad(x)
// into one no-verdict when grad(x) has an infinite entry too: f's exact
// value lies beyond float64's range at x (a log-density −(x/λ)ᵏ with
// k·log(x/λ) > 709), where ±Inf is its correct rounding and its derivative,
// which grows with it, overflows as well; no finite difference exists there.
// An infinite f(x) with a finite gradient (a log(0) where the loss is ≈ z)
// stays a NotFinite verdict: the gradient says f is finite there.
func (s *session) overflowed(f0 float64, a []float64) {
	if !math.IsInf(f0, 0) || !slices.ContainsFunc(a, func(v float64) bool { return math.IsInf(v, 0) }) {
		return
	}
	j := slices.IndexFunc(a, func(v float64) bool { return math.IsInf(v, 0) })
	s.fails = slices.DeleteFunc(s.fails, func(f *Failure) bool { return f.Kind == NotFinite })
	fl := noEntry(Nondifferentiable, fmt.Sprintf("f(x) = %v and grad(x)[%d] = %v: f overflows float64 at x, and its derivative with it, so no finite difference and no comparison exists there — not a verdict on grad: check at another point", f0, j, a[j]))
	fl.Row, fl.Col, fl.Analytic = j, 0, a[j]
	s.add(fl)
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

// screen computes the first, cheap numerical gradient from four values on
// each coordinate's line, f(x − h), f(x), f(x + h) and f(x + 2h) at the
// step h of screenStep (3d evaluations: the one-sided differences at h and
// a forward difference at 2h). The central difference D(h) is the value;
// the third difference T = f(x+2h) − 3f(x+h) + 3f(x) − f(x−h) ≈ h³·f‴
// gives its truncation error h²|f‴|/6 ≈ |T|/6h, and the noise of f along
// the coordinate's line its round-off (σᵢ/h, lineNoise: read from the same
// third differences, no evaluation more). The second differences at x and
// at x + h, S₀ and S₁, agree where f is smooth (S₁ − S₀ = T) and not
// across a kink from h left of x to h/3 right of it or from 0.6h to h
// right of it; jumps marks the coordinates where they did not
// (docs/NUMERICS.md, "The screen's four points").
func (s *session) screen(f func([]float64) float64, f0 float64, a []float64) (cmp *comparison, jumps []bool, sigma float64) {
	d := len(s.x)
	// The noise is at least the precision floor of f(x) and of the
	// measurement's values: a float32 staircase does not move at the
	// measurement's spacings (precision.go). The floor widens the
	// tolerances and the line noise; the step follows the measured noise
	// (docs/NUMERICS.md, "The first noise: the precision floor of f's
	// values", says why).
	s.seen = oneValueBits{}
	s.seen.see(f0)
	floor := eps * math.Abs(f0)
	sigma = maxOf(gradients.Noise(s.recording(f), s.x), floor)
	h := screenStep(sigma, f0)
	floor = maxOf(floor, s.seen.precisionFloor())
	sigma = maxOf(sigma, floor)
	r1, l1, r2 := s.floats(d), s.floats(d), s.floats(d)
	s.quietly(int64(2*d+1), func() { gradients.OneSided(r1, l1, f, s.x, &gradients.Settings{Step: h, Workers: s.c.workers}) })
	s.quietly(int64(d+1), func() {
		gradients.Gradient(r2, f, s.x, &gradients.Settings{Method: gradients.Forward, Step: 2 * h, Workers: s.c.workers})
	})
	s.cmp = comparison{property: "gradient", rows: d, cols: 1, a: a, n: s.floats(d), est: s.floats(d), tol: s.carve(d), margin: s.c.margin, what: "analytic gradient"}
	cmp, jumps = &s.cmp, s.bools(d)
	// The second and third differences of each line's four values;
	// lineNoise reads all the third ones before any tolerance is set, and
	// the second ones wait in n.
	t3 := s.floats(d)
	for i, xi := range s.x {
		cmp.n[i], t3[i] = lineDifferences(xi, h, r1[i], l1[i], r2[i])
	}
	lineSigma := lineNoise(s.floats(d), s.carve(d), t3, sigma, floor)
	for i, xi := range s.x {
		hi := h * maxOf(1, math.Abs(xi))
		s0, third := cmp.n[i], t3[i]
		cmp.n[i] = (r1[i] + l1[i]) / 2
		// Round-off of f (σ/h), and the limit of any method: x itself is
		// known only to an ulp, which moves the derivative by
		// ε·|xᵢ|·|∂²f/∂xᵢ²| (with ∂²f/∂xᵢ² ≈ (right − left)/h). At an
		// exact zero of a squared residual the round-off of Xw − y shows
		// there and nowhere in f's values.
		curv := math.Abs(r1[i]-l1[i]) / hi
		noise := lineSigma[i]/hi + 4*eps*maxOf(1, math.Abs(s.x[i]))*curv
		// A kink within h of x: S₁ = 0 where it is left of x or at x
		// (f is linear over [x, x+2h] but for its smooth part), and
		// S₀ = Δ·(h − t), S₁ = Δ·t at t ∈ (0, h) right of x, for a
		// change Δ·h of slope·step; where f is smooth S₁ − S₀ = T ≈
		// h³f‴, small against S₀ ≈ h²f″ (S₁ − S₀ is T up to the
		// rounding of the steps). Round-off in S₀ is up to 4σ
		// (deviation √6σ) and in S₁ − S₀ √20σ: suspect when S₀ is clear
		// of 40σ and of the round-off of the central difference, and S₁
		// differs from it by more than half of it (4.5 deviations of
		// noise). The gate reads the round-off only: a kink raises the
		// truncation term by itself.
		jumps[i] = math.Abs(s0) > 40*sigma && math.Abs(s0)/hi > s.c.margin*noise && math.Abs(third) > 0.5*math.Abs(s0)
		// Truncation: D(h) = f′ + h²f‴/6 + O(h⁴), and T/h³ is f‴ at
		// about x + h/2. Where the values did not behave like a smooth
		// function's, T is the kink's (Δ·|2t − h|), no truncation: a
		// tolerance of margin·Δ/6 would pass a one-sided slope at a kink
		// at x, and the ladder, which reads it, would see no kink within
		// it. The round-off alone is tighter and can only cost an
		// escalation (Ridders' method, the small steps and the ladder
		// decide such an entry).
		cmp.est[i] = noise
		if !jumps[i] {
			cmp.est[i] += math.Abs(third) / (6 * hi)
			// f(x + 2h) sets the estimate. A suspect line's value records
			// none: its steps saw structure, so it never counts as one
			// that stayed below it (structure.go, kinks).
			cmp.setReach(i, 2*hi)
		}
		if !isFinite(cmp.est[i]) {
			// A value of f that is not finite (a step left f's domain or
			// overflowed): no estimate, and a NaN tolerance puts the
			// entry out, so it is recomputed. An infinite one would pass
			// any analytic value.
			cmp.est[i] = math.NaN()
		}
	}
	cmp.tolerances()
	return cmp, jumps, sigma
}

// lineDifferences returns the second difference S₀ = f(x+h) − 2f(x) +
// f(x−h) and the third difference T = f(x+2h) − 3f(x+h) + 3f(x) − f(x−h)
// along a coordinate at xi, from the screen's quotients right = (f(x+h) −
// f(x))/h, left = (f(x) − f(x−h))/h and fwd2 = (f(x+2h) − f(x))/2h at the
// step h·max(1, |xi|). They are divided differences over the steps
// actually taken (x + h rounds), scaled to the nominal step: a quadratic's
// third difference is 0 to the rounding of the arithmetic whatever the
// rounding of the points, and no power of the step is formed that could
// overflow.
func lineDifferences(xi, h, right, left, fwd2 float64) (s0, t float64) {
	hi := h * math.Max(1, math.Abs(xi))
	p1, m1, p2 := (xi+hi)-xi, xi-(xi-hi), (xi+2*hi)-xi
	far := (fwd2*p2 - right*p1) / (p2 - p1)      // the slope over [x+h, x+2h]
	g0 := (right - left) * hi * (hi / (p1 + m1)) // f[x−h, x, x+h]·hᵢ²
	g1 := (far - right) * hi * (hi / p2)         // f[x, x+h, x+2h]·hᵢ²
	return 2 * g0, 6 * (g1 - g0) * (hi / (p2 + m1))
}

// line returns f along coordinate i: t ↦ f(x with xᵢ = t), evaluated on a
// copy of x that holds x again at each call (onLine).
func (s *session) line(f func([]float64) float64, i int) func(float64) float64 {
	work := slices.Clone(s.x)
	return func(t float64) float64 { return s.onLine(f, work, i, t) }
}

// maxEscalate bounds the entries recomputed with Ridders' method when a
// wholesale bug puts every entry out of tolerance: if the worst maxEscalate
// are all confirmed, the rest keep their Central verdicts (a failure is then
// backed by Ridders on maxEscalate entries); if any is not, every entry is
// recomputed.
const maxEscalate = 64

// wholesaleConfirm is how many of the worst entries of a wholesale failure
// are recomputed before the rest keep their screen verdicts: when the screen
// puts most entries out by more than Margin estimates each (a constant
// factor, a sign, a transpose), the worst one confirmed by Ridders' method,
// at small steps and by the kink search settles that the gradient is wrong,
// and confirming every entry would cost ≈ 90 evaluations each. If the
// confirmation does not hold, every entry is recomputed.
const wholesaleConfirm = 1

// wholesale reports whether the entries bad of d make a wholesale failure:
// at least four, and at least half of the entries.
func wholesale(bad []int, d int) bool {
	return len(bad) >= 4 && 2*len(bad) >= d
}

// escalate recomputes the entries bad with redo, worst first, within the
// bound of maxEscalate (wholesaleConfirm for a wholesale failure), and
// returns the entries it recomputed.
func (s *session) escalate(bad []int, redo func(i int), cmp *comparison) (redone map[int]bool) {
	if len(bad) == 0 {
		return nil
	}
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
