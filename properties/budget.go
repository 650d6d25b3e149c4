package properties

import (
	"fmt"
	"math"
	"time"
)

// spend is called at every evaluation of f (after counting it): past
// Settings.MaxEvals or the deadline of Settings.Timeout it stops the check
// with a Stopped failure, unwinding like a user panic (the engine carries
// it out of its goroutines).
func (s *session) spend() {
	n := s.evals.Load()
	if s.c.maxEvals > 0 && n > s.c.maxEvals {
		// This evaluation is not made: Report.Evals counts the ones that
		// were, at most MaxEvals.
		s.evals.Add(-1)
		s.stop(fmt.Sprintf("it reached Settings.MaxEvals = %d evaluations", s.c.maxEvals))
	}
	// The deadline is set by startClock before any evaluation, and read
	// only after: no lock on this path, which every evaluation takes.
	// Without a deadline nextClock is never reached.
	if n >= s.misc.nextClock.Load() {
		s.readClock(n)
	}
}

// afford stops the check, as spend does, if k more evaluations would take
// it past Settings.MaxEvals: the calls outside the numerical derivative
// (f at x, the probes after the comparison) are bounded by it as well, so
// that Report.Evals never exceeds it. Call it before making them.
func (s *session) afford(k int64) {
	if s.c.maxEvals > 0 && s.evals.Load()+k > s.c.maxEvals {
		s.stop(fmt.Sprintf("it reached Settings.MaxEvals = %d evaluations", s.c.maxEvals))
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
	if m.start.IsZero() {
		m.nextClock.Store(math.MaxInt64) // no time limit
		return
	}
	// The monotonic clock alone: time.Since reads it once, time.Now
	// reads the wall clock too, for twice the cost.
	now := time.Since(m.start)
	if now > s.c.timeout {
		s.stop(fmt.Sprintf("it ran out of time (Settings.Timeout = %v) after %d evaluations", s.c.timeout, n))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if now-m.lastClock < clockQuick {
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
		s.misc.start, s.misc.lastClock, s.misc.clockStride = time.Now(), 0, 1
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
