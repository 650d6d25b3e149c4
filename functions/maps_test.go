package functions

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lossMapCases are the maps and inputs whose Jacobians are checked: unit-scale
// inputs and large ones (both signs, up to 1e3: σ and softmax saturate),
// and Linear maps that are wide, tall and square (where AᵀX has the shape
// of AX, so a transposed Jacobian does not panic).
func lossMapCases() []struct {
	name string
	m    lossMap
	x    []float64
} {
	rng := lossRand(100)
	large := []float64{40, -0.5, 1e3, -3, 17, -200, -1e3, 1.5}
	return []struct {
		name string
		m    lossMap
		x    []float64
	}{
		{"Sigmoid/unit", Sigmoid{}, lossVec(rng, 5, 1)},
		{"Sigmoid/large", Sigmoid{}, large},
		{"Softmax/unit", Softmax{}, lossVec(rng, 5, 1)},
		{"Softmax/large", Softmax{}, []float64{40, 39, -1e3, 20, 3, -200, 0, 41.5}},
		{"Softmax/saturated", Softmax{}, large}, // s = e₂ and J = 0 in float64
		{"Softmax/near-tie", Softmax{}, []float64{40, 40 - 1e-9, -3, 0}},
		{"Linear/3x5", Linear{A: lossDense(rng, 3, 5)}, lossVec(rng, 5, 1)},
		{"Linear/5x3", Linear{A: lossDense(rng, 5, 3)}, lossVec(rng, 3, 1)},
		{"Linear/4x4", Linear{A: lossDense(rng, 4, 4)}, lossVec(rng, 4, 1)},
	}
}

// TestMapsJacobian checks each map's Jacobian against the numerical one
// (JacobianWithError of Apply, Ridders), with the tolerance of lossJacDiff.
func TestMapsJacobian(t *testing.T) {
	for _, tt := range lossMapCases() {
		t.Run(tt.name, func(t *testing.T) {
			var J mat.Dense
			tt.m.Jacobian(&J, tt.x)
			if r, c := J.Dims(); r != tt.m.Outputs(len(tt.x)) || c != len(tt.x) {
				t.Fatalf("%s.Jacobian sized an empty dst to %d×%d, want %d×%d", tt.name, r, c, tt.m.Outputs(len(tt.x)), len(tt.x))
			}
			lossCheck(t, lossJacDiff(tt.name+".Jacobian", tt.m.Apply, &J, tt.x), 100)
		})
	}
}

// TestMapsApply checks the values against direct formulas: σ(x) =
// 1/(1+e^(−x)), softmax(x) = e^x/Σe^x (at moderate x, where both are
// accurate), and Ax by mat.VecDense.MulVec. Each is a few operations with
// relative error ε each (exp within 1 ulp); a sum of d positive terms adds
// d·ε (Higham §4.2). The tolerances are 4× those bounds.
func TestMapsApply(t *testing.T) {
	rng := lossRand(110)
	x := lossVec(rng, 6, 3)
	got := make([]float64, 6)

	Sigmoid{}.Apply(got, x)
	for i, v := range x {
		want := 1 / (1 + math.Exp(-v))
		lossCheck(t, lossCompare(fmt.Sprintf("Sigmoid.Apply[%d]", i), got[i:i+1], []float64{want}, nil, 1, 4*4*eps*want), 110)
	}

	Softmax{}.Apply(got, x)
	var sum float64
	for _, v := range x {
		sum += math.Exp(v)
	}
	for i, v := range x {
		want := math.Exp(v) / sum
		lossCheck(t, lossCompare(fmt.Sprintf("Softmax.Apply[%d]", i), got[i:i+1], []float64{want}, nil, 1, 4*float64(len(x)+4)*eps*want), 110)
	}

	A := lossDense(rng, 4, 6)
	y := make([]float64, 4)
	Linear{A: A}.Apply(y, x)
	var want mat.VecDense
	want.MulVec(A, mat.NewVecDense(6, x))
	var absAx mat.VecDense
	absA, absX := mat.DenseCopyOf(A), mat.NewVecDense(6, nil)
	absA.Apply(func(_, _ int, v float64) float64 { return math.Abs(v) }, absA)
	for i, v := range x {
		absX.SetVec(i, math.Abs(v))
	}
	absAx.MulVec(absA, absX)
	lossCheck(t, lossCompare("Linear.Apply", y, want.RawVector().Data, nil, 1, 4*6*eps*lossMaxAbs(absAx.RawVector().Data)), 110)
}
