package properties

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// The stale-state probe. Every check calls f(x) right before grad(x), so a
// grad that reads what f cached on its last call (the forward/backward
// split) sees a fresh cache and passes. After the check proper, the probe
// calls f at another point y and then grad at x, and grad at y and then
// grad at x again, and compares with grad(x) as first seen: a correct
// function returns the same values, a stale one the derivative at y (or a
// mix). Cost: one evaluation of f and three calls of grad.
//
// The comparison allows staleRel·(|aᵢ| + max|a|): a deterministic function
// returns the same bits at the same x, so only a correct cache that
// recomputes along another code path (another summation order) can differ,
// by round-off — a few hundred ulps of the largest entry at most, far
// below 1e-8 — while stale state from y, 10% of max(1,|xᵢ|) away in every
// coordinate, moves the derivative by the curvature times that step. A
// function already found nondeterministic at x is not probed.
const staleRel = 1e-8

// otherPoint returns y = x + 0.1·max(1,|xᵢ|)·±1 with signs from the seed.
func (s *session) otherPoint() []float64 {
	// newRand's source without its rand.Rand (the same stream: Rand.Uint64
	// is its source's), so that the call is direct; each draw gives the
	// signs of 64 coordinates, its bits from the lowest up (a draw per
	// coordinate cost as much as an evaluation of a cheap f per 20
	// coordinates).
	rng := rand.NewPCG(s.c.seed^0x57a1e, 0x9e3779b97f4a7c15)
	y := s.carve(len(s.x))
	var bits uint64
	for i, v := range s.x {
		if i%64 == 0 {
			bits = rng.Uint64()
		}
		step := 0.1 * maxOf(1, math.Abs(v))
		if bits&1 == 1 {
			step = -step
		}
		bits >>= 1
		y[i] = v + step
	}
	return y
}

// runAfter runs the probes registered to follow the check proper. After a
// panic only the concurrency probe goes on (the stale-state probe returns):
// a panic among concurrent calls may be their doing.
func (s *session) runAfter() {
	if g := &s.gradAfter; g.f != nil {
		if s.hasKind(Stopped) {
			return
		}
		s.serialCheck(g.f)
		if s.hasKind(Stopped) {
			return
		}
		s.staleGradient(g.f, g.grad, g.a)
	}
	for _, p := range s.after {
		if s.hasKind(Stopped) {
			return
		}
		p()
	}
}

func (s *session) hasKind(k Kind) bool {
	for _, f := range s.fails {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// stale compares fresh, the derivative name at x seen right after prev(x),
// with the derivative at x after prev(y) and after name(y). at calls the
// derivative at a fresh copy of v and returns its entries; prevAt calls the
// function before it at v. entry names an entry for messages.
func (s *session) stale(name, prev string, fresh []float64, at func(v []float64) []float64, prevAt func(v []float64), entry func(i int) string) {
	if s.hasKind(Nondeterministic) || s.hasKind(Panic) || len(fresh) == 0 {
		return
	}
	// y may lie outside the functions' domain (a log or a square root that
	// panics on a negative entry): a panic there abandons the probe, and is
	// no failure — the check was asked about x, not y.
	defer func() {
		if r := recover(); r != nil {
			if up, ok := r.(userPanic); !ok || up.fail.Kind != Panic {
				panic(r)
			}
		}
	}()
	y := s.otherPoint()
	scale := 0.0
	for _, v := range fresh {
		scale = maxOf(scale, math.Abs(v))
	}
	compare := func(after string, b []float64) bool {
		var diff []int
		for i := range fresh {
			if b[i] != fresh[i] && !(math.Abs(b[i]-fresh[i]) <= staleRel*(math.Abs(fresh[i])+scale)) {
				diff = append(diff, i)
			}
		}
		if len(diff) == 0 {
			return false
		}
		i := diff[0]
		f := &Failure{Kind: StaleState, Row: i, Col: 0, Analytic: b[i], Numeric: fresh[i], AbsErr: math.Abs(b[i] - fresh[i]), RelErr: relErr(b[i], fresh[i]),
			Bad: len(diff), Total: len(fresh),
			Detail: fmt.Sprintf("%s(x) depends on the last call of %s: after %s(y) it returned %.6g for %s, after %s(x) %.6g (%d of %d entries differ; y = x + 0.1·max(1,|xᵢ|)·±1): %s reads state left by an earlier call — activations or a cache from the last forward pass — instead of x; recompute from x, or key the cache on x",
				name, after, after, b[i], entry(i), prev, fresh[i], len(diff), len(fresh), name)}
		if f.Row, f.Col = i, 0; s.property != "gradient" {
			f.Row, f.Col = s.rowCol(i)
		}
		s.add(f)
		return true
	}
	prevAt(y)
	if compare(prev, at(s.x)) {
		return
	}
	at(y)
	compare(name, at(s.x))
}

// rowCol locates entry i of a flattened matrix with d columns.
func (s *session) rowCol(i int) (int, int) { return i / len(s.x), i % len(s.x) }

// callVec calls the user's vector function name at a fresh copy of v with
// a zeroed dst of length n, reporting a panic or a write to its input.
func (s *session) callVec(name string, f func(dst, x []float64), v []float64, n int) []float64 {
	work := s.copyOf(v)
	dst := s.floats(n)
	func() {
		defer s.catch(name, work)
		f(dst, work)
	}()
	s.calls++
	s.noteWrite(name, v, work)
	return dst
}

// callScalar calls f at a fresh copy of v.
func (s *session) callScalar(f func([]float64) float64, v []float64) {
	work := s.copyOf(v)
	s.afford(1)
	func() {
		defer s.catch("f", work)
		f(work)
	}()
	s.evals.Add(1)
	s.noteWrite("f", v, work)
}

// staleGradient is the probe of CheckGradient: grad after f(y), after
// grad(y).
func (s *session) staleGradient(f func([]float64) float64, grad func(dst, x []float64), a []float64) {
	d := len(s.x)
	s.stale("grad", "f", a,
		func(v []float64) []float64 { return s.callVec("grad", grad, v, d) },
		func(v []float64) { s.callScalar(f, v) },
		func(i int) string { return fmt.Sprintf("entry [%d]", i) })
}

// staleHessian is the probe of CheckHessian: hess after grad(y), after
// hess(y).
func (s *session) staleHessian(grad func(dst, x []float64), hess func(dst *mat.SymDense, x []float64), h []float64) {
	d := len(s.x)
	s.stale("hess", "grad", h,
		func(v []float64) []float64 {
			work := slices.Clone(v)
			dst := mat.NewSymDense(d, nil)
			func() {
				defer s.catch("hess", work)
				hess(dst, work)
			}()
			s.calls++
			s.noteWrite("hess", v, work)
			if dst.SymmetricDim() != d {
				return slices.Clone(h)
			}
			return flat(dst)
		},
		func(v []float64) { s.callVec("grad", grad, v, d) },
		func(i int) string { return fmt.Sprintf("entry [%d,%d]", i/d, i%d) })
}

// staleJacobian is the probe of CheckJacobian: jac after f(y), after
// jac(y).
func (s *session) staleJacobian(f func(dst, x []float64), jac func(dst *mat.Dense, x []float64), k int, a []float64) {
	d := len(s.x)
	s.stale("jac", "f", a,
		func(v []float64) []float64 {
			work := slices.Clone(v)
			dst := mat.NewDense(k, d, nil)
			func() {
				defer s.catch("jac", work)
				jac(dst, work)
			}()
			s.calls++
			s.noteWrite("jac", v, work)
			if r, c := dst.Dims(); r != k || c != d {
				return slices.Clone(a)
			}
			return flat(dst)
		},
		func(v []float64) { s.callVec("f", f, v, k) },
		func(i int) string { return fmt.Sprintf("entry [%d,%d]", i/d, i%d) })
}
