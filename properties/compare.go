package properties

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gradcheck/gradcheck/gradients"
)

// A comparison holds analytic values, numeric values and their estimated
// errors for a vector (cols = 1), a matrix (rows×cols, row-major) or a set of
// directional derivatives, and decides which entries are out of tolerance
// and what kind of bug the pattern suggests.
type comparison struct {
	property   string
	rows, cols int
	a, n, est  []float64
	tol        []float64
	margin     float64
	directions bool // entries are directional derivatives, not coordinates
	seed       uint64
	what       string // "analytic gradient", "analytic Hessian", …
	// outFloor is a floor of the estimates per column (numericJacobian),
	// centralStep the absolute Central step of each column.
	outFloor, centralStep []float64
	// alts holds, for the entries computed again, the other numeric values
	// with their error estimates: the Central value of the screen and the
	// small-step Ridders value of the confirmation (see out).
	alts map[int][]estimate
	// ladder holds, for the entries whose structure was read with the
	// ladder of kink.go, the derivative it resolved: the value that decides
	// whether the others are informative (see out).
	ladder map[int]estimate
	// nominated marks the entries whose block sum disagreed with the
	// analytic one (blocksums.go): an independent value that saw a
	// discrepancy, so that a value that refutes the analytic one and that
	// nothing contradicts stands there (standing).
	nominated map[int]bool
	// undecided marks the entries given no verdict (a kink at x, structure
	// that no step resolves): left out of the Report's figures.
	undecided map[int]bool
	// noise returns the measured noise at x of output r of the function
	// whose derivative the entries are (f for a gradient or directions,
	// r = 0; output r of f for a Jacobian, of grad for a Hessian), for
	// the rule of unresolved entries (belowNoise); nil where not set.
	// sigma stands in for it where it is nil and hasSigma says that the
	// noise is one number (the gradient's σ), without a closure (noiseOf).
	// at is the point x for entries along coordinates, nil along
	// directions, whose steps are in units of the coordinates' scales.
	noise    func(r int) float64
	sigma    float64
	hasSigma bool
	at       []float64
	// reach holds the reach of each entry's value in n (estimate; nil:
	// none recorded).
	reach []float64
	// ownFloor holds, per entry, the analytic value's own round-off
	// folded into its estimate (the dot products of directions), a part
	// of its tolerance that is float64's rounding, not f's; nil: none.
	ownFloor []float64
	// decided holds, for the entries diagnose found out of tolerance, the
	// value that decided each and its tolerance, before the diagnosis
	// read that value in the entry's place.
	decided map[int]decision
}

// decision is the numeric value that decided an entry and its tolerance.
type decision struct {
	v   estimate
	tol float64
}

// estimate is a numeric value with its error estimate, and its reach: the
// largest distance from x of the points its differences took (0 where not
// recorded). Where the ladder resolved an entry below structure that larger
// steps crossed, a value that reached beyond the ladder's own steps may
// have crossed it too (informativeAgainstLadder; structure.go, kinks).
type estimate struct{ v, e, reach float64 }

// agreeFactor: two numeric values agree when they differ by at most this
// many times the sum of their error estimates. The engine's estimates bound
// the actual error within 1.4× (Central) and 1.9× (Ridders), the methods
// compared here, over 1340 entries each (gradients.TestGradientErrorEstimate;
// 2.8× for FivePoint).
const agreeFactor = 3

// settle makes the numeric value of each entry computed more than once the
// consensus of its values: the one that agrees with the most others, the
// smallest estimate among those. The diagnosis (a constant factor, a
// permutation) reads that value with its own tight tolerance, while out
// still spares an analytic value that any numeric value allows. Where
// Ridders' extrapolation crossed structure narrower than its steps, the
// Central and small-step values agree against it and are read instead.
func (c *comparison) settle() {
	for i, alts := range c.alts {
		all := append([]estimate{c.value(i)}, alts...)
		best, bestVotes := 0, -1
		for p, ep := range all {
			votes := 0
			for q, eq := range all {
				if p != q && math.Abs(ep.v-eq.v) <= agreeFactor*(ep.e+eq.e) {
					votes++
				}
			}
			if votes > bestVotes || votes == bestVotes && ep.e < all[best].e {
				best, bestVotes = p, votes
			}
		}
		if best != 0 {
			c.alts[i] = append(all[:best:best], all[best+1:]...)
			c.setValue(i, all[best])
		}
	}
}

// addAlt records another numeric value of entry i, whose differences
// reached reach from x (0: not recorded).
func (c *comparison) addAlt(i int, v, e, reach float64) {
	if c.alts == nil {
		c.alts = make(map[int][]estimate)
	}
	c.alts[i] = append(c.alts[i], estimate{v, e, reach})
}

// value returns the numeric value of entry i with its estimate and reach.
func (c *comparison) value(i int) estimate {
	r := 0.0
	if c.reach != nil {
		r = c.reach[i]
	}
	return estimate{c.n[i], c.est[i], r}
}

// setValue makes v the numeric value of entry i and sets its tolerance.
func (c *comparison) setValue(i int, v estimate) {
	c.n[i], c.est[i] = v.v, v.e
	c.setReach(i, v.reach)
	c.retol(i)
}

// setReach records the reach of the numeric value of entry i.
func (c *comparison) setReach(i int, reach float64) {
	if c.reach == nil {
		if reach == 0 {
			return
		}
		c.reach = make([]float64, len(c.n))
	}
	c.reach[i] = reach
}

// resolved records r, the derivative of entry i resolved by the ladder of
// steps (kink.go), as the value that decides which of the others carry
// information (see out). If larger steps crossed structure (crossed), r
// becomes the entry's numeric value, read by the diagnosis.
func (c *comparison) resolved(i int, r estimate, crossed bool) {
	if c.ladder == nil {
		c.ladder = make(map[int]estimate)
	}
	c.ladder[i] = r
	if crossed {
		v := c.value(i)
		c.addAlt(i, v.v, v.e, v.reach)
		c.setValue(i, r)
	}
}

// crossFloorOf returns the floor of column j's small-step estimates: the
// output floor scaled from the Central step to crossStep (crossFloor).
func (c *comparison) crossFloorOf(j int) float64 {
	if c.outFloor == nil {
		return 0
	}
	return c.outFloor[j] * c.centralStep[j] / crossStep
}

// floorOf returns the floor of column j's estimates, or 0.
func (c *comparison) floorOf(j int) float64 {
	if c.outFloor == nil {
		return 0
	}
	return c.outFloor[j]
}

const (
	// floorUlps is the part of the tolerance that covers the round-off of
	// the analytic value itself: 16 ulps of the entry plus 16 ulps of the
	// largest entry (a sum that cancels carries the round-off of its
	// terms). 16ε·‖a‖∞ ≈ 3.6e-15·‖a‖∞, far below any bug worth reporting.
	floorUlps = 16
	eps       = 0x1p-52
	// relFloor is the accuracy below which no numerical derivative of an
	// arbitrary function is trusted, relative to the entry: the engine's
	// worst relative error over the classic and elementary functions of
	// gradients.TestGradientAccuracy was 3e-11 (atan at scale 100), and
	// error estimates were optimistic by 10% beyond the margin at 1e-12 on
	// softmax Jacobians at logits near 300 (FuzzJacobian). A bug of
	// 1e-7·‖∇f‖ still stands 1000× above it.
	relFloor = 1e-10
	// relFloorMatrix is relFloor for Hessians, Jacobians and their
	// symmetry: second derivatives by differences of a computed gradient
	// are a step less accurate (NUMERICS.md: ≈ 1e-11 for the Jacobian of
	// the gradient, against 1e-14 for Ridders on a gradient), and a
	// softmax loss at logits near 130 showed asymmetries of 2.6e-9
	// relative beyond its estimates (FuzzSymmetry).
	relFloorMatrix = 1e-8
	// minNormal, 2⁻¹⁰²² ≈ 2.2e-308, is the smallest normal float64: below
	// it values lose relative precision (subnormals carry fewer bits), so
	// differences smaller than it say nothing about a derivative. Logistic
	// losses at logits near 700 have gradients there.
	minNormal = 0x1p-1022
)

// tolerances sets tol = margin·est + the round-off floor of the entries.
func (c *comparison) tolerances() {
	norm := c.norm()
	if len(c.tol) != len(c.a) {
		c.tol = make([]float64, len(c.a)) // unless the caller gave it
	}
	for i := range c.a {
		c.tol[i] = c.tolAt(i, norm)
	}
}

func (c *comparison) tolAt(i int, norm float64) float64 {
	return c.tolFor(c.a[i], c.n[i], c.est[i], norm)
}

// tolFor returns the tolerance of analytic value a against numeric value v
// with error estimate e, norm the largest analytic entry.
func (c *comparison) tolFor(a, v, e, norm float64) float64 {
	m := maxOf(math.Abs(a), math.Abs(v))
	rel := relFloor
	if c.matrix() {
		rel = relFloorMatrix
	}
	return c.margin*e + ulpsOf(m, norm) + rel*m + minNormal
}

// ulpsOf returns floorUlps ulps of m plus floorUlps ulps of norm. It is
// 16ε·(m + norm), a power of two times the sum, and so the same to the
// bit, without the overflow of m + norm beyond 1.8e308: a tolerance of +Inf
// there passed an analytic gradient of 1e308 against a numeric one of 1.
func ulpsOf(m, norm float64) float64 {
	return floorUlps*eps*m + floorUlps*eps*norm
}

// norm returns the largest finite analytic entry.
func (c *comparison) norm() float64 {
	norm := 0.0
	for _, v := range c.a {
		if isFinite(v) {
			// The builtin max, inlined: no NaN or infinity reaches it, where
			// it and math.Max differ.
			norm = max(norm, math.Abs(v))
		}
	}
	return norm
}

// retol recomputes the tolerance of entry i after its numeric value was
// refined.
func (c *comparison) retol(i int) {
	c.tol[i] = c.tolAt(i, c.norm())
}

// out reports whether entry i is out of tolerance. A NaN anywhere is out.
//
// An entry computed again is out only if the analytic value is out of
// tolerance of every numeric value: the first, cheap one, Ridders', and the
// small-step confirmation. A bug is claimed only when no numeric method, at
// any step scale, is consistent with the analytic value. Each kind of step
// fails somewhere: relative steps where the function's scale is not |xᵢ|
// (softmax at x = 5e7 saturates within a unit step while the steps are ≥
// 500: Ridders returned 1.8e-7 ± 8e-8 for 0.018, FuzzJacobian), small steps
// where round-off dominates, and any extrapolation across structure
// narrower than its steps (softplus corners 1e-3 wide: off by 0.09 with an
// estimate of 0.002, TestNoFalseAlarmsSharpCorner). A real bug is out of
// tolerance of all of them.
//
// Where the ladder resolved the entry (c.ladder), a value is evidence only
// if it could have seen the error: a value that agrees with the ladder's
// within their estimates but is less precise cannot tell the analytic
// value from the ladder's, and clears nothing. It clears the entry only if
// it is tighter than the ladder's value, or contradicts it (then one of
// the two estimates is wrong, and the analytic value has the benefit of
// the doubt). Without this, a value of float32 noise, wide enough to
// agree with anything, cleared doubled gradients (docs/NUMERICS.md).
func (c *comparison) out(i int) bool {
	if c.ladder == nil && c.alts == nil {
		// Nothing was computed again: the screen's value alone decides.
		return !(math.Abs(c.a[i]-c.n[i]) <= c.tol[i])
	}
	l, resolved := c.ladder[i]
	var tolL float64
	if resolved {
		tolL = c.altTol(i, l)
	}
	// A value that refutes the analytic one and that no other value
	// contradicts stands against every value less precise than it that
	// would allow the analytic one (as the ladder's value does): an
	// agreement within an estimate wider than the discrepancy is no
	// evidence (the block sums nominate entries whose Ridders value sees a
	// bug that the screen's value is 1e4 times too uncertain to see,
	// blocksums.go).
	ref, tolRef, standing := c.standing(i)
	if resolved && math.Abs(c.a[i]-l.v) <= tolL && (!standing || informativeAgainst(l, tolL, ref, tolRef)) {
		return false
	}
	informative := func(v estimate, tol float64) bool {
		return (!resolved || informativeAgainstLadder(v, tol, l, tolL)) && (!standing || informativeAgainst(v, tol, ref, tolRef))
	}
	if math.Abs(c.a[i]-c.n[i]) <= c.tol[i] && informative(c.value(i), c.tol[i]) {
		return false
	}
	for _, alt := range c.alts[i] {
		if t := c.altTol(i, alt); math.Abs(c.a[i]-alt.v) <= t && informative(alt, t) {
			return false
		}
	}
	return true
}

// refuter returns the most precise numeric value of entry i that does not
// allow its analytic value (the one with the smallest tolerance; the
// ladder's aside), and whether there is one (gradient.go's late
// confirmation).
func (c *comparison) refuter(i int) (r estimate, tol float64, ok bool) {
	tol = math.Inf(1)
	try := func(e estimate, t float64) {
		if isFinite(e.v) && isFinite(t) && !(math.Abs(c.a[i]-e.v) <= t) && t < tol {
			r, tol, ok = e, t, true
		}
	}
	try(c.value(i), c.tol[i])
	for _, alt := range c.alts[i] {
		try(alt, c.altTol(i, alt))
	}
	return r, tol, ok
}

// informativeAgainstLadder reports whether numeric value v, with
// tolerance tol, can clear an entry whose ladder resolved l, with
// tolerance tolL (out): as informativeAgainst, except that a value that
// reached beyond the steps of l's plateau (l.reach > 0: larger steps
// crossed structure there) clears only by being tighter than l. Its
// differences may have crossed that structure, and then disagreeing with
// l is what they do, no evidence that l's estimate is wrong: a screen
// value across a kink 0.36h right of x, whose third difference nearly
// vanishes (docs/NUMERICS.md, "The screen's four points"), gave 0.536 ±
// 0.043 for |x − c|'s derivative 0.2427 and cleared a doubled gradient
// that way. A value whose reach is not recorded (0) is read as before.
func informativeAgainstLadder(v estimate, tol float64, l estimate, tolL float64) bool {
	if l.reach > 0 && v.reach > l.reach {
		return tol < tolL
	}
	return informativeAgainst(v, tol, l, tolL)
}

// standing returns, for an entry that its block sum nominated, the most
// precise numeric value that refutes its analytic value (refuter) if no
// other numeric value of the entry, the ladder's included, contradicts it,
// with its tolerance; ok is false if there is no such value, the entry was
// not computed again or not nominated. The block sum is a second, independent
// derivative that saw the discrepancy; elsewhere a tight value that refutes
// may have crossed structure that looser ones do not see (a random
// direction of a float32 network: a Ridders value 9e-6 off with an
// estimate of 1e-6 refuted a correct directional derivative).
func (c *comparison) standing(i int) (r estimate, tol float64, ok bool) {
	if !c.nominated[i] || c.alts[i] == nil {
		return estimate{}, 0, false
	}
	r, tol, ok = c.refuter(i)
	if !ok {
		return r, tol, false
	}
	// It refutes by Settings.Margin of its estimates, as the first value
	// must: a user's wider margin holds here too.
	if math.Abs(c.a[i]-r.v) <= c.tolFor(c.a[i], r.v, r.e, c.norm()) {
		return r, tol, false
	}
	contradicts := func(v estimate) bool { return !(math.Abs(v.v-r.v) <= agreeFactor*(v.e+r.e)) }
	if contradicts(c.value(i)) || slices.ContainsFunc(c.alts[i], contradicts) {
		return r, tol, false
	}
	if l, done := c.ladder[i]; done && contradicts(l) {
		return r, tol, false
	}
	return r, tol, true
}

// informativeAgainst reports whether numeric value v, with tolerance tol,
// can clear an entry whose ladder resolved l, with tolerance tolL (out):
// only if it is tighter than l or contradicts it.
func informativeAgainst(v estimate, tol float64, l estimate, tolL float64) bool {
	return tol < tolL || !(math.Abs(v.v-l.v) <= agreeFactor*(v.e+l.e))
}

// altTol is the tolerance of entry i against another of its numeric
// values: agreeFactor error estimates, not the margin's. The other values
// carry pessimistic estimates (the small-step one a floor of σ/crossStep),
// and the margin on top would let them cover a bug of 1e-7 relative on a
// loss of value 20 (σ ≈ 9e-15: 10·σ/1e-6 = 9e-8), the sensitivity target.
func (c *comparison) altTol(i int, alt estimate) float64 {
	m := maxOf(math.Abs(c.a[i]), math.Abs(alt.v))
	rel := relFloor
	if c.matrix() {
		rel = relFloorMatrix
	}
	return agreeFactor*alt.e + ulpsOf(m, c.norm()) + rel*m + minNormal
}

// loosestTol returns the widest tolerance of entry i among its numeric
// values: the one that decides whether out can call it wrong.
func (c *comparison) loosestTol(i int) float64 {
	t := c.tol[i]
	for _, alt := range c.alts[i] {
		t = maxOf(t, c.altTol(i, alt))
	}
	return t
}

// looseRel and looseNorm set which entries in tolerance are loose: their
// tolerance would pass an error of looseRel of the entry (a 0.1% bug, the
// float32 target) and of looseNorm of the largest entry (the sensitivity of
// TestSensitivity). Their agreement says little, and the ladder is asked
// for a second opinion. An error passes a tolerance t = margin·est + floors
// up to t plus the numeric value's own error, which its estimate bounds
// within agreeFactor: up to (1 + agreeFactor/margin)·t (looseWithin). A
// float32 entry with t = 0.996e-3 of it passed a bug of 0.1% that way.
const (
	looseRel  = 1e-3
	looseNorm = 1e-7
)

// loose returns the entries in tolerance, not undecided, whose tolerance is
// loose: the loosest first (secondOpinions bounds how many are asked).
func (c *comparison) loose() []int {
	norm := c.norm()
	var l []int
	for i := range c.a {
		m := maxOf(math.Abs(c.a[i]), math.Abs(c.n[i]))
		t := c.clearingTol(i)
		t *= c.looseWithin()
		if !(isFinite(t) && t > looseRel*m && t > looseNorm*norm) {
			continue // the common case first, without the map lookups
		}
		if _, done := c.ladder[i]; !done && !c.undecided[i] && !c.out(i) {
			l = append(l, i)
		}
	}
	if len(l) == 0 {
		return nil // the common case: nothing to order
	}
	// The entries that would otherwise end unresolved come first: past
	// the bound of Settings.SecondOpinions an entry gets no second opinion
	// from the ladder.
	hidden := make(map[int]bool)
	for _, i := range l {
		if c.unresolved(i, norm) {
			hidden[i] = true
		}
	}
	slices.SortStableFunc(l, func(i, j int) int {
		if hidden[i] != hidden[j] {
			if hidden[i] {
				return -1
			}
			return 1
		}
		return cmpFloat(c.clearingTol(j), c.clearingTol(i))
	})
	return l
}

// looseWithin returns the factor, 1 + agreeFactor/margin, by which an
// error may exceed a tolerance and still pass it: the numeric value's own
// error, up to agreeFactor of its estimates, may hide part of it.
func (c *comparison) looseWithin() float64 {
	return 1 + agreeFactor/c.margin
}

// clearingTol returns the tightest tolerance among the numeric values of
// entry i that allow the analytic one: how large an error the entry's pass
// could have missed (+Inf if none allows it).
func (c *comparison) clearingTol(i int) float64 {
	t := math.Inf(1)
	if math.Abs(c.a[i]-c.n[i]) <= c.tol[i] {
		t = c.tol[i]
	}
	if c.alts == nil {
		return t
	}
	for _, alt := range c.alts[i] {
		if at := c.altTol(i, alt); math.Abs(c.a[i]-alt.v) <= at {
			t = math.Min(t, at)
		}
	}
	return t
}

// bad returns the entries out of tolerance.
func (c *comparison) bad() []int {
	var b []int
	for i := range c.a {
		if c.out(i) {
			b = append(b, i)
		}
	}
	return b
}

// inconclusive reports whether the tolerance of entry i is so wide that
// even an error of 50% would pass: round-off in f hides the derivative
// there. m is the entry's scale, max(|a|, |n|, 1e-8·the largest of them
// over all entries): an entry that is zero on the scale of the largest is
// judged against that scale, so a tolerance of 1e-10 on a zero entry of a
// Hessian whose entries reach 1e3 settles it.
func (c *comparison) inconclusive(i int, m float64) bool {
	return m > 0 && !(c.tol[i] < m/2) || !isFinite(c.tol[i])
}

// resolving returns the numeric value of entry i that resolves it best
// among those that may clear it (out: the ladder's, and the others
// informative against it) and allow the analytic value, with its
// tolerance: the tightest. ok is false if none allows the analytic value
// (the entry is out of tolerance).
func (c *comparison) resolving(i int) (v estimate, tol float64, ok bool) {
	if c.ladder == nil && c.alts == nil {
		// Nothing was computed again: the screen's value alone, as
		// below, without the closures.
		if t := c.tol[i]; math.Abs(c.a[i]-c.n[i]) <= t && t < math.Inf(1) {
			return c.value(i), t, true
		}
		return estimate{}, math.Inf(1), false
	}
	tol = math.Inf(1)
	l, laddered := c.ladder[i]
	var tolL float64
	if laddered {
		tolL = c.altTol(i, l)
	}
	consider := func(e estimate, t float64, informative bool) {
		if informative && math.Abs(c.a[i]-e.v) <= t && t < tol {
			v, tol, ok = e, t, true
		}
	}
	if laddered {
		consider(l, tolL, true)
	}
	in := func(e estimate, t float64) bool {
		return !laddered || informativeAgainstLadder(e, t, l, tolL)
	}
	consider(c.value(i), c.tol[i], in(c.value(i), c.tol[i]))
	for _, alt := range c.alts[i] {
		t := c.altTol(i, alt)
		consider(alt, t, in(alt, t))
	}
	return v, tol, ok
}

// unresolved reports whether entry i, in tolerance and not undecided,
// passes only because every value that allows it is too uncertain to have
// seen it: the tightest of their tolerances, less its floor of float64's
// own rounding (roundingFloor), would pass an error of 50% of the entry
// (max(|analytic|, |numeric|)), and the whole tolerance an error of
// looseNorm of the largest analytic entry, norm.
//
// The threshold follows the error model (docs/NUMERICS.md): a tolerance
// is margin error estimates plus floors, and the round-off part of an
// estimate, σ/h, does not shrink with the entry. Where it exceeds the
// entry (f = 30 + 1e-12·x: σ ≈ 7e-15 over a step of 6e-6 leaves 1e-9
// against 1e-12), agreement says nothing. 50% is the error of the
// commonest bug, the 2 of a square dropped (a factor 1/2), and half of a
// sign error's: a tolerance that passes it has established neither the
// entry's size nor its sign. The entry is resolved all the same when its
// pass bounds the error against the gradient instead — a tolerance of at
// most looseNorm·‖a‖∞, the sensitivity the check promises at the
// gradient's scale (TestSensitivity) — or when only float64's rounding
// allows the 50%, which no check goes below: 1e-15 beside entries of 1;
// and when the entry is negligible against f itself (belowNoise).
// An analytic 0 is never unresolved: 50% of it is nothing, and an error
// in it is one against the other entries, or, where all are 0 (an exact
// zero of a least-squares f, TestExactZeroOfF), against no scale the
// check could name.
func (c *comparison) unresolved(i int, norm float64) bool {
	if c.undecided[i] {
		return false
	}
	v, tol, ok := c.resolving(i)
	if !ok {
		return false
	}
	m := maxOf(math.Abs(c.a[i]), math.Abs(v.v))
	return c.a[i] != 0 && !(tol-c.roundingFloor(m, norm)-c.ownFloorOf(i) < m/2) && tol > looseNorm*norm*c.marginScale() && !c.belowNoise(i)
}

// marginScale returns how many times Settings.Margin widens every
// tolerance beyond the default, at least 1: the sensitivity the check
// promises at the largest entry's scale, looseNorm, holds at the default
// margin, and a caller who chose a margin of 1000 (numerical derivatives
// checked as analytic ones, lab's task 4.1) chose 100 times looser
// bounds. Without it, the round-off of an exact zero of such a Hessian,
// 1.8e-10 beside entries of 8, was unresolved against a tolerance of
// 1e-6, above 1e-7 of the largest only by that choice.
func (c *comparison) marginScale() float64 {
	return maxOf(1, c.margin/DefaultMargin)
}

// ownFloorOf returns the analytic value's own round-off in entry i's
// tolerance (ownFloor), or 0.
func (c *comparison) ownFloorOf(i int) float64 {
	if c.ownFloor == nil {
		return 0
	}
	return c.ownFloor[i]
}

// belowNoise reports whether entry i moves the function it is a
// derivative of by no more than that function's noise σ over the whole
// scale of its coordinate, max(1, |xⱼ|): |aᵢ|·max(1, |xⱼ|) ≤ σ. No
// difference at any step that is still a derivative at x sees such an
// entry, and no computation with the function's values depends on it: it
// is negligible against the function, as one of 1e-15 beside entries of 1
// is against the gradient. gonum's Normal.Survival far in its tail
// (f = 1, f′ = −2e-270) is such an entry; f = 30 + 1e-12·x, which moves
// f by 150 times its noise over a unit step, is not. The function is f
// for a gradient, output r of f for entry [r, j] of a Jacobian (each
// output has its own noise: an output of 30 beside one of 1e-3), and
// output r of grad for a Hessian; a direction u, whose entries are
// ±max(1, |xⱼ|), has the scale 1 (outputOf, scaleOf).
func (c *comparison) belowNoise(i int) bool {
	if c.noise == nil && !c.hasSigma {
		return false
	}
	return math.Abs(c.a[i])*c.scaleOf(i) <= c.noiseOf(c.outputOf(i))
}

// noiseOf returns the noise of output r: noise(r), or sigma where noise is
// nil.
func (c *comparison) noiseOf(r int) float64 {
	if c.noise == nil {
		return c.sigma
	}
	return c.noise(r)
}

// outputOf returns the output whose derivative entry i is: row r of a
// matrix entry [r, j], 0 for a gradient or a direction.
func (c *comparison) outputOf(i int) int {
	if c.matrix() {
		return i / c.cols
	}
	return 0
}

// scaleOf returns the scale of the coordinate entry i differentiates
// along, max(1, |xⱼ|), or 1 along a direction.
func (c *comparison) scaleOf(i int) float64 {
	switch {
	case c.at == nil:
		return 1
	case c.matrix():
		return maxOf(1, math.Abs(c.at[i%c.cols]))
	}
	return maxOf(1, math.Abs(c.at[i]))
}

// roundingFloor returns the part of a tolerance that covers float64's own
// rounding, for values of magnitude m beside a largest entry norm: the
// ulps of both, the relative floor, and the smallest normal number
// (tolFor). No check resolves below it, and it is no round-off of f: an
// entry it alone would allow to be off by 50% — 1e-15 beside entries of
// 1, a logistic loss's 4e-308 beside the smallest normal 2.2e-308 — is
// as resolved as float64 allows, not hidden by f.
func (c *comparison) roundingFloor(m, norm float64) float64 {
	rel := relFloor
	if c.matrix() {
		rel = relFloorMatrix
	}
	return ulpsOf(m, norm) + rel*m + minNormal
}

// worstOf returns the entry of idx with the largest error relative to its
// tolerance.
func (c *comparison) worstOf(idx []int) int {
	w, wr := idx[0], -1.0
	for _, i := range idx {
		r := math.Abs(c.a[i]-c.n[i]) / c.tol[i]
		if math.IsNaN(r) || c.tol[i] == 0 {
			r = math.Inf(1)
		}
		if r > wr {
			w, wr = i, r
		}
	}
	return w
}

// name returns an entry's name in messages: [3], [1,2], direction #2.
func (c *comparison) name(i int) string {
	switch {
	case c.directions:
		return "direction #" + strconv.Itoa(i)
	case !c.matrix():
		return indexName(i)
	}
	return "[" + strconv.Itoa(i/c.cols) + "," + strconv.Itoa(i%c.cols) + "]"
}

// unit names one entry in messages.
func (c *comparison) unit() string {
	if c.directions {
		return "direction"
	}
	return "entry"
}

// matrix reports whether the entries are those of a matrix.
func (c *comparison) matrix() bool {
	return !c.directions && (c.cols > 1 || c.property != "gradient")
}

// failure returns a failure of kind k at entry i.
func (c *comparison) failure(k Kind, i int, bad int, detail string) *Failure {
	v, tol, _ := c.decider(i)
	if d, ok := c.decided[i]; ok {
		v, tol = d.v, d.tol
	}
	f := &Failure{Property: c.property, Kind: k, Row: i, Col: 0,
		Analytic: c.a[i], Numeric: v.v, AbsErr: math.Abs(c.a[i] - v.v), RelErr: relErr(c.a[i], v.v), Tol: tol,
		Bad: bad, Total: len(c.a), Detail: detail}
	if c.matrix() {
		f.Row, f.Col = i/c.cols, i%c.cols
	}
	if c.directions {
		f.Seed = c.seed
	}
	return f
}

// diagnose classifies the entries out of tolerance, bad (not empty), and
// returns the failure.
func (c *comparison) diagnose(bad []int) *Failure {
	// A numeric value that is not finite where the analytic one is: f is
	// not finite near x, and nothing can be said about the derivative.
	for _, i := range bad {
		if isFinite(c.a[i]) && !isFinite(c.n[i]) {
			return c.failure(NotFinite, i, len(bad), fmt.Sprintf("the numerical derivative at %s is %v: f is not finite near x (a domain edge or overflow within the step)", c.name(i), c.n[i]))
		}
	}
	// The pattern is read from the values that decided the entries, not
	// from values too uncertain to have seen their errors.
	// The failure states the value and the tolerance that decided the
	// entry (decided): with the value swapped in, its tolerance is the
	// margin's again, and the message showed a tolerance wider than the
	// error it reported beside the ratio of the Report's entry.
	c.decided = make(map[int]decision, len(bad))
	for _, i := range bad {
		v, tol, _ := c.decider(i)
		c.decided[i] = decision{v, tol}
		if v.v != c.n[i] && isFinite(v.v) {
			c.setValue(i, v)
		}
	}
	w := c.worstOf(bad)
	if len(c.a) == 1 {
		return c.single()
	}
	if f, ok := c.constantFactor(bad, w); ok {
		return f
	}
	if f, ok := c.transpose(bad, w); ok {
		return f
	}
	if f, ok := c.permutation(bad, w); ok {
		return f
	}
	// Partial when at most half the entries are wrong: a bug in some
	// entries (one coordinate, one row, the diagonal). A bug that moves
	// every entry by a varying amount leaves right-looking the entries it
	// moves by less than their tolerance, but not most of them.
	if 2*len(bad) <= len(c.a) && !c.directions {
		return c.failure(Partial, w, len(bad), fmt.Sprintf("%d of %d entries are wrong, the others right; the worst is %s", len(bad), len(c.a), c.name(w)))
	}
	detail := fmt.Sprintf("the %s differs from the numerical one at %s", c.what, describeCount(len(bad), len(c.a), c.directions))
	if lo, hi := c.relRange(bad); hi < 1e-3 {
		detail += fmt.Sprintf(", by a relative %.2g to %.2g: an approximation (a finite difference, a truncated series) where the exact derivative belongs?", lo, hi)
	}
	if allZero(c.a, bad) {
		detail = fmt.Sprintf("the %s is 0 where the numerical one is not (at %s): a clipped or saturated computation?", c.what, describeCount(len(bad), len(c.a), c.directions))
	}
	return c.failure(Mismatch, w, len(bad), detail)
}

// single diagnoses a comparison of one entry that is out of tolerance. One
// value shows no pattern: any wrong value is "a factor" times the right one,
// so the diagnosis is a Mismatch that states the values and their ratio, and
// names a sign or a common factor only as a possibility.
func (c *comparison) single() *Failure {
	detail := fmt.Sprintf("the %s differs from the numerical one at its only entry", c.what)
	if r := c.a[0] / c.n[0]; c.n[0] != 0 && isFinite(r) && r != 0 {
		detail += fmt.Sprintf(" (%s the numerical one; one entry shows no pattern", factorWords(r))
		if math.Abs(r+1) <= 1e-6 {
			detail += ": a sign error?"
		} else if h := factorHint(r); h != "" {
			detail += ": " + strings.TrimSuffix(h[2:], ")")
		}
		detail += ")"
	}
	if lo, _ := c.relRange([]int{0}); lo < 1e-3 {
		detail += fmt.Sprintf(", by a relative %.2g: an approximation (a finite difference, a truncated series) where the exact derivative belongs?", lo)
	}
	if c.a[0] == 0 {
		detail = fmt.Sprintf("the %s is 0 where the numerical one is not (at its only entry): a clipped or saturated computation?", c.what)
	}
	return c.failure(Mismatch, 0, 1, detail)
}

// relRange returns the smallest and largest relative error over idx.
func (c *comparison) relRange(idx []int) (lo, hi float64) {
	lo = math.Inf(1)
	for _, i := range idx {
		r := relErr(c.a[i], c.n[i])
		lo, hi = math.Min(lo, r), maxOf(hi, r)
	}
	return lo, hi
}

func describeCount(bad, total int, directions bool) string {
	unit := "entries"
	if directions {
		unit = "directions"
	}
	if bad == total && total == 1 {
		one := "entry"
		if directions {
			one = "direction"
		}
		return "its only " + one
	}
	if bad == total {
		return "every one of the " + fmt.Sprint(total) + " " + unit
	}
	return fmt.Sprintf("%d of %d %s", bad, total, unit)
}

func allZero(a []float64, idx []int) bool {
	for _, i := range idx {
		if a[i] != 0 {
			return false
		}
	}
	return true
}

// constantFactor recognizes analytic = c·numeric at every entry, c ≠ 1,
// with c from least squares over the entries. It needs two entries whose
// numeric value is clearly nonzero (one entry is always "a factor") —
// unless there is only one entry, as for a derivative of ℝ→ℝ.
func (c *comparison) constantFactor(bad []int, w int) (*Failure, bool) {
	// Weighted least squares, each entry weighted by 1/tol²: the factor is
	// set by the most precise entries, not dragged by the noisiest. The
	// weights are scaled by the smallest tolerance so that tolerances near
	// the smallest normal number do not underflow when squared.
	tmin := math.Inf(1)
	for i, t := range c.tol {
		if !c.undecided[i] {
			tmin = math.Min(tmin, t)
		}
	}
	var an, nn float64
	for i := range c.a {
		if c.undecided[i] {
			continue
		}
		wt := (tmin / c.tol[i]) * (tmin / c.tol[i])
		an += wt * c.a[i] * c.n[i]
		nn += wt * c.n[i] * c.n[i]
	}
	if nn == 0 {
		return nil, false
	}
	factor := an / nn
	// A factor within 1e-3 of 1 is no missing constant: the analytic value
	// is an approximation (a forward difference on eˣ is (1 + h/2)× the
	// derivative at every entry), left to the mismatch message.
	if !isFinite(factor) || math.Abs(factor) < 1e-3 || math.Abs(factor-1) < 1e-3 {
		return nil, false
	}
	// Every entry that the factor moves clearly beyond its tolerance must
	// be out of tolerance, and there must be two entries that show the
	// factor (one is partial), unless there is only one entry: a few wrong
	// entries among right ones are partial, whatever factor a fit finds.
	// An entry out of tolerance shows it whether or not the factor moves
	// it clearly beyond the loosest of its values' tolerances: it is out
	// of tolerance of the value that decided it, and the fit below must
	// explain it. (Counting only entries moved beyond their loosest
	// tolerance read a sign error in a flat region, out of tolerance of
	// the ladder's values and within the screen's 1e-8 that allows
	// anything, as no pattern.) Entries without a verdict (a kink, f's
	// round-off) show no pattern and refute none.
	isBad := make(map[int]bool, len(bad))
	for _, i := range bad {
		isBad[i] = true
	}
	moved := 0
	for i := range c.a {
		if c.undecided[i] {
			continue
		}
		clearly := math.Abs(factor-1)*math.Abs(c.n[i]) > 2*c.loosestTol(i)
		if clearly && !isBad[i] {
			return nil, false
		}
		if clearly || isBad[i] {
			moved++
		}
	}
	if !(moved >= 2 || len(c.a) == 1 && moved == 1) {
		return nil, false
	}
	// The factor's own uncertainty, one standard error of the fit.
	sigma := tmin / math.Sqrt(nn)
	fits := func(factor, sigma float64) bool {
		for i := range c.a {
			// Scaled by the factor, the numeric value's tolerance scales too.
			if !c.undecided[i] && !(math.Abs(c.a[i]-factor*c.n[i]) <= (1+math.Abs(factor))*c.tol[i]+sigma*math.Abs(c.n[i])) {
				return false
			}
		}
		return true
	}
	if !fits(factor, sigma) {
		return nil, false
	}
	// A sign error when the fit is −1, or when −1 itself explains every
	// entry within its tolerance: values whose tolerances are wide against
	// them (barely resolved entries of a flat region) fit a factor of
	// −1.01 as well as −1, and the simplest pattern the values allow is
	// the one they show.
	if math.Abs(factor+1) <= 1e-6 || factor < 0 && fits(-1, 0) {
		f := c.failure(Sign, w, len(bad), fmt.Sprintf("the %s is the negative of the numerical one at every %s: a sign error", c.what, c.unit()))
		f.Factor = factor
		if math.Abs(factor+1) > 1e-6 {
			f.Factor = -1
		}
		return f, true
	}
	f := c.failure(ConstantFactor, w, len(bad), fmt.Sprintf("the %s is %s the numerical one at every %s: a missing or extra constant factor%s",
		c.what, factorWords(factor), c.unit(), factorHint(factor)))
	f.Factor = factor
	return f, true
}

// factorWords writes a factor as "2×", "0.5× (1/2)", "-3×".
func factorWords(c float64) string {
	s := fmt.Sprintf("%.4g×", c)
	if r := math.Round(1 / c); math.Abs(c) < 1 && r != 0 && math.Abs(1/c-r) < 1e-6*math.Abs(r) {
		s = fmt.Sprintf("%.4g× (1/%g)", c, r)
	}
	return s
}

// factorHint names the usual suspects for common factors.
func factorHint(c float64) string {
	switch {
	case math.Abs(c-2) < 1e-6:
		return " (an extra 2, or a 2 counted twice)"
	case math.Abs(c-0.5) < 1e-6:
		return " (the 2 of a square dropped?)"
	case math.Abs(c-math.Round(c)) < 1e-6*math.Abs(c) && math.Abs(c) > 2:
		return " (a missing 1/n of a mean?)"
	case math.Abs(1/c-math.Round(1/c)) < 1e-6/math.Abs(c) && math.Abs(c) < 0.5:
		return " (an extra 1/n, or dividing by the wrong count?)"
	}
	return ""
}

// transpose recognizes a square matrix that is the transpose of the
// numeric one.
func (c *comparison) transpose(bad []int, w int) (*Failure, bool) {
	if c.directions || c.rows != c.cols || c.rows < 2 {
		return nil, false
	}
	d := c.rows
	for r := 0; r < d; r++ {
		for col := 0; col < d; col++ {
			i, j := r*d+col, col*d+r
			if !(math.Abs(c.a[i]-c.n[j]) <= c.tol[i]+c.tol[j]) {
				return nil, false
			}
		}
	}
	return c.failure(Transpose, w, len(bad), fmt.Sprintf("the %s is the transpose of the numerical one (entry [i,j] holds [j,i]): rows and columns swapped, X where Xᵀ belongs?", c.what)), true
}

// permutation recognizes wrong entries that hold the right values in the
// wrong places: sorted, the analytic and the numeric values agree. The
// match runs over all entries, not only the wrong ones: an entry that moved
// onto an equal value (a zero onto a zero) is not wrong, and leaves the
// multiset of the wrong ones short.
func (c *comparison) permutation(bad []int, w int) (*Failure, bool) {
	if c.directions || len(bad) < 2 {
		return nil, false
	}
	// Entries without a verdict (a kink, f's round-off) take no part: a
	// tolerance wide enough to allow any value matched every analytic
	// value, and made two sign-flipped entries of a flat region "swapped".
	all := make([]int, 0, len(c.a))
	for i := range c.a {
		if !c.undecided[i] {
			all = append(all, i)
		}
	}
	byA, byN := slices.Clone(all), slices.Clone(all)
	slices.SortFunc(byA, func(i, j int) int { return cmpFloat(c.a[i], c.a[j]) })
	slices.SortFunc(byN, func(i, j int) int { return cmpFloat(c.n[i], c.n[j]) })
	for k := range byA {
		i, j := byA[k], byN[k]
		if !(math.Abs(c.a[i]-c.n[j]) <= c.tol[i]+c.tol[j]) {
			return nil, false
		}
	}
	var detail string
	if len(bad) == 2 {
		detail = fmt.Sprintf("entries %s and %s are swapped", c.name(bad[0]), c.name(bad[1]))
	} else {
		// Name one displaced entry: where its value belongs.
		i := bad[0]
		k := slices.Index(byA, i)
		detail = fmt.Sprintf("%d entries hold the right values in the wrong places (%s holds the value of %s): an index mix-up or a matrix flattened in the wrong order?",
			len(bad), c.name(i), c.name(byN[k]))
	}
	return c.failure(Permutation, w, len(bad), detail), true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ratio returns the error of entry i relative to the tolerance of the
// numeric value that decides it (decider): it is at most 1 exactly when the
// entry passes (out).
func (c *comparison) ratio(i int) float64 {
	_, _, r := c.decider(i)
	return r
}

// decider returns the numeric value v ± e of entry i that decides it, its
// tolerance and the entry's ratio |a − v|/tol: among the values that may
// clear the entry (out) — the ladder's, and the others that are
// informative against it — the one the analytic value comes closest to.
// A value that cannot have seen the error is not read: the report of a
// sign error in a flat region showed the screen's value 0 ± 1e-9, which
// allows anything, while the ladder's 9.7e-11 ± 4e-13 decided the entry.
func (c *comparison) decider(i int) (v estimate, tol, ratio float64) {
	v, tol = c.value(i), c.tol[i]
	if c.ladder == nil && c.alts == nil {
		return v, tol, ratioOf(c.a[i], v.v, tol)
	}
	if ref, tolRef, ok := c.standing(i); ok && c.out(i) {
		// Out by a value that stands against the others (out): that one.
		return ref, tolRef, ratioOf(c.a[i], ref.v, tolRef)
	}
	ratio = math.Inf(1)
	l, resolved := c.ladder[i]
	var tolL float64
	if resolved {
		tolL = c.altTol(i, l)
		v, tol, ratio = l, tolL, ratioOf(c.a[i], l.v, tolL)
	}
	consider := func(e estimate, t float64) {
		if resolved && !informativeAgainstLadder(e, t, l, tolL) {
			return
		}
		if r := ratioOf(c.a[i], e.v, t); r < ratio {
			v, tol, ratio = e, t, r
		}
	}
	consider(c.value(i), c.tol[i])
	for _, alt := range c.alts[i] {
		consider(alt, c.altTol(i, alt))
	}
	return v, tol, ratio
}

// ratioOf returns |a − v|/tol: 0 where a = v, +Inf where it is NaN.
func ratioOf(a, v, tol float64) float64 {
	if a == v {
		return 0
	}
	r := math.Abs(a-v) / tol
	if math.IsNaN(r) {
		return math.Inf(1)
	}
	return r
}

// stats summarizes a comparison for a Report. The relative error of an
// entry that is zero on the scale of the largest (below 1e-8 of it) is
// taken against that scale, as in inconclusive: 1e-300 against 0 is no
// error of 100%; inconclusive entries, whose tolerance would pass an error
// of 50%, are left out of MaxRelErr: round-off decides their figure.
func (c *comparison) stats(r *Report) {
	r.Entries = len(c.a)
	norm := 0.0
	for i := range c.a {
		norm = maxOf(norm, maxOf(math.Abs(c.a[i]), math.Abs(c.n[i])))
	}
	r.PerEntry = slices.Grow(r.PerEntry, len(c.a))
	inconclusive := 0
	for i := range c.a {
		d := math.Abs(c.a[i] - c.n[i])
		m := maxOf(maxOf(math.Abs(c.a[i]), math.Abs(c.n[i])), 1e-8*norm)
		if c.inconclusive(i, m) {
			inconclusive++
		}
		if re := d / m; d != 0 && (c.tol[i] < m/2 || c.out(i)) && (re > r.MaxRelErr || math.IsNaN(re)) {
			r.MaxRelErr = re
		}
		st := EntryStatus{Entry: c.name(i), Analytic: c.a[i], Numeric: c.n[i], Tol: c.tol[i], Verdict: "pass"}
		if c.undecided != nil && c.undecided[i] {
			st.Verdict = "no verdict"
			r.PerEntry = append(r.PerEntry, st)
			continue
		}
		var dv estimate
		dv, st.Tol, st.Ratio = c.decider(i)
		st.Numeric = dv.v
		if st.Ratio > 1 {
			st.Verdict = "bug"
		}
		r.PerEntry = append(r.PerEntry, st)
		if st.Ratio > r.WorstRatio {
			r.WorstRatio = st.Ratio
			r.WorstTol = st.Tol
		}
	}
	r.Inconclusive = inconclusive
}

// maxOf returns math.Max(a, b), inlined: math.Max is not on amd64, and
// the passes over the entries (stats, tolerances, loose, unresolved) and
// the screen take several per entry. The builtin max agrees with it
// except that math.Max returns +Inf where one argument is +Inf and the
// other NaN.
func maxOf(a, b float64) float64 {
	m := max(a, b)
	if m != m && (a > math.MaxFloat64 || b > math.MaxFloat64) {
		return math.Inf(1)
	}
	return m
}

// crossStep is the first step, absolute, of the second Ridders estimate
// of an entry still out of tolerance after the first (see out). Ridders'
// default steps are relative to max(1, |xᵢ|) and run from 0.1 down to about
// 2e-5 of it; structure narrower than that, or a function whose scale is
// not |xᵢ|, fools them and their error estimates alike. A start of 1e-6 in
// absolute terms resolves both, with round-off near ε|f|/1e-7; where the
// function's scale really is |xᵢ| ≫ 1 the small steps are lost in round-off
// and their estimate says so.
const crossStep = 1e-6

// crossFloor returns the least error of a small-step estimate along a line
// that moves every coordinate, for a function whose values carry round-off
// σ measured over the whole point: σ/crossStep (CheckTaylor's confirmation
// along u).
func crossFloor(sigma float64) float64 {
	return sigma / crossStep
}

// crossSettings returns the engine settings of the second estimate along
// coordinate i (Settings.Step is relative to max(1, |xᵢ|)).
func crossSettings(xi float64) *gradients.Settings {
	return &gradients.Settings{Method: gradients.Ridders, Step: crossStep / maxOf(1, math.Abs(xi))}
}
