package properties

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// chain is f(x) = Σ cᵢcosh(xᵢ) + Σ xᵢxᵢ₊₁ with cᵢ = 1 + i/d: a smooth test
// function of any dimension whose Hessian is tridiagonal.
func chain(x []float64) float64 {
	s := 0.0
	for i, v := range x {
		s += (1 + float64(i)/float64(len(x))) * math.Cosh(v)
		if i+1 < len(x) {
			s += v * x[i+1]
		}
	}
	return s
}

func chainGrad(g, x []float64) {
	for i, v := range x {
		g[i] = (1 + float64(i)/float64(len(x))) * math.Sinh(v)
		if i > 0 {
			g[i] += x[i-1]
		}
		if i+1 < len(x) {
			g[i] += x[i+1]
		}
	}
}

func chainHess(h *mat.SymDense, x []float64) {
	d := len(x)
	for i := range d {
		for j := i; j < d; j++ {
			h.SetSym(i, j, 0)
		}
		h.SetSym(i, i, (1+float64(i)/float64(d))*math.Cosh(x[i]))
		if i+1 < d {
			h.SetSym(i, i+1, 1)
		}
	}
}

func chainJac(j *mat.Dense, x []float64) {
	d := len(x)
	h := mat.NewSymDense(d, nil)
	chainHess(h, x)
	if j.IsEmpty() {
		j.ReuseAs(d, d)
	}
	j.Copy(h)
}

// TestProbeShare: the probes that follow the check proper (stale state,
// concurrency) spend at most 10% of a correct check's evaluations at
// d ≥ 100, serial or with Workers = 4 (which adds the concurrency probe).
// Evaluations are of f in CheckGradient and of grad, the function
// differentiated numerically, in CheckHessian and CheckJacobian. The
// calls of the derivative itself (grad, hess, jac) are logged beside them:
// a fixed number whatever d, 7 of them by the probes in CheckGradient (4
// with prefilled dst for accumulated-dst, made with the first calls, and 3
// for stale state).
func TestProbeShare(t *testing.T) {
	checks := []struct {
		name string
		run  func(s *session)
	}{
		{"gradient", func(s *session) { s.gradient(chain, chainGrad, &Report{}) }},
		{"hessian", func(s *session) { s.hessian(chainGrad, chainHess, &Report{}) }},
		{"jacobian", func(s *session) { s.jacobian(chainGrad, chainJac, &Report{}) }},
	}
	for _, d := range []int{100, 300} {
		x := make([]float64, d)
		for i := range x {
			x[i] = math.Sin(0.7*float64(i)) * 1.5
		}
		for _, ch := range checks {
			for _, workers := range []int{1, 4} {
				name := fmt.Sprintf("%s d=%d workers=%d", ch.name, d, workers)
				s := &session{property: ch.name, x: x, c: resolve("test", &Settings{Workers: workers})}
				s.guard(func() { ch.run(s) })
				evals, calls := s.evals.Load(), s.calls
				s.guard(s.runAfter)
				if err := s.err(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				probe := s.evals.Load() - evals
				share := float64(probe) / float64(s.evals.Load())
				t.Logf("%s: %d evaluations, %d of them by the probes that follow the check (%.1f%%); %d calls of the derivative, %d of them after the check",
					name, s.evals.Load(), probe, 100*share, s.calls, s.calls-calls)
				if share > 0.10 {
					t.Errorf("%s: the probes spent %d of %d evaluations (%.1f%%), want ≤ 10%%", name, probe, s.evals.Load(), 100*share)
				}
			}
		}
	}
}

// TestTogether: calls released together by together overlap, and calls of
// a shared scratch buffer that yields inside its window are then spoilt;
// correct calls never are. It logs, for 2, 3, 4 and 8 goroutines, in how
// many of 500 rounds the calls overlapped (a call whose start and end
// tickets are not consecutive) and in how many a result was spoilt, and
// how often a buffer that does not yield was spoilt in 100 rounds (the
// figures in docs/PROBES.md: go test ./properties -run TestTogether -v
// -cpu 1,2,4,8).
func TestTogether(t *testing.T) {
	const rounds = 500
	for _, g := range []int{2, 3, 4, 8} {
		at, ref := make([][]float64, g), make([][]float64, g)
		for k := range at {
			at[k] = []float64{float64(k) + 0.5, -1.25, 2}
			ref[k] = make([]float64, 3)
			chainGrad(ref[k], at[k])
		}
		// spoilt runs a round of f and reports whether a result was
		// spoilt and whether two calls overlapped.
		spoilt := func(f func(dst, x []float64)) (bad, overlapped bool) {
			var ticket atomic.Int64
			var over atomic.Bool
			out, panics := together(func(dst, x []float64) {
				start := ticket.Add(1)
				f(dst, x)
				if ticket.Add(1)-start > 1 {
					over.Store(true)
				}
			}, at, 3)
			for k := range at {
				bad = bad || panics[k] != nil || firstDiff(out[k], ref[k]) >= 0
			}
			return bad, over.Load()
		}
		nOver, nBad := 0, 0
		for range rounds {
			bad, over := spoilt(gradtest.SharedBufferVec(chainGrad))
			if over {
				nOver++
			}
			if bad {
				nBad++
			}
			if bad, _ := spoilt(chainGrad); bad {
				t.Fatalf("%d goroutines: a correct function was spoilt", g)
			}
		}
		t.Logf("%d goroutines released together, shared buffer: %d of %d rounds overlapped, %d spoilt", g, nOver, rounds, nBad)
		if nBad == 0 {
			t.Errorf("%d goroutines: a shared buffer was never spoilt in %d rounds", g, rounds)
		}
		// A shared buffer that does not yield: spoilt only when calls run
		// in parallel on two cores (logged, not asserted: it depends on
		// the machine's load).
		for _, work := range []int{0, 1000, 10000} {
			nBad = 0
			for range rounds / 5 {
				if bad, _ := spoilt(busyBuffer(chainGrad, work)); bad {
					nBad++
				}
			}
			t.Logf("%d goroutines released together, shared buffer without a yield, %d square roots inside the window: %d of %d rounds spoilt", g, work, nBad, rounds/5)
		}
	}
}

// busyBuffer returns g that copies x into one buffer shared by all its
// calls, computes work square roots, and then g on the buffer, without
// yielding (atomic accesses keep the race detector quiet).
func busyBuffer(g func(dst, x []float64), work int) func(dst, x []float64) {
	var mu sync.Mutex
	var buf []atomic.Uint64
	var sink atomic.Uint64
	return func(dst, x []float64) {
		mu.Lock()
		if len(buf) != len(x) {
			buf = make([]atomic.Uint64, len(x))
		}
		b := buf
		mu.Unlock()
		for i, v := range x {
			b[i].Store(math.Float64bits(v))
		}
		s := 0.0
		for r := range work {
			s += math.Sqrt(float64(r))
		}
		sink.Store(math.Float64bits(s))
		w := make([]float64, len(x))
		for i := range w {
			w[i] = math.Float64frombits(b[i].Load())
		}
		g(dst, w)
	}
}
