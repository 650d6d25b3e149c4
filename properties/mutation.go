package properties

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// misbehaviour is the state of the probes for misbehaving user functions
// that watch every call: writes to the input (on any call, not only the
// first; see quietly for the one-sided passes), the evaluation and time
// budget, and samples of concurrent evaluations. Guarded by mu: f may run
// on several goroutines.
type misbehaviour struct {
	mu    sync.Mutex
	wrote map[string]bool // names of functions already reported for writing x
	start time.Time       // the start of the time budget; zero: no time limit
	// The clock is read at evaluation nextClock, clockStride evaluations
	// after its last reading, lastClock after start (budget.go).
	nextClock   atomic.Int64
	clockStride int64
	lastClock   time.Duration
	samples     []sample  // concurrent evaluations to recompute serially (concurrency.go)
	pool        sync.Pool // snapshots of inputs
	snap        []float64 // the one snapshot of a serial check
	unwatched   bool      // the evaluations of f are not watched (quietly)
	line        linePoint // the point of an evaluation along a line (session.onLine)
	lean        bool      // the evaluations of f are lean (quietly, the wrapper of session.scalar)
	at          []float64 // the point of the last lean evaluation
	inF         bool      // a lean evaluation of f is under way, at at
}

// snapshot returns a copy of v from the pool, to compare after a call.
func (m *misbehaviour) snapshot(v []float64) *[]float64 {
	p, _ := m.pool.Get().(*[]float64)
	if p == nil {
		p = new([]float64)
	}
	*p = append((*p)[:0], v...)
	return p
}

// noteWrite reports, once per function name, that name changed its input:
// before is what it was handed, after what it left. The check itself
// works on copies, so its verdict on the derivative stands.
func (s *session) noteWrite(name string, before, after []float64) {
	if sameBits(before, after) {
		return // the common case, without a branch per entry
	}
	var moved []int
	for i := range before {
		if math.Float64bits(before[i]) != math.Float64bits(after[i]) {
			moved = append(moved, i)
		}
	}
	if len(moved) == 0 {
		return
	}
	m := &s.misc
	m.mu.Lock()
	defer m.mu.Unlock()
	if s.wroteReported(name) {
		return
	}
	if m.wrote == nil {
		m.wrote = make(map[string]bool)
	}
	m.wrote[name] = true
	i := moved[0]
	var vals []string
	for n, j := range moved {
		if n == 3 {
			vals = append(vals, "…")
			break
		}
		vals = append(vals, fmt.Sprintf("x[%d]: %.6g → %.6g", j, before[j], after[j]))
	}
	call := "grad, hess or jac"
	if name == "f" {
		call = fmt.Sprintf("evaluation #%d of f", s.evals.Load())
	} else {
		call = fmt.Sprintf("call #%d of %s", s.calls, name)
	}
	s.fails = append(s.fails, &Failure{Property: s.property, Kind: InputMutated, Row: i, Col: 0, Analytic: after[i], Numeric: before[i],
		AbsErr: math.Abs(after[i] - before[i]), RelErr: relErr(after[i], before[i]), Bad: len(moved), Total: len(before),
		Detail: fmt.Sprintf("%s wrote to its input on %s (at %s): %d of %d entries changed (%s); a function must not modify x (callers reuse it) — the check worked on copies, so its verdict on the derivative stands",
			name, call, s.where(before), len(moved), len(before), joinVals(vals))})
}

// wroteReported reports whether a write to x by name was reported already
// (by noteWrite, addWrite, or session.mutation on the first call at x). The
// caller holds misc.mu or runs serially.
func (s *session) wroteReported(name string) bool {
	if s.misc.wrote[name] {
		return true
	}
	for _, f := range s.fails {
		if f.Kind == InputMutated && strings.HasPrefix(f.Detail, name+" ") {
			return true
		}
	}
	return false
}

// quietly runs call, a call of the engine that evaluates f exactly n
// times unless f writes to its input, without watching each evaluation
// of f: for a cheap f a snapshot and a comparison of the input cost about
// as much as f itself. The engine hands f a private copy and redoes its
// pass with fresh copies when f wrote to it, so more than n evaluations
// mean that f wrote; call then runs once more with every evaluation
// watched, which reports the evaluation and the entries. A write that f
// does not repeat is reported with the evaluations it happened within.
// Only a serial check runs quietly.
//
// The evaluations of the pass are lean (the wrapper of session.scalar): a
// panic of f unwinds the whole pass to leanly's recover, which makes the same
// failure of a panic at x that the recover of every evaluation makes. A
// panic away from x (an edge of f's domain) is noted as there, but the
// pass cannot resume after it with a NaN: it runs again with a recover
// at every evaluation, and the evaluations of the first try count too.
func (s *session) quietly(n int64, call func()) {
	if !s.serial() {
		call()
		return
	}
	from := s.evals.Load()
	if !s.leanly(call) {
		from = s.evals.Load()
		func() {
			s.misc.unwatched = true
			defer func() { s.misc.unwatched = false }()
			call()
		}()
	}
	to := s.evals.Load()
	if to-from <= n || s.wroteReported("f") {
		return
	}
	call()
	if !s.wroteReported("f") {
		if s.misc.wrote == nil {
			s.misc.wrote = make(map[string]bool)
		}
		s.misc.wrote["f"] = true
		f := noEntry(InputMutated, fmt.Sprintf("f wrote to its input during evaluations #%d to #%d, and not when those were made again: a function must not modify x (callers reuse it) — the check worked on copies, so its verdict on the derivative stands",
			from+1, to))
		s.add(f)
	}
}

// leanlyOrWatched runs call, a computation whose evaluations of f take
// points it rewrites in full at every evaluation (session.along), with
// lean evaluations where the check is serial: a write of f to its input
// cannot spoil them, and the passes that run quietly report it. If an
// evaluation away from x panicked, call runs again with a recover at every
// evaluation, as quietly's does. For cheap f the watched evaluation costs
// about as much as f itself (a snapshot and a comparison of the input):
// the block sums took 43% of a check at d = 1000 that way.
func (s *session) leanlyOrWatched(call func()) {
	if !s.serial() || s.leanly(call) {
		return
	}
	s.misc.unwatched = true
	defer func() { s.misc.unwatched = false }()
	call()
}

// leanly runs call with lean evaluations of f and reports whether it
// finished: false if an evaluation away from x panicked (offX). A panic at
// x becomes the Panic failure of session.panicked, with the stack of f's
// panic (a deferred function runs before the stack unwinds); a panic that
// is not f's (a check stopped by its budget, a bug of the engine)
// continues.
func (s *session) leanly(call func()) (finished bool) {
	m := &s.misc
	m.lean, m.inF, m.at = true, false, nil
	defer func() {
		v := m.at
		if !m.inF {
			v = nil // the panic did not come from f
		}
		m.lean, m.inF, m.at = false, false, nil
		r := recover()
		if r == nil {
			return
		}
		if v == nil {
			panic(r)
		}
		if !s.offX("f", v, r) {
			s.panicked("f", v, r)
		}
	}()
	call()
	return true
}

func joinVals(v []string) string {
	out := ""
	for n, s := range v {
		if n > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

// linePoint describes the point of an evaluation along a line of the
// serial check: x with coordinate i set to t. intact says that watched
// found it unchanged after the evaluation.
type linePoint struct {
	on, intact bool
	i          int
	t          float64
}

// onLine returns f at work, x with coordinate i set to t. work holds x
// at the call but for coordinate i: in a serial check, watched compares
// the point after the evaluation with x and t instead of a snapshot (one
// pass over the point instead of a copy and two), and work is copied from
// x again only when the evaluation did not leave it intact (a write, a
// panic, or an f that is not the session's wrapper).
func (s *session) onLine(f func([]float64) float64, work []float64, i int, t float64) float64 {
	if !s.serial() {
		copy(work, s.x)
		work[i] = t
		return f(work)
	}
	m := &s.misc
	work[i] = t
	m.line = linePoint{on: true, i: i, t: t}
	defer func() {
		if !m.line.intact {
			copy(work, s.x)
		}
		m.line = linePoint{}
	}()
	return f(work)
}

// intactOnLine reports whether v is still the point of m.line.
func (s *session) intactOnLine(v []float64) bool {
	l := s.misc.line
	return math.Float64bits(v[l.i]) == math.Float64bits(l.t) && sameBits(s.x[:l.i], v[:l.i]) && sameBits(s.x[l.i+1:], v[l.i+1:])
}

// watched calls body (the user's function applied to v) and reports a
// write to v.
func (s *session) watched(name string, v []float64, body func()) {
	if s.c.workers == 0 || s.c.workers == 1 {
		m := &s.misc
		if m.line.on {
			// Along a line the point is known: compare with x.
			body()
			if m.line.intact = s.intactOnLine(v); !m.line.intact {
				before := slices.Clone(s.x)
				before[m.line.i] = m.line.t
				s.noteWrite(name, before, v)
			}
			return
		}
		s.snapSerial(v)
		body()
		s.noteSerial(name, v)
		return
	}
	p := s.misc.snapshot(v)
	body()
	if !sameBits(*p, v) {
		s.noteWrite(name, *p, v)
	}
	s.misc.pool.Put(p)
}

// snapSerial copies v to the snapshot of a serial check: one buffer
// serves every call.
func (s *session) snapSerial(v []float64) {
	m := &s.misc
	if cap(m.snap) < len(v) {
		m.snap = s.carve(len(v))
	}
	m.snap = append(m.snap[:0], v...)
}

// noteSerial reports a write by name to v since snapSerial.
func (s *session) noteSerial(name string, v []float64) {
	if !sameBits(s.misc.snap, v) {
		s.noteWrite(name, s.misc.snap, v)
	}
}

// sameBits reports whether a and b, of the same length, hold the same
// bits: no branch per entry, so it costs a fraction of a cheap f.
func sameBits(a, b []float64) bool {
	b = b[:len(a)]
	var diff uint64
	for i := range a {
		diff |= math.Float64bits(a[i]) ^ math.Float64bits(b[i])
	}
	return diff == 0
}

// addWrite records m, a write to x by name found by session.mutation on a
// later call than the first, unless name was reported already.
func (s *session) addWrite(name string, m *Failure) {
	s.misc.mu.Lock()
	defer s.misc.mu.Unlock()
	if s.wroteReported(name) {
		return
	}
	if s.misc.wrote == nil {
		s.misc.wrote = make(map[string]bool)
	}
	s.misc.wrote[name] = true
	m.Detail = strings.Replace(m.Detail, "wrote to its input:", fmt.Sprintf("wrote to its input on call #%d of %s (not the first):", s.calls, name), 1)
	s.add(m)
}
