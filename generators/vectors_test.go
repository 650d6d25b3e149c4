package generators

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

func TestVectorAndMatrixShapes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		v := Vector(n).Draw(t, "v")
		if len(v) != n {
			t.Fatalf("len(Vector(%d)) = %d", n, len(v))
		}
		r := rapid.IntRange(1, 12).Draw(t, "r")
		c := rapid.IntRange(1, 12).Draw(t, "c")
		a := Matrix(r, c).Draw(t, "a")
		if gr, gc := a.Dims(); gr != r || gc != c {
			t.Fatalf("Matrix(%d, %d) is %d×%d", r, c, gr, gc)
		}
		for _, x := range append(v, a.RawMatrix().Data...) {
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) >= 1e3 {
				t.Fatalf("entry %v, want finite with |x| < 1e3", x)
			}
		}
	})
}

func TestMatrixOfRowMajor(t *testing.T) {
	// A generator whose k-th draw is k shows the fill order.
	var k float64
	seq := rapid.Custom(func(t *rapid.T) float64 {
		_ = bit.Draw(t, "any")
		k++
		return k
	})
	a := MatrixOf(seq, 2, 3).Example(1)
	want := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	if !mat.Equal(a, want) {
		t.Errorf("MatrixOf(1, 2, 3…; 2, 3) =\n%v\nwant row-major\n%v", mat.Formatted(a), mat.Formatted(want))
	}
	b := MatrixOf(seq, 2, 3).Example(1)
	b.Set(0, 0, -1)
	if a.At(0, 0) != 1 {
		t.Error("two draws share their backing data")
	}
}

func TestPointAsymmetric(t *testing.T) {
	for d := 1; d <= 12; d++ {
		for seed, x := range examples(Point(d), 300) {
			if len(x) != d {
				t.Fatalf("seed %d: len(Point(%d)) = %d", seed, d, len(x))
			}
			bound := 10 * math.Pow(pointStep, float64(d-1))
			for i, xi := range x {
				if a := math.Abs(xi); !(a >= 0.1 && a < bound) {
					t.Fatalf("seed %d: Point(%d)[%d] = %v, want 0.1 ≤ |x| < %.4g", seed, d, i, xi, bound)
				}
				for j := range i {
					a, b := math.Abs(x[i]), math.Abs(x[j])
					if max(a, b) < pointGap*min(a, b) {
						t.Fatalf("seed %d: Point(%d) = %v: |x[%d]| = %v and |x[%d]| = %v within a factor 65/64",
							seed, d, x, j, x[j], i, x[i])
					}
				}
			}
		}
	}
}

// TestPointNudgesCollisions drives every coordinate to the same draw, the
// case the nudging exists for: draws of bits and mantissas all zero give
// magnitude 1 each time.
func TestPointNudgesCollisions(t *testing.T) {
	got := minimalFailure(t, Point(4), func([]float64) bool { return true })
	want := []float64{1, 17.0 / 16, 289.0 / 256, 4913.0 / 4096}
	if !slices.Equal(got, want) {
		t.Errorf("Point(4) shrinks to %v, want %v", got, want)
	}
}
