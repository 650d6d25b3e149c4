package functions

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// lossBenchSizes are the n×d shapes of the benchmarks: a small problem, where
// the per-call overhead shows, and a large one, where the matrix products
// dominate.
var lossBenchSizes = []struct{ n, d int }{{100, 10}, {10000, 100}}

// lossBenchK is the number of classes of the SoftmaxCrossEntropy benchmarks.
const lossBenchK = 10

// lossBenchCases returns the losses on random n×d data and a point for each.
func lossBenchCases(n, d int) []struct {
	name string
	l    lossProblem
	w    []float64
} {
	rng := lossRand(300)
	X := lossDense(rng, n, d)
	return []struct {
		name string
		l    lossProblem
		w    []float64
	}{
		{"MSE", &MSE{X: X, Y: lossVec(rng, n, 1)}, lossVec(rng, d, 1)},
		{"Logistic", &Logistic{X: X, Y: lossLabels(rng, n)}, lossVec(rng, d, 1)},
		{"Softmax", &SoftmaxCrossEntropy{X: X, Y: lossTargets(rng, n, lossBenchK, true)}, lossVec(rng, d*lossBenchK, 1)},
	}
}

// BenchmarkLossGrad measures Grad of each loss (Softmax with k = 10).
func BenchmarkLossGrad(b *testing.B) {
	for _, sz := range lossBenchSizes {
		for _, tt := range lossBenchCases(sz.n, sz.d) {
			b.Run(fmt.Sprintf("%s/%dx%d", tt.name, sz.n, sz.d), func(b *testing.B) {
				dst := make([]float64, len(tt.w))
				tt.l.Grad(dst, tt.w) // allocate the workspace before timing
				b.ReportAllocs()
				for b.Loop() {
					tt.l.Grad(dst, tt.w)
				}
			})
		}
	}
}

// BenchmarkLossFunc measures Func of each loss (Softmax with k = 10).
func BenchmarkLossFunc(b *testing.B) {
	for _, sz := range lossBenchSizes {
		for _, tt := range lossBenchCases(sz.n, sz.d) {
			b.Run(fmt.Sprintf("%s/%dx%d", tt.name, sz.n, sz.d), func(b *testing.B) {
				f := tt.l.Func(tt.w) // allocate the workspace before timing
				b.ReportAllocs()
				for b.Loop() {
					f += tt.l.Func(tt.w)
				}
				_ = f
			})
		}
	}
}

// BenchmarkMSEGradVsMulVec compares MSE.Grad at 10 000×100 with the two
// matrix-vector products it needs, Xw and Xᵀr, done with gonum's
// mat.VecDense.MulVec. The Ratio sub-benchmark times both alternately in
// the same loop, so that changes in the machine's load affect both alike,
// and reports the median time of Grad over the median time of the two
// products as grad/2mulvec (the target is ≤ 2); medians, because on a
// shared machine single calls are sometimes preempted.
func BenchmarkMSEGradVsMulVec(b *testing.B) {
	const n, d = 10000, 100
	rng := lossRand(310)
	X := lossDense(rng, n, d)
	y := lossVec(rng, n, 1)
	w := lossVec(rng, d, 1)
	l := &MSE{X: X, Y: y}
	g := make([]float64, d)
	wv := mat.NewVecDense(d, w)
	rv := mat.NewVecDense(n, lossVec(rng, n, 1))
	var xw, xtr mat.VecDense
	mulVec2 := func() {
		xw.MulVec(X, wv)
		xtr.MulVec(X.T(), rv)
	}
	mulVec2() // size the receivers and the workspace before timing
	l.Grad(g, w)

	b.Run("Grad", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l.Grad(g, w)
		}
	})
	b.Run("MulVec2", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mulVec2()
		}
	})
	b.Run("Ratio", func(b *testing.B) {
		var tGrad, tMul []time.Duration
		for b.Loop() {
			t0 := time.Now()
			l.Grad(g, w)
			t1 := time.Now()
			mulVec2()
			t2 := time.Now()
			tGrad, tMul = append(tGrad, t1.Sub(t0)), append(tMul, t2.Sub(t1))
		}
		b.ReportMetric(float64(lossMedian(tGrad))/float64(lossMedian(tMul)), "grad/2mulvec")
	})
}

// lossMedian returns the median of ds, reordering them.
func lossMedian(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}
