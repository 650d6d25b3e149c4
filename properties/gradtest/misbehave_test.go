package gradtest_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/properties/gradtest"
)

func sq(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

func sqGrad(g, x []float64) {
	for i, v := range x {
		g[i] = 2 * v
	}
}

func TestStaleAndKeyedCache(t *testing.T) {
	x, y := []float64{1, 2}, []float64{3, -1}
	g := make([]float64, 2)
	f, grad := gradtest.StaleCache(sq, sqGrad)
	grad(g, x) // no call of f yet: at x
	if !slices.Equal(g, []float64{2, 4}) {
		t.Errorf("StaleCache before f: %v", g)
	}
	f(y)
	grad(g, x) // at y
	if !slices.Equal(g, []float64{6, -2}) {
		t.Errorf("StaleCache after f(y): grad(x) = %v, want the gradient at y", g)
	}
	f, grad = gradtest.KeyedCache(sq, sqGrad)
	f(y)
	grad(g, x)
	if !slices.Equal(g, []float64{2, 4}) || f(x) != 5 || f(y) != 10 {
		t.Errorf("KeyedCache: grad(x) = %v", g)
	}
}

func TestAccumulatingVec(t *testing.T) {
	g := []float64{1, 1}
	gradtest.AccumulatingVec(sqGrad)(g, []float64{1, 2})
	if !slices.Equal(g, []float64{3, 5}) {
		t.Errorf("AccumulatingVec: %v, want [3 5]", g)
	}
}

func TestMutatingWrappers(t *testing.T) {
	f := gradtest.LateMutatingFunc(sq, 2)
	for n := 1; n <= 3; n++ {
		x := []float64{1, 2}
		if v := f(x); v != 5 {
			t.Errorf("call %d: f = %v", n, v)
		}
		if mutated := x[0] != 1; mutated != (n == 3) {
			t.Errorf("call %d: x = %v", n, x)
		}
	}
	x := []float64{-1, 2}
	if v := gradtest.ClampingFunc(sq, 0.5)(x); v != 4.25 || x[0] != 0.5 {
		t.Errorf("ClampingFunc: %v, x = %v", v, x)
	}
}

func TestSharedBufferSerial(t *testing.T) {
	f := gradtest.SharedBufferFunc(sq)
	g := gradtest.SharedBufferVec(sqGrad)
	dst := make([]float64, 2)
	g(dst, []float64{1, 2})
	if f([]float64{1, 2}) != 5 || f([]float64{3, 0}) != 9 || !slices.Equal(dst, []float64{2, 4}) {
		t.Error("shared-buffer wrappers are wrong when called serially")
	}
}

func TestSlowFunc(t *testing.T) {
	start := time.Now()
	if gradtest.SlowFunc(sq, 5*time.Millisecond)([]float64{1}) != 1 || time.Since(start) < 5*time.Millisecond {
		t.Error("SlowFunc")
	}
}
