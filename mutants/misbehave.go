package mutants

import (
	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
	"github.com/gradcheck/gradcheck/subjects"
)

// misbehaveMutants are bugs that are not a wrong formula: state kept
// between calls and a dst read before it is written.
func misbehaveMutants() []Mutant {
	return []Mutant{
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
