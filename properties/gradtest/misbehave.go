package gradtest

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// StaleCache returns f and grad with the forward/backward split done
// wrong: f remembers the point of its last call, and grad returns the
// gradient there, whatever x it is given — as a backward pass that reads
// the activations cached by the last forward pass. Right when grad(x)
// follows f(x); stale otherwise. Before any call of f, grad uses x.
func StaleCache(f func(x []float64) float64, grad func(dst, x []float64)) (func(x []float64) float64, func(dst, x []float64)) {
	var mu sync.Mutex
	var last []float64
	ff := func(x []float64) float64 {
		mu.Lock()
		last = append(last[:0], x...)
		mu.Unlock()
		return f(x)
	}
	gg := func(dst, x []float64) {
		mu.Lock()
		at := slices.Clone(last)
		mu.Unlock()
		if len(at) != len(x) {
			at = x
		}
		grad(dst, at)
	}
	return ff, gg
}

// KeyedCache returns f and grad with a correct cache: f caches the point
// and value of its last call and returns the cached value when called at
// the same x (bit for bit); grad likewise caches its last result, keyed on
// x. The control for StaleCache.
func KeyedCache(f func(x []float64) float64, grad func(dst, x []float64)) (func(x []float64) float64, func(dst, x []float64)) {
	var mu sync.Mutex
	var fx, gx, gv []float64
	var fv float64
	ff := func(x []float64) float64 {
		mu.Lock()
		defer mu.Unlock()
		if fx == nil || !slices.Equal(fx, x) {
			fx, fv = slices.Clone(x), f(x)
		}
		return fv
	}
	gg := func(dst, x []float64) {
		mu.Lock()
		defer mu.Unlock()
		if gx == nil || !slices.Equal(gx, x) {
			gx, gv = slices.Clone(x), make([]float64, len(dst))
			grad(gv, x)
		}
		copy(dst, gv)
	}
	return ff, gg
}

// AccumulatingVec returns g that adds its result into dst (dst[i] += …)
// without zeroing it first: right only when dst starts at zero.
func AccumulatingVec(g func(dst, x []float64)) func(dst, x []float64) {
	return func(dst, x []float64) {
		tmp := make([]float64, len(dst))
		g(tmp, x)
		for i := range dst {
			dst[i] += tmp[i]
		}
	}
}

// LateMutatingFunc returns f that, from its (after+1)-th call on, adds 1
// to x[0] after computing its value: a write to the caller's data that the
// first calls do not show.
func LateMutatingFunc(f func(x []float64) float64, after int) func(x []float64) float64 {
	var n atomic.Int64
	return func(x []float64) float64 {
		v := f(x)
		if n.Add(1) > int64(after) && len(x) > 0 {
			x[0]++
		}
		return v
	}
}

// ClampingFunc returns f that clamps its input in place, x[i] =
// max(x[i], lo), before computing f: a guard against log(0) that changes
// the caller's data. At points with every x[i] ≥ lo its value is f's.
func ClampingFunc(f func(x []float64) float64, lo float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		for i := range x {
			x[i] = math.Max(x[i], lo)
		}
		return f(x)
	}
}

// SharedBufferFunc returns f that copies x into one scratch buffer shared
// by all its calls, yields, and computes f on the buffer: right when called
// serially, wrong when two calls overlap (not safe for concurrent use).
// The buffer is accessed atomically, so the race detector stays quiet about
// what is a logical race only.
func SharedBufferFunc(f func(x []float64) float64) func(x []float64) float64 {
	s := new(sharedBuffer)
	return func(x []float64) float64 { return f(s.through(x)) }
}

// A sharedBuffer is one scratch buffer for every call of a wrapper.
type sharedBuffer struct {
	mu  sync.Mutex
	buf []atomic.Uint64
}

// through copies x into the buffer, yields, and returns a copy of what the
// buffer holds then: x, unless an overlapping call wrote it meanwhile.
func (s *sharedBuffer) through(x []float64) []float64 {
	s.mu.Lock()
	if len(s.buf) != len(x) {
		s.buf = make([]atomic.Uint64, len(x))
	}
	b := s.buf
	s.mu.Unlock()
	for i, v := range x {
		b[i].Store(math.Float64bits(v))
	}
	runtime.Gosched()
	work := make([]float64, len(x))
	for i := range work {
		work[i] = math.Float64frombits(b[i].Load())
	}
	return work
}

// SlowFunc returns f that sleeps for delay before each evaluation.
func SlowFunc(f func(x []float64) float64, delay time.Duration) func(x []float64) float64 {
	return func(x []float64) float64 {
		time.Sleep(delay)
		return f(x)
	}
}

// SharedBufferVec returns g that, like SharedBufferFunc, copies x into one
// scratch buffer shared by all its calls, yields, and computes g on it.
func SharedBufferVec(g func(dst, x []float64)) func(dst, x []float64) {
	s := new(sharedBuffer)
	return func(dst, x []float64) { g(dst, s.through(x)) }
}
