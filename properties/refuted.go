package properties

import "math"

// A riddersValue is one of ridders' values of an entry: Ridders'
// extrapolation from the first step start, relative to max(1, |xⱼ|) (along
// a direction, to its unit), which is h0 in absolute terms, with its
// estimate floored at 2σ/h0.
type riddersValue struct {
	estimate
	start, h0 float64
}

// refuted decides the entries of cmp that would otherwise be unresolved
// but that a value precise enough to have seen the error refutes, and
// returns them: they are out of tolerance now (out), a verdict like any
// other. tried holds ridders' values of each entry; value and ln are those
// of unresolved.
//
// An entry is unresolved when every value that allows its analytic value
// a is too wide to tell a from an error of 50% (comparison.unresolved). A
// value that refutes a may still have seen the error: its tolerance is
// below the discrepancy |a − v|. It decides the entry when
//
//   - it is ridders' (the values of the screen and of small steps are
//     loose there, and the ladder's has its own rule, out), the tightest
//     such value that refutes a, ref;
//   - no value that allows a, the ladder's among them, could have seen the
//     error against it (informativeAgainst: none is tighter than ref or
//     contradicts it; one that does gives a the benefit of the doubt, as
//     out does);
//   - the line moves at ridders' steps, or the coordinate's effect is not
//     absorbed by larger terms (confirmNoise, lines.absorbed);
//   - and it is confirmed from a smaller first step, as confirmAlong
//     confirms a refutation along a direction: Ridders' steps from ref's
//     start cross structure the ladder, whose top step is 1e-3 or near it,
//     does not read (a kink of a flat f 0.003 from x gave 1.47e-11 ± 3e-13
//     for a derivative of 1e-11), and once a first step is inside the
//     distance to the nearest structure its value is a derivative at x.
//     The first steps descend from ref's by confirmDecade, while their
//     round-off, 2σ/h0, still lets a value refute a (agreeFactor such
//     floors below |a − ref|), at most confirmDepth times: a value that
//     agrees with ref, refutes a too, and whose step sees the line
//     straight within its own estimate (straight) confirms it; a value that
//     allows a and could have seen the error against ref clears a instead
//     (it joins the entry's values). A descent that ends without either
//     leaves the entry unresolved.
//
// Where this holds the entry is decided as the ladder's values decide
// (comparison.resolved): ref takes the place of a ladder's value too wide
// to have seen the discrepancy, as decisive drops one along a direction.
// It costs, for each entry that one of ridders' values refutes, 11
// evaluations for the line's precision, and for each step of the descent
// one Ridders extrapolation and 11 for straight: about 50 where the first
// step confirms (docs/NUMERICS.md, "Refutations a smaller step
// confirms"). Where nothing refutes, nothing.
func (s *session) refuted(cmp *comparison, tried map[int][]riddersValue, value func(i int, start float64) (estimate, float64), ln lines) []int {
	norm := cmp.norm()
	var out []int
	for i := range cmp.a {
		if len(tried[i]) == 0 || !cmp.unresolved(i, norm) {
			continue
		}
		if _, ok := tightestRefuting(cmp, i, tried[i], 0); !ok {
			continue // the common case: nothing refutes, nothing to sample
		}
		phi, t0, _ := ln.line(i)
		phi = withinDomain(phi)
		psi := func(t float64) float64 { return phi(t0 + t) }
		h := tried[i][0].h0
		sigma, flat := confirmNoise(cmp, i, psi, h)
		if flat && ln.absorbed != nil && ln.absorbed(i, h, cmp.a[i]) {
			continue // the coordinate's effect is absorbed, not absent
		}
		ref, ok := tightestRefuting(cmp, i, tried[i], sigma)
		if !ok || allowedInformatively(cmp, i, ref.estimate) {
			continue
		}
		if confirmRefutation(cmp, i, ref, sigma, psi, value) {
			// Without its reach: a reach in the ladder's place marks a
			// plateau below structure (informativeAgainstLadder), and
			// ref is none.
			cmp.resolved(i, estimate{v: ref.v, e: ref.e}, false)
			out = append(out, i)
		}
	}
	return out
}

// confirmNoise returns the round-off σ of the line ψ of entry i (ψ(0) at
// x) that the confirmation of a refutation takes: the noise the check
// measured for the entry's function (comparison.noise), and at least the
// precision floor of ψ's values (precision.go) at 0 and ±h/10ᵏ, k = 0 … 4,
// h ridders' first step. The measured noise misses a staircase: a
// function computed in float32 inside around 4e4 is constant at the
// spacings the engine measures at (its noise was taken for ε·|f|,
// 9e-12), and Ridders from 0.1 read its steps of 4e-3 as a derivative of
// 0 ± 2e-10 that refuted the correct 0.04 of a Jacobian. flat reports
// whether ψ took its value at 0 at every one of those steps: then Ridders'
// values are 0 whatever the derivative, and a coordinate whose effect
// larger terms absorb (lines.absorbed; a softmax loss whose weights of
// 1e142 beside 82.6 round away the changes of the small ones, FuzzHessian)
// refutes nothing, while one f ignores does, as the ladder reads it
// (kinks). Where ψ did not move at some of the steps and moved at others,
// σ is at least half the grain of its moves (moveGrain).
func confirmNoise(cmp *comparison, i int, psi func(float64) float64, h float64) (sigma float64, flat bool) {
	vb := newValueBits(1)
	seen := vb.line(psi)
	f0 := seen(0)
	flat = true
	still := false // ψ did not move at some step: a staircase
	var moved []float64
	for range 5 {
		up, down := seen(h), seen(-h)
		flat = flat && up == f0 && down == f0
		still = still || up == f0 && down == f0
		moved = append(moved, up, down)
		h /= confirmDecade
	}
	sigma = math.Max(cmp.noiseOf(cmp.outputOf(i)), vb.precisionFloor(0))
	if still {
		// The grain of its moves, as the ladder reads it (moveGrain): a
		// small value of large intermediates moves only by multiples of
		// their ulps, which the measured noise does not see.
		sigma = math.Max(sigma, moveGrain(f0, moved)/2)
	}
	return sigma, flat
}

// tightestRefuting returns the value among vals, ridders' values of entry
// i, that refutes the analytic value with the smallest tolerance, each
// estimate floored at 2σ/h0 (ridders' floor, for the noise σ of
// confirmNoise; 0: as ridders recorded it).
func tightestRefuting(cmp *comparison, i int, vals []riddersValue, sigma float64) (ref riddersValue, ok bool) {
	best := math.Inf(1)
	for _, v := range vals {
		v.e = math.Max(v.e, 2*sigma/v.h0)
		if t := cmp.altTol(i, v.estimate); isFinite(v.v) && !(math.Abs(cmp.a[i]-v.v) <= t) && t < best {
			ref, best, ok = v, t, true
		}
	}
	return ref, ok
}

// allowedInformatively reports whether a value of entry i that allows its
// analytic value — the first, another, or the ladder's — could have seen
// the error that ref refutes: it is tighter than ref or contradicts it.
func allowedInformatively(cmp *comparison, i int, ref estimate) bool {
	tolRef := cmp.altTol(i, ref)
	allows := func(v estimate, t float64) bool {
		return math.Abs(cmp.a[i]-v.v) <= t && informativeAgainst(v, t, ref, tolRef)
	}
	if allows(cmp.value(i), cmp.tol[i]) {
		return true
	}
	if l, ok := cmp.ladder[i]; ok && allows(l, cmp.altTol(i, l)) {
		return true
	}
	for _, alt := range cmp.alts[i] {
		if allows(alt, cmp.altTol(i, alt)) {
			return true
		}
	}
	return false
}

// confirmRefutation descends from ref's first step (refuted) and reports
// whether a smaller first step confirms ref's refutation of entry i's
// analytic value; σ is the noise of its line ψ (confirmNoise). A value
// that clears the analytic value instead joins the entry's values.
func confirmRefutation(cmp *comparison, i int, ref riddersValue, sigma float64, psi func(float64) float64, value func(i int, start float64) (estimate, float64)) bool {
	a := cmp.a[i]
	disc := math.Abs(a - ref.v)
	tolRef := cmp.altTol(i, ref.estimate)
	start, h0 := ref.start, ref.h0
	for range confirmDepth {
		start, h0 = start/confirmDecade, h0/confirmDecade
		if !(agreeFactor*2*sigma/h0 < disc) {
			break // its round-off alone would allow a: no step below refutes it
		}
		c, _ := value(i, start)
		c.e = math.Max(c.e, 2*sigma/h0)
		tol := cmp.altTol(i, c)
		if math.Abs(a-c.v) <= tol {
			if informativeAgainst(c, tol, ref.estimate, tolRef) {
				cmp.addAlt(i, c.v, c.e, c.reach)
				return false
			}
			continue
		}
		if math.Abs(c.v-ref.v) <= agreeFactor*(c.e+ref.e) && straight(psi, h0, sigma, a, c) {
			return true
		}
	}
	return false
}

// confirmDecade is the ratio of the first steps of confirmRefutation's
// descent (at most confirmDepth of them, as confirmAlong's): a decade, not
// confirmAlong's two, since the round-off 2σ/h0 grows as the step falls,
// and a value of a flat f that refutes by 100 estimates from 0.1 can be
// confirmed from 0.01 but no longer from 1e-3.
const confirmDecade = 10

// straight reports whether φ, seen at the steps of the value c that
// confirms a refutation of a (Ridders' from the first step h, whose
// tableau takes steps from h down to about h/20), crosses no structure
// that could make c other than the derivative at 0, and whether c still
// refutes a with that structure's effect added. At each step h′ = h,
// h/2, … h/16, the gap of the one-sided differences,
// J = (φ(h′) − 2φ(0) + φ(−h′))/h′ — h′·φ″ where φ is smooth, the slope
// jump of a kink within h′, at most 4σ/h′ from round-off σ — moves a
// central difference at h′ by J/2, which must be within c's own estimate
// or that round-off (J/2 ≤ max(c.e, 2σ/h′)); and a must be off by more
// than agreeFactor times c.e plus the largest J/2 (crossesAt's bound, for
// one kink). One step does not do: a kink 4.8e-4 from x and the curvature
// of a softplus corner 0.02 wide cancelled in J at 0.01 (J/2 = 1.2e-12
// against a value of ±2.2e-12 that was 1.35e-11 off), not at 0.005, where
// the kink's part stays and the curvature's halves. Structure whose slopes
// change back and forth within the steps (a kink and a softplus corner
// 2e-4 and 3e-5 from x, with opposite slope changes) leaves a central
// difference at every step at the average slope, far from the derivative
// at x (9e-11 for 4.35e-10): its J, 4e-11 at 0.01, bounds nothing about
// that error, but it is 4.5 times c's estimate, where a straight line
// (f = 30 + c·x) gave at most 0.1 times.
func straight(phi func(float64) float64, h, sigma, a float64, c estimate) bool {
	f0, worst := phi(0), 0.0
	for hh := h; hh > h/20; hh /= 2 {
		half := math.Abs(phi(hh)-2*f0+phi(-hh)) / hh / 2
		if !(half <= math.Max(c.e, 2*sigma/hh)) {
			return false
		}
		worst = math.Max(worst, half)
	}
	return math.Abs(a-c.v) > agreeFactor*(c.e+worst)
}
