package mutants

import (
	"math"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
	"github.com/gradcheck/gradcheck/subjects"
)

// misbehaveMutants are bugs that are not a wrong formula: state kept
// between calls, a dst read before it is written, and scratch memory shared
// by concurrent calls.
//
// The corpus has no mutant for the kind stopped, on purpose. A check that
// runs out of Settings.MaxEvals or Settings.Timeout gives no verdict: it
// would stop on a correct function as slow as the mutant too, so a mutant
// "detected" as stopped is not told apart from its control, and counting it
// would raise the mutation score with a check that found nothing. A
// runaway cost is the checker's to bound (properties: TestBudget, and the
// escalation cost pinned by TestWholesaleBugCost), not a bug in a
// derivative.
func misbehaveMutants() []Mutant {
	return []Mutant{
		{
			Name: "mse/shared-partial-sums", Class: "side effect", Subject: subjects.MSE, Property: "gradient",
			Want:     properties.ConcurrencyUnsafe,
			Settings: &properties.Settings{Workers: 4},
			Doc:      "Func sums the squared residuals over halves of the samples in two goroutines, into a slice of partial sums kept between calls to save an allocation: right when called serially, wrong when two calls overlap (checked with Workers = 4)",
			Build: func(d subjects.Data) properties.Problem {
				p := subjects.Correct(d)
				var parts [2]atomic.Uint64 // float64 bits; atomic, so the race detector stays quiet about a bug of logic
				p.Func = func(w []float64) float64 {
					r := residual(d, w)
					half := len(r) / 2
					var wg sync.WaitGroup
					for k, rows := range [2][]float64{r[:half], r[half:]} {
						wg.Add(1)
						go func() {
							defer wg.Done()
							s := 0.0
							for _, v := range rows {
								s += v * v
							}
							parts[k].Store(math.Float64bits(s))
						}()
					}
					wg.Wait()
					s := math.Float64frombits(parts[0].Load()) + math.Float64frombits(parts[1].Load())
					return s/float64(d.N()) + d.L2/2*dot(w, w)
				}
				return p
			},
		},
		{
			Name: "mse/stale-residual", Class: "side effect", Subject: subjects.MSE, Property: "gradient",
			Want: properties.StaleState,
			Doc:  "Func caches the residual Xw − y and Grad reads it instead of recomputing: the forward/backward split, right only when Grad(w) follows Func(w)",
			Build: func(d subjects.Data) properties.Problem {
				p := subjects.Correct(d)
				f := p.Func
				var cached []float64
				p.Func = func(w []float64) float64 {
					cached = residual(d, w)
					return f(w)
				}
				p.Grad = func(dst, w []float64) {
					r := cached
					if r == nil {
						r = residual(d, w)
					}
					scaleInto(dst, 2/float64(d.N()), xtr(d.X, r))
					addL2(dst, d.L2, w)
				}
				return p
			},
		},
		{
			Name: "mse/accumulates-into-dst", Class: "side effect", Subject: subjects.MSE, Property: "gradient",
			Want: properties.AccumulatedDst,
			Doc:  "the gradient added into dst (dst[i] += …) without zeroing it: right only when the caller hands a zeroed dst",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, gradtest.AccumulatingVec(mseGrad(d)))
			},
		},
		{
			Name: "logistic/hessian-at-last-grad", Class: "side effect", Subject: subjects.Logistic, Property: "hessian",
			Want: properties.StaleState, Needs: subjects.Needs{MinN: 3, MinD: 2, Moderate: true},
			Doc: "Grad caches the point of its last call and Hess weights p(1−p) at that point: right only when Hess(w) follows Grad(w)",
			Build: func(d subjects.Data) properties.Problem {
				p := subjects.Correct(d)
				g := p.Grad
				var last []float64
				p.Grad = func(dst, w []float64) {
					last = append(last[:0], w...)
					g(dst, w)
				}
				p.Hess = func(dst *mat.SymDense, w []float64) {
					at := w
					if len(last) == len(w) {
						at = last
					}
					logisticHess(d, dst, at, func(z float64) float64 { s := sigma(z); return s * (1 - s) })
				}
				return p
			},
		},
	}
}
