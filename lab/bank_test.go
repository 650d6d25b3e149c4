package lab_test

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/internal/calculus"
	"github.com/gradcheck/gradcheck/lab"
)

// The bank of typical wrong answers: the lab's gotchas (most gradient bugs
// are shape bugs or missing constants) and the numerical ones (a forward
// difference, a clipped p, an overflowing exp). Each must fail its task
// with a hint that names the bug.
type wrong struct {
	name  string
	task  int // the task it breaks, 1 to 5
	set   func(*lab.Tasks)
	hints []string // substrings of the hint, any of which names the bug
}

var bank = []wrong{
	// Task 1.1.
	{"forward difference", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			g, x, f0 := make([]float64, len(w)), slices.Clone(w), f(w)
			for i := range x {
				x[i] += eps
				g[i] = (f(x) - f0) / eps
				x[i] = w[i]
			}
			return g
		}
	}, []string{"forward difference"}},
	{"divide by eps", 1, func(t *lab.Tasks) {
		t.NumericalGradient = scaled(calculus.NumericalGradient, 2)
	}, []string{"divide by eps instead of 2·eps"}},
	{"reversed difference", 1, func(t *lab.Tasks) {
		t.NumericalGradient = scaled(calculus.NumericalGradient, -1)
	}, []string{"reversed"}},
	{"w moved and not put back", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			g := make([]float64, len(w))
			for i := range w {
				w[i] += eps
				fp := f(w)
				w[i] -= 2 * eps
				g[i] = (fp - f(w)) / (2 * eps)
			}
			return g
		}
	}, []string{"changed its input"}},
	{"a copy of w probed and not restored", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			g, x := make([]float64, len(w)), slices.Clone(w)
			for i := range x {
				x[i] += eps
				fp := f(x)
				x[i] -= 2 * eps
				g[i] = (fp - f(x)) / (2 * eps)
				// x[i] = w[i] forgotten: x[i] stays at w[i] − eps
			}
			return g
		}
	}, []string{"did not put the coordinate back"}},
	{"every coordinate at once", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			p, m := slices.Clone(w), slices.Clone(w)
			for i := range w {
				p[i] += eps
				m[i] -= eps
			}
			g := make([]float64, len(w))
			for i := range g {
				g[i] = (f(p) - f(m)) / (2 * eps)
			}
			return g
		}
	}, []string{"every coordinate at once"}},
	{"loop one too far", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			g := calculus.NumericalGradient(f, w, eps)
			for i := 0; i <= len(w); i++ {
				g[i] += 0
			}
			return g
		}
	}, []string{"index out of range"}},
	{"a gradient too short", 1, func(t *lab.Tasks) {
		t.NumericalGradient = func(f func([]float64) float64, w []float64, eps float64) []float64 {
			return calculus.NumericalGradient(f, w, eps)[:len(w)-1]
		}
	}, []string{"one entry per coordinate"}},

	// Task 2.1.
	{"the 2 of the square dropped", 2, func(t *lab.Tasks) {
		t.MSEGrad = scaledData(calculus.MSEGrad, func(n int) float64 { return 0.5 })
	}, []string{"your gradient is 0.5× the numerical one at every entry: did you drop the 2 of the square?"}},
	{"the 1/n of the mean forgotten", 2, func(t *lab.Tasks) {
		t.MSEGrad = scaledData(calculus.MSEGrad, func(n int) float64 { return float64(n) })
	}, []string{"forget the 1/n of the mean"}},
	{"residual y − Xw", 2, func(t *lab.Tasks) {
		t.MSEGrad = scaledData(calculus.MSEGrad, func(n int) float64 { return -1 })
	}, []string{"y − Xw"}},
	{"divided by d", 2, func(t *lab.Tasks) {
		t.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, d := X.Dims()
			g := calculus.MSEGrad(X, y, w)
			for i := range g {
				g[i] *= float64(n) / float64(d)
			}
			return g
		}
	}, []string{"divide by d"}},
	{"X where Xᵀ belongs", 2, func(t *lab.Tasks) {
		t.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, d := X.Dims()
			r := mat.NewVecDense(n, nil)
			r.MulVec(X, mat.NewVecDense(d, w))
			r.SubVec(r, mat.NewVecDense(n, y))
			g := mat.NewVecDense(n, nil)
			g.MulVec(X, r) // panics unless n = d, then silently wrong
			g.ScaleVec(2/float64(n), g)
			return g.RawVector().Data
		}
	}, []string{"X where Xᵀ belongs"}},
	{"per-sample gradient", 2, func(t *lab.Tasks) {
		t.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			r := logitsOf(X, w)
			for i := range r {
				r[i] = 2 * (r[i] - y[i]) / float64(len(y))
			}
			return r // one value per sample: Xᵀ never applied
		}
	}, []string{"one value per sample"}},
	{"y forgotten", 2, func(t *lab.Tasks) {
		t.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			return calculus.MSEGrad(X, make([]float64, len(y)), w)
		}
	}, []string{"y is missing"}},

	// Task 3.1.
	{"naive logs", 3, func(t *lab.Tasks) {
		t.BCELoss = func(X *mat.Dense, y, w []float64) float64 {
			n, _ := X.Dims()
			z, loss := logitsOf(X, w), 0.0
			for i := range n {
				p := 1 / (1 + math.Exp(-z[i]))
				loss -= y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
			}
			return loss / float64(n)
		}
	}, []string{"log1p(exp(−|z|))"}},
	{"clipped p", 3, func(t *lab.Tasks) {
		clip := func(p float64) float64 { return math.Min(math.Max(p, 1e-7), 1-1e-7) }
		t.BCELoss = func(X *mat.Dense, y, w []float64) float64 {
			n, _ := X.Dims()
			z, loss := logitsOf(X, w), 0.0
			for i := range n {
				p := clip(sigmoid(z[i]))
				loss -= y[i]*math.Log(p) + (1-y[i])*math.Log(1-p)
			}
			return loss / float64(n)
		}
		t.BCEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, _ := X.Dims()
			r := logitsOf(X, w)
			for i := range r {
				r[i] = clip(sigmoid(r[i])) - y[i]
			}
			return xtv(X, r, 1/float64(n))
		}
	}, []string{"wrong only for |z| > 16: are you clipping p?"}},
	{"σ forgotten", 3, func(t *lab.Tasks) {
		t.BCEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, _ := X.Dims()
			r := logitsOf(X, w)
			for i := range r {
				r[i] -= y[i]
			}
			return xtv(X, r, 1/float64(n))
		}
	}, []string{"forget σ"}},
	{"y − p", 3, func(t *lab.Tasks) {
		t.BCEGrad = scaledData(calculus.BCEGrad, func(int) float64 { return -1 })
	}, []string{"y − p"}},
	{"the 1/n forgotten", 3, func(t *lab.Tasks) {
		t.BCEGrad = scaledData(calculus.BCEGrad, func(n int) float64 { return float64(n) })
	}, []string{"forget the 1/n"}},
	{"per-sample BCE gradient", 3, func(t *lab.Tasks) {
		t.BCEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			r := logitsOf(X, w)
			for i := range r {
				r[i] = (sigmoid(r[i]) - y[i]) / float64(len(y))
			}
			return r
		}
	}, []string{"one value per sample"}},
	{"σ′ multiplied in", 3, func(t *lab.Tasks) {
		t.BCEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, _ := X.Dims()
			r := logitsOf(X, w)
			for i := range r {
				p := sigmoid(r[i])
				r[i] = (p - y[i]) * p * (1 - p)
			}
			return xtv(X, r, 1/float64(n))
		}
	}, []string{"σ′"}},
	{"σ that overflows", 3, func(t *lab.Tasks) {
		t.BCEGrad = func(X *mat.Dense, y, w []float64) []float64 {
			n, _ := X.Dims()
			r := logitsOf(X, w)
			for i := range r {
				r[i] = math.Exp(r[i])/(1+math.Exp(r[i])) - y[i]
			}
			return xtv(X, r, 1/float64(n))
		}
	}, []string{"overflows"}},

	// Task 4.1.
	{"the identity", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			H := mat.NewDense(len(w), len(w), nil)
			for i := range w {
				H.Set(i, i, 1)
			}
			return H
		}
	}, []string{"2I"}},
	{"divided by eps", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			H := calculus.NumericalHessian(grad, w, eps)
			H.Scale(2, H)
			return H
		}
	}, []string{"instead of 2·eps"}},
	{"2I whatever grad is", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			H := mat.NewDense(len(w), len(w), nil)
			for i := range w {
				H.Set(i, i, 2)
			}
			return H
		}
	}, []string{"whatever grad is"}},
	{"the diagonal only", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			H := calculus.NumericalHessian(grad, w, eps)
			for i := range w {
				for j := range w {
					if i != j {
						H.Set(i, j, 0)
					}
				}
			}
			return H
		}
	}, []string{"only the diagonal"}},
	{"forward difference", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			d := len(w)
			H, g0, x := mat.NewDense(d, d, nil), grad(w), slices.Clone(w)
			for j := range d {
				x[j] += eps
				g := grad(x)
				x[j] = w[j]
				for i := range d {
					H.Set(i, j, (g[i]-g0[i])/eps)
				}
			}
			return H
		}
	}, []string{"forward difference"}},
	{"a column, not a matrix", 4, func(t *lab.Tasks) {
		t.NumericalHessian = func(grad func([]float64) []float64, w []float64, eps float64) *mat.Dense {
			return mat.NewDense(len(w), 1, grad(w))
		}
	}, []string{"d×d"}},

	// Task 5.1.
	{"transposed", 5, func(t *lab.Tasks) {
		t.SoftmaxJacobian = func(A *mat.Dense, x []float64) *mat.Dense {
			return mat.DenseCopyOf(calculus.SoftmaxJacobian(A, x).T())
		}
	}, []string{"rows are outputs", "Rows are outputs"}},
	{"softmax alone", 5, func(t *lab.Tasks) {
		t.SoftmaxJacobian = func(A *mat.Dense, x []float64) *mat.Dense {
			s := softmaxOf(logitsOf(A, x))
			k := len(s)
			J := mat.NewDense(k, k, nil)
			for i := range k {
				for j := range k {
					J.Set(i, j, -s[i]*s[j])
				}
				J.Set(i, i, s[i]-s[i]*s[i])
			}
			return J
		}
	}, []string{"softmax alone"}},
	{"+ssᵀ", 5, func(t *lab.Tasks) {
		t.SoftmaxJacobian = softmaxVariant(func(s []float64, i, j int) float64 {
			if i == j {
				return s[i] + s[i]*s[i]
			}
			return s[i] * s[j]
		})
	}, []string{"sign of ssᵀ"}},
	{"diagonal of softmax's Jacobian only", 5, func(t *lab.Tasks) {
		t.SoftmaxJacobian = softmaxVariant(func(s []float64, i, j int) float64 {
			if i == j {
				return s[i] * (1 - s[i])
			}
			return 0
		})
	}, []string{"only the diagonal"}},
	{"exp without the maximum", 5, func(t *lab.Tasks) {
		t.SoftmaxJacobian = func(A *mat.Dense, x []float64) *mat.Dense {
			z := logitsOf(A, x)
			sum := 0.0
			for _, v := range z {
				sum += math.Exp(v)
			}
			for i := range z {
				z[i] = math.Exp(z[i]) / sum
			}
			return softmaxVariantAt(A, z)
		}
	}, []string{"subtract max(z)"}},
}

// scaled returns a NumericalGradient c times the reference.
func scaled(g func(func([]float64) float64, []float64, float64) []float64, c float64) func(func([]float64) float64, []float64, float64) []float64 {
	return func(f func([]float64) float64, w []float64, eps float64) []float64 {
		out := g(f, w, eps)
		for i := range out {
			out[i] *= c
		}
		return out
	}
}

// scaledData returns a gradient on data c(n) times the reference.
func scaledData(g func(*mat.Dense, []float64, []float64) []float64, c func(n int) float64) func(*mat.Dense, []float64, []float64) []float64 {
	return func(X *mat.Dense, y, w []float64) []float64 {
		n, _ := X.Dims()
		out := g(X, y, w)
		for i := range out {
			out[i] *= c(n)
		}
		return out
	}
}

func logitsOf(X *mat.Dense, w []float64) []float64 {
	n, d := X.Dims()
	z := mat.NewVecDense(n, nil)
	z.MulVec(X, mat.NewVecDense(d, w))
	return z.RawVector().Data
}

// xtv returns alpha·Xᵀv.
func xtv(X *mat.Dense, v []float64, alpha float64) []float64 {
	_, d := X.Dims()
	g := mat.NewVecDense(d, nil)
	g.MulVec(X.T(), mat.NewVecDense(len(v), v))
	g.ScaleVec(alpha, g)
	return g.RawVector().Data
}

// softmaxVariant returns a SoftmaxJacobian whose ∂s/∂z has entries e(s, i, j).
func softmaxVariant(e func(s []float64, i, j int) float64) func(*mat.Dense, []float64) *mat.Dense {
	return func(A *mat.Dense, x []float64) *mat.Dense {
		return throughSoftmax(A, softmaxOf(logitsOf(A, x)), e)
	}
}

// softmaxVariantAt returns (diag(s) − ssᵀ)A for the given s.
func softmaxVariantAt(A *mat.Dense, s []float64) *mat.Dense {
	return throughSoftmax(A, s, func(s []float64, i, j int) float64 {
		if i == j {
			return s[i] - s[i]*s[i]
		}
		return -s[i] * s[j]
	})
}

// throughSoftmax returns D·A, where D (k×k) has entries e(s, i, j): the
// chain rule through softmax with ∂s/∂z written as D.
func throughSoftmax(A *mat.Dense, s []float64, e func(s []float64, i, j int) float64) *mat.Dense {
	k, d := A.Dims()
	ds := mat.NewDense(k, k, nil)
	for i := range k {
		for j := range k {
			ds.Set(i, j, e(s, i, j))
		}
	}
	J := mat.NewDense(k, d, nil)
	J.Mul(ds, A)
	return J
}

// softmaxOf returns softmax(z), computed as package functions does.
func softmaxOf(z []float64) []float64 {
	s := make([]float64, len(z))
	functions.Softmax{}.Apply(s, z)
	return s
}

// sigmoid returns σ(z) = 1/(1 + e^(−z)), stable for either sign of z.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
