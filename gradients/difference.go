package gradients

import "math"

// Constants of Ridders' method, from Numerical Recipes §5.7 (dfridr).
const (
	nTab = 10  // NTAB: maximum size of the extrapolation tableau
	con  = 1.4 // CON: the step shrinks by this factor from row to row
	con2 = con * con
	safe = 2.0 // SAFE: stop when the error grows by this factor

	// ridders0 is the default first step of Ridders' method relative to
	// max(1, |xᵢ|): "a few tenths" (NUMERICS.md) — large steps keep
	// round-off small, and the extrapolation removes the truncation.
	ridders0 = 0.1
	// shrinkNonFinite divides a first step at which f is not finite (it
	// left f's domain: log of a negative number, a pole) before retrying,
	// down to sMin. Near a domain edge the derivative is large and steps far
	// below the usual optimum are still accurate (log at 1e-6 needs h < 1e-6);
	// the error estimate says how accurate.
	shrinkNonFinite = 8.0
	sMin            = 1e-12
	// roundoffFactor scales the round-off bound added to Ridders' error
	// estimate: the extrapolation weights amplify the noise of the central
	// differences it combines by about this much (measured: with it, the
	// actual error exceeds the estimate in under 1% of the entries of
	// TestGradientErrorEstimate).
	roundoffFactor = 2
)

// riddersStarts are the first steps tried by the default Ridders method,
// relative to ridders0. A start step that crosses a singularity, a branch cut
// or a domain edge gives garbage with a large error estimate; a smaller
// start does not, and the answer with the smallest error estimate wins
// (NUMERICS.md, "safeguard it"; the tests of hazards in difference_test.go).
var riddersStarts = [...]float64{1, 1.0 / 16, 1.0 / 256}

// stencilKind selects the base formula that Ridders' method extrapolates.
type stencilKind int

const (
	firstCentral stencilKind = iota // ∂f/∂xᵢ by a central difference
	secondDiag                      // ∂²f/∂xᵢ² by a second central difference
	secondMixed                     // ∂²f/∂xᵢ∂xⱼ by the four-point formula
)

// stencil is a base formula at coordinates i (and j).
type stencil struct {
	kind stencilKind
	i, j int
}

// offset returns the point x+h and the distance x+h − x that it lies from x.
// Evaluating at a representable point and dividing by the distance actually
// travelled removes the error of rounding x+h (NUMERICS.md, "make the step
// exactly representable"). The distance is exact when |h| ≤ |x| (Sterbenz's
// lemma); when |x| < |h| it is rounded once, a relative error of at most
// ε/2 in the step, far below the formulas' own errors.
func offset(x, h float64) (xh, delta float64) {
	xh = x + h
	return xh, xh - x
}

// base evaluates the base formula st at the step scale s (coordinate i moves
// by s·max(1, |xᵢ|)) into dst, and reports whether every output is finite.
// It leaves in p.rf the round-off bound Σ|wₙ|·δf(pₙ) of the formula's
// weighted sum, where δf is the round-off of a value (roundoff).
func (p *probe) base(dst []float64, st stencil, s float64) bool {
	xi := p.x[st.i]
	hi := s * scale(xi)
	// A point beyond ±MaxFloat64 rounds to ±Inf, and a difference over an
	// infinite distance is a finite 0: count it as a step that left f's
	// domain (Ridders' first step of 0.1·|xᵢ| does from |xᵢ| ≈ 1.6e308).
	if !isFinite(xi+hi) || !isFinite(xi-hi) {
		return false
	}
	switch st.kind {
	case firstCentral:
		xp, dp := offset(xi, hi)
		xm, dm := offset(xi, -hi)
		p.at(p.fa, st.i, xp)
		p.at(p.fb, st.i, xm)
		for c := range dst {
			dst[c] = (p.fa[c] - p.fb[c]) / (dp - dm)
			if !p.noRf {
				p.rf[c] = (p.roundoff(c, p.fa[c]) + p.roundoff(c, p.fb[c])) / (dp - dm)
			}
		}
	case secondDiag:
		if p.fs != nil && p.noRf {
			// The scalar Central Hessian: the same arithmetic, one output.
			xp, dp := offset(xi, hi)
			xm, dm := offset(xi, -hi)
			fa, f0 := p.at1(st.i, xp), p.f0[0]
			fb := p.at1(st.i, xm)
			v := 2 * ((fa-f0)/dp - (f0-fb)/(-dm)) / (dp - dm)
			dst[0] = v
			return isFinite(v)
		}
		xp, dp := offset(xi, hi)
		xm, dm := offset(xi, -hi)
		p.at(p.fa, st.i, xp)
		p.at(p.fb, st.i, xm)
		// The second divided difference over x−, x, x+ with the actual
		// offsets: (f₊ − 2f₀ + f₋)/h² when they are symmetric.
		for c := range dst {
			dst[c] = 2 * ((p.fa[c]-p.f0[c])/dp - (p.f0[c]-p.fb[c])/(-dm)) / (dp - dm)
			if !p.noRf {
				p.rf[c] = 2 * (p.roundoff(c, p.fa[c])/dp + 2*p.roundoff(c, p.f0[c])/math.Min(dp, -dm) + p.roundoff(c, p.fb[c])/(-dm)) / (dp - dm)
			}
		}
	case secondMixed:
		xj := p.x[st.j]
		hj := s * scale(xj)
		if !isFinite(xj+hj) || !isFinite(xj-hj) {
			return false
		}
		xip, dip := offset(xi, hi)
		xim, dim := offset(xi, -hi)
		xjp, djp := offset(xj, hj)
		xjm, djm := offset(xj, -hj)
		if p.fs != nil && p.noRf {
			// The scalar Central Hessian: the same arithmetic, one output.
			fa := p.at2s(st.i, xip, st.j, xjp)
			fb := p.at2s(st.i, xip, st.j, xjm)
			fc := p.at2s(st.i, xim, st.j, xjp)
			fd := p.at2s(st.i, xim, st.j, xjm)
			den := (dip - dim) * (djp - djm)
			v := ((fa - fb) - (fc - fd)) / den
			dst[0] = v
			return isFinite(v)
		}
		p.at2(p.fa, st.i, xip, st.j, xjp)
		p.at2(p.fb, st.i, xip, st.j, xjm)
		p.at2(p.fc, st.i, xim, st.j, xjp)
		p.at2(p.fd, st.i, xim, st.j, xjm)
		for c := range dst {
			den := (dip - dim) * (djp - djm)
			dst[c] = ((p.fa[c] - p.fb[c]) - (p.fc[c] - p.fd[c])) / den
			if !p.noRf {
				p.rf[c] = (p.roundoff(c, p.fa[c]) + p.roundoff(c, p.fb[c]) + p.roundoff(c, p.fc[c]) + p.roundoff(c, p.fd[c])) / den
			}
		}
	}
	for _, v := range dst {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// ridders extrapolates the base formula st to step zero from the first step
// scale s0, writing the answer to d and its error estimate to e (both of
// length k). It is Numerical Recipes' dfridr, run on k outputs at once: each
// output keeps the tableau entry with the smallest error estimate and stops
// when the error starts to grow. A first step at which f is not finite is
// shrunk until it is; if none is, d is NaN and e is +Inf.
func (p *probe) ridders(d, e []float64, st stencil, s0 float64) {
	k := p.k
	for c := 0; c < k; c++ {
		d[c], e[c], p.ext[c] = math.NaN(), math.Inf(1), math.Inf(1)
		p.stopped[c] = false
	}
	prev, cur := p.prev, p.cur
	s := s0
	for !p.base(prev[:k], st, s) {
		s /= shrinkNonFinite
		if s < sMin {
			return
		}
	}
	for c := 0; c < k; c++ {
		// Without any extrapolated entry, the best is the plain difference,
		// of unknown error.
		d[c] = prev[c]
	}
	for i := 1; i < nTab; i++ {
		s /= con
		if !p.base(cur[:k], st, s) {
			return
		}
		fac := con2
		for j := 1; j <= i; j++ {
			// Extrapolate to one order higher: eliminate the h^(2j) term.
			cj, cj1, pj1 := cur[j*k:(j+1)*k], cur[(j-1)*k:j*k], prev[(j-1)*k:j*k]
			for c := 0; c < k; c++ {
				cj[c] = (cj1[c]*fac - pj1[c]) / (fac - 1)
				if p.stopped[c] {
					continue
				}
				// NR's estimate, the change from the neighbouring entries,
				// plus the round-off of the row's own differences, which
				// the extrapolation cannot remove: when successive entries
				// agree by chance, NR's estimate alone is optimistic.
				ext := maxOf(math.Abs(cj[c]-cj1[c]), math.Abs(cj[c]-pj1[c]))
				if errt := ext + roundoffFactor*p.rf[c]; errt <= e[c] {
					e[c], d[c], p.ext[c] = errt, cj[c], ext
				}
			}
			fac *= con2
		}
		all := true
		for c := 0; c < k; c++ {
			// Higher order is worse by a significant factor: quit early.
			if !p.stopped[c] && math.Abs(cur[i*k+c]-prev[(i-1)*k+c]) >= safe*e[c] {
				p.stopped[c] = true
			}
			all = all && p.stopped[c]
		}
		if all {
			return
		}
		prev, cur = cur, prev
	}
}

// fixed evaluates the fixed formula m at absolute step h on coordinate i into
// d. If r is not nil, it adds to r the round-off bound Σ|wₖ|·δf(pₖ) of the
// formula's weighted sum, where δf is the round-off of a value (roundoff). f0 must hold f(x) for Forward and Backward.
func (p *probe) fixed(d, r []float64, i int, m Method, h float64) {
	xi := p.x[i]
	switch m {
	case Forward:
		xp, dp := offset(xi, h)
		p.at(p.fa, i, xp)
		for c := range d {
			d[c] = (p.fa[c] - p.f0[c]) / dp
			if r != nil {
				r[c] += (p.roundoff(c, p.fa[c]) + p.roundoff(c, p.f0[c])) / dp
			}
		}
	case Backward:
		xm, dm := offset(xi, -h)
		p.at(p.fa, i, xm)
		for c := range d {
			d[c] = (p.f0[c] - p.fa[c]) / -dm
			if r != nil {
				r[c] += (p.roundoff(c, p.fa[c]) + p.roundoff(c, p.f0[c])) / -dm
			}
		}
	case Central:
		xp, dp := offset(xi, h)
		xm, dm := offset(xi, -h)
		p.at(p.fa, i, xp)
		p.at(p.fb, i, xm)
		for c := range d {
			d[c] = (p.fa[c] - p.fb[c]) / (dp - dm)
			if r != nil {
				r[c] += (p.roundoff(c, p.fa[c]) + p.roundoff(c, p.fb[c])) / (dp - dm)
			}
		}
	case FivePoint:
		var pts, off [4]float64
		for n, t := range [4]float64{-2, -1, 1, 2} {
			pts[n], off[n] = offset(xi, t*h)
		}
		w := derivativeWeights(off)
		bufs := [4][]float64{p.fa, p.fb, p.fc, p.fd}
		for n := range pts {
			p.at(bufs[n], i, pts[n])
		}
		for c := range d {
			// Sum the symmetric pairs first: their weights are nearly
			// opposite, which keeps the cancellation in one place.
			d[c] = (w[3]*p.fd[c] + w[0]*p.fa[c]) + (w[2]*p.fc[c] + w[1]*p.fb[c])
			if r != nil {
				for n := range bufs {
					r[c] += math.Abs(w[n]) * p.roundoff(c, bufs[n][c])
				}
			}
		}
	}
}

// derivativeWeights returns the weights wₙ such that Σ wₙ·f(x+offₙ) is the
// derivative at x of the cubic through the four points: the Lagrange
// weights L'ₙ(0). For offsets −2h, −h, h, 2h they are the five-point formula
// 1/12h · (1, −8, 8, −1); computing them from the offsets actually travelled
// keeps the formula exact for cubics when rounding made the grid uneven.
//
// The products below are of the offsets' second and third powers, which
// overflow from offsets of about 1e102 (|x| ≳ 1e105 at FivePoint's step)
// and underflow below about 1e-102 (a tiny Settings.Step): the weights are
// computed for the offsets scaled by a power of two near 1/off[2], which is
// exact, and scaled back.
func derivativeWeights(off [4]float64) [4]float64 {
	_, e := math.Frexp(off[2])
	for n := range off {
		off[n] = math.Ldexp(off[n], -e)
	}
	w := lagrangeWeights(off)
	for n := range w {
		w[n] = math.Ldexp(w[n], -e)
	}
	return w
}

// lagrangeWeights returns L'ₙ(0) for offsets of moderate size.
func lagrangeWeights(off [4]float64) [4]float64 {
	var w [4]float64
	for n := range off {
		den := 1.0
		for j := range off {
			if j != n {
				den *= off[n] - off[j]
			}
		}
		num := 0.0
		for m := range off {
			if m == n {
				continue
			}
			prod := 1.0
			for j := range off {
				if j != n && j != m {
					prod *= -off[j]
				}
			}
			num += prod
		}
		w[n] = num / den
	}
	return w
}

// order returns the order of the truncation error of a fixed method.
func order(m Method) int {
	switch m {
	case Forward, Backward:
		return 1
	case Central:
		return 2
	case FivePoint:
		return 4
	}
	panic("gradients: no order for method " + m.String())
}

// derivative computes the derivative of the k outputs along coordinate i
// with the configured method into d, and an estimate of its absolute error
// into e if e is not nil.
//
// For the fixed formulas the estimate costs a second evaluation of the
// formula at step 2h: truncation ≈ |D(h) − D(2h)|/(2ᵖ − 1) for a formula of
// order p (Richardson), plus the round-off bound of the weighted sum.
func (p *probe) derivative(d, e []float64, i int, c config) {
	switch c.method {
	case Ridders:
		st := stencil{kind: firstCentral, i: i}
		if c.step != 0 {
			p.ridders(d, e, st, c.step)
			return
		}
		p.riddersMulti(d, e, st)
		return
	}
	h := c.h * scale(p.x[i])
	if e == nil {
		p.fixed(d, nil, i, c.method, h)
		return
	}
	for n := range e {
		e[n] = 0
	}
	p.fixed(d, e, i, c.method, h)
	d2 := p.tmp[:p.k]
	p.fixed(d2, nil, i, c.method, 2*h)
	den := float64(int(1)<<order(c.method) - 1)
	for n := range e {
		e[n] += math.Abs(d[n]-d2[n]) / den
	}
}

// riddersMulti runs Ridders' method from each start in riddersStarts and
// keeps, for each output, the answer with the smallest error estimate. It
// stops early once the estimates are all within acceptRel.
func (p *probe) riddersMulti(d, e []float64, st stencil) {
	k := p.k
	dt, et := p.tmp[:k], p.tmp[k:2*k]
	for n, r := range riddersStarts {
		if n == 0 {
			p.ridders(d, e, st, r*ridders0)
			copy(p.extKept, p.ext)
			continue
		}
		if p.accepted(d, e) {
			return
		}
		p.ridders(dt, et, st, r*ridders0)
		for c := 0; c < k; c++ {
			if et[c] < e[c] || (math.IsNaN(d[c]) && !math.IsNaN(dt[c])) {
				d[c], e[c], p.extKept[c] = dt[c], et[c], p.ext[c]
			}
		}
	}
}

// acceptRel ends the multi-start early: once every output's error estimate
// is below acceptRel·|answer|, smaller starts are not tried. Garbage from a
// first step that crossed a singularity or a branch came with estimates of
// 1e-3 and more relative in every hazard of difference_test.go, and the
// accuracy over the classic test functions at 1e-12 equalled that of always
// running every start, at half the evaluations (17–25 instead of 36 per
// coordinate; measured while tuning, see TestGradientAccuracy).
const acceptRel = 1e-12

// accepted reports whether every output's error estimate is within
// acceptRel of its answer.
// An estimate dominated by round-off is accepted too, whatever its size:
// the extrapolation has converged, and a smaller start step could only add
// round-off (an entry near zero never meets the relative test).
func (p *probe) accepted(d, e []float64) bool {
	for c := range d {
		if !isFinite(e[c]) || !(e[c] <= acceptRel*math.Abs(d[c])) && !(p.extKept[c] <= e[c]/2) {
			return false
		}
	}
	return true
}
