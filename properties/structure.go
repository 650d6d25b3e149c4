package properties

import (
	"fmt"
	"math"
)

// The structure of f near x, read for the entries a comparison doubts:
// the ladder of steps of kink.go along each entry's line (a coordinate, a
// random direction, an output along a coordinate), and what it settles —
// a kink or a jump at x, structure no step resolves, an effect absorbed by
// rounding (no verdicts), or a derivative resolved below the structure
// that decides the entry.

// withinDomain returns φ with a panic of the user's function turned into
// NaN: the ladder's largest steps (up to 0.1·max(1,|x|) for a noisy φ)
// may leave f's domain, and a panic there is an edge of the domain, as NaN
// is (gonum's F.CDF panics at x < 0), not a verdict. (The session's
// wrappers already turn a panic away from x into NaN, session.offX; this
// keeps φ safe for any other caller.) A check stopped by its budget still
// stops.
func withinDomain(phi func(float64) float64) func(float64) float64 {
	return func(t float64) (v float64) {
		defer func() {
			if r := recover(); r != nil {
				if up, ok := r.(userPanic); ok && up.fail.Kind == Panic {
					v = math.NaN()
					return
				}
				panic(r)
			}
		}()
		return phi(t)
	}
}

// lines names the function of one variable along each entry of a
// comparison, for kinks: line(i) returns φ, the point t0 on it that is x,
// and φ(t0). fn and deriv name the function differentiated and the
// derivative under check, unit the entries, in messages.
type lines struct {
	fn, deriv, unit string
	line            func(i int) (phi func(float64) float64, t0, f0 float64)
	// absorbed reports whether φ for entry i, flat up to the step flatTo,
	// moves at steps of 1e-3 of the largest |xₖ| and beyond as a
	// derivative a would move it (nil: not asked, as along random
	// directions).
	absorbed func(i int, flatTo, a float64) bool
	// sharpen asks for the sharpened value (sharpen.go) where the
	// ladder's plateau is loose and no structure was seen.
	sharpen bool
}

// absorbedAt returns the absorbed function of lines along coordinates:
// whether φ = line(i), flat up to flatTo, moves at t0 ± H where the
// effect of a derivative a would show. Where the coordinates span many
// orders of magnitude (weights of 1e141 beside one of 1e61), a step of the
// small one changes f by less than the rounding of the large terms: its
// effect is absorbed, not absent, and shows at the large coordinates'
// scale, H = 1e-3·maxₖ|xₖ|; any move there is taken for it. A small value
// computed from large intermediates (a cross-entropy of 9.4e-14 as
// max + log Σ exp − z at logits near 10, or f ≈ 1.9e-10 beside a logit of
// 25) lies on the grid of their ulps, 1.8e-15 and 3.6e-15, far above its
// own, and the measured noise sees none of it: φ is flat at every step of
// the ladder and moves at 1e-2 … 1e-1 of maxₖ|xₖ|. At those larger steps
// (10H and 100H) a move is the absorbed effect only if it is the one a
// predicts (movesAsPredicted): a clipped value whose flat stretch ends in
// a kink farther out moves there by another amount, and its wrong
// derivative stays a bug. A coordinate f ignores does not move φ at any of
// them.
func (s *session) absorbedAt(line func(i int) (func(float64) float64, float64, float64)) func(i int, flatTo, a float64) bool {
	big := 0.0
	for _, v := range s.x {
		if isFinite(v) {
			big = math.Max(big, math.Abs(v))
		}
	}
	h := ladderTop * big
	return func(i int, flatTo, a float64) bool {
		if 100*h <= flatTo {
			return false
		}
		phi, t0, f0 := line(i)
		phi = withinDomain(phi)
		if h > flatTo {
			for _, t := range []float64{t0 + h, t0 - h} {
				if v := phi(t); isFinite(v) && v != f0 {
					return true
				}
			}
		}
		for _, H := range []float64{10 * h, 100 * h} {
			if H <= flatTo {
				continue
			}
			fp, fm := phi(t0+H), phi(t0-H)
			if !isFinite(fp) || !isFinite(fm) {
				return false
			}
			if fp != f0 || fm != f0 {
				return movesAsPredicted(fp-f0, fm-f0, t0+H-t0, t0-(t0-H), a)
			}
		}
		return false
	}
}

// movesAsPredicted reports whether the first moves of a flat φ, dp at the
// step hp right of x and dm at hm left of it, are those of a derivative a
// on a grid of values no finer than the moves themselves: the central
// difference c = (dp − dm)/(hp + hm) within |a|/2 + q/h of a, q the
// largest move, the grid's spacing at most, over the step. A flat φ on a
// grid q hides a derivative up to q/h, and its first move is a few grid
// spacings of it; a value clipped to a constant, whose flat stretch ends
// in a kink, moves by far less than a wrong a predicts.
func movesAsPredicted(dp, dm, hp, hm, a float64) bool {
	h := (hp + hm) / 2
	c := (dp - dm) / (hp + hm)
	q := math.Max(math.Abs(dp), math.Abs(dm))
	return math.Abs(a-c) <= math.Abs(a)/2+q/h
}

func (s *session) coordinates(f func([]float64) float64, f0 float64) lines {
	line := func(i int) (func(float64) float64, float64, float64) {
		return s.line(f, i), s.x[i], f0
	}
	return lines{fn: "f", deriv: "grad", unit: "coordinates", line: line,
		absorbed: s.absorbedAt(line), sharpen: true}
}

// kinks looks at the structure of f along the suspected entries —
// coordinates, or with dirs the directions of a random-direction check —
// with the ladder of steps of kink.go, and returns the entries it settled
// as no verdict. A kink at x is recorded as a Nondifferentiable failure.
// Where larger steps crossed structure near x (a kink, a pole, an edge of
// the domain closer than the step) and smaller ones resolve the derivative,
// that value decides the entry: it clears the analytic value only if it is
// tighter than the discrepancy it clears, and a value it refutes is read in
// its place by the diagnosis. Structure near x that no step resolves is a
// no-verdict with the distance. f0 is f(x); crossed marks the coordinates
// whose screen steps saw structure.
func (s *session) kinks(cmp *comparison, suspects []int, crossed []bool, ln lines) []int {
	var kinked, unresolved []int
	var first, firstNear structure
	for _, i := range suspects {
		if !isFinite(cmp.a[i]) {
			continue
		}
		// A numerical value that is not finite where f(x) is: a step
		// left f's domain (NaN, a panic) or overflowed. The ladder's
		// smaller steps may stay inside.
		outside := !isFinite(cmp.n[i])
		phi, t0, f0 := ln.line(i)
		phi = withinDomain(phi)
		st := ladder(phi, t0, f0, cmp.margin*cmp.est[i])
		if outside && st.near == 0 {
			st.near = st.edge
		}
		switch {
		case st.kink:
			if len(kinked) == 0 {
				first = st
			}
			kinked = append(kinked, i)
		case st.resolved && (outside || st.near > 0 && crossed != nil && crossed[i]):
			// The screen's own steps saw the structure (its second
			// differences at x and x + h did not agree) or left f's
			// domain, and the values that took larger steps than the
			// plateau's are no evidence. One whose steps stayed within
			// the plateau's (the small-step confirmation, from 1e-6)
			// is as much evidence as the plateau, and stays: the ladder
			// may take kinks closer than its plateau's steps for noise
			// (a hinge loss with 20 kinks within 1e-3 of x along a
			// coordinate: plateau −0.2101 ± 0.01 at 1e-4 for a
			// derivative of −0.17857 that the steps of 1e-6 resolve).
			var kept []estimate
			for _, alt := range append([]estimate{cmp.value(i)}, cmp.alts[i]...) {
				if alt.reach > 0 && alt.reach <= st.reach() {
					kept = append(kept, alt)
				}
			}
			delete(cmp.alts, i)
			for _, v := range kept {
				cmp.addAlt(i, v.v, v.e, v.reach)
			}
			cmp.setValue(i, estimate{st.v, st.e, st.reach()})
			if outside && !cmp.out(i) && loosely(cmp, i) {
				// The only value inside f's domain is too uncertain to
				// have seen a 0.1% error: no evidence either way.
				if len(unresolved) == 0 {
					firstNear = st
				}
				unresolved = append(unresolved, i)
			}
		case st.resolved:
			r := estimate{v: st.v, e: st.e}
			if ln.sharpen && st.smooth && st.edge == 0 && (crossed == nil || !crossed[i]) && looseEstimate(cmp, i, st.e) {
				// A loose plateau below no structure: the most accurate
				// value the engine can get decides instead, if it is
				// confirmed (sharpen.go).
				if v, ok := sharpened(phi, t0, st); ok {
					r = v
				}
			}
			if st.near > 0 {
				// Larger steps crossed structure: values that reached
				// beyond the plateau's steps are no evidence against it
				// (compare.go, beyond).
				r.reach = st.reach()
			}
			cmp.resolved(i, r, st.near > 0)
		case st.flat && cmp.out(i) && ln.absorbed != nil && ln.absorbed(i, st.top, cmp.a[i]):
			// φ does not move at any step up to the ladder's top, yet it
			// moves at steps of the largest coordinates' scale: xⱼ's
			// effect on f is below the resolution of f's value (absorbed
			// by the rounding of larger terms), not absent, and the
			// numerical value 0 is no evidence. A coordinate f ignores
			// does not move φ there either, and stays a bug.
			st.near = st.top
			st.evidence = fmt.Sprintf("%s(x ± h) = %s(x) exactly at every step from %.1e down to %.1e, but not at 1e-3 of the largest |xₖ|: the effect of this coordinate on %s is absorbed by the rounding of larger terms",
				ln.fn, ln.fn, st.top, ladderFloor(t0), ln.fn)
			if len(unresolved) == 0 {
				firstNear = st
			}
			unresolved = append(unresolved, i)
		case st.flat && !cmp.out(i) && (ln.absorbed == nil || !ln.absorbed(i, st.top, cmp.a[i])):
			// φ does not move at any step up to the ladder's top, and not
			// because larger terms absorb it: its central difference there
			// is 0 with round-off below 2σ/top, σ the ladder's noise (its
			// precision floor for values short enough to be float32's).
			// That value decides which others carry information, as a
			// plateau does: a loose first value (a constant output whose
			// short values took float32's precision floor, precision.go)
			// no longer clears a nonzero analytic value, and a float32
			// staircase moves at the top step, so it is never flat there.
			cmp.resolved(i, estimate{v: 0, e: 2 * st.sigma / st.top}, true)
		case !cmp.out(i):
		case st.grained && !st.resolved:
			// f's values lie on a grid far coarser than their ulps (a
			// small value computed from large intermediates) and no step
			// resolved the derivative above it: the values that put the
			// entry out rest on a noise that the grid hides, and are no
			// evidence.
			st.near = st.top
			st.evidence = fmt.Sprintf("%s moves only by multiples of %.2g, far more than the noise measured where it does not move: its values lie on the grid of larger intermediates, and no step resolves the derivative above it", ln.fn, 2*st.sigma)
			if len(unresolved) == 0 {
				firstNear = st
			}
			unresolved = append(unresolved, i)
		case st.near > 0 || outside:
			if st.near == 0 {
				// Only steps larger than the ladder's left the domain.
				st.near = ladderTop * math.Max(1, math.Abs(t0))
			}
			if len(unresolved) == 0 {
				firstNear = st
			}
			unresolved = append(unresolved, i)
		}
	}
	unit := ln.unit
	along := func(i int) string {
		if unit == "entries" {
			return fmt.Sprintf("for entry %s (output %d along coordinate %d)", cmp.name(i), i/cmp.cols, i%cmp.cols)
		}
		return "along " + cmp.name(i)
	}
	for _, i := range append(kinked, unresolved...) {
		if cmp.undecided == nil {
			cmp.undecided = make(map[int]bool)
		}
		cmp.undecided[i] = true
	}
	switch {
	case len(kinked) > 0 && first.jumps:
		i := kinked[0]
		s.add(cmp.failure(Nondifferentiable, i, len(kinked), fmt.Sprintf(
			"%s jumps at x %s (%d of %d %s): the change over x ± h does not shrink with the step down to %.1e, the smallest step x's floats allow there (%s), so %s changes on a scale below the resolution of x and no difference quotient is its derivative — not a verdict on %s: check at another point",
			ln.fn, along(i), len(kinked), len(cmp.a), unit, first.within, first.evidence, ln.fn, ln.deriv)))
	case len(kinked) > 0:
		i := kinked[0]
		s.add(cmp.failure(Nondifferentiable, i, len(kinked), fmt.Sprintf(
			"%s has a kink at x %s (%d of %d %s): its one-sided derivatives are %.6g (right) and %.6g (left), and their gap does not shrink with the step down to %.1e, where noise would hide it (%s); no derivative exists there to check — not a verdict on %s: check at another point",
			ln.fn, along(i), len(kinked), len(cmp.a), unit, first.right, first.left, first.within, first.evidence, ln.deriv)))
	}
	if len(unresolved) > 0 {
		i := unresolved[0]
		evidence := firstNear.evidence
		if e := s.edge.String(); e != "" {
			evidence += "; " + e
		}
		s.add(cmp.failure(Nondifferentiable, i, len(unresolved), fmt.Sprintf(
			"%s has structure (a kink, a pole or an edge of its domain) within %.1e of x %s (%d of %d %s), which the steps of the numerical derivative cross, and no smaller step resolves the derivative above its noise (%s): no verdict on %s there",
			ln.fn, firstNear.near, along(i), len(unresolved), len(cmp.a), unit, evidence, ln.deriv)))
	}
	return append(kinked, unresolved...)
}

// loosely reports whether entry i of cmp passes only with a loose
// tolerance (compare.go, looseRel and looseNorm). Two values that are both
// exactly 0 are no loose agreement: there is no relative error to miss.
func loosely(cmp *comparison, i int) bool {
	m := math.Max(math.Abs(cmp.a[i]), math.Abs(cmp.n[i]))
	return m > 0 && cmp.tol[i] > looseRel*m && cmp.tol[i] > looseNorm*cmp.norm()
}
