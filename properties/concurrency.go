package properties

import (
	"fmt"
	"math"
	"slices"
)

// A vecSample is an evaluation of a vector function (the grad of
// CheckHessian, the map of CheckJacobian) made while the engine ran it on
// several goroutines.
type vecSample struct{ v, out []float64 }

// keepVec records the evaluation (v, out) of a vector function as keep
// does for f.
func (s *session) keepVec(v, out []float64, n int64) {
	if s.c.workers == 0 || s.c.workers == 1 || n%5 != 0 {
		return
	}
	m := &s.misc
	m.mu.Lock()
	if len(m.vsamples) < maxSamples {
		m.vsamples = append(m.vsamples, vecSample{slices.Clone(v), slices.Clone(out)})
	}
	m.mu.Unlock()
}

// serialCheckVec recomputes the kept samples of the vector function name
// serially, as serialCheck does for f.
func (s *session) serialCheckVec(name string, f func(dst, x []float64)) {
	if s.hasKind(Nondeterministic) {
		return
	}
	for _, sm := range s.misc.vsamples[:s.budgetSamples(len(s.misc.vsamples))] {
		work := slices.Clone(sm.v)
		dst := make([]float64, len(sm.out))
		func() {
			defer s.catch(name, work)
			f(dst, work)
		}()
		s.evals.Add(1)
		for i := range dst {
			if math.Float64bits(dst[i]) == math.Float64bits(sm.out[i]) {
				continue
			}
			s.add(&Failure{Kind: ConcurrencyUnsafe, Row: -1, Col: -1, Analytic: sm.out[i], Numeric: dst[i], AbsErr: math.Abs(dst[i] - sm.out[i]), RelErr: relErr(dst[i], sm.out[i]),
				Detail: fmt.Sprintf("%s is not safe for concurrent use: with Settings.Workers = %d entry [%d] was %.17g at %s, and %.17g when called again alone at the same point (%d evaluations recomputed); a shared scratch buffer or cache? Make it per call, or check with Workers = 1 — no verdict on the derivative was drawn from values that concurrency may have spoilt",
					name, s.c.workers, i, sm.out[i], s.where(sm.v), dst[i], s.budgetSamples(len(s.misc.vsamples)))})
			s.fails = slices.DeleteFunc(s.fails, func(f *Failure) bool { return f.valueKind() || f.Kind == Nondifferentiable })
			return
		}
	}
}
