package mutants

import (
	"github.com/gradcheck/gradcheck/subjects"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// sigma is the logistic function, computed stably.
func sigma(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// logisticResidualGrad returns (c/n)Xᵀ(p − y) + λw with p = link(z) per
// sample: the shape every logistic mutant shares.
func logisticResidualGrad(d subjects.Data, dst, w []float64, c float64, resid func(z, y float64) float64, samples int) {
	z := xw(d.X, w)
	r := make([]float64, len(z))
	for i := 0; i < samples; i++ {
		r[i] = resid(z[i], d.Y[i])
	}
	scaleInto(dst, c/float64(d.N()), xtr(d.X, r))
	addL2(dst, d.L2, w)
}

// logisticHess writes (1/n)Xᵀdiag(weight(z))X + λI.
func logisticHess(d subjects.Data, dst *mat.SymDense, w []float64, weight func(z float64) float64) {
	n, dd := d.N(), d.D()
	z := xw(d.X, w)
	for i := 0; i < dd; i++ {
		for j := i; j < dd; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s += d.X.At(k, i) * weight(z[k]) * d.X.At(k, j)
			}
			if i == j {
				s += d.L2 * float64(n)
			}
			dst.SetSym(i, j, s/float64(n))
		}
	}
}

func logisticMutants() []Mutant {
	pMinusY := func(z, y float64) float64 { return sigma(z) - y }
	return []Mutant{
		{
			Name: "logistic/no-sigmoid", Class: "wrong formula", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Mismatch, Needs: subjects.Needs{MinN: 2, MinD: 2, Moderate: true},
			Doc: "(1/n)Xᵀ(z − y): the logits used where the probabilities σ(z) belong (BCE without the sigmoid)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, 1, func(z, y float64) float64 { return z - y }, d.N())
				})
			},
		},
		{
			Name: "logistic/sigmoid-twice", Class: "wrong formula", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Mismatch, Needs: subjects.Needs{MinN: 2, MinD: 2, Moderate: true},
			Doc: "(1/n)Xᵀ(σ(σ(z)) − y): the gradient taken through the sigmoid twice",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, 1, func(z, y float64) float64 { return sigma(sigma(z)) - y }, d.N())
				})
			},
		},
		{
			Name: "logistic/clipped-probabilities", Class: "stability", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinN: 2, MinD: 2, Extreme: true, ExtremeBeyond40: true},
			Doc: "p clipped to [1e-7, 1 − 1e-7] as the lab suggests, differentiated through the clip: the gradient is exactly 0 beyond |z| ≈ 16.1, where the true per-sample derivative is σ(z) − y = ±1 for a confidently wrong sample (partial where that sample's row has entries near zero)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, 1, func(z, y float64) float64 {
						p := sigma(z)
						if p < 1e-7 || p > 1-1e-7 {
							return 0 // d clip(p)/dp = 0 outside the interval
						}
						return p - y
					}, d.N())
				})
			},
		},
		{
			Name: "logistic/unstable-log", Class: "stability", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.NotFinite, Needs: subjects.Needs{ExtremeBeyond40: true},
			Doc: "the loss as −y·log σ(z) − (1−y)·log(1 − σ(z)): σ(z) rounds to 1 from z ≈ 36.7, log(0) = −Inf, and the loss of a confidently wrong sample is Inf instead of ≈ z",
			Build: func(d subjects.Data) properties.Problem {
				return withFunc(d, func(w []float64) float64 {
					z := xw(d.X, w)
					s := 0.0
					for i, zi := range z {
						p := 1 / (1 + math.Exp(-zi))
						s -= d.Y[i]*math.Log(p) + (1-d.Y[i])*math.Log(1-p)
					}
					return s/float64(len(z)) + d.L2/2*dot(w, w)
				})
			},
		},
		{
			Name: "logistic/missing-1/n", Class: "missing constant", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.ConstantFactor, Needs: subjects.Needs{MinN: 2},
			Doc: "Xᵀ(σ(z) − y): the 1/n of the mean dropped",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, float64(d.N()), pMinusY, d.N())
				})
			},
		},
		{
			Name: "logistic/sign", Class: "sign", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Sign,
			Doc:  "(1/n)Xᵀ(y − σ(z)): the residual taken the wrong way round",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, -1, pMinusY, d.N())
				})
			},
		},
		{
			Name: "logistic/drops-last-sample", Class: "off-by-one", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinN: 2, MinD: 2, Moderate: true},
			Doc: "the sum over samples stops one short (partial where the dropped row has entries near zero: those coordinates stay right)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, 1, pMinusY, d.N()-1)
				})
			},
		},
		{
			Name: "logistic/hessian-without-weights", Class: "wrong formula", Subject: subjects.Logistic, Property: "hessian",
			Want: properties.Mismatch, Needs: subjects.Needs{MinN: 3, MinD: 2, Moderate: true},
			Doc: "(1/n)XᵀX: the Hessian without its p(1−p) weights",
			Build: func(d subjects.Data) properties.Problem {
				return withHess(d, func(dst *mat.SymDense, w []float64) {
					logisticHess(d, dst, w, func(float64) float64 { return 1 })
				})
			},
		},
		{
			Name: "logistic/hessian-weight-p", Class: "wrong formula", Subject: subjects.Logistic, Property: "hessian",
			Want: properties.Mismatch, Needs: subjects.Needs{MinN: 3, MinD: 2, Moderate: true},
			Doc: "(1/n)Xᵀdiag(p)X: the weight p where p(1−p) belongs",
			Build: func(d subjects.Data) properties.Problem {
				return withHess(d, func(dst *mat.SymDense, w []float64) { logisticHess(d, dst, w, sigma) })
			},
		},
		{
			Name: "logistic/l2-missing", Class: "wrong formula", Subject: subjects.Logistic, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinN: 2, MinD: 2, L2: true},
			Doc: "the gradient of the L2 term λw forgotten (partial where some λwᵢ are below the tolerance of a large gradient)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					logisticResidualGrad(d, dst, w, 1, pMinusY, d.N())
					addL2(dst, -d.L2, w)
				})
			},
		},
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
