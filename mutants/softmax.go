package mutants

import (
	"github.com/gradcheck/gradcheck/subjects"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// softmaxRows returns S = softmax(X·W) row by row, W the d×k matrix
// flattened row-major in w.
func softmaxRows(d subjects.Data, w []float64) *mat.Dense {
	n, k := d.N(), d.K()
	S := mat.NewDense(n, k, nil)
	S.Mul(d.X, mat.NewDense(d.D(), k, w))
	for i := 0; i < n; i++ {
		row := S.RawRowView(i)
		m := row[0]
		for _, v := range row {
			m = math.Max(m, v)
		}
		s := 0.0
		for j := range row {
			row[j] = math.Exp(row[j] - m)
			s += row[j]
		}
		for j := range row {
			row[j] /= s
		}
	}
	return S
}

// softmaxCEGrad returns G = (c/n)Xᵀ(S − Y) + λW, d×k.
func softmaxCEGrad(d subjects.Data, w []float64, c float64) *mat.Dense {
	S := softmaxRows(d, w)
	var R mat.Dense
	R.Sub(S, d.T)
	G := mat.NewDense(d.D(), d.K(), nil)
	G.Mul(d.X.T(), &R)
	G.Scale(c/float64(d.N()), G)
	G.Add(G, mat.NewDense(d.D(), d.K(), scaled(d.L2, w)))
	return G
}

func scaled(c float64, v []float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = c * v[i]
	}
	return out
}

// flatRowMajor writes G into dst row by row: dst[a*k+b] = G[a][b].
func flatRowMajor(dst []float64, G *mat.Dense) {
	r, c := G.Dims()
	for a := 0; a < r; a++ {
		for b := 0; b < c; b++ {
			dst[a*c+b] = G.At(a, b)
		}
	}
}

func softmaxCEMutants() []Mutant {
	return []Mutant{
		{
			Name: "softmax-ce/column-major", Class: "shape", Subject: subjects.SoftmaxCrossEntropy, Property: "gradient",
			Want: properties.Permutation, Needs: subjects.Needs{MinD: 2},
			Doc: "the d×k gradient flattened column by column where the weights are flattened row by row",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					G := softmaxCEGrad(d, w, 1)
					r, c := G.Dims()
					for a := 0; a < r; a++ {
						for b := 0; b < c; b++ {
							dst[b*r+a] = G.At(a, b)
						}
					}
				})
			},
		},
		{
			Name: "softmax-ce/missing-1/n", Class: "missing constant", Subject: subjects.SoftmaxCrossEntropy, Property: "gradient",
			Want: properties.ConstantFactor, Needs: subjects.Needs{MinN: 2},
			Doc: "Xᵀ(S − Y): the 1/n of the mean dropped",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) { flatRowMajor(dst, softmaxCEGrad(d, w, float64(d.N()))) })
			},
		},
		{
			Name: "softmax-ce/logits-for-probabilities", Class: "wrong formula", Subject: subjects.SoftmaxCrossEntropy, Property: "gradient",
			Want: properties.Mismatch,
			Doc:  "(1/n)Xᵀ(Z − Y): the logits used where the probabilities softmax(Z) belong",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) {
					Z := mat.NewDense(d.N(), d.K(), nil)
					Z.Mul(d.X, mat.NewDense(d.D(), d.K(), w))
					Z.Sub(Z, d.T)
					G := mat.NewDense(d.D(), d.K(), nil)
					G.Mul(d.X.T(), Z)
					G.Scale(1/float64(d.N()), G)
					G.Add(G, mat.NewDense(d.D(), d.K(), scaled(d.L2, w)))
					flatRowMajor(dst, G)
				})
			},
		},
		{
			Name: "softmax-ce/sign", Class: "sign", Subject: subjects.SoftmaxCrossEntropy, Property: "gradient",
			Want: properties.Sign,
			Doc:  "(1/n)Xᵀ(Y − S): the residual taken the wrong way round",
			Build: func(d subjects.Data) properties.Problem {
				return withGrad(d, func(dst, w []float64) { flatRowMajor(dst, softmaxCEGrad(d, w, -1)) })
			},
		},
		{
			Name: "softmax-ce/hessian-without-outer", Class: "wrong formula", Subject: subjects.SoftmaxCrossEntropy, Property: "hessian",
			Want: properties.Mismatch,
			Doc:  "the Hessian with diag(s) where diag(s) − ssᵀ belongs",
			Build: func(d subjects.Data) properties.Problem {
				return withHess(d, func(dst *mat.SymDense, w []float64) {
					n, dd, k := d.N(), d.D(), d.K()
					S := softmaxRows(d, w)
					for p := 0; p < dd*k; p++ {
						for q := p; q < dd*k; q++ {
							a, b, c, e := p/k, p%k, q/k, q%k
							v := 0.0
							if b == e {
								for i := 0; i < n; i++ {
									v += d.X.At(i, a) * d.X.At(i, c) * S.At(i, b)
								}
							}
							v /= float64(n)
							if p == q {
								v += d.L2
							}
							dst.SetSym(p, q, v)
						}
					}
				})
			},
		},
	}
}
