package functions

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestLogistic checks Logistic's gradient and Hessian against the numerical
// ones on every shape, with and without the L2 term, at unit scale and with
// large logits (lossLargeLogits: up to 1e3, past the clipping threshold and the
// rounding of σ to 1). At large logits the Hessian is checked as the
// Jacobian of the gradient only: a Hessian from values would need f to
// resolve changes e^(−40) times smaller than itself.
func TestLogistic(t *testing.T) {
	for si, sh := range lossShapes {
		for _, l2 := range []float64{0, 0.3} {
			for _, large := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/L2=%g/large=%t", sh.name, l2, large), func(t *testing.T) {
					seed := uint64(30 + si)
					rng := lossRand(seed)
					X := lossDense(rng, sh.n, sh.d)
					w := lossVec(rng, sh.d, 1)
					if large {
						lossStretchRows(X, w, 1)
					}
					l := &Logistic{X: X, Y: lossLabels(rng, sh.n), L2: l2}
					lossCheckProblem(t, "Logistic", l, w, seed, sh.n, math.Pow(lossMaxAbsMatrix(X), 2), !large)
				})
			}
		}
	}
}

// TestLogisticFunc checks the value against the lab's formula
// −(1/n)Σ[y log p + (1−y) log(1−p)] evaluated directly at moderate logits
// (|z| < 5, where the direct form is accurate: log(1−p) loses at most
// log₂(1/(1−σ(5))) ≈ 7 bits). Each value is within about 2^7·(d+4)·ε
// relative of the exact one (the logit's dot product, exp, the logs); the
// tolerance is twice that.
func TestLogisticFunc(t *testing.T) {
	for si, sh := range lossShapes {
		t.Run(sh.name, func(t *testing.T) {
			seed := uint64(40 + si)
			rng := lossRand(seed)
			X := lossDense(rng, sh.n, sh.d)
			l := &Logistic{X: X, Y: lossLabels(rng, sh.n), L2: 0.7}
			w := lossVec(rng, sh.d, 1)
			var want float64
			for i := range sh.n {
				z := 0.0
				for j := range sh.d {
					z += X.At(i, j) * w[j]
				}
				if math.Abs(z) >= 5 {
					t.Fatalf("logit %g: the test wants |z| < 5", z)
				}
				p := 1 / (1 + math.Exp(-z))
				want -= l.Y[i]*math.Log(p) + (1-l.Y[i])*math.Log(1-p)
			}
			want /= float64(sh.n)
			for _, v := range w {
				want += l.L2 / 2 * v * v
			}
			tol := 2 * 128 * float64(sh.d+4) * eps * want
			lossCheck(t, lossCompare("Logistic.Func", []float64{l.Func(w)}, []float64{want}, nil, 1, tol), seed)
		})
	}
}

// TestLogisticExtremeLogits pins the stable forms on one sample (X = [1], so
// the logit is w and the gradient is the per-sample residual σ(z) − y):
// the value is finite and exact where the naive log(1 − p) is −Inf, and the
// residual keeps full relative precision where p is within 1e-16 of 0 or 1,
// instead of rounding to 0 (docs/NUMERICS.md). The references are
// closed forms in the same operations, so 1e-15 (a few ulps) is the bound.
func TestLogisticExtremeLogits(t *testing.T) {
	e40 := math.Exp(-40)
	tests := []struct {
		name       string
		z, y       float64
		value, res float64 // expected loss and residual σ(z) − y
	}{
		{"y=0,z=40", 40, 0, 40 + math.Log1p(e40), 1 / (1 + e40)},
		{"y=1,z=40", 40, 1, math.Log1p(e40), -e40 / (1 + e40)},
		{"y=0,z=-40", -40, 0, math.Log1p(e40), e40 / (1 + e40)},
		{"y=1,z=-40", -40, 1, 40 + math.Log1p(e40), -1 / (1 + e40)},
		{"y=1,z=-20", -20, 1, 20 + math.Log1p(math.Exp(-20)), -1 / (1 + math.Exp(-20))},
		{"y=0,z=1e3", 1e3, 0, 1e3, 1},
		{"y=1,z=1e3", 1e3, 1, 0, 0}, // e^(−1000) underflows to 0: exact in float64
		{"y=1,z=-1e3", -1e3, 1, 1e3, -1},
		{"y=0,z=-1e3", -1e3, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Logistic{X: mat.NewDense(1, 1, []float64{1}), Y: []float64{tt.y}}
			w := []float64{tt.z}
			f := l.Func(w)
			g := make([]float64, 1)
			l.Grad(g, w)
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"Func", f, tt.value}, {"Grad", g[0], tt.res}} {
				if math.IsNaN(c.got) || math.IsInf(c.got, 0) || math.Abs(c.got-c.want) > 1e-15*math.Abs(c.want) {
					t.Errorf("Logistic.%s at z = %g, y = %g = %.17g, want %.17g (|Δ|=%.3g, tol=1e-15 relative)",
						c.what, tt.z, tt.y, c.got, c.want, math.Abs(c.got-c.want))
				}
			}
		})
	}
}

// clippedLogistic is the lab's "clip p" implementation, kept as a known-bad
// example: Func clips p to [1e-7, 1 − 1e-7], Grad is the textbook
// (1/n)Xᵀ(p − y). Beyond |z| ≈ 16.1 Func is flat, so its true gradient is 0
// there while the per-sample residual is ±1.
type clippedLogistic struct{ Logistic }

func (l *clippedLogistic) Func(w []float64) float64 {
	n, _ := l.X.Dims()
	var z mat.VecDense
	z.MulVec(l.X, mat.NewVecDense(len(w), w))
	var f float64
	for i := range n {
		p := math.Min(math.Max(1/(1+math.Exp(-z.AtVec(i))), 1e-7), 1-1e-7)
		f -= l.Y[i]*math.Log(p) + (1-l.Y[i])*math.Log(1-p)
	}
	return f / float64(n)
}

// TestLogisticClippingIsDetected shows that the gradient check of these
// tests sees the clipping bug (NUMERICS.md: "clipping is a bug that tests
// must be able to see"), and that Logistic, on the same data, passes.
func TestLogisticClippingIsDetected(t *testing.T) {
	rng := lossRand(50)
	X := lossDense(rng, 6, 3)
	w := lossVec(rng, 3, 1)
	lossStretchRows(X, w, 1) // logits 40, 0.5, 1e3, 3, 17, 200: four beyond the clip
	Y := lossLabels(rng, 6)
	good := &Logistic{X: X, Y: Y}
	bad := &clippedLogistic{Logistic{X: X, Y: Y}}
	lossCheck(t, lossGradDiff("Logistic.Grad", good.Func, good.Grad, w), 50)
	r := lossGradDiff("clipped Grad", bad.Func, bad.Grad, w)
	if r.ratio <= 1 {
		t.Errorf("the gradient check passed the clipped logistic loss: %v", r)
	}
	t.Logf("clipped logistic, as reported: %v", r)
}
