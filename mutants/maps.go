package mutants

import (
	"github.com/gradcheck/gradcheck/subjects"
	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// sized returns dst sized to r×c if it was empty (gonum's convention, which
// the checker uses to learn the number of outputs).
func sized(dst *mat.Dense, r, c int) *mat.Dense {
	if dst.IsEmpty() {
		dst.ReuseAs(r, c)
	}
	return dst
}

// diagJac writes diag(f(xᵢ)) into dst, d×d.
func diagJac(dst *mat.Dense, x []float64, f func(float64) float64) {
	fillJac(dst, len(x), func(i, j int) float64 {
		if i == j {
			return f(x[i])
		}
		return 0
	})
}

// fillJac sets entry (i, j) of dst, d×d (sized if empty), to e(i, j).
func fillJac(dst *mat.Dense, d int, e func(i, j int) float64) {
	sized(dst, d, d)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			dst.Set(i, j, e(i, j))
		}
	}
}

// softmaxOf returns softmax(x), stably.
func softmaxOf(x []float64) []float64 {
	S := softmaxRows(subjects.Data{X: mat.NewDense(1, 1, []float64{1}), T: mat.NewDense(1, len(x), nil)}, x)
	return S.RawRowView(0)
}

func mapMutants() []Mutant {
	transposed := func(d subjects.Data) properties.Problem {
		return withJacobian(d, func(dst *mat.Dense, x []float64) {
			k, dd := d.A.Dims()
			sized(dst, dd, k).Copy(d.A.T())
		})
	}
	return []Mutant{
		{
			Name: "sigmoid/missing-1-minus-s", Class: "wrong formula", Subject: subjects.Sigmoid, Property: "jacobian",
			Want: properties.Partial, Needs: subjects.Needs{MinD: 2},
			Doc: "diag(σ) where diag(σ(1−σ)) belongs: the diagonal is wrong, the zeros off it are right",
			Build: func(d subjects.Data) properties.Problem {
				return withJacobian(d, func(dst *mat.Dense, x []float64) { diagJac(dst, x, sigma) })
			},
		},
		{
			Name: "sigmoid/doubled", Class: "missing constant", Subject: subjects.Sigmoid, Property: "jacobian",
			Want: properties.ConstantFactor, Needs: subjects.Needs{MinD: 2},
			Doc: "2σ(1−σ) on the diagonal: an extra factor 2",
			Build: func(d subjects.Data) properties.Problem {
				return withJacobian(d, func(dst *mat.Dense, x []float64) {
					diagJac(dst, x, func(v float64) float64 { s := sigma(v); return 2 * s * (1 - s) })
				})
			},
		},
		{
			Name: "softmax/without-outer-product", Class: "wrong formula", Subject: subjects.Softmax, Property: "jacobian",
			Want: properties.Mismatch, Accept: []properties.Kind{properties.Partial}, Needs: subjects.Needs{MinD: 2},
			Doc: "diag(s) where diag(s) − ssᵀ belongs (partial where softmax is saturated: the products sᵢsⱼ of small probabilities are below tolerance, and only the dominant row, column and diagonal are wrong)",
			Build: func(d subjects.Data) properties.Problem {
				return withJacobian(d, func(dst *mat.Dense, x []float64) {
					s := softmaxOf(x)
					fillJac(dst, len(x), func(i, j int) float64 {
						if i == j {
							return s[i]
						}
						return 0
					})
				})
			},
		},
		{
			Name: "softmax/sign", Class: "sign", Subject: subjects.Softmax, Property: "jacobian",
			Want: properties.Sign, Needs: subjects.Needs{MinD: 2},
			Doc: "ssᵀ − diag(s): the Jacobian negated",
			Build: func(d subjects.Data) properties.Problem {
				return withJacobian(d, func(dst *mat.Dense, x []float64) {
					s := softmaxOf(x)
					fillJac(dst, len(x), func(i, j int) float64 {
						v := s[i] * s[j]
						if i == j {
							v -= s[i]
						}
						return v
					})
				})
			},
		},
		{
			Name: "linear/transposed", Class: "shape", Subject: subjects.Linear, Property: "jacobian",
			Want: properties.Shape, Needs: subjects.Needs{NotSquare: true},
			Doc:   "Aᵀ (d×k) where the k×d Jacobian A belongs: rows must be outputs, columns inputs",
			Build: transposed,
		},
		{
			Name: "linear/transposed-square", Class: "shape", Subject: subjects.Linear, Property: "jacobian",
			Want: properties.Transpose, Needs: subjects.Needs{Square: true, MinD: 2},
			Doc:   "Aᵀ where A belongs, with k == d: no shape error, the entries in the wrong places",
			Build: transposed,
		},
		{
			Name: "linear/last-row-unwritten", Class: "off-by-one", Subject: subjects.Linear, Property: "jacobian",
			Want: properties.Shape, Needs: subjects.Needs{MinN: 2},
			Doc: "the loop over outputs stops one short and leaves the last row of dst as it was",
			Build: func(d subjects.Data) properties.Problem {
				return withJacobian(d, func(dst *mat.Dense, x []float64) {
					k, dd := d.A.Dims()
					sized(dst, k, dd)
					for i := 0; i < k-1; i++ {
						for j := 0; j < dd; j++ {
							dst.Set(i, j, d.A.At(i, j))
						}
					}
				})
			},
		},
	}
}
