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
// points is never a pass, and a bug wherever its entries exceed 1e-15:
// below that, less than the grid of ulp(w₀) ≥ 1.8e-15, f moves by at most
// a grain over steps up to 0.1·maxₖ|wₖ| and may hide them (no verdict).
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
				g := []float64{0, 0}
				crossEntropy2Grad(1)(g, w)
				err := properties.CheckGradient(crossEntropy2, crossEntropy2Grad(k), w, nil)
				if err == nil || math.Abs(g[1]) > 1e-15 && !errors.Is(err, properties.Bug) {
					t.Errorf("w = %v, gradient ×%v (entries ±%.3g): %v, want a bug", w, k, g[1], err)
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

// softmaxCE1 is the softmax cross-entropy of one sample x (3 features, 4
// classes, label 2) in the weights w (feature-major), as ML code writes
// it, and softmaxCE1Grad its exact gradient. At the weights of
// TestGridOfIntermediates its value, 1.9e-10, moves by multiples of
// ulp(25) = 3.6e-15, the largest logit's.
var softmaxX = []float64{0.36872543870801844, 0.028212585935110113, 1.4472777924564548}

func softmaxLogits(w []float64) []float64 {
	z := make([]float64, 4)
	for b := range z {
		for a, xa := range softmaxX {
			z[b] += xa * w[a*4+b]
		}
	}
	return z
}

func softmaxCE1(w []float64) float64 {
	z := softmaxLogits(w)
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	s := 0.0
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s) - z[2]
}

func softmaxCE1Grad(g, w []float64) {
	z := softmaxLogits(w)
	m := math.Inf(-1)
	for _, v := range z {
		m = math.Max(m, v)
	}
	p, s := make([]float64, 4), 0.0
	for b, v := range z {
		p[b] = math.Exp(v - m)
		s += p[b]
	}
	for b := range p {
		p[b] /= s
		if b == 2 {
			p[b]--
		}
		for a, xa := range softmaxX {
			g[a*4+b] = p[b] * xa
		}
	}
}

// TestGridSoftmax: the softmax cross-entropy above at weights where its
// value moves by multiples of the largest logit's ulp is no bug; its
// gradient with a sign error, or doubled, is.
func TestGridSoftmax(t *testing.T) {
	w := []float64{6.544848508736616, -3.7957525123233276, 6.486762940078719, 12.777592851809558, -13.150865754994518, -10.71723495284441, -49.633431828047705, -19.935677356795967, -11.579409953779182, -3.7882497282525396, 16.5848606779199, -1.0732114862684954}
	if err := properties.CheckGradient(softmaxCE1, softmaxCE1Grad, w, nil); errors.Is(err, properties.Bug) {
		t.Errorf("correct gradient: %v", err)
	}
	for _, k := range []float64{-1, 2} {
		g := func(d, x []float64) {
			softmaxCE1Grad(d, x)
			for j := range d {
				d[j] *= k
			}
		}
		if err := properties.CheckGradient(softmaxCE1, g, w, nil); !errors.Is(err, properties.Bug) {
			t.Errorf("gradient ×%v: %v, want a bug", k, err)
		}
	}
}
