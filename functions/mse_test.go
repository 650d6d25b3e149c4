package functions

import (
	"fmt"
	"math"
	"testing"
)

// TestMSE checks MSE's gradient and Hessian against the numerical ones on
// every shape, with and without the L2 term, at unit scale (where the
// Hessian from values is accurate enough to compare) and at |wᵢ| ≤ 100.
func TestMSE(t *testing.T) {
	for si, sh := range lossShapes {
		for _, l2 := range []float64{0, 0.3} {
			for _, scale := range []float64{1, 100} {
				t.Run(fmt.Sprintf("%s/L2=%g/scale=%g", sh.name, l2, scale), func(t *testing.T) {
					seed := uint64(10 + si)
					rng := lossRand(seed)
					X := lossDense(rng, sh.n, sh.d)
					l := &MSE{X: X, Y: lossVec(rng, sh.n, 3), L2: l2}
					w := lossVec(rng, sh.d, scale)
					lossCheckProblem(t, "MSE", l, w, seed, sh.n, 0, scale <= 1)
				})
			}
		}
	}
}

// TestMSEFunc checks the value against a direct evaluation of
// (1/n)Σᵢ(xᵢ·w − yᵢ)² + (λ/2)‖w‖² in plain loops. Both are sums of n
// squares of dot products of length d+1, so each is within about
// (n+d+2)·ε·F of the exact value, with F the same expression in absolute
// values (Higham, Accuracy and Stability of Numerical Algorithms, §3.1);
// they differ by at most twice that.
func TestMSEFunc(t *testing.T) {
	for si, sh := range lossShapes {
		t.Run(sh.name, func(t *testing.T) {
			seed := uint64(20 + si)
			rng := lossRand(seed)
			X := lossDense(rng, sh.n, sh.d)
			l := &MSE{X: X, Y: lossVec(rng, sh.n, 3), L2: 0.7}
			w := lossVec(rng, sh.d, 2)
			var want, abs float64
			for i := range sh.n {
				r, ra := -l.Y[i], math.Abs(l.Y[i])
				for j := range sh.d {
					r += X.At(i, j) * w[j]
					ra += math.Abs(X.At(i, j) * w[j])
				}
				want += r * r
				abs += ra * ra
			}
			want /= float64(sh.n)
			abs /= float64(sh.n)
			for _, v := range w {
				want += l.L2 / 2 * v * v
				abs += l.L2 / 2 * v * v
			}
			tol := 2 * float64(sh.n+sh.d+2) * eps * abs
			lossCheck(t, lossCompare("MSE.Func", []float64{l.Func(w)}, []float64{want}, nil, 1, tol), seed)
		})
	}
}
