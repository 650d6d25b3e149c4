package properties

import (
	"fmt"
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
	if dl := s.misc.deadline; !dl.IsZero() && time.Now().After(dl) {
		s.stop(fmt.Sprintf("it ran out of time (Settings.Timeout = %v) after %d evaluations", s.c.timeout, n))
	}
}

// startClock starts the time budget at the beginning of a check, before
// any evaluation (and any goroutine of the engine).
func (s *session) startClock() {
	if s.c.timeout > 0 {
		s.misc.deadline = time.Now().Add(s.c.timeout)
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
