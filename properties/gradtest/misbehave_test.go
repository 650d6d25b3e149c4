package gradtest_test

import (
	"slices"
	"sync"
	"sync/atomic"
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
	g := gradtest.LateMutatingVec(sqGrad, 1)
	for n := 1; n <= 2; n++ {
		x, dst := []float64{1, 2}, make([]float64, 2)
		g(dst, x)
		if !slices.Equal(dst, []float64{2, 4}) || (x[0] != 1) != (n == 2) {
			t.Errorf("LateMutatingVec, call %d: dst = %v, x = %v", n, dst, x)
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

// TestSharedBufferConcurrent: calls of SharedBufferVec that overlap compute
// at each other's inputs; SerialBufferFunc and SerialBufferVec never do.
// Eight goroutines released together on a yielding wrapper overlap (see
// package properties, concurrency.go); a round in which none was spoilt is
// run again, up to 20 rounds, since a test cannot force the scheduler.
func TestSharedBufferConcurrent(t *testing.T) {
	// spoilt calls f at 8 different points from 8 goroutines released
	// together and reports whether any result is not sq at its point.
	spoilt := func(f func(x []float64) float64) bool {
		var wg sync.WaitGroup
		var bad atomic.Bool
		start := make(chan struct{})
		for k := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				x := []float64{float64(k), 1}
				if f(x) != sq([]float64{float64(k), 1}) {
					bad.Store(true)
				}
			}()
		}
		close(start)
		wg.Wait()
		return bad.Load()
	}
	// vec turns a vector function that returns ∇sq into sq: ‖∇sq(x)‖²/4.
	vec := func(g func(dst, x []float64)) func(x []float64) float64 {
		return func(x []float64) float64 {
			dst := make([]float64, len(x))
			g(dst, x)
			return sq(dst) / 4
		}
	}
	seen := false
	for range 20 {
		if spoilt(vec(gradtest.SharedBufferVec(sqGrad))) {
			seen = true
			break
		}
	}
	if !seen {
		t.Error("SharedBufferVec: no overlapping calls spoilt in 20 rounds of 8 goroutines")
	}
	for range 20 {
		if spoilt(gradtest.SerialBufferFunc(sq)) || spoilt(vec(gradtest.SerialBufferVec(sqGrad))) {
			t.Fatal("serial-buffer wrappers spoilt by concurrent calls")
		}
	}
}

func TestSlowFunc(t *testing.T) {
	start := time.Now()
	if gradtest.SlowFunc(sq, 5*time.Millisecond)([]float64{1}) != 1 || time.Since(start) < 5*time.Millisecond {
		t.Error("SlowFunc")
	}
}
