package gradients

import (
	"math"
	"sync"
)

// jobKind selects what a job computes per unit.
type jobKind int

const (
	jobDiff     jobKind = iota // a column of a gradient or Jacobian
	jobHessian                 // an entry of a Hessian's upper triangle
	jobOneSided                // the one-sided quotients along a coordinate
)

// A job is one call's work: n independent units, each computed by unit with
// a probe. It is a plain struct with a switch rather than closures, so that
// the serial path allocates nothing (a closure handed to the goroutines of
// the parallel path would escape to the heap on every call).
type job struct {
	kind   jobKind
	c      config
	n      int  // number of units
	needF0 bool // every pass starts with f(x) in p.f0
	noRf   bool // base need not compute its round-off bound

	// jobDiff: output o of coordinate i goes to data[o*stride+i], its
	// error estimate to errData[o*errStride+i] if errData is not nil.
	data, errData     []float64
	stride, errStride int

	// jobHessian: entry (i, j), i ≤ j, of the d×d result goes to
	// data[i*stride+j]; unit u is (u/d, u%d).
	d int

	// jobOneSided: the quotients go to right and left.
	right, left []float64
}

// start prepares p for a pass; scratch says whether the pass reads
// scratch that it did not write (see restart).
func (j *job) start(p *probe, fresh, scratch bool) {
	p.restart(fresh, scratch)
	p.noRf = j.noRf
	if j.needF0 {
		p.origin(p.f0)
	}
}

// unit computes unit u with p.
func (j *job) unit(p *probe, u int) {
	switch j.kind {
	case jobDiff:
		dv, ev := p.dv, p.ev
		if j.errData == nil && j.c.method != Ridders {
			ev = nil // the fixed formulas skip the estimate's extra cost
		}
		p.derivative(dv, ev, u, j.c)
		if p.k == 1 {
			j.data[u] = dv[0]
			if j.errData != nil {
				j.errData[u] = ev[0]
			}
			return
		}
		for o := 0; o < p.k; o++ {
			j.data[o*j.stride+u] = dv[o]
			if j.errData != nil {
				j.errData[o*j.errStride+u] = ev[o]
			}
		}
	case jobHessian:
		i, k := u/j.d, u%j.d
		if k < i {
			return // the upper triangle holds every entry
		}
		j.hessianEntry(p, i, k)
	case jobOneSided:
		xi := p.x[u]
		h := j.c.h * scale(xi)
		xp, dp := offset(xi, h)
		xm, dm := offset(xi, -h)
		p.at(p.fa, u, xp)
		p.at(p.fb, u, xm)
		j.right[u] = (p.fa[0] - p.f0[0]) / dp
		j.left[u] = (p.f0[0] - p.fb[0]) / -dm
	}
}

// hessianEntry computes entry (i, k), i ≤ k, of a Hessian.
func (j *job) hessianEntry(p *probe, i, k int) {
	st := stencil{kind: secondMixed, i: i, j: k}
	if i == k {
		st = stencil{kind: secondDiag, i: i}
	}
	switch {
	case j.c.method == Ridders && j.c.step != 0:
		p.ridders(p.dv, p.ev, st, j.c.step)
	case j.c.method == Ridders:
		p.riddersMulti(p.dv, p.ev, st)
	default:
		p.base(p.dv, st, j.c.h)
	}
	j.data[i*j.stride+k] = p.dv[0]
}

// hessianScalarPass is the Central Hessian of a scalar f: the entries of
// hessianEntry with base's arithmetic, in the same order, with the offsets
// of each coordinate computed once per pass instead of once per entry. An
// entry whose points are not finite keeps the previous entry's value, as
// base leaves p.dv when it returns early.
func (j *job) hessianScalarPass(p *probe) {
	d, h, x := j.d, j.c.h, p.x
	if cap(p.hs) < 4*d {
		p.hs, p.hok = make([]float64, 4*d), make([]bool, d)
	}
	xp, dp, xm, dm := p.hs[:d], p.hs[d:2*d], p.hs[2*d:3*d], p.hs[3*d:4*d]
	ok := p.hok[:d]
	for i, xi := range x {
		hi := h * scale(xi)
		ok[i] = isFinite(xi+hi) && isFinite(xi-hi)
		xp[i], dp[i] = offset(xi, hi)
		xm[i], dm[i] = offset(xi, -hi)
	}
	f0, last := p.f0[0], p.dv[0]
	for i := 0; i < d; i++ {
		row := j.data[i*j.stride : i*j.stride+d]
		if ok[i] {
			fa := p.at1(i, xp[i])
			fb := p.at1(i, xm[i])
			last = 2 * ((fa-f0)/dp[i] - (f0-fb)/(-dm[i])) / (dp[i] - dm[i])
		}
		row[i] = last
		for k := i + 1; k < d; k++ {
			if ok[i] && ok[k] {
				fa := p.at2s(i, xp[i], k, xp[k])
				fb := p.at2s(i, xp[i], k, xm[k])
				fc := p.at2s(i, xm[i], k, xp[k])
				fd := p.at2s(i, xm[i], k, xm[k])
				den := (dp[i] - dm[i]) * (dp[k] - dm[k])
				last = ((fa - fb) - (fc - fd)) / den
			}
			row[k] = last
		}
	}
	p.dv[0] = last
}

// run computes every unit of j with p, whose noise is set, serially or on
// j.c.workers goroutines (each with a probe of its own that copies p's
// noise). Units are independent and write their results by index, so the
// result does not depend on the number of workers. If f mutated its input,
// the whole pass is redone with fresh copies.
func run(j *job, p *probe) {
	if min(j.c.workers, j.n) > 1 {
		runParallel(*j, p)
		return
	}
	// A gradient of a scalar f by a two-point formula without error
	// estimates, the common case, has a loop of its own.
	scalar := j.kind == jobDiff && p.fs != nil && j.errData == nil &&
		(j.c.method == Central || j.c.method == Forward || j.c.method == Backward)
	// Those loops and the one-sided one read no scratch but f(x), which
	// start writes (needF0) where they read it.
	lean := scalar || j.kind == jobOneSided && p.fs != nil
	for _, fresh := range [...]bool{false, true} {
		j.start(p, fresh, !lean)
		switch {
		case scalar:
			j.scalarPass(p)
		case j.kind == jobOneSided && p.fs != nil:
			j.oneSidedPass(p)
		case j.kind == jobHessian && p.fs != nil && j.noRf:
			j.hessianScalarPass(p)
		case j.kind == jobHessian:
			// The upper triangle row by row, the order of the units,
			// without dividing u by d.
			for i := 0; i < j.d; i++ {
				for k := i; k < j.d; k++ {
					j.hessianEntry(p, i, k)
				}
			}
		default:
			for u := 0; u < j.n; u++ {
				j.unit(p, u)
			}
		}
		if fresh || !p.mutated() {
			return
		}
	}
}

// scalarPass is the units of a jobDiff for a scalar f by Central, Forward
// or Backward without error estimates: the same arithmetic as
// probe.fixed, without its per-output loops and switches.
func (j *job) scalarPass(p *probe) {
	data, h0, f0 := j.data, j.c.h, p.f0[0]
	switch {
	case j.c.method == Central && !p.fresh:
		// at1's set, evaluation and reset at each point, inlined, on
		// local slices: the calls and the loads through p cost as much
		// as a cheap f. The check of set before the second point is
		// left out: nothing ran since reset put x[i] back.
		x, work, fs := p.x, p.work[:len(p.x)], p.fs
		dirty := false
		for i, xi := range x {
			h := h0 * scale(xi)
			xp, dp := offset(xi, h)
			xm, dm := offset(xi, -h)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xi)
			work[i] = xp
			fa := fs(work)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xp)
			work[i] = xm
			fb := fs(work)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xm)
			work[i] = xi
			data[i] = (fa - fb) / (dp - dm)
		}
		p.dirty = p.dirty || dirty
	case j.c.method == Central:
		for i, xi := range p.x {
			h := h0 * scale(xi)
			xp, dp := offset(xi, h)
			xm, dm := offset(xi, -h)
			fa := p.at1(i, xp)
			fb := p.at1(i, xm)
			data[i] = (fa - fb) / (dp - dm)
		}
	case j.c.method != Central && !p.fresh:
		// Forward and Backward likewise: one point per coordinate.
		x, work, fs := p.x, p.work[:len(p.x)], p.fs
		dirty, sign := false, 1.0
		if j.c.method == Backward {
			sign = -1
		}
		for i, xi := range x {
			xv, dv := offset(xi, sign*(h0*scale(xi)))
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xi)
			work[i] = xv
			fv := fs(work)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xv)
			work[i] = xi
			if sign > 0 {
				data[i] = (fv - f0) / dv
			} else {
				data[i] = (f0 - fv) / -dv
			}
		}
		p.dirty = p.dirty || dirty
	case j.c.method == Forward:
		for i, xi := range p.x {
			xp, dp := offset(xi, h0*scale(xi))
			data[i] = (p.at1(i, xp) - f0) / dp
		}
	case j.c.method == Backward:
		for i, xi := range p.x {
			xm, dm := offset(xi, -(h0 * scale(xi)))
			data[i] = (f0 - p.at1(i, xm)) / -dm
		}
	}
}

// oneSidedPass is the units of a jobOneSided for a scalar f: the same
// arithmetic as unit's, with the value of f returned rather than written
// to a buffer.
func (j *job) oneSidedPass(p *probe) {
	h0, f0, right, left := j.c.h, p.f0[0], j.right, j.left
	if !p.fresh {
		// at1 inlined, as in scalarPass's Central loop.
		x, work, fs := p.x, p.work[:len(p.x)], p.fs
		dirty := false
		for i, xi := range x {
			h := h0 * scale(xi)
			xp, dp := offset(xi, h)
			xm, dm := offset(xi, -h)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xi)
			work[i] = xp
			fa := fs(work)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xp)
			work[i] = xm
			fb := fs(work)
			dirty = dirty || math.Float64bits(work[i]) != math.Float64bits(xm)
			work[i] = xi
			right[i] = (fa - f0) / dp
			left[i] = (f0 - fb) / -dm
		}
		p.dirty = p.dirty || dirty
		return
	}
	for i, xi := range p.x {
		h := h0 * scale(xi)
		xp, dp := offset(xi, h)
		xm, dm := offset(xi, -h)
		fa := p.at1(i, xp)
		fb := p.at1(i, xm)
		right[i] = (fa - f0) / dp
		left[i] = (f0 - fb) / -dm
	}
}

// runParallel is run on min(j.c.workers, j.n) goroutines. Unit u always
// goes to worker u mod workers. A panic in f is re-raised in the caller's
// goroutine.
func runParallel(j job, p0 *probe) {
	workers := min(j.c.workers, j.n)
	for _, fresh := range [...]bool{false, true} {
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			panicked bool
			pval     any
			mutated  bool
		)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				defer func() {
					if r := recover(); r != nil {
						mu.Lock()
						if !panicked {
							panicked, pval = true, r
						}
						mu.Unlock()
					}
				}()
				p := getProbe(p0.f, p0.fs, p0.x, p0.k)
				copy(p.noise, p0.noise)
				j.start(p, fresh, true)
				for u := w; u < j.n; u += workers {
					j.unit(p, u)
				}
				m := !fresh && p.mutated()
				putProbe(p)
				mu.Lock()
				mutated = mutated || m
				mu.Unlock()
			}(w)
		}
		wg.Wait()
		if panicked {
			panic(pval)
		}
		if !mutated {
			return
		}
	}
}
