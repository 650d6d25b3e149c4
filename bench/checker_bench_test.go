package bench

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/gradients"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// checkerPoint returns an asymmetric point of dimension d.
func checkerPoint(d int) []float64 {
	x := make([]float64, d)
	for i := range x {
		x[i] = math.Sin(float64(i)*0.7) * 1.5
	}
	return x
}

// BenchmarkCheckGradientVsCentral runs the default full check of a correct
// gradient and a plain central difference on the extended Rosenbrock
// function in one loop and reports their ratio of times and of evaluations
// (target ≤ 3: the check spends 4d evaluations plus 20 against Central's
// 2d).
func BenchmarkCheckGradientVsCentral(b *testing.B) {
	for _, d := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			x := checkerPoint(d)
			dst := make([]float64, d)
			central := &gradients.Settings{Method: gradients.Central}
			var tCheck, tCentral time.Duration
			evals := 0
			for b.Loop() {
				t0 := time.Now()
				r := properties.GradientReport(rosenbrock.Func, rosenbrock.Grad, x, nil)
				t1 := time.Now()
				gradients.Gradient(dst, rosenbrock.Func, x, central)
				tCheck += t1.Sub(t0)
				tCentral += time.Since(t1)
				evals = r.Evals
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			b.ReportMetric(float64(tCheck)/float64(tCentral), "check/central")
			b.ReportMetric(float64(evals)/float64(2*d), "evals/2d")
		})
	}
}

// BenchmarkDirectionsVsFull: at d = 100 000, the random-direction check
// (8 directions) flags a gradient with one entry off by 1%; the full check
// does too, at O(d) evaluations of an O(d) function. The ratio of their times is
// reported (target < 0.01). One iteration of the full check takes tens of
// seconds: run it with -benchtime 1x.
func BenchmarkDirectionsVsFull(b *testing.B) {
	const d = 100_000
	x := checkerPoint(d)
	f := func(v []float64) float64 {
		s := 0.0
		for i, e := range v {
			s += e * e * float64(1+i%3)
		}
		return s
	}
	grad := func(g, v []float64) {
		for i, e := range v {
			g[i] = 2 * e * float64(1+i%3)
		}
	}
	wrong := gradtest.PerturbedVec(grad, d/3, 1e-2)
	dirs := &properties.Settings{Directions: 8}
	var tDirs, tFull time.Duration
	for b.Loop() {
		t0 := time.Now()
		if properties.CheckGradient(f, wrong, x, dirs) == nil {
			b.Fatal("the random-direction check missed the bug")
		}
		t1 := time.Now()
		if properties.CheckGradient(f, wrong, x, nil) == nil {
			b.Fatal("the full check missed the bug")
		}
		tDirs += t1.Sub(t0)
		tFull += time.Since(t1)
	}
	b.ReportMetric(float64(tDirs)/float64(tFull), "directions/full")
	b.ReportMetric(tDirs.Seconds()/float64(b.N), "s-directions/op")
	b.ReportMetric(tFull.Seconds()/float64(b.N), "s-full/op")
}
