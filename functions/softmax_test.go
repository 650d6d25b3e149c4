package functions

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lossTargets returns n rows over k classes: one-hot, or probability rows
// (normalized uniform weights, summing to 1 within rounding).
func lossTargets(rng *rand.Rand, n, k int, oneHot bool) *mat.Dense {
	Y := mat.NewDense(n, k, nil)
	for i := range n {
		if oneHot {
			Y.Set(i, rng.IntN(k), 1)
			continue
		}
		row := Y.RawRowView(i)
		var s float64
		for j := range row {
			row[j] = rng.Float64()
			s += row[j]
		}
		for j := range row {
			row[j] /= s
		}
	}
	return Y
}

// TestSoftmaxCrossEntropy checks the gradient and Hessian against the
// numerical ones on every shape, with k = 2 and k = 3 classes (k = d on one
// shape, where a W stored transposed has the right length), one-hot and
// probability targets, with and without L2, at unit scale and with large
// logits (lossLargeLogits, the largest logit of each sample). As for Logistic,
// at large logits the Hessian is checked as the Jacobian of the gradient.
func TestSoftmaxCrossEntropy(t *testing.T) {
	for si, sh := range lossShapes {
		for _, k := range []int{2, 3} {
			for _, oneHot := range []bool{true, false} {
				for _, l2 := range []float64{0, 0.3} {
					for _, large := range []bool{false, true} {
						name := fmt.Sprintf("%s/k=%d/onehot=%t/L2=%g/large=%t", sh.name, k, oneHot, l2, large)
						t.Run(name, func(t *testing.T) {
							seed := uint64(60 + si)
							rng := lossRand(seed)
							X := lossDense(rng, sh.n, sh.d)
							w := lossVec(rng, sh.d*k, 1)
							if large {
								lossStretchRows(X, w, k)
							}
							l := &SoftmaxCrossEntropy{X: X, Y: lossTargets(rng, sh.n, k, oneHot), L2: l2}
							lossCheckProblem(t, "SoftmaxCrossEntropy", l, w, seed, sh.n, math.Pow(lossMaxAbsMatrix(X), 2), !large)
						})
					}
				}
			}
		}
	}
}

// naiveSoftmaxCE returns f and ∇f (d×k) of the documented formulas with
// W = mat.NewDense(d, k, w), computed directly with gonum's mat: the
// reference for the value and for the flattening order.
func naiveSoftmaxCE(X, Y *mat.Dense, w []float64, l2 float64) (float64, *mat.Dense) {
	n, d := X.Dims()
	_, k := Y.Dims()
	W := mat.NewDense(d, k, w)
	var Z mat.Dense
	Z.Mul(X, W)
	S := mat.NewDense(n, k, nil)
	var f float64
	for i := range n {
		var sum float64
		for j := range k {
			sum += math.Exp(Z.At(i, j))
		}
		for j := range k {
			S.Set(i, j, math.Exp(Z.At(i, j))/sum)
			f -= Y.At(i, j) * math.Log(S.At(i, j))
		}
	}
	f /= float64(n)
	var R, G mat.Dense
	R.Sub(S, Y)
	G.Mul(X.T(), &R)
	G.Scale(1/float64(n), &G)
	G.Add(&G, lossScaled(l2, W))
	for _, v := range w {
		f += l2 / 2 * v * v
	}
	return f, &G
}

// lossScaled returns a·m.
func lossScaled(a float64, m mat.Matrix) *mat.Dense {
	var s mat.Dense
	s.Scale(a, m)
	return &s
}

// TestSoftmaxCrossEntropyFormula checks the value and the gradient against
// naiveSoftmaxCE, the documented formulas with W = mat.NewDense(d, k, w), at
// moderate logits (|z| < 5, where the direct log-sum-exp is accurate). This
// pins the flattening order w[a*k+b] = W[a][b], which the numerical checks
// cannot see (any fixed order is self-consistent). Both sides are within
// about (d+k+4)·ε relative of the exact values, scaled by the magnitudes of
// the terms (Higham §3.1); the tolerance is 4× that with the terms bounded
// by 5+log k per sample.
func TestSoftmaxCrossEntropyFormula(t *testing.T) {
	for si, sh := range lossShapes {
		t.Run(sh.name, func(t *testing.T) {
			seed := uint64(70 + si)
			rng := lossRand(seed)
			k := 3
			X := lossDense(rng, sh.n, sh.d)
			Y := lossTargets(rng, sh.n, k, false)
			l := &SoftmaxCrossEntropy{X: X, Y: Y, L2: 0.7}
			w := lossVec(rng, sh.d*k, 0.5)
			f, G := naiveSoftmaxCE(X, Y, w, l.L2)
			tol := 4 * float64(sh.d+k+4) * eps * (5 + math.Log(float64(k)) + l.L2*sqNorm(w))
			lossCheck(t, lossCompare("SoftmaxCrossEntropy.Func", []float64{l.Func(w)}, []float64{f}, nil, 1, tol), seed)
			g := make([]float64, len(w))
			l.Grad(g, w)
			lossCheck(t, lossCompare("SoftmaxCrossEntropy.Grad", g, G.RawMatrix().Data, nil, k, tol*lossMaxAbsMatrix(X)), seed)
		})
	}
}

// TestSoftmaxCrossEntropyConfident pins the stable forms on one sample with
// one feature (X = [1], so the logits are w and the gradient is the
// residual s − y): with logits (40, 0, −5) and the class of logit 40 as
// target, s₀ rounds to 1 but s₀ − 1 = −t/(1+t), t = e^(−40) + e^(−45), must
// keep full precision; the value is log1p(t) ≈ t, not 0; and at logits up to
// 1e3 nothing overflows. References are closed forms in the same
// operations: 1e-15 relative.
func TestSoftmaxCrossEntropyConfident(t *testing.T) {
	type confident struct {
		name  string
		w, y  []float64
		value float64   // Func
		grad  []float64 // Grad: the residual s − y
	}
	e40, e45 := math.Exp(-40), math.Exp(-45)
	t40 := e40 + e45
	tests := []confident{
		{"right,40", []float64{40, 0, -5}, []float64{1, 0, 0}, math.Log1p(t40), []float64{-t40 / (1 + t40), e40 / (1 + t40), e45 / (1 + t40)}},
		{"wrong,40", []float64{40, 0, -5}, []float64{0, 1, 0}, 40 + math.Log1p(t40), []float64{1 / (1 + t40), e40/(1+t40) - 1, e45 / (1 + t40)}},
		{"wrong,1e3", []float64{1e3, -1e3, 0}, []float64{0, 1, 0}, 2e3, []float64{1, -1, 0}},
		{"right,1e3", []float64{1e3, -1e3, 0}, []float64{1, 0, 0}, 0, []float64{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &SoftmaxCrossEntropy{X: mat.NewDense(1, 1, []float64{1}), Y: mat.NewDense(1, 3, tt.y)}
			f := l.Func(tt.w)
			g := make([]float64, 3)
			l.Grad(g, tt.w)
			for i, c := range append([]float64{f}, g...) {
				want := append([]float64{tt.value}, tt.grad...)[i]
				if math.IsNaN(c) || math.Abs(c-want) > 1e-15*math.Abs(want) {
					t.Errorf("SoftmaxCrossEntropy at w = %v, y = %v: result %d (0 is Func, then Grad) = %.17g, want %.17g (tol=1e-15 relative)", tt.w, tt.y, i, c, want)
				}
			}
		})
	}
}

// TestSoftmaxCrossEntropyRowSums checks that Grad and Hess are the exact
// derivatives of Func also for target rows that do not sum to 1 (weights,
// or Validate not called), as the doc promises.
func TestSoftmaxCrossEntropyRowSums(t *testing.T) {
	rng := lossRand(80)
	X := lossDense(rng, 5, 3)
	Y := lossTargets(rng, 5, 3, false)
	Y.Scale(1.7, Y)
	Y.Set(2, 1, Y.At(2, 1)+0.4)
	l := &SoftmaxCrossEntropy{X: X, Y: Y}
	lossCheckProblem(t, "SoftmaxCrossEntropy", l, lossVec(rng, 9, 1), 80, 5, math.Pow(lossMaxAbsMatrix(X), 2), true)
}
