package properties

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// kink is the evidence of a kink of a function of one variable.
type kink struct {
	found       bool
	right, left float64 // one-sided derivatives at the smallest telling step
	evidence    string
}

// findKink looks for a kink of φ at x0: one-sided derivatives that differ by
// a jump that does not shrink with the step. For a smooth φ the jump
// D₊(h) − D₋(h) ≈ h·φ″ falls 100× from h = 1e-3 to 1e-5 and again to 1e-7
// (relative to max(1,|x0|)); across a kink at x0, or within 1e-7 of it, it
// stays at the difference of the slopes.
// The jump must exceed the tolerance of the comparison it would explain,
// and 20× the noise of φ amplified by the step.
func findKink(phi func(float64) float64, x0, tol float64) kink {
	xc := math.Max(1, math.Abs(x0))
	noise := gradients.Noise(func(v []float64) float64 { return phi(v[0]) }, []float64{x0})
	f0 := phi(x0)
	steps := [3]float64{1e-3 * xc, 1e-5 * xc, 1e-7 * xc}
	var jump, right, left [3]float64
	for m, h := range steps {
		xp, xm := x0+h, x0-h
		right[m] = (phi(xp) - f0) / (xp - x0)
		left[m] = (f0 - phi(xm)) / (x0 - xm)
		jump[m] = right[m] - left[m]
	}
	significant := func(m int) bool {
		return math.Abs(jump[m]) > tol && math.Abs(jump[m]) > 20*noise*2/steps[m]
	}
	k := kink{evidence: fmt.Sprintf("jumps %.3g, %.3g, %.3g at steps %.0e, %.0e, %.0e", jump[0], jump[1], jump[2], steps[0], steps[1], steps[2])}
	// A kink persists down to the smallest step; a smooth corner narrower
	// than 1e-5 (a softplus whose logit moves by 1e7 per unit of x) does not
	// persist to 1e-7, and is left to the value comparison.
	// Steady: each jump within a factor 4 of the last. A smooth φ's jump
	// falls 100× per step, and round-off's grows 100× (it is noise/h): a
	// noise estimate that fell short must not pass growth off as a kink.
	steady := func(m int) bool {
		r := math.Abs(jump[m]) / math.Abs(jump[m-1])
		return r >= 0.25 && r <= 4
	}
	if !significant(1) || !significant(2) || !steady(1) || !steady(2) {
		return k
	}
	k.found = true
	k.right, k.left = right[2], left[2]
	return k
}

// newRand returns the generator of random directions for a seed.
func newRand(seed uint64) *rand.Rand {
	// The second word of PCG's state is a fixed odd constant (the golden
	// ratio's bits); any fixed value makes the stream a function of seed.
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// verifyStep is the step, relative to the plateau's, of the central
// difference that confirms a plateau: √2·1.0824 ≈ 1.53, no rational
// power of 10.
const verifyStep = 1.5307337294603591

// ladderTop and ladderRatio set the steps of the structure ladder:
// 1e-3·max(1,|x0|), then each a decade smaller, down to ladderFloor.
const (
	ladderTop   = 1e-3
	ladderRatio = 10
)

// ladderFloor returns the smallest step of the ladder at x0: 64 ulps of
// x0, and 1e-15 of its scale max(1, |x0|). Below it the rounding of x0 ± h
// itself dominates a difference.
func ladderFloor(x0 float64) float64 {
	ax := math.Abs(x0)
	ulp := math.Nextafter(ax, math.Inf(1)) - ax
	return math.Max(64*ulp, 1e-15*math.Max(1, ax))
}

// structure is what the ladder of one-sided differences found along a line:
// a kink at x (within a distance), the distance to structure that larger
// steps crossed, and the derivative resolved below it.
type structure struct {
	kink bool // a kink within within of x
	// jumps is set with kink when φ itself jumps at x: φ(x+h) − φ(x−h)
	// does not shrink with h down to the smallest step.
	jumps       bool
	within      float64 // the smallest step whose jump persisted
	right, left float64 // one-sided derivatives at that step
	// near is the largest step that crossed structure: the values at it
	// and above disagree with the resolved derivative (0: none did).
	near float64
	// edge is the smallest step at which φ(x+h) or φ(x−h) was not finite
	// (NaN, or a panic: an edge of φ's domain within it), 0 if none was.
	edge float64
	// v ± e is the derivative resolved at step, on a plateau of three
	// steps a decade apart (resolved false: no plateau).
	resolved   bool
	v, e, step float64
	// sigma is the noise of φ the plateau was read with: the largest of
	// the ladder's measures (ladderNoise, precisionNoise, the jumps below
	// the first smooth step, the central differences below the plateau);
	// without a plateau, the measures at the steps (a flat φ's noise).
	sigma float64
	// grained: φ moved over the ladder's steps only by multiples of a
	// grain whose half exceeds 16× the noise measured where it did not
	// move (moveGrain): the values lie on a grid far coarser than their
	// own ulps, and a numeric value whose error estimate rests on the
	// measured noise is no evidence.
	grained bool
	// smooth: the jump at every step from the top down to the plateau's
	// behaved as a smooth φ's (fell a tenth per decade, or was noise), so
	// that a near set by them is the truncation of the large steps, not
	// structure.
	smooth bool
	// flat: φ(x±h) = φ(x) exactly at every step of the ladder, the
	// largest of which is top.
	flat     bool
	top      float64
	evidence string
}

// reach returns the largest step of the ladder's plateau: the central
// difference a decade above its step.
func (st structure) reach() float64 {
	return ladderRatio * st.step
}

// ladder follows the one-sided differences of φ at x0 down a ladder of
// steps a decade apart, from 1e-3·max(1,|x0|) to ladderFloor, and reads the
// local structure of φ from them (docs/NUMERICS.md):
//
//   - the jump J(h) = D₊(h) − D₋(h) falls as h·φ″ where φ is smooth at the
//     scale h, and stays at the difference of the slopes while the step
//     crosses a kink; a kink is at x if its jump persists down to a step
//     where noise hides it, and closer than the step h but not at x if it
//     vanishes at a smaller step where noise would still show it;
//   - the central differences C(h) agree across three consecutive steps
//     only where the steps neither cross structure nor drown in noise: the
//     middle one is the derivative, with an error from its disagreements
//     with the other two (truncation, and round-off in case σ fell short)
//     plus 4σ/h.
//
// The noise σ of φ is measured at x0 at spacings below the smallest step
// (Moré and Wild's fourth differences over 8 points, 2σ), so structure
// within the ladder is not taken for noise; tol is the tolerance a kink's
// jump must exceed to explain a failure. f0 is φ(x0). Cost: 2 evaluations
// per step and 7 for the noise, about 33 at |x0| ≤ 1.
func ladder(phi func(float64) float64, x0, f0, tol float64) structure {
	xc := math.Max(1, math.Abs(x0))
	floor := ladderFloor(x0)
	sigma, bits := ladderNoise(phi, x0, f0, floor)
	// Below the smallest normal number values lose relative precision
	// (compare.go, minNormal): a difference of subnormals is no jump.
	sigma = math.Max(sigma, minNormal)
	// Noisier φ needs larger steps: the top step is 10× Central's optimum
	// for the measured noise, (σ/|φ|)^(1/3) relative (NUMERICS.md), when
	// that exceeds 1e-3.
	top := ladderTop
	if f0 != 0 && isFinite(sigma) {
		top = math.Min(0.1, math.Max(top, 10*math.Cbrt(sigma/math.Abs(f0))))
	}
	var hs, jump, right, left, central, plus, minus []float64
	edge := 0.0
	for h := top * xc; h >= floor; h /= ladderRatio {
		xp, xm := x0+h, x0-h
		fp, fm := phi(xp), phi(xm)
		if !isFinite(fp) || !isFinite(fm) {
			edge = h
		}
		sigma = math.Max(sigma, precisionNoise(bits, fp, fm))
		r, l := (fp-f0)/(xp-x0), (f0-fm)/(x0-xm)
		hs = append(hs, h)
		right, left = append(right, r), append(left, l)
		jump = append(jump, r-l)
		plus, minus = append(plus, fp), append(minus, fm)
		c := (fp - fm) / (xp - xm)
		if fp == f0 && fm == f0 {
			// A step below f's resolution: f did not change at all (a
			// staircase of quantized values), and 0 is no derivative.
			c = math.NaN()
		}
		central = append(central, c)
	}
	// A staircase only: φ did not move at some step (an exactly linear φ
	// moves at every step by multiples of the steps' own grid, the ulps of
	// x0, which is no round-off of φ).
	grain := 0.0
	for k := range hs {
		if plus[k] == f0 && minus[k] == f0 {
			grain = moveGrain(f0, plus, minus)
			break
		}
	}
	grained := grain/2 > 16*sigma
	sigma = math.Max(sigma, grain/2)
	st := structure{edge: edge, flat: len(hs) > 0, top: top * xc, sigma: sigma, grained: grained}
	for k := range hs {
		st.flat = st.flat && plus[k] == f0 && minus[k] == f0
	}
	n := len(hs)
	if n < 3 {
		return st
	}
	// A jump is significant when it exceeds tol and 20× the noise of a
	// jump, 2σ/h per one-sided difference.
	noiseJ := func(k int) float64 { return 4 * sigma / hs[k] }
	significant := func(k int) bool {
		return isFinite(jump[k]) && math.Abs(jump[k]) > tol && math.Abs(jump[k]) > 20*noiseJ(k)
	}
	steady := func(k int) bool {
		r := math.Abs(jump[k]) / math.Abs(jump[k-1])
		return r >= 0.25 && r <= 4
	}
	// A step of φ at x: φ(x+h) and φ(x−h) each stay put over three
	// decades of steps at least (within a tenth of their difference),
	// and differ by more than φ's rounding can (jumpScale of the largest
	// |φ| seen). Where φ is continuous, φ(x±h) moves by ≈ h·φ′ per step,
	// as much as the change φ(x+h) − φ(x−h) ≈ 2h·φ′ itself (a kink
	// included), until the change sinks to the level of φ's rounding.
	// Where a function changes over a scale below the resolution of x's
	// floats (softmax of logits at 1e60, where one ulp of a logit is
	// 1e45), every step the floats allow crosses the change, and no
	// difference quotient is a derivative. The smallest steps, a few
	// dozen ulps of x, may cross yet another change: the run need not
	// reach them.
	if m, e := jumpRun(plus, minus); e-m >= 2 {
		scale := math.Abs(f0)
		for k := range hs {
			scale = math.Max(scale, math.Max(math.Abs(plus[k]), math.Abs(minus[k])))
		}
		if change := math.Abs(plus[e] - minus[e]); change > jumpScale*scale {
			st.kink, st.jumps, st.within = true, true, hs[e]
			st.right, st.left = right[e], left[e]
			st.evidence = fmt.Sprintf("φ(x+h) − φ(x−h) = %.3g, %.3g, %.3g at steps %.0e, %.0e, %.0e",
				plus[m]-minus[m], plus[e-1]-minus[e-1], plus[e]-minus[e], hs[m], hs[e-1], hs[e])
			return st
		}
	}
	last := -1
	for k := range hs {
		if significant(k) {
			last = k
		}
	}
	// A kink's jump is steady over three steps at least (two decades); a
	// smooth φ's falls a decade per step until noise, whose jump grows
	// as the step shrinks, takes over: two steps may look alike there.
	if last >= 2 && significant(last-1) && significant(last-2) && steady(last) && steady(last-1) {
		// The jump persisted to hs[last]. If the next step could still
		// have shown a quarter of it above noise and did not, the kink is
		// farther than that step: structure near x, not at x.
		if last+1 < n && 20*noiseJ(last+1) < 0.25*math.Abs(jump[last]) {
			st.near = hs[last]
		} else {
			// The one-sided derivatives at 1e-7·max(1,|x0|) (index 4), or
			// at the smallest step that showed the jump if larger: small
			// enough to be the slopes at x, large enough to leave noise out.
			m := min(last, 4)
			st.kink, st.within = true, hs[last]
			st.right, st.left = right[m], left[m]
		}
	}
	st.evidence = fmt.Sprintf("jumps %.3g, %.3g, %.3g at steps %.0e, %.0e, %.0e", jump[max(0, last-2)], jump[max(0, last-1)], jump[max(0, last)], hs[max(0, last-2)], hs[max(0, last-1)], hs[max(0, last)])
	if st.kink {
		return st
	}
	// A step is below the structure of φ where its jump is noise, or
	// falls with the step as h·φ″ does: a tenth per decade (within
	// [0.05, 0.2]). Across a kink it stays, across a pole it grows, and a
	// step that barely crosses either gives an arbitrary ratio.
	smooth := make([]bool, n)
	classify := func() {
		for k := range hs {
			smooth[k] = false
			switch {
			case !isFinite(jump[k]):
			case math.Abs(jump[k]) <= 4*noiseJ(k):
				smooth[k] = true
			case k > 0:
				r := math.Abs(jump[k]) / math.Abs(jump[k-1])
				smooth[k] = r >= 0.05 && r <= 0.2
			default:
				r := math.Abs(jump[1]) / math.Abs(jump[0])
				smooth[k] = r >= 0.05 && r <= 0.2
			}
		}
	}
	classify()
	// Below the first step where the jump falls (to a fifth or less of the
	// last), a jump that does not fall as h·φ″ is round-off, about 4σ/h: a
	// measure of σ at the steps themselves, where the fourth differences
	// of closely spaced values may have seen none (quantized values that
	// happen to lie on a line, docs/NUMERICS.md). Above that step a jump
	// that stays or grows is structure (a kink, a pole), not noise.
	//
	// Round-off's jump grows tenfold per decade as the step falls. A jump
	// that the next two smaller steps at which φ moves both show smaller
	// (less than a tenth and a hundredth of what its σ predicts there) is a
	// kink closer than its step and farther than theirs, not round-off:
	// read as noise, it made every step that crossed the kink "smooth"
	// and raised the round-off of the plateau below it, and a plateau
	// across the kink decided (a hinge loss with kinks along every
	// coordinate, docs/NUMERICS.md).
	kinkBelow := func(k int) bool {
		seen := 0
		for m := k + 1; m < n && seen < 2; m++ {
			if plus[m] == f0 && minus[m] == f0 || !isFinite(jump[m]) {
				continue // φ did not move: no evidence either way
			}
			if !(math.Abs(jump[m]) < math.Abs(jump[k])) {
				return false
			}
			seen++
		}
		return seen == 2
	}
	first := -1
	for k := 1; k < n; k++ {
		if first < 0 && math.Abs(jump[k]) <= 0.2*math.Abs(jump[k-1]) {
			first = k
			continue
		}
		if first >= 0 && isFinite(jump[k]) && math.Abs(jump[k]) > 0.2*math.Abs(jump[k-1]) && !kinkBelow(k) {
			sigma = math.Max(sigma, math.Abs(jump[k])*hs[k]/4)
		}
	}
	classify()
	// The plateau: three central differences a decade apart, at steps
	// below the structure, that agree best.
	plateau := func(sigma float64) {
		type candidate struct{ v, e, step float64 }
		var cands []candidate
		for k := 0; k+2 < n; k++ {
			if st.near > 0 && hs[k] >= st.near || !smooth[k] || !smooth[k+1] || !smooth[k+2] {
				continue
			}
			c0, c1, c2 := central[k], central[k+1], central[k+2]
			if !isFinite(c0) || !isFinite(c1) || !isFinite(c2) {
				continue
			}
			// Truncation: C(10h) − C(h) ≈ 99·h²φ‴/6 where φ is smooth
			// at 10h, so a third of it over 11 is 3× the truncation at
			// h. Round-off: σ/h for C(h), 4σ/h with margin; a third of
			// the disagreement with C(h/10), whose round-off is 10×
			// larger, in case σ fell short.
			e := math.Abs(c0-c1)/33 + math.Abs(c1-c2)/3 + 4*sigma/hs[k+1]
			cands = append(cands, candidate{c1, e, hs[k+1]})
		}
		slices.SortStableFunc(cands, func(a, b candidate) int { return cmpFloat(a.e, b.e) })
		st.resolved = false
		for m, c := range cands {
			if m == 2 {
				// Two candidates at most: each costs 2 evaluations.
				return
			}
			// Steps a decade apart can round alike where f is quantized
			// (C(h) = C(h/10) exactly: a lattice, docs/NUMERICS.md). One
			// more central difference at a step incommensurate with the
			// decades must agree before the plateau is believed.
			hv := c.step * verifyStep
			xp, xm := x0+hv, x0-hv
			cv := (phi(xp) - phi(xm)) / (xp - xm)
			if math.Abs(cv-c.v) <= 2*c.e+4*sigma/(xp-x0) {
				st.resolved, st.v, st.e, st.step = true, c.v, c.e, c.step
				return
			}
		}
	}
	plateau(sigma)
	// The steps below the plateau show the round-off the fourth
	// differences may have missed (quantized values that lie on a line at
	// the spacing measured): C(h) is off by about σ/h there, so σ is at
	// least |C(h) − v|·h. The plateau is chosen again with it.
	if st.resolved {
		seen := sigma
		for k := range hs {
			if hs[k] < st.step && isFinite(central[k]) {
				seen = math.Max(seen, math.Abs(central[k]-st.v)*hs[k])
			}
		}
		if seen > sigma {
			sigma = seen
			plateau(sigma)
		}
	}
	// A plateau below larger steps that disagree with it: the smooth part
	// of φ beside a part on a coarse grid (a logistic gradient p − 1 at a
	// logit of 30, on ulp(1)'s grid, beside a term of 1e-21 that carries
	// all its bits). The plateau is that of the smooth part alone, and the
	// disagreement a move of the grid, not structure, where what the
	// plateau leaves of the moves is a multiple of a grain far above its
	// uncertainty (residualGrain).
	if st.resolved {
		if g := residualGrain(x0, f0, st.v, st.e, hs, plus, minus, st.step); g/2 > 16*sigma {
			sigma = g / 2
			st.grained = true
			plateau(sigma)
		}
	}
	// At an edge of φ's domain within the steps, the one-sided
	// differences from the side inside may be more precise than the
	// central ones at the few steps below the edge.
	if edge > 0 {
		if v, e, step, evidence, ok := oneSided(phi, x0, f0, hs, right, left, sigma); ok && (!st.resolved || e < st.e) {
			st.resolved, st.v, st.e, st.step, st.evidence = true, v, e, step, evidence
			st.near = edge
			return st
		}
	}
	if !st.resolved {
		// Two steps a decade apart whose jumps are significant and
		// steady crossed structure (a smooth φ's jump falls tenfold): it
		// lies within the smaller of them, even where the steps below it
		// are too few for a plateau (a kink 7e-11 from x = 9, where the
		// floor of the ladder is 1e-13).
		for k := n - 1; k >= 1 && st.near == 0; k-- {
			if significant(k) && significant(k-1) && steady(k) {
				st.near = hs[k]
			}
		}
		return st
	}
	st.sigma = sigma
	st.smooth = true
	for k := range hs {
		if hs[k] < st.step {
			break
		}
		st.smooth = st.smooth && smooth[k]
	}
	// Structure crossed by larger steps: the largest step whose central
	// difference disagrees with the plateau beyond both errors.
	for k := range hs {
		if hs[k] <= st.step {
			break
		}
		if !smooth[k] || !(math.Abs(central[k]-st.v) <= agreeFactor*(st.e+2*sigma/hs[k])) {
			st.near = math.Max(st.near, hs[k])
			break
		}
	}
	return st
}

// oneSided resolves the derivative of φ at x0 from one side, where φ is
// not finite on the other side within some of the steps (x0 at an edge of
// φ's domain, or close to it): the one-sided differences D(h) of the side
// that is finite at every step agree across three steps a decade apart.
// D(h) is off by h·φ″/2, which falls tenfold per decade where φ is smooth at
// the scale h, so D(10h) − D(h) ≈ 4.5·h·φ″: a third of it is three times the
// truncation of D(h), and the disagreement with D(h/10) and 4σ/h bound its
// round-off. One more difference at a step incommensurate with the decades
// must agree, as in the central plateau. It returns the value, its error,
// its step and the evidence, and whether it found one.
func oneSided(phi func(float64) float64, x0, f0 float64, hs, right, left []float64, sigma float64) (v, e, step float64, evidence string, ok bool) {
	n := len(hs)
	finite := func(d []float64) bool {
		for _, v := range d {
			if !isFinite(v) {
				return false
			}
		}
		return true
	}
	var d []float64
	sign := 1.0
	switch {
	case finite(right):
		d = right
	case finite(left):
		d, sign = left, -1
	default:
		return 0, 0, 0, "", false
	}
	best, bestE := -1, math.Inf(1)
	for k := 0; k+2 < n; k++ {
		g0, g1 := math.Abs(d[k]-d[k+1]), math.Abs(d[k+1]-d[k+2])
		noise := 4 * sigma / hs[k+2]
		// Smooth at these steps: the differences shrink tenfold a decade
		// (within [0.05, 0.2]), or sink into noise.
		if g1 > noise && !(g1 >= 0.05*g0 && g1 <= 0.2*g0) {
			continue
		}
		if e := g0/3 + g1 + 4*sigma/hs[k+1]; e < bestE {
			best, bestE = k+1, e
		}
	}
	if best < 0 {
		return 0, 0, 0, "", false
	}
	xv := x0 + sign*hs[best]*verifyStep
	dv := (phi(xv) - f0) / (xv - x0)
	if !(math.Abs(dv-d[best]) <= 2*bestE+4*sigma/math.Abs(xv-x0)) {
		return 0, 0, 0, "", false
	}
	side := "right"
	if sign < 0 {
		side = "left"
	}
	evidence = fmt.Sprintf("%s one-sided differences %.6g, %.6g, %.6g at steps %.0e, %.0e, %.0e", side, d[best-1], d[best], d[best+1], hs[best-1], hs[best], hs[best+1])
	return d[best], bestE, hs[best], evidence, true
}

// jumpScale is the smallest jump of φ, relative to its largest value on
// the ladder, taken for a step of φ at x rather than its rounding: a value
// computed with a condition number below 1e9 carries a relative rounding
// error below 1e9·ε ≈ 1e-7.
const jumpScale = 1e-6

// jumpRun returns the longest run m…e of successive steps over which the
// values φ(x+h) (plus) and φ(x−h) (minus) each stay within a tenth of
// their difference at step e, which is not zero (e < m if there is none).
func jumpRun(plus, minus []float64) (m, e int) {
	m, e = 0, -1
	for end := range plus {
		change := math.Abs(plus[end] - minus[end])
		if !isFinite(change) || change == 0 {
			continue
		}
		start := end
		for start > 0 && math.Abs(plus[start-1]-plus[end]) <= change/10 && math.Abs(minus[start-1]-minus[end]) <= change/10 {
			start--
		}
		if end-start > e-m {
			m, e = start, end
		}
	}
	return m, e
}

// ladderNoise returns the noise of φ at x0: 2× the root mean square of
// the fourth differences of φ at x0 + m·δ, m = 0 … 7, over √70 (as
// gradients.Noise), or 4ε|φ(x0)| if larger. δ starts at 1e3 ulps of x0 (at
// least the ladder's floor), which moves x0 by many of its ulps, so that
// rounding constant over a few ulps (a sum with a large term) still shows,
// far below the ladder's steps. Where fewer than 6 of the 8 values differ,
// φ is quantized more coarsely (computed in float32 inside: x0 itself is
// rounded to 24 bits), and δ grows 1024× up to 1e-6 of max(1, |x0|), so
// that the noise measured is the noise the steps see.
func ladderNoise(phi func(float64) float64, x0, f0, floor float64) (sigma float64, bits int) {
	ax := math.Abs(x0)
	delta := math.Max(floor, 1e3*(math.Nextafter(ax, math.Inf(1))-ax))
	limit := 1e-6 * math.Max(1, ax)
	var v [8]float64
	v[0] = f0
	quantum := 0.0
	// Toward the side where φ is finite: at an edge of φ's domain the
	// noise is measured inside.
	side := 1.0
	for {
		for m := 1; m < len(v); m++ {
			v[m] = phi(x0 + side*float64(m)*delta)
			if !isFinite(v[m]) && side > 0 && isFinite(f0) {
				side, m = -1, 0
			}
		}
		if distinct(v[:]) >= 6 {
			break
		}
		// A staircase: φ is constant over stretches and jumps by a
		// quantum, the rounding of a large term inside it (logits near
		// 4e4 round to 7e-12) or of float32. Its round-off is half the
		// quantum, whatever the fourth differences at larger spacings say:
		// quantized values can lie on a line there (docs/NUMERICS.md).
		for m := 1; m < len(v); m++ {
			if d := math.Abs(v[m] - v[m-1]); d > 0 && isFinite(d) {
				quantum = math.Max(quantum, d)
			}
		}
		if delta*1024 > limit {
			break
		}
		delta *= 1024
	}
	var d4 [4]float64
	big := 0.0
	for j := range d4 {
		d4[j] = v[j] - 4*v[j+1] + 6*v[j+2] - 4*v[j+3] + v[j+4]
		big = math.Max(big, math.Abs(d4[j]))
	}
	bits = 0
	for _, u := range v {
		bits = max(bits, sigBits(u))
	}
	if !isFinite(big) {
		return math.Inf(1), bits
	}
	if big > 0 {
		// Scaled by the largest, so that squares neither overflow nor
		// underflow.
		sum := 0.0
		for _, d := range d4 {
			sum += (d / big) * (d / big)
		}
		sigma = 2 * big * math.Sqrt(sum/float64(len(d4))/70)
	}
	sigma = math.Max(sigma, quantum/2)
	for _, u := range v {
		sigma = math.Max(sigma, precisionNoise(bits, u))
	}
	return sigma, bits
}

// sigBits returns the number of significant bits of v's mantissa, from
// its leading bit to its last set bit (0 for 0 and non-finite values).
func sigBits(v float64) int {
	if v == 0 || !isFinite(v) {
		return 0
	}
	m := math.Float64bits(v)&(1<<52-1) | 1<<52
	return 53 - bits.TrailingZeros64(m)
}

// precisionNoise returns the round-off floor of values that carry at most
// bits significant bits: 4 units of their last place relative (4ε for
// float64's 53; 2⁻²² for float32's 24), of the largest of vs. A function
// computed in float32 inside returns values with 24 bits at most, and its
// round-off is of that size whatever the fourth differences say: they vanish
// where its quantized values happen to lie on a line.
func precisionNoise(bits int, vs ...float64) float64 {
	if bits < 24 {
		bits = 24 // fewer bits over 8 values: values exact in fewer, not coarser round-off
	}
	if bits > 53 {
		bits = 53
	}
	big := 0.0
	for _, v := range vs {
		if isFinite(v) {
			big = math.Max(big, math.Abs(v))
		}
	}
	return 4 * math.Ldexp(big, 1-bits)
}

// moveGrain returns the grain of φ's moves away from f0 = φ(x0) over the
// ladder's values vs: the finest last set bit of the nonzero differences
// v − f0, or 0 if φ did not move. The ladder reads it where φ did not move
// at some of its steps. A value computed as the small sum of
// large terms (a cross-entropy of 9.4e-14 as max + log Σ exp − z at logits
// near 10) lies on the grid of their ulps, and every move of it is a
// multiple of that grid: 1.8e-15, 10¹⁴ of its own ulps. Such a φ is a
// staircase at the ladder's steps, constant over the smaller ones, and its
// round-off is half the grain, whatever the noise measured where it did
// not move says (ladderNoise's staircase rule, read at the ladder's own
// steps). A φ whose values carry all their bits moves by differences whose
// last bit is near its own ulp, and the floor is nothing; a value clipped
// to a constant that moves past a kink moves by amounts with all their
// bits too.
func moveGrain(f0 float64, vs ...[]float64) float64 {
	grain := math.Inf(1)
	for _, v := range vs {
		for _, u := range v {
			if d := u - f0; d != 0 && isFinite(d) {
				if sigBits(d) > stairBits {
					return 0
				}
				grain = math.Min(grain, lastBit(d))
			}
		}
	}
	if math.IsInf(grain, 1) {
		return 0
	}
	return grain
}

// residualGrain returns the grain of what a derivative v ± e leaves of
// φ's moves at the steps hs above step: the finest last set bit of the
// residuals r = φ(x0 ± h) − f0 ∓ v·h, each rounded to the power of two
// above its uncertainty u (e·h and 4 ulps of the values and of r), over
// the residuals larger than u; 0 if there are none. A residual of a smooth
// φ, or of a kink, rounds to a last bit near its u; a move of a grid q,
// k·q plus a smooth part that v explains, rounds to a multiple of q. The
// grain is returned only where it is at least 2¹⁰ times every u (that
// many zero bits by chance has the probability 2⁻¹⁰ per residual) and
// every residual is a few grains (stairBits).
func residualGrain(x0, f0, v, e float64, hs, plus, minus []float64, step float64) float64 {
	grain := math.Inf(1)
	for k, h := range hs {
		if h <= step {
			continue
		}
		for _, side := range []struct{ fv, t float64 }{{plus[k], x0 + h}, {minus[k], x0 - h}} {
			if !isFinite(side.fv) {
				return 0
			}
			dt := side.t - x0
			r := side.fv - f0 - v*dt
			u := e*math.Abs(dt) + 4*eps*(math.Abs(side.fv)+math.Abs(f0)+math.Abs(v*dt))
			if !(math.Abs(r) > 2*u) || u == 0 {
				continue
			}
			_, ue := math.Frexp(u)
			unit := math.Ldexp(1, ue)
			rr := math.Round(r/unit) * unit
			if rr == 0 {
				continue
			}
			if g := lastBit(rr); g < 1024*unit || sigBits(rr) > stairBits {
				return 0
			} else {
				grain = math.Min(grain, g)
			}
		}
	}
	if math.IsInf(grain, 1) {
		return 0
	}
	return grain
}

// stairBits is the most significant bits a move of a staircase carries:
// within the ladder's steps φ moves by a few grains, not by 2¹⁰ of them.
// A move with more bits is a smooth φ's or a kink's, exact multiples of
// the steps' own ulps where x0 and the steps are round numbers (|x − k|
// at x = 1e8 beside a kink at 1e8 + 7 moves by 199 986 at a step of 1e5).
const stairBits = 10

// lastBit returns the value of the last set bit of finite nonzero v's
// mantissa: |v| is an odd multiple of it.
func lastBit(v float64) float64 {
	frac, exp := math.Frexp(math.Abs(v))
	m := uint64(math.Ldexp(frac, 53))
	return math.Ldexp(1, exp-53+bits.TrailingZeros64(m))
}

// distinct returns the number of distinct values in v.
func distinct(v []float64) int {
	n := 0
	for i, a := range v {
		if !slices.Contains(v[:i], a) {
			n++
		}
	}
	return n
}
