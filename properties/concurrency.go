package properties

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// The concurrency probe. With Settings.Workers other than 0 and 1 the
// engine calls the function it differentiates (f in CheckGradient, grad in
// CheckHessian and CheckSymmetric, the map in CheckJacobian) from several
// goroutines, but whether two calls overlap in time is the scheduler's
// business: the engine starts its goroutines one after another, and a
// function of a few microseconds may run all its calls serially, so that
// a shared scratch buffer spoils nothing; and when calls do overlap, the
// spoilt evaluations need not be among those kept for recomputation.
// Comparing the engine's values with serial ones alone missed a shared
// buffer in 1 or 2 of 200 checks for each reason (docs/PROBES.md).
//
// So after the check proper the probe makes the overlap itself:
//
//  1. Recompute serially up to probePoints of the evaluations the engine
//     made concurrently (every 5th, kept by keep): they must agree bit for
//     bit (the function is deterministic at x, or nondeterministic is
//     reported instead and the probe does not run). These serial values
//     are the reference.
//  2. Of those points, keep the ones whose reference values are pairwise
//     different, so that a call that computed at another call's input
//     shows.
//  3. Call the function at all of them at once: one goroutine per point,
//     all started and parked on one channel before it is closed, so that
//     they become runnable together. Usually 4 to 8 of them: more than the
//     cores a test usually gets, so some share a core, and a function that
//     yields inside its critical window (to the scheduler, a lock, a
//     channel) hands the core to another call that overwrites the shared
//     state; on other cores they run in parallel. Every result must equal
//     the reference.
//  4. Whether the calls did overlap is observed, not assumed: each call
//     takes a ticket from one counter as it starts and as it ends, and a
//     call whose two tickets are not consecutive overlapped another. A
//     round without any overlap says nothing about concurrency and is run
//     again, within the probe's budget (below); the first round that
//     overlaps ends the probe.
//
// With the shared buffers of package gradtest, which yield inside the
// window, rounds of 3 or more goroutines overlapped, and were then spoilt,
// in 1997 to 2000 of 2000 (2 goroutines: 1965 of 2000, the scheduler
// sometimes resuming the yielding goroutine itself; TestTogether). A
// function that never yields inside its window can only be caught when its
// calls run in parallel on separate cores, which no probe can force: on a
// loaded machine calls of under 10 µs rarely do (docs/PROBES.md).
//
// Cost: probePoints serial evaluations and, per round, one evaluation per
// distinct point; the rounds spend at most max(2 rounds, 4% of the check's
// evaluations). At d = 100 that is 8 + 8 (or + 16) of ≈ 420 evaluations,
// ≤ 6% of the check with the stale-state probe (TestProbeShare).

// A sample is an evaluation of the function the engine differentiates,
// made while the engine ran it on several goroutines; out has one entry
// for f.
type sample struct{ v, out []float64 }

// maxSamples bounds the kept samples: the first 16 (every 5th evaluation).
const maxSamples = 16

// probePoints returns how many of the n kept samples the probe recomputes
// serially and then calls at once: at most 8, at least 4, and otherwise 2%
// of the evaluations so far (8 at d = 100 in CheckGradient).
func (s *session) probePoints(n int) int {
	return min(n, 8, max(4, int(s.evals.Load())/50))
}

// keep records the evaluation (v, out) of f when the engine runs it
// concurrently: every 5th evaluation up to maxSamples.
func (s *session) keep(v []float64, out float64, n int64) {
	if s.c.workers == 0 || s.c.workers == 1 || n%5 != 0 {
		return
	}
	s.keepSample(sample{slices.Clone(v), []float64{out}})
}

// keepVec records the evaluation (v, out) of a vector function as keep
// does for f.
func (s *session) keepVec(v, out []float64, n int64) {
	if s.c.workers == 0 || s.c.workers == 1 || n%5 != 0 {
		return
	}
	s.keepSample(sample{slices.Clone(v), slices.Clone(out)})
}

func (s *session) keepSample(sm sample) {
	m := &s.misc
	m.mu.Lock()
	if len(m.samples) < maxSamples {
		m.samples = append(m.samples, sm)
	}
	m.mu.Unlock()
}

// serialCheck runs the concurrency probe on f: its values computed
// concurrently must equal its values computed alone.
func (s *session) serialCheck(f func([]float64) float64) {
	s.probeConcurrency("f", func(dst, x []float64) { dst[0] = f(x) }, true)
}

// serialCheckVec runs the concurrency probe on the vector function name.
func (s *session) serialCheckVec(name string, f func(dst, x []float64)) {
	s.probeConcurrency(name, f, false)
}

// probeConcurrency is the concurrency probe (see above) of the function
// name, called as call; scalar says that name is f, whose one output call
// writes to dst[0].
func (s *session) probeConcurrency(name string, call func(dst, x []float64), scalar bool) {
	if s.hasKind(Nondeterministic) || len(s.misc.samples) == 0 {
		return
	}
	kept := s.misc.samples[:s.probePoints(len(s.misc.samples))]
	ref := make([][]float64, len(kept))
	for k, sm := range kept {
		work := slices.Clone(sm.v)
		ref[k] = make([]float64, len(sm.out))
		func() {
			defer s.catch(name, work)
			call(ref[k], work)
		}()
		s.evals.Add(1)
		if i := firstDiff(sm.out, ref[k]); i >= 0 {
			s.addUnsafe(name, scalar, i, sm.v, sm.out[i], ref[k][i],
				fmt.Sprintf("in the check, with Settings.Workers = %d,", s.c.workers))
			return
		}
	}
	var pts []int
	for k := range kept {
		if !slices.ContainsFunc(pts, func(j int) bool { return firstDiff(ref[j], ref[k]) < 0 }) {
			pts = append(pts, k)
		}
	}
	if len(pts) < 2 {
		return // a probe at one value cannot tell a shared input apart
	}
	at := make([][]float64, len(pts))
	for n, k := range pts {
		at[n] = kept[k].v
	}
	limit := max(2*len(pts), int(s.evals.Load())/25)
	for spent := 0; spent+len(pts) <= limit; spent += len(pts) {
		out, panics, overlapped := together(call, at, len(ref[0]))
		s.evals.Add(int64(len(pts)))
		called := fmt.Sprintf("called from %d goroutines at once (Settings.Workers = %d),", len(pts), s.c.workers)
		for n, k := range pts {
			if panics[n] != nil {
				f := noEntry(ConcurrencyUnsafe, fmt.Sprintf("%s is not safe for concurrent use: %s it panicked at %s (%v), and returned normally when called alone at the same point; a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
					name, called, s.where(at[n]), panics[n]))
				f.PanicValue = panics[n]
				s.add(f)
				s.withdrawValues()
				return
			}
			if i := firstDiff(out[n], ref[k]); i >= 0 {
				s.addUnsafe(name, scalar, i, at[n], out[n][i], ref[k][i], called)
				return
			}
		}
		if overlapped {
			return
		}
	}
}

// addUnsafe records a ConcurrencyUnsafe failure: entry i of name at v was
// got when called as how, and alone when called alone. The verdicts on
// values are withdrawn.
func (s *session) addUnsafe(name string, scalar bool, i int, v []float64, got, alone float64, how string) {
	what := fmt.Sprintf("entry [%d] was %.17g", i, got)
	if scalar {
		what = fmt.Sprintf("it returned %.17g", got)
	}
	s.add(&Failure{Kind: ConcurrencyUnsafe, Row: -1, Col: -1, Analytic: got, Numeric: alone, AbsErr: math.Abs(got - alone), RelErr: relErr(got, alone),
		Detail: fmt.Sprintf("%s is not safe for concurrent use: %s %s at %s, and %.17g when called alone at the same point; a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
			name, how, what, s.where(v), alone)})
	s.withdrawValues()
}

// withdrawValues drops the verdicts on values: they may rest on
// evaluations that concurrency spoilt.
func (s *session) withdrawValues() {
	s.fails = slices.DeleteFunc(s.fails, func(f *Failure) bool { return f.valueKind() || f.Kind == Nondifferentiable })
}

// together calls call at every point of at, each on a copy and from its
// own goroutine, with dst of length n; the goroutines are all started and
// parked before they are released together. It returns the results, the
// panics (nil where none), and whether any two calls overlapped in time.
func together(call func(dst, x []float64), at [][]float64, n int) (out [][]float64, panics []any, overlapped bool) {
	out = make([][]float64, len(at))
	panics = make([]any, len(at))
	span := make([][2]int64, len(at))
	var ticket atomic.Int64
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	ready.Add(len(at))
	done.Add(len(at))
	for k, v := range at {
		work, dst := slices.Clone(v), make([]float64, n)
		go func() {
			defer done.Done()
			defer func() { panics[k] = recover() }()
			ready.Done()
			<-release
			span[k][0] = ticket.Add(1)
			call(dst, work)
			span[k][1] = ticket.Add(1)
			out[k] = dst
		}()
	}
	ready.Wait()
	close(release)
	done.Wait()
	for k := range at {
		// A call that panicked has no end ticket; it counts as no overlap.
		if panics[k] == nil && span[k][1]-span[k][0] > 1 {
			overlapped = true
		}
	}
	return out, panics, overlapped
}

// firstDiff returns the first index where a and b differ in a bit, or -1.
func firstDiff(a, b []float64) int {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}
