package mutants

import (
	"github.com/gradcheck/gradcheck/subjects"
	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// residual returns r = Xw − y.
func residual(d subjects.Data, w []float64) []float64 {
	r := xw(d.X, w)
	for i := range r {
		r[i] -= d.Y[i]
	}
	return r
}

// mseGrad returns the correct MSE gradient (2/n)Xᵀ(Xw − y) + λw on d,
// written out.
func mseGrad(d subjects.Data) func(dst, w []float64) {
	return func(dst, w []float64) {
		n := float64(d.N())
		scaleInto(dst, 2/n, xtr(d.X, residual(d, w)))
		addL2(dst, d.L2, w)
	}
}

// xForXt is the MSE gradient with X where Xᵀ belongs: (2/n)X(Xw − y). With
// n ≠ d gonum's product panics on the shapes; with n == d it is silent.
func xForXt(d subjects.Data) properties.Problem {
	return withGrad(d, func(dst, w []float64) {
		r := residual(d, w)
		g := mat.NewVecDense(len(dst), dst)
		g.MulVec(d.X, mat.NewVecDense(len(r), r))
		g.ScaleVec(2/float64(d.N()), g)
	})
}

func mseMutants() []Mutant {
	return []Mutant{
		{
			Name: "mse/missing-2", Class: "missing constant", Subject: subjects.MSE, Property: "gradient",
			Want: properties.ConstantFactor,
			Doc:  "(1/n)Xᵀ(Xw − y): the 2 of the square dropped",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					scaleInto(dst, 1/float64(d.N()), xtr(d.X, residual(d, w)))
				})
			},
		},
		{
			Name: "mse/missing-1/n", Class: "missing constant", Subject: subjects.MSE, Property: "gradient",
			Want: properties.ConstantFactor, Needs: subjects.Needs{MinN: 2},
			Doc: "2Xᵀ(Xw − y): the 1/n of the mean dropped (invisible when n = 1)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) { scaleInto(dst, 2, xtr(d.X, residual(d, w))) })
			},
		},
		{
			Name: "mse/divides-by-d", Class: "missing constant", Subject: subjects.MSE, Property: "gradient",
			Want: properties.ConstantFactor, Needs: subjects.Needs{MinN: 2, NotSquare: true},
			Doc: "(2/d)Xᵀ(Xw − y): the mean taken over features instead of samples (invisible when n = d; with n = 1 a zero entry of the single row leaves a zero gradient entry, and one wrong entry is all there is to see)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) { scaleInto(dst, 2/float64(d.D()), xtr(d.X, residual(d, w))) })
			},
		},
		{
			Name: "mse/sign", Class: "sign", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Sign,
			Doc:  "(2/n)Xᵀ(y − Xw): the residual taken the wrong way round",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					scaleInto(dst, -2/float64(d.N()), xtr(d.X, residual(d, w)))
				})
			},
		},
		{
			Name: "mse/X-for-Xt", Class: "shape", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Panic, Needs: subjects.Needs{NotSquare: true},
			Doc:   "(2/n)X(Xw − y): X where Xᵀ belongs; with n ≠ d the product's shapes clash and gonum panics",
			Build: xForXt,
		},
		{
			Name: "mse/X-for-Xt-square", Class: "shape", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Mismatch, Needs: subjects.Needs{Square: true, MinD: 2},
			Doc:   "(2/n)X(Xw − y) with n == d: X where Xᵀ belongs, silent about shapes, wrong in value",
			Build: xForXt,
		},
		{
			Name: "mse/swapped-coordinates", Class: "shape", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Permutation, Needs: subjects.Needs{MinD: 2},
			Doc: "the entries of the first two coordinates exchanged: an index mix-up",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, gradtest.SwappedVec(mseGrad(d), 0, 1))
			},
		},
		{
			Name: "mse/drops-last-sample", Class: "off-by-one", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinN: 2, MinD: 2},
			Doc: "the sum over samples stops one short (i < n−1); partial where the dropped row has entries near zero: those coordinates stay right",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					n, dd := d.N(), d.D()
					r := residual(d, w)
					for j := range dst {
						dst[j] = 0
					}
					for i := 0; i < n-1; i++ {
						for j := 0; j < dd; j++ {
							dst[j] += 2 * d.X.At(i, j) * r[i] / float64(n)
						}
					}
				})
			},
		},
		{
			Name: "mse/one-entry-off-1e-4", Class: "small error", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Partial, Needs: subjects.Needs{MinD: 2},
			Doc: "one entry off by a relative 1e-4 (a typo in a constant): PyTorch gradcheck's rtol of 1e-3 misses it",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, gradtest.PerturbedVec(mseGrad(d), d.D()-1, 1e-4))
			},
		},
		{
			Name: "mse/hessian-missing-2", Class: "missing constant", Subject: subjects.MSE, Property: "hessian",
			Want: properties.ConstantFactor, Accept: []properties.Kind{properties.Partial},
			Doc: "(1/n)XᵀX: the 2 dropped from the Hessian (partial where X has zero entries and a single entry of XᵀX is nonzero: one wrong entry is all there is to see)",
			Build: func(d subjects.Data) properties.Problem {
				return withHess(d, func(dst *mat.SymDense, w []float64) {
					dst.SymOuterK(1/float64(d.N()), d.X.T())
				})
			},
		},
		{
			Name: "mse/l2-missing", Class: "wrong formula", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinD: 2, L2: true},
			Doc: "the gradient of the L2 term λw forgotten (partial where some λwᵢ are below the tolerance of a large gradient)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					scaleInto(dst, 2/float64(d.N()), xtr(d.X, residual(d, w)))
				})
			},
		},
		{
			Name: "mse/l2-without-half", Class: "missing constant", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinD: 2, L2: true},
			Doc: "2λw for the term (λ/2)‖w‖²: the 1/2 of the convention ignored (partial where some λwᵢ are below the tolerance of a large gradient)",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					mseGrad(d)(dst, w)
					addL2(dst, d.L2, w)
				})
			},
		},
		{
			Name: "mse/writes-into-w", Class: "side effect", Subject: subjects.MSE, Property: "gradient",
			Want: properties.InputMutated,
			Doc:  "the residual computed in place into the caller's w, to save an allocation",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					mseGrad(d)(dst, w)
					for i := range w {
						w[i] = dst[i] // "reuse the buffer"
					}
				})
			},
		},
		{
			Name: "mse/last-entry-unwritten", Class: "off-by-one", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Shape, Needs: subjects.Needs{MinD: 2},
			Doc: "the loop over features stops one short and leaves dst's last entry as it was",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, gradtest.UnwrittenVec(mseGrad(d), d.D()-1))
			},
		},
		{
			Name: "mse/minibatch", Class: "side effect", Subject: subjects.MSE, Property: "gradient",
			Want: properties.Nondeterministic, Needs: subjects.Needs{MinN: 2},
			Doc: "the gradient of a minibatch that advances at every call (even samples, then odd ones): a stochastic gradient where the full one was promised",
			Build: func(d subjects.Data) properties.Problem {
				calls := 0
				return withGrad(d, func(dst, w []float64) {
					r := residual(d, w)
					for i := range r {
						if i%2 != calls%2 {
							r[i] = 0
						}
					}
					calls++
					scaleInto(dst, 4/float64(d.N()), xtr(d.X, r))
				})
			},
		},
	}
}
