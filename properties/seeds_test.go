package properties_test

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
)

// TestSoftmaxLargeWeights: softmax cross-entropy at weights up to 2.3e5
// (FuzzGradient seed abf551601a62a335: n = 3, d = 4, k = 3). Its gradient
// entries, recomputed in 300-bit arithmetic (docs/NUMERICS.md), are
// ±0.58074161541122682 at [1] and [2]; the float64 gradient agrees to
// 3.2e-14, so the check must pass. A numeric value once "refuted" it,
// −0.5807417716 ± 1.8e-10, because f's round-off there is quantized; a
// 1% error in entry [2] must still be reported.
func TestSoftmaxLargeWeights(t *testing.T) {
	X := mat.NewDense(3, 4, []float64{-1.734714736542308, -2.2773132419665165, 1.9022360935302896, -0.9446882037375661, -1.742986883562072, 0.766800476446127, 0.7383673421026871, -1.7446821956094203, -1.5449609015479864, -0.026522369915606886, -0.19457713977732624, 0.013799079384747281})
	Y := mat.NewDense(3, 3, []float64{0, 0, 1, 0, 1, 0, 0, 0, 1})
	l := &functions.SoftmaxCrossEntropy{X: X, Y: Y}
	w := make([]float64, 12)
	for i := range w {
		w[i] = [4]float64{-50, -12.600000000000001, -232473, -174}[i%4]
	}
	g := make([]float64, len(w))
	l.Grad(g, w)
	const exact = 0.58074161541122682 // 300-bit, docs/NUMERICS.md
	if e := math.Abs(g[1]-exact) / exact; e > 1e-13 {
		t.Fatalf("grad[1] = %.17g, exact %.17g: relative error %.2g, want ≤ 1e-13", g[1], exact, e)
	}
	if err := properties.CheckGradient(l.Func, l.Grad, w, nil); err != nil {
		t.Errorf("a correct gradient at large weights: %v", err)
	}
	bad := func(dst, x []float64) {
		l.Grad(dst, x)
		dst[2] *= 1.01
	}
	if err := properties.CheckGradient(l.Func, bad, w, nil); !errors.Is(err, properties.Bug) {
		t.Errorf("entry [2] off by 1%% at large weights: %v, want a bug", err)
	}
}
