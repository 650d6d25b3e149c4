package properties_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// crossEntropy2 is the cross-entropy of softmax(w) for label 0, written
// as ML code writes it: max + log Σ exp(w − max) − w₀. At logits near 10
// its value, 9.4e-14 at w = [10, −20], lies on the grid of their ulps
// (1.8e-15), and f is flat at every step below 1e-2.
func crossEntropy2(w []float64) float64 {
	m := math.Max(w[0], w[1])
	return m + math.Log(math.Exp(w[0]-m)+math.Exp(w[1]-m)) - w[0]
}

// crossEntropy2Grad is its exact gradient (−p₁, p₁) times k.
func crossEntropy2Grad(k float64) func(g, w []float64) {
	return func(g, w []float64) {
		m := math.Max(w[0], w[1])
		e0, e1 := math.Exp(w[0]-m), math.Exp(w[1]-m)
		p1 := e1 / (e0 + e1)
		g[0], g[1] = -k*p1, k*p1
	}
}

// TestGridOfIntermediates: a correct gradient whose f is the small
// difference of large intermediates is no bug where f moves at the
// ladder's steps only by multiples of their grid (moveGrain): no verdict,
// or a pass. A wrong gradient (a sign, a factor 2 or 1/2) at the same 25
// points is a bug at every one of them.
func TestGridOfIntermediates(t *testing.T) {
	for _, w := range [][]float64{{10, -20}, {20, -10}, {25, -5}, {30, 0}, {30, 3}} {
		if err := properties.CheckGradient(crossEntropy2, crossEntropy2Grad(1), w, nil); errors.Is(err, properties.Bug) {
			t.Errorf("w = %v, correct gradient: %v", w, err)
		}
	}
	for _, k := range []float64{-1, 2, 0.5} {
		for _, w0 := range []float64{10, 15, 20, 25, 30} {
			for _, w1 := range []float64{-20, -10, -5, 0, 3} {
				w := []float64{w0, w1}
				if err := properties.CheckGradient(crossEntropy2, crossEntropy2Grad(k), w, nil); !errors.Is(err, properties.Bug) {
					t.Errorf("w = %v, gradient ×%v: %v, want a bug", w, k, err)
				}
			}
		}
	}
}

// logisticGrad2 is the gradient of the mean logistic loss of the samples
// x = 1 (label 1) and x = −1.6 (label 0), written p − y, and logisticHess2
// its Hessian p(1 − p)x² averaged, times k. At w = 30, p − 1 = −9.4e-14
// lies on the grid of ulp(1) beside a term of 1e-21 that carries all its
// bits, and the Hessian's true value is 4.6788e-14.
func logisticGrad2(dst, w []float64) {
	p1, p2 := 1/(1+math.Exp(-w[0])), 1/(1+math.Exp(1.6*w[0]))
	dst[0] = ((p1-1)*1 + p2*-1.6) / 2
}

func logisticHess2(k float64) func(dst *mat.SymDense, w []float64) {
	return func(dst *mat.SymDense, w []float64) {
		p1, p2 := 1/(1+math.Exp(-w[0])), 1/(1+math.Exp(1.6*w[0]))
		dst.SetSym(0, 0, k*(p1*(1-p1)+p2*(1-p2)*1.6*1.6)/2)
	}
}

// TestGridBesideSmooth: the Hessian above is no bug at w = 30, where grad
// moves only by multiples of ulp(1)/2 beyond what its smooth part explains
// (residualGrain), and a wrong one (a sign, a factor 2 or 1/2) is a bug
// where the numbers allow it, at w = 20 and 24.
func TestGridBesideSmooth(t *testing.T) {
	if err := properties.CheckHessian(logisticGrad2, logisticHess2(1), []float64{30}, nil); errors.Is(err, properties.Bug) {
		t.Errorf("w = 30, correct Hessian: %v", err)
	}
	for _, w := range []float64{20, 24} {
		for _, k := range []float64{-1, 2, 0.5} {
			if err := properties.CheckHessian(logisticGrad2, logisticHess2(k), []float64{w}, nil); !errors.Is(err, properties.Bug) {
				t.Errorf("w = %v, Hessian ×%v: %v, want a bug", w, k, err)
			}
		}
	}
}
