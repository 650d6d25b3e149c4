package properties

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// blockSize is the number of coordinates a block sum moves at once. The
// error of Ridders' value along a block grows with the block's derivative,
// a sum of blockSize terms: about √blockSize times one entry's for terms of
// one size (docs/NUMERICS.md, "Block sums").
const blockSize = 64

// blockSums returns the entries of cmp that Ridders' derivatives along
// blocks of coordinates nominate for a second opinion. The screen resolves
// an entry to its central difference's error, 1e4…1e5 times that of
// Ridders' value along the entry's line; computing Ridders' value on every
// line would cost about 7 times the screen. A sum is cheaper: along
// u = Σ±max(1, |xᵢ|)eᵢ over a block B, Ridders' value of the directional
// derivative has an error about √|B| times one entry's, and a bug δ in
// entry i ∈ B moves the analytic ∇f·u by δ·max(1, |xᵢ|) — any one-entry
// bug shows in its block's sum. A block whose sum disagrees with the
// analytic one beyond agreeFactor estimates is halved until the halves have
// at most two entries, which are nominated; the entries' own Ridders values
// and the second opinions of CheckGradient decide them, so a sum never
// makes a verdict by itself (docs/NUMERICS.md, "Block sums").
//
// skip marks the entries left out of every block: those already escalated,
// suspect or loose (they get their own second opinions). The signs come
// from Settings.Seed. Nominations stop at maxEscalate entries.
func (s *session) blockSums(f func([]float64) float64, f0 float64, cmp *comparison, skip func(i int) bool) []int {
	// The probe and its buffers are the session's, kept with it from
	// check to check (newSession): a check allocates none of them.
	p := &s.sums
	idx := p.entries[:0]
	for i := range cmp.a {
		if !skip(i) && isFinite(cmp.a[i]) && isFinite(cmp.n[i]) {
			idx = append(idx, i)
		}
	}
	p.entries = idx
	if len(idx) == 0 {
		return nil
	}
	d := len(s.x)
	buf := p.buf
	if cap(buf) < 3*d {
		buf = make([]float64, 3*d)
	}
	buf = buf[:3*d]
	clear(buf[:d])
	*p = blockProbe{s: s, f: f, f0: f0, sigma: cmp.sigma, a: cmp.a, u: buf[:d], work: buf[d : 2*d], sign: buf[2*d:],
		buf: buf, entries: idx, nominated: p.nominated[:0], phi: p.phi}
	if p.phi == nil {
		p.phi = p.along // bound once to the session's probe
	}
	// newRand's stream, drawn from its source directly (as otherPoint
	// does): one draw per coordinate, as before.
	rng := rand.NewPCG(s.c.seed, 0x9e3779b97f4a7c15)
	for i := range p.sign {
		p.sign[i] = 1
		if rng.Uint64()&1 == 1 {
			p.sign[i] = -1
		}
	}
	for lo := 0; lo < len(idx) && len(p.nominated) < maxEscalate; lo += blockSize {
		block := idx[lo:min(lo+blockSize, len(idx))]
		if p.disagreement(block) > 1 {
			p.bisect(block)
		}
	}
	return p.nominated
}

// A blockProbe computes Ridders' derivatives of f along sums of coordinates
// and the entries they nominate.
type blockProbe struct {
	s         *session
	f         func([]float64) float64
	f0        float64   // f(x)
	sigma     float64   // f's noise along a line that moves every coordinate (the screen's)
	a         []float64 // the analytic gradient
	u         []float64 // the direction, zero outside the current block
	work      []float64 // the point of each evaluation (along)
	sign      []float64 // each coordinate's sign in every block
	nominated []int
	buf       []float64             // backs u, work and sign
	entries   []int                 // the entries of every block (blockSums)
	idx       []int                 // the entries of the current block (disagreement)
	seen      oneValueBits          // the values of f along the current block's line
	phi       func(float64) float64 // along, bound once
}

// disagreement returns |R − a·u| over its tolerance for u = Σ±max(1, |xᵢ|)eᵢ
// over idx, with R Ridders' directional derivative of f along u: above 1,
// the sum disagrees with the analytic gradient. The tolerance is agreeFactor
// of R's estimate plus the round-off of the dot product a·u (as a random
// direction's, directions.go). A sum with no finite value or estimate
// disagrees with nothing (0).
func (p *blockProbe) disagreement(idx []int) float64 {
	dot, abs := 0.0, 0.0
	for _, i := range idx {
		p.u[i] = p.sign[i] * maxOf(1, math.Abs(p.s.x[i]))
		dot += p.a[i] * p.u[i]
		abs += math.Abs(p.a[i] * p.u[i])
	}
	// Ridders' round-off is relative to the values it differences. Where a
	// step of 0.1 along u makes f's value far larger than f(x) — the
	// block's coordinates far below 1 in size, so that the step moves each
	// by many times its scale — that round-off is up to b times one
	// coordinate's line's (Σcᵢ(xᵢ − mᵢ)² at scale 1e-6: 200× the entries'
	// estimate), and the extrapolation starts from 1e-3 instead, as for an
	// unresolved entry (riddersStarts; 2× there). One evaluation decides.
	p.seen = oneValueBits{}
	p.seen.see(p.f0)
	p.idx = idx
	phi := p.phi
	start := riddersStarts[0]
	if big := phi(start); !(math.Abs(big) <= 100*math.Abs(p.f0)) {
		start = riddersStarts[1]
	}
	// The screen measured f's noise σ along a line that moves every
	// coordinate. A block of at least half of them changes at least half
	// of f's terms, and its line's noise is σ's within the scatter of the
	// measurement: Ridders takes σ instead of measuring the line's (15 of
	// its evaluations). A smaller block measures: along 64 of 1000
	// coordinates σ overstated the line's noise up to 16× (docs/NUMERICS.md,
	// "Block sums").
	fixed := &gradients.Settings{Method: gradients.Ridders, Step: start}
	var def *gradients.Settings
	if 2*len(idx) >= len(p.s.x) && isFinite(p.sigma) && p.sigma > 0 {
		fixed.Noise = p.sigma
		def = &gradients.Settings{Noise: p.sigma}
	}
	var v, e float64
	if start == riddersStarts[0] {
		v, e = gradients.DerivativeWithError(phi, 0, def)
	} else {
		v, e = gradients.DerivativeWithError(phi, 0, fixed)
	}
	// Values all exact in float32's bits carry its round-off, which the
	// extrapolation amplifies about 2× (precision.go): Ridders' estimate
	// from its own tableau misses it (a float32 f whose correct entry was
	// nominated and refuted, seed 2776 of TestFloat32RandomPoints).
	// The default may take its value from a smaller start than its first,
	// whose round-off is larger: on such values it is taken again from
	// start alone, as along a random direction (directions.go).
	if pf := p.seen.precisionFloor(); pf > 0 {
		if start == riddersStarts[0] {
			v, e = gradients.DerivativeWithError(phi, 0, fixed)
		}
		e = math.Max(e, 2*pf/start)
	}
	for _, i := range idx {
		p.u[i] = 0
	}
	tol := agreeFactor*e + 4*eps*abs*math.Sqrt(float64(len(idx)))
	if !isFinite(v) || !isFinite(tol) {
		return 0
	}
	return math.Abs(v-dot) / tol
}

// along returns f(x + t·u) along u over the current block p.idx, and
// records its value in p.seen. Each point is written in full (a copy of
// x, then the block's coordinates), so that a write of f to its input
// spoils no later evaluation (session.along, whose values these are, bit
// for bit: xᵢ + t·0 = xᵢ).
func (p *blockProbe) along(t float64) float64 {
	copy(p.work, p.s.x)
	for _, i := range p.idx {
		p.work[i] = p.s.x[i] + t*p.u[i]
	}
	y := p.f(p.work)
	p.seen.see(y)
	return y
}

// bisect nominates the entries of idx, a block whose sum disagrees: it
// halves idx and goes on into each half that disagrees, down to two
// entries. Where neither half disagrees by itself (two errors, one in each
// half, each within its tolerance, or a sum that disagreed by chance) it
// nominates nothing: a nomination is backed by a disagreement at every
// level.
func (p *blockProbe) bisect(idx []int) {
	if len(p.nominated) >= maxEscalate {
		return
	}
	if len(idx) <= 2 {
		p.nominated = append(p.nominated, idx...)
		return
	}
	lo, hi := idx[:len(idx)/2], idx[len(idx)/2:]
	rl, rh := p.disagreement(lo), p.disagreement(hi)
	if rl > 1 {
		p.bisect(lo)
	}
	if rh > 1 {
		p.bisect(hi)
	}
}

// confirmStanding withdraws the nomination of each nominated entry that is
// out by a value that stands (comparison.standing) unless Ridders' value
// from a smaller first step confirms that value's refutation, and reports
// whether it withdrew any. The block sum and the entry's Ridders value
// are no independent witnesses where both cross the same structure: a
// softmax cross-entropy at weights of −1.5e7, piecewise linear in them,
// whose argmax changes within Ridders' steps but beyond the ladder's top,
// gave 0.58099563852 ± 4e-11 for the exact 0.58099562785, and its sum
// disagreed too (FuzzGradient). The first steps descend from 0.1 by
// confirmDecade while their round-off, 2σ/h₀ with σ the noise measured
// along the entry's line, still lets a value refute the analytic one, at
// most confirmDepth times (refuted.go's descent, without its test of a
// straight line, which reads a smooth function's curvature as structure):
// a value that refutes too and agrees with the standing one confirms it; a
// value that allows the analytic one and could have seen the error clears
// it (it joins the entry's values). A withdrawn entry is decided as if not
// nominated. value is Ridders' value of an entry from a first step
// (relative), with that step absolute; ln gives the entries' lines.
func (s *session) confirmStanding(cmp *comparison, ln lines, value func(i int, start float64) (estimate, float64)) bool {
	var idx []int
	for i, on := range cmp.nominated {
		if on {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	withdrawn := false
	for _, i := range idx {
		if !cmp.out(i) {
			continue
		}
		ref, _, ok := cmp.standing(i)
		if !ok {
			continue
		}
		if !s.confirmedSmaller(cmp, i, ref, ln, value) {
			cmp.nominated[i] = false
			withdrawn = true
		}
	}
	return withdrawn
}

// confirmedSmaller reports whether Ridders' value of entry i from a first
// step below 0.1 confirms ref's refutation of its analytic value
// (confirmStanding).
func (s *session) confirmedSmaller(cmp *comparison, i int, ref estimate, ln lines, value func(i int, start float64) (estimate, float64)) bool {
	phi, t0, _ := ln.line(i)
	phi = withinDomain(phi)
	vb := newValueBits(1)
	sigma := gradients.Noise(vb.scalar(func(v []float64) float64 { return phi(v[0]) }), []float64{t0})
	sigma = math.Max(sigma, vb.precisionFloor(0))
	a := cmp.a[i]
	disc := math.Abs(a - ref.v)
	tolRef := cmp.altTol(i, ref)
	start := riddersStarts[0]
	for range confirmDepth {
		start /= confirmDecade
		h0 := start * math.Max(1, math.Abs(t0))
		if !(agreeFactor*2*sigma/h0 < disc) {
			return false // its round-off alone would allow a
		}
		c, _ := value(i, start)
		c.e = math.Max(c.e, 2*sigma/h0)
		tol := cmp.altTol(i, c)
		if math.Abs(a-c.v) <= tol {
			if informativeAgainst(c, tol, ref, tolRef) {
				cmp.addAlt(i, c.v, c.e, c.reach)
				return false
			}
			continue
		}
		if math.Abs(c.v-ref.v) <= agreeFactor*(c.e+ref.e) {
			return true
		}
	}
	return false
}
