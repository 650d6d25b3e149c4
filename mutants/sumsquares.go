package mutants

import (
	"github.com/gradcheck/gradcheck/subjects"
	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

func sumSquaresMutants() []Mutant {
	return []Mutant{
		{
			Name: "sumsquares/missing-2", Class: "missing constant", Subject: subjects.SumSquares, Property: "gradient",
			Want: properties.ConstantFactor,
			Doc:  "∇Σw² written as w: the 2 of the square dropped",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) { copy(dst, w) })
			},
		},
		{
			Name: "sumsquares/hessian-identity", Class: "missing constant", Subject: subjects.SumSquares, Property: "hessian",
			Want: properties.ConstantFactor,
			Doc:  "the Hessian of Σw² written as I instead of 2I (the lab's Task 4.1)",
			Build: func(d subjects.Data) properties.Problem {
				return withHess(d, func(dst *mat.SymDense, w []float64) {
					for i := range w {
						for j := i; j < len(w); j++ {
							dst.SetSym(i, j, 0)
						}
						dst.SetSym(i, i, 1)
					}
				})
			},
		},
		{
			Name: "sumsquares/not-a-gradient-field", Class: "not a gradient field", Subject: subjects.SumSquares, Property: "symmetry",
			Want: properties.Mismatch, Needs: subjects.Needs{MinD: 3},
			Doc: "∂ᵢ = 2wᵢ + 0.5·wᵢ₊₁ (cyclically): a coupling written into one side only, so the field has no potential; with d = 2 the cycle is symmetric and the bug hides",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					for i := range w {
						dst[i] = 2*w[i] + 0.5*w[(i+1)%len(w)]
					}
				})
			},
		},
	}
}
