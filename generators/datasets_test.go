package generators

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// TestClassificationLogitsMatch checks ClassificationDataOf's projection:
// with every drawn logit equal to z, each recomputed x_i·w is z within
// logitTol (argued there). z = 0, which no logit generator draws, is left
// out: a row that collapses onto w then keeps a residue of order ε² of its
// drawn scale, tiny but larger than a tolerance relative to itself.
func TestClassificationLogitsMatch(t *testing.T) {
	for _, z := range []float64{1e-3, 3, -saturationLogit, overflowLogit} {
		t.Run(fmt.Sprint(z), func(t *testing.T) {
			worst := 0.0
			for seed, ds := range examples(ClassificationDataOf(Shape(), rapid.Just(z)), 300) {
				_, d := ds.X.Dims()
				for i := range len(ds.Y) {
					got, scale := dot(ds.X.RawRowView(i), ds.W)
					tol := logitTol(d, scale)
					worst = max(worst, math.Abs(got-z)/tol)
					if math.Abs(got-z) > tol {
						t.Errorf("seed %d: (Xw)_%d = %v, want %v (|Δ| = %.3g, tol = %.3g)", seed, i, got, z, math.Abs(got-z), tol)
					}
				}
			}
			t.Logf("worst |Δz| = %.3f·tol", worst)
		})
	}
}

func TestMulticlassShapes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ds := MulticlassData().Draw(t, "data")
		n, d := ds.X.Dims()
		yn, k := ds.Y.Dims()
		if yn != n || k < 2 || k > 5 || len(ds.W) != d*k {
			t.Fatalf("X %d×%d, Y %d×%d, len(W) = %d: want Y n×k with k in 2…5, len(W) = d·k", n, d, yn, k, len(ds.W))
		}
		// Row-major W: Z = X·W with W_ij = W[i*k+j].
		w := mat.NewDense(d, k, ds.W)
		var z mat.Dense
		z.Mul(ds.X, w)
		for i := range n {
			for j := range k {
				want := 0.0
				for l := range d {
					want += ds.X.At(i, l) * ds.W[l*k+j]
				}
				if got := z.At(i, j); math.Abs(got-want) > 1e-12*max(1, math.Abs(want)) {
					t.Fatalf("Z_%d%d = %v, want %v", i, j, got, want)
				}
			}
		}
	})
}

func TestDatasetGoString(t *testing.T) {
	x := mat.NewDense(2, 1, []float64{1, 2.5})
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"Regression", Regression{X: x, Y: []float64{0.5, -1}, W: []float64{3}},
			"generators.Regression{X: mat.NewDense(2, 1, []float64{1, 2.5}), Y: []float64{0.5, -1}, W: []float64{3}}"},
		{"Classification", Classification{X: x, Y: []float64{0, 1}, W: []float64{1e-300}},
			"generators.Classification{X: mat.NewDense(2, 1, []float64{1, 2.5}), Y: []float64{0, 1}, W: []float64{1e-300}}"},
		{"Multiclass", Multiclass{X: x, Y: mat.NewDense(2, 2, []float64{1, 0, 0, 1}), W: []float64{1, 2}},
			"generators.Multiclass{X: mat.NewDense(2, 1, []float64{1, 2.5}), Y: mat.NewDense(2, 2, []float64{1, 0, 0, 1}), W: []float64{1, 2}}"},
		{"zero value", Regression{},
			"generators.Regression{X: nil, Y: []float64(nil), W: []float64(nil)}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprintf("%#v", tt.v); got != tt.want {
				t.Errorf("%%#v =\n\t%s\nwant\n\t%s", got, tt.want)
			}
		})
	}
}
