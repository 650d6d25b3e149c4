package gradients

import (
	"math"
	"sync"
)

// A probe evaluates the user's function f: ℝᵈ→ℝᵏ at points near x. It owns a
// private copy of x (work) that is the only slice handed to f, moves one or
// two coordinates of it for each evaluation and puts them back afterwards, so
// an evaluation costs O(1) work besides f itself. Each goroutine has its own
// probe.
type probe struct {
	// f is the user's function, called as f(dst, x); fs, if not nil, is a
	// scalar f called directly (dst[0] = fs(x)), which saves a closure and
	// an indirect call per evaluation.
	f  func(dst, x []float64)
	fs func(x []float64) float64
	// f1, if not nil, is a scalar f of one variable (Derivative), called
	// with the private copy's only coordinate; x is then one.
	f1  func(x float64) float64
	one [1]float64
	// res holds the derivative and the error estimate of a call of
	// Derivative.
	res  [2]float64
	x    []float64 // the caller's point: read, never written, never handed to f
	work []float64 // private copy of x given to f
	k    int       // number of outputs

	// fresh makes every evaluation start from a fresh copy of x. It is set
	// when f was caught writing to its input (see mutated), so that the
	// redone computation does not depend on what f wrote.
	fresh bool
	// dirty records that a coordinate was found changed by f when it was
	// moved or put back.
	dirty bool
	// noRf skips the round-off bound of base when nobody reads it (the
	// Central Hessian).
	noRf bool

	// Output buffers for stencil points, each of length k.
	f0, fa, fb, fc, fd []float64
	// Result buffers: a derivative and its error estimate, k each.
	dv, ev []float64
	// rf is the round-off bound of the last base formula, k values.
	rf []float64
	// ext is the extrapolation part of Ridders' chosen error estimates.
	ext []float64
	// extKept is ext of the run whose answer riddersMulti kept, per output.
	extKept []float64
	// noise is the measured round-off of each output of f near x (zero
	// until measureNoise), noiseBuf its scratch of noisePoints·k values.
	noise, noiseBuf []float64
	// dir holds the first entries of the direction of measureNoise
	// (noiseDir), kept with the probe: they depend on the index only.
	dir []float64
	// sc holds scale(xᵢ) for measureNoise, grown as needed and kept with
	// the probe.
	sc []float64
	// Ridders tableau: two rows of up to nTab extrapolation levels, k each.
	prev, cur []float64
	tmp       []float64 // 2k scratch values for the multi-start and error estimates
	stopped   []bool

	// buf backs work, noise and the scratch buffers (rest); it is kept
	// with the probe in probePool and reused by the next call.
	buf, rest []float64
	// hs and hok hold the Central Hessian's offsets per coordinate
	// (hessianScalarPass), grown as needed and kept with the probe.
	hs  []float64
	hok []bool
}

// probePool holds probes between calls, so that a call with dst given
// allocates nothing once the pool is warm (TestAllocs).
var probePool sync.Pool

// getProbe returns a probe for f (or the scalar fs) at x with k outputs
// from probePool, with zero noise, its buffers sliced for k outputs and
// len(x) coordinates, and work and scratch as the last call left them:
// measureNoise and the passes of run write them first (reset0).
func getProbe(f func(dst, x []float64), fs func(x []float64) float64, x []float64, k int) *probe {
	p, _ := probePool.Get().(*probe)
	if p == nil {
		p = new(probe)
	}
	p.bind(f, fs, x, k)
	return p
}

// getProbe1 returns a probe for f1, a scalar function of one variable, at
// x, as getProbe does: the probe holds x itself (one) and calls f1 with
// the private copy's coordinate, so that a call of Derivative allocates
// neither a closure nor a slice for them. Only serial passes use it
// (runParallel's probes are for f or fs).
func getProbe1(f1 func(x float64) float64, x float64) *probe {
	p, _ := probePool.Get().(*probe)
	if p == nil {
		p = new(probe)
	}
	p.one[0] = x
	p.bind(nil, nil, p.one[:], 1)
	p.f1 = f1
	return p
}

// bind makes p a probe for f (or fs) at x with k outputs: see getProbe.
func (p *probe) bind(f func(dst, x []float64), fs func(x []float64) float64, x []float64, k int) {
	p.f, p.fs, p.f1, p.x = f, fs, nil, x
	if p.buf != nil && p.k == k && len(p.work) == len(x) {
		// The same shape as the probe's last call (the common case of a
		// loop over calls): the buffers are sliced already.
		p.reset0()
		return
	}
	p.k = k
	n := len(x) + k + 10*k + 2*nTab*k + 2*k + noisePoints*k
	if cap(p.buf) < n {
		p.buf = make([]float64, n)
	}
	buf := p.buf[:n]
	p.work, buf = buf[:len(x):len(x)], buf[len(x):]
	p.noise, buf = buf[:k:k], buf[k:]
	p.rest = buf
	next := func() []float64 {
		s := buf[:k:k]
		buf = buf[k:]
		return s
	}
	p.f0, p.fa, p.fb, p.fc, p.fd = next(), next(), next(), next(), next()
	p.dv, p.ev, p.rf, p.ext, p.extKept = next(), next(), next(), next(), next()
	p.prev, buf = buf[:nTab*k:nTab*k], buf[nTab*k:]
	p.cur, buf = buf[:nTab*k:nTab*k], buf[nTab*k:]
	p.tmp, buf = buf[:2*k:2*k], buf[2*k:]
	p.noiseBuf = buf[: noisePoints*k : noisePoints*k]
	if cap(p.stopped) < k {
		p.stopped = make([]bool, k)
	}
	p.stopped = p.stopped[:k]
	p.reset0()
}

// reset0 makes p's noise zero and its flags those of a new probe. The
// work copy and the scratch are left as they are: every user of a probe
// starts with measureNoise, which writes every coordinate of work before
// each evaluation and its scratch before reading it, or with a pass of
// run, which restarts p.
func (p *probe) reset0() {
	clear(p.noise)
	p.fresh, p.dirty, p.noRf = false, false, false
}

// restart makes p as new for a pass over the units, keeping its measured
// noise: work a copy of x, and with scratch its scratch zeroed (a pass
// that writes every scratch value it reads, the scalar two-point and
// one-sided loops, does without).
func (p *probe) restart(fresh, scratch bool) {
	if scratch {
		clear(p.rest)
		clear(p.stopped)
	}
	copy(p.work, p.x)
	p.fresh, p.dirty, p.noRf = fresh, false, false
}

// putProbe returns p to probePool, dropping its references to the caller's
// function and point.
func putProbe(p *probe) {
	p.f, p.fs, p.f1, p.x = nil, nil, nil, nil
	probePool.Put(p)
}

// eval evaluates f at the private copy into dst.
func (p *probe) eval(dst []float64) {
	if p.fs != nil {
		dst[0] = p.fs(p.work)
		return
	}
	if p.f1 != nil {
		dst[0] = p.f1(p.work[0])
		return
	}
	p.f(dst, p.work)
}

// at evaluates f at x with coordinate i set to xi into dst.
func (p *probe) at(dst []float64, i int, xi float64) {
	if p.fresh {
		copy(p.work, p.x)
	}
	p.set(i, xi)
	p.eval(dst)
	p.reset(i, xi)
}

// at1 is at for a scalar f (p.fs): it returns f's value.
func (p *probe) at1(i int, xi float64) float64 {
	if p.fresh {
		copy(p.work, p.x)
	}
	p.set(i, xi)
	v := p.fs(p.work)
	p.reset(i, xi)
	return v
}

// at2 evaluates f at x with coordinates i and j set to xi and xj into dst.
func (p *probe) at2(dst []float64, i int, xi float64, j int, xj float64) {
	if p.fresh {
		copy(p.work, p.x)
	}
	p.set(i, xi)
	p.set(j, xj)
	p.eval(dst)
	p.reset(i, xi)
	p.reset(j, xj)
}

// set moves coordinate i of the private copy to xi, after checking that it
// still holds x[i]: a coordinate that f changed in an earlier evaluation
// would otherwise be overwritten here and the change never seen.
func (p *probe) set(i int, xi float64) {
	if math.Float64bits(p.work[i]) != math.Float64bits(p.x[i]) {
		p.dirty = true
	}
	p.work[i] = xi
}

// reset puts coordinate i back to x[i], after checking that f left the
// value xi that set gave it.
func (p *probe) reset(i int, xi float64) {
	if math.Float64bits(p.work[i]) != math.Float64bits(xi) {
		p.dirty = true
	}
	p.work[i] = p.x[i]
}

// at2s is at2 for a scalar f (p.fs): it returns f's value.
func (p *probe) at2s(i int, xi float64, j int, xj float64) float64 {
	if p.fresh {
		copy(p.work, p.x)
	}
	p.set(i, xi)
	p.set(j, xj)
	v := p.fs(p.work)
	p.reset(i, xi)
	p.reset(j, xj)
	return v
}

// origin evaluates f at x into dst.
func (p *probe) origin(dst []float64) {
	if p.fresh {
		copy(p.work, p.x)
	}
	p.eval(dst)
}

// mutated reports whether f changed its input during the evaluations so far:
// a moved coordinate was found changed (set, reset), or the private copy no
// longer matches x bit for bit. Together the checks see any write that is
// not undone by f itself, at O(1) cost per evaluation and O(d) per pass; a
// pass during which f wrote to its input is redone with fresh copies, so the
// result never depends on it.
func (p *probe) mutated() bool {
	if p.dirty {
		return true
	}
	for i, v := range p.work {
		if math.Float64bits(v) != math.Float64bits(p.x[i]) {
			return true
		}
	}
	return false
}

// scale returns max(1, |v|), the scale of a coordinate that steps are
// relative to (NUMERICS.md, x_c).
func scale(v float64) float64 {
	// math.Max(1, a) without its call (it is not inlined on amd64) and
	// without a branch on a > 1 (half the coordinates of a point may lie
	// on either side): a NaN is returned as it is, as math.Max does, and
	// the builtin max agrees with math.Max on all else.
	a := math.Abs(v)
	if a != a {
		return a
	}
	return max(a, 1)
}

// maxOf returns math.Max(a, b), inlined: math.Max is not on amd64, and
// Ridders' tableau takes several per point. The builtin max agrees with
// it except that math.Max returns +Inf where one argument is +Inf and the
// other NaN.
func maxOf(a, b float64) float64 {
	m := max(a, b)
	if m != m && (a > math.MaxFloat64 || b > math.MaxFloat64) {
		return math.Inf(1)
	}
	return m
}
