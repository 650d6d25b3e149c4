package gradients

import (
	"fmt"
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/diff/fd"
)

func sumSquares(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v * v
	}
	return s
}

func benchPoint(d int) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = math.Sin(float64(i)) * 3
	}
	return x
}

// BenchmarkCentralVsGonum runs Central and gonum's fd.Gradient with
// fd.Central on Σxᵢ² at d = 2000, side by side in one run, and reports the
// ratio of their times (target: ≤ 1). gonum copies x before every
// evaluation (O(d) extra work per evaluation); this package moves one
// coordinate and puts it back (O(1)).
func BenchmarkCentralVsGonum(b *testing.B) {
	const d = 2000
	x := benchPoint(d)
	dst := make([]float64, d)
	ours := &Settings{Method: Central}
	theirs := &fd.Settings{Formula: fd.Central}
	b.Run("gradcheck", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Gradient(dst, sumSquares, x, ours)
		}
	})
	b.Run("gonum-fd", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			fd.Gradient(dst, sumSquares, x, theirs)
		}
	})
	b.Run("ratio", func(b *testing.B) {
		// Alternate the two in the same loop so that both see the same
		// machine load; report time(gradcheck)/time(gonum).
		var tOurs, tTheirs time.Duration
		for b.Loop() {
			t0 := time.Now()
			Gradient(dst, sumSquares, x, ours)
			t1 := time.Now()
			fd.Gradient(dst, sumSquares, x, theirs)
			tOurs += t1.Sub(t0)
			tTheirs += time.Since(t1)
		}
		b.ReportMetric(float64(tOurs)/float64(tTheirs), "gradcheck/gonum")
	})
}

// BenchmarkGradientMethods reports the cost of each method in evaluations
// per coordinate (evals/coord) and time, on Σxᵢ² and on the extended
// Rosenbrock function, whose curvature varies.
func BenchmarkGradientMethods(b *testing.B) {
	for _, fn := range []struct {
		name string
		f    func([]float64) float64
	}{{"SumSquares", sumSquares}, {"Rosenbrock", extendedRosenbrock}} {
		for _, m := range append(Methods(), Default) {
			for _, d := range []int{10, 100} {
				b.Run(fmt.Sprintf("%s/%v/d=%d", fn.name, m, d), func(b *testing.B) {
					x := benchPoint(d)
					dst := make([]float64, d)
					evals := 0
					f := func(x []float64) float64 { evals++; return fn.f(x) }
					s := &Settings{Method: m}
					b.ReportAllocs()
					for b.Loop() {
						Gradient(dst, f, x, s)
					}
					b.ReportMetric(float64(evals)/float64(b.N*d), "evals/coord")
				})
			}
		}
	}
}
