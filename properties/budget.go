package properties

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// spend is called at every evaluation of f (after counting it): past
// Settings.MaxEvals or the deadline of Settings.Timeout it stops the check
// with a Stopped failure, unwinding like a user panic (the engine carries
// it out of its goroutines).
func (s *session) spend() {
	n := s.evals.Load()
	if s.c.maxEvals > 0 && n > s.c.maxEvals {
		s.stop(fmt.Sprintf("it reached Settings.MaxEvals = %d evaluations", s.c.maxEvals))
	}
	// The deadline is set by startClock before any evaluation, and read
	// only after: no lock on this path, which every evaluation takes.
	// Without a deadline nextClock is never reached.
	if n >= s.misc.nextClock.Load() {
		s.readClock(n)
	}
}

// Reading the clock costs about as much as an evaluation of a cheap f
// (tens of nanoseconds), so while evaluations are quick it is read every
// few evaluations: the stride between readings grows fourfold, up to
// maxClockStride, while readings come less than clockQuick apart, and
// drops back to 1 as soon as they do not. While evaluations keep their
// speed, a check therefore stops at most about 4·clockQuick past its
// deadline, or one evaluation past it when evaluations take longer.
const (
	maxClockStride = 64
	clockQuick     = time.Millisecond
)

// readClock stops the check if the deadline has passed at evaluation n,
// and otherwise sets the evaluation at which to read the clock next.
func (s *session) readClock(n int64) {
	m := &s.misc
	if m.deadline.IsZero() {
		m.nextClock.Store(math.MaxInt64) // no time limit
		return
	}
	now := time.Now()
	if now.After(m.deadline) {
		s.stop(fmt.Sprintf("it ran out of time (Settings.Timeout = %v) after %d evaluations", s.c.timeout, n))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastClock) < clockQuick {
		m.clockStride = min(4*m.clockStride, maxClockStride)
	} else {
		m.clockStride = 1
	}
	m.lastClock = now
	m.nextClock.Store(n + m.clockStride)
}

// startClock starts the time budget at the beginning of a check, before
// any evaluation (and any goroutine of the engine).
func (s *session) startClock() {
	s.misc.nextClock.Store(math.MaxInt64)
	if s.c.timeout > 0 {
		s.misc.nextClock.Store(0)
		now := time.Now()
		s.misc.deadline = now.Add(s.c.timeout)
		s.misc.lastClock, s.misc.clockStride = now, 1
	}
}

func (s *session) stop(why string) {
	established := "f and the derivative at x were called (finite, deterministic, dst fully written, x left alone)"
	for _, f := range s.fails {
		if f.Kind != Nondifferentiable {
			established = "see the other failures"
			break
		}
	}
	f := noEntry(Stopped, fmt.Sprintf("the check stopped before a verdict: %s; established so far: %s; the numerical derivative was not finished, so this is neither a pass nor a verdict on the derivative — raise the budget, or use Settings.Directions for large d",
		why, established))
	f.Property = s.property
	panic(userPanic{f})
}

// A sample is an evaluation of f made while the engine ran f on several
// goroutines, kept to recompute serially.
type sample struct {
	v   []float64
	out float64
}

// maxSamples bounds the concurrent evaluations recomputed serially: 16
// evaluations, ≤ 4% of a check at d = 100 (≈ 420 evaluations).
const maxSamples = 16

// budgetSamples returns how many of the n kept samples to recompute: at
// most 4% of the evaluations so far, and at least 4.
func (s *session) budgetSamples(n int) int {
	return min(n, max(4, int(s.evals.Load())/25))
}

// keep records the evaluation (v, out) when the engine runs f concurrently:
// every 5th evaluation up to maxSamples.
func (s *session) keep(v []float64, out float64, n int64) {
	if s.c.workers == 0 || s.c.workers == 1 || n%5 != 0 {
		return
	}
	m := &s.misc
	m.mu.Lock()
	if len(m.samples) < maxSamples {
		m.samples = append(m.samples, sample{append([]float64(nil), v...), out})
	}
	m.mu.Unlock()
}

// serialCheck recomputes the kept samples serially and reports
// ConcurrencyUnsafe if any differs in a bit: a deterministic f (checked at
// x) returns the same bits for the same input, unless concurrent calls
// interfere.
func (s *session) serialCheck(f func([]float64) float64) {
	if s.hasKind(Nondeterministic) {
		return
	}
	for _, sm := range s.misc.samples[:s.budgetSamples(len(s.misc.samples))] {
		work := append([]float64(nil), sm.v...)
		var v float64
		func() {
			defer s.catch("f", work)
			v = f(work)
		}()
		s.evals.Add(1)
		if math.Float64bits(v) != math.Float64bits(sm.out) {
			s.add(&Failure{Kind: ConcurrencyUnsafe, Row: -1, Col: -1, Analytic: sm.out, Numeric: v, AbsErr: math.Abs(v - sm.out), RelErr: relErr(v, sm.out),
				Detail: fmt.Sprintf("f is not safe for concurrent use: with Settings.Workers = %d it returned %.17g at %s, and %.17g when called again alone at the same point (%d evaluations recomputed); a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
					s.c.workers, sm.out, s.where(sm.v), v, s.budgetSamples(len(s.misc.samples)))})
			// Verdicts on values are void: they may rest on spoilt evaluations.
			s.fails = slices.DeleteFunc(s.fails, func(f *Failure) bool { return f.valueKind() || f.Kind == Nondifferentiable })
			return
		}
	}
}
