package properties

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
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
// buffer in 3 of 600 checks, for both reasons (docs/PROBES.md).
//
// So after the check proper the probe makes the overlap itself:
//
//  1. Recompute serially up to probePoints of the evaluations the engine
//     made concurrently (the first 4 and every 5th, kept by keep): they
//     must agree bit for bit (the function is deterministic at x, or
//     nondeterministic is reported instead and the probe does not run).
//     These serial values are the reference.
//  2. Of those points, keep the ones whose reference values are pairwise
//     different, so that a call that computed at another call's input
//     shows.
//  3. Call the function at those points at once: goroutines() goroutines,
//     one more than GOMAXPROCS (at least 4, at most 8), the points dealt
//     out in turn, all started and parked on one channel before it is
//     closed, so that they become runnable together. Some processor then
//     holds two or more, and a call that yields inside the window where it
//     uses the shared state (to the scheduler, on a lock or a channel,
//     waiting for goroutines of its own) hands the processor to another
//     call, which overwrites that state; on other processors calls run in
//     parallel. Every result must equal the reference.
//  4. Repeat for at least 2 rounds and while the rounds stay within 4% of
//     the check's evaluations, dealing out the next points.
//
// With the shared buffers of package gradtest, which yield inside the
// window, at least 498 of 500 rounds of 3 or more goroutines overlapped
// and were spoilt at each GOMAXPROCS from 1 to 8; with 2 goroutines about
// 1 round in 60 did not overlap at all, the scheduler resuming the
// goroutine that yielded (TestTogether). A function that never yields inside its window
// can only be caught when its calls run in parallel on separate cores,
// which no probe can force: on a loaded machine short calls rarely do
// (docs/PROBES.md); the race detector finds such a buffer without them.
//
// Cost: probePoints serial evaluations (at most 2% of the evaluations, at
// least 4) and max(2 rounds, 4% of the evaluations). At d = 100 that is
// 8 + 16 of ≈ 420 evaluations: with the stale-state probe, ≤ 6% of the
// check (TestProbeShare).

// A sample is an evaluation of the function the engine differentiates,
// made while the engine ran it on several goroutines; out has one entry
// for f.
type sample struct{ v, out []float64 }

// maxSamples bounds the kept samples.
const maxSamples = 16

// goroutines returns how many goroutines the probe releases together: one
// more than GOMAXPROCS, so that some processor holds two and a call that
// yields hands it to another, but at least 4 (with 2, about 1 round in 60
// does not overlap at all: TestTogether) and at most 8 (the cost).
func goroutines() int {
	return min(max(runtime.GOMAXPROCS(0)+1, 4), 8)
}

// probePoints returns how many of the n kept samples the probe recomputes
// serially and then calls at once: at most 8, at least 4, and otherwise 2%
// of the evaluations so far (8 at d = 100 in CheckGradient).
func (s *session) probePoints(n int) int {
	return min(n, 8, max(4, int(s.evals.Load())/50))
}

// keeps reports whether the n-th evaluation is kept as a sample: with
// Workers other than 0 and 1, the first 4 (a check at d = 1 makes few) and
// every 5th, up to maxSamples.
func (s *session) keeps(n int64) bool {
	return s.c.workers != 0 && s.c.workers != 1 && (n <= 4 || n%5 == 0)
}

// keep records the evaluation (v, out) of f when the engine runs it
// concurrently (see keeps).
func (s *session) keep(v []float64, out float64, n int64) {
	if !s.keeps(n) {
		return
	}
	s.keepSample(sample{slices.Clone(v), []float64{out}})
}

// keepVec records the evaluation (v, out) of a vector function as keep
// does for f.
func (s *session) keepVec(v, out []float64, n int64) {
	if !s.keeps(n) {
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
	if len(s.misc.samples) == 0 {
		return // a serial check, or no sample: the closure below need not be made
	}
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
	if s.hasKind(Panic) {
		// The check stopped on a panic. If it was name's, among concurrent
		// calls, the probe runs to tell whether concurrency caused it (then
		// addUnsafe drops it); a panic of the probe's own serial calls
		// abandons the probe and leaves the check's panic as it was.
		if s.panicOf(name) == nil {
			return
		}
		defer func() {
			if r := recover(); r != nil {
				if up, ok := r.(userPanic); !ok || up.fail.Kind != Panic {
					panic(r)
				}
			}
		}()
	}
	kept := s.misc.samples[:s.probePoints(len(s.misc.samples))]
	ref := make([][]float64, len(kept))
	for k, sm := range kept {
		work := slices.Clone(sm.v)
		ref[k] = make([]float64, len(sm.out))
		s.afford(1)
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
	// Rounds of goroutines() calls, the distinct points dealt out in turn,
	// within max(2 rounds, 4% of the evaluations).
	g := goroutines()
	at, pt := make([][]float64, g), make([]int, g)
	limit := max(2*g, int(s.evals.Load())/25)
	for round := 0; (round+1)*g <= limit; round++ {
		for n := range g {
			pt[n] = pts[(round*g+n)%len(pts)]
			at[n] = kept[pt[n]].v
		}
		s.afford(int64(g))
		out, panics := together(call, at, len(ref[0]))
		s.evals.Add(int64(g))
		called := fmt.Sprintf("called from %d goroutines at once (Settings.Workers = %d),", g, s.c.workers)
		for n, k := range pt {
			if panics[n] != nil {
				f := noEntry(ConcurrencyUnsafe, fmt.Sprintf("%s is not safe for concurrent use: %s it panicked at %s (%v), and returned normally when called alone at the same point; a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
					name, called, s.where(at[n]), panics[n]))
				f.PanicValue = panics[n]
				s.blame(name, f)
				return
			}
			if i := firstDiff(out[n], ref[k]); i >= 0 {
				s.addUnsafe(name, scalar, i, at[n], out[n][i], ref[k][i], called)
				return
			}
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
	s.blame(name, &Failure{Kind: ConcurrencyUnsafe, Row: -1, Col: -1, Analytic: got, Numeric: alone, AbsErr: math.Abs(got - alone), RelErr: relErr(got, alone),
		Detail: fmt.Sprintf("%s is not safe for concurrent use: %s %s at %s, and %.17g when called alone at the same point; a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
			name, how, what, s.where(v), alone)})
}

// blame records f, a ConcurrencyUnsafe failure of name, and withdraws what
// concurrency may have caused: the verdicts on values, which may rest on
// spoilt evaluations, the no-verdicts read from them (a kink, entries
// unresolved: spoilt values look like noise), and a panic of name that
// stopped the check among concurrent calls (its message is kept in f's).
func (s *session) blame(name string, f *Failure) {
	if p := s.panicOf(name); p != nil {
		msg, _, _ := strings.Cut(p.Detail, "\n")
		f.Detail += fmt.Sprintf(". The check itself stopped when %s", msg)
		s.fails = slices.DeleteFunc(s.fails, func(g *Failure) bool { return g == p })
	}
	s.add(f)
	s.fails = slices.DeleteFunc(s.fails, func(f *Failure) bool { return f.valueKind() || f.Kind == Nondifferentiable || f.Kind == Unresolved })
}

// panicOf returns the Panic failure of the user's function name, or nil.
func (s *session) panicOf(name string) *Failure {
	for _, f := range s.fails {
		if f.Kind == Panic && strings.HasPrefix(f.Detail, name+" panicked") {
			return f
		}
	}
	return nil
}

// together calls call at every point of at, each on a copy and from its
// own goroutine, with dst of length n; the goroutines are all started and
// parked before they are released together. It returns the results and
// the panics (nil where none).
func together(call func(dst, x []float64), at [][]float64, n int) (out [][]float64, panics []any) {
	out = make([][]float64, len(at))
	panics = make([]any, len(at))
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
			call(dst, work)
			out[k] = dst
		}()
	}
	ready.Wait()
	close(release)
	done.Wait()
	return out, panics
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
