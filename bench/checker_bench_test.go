package bench

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

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
// (target ≤ 3 at d = 10, ≤ 2.2 from d = 100: the check spends 3d
// evaluations plus about 20 against Central's 2d). The time ratio is that
// of the medians of the iterations' CPU times (threadClock): on a shared
// machine wall time counts other jobs' time slices, and a preemption lands
// in one iteration of one of the two and would skew a ratio of sums.
func BenchmarkCheckGradientVsCentral(b *testing.B) {
	for _, d := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("d=%d", d), func(b *testing.B) {
			evals := checkVsCentral(b, d)
			b.ReportMetric(float64(evals)/float64(2*d), "evals/2d")
		})
	}
}

// checkVsCentral runs the check of the Rosenbrock gradient, a Central
// gradient and gonum's Central fd.Gradient at d alternately, reports the
// ratio of the check's median time to the Central gradient's
// (check/central) and to gonum's (check/gonum: a reference that changes
// of package gradients do not move), the time of one check (ns/check) and
// the evaluations per check (evals/op), and returns those evaluations. An
// iteration runs blockOf(d) checks and then as many of each gradient,
// each block timed as a whole: the thread's CPU clock costs microseconds
// to read, a Central gradient at d = 10 less than one.
func checkVsCentral(b *testing.B, d int) int {
	x := checkerPoint(d)
	dst := make([]float64, d)
	central := &gradients.Settings{Method: gradients.Central}
	gonum := &fd.Settings{Formula: fd.Central}
	k := blockOf(d)
	var tCheck, tCentral, tGonum []time.Duration
	evals := 0
	now, release := threadClock()
	defer release()
	for b.Loop() {
		t0 := now()
		for range k {
			r := properties.GradientReport(rosenbrock.Func, rosenbrock.Grad, x, nil)
			evals = r.Evals
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		t1 := now()
		for range k {
			gradients.Gradient(dst, rosenbrock.Func, x, central)
		}
		t2 := now()
		for range k {
			fd.Gradient(dst, rosenbrock.Func, x, gonum)
		}
		tCheck = append(tCheck, t1-t0)
		tCentral = append(tCentral, t2-t1)
		tGonum = append(tGonum, now()-t2)
	}
	b.ReportMetric(float64(median(tCheck))/float64(median(tCentral)), "check/central")
	b.ReportMetric(float64(median(tCheck))/float64(median(tGonum)), "check/gonum")
	b.ReportMetric(float64(median(tCheck))/float64(k), "ns/check")
	b.ReportMetric(float64(evals), "evals/op")
	return evals
}

// blockOf returns how many checks at d make a block of about 2000d
// evaluations of the O(d) Rosenbrock function (about a millisecond of
// checks, 0.5 ms of Central gradients).
func blockOf(d int) int { return max(1, 2000/d) }

// median returns the median of t, which it sorts.
func median(t []time.Duration) time.Duration {
	slices.Sort(t)
	return t[len(t)/2]
}

// busyIters is the work of busyRosenbrock beyond the Rosenbrock function: a
// chain of dependent multiply-adds, fixed in number so that the cost is the
// same work on every machine (about 10 µs on the 2-core machine of
// README.md; the benchmarks measure and report it rather than assume it).
const busyIters = 5700

// busySeed is a variable, so that the compiler cannot fold busy.
var busySeed = 0.5

// busy returns the end of a chain of busyIters multiply-adds from busySeed:
// a value in (0.5, 1).
func busy() float64 {
	y := busySeed
	for range busyIters {
		y = y*0.9999 + 1e-4
	}
	return y
}

// busyRosenbrock is the extended Rosenbrock function made expensive by
// busyIters multiply-adds, with the same value and gradient.
func busyRosenbrock(x []float64) float64 {
	v := rosenbrock.Func(x)
	if busy() > 1 {
		return math.NaN() // never: busy stays below 1
	}
	return v
}

// BenchmarkCheckCost measures the default check of a correct gradient
// (the Rosenbrock gradient) at d = 10 to 10 000, on the cheap Rosenbrock f
// and on busyRosenbrock, an f that costs about 10 µs per call, and
// reports its evaluations of f per check (evals/op). With the cheap f it
// reports the ratio to one Central gradient (check/central, as in
// BenchmarkCheckGradientVsCentral); with the expensive f the cost of one
// evaluation, timed in the same loop (ns/f: 32 calls per iteration timed
// as one block, the median over iterations), and the check's time over
// evals × that cost (check/(evals·f)): target ≤ 1.1, the evaluations
// dominate. At d = 10 000 an iteration takes about a second: use
// -benchtime 3x there.
func BenchmarkCheckCost(b *testing.B) {
	for _, d := range []int{10, 100, 1000, 10_000} {
		b.Run(fmt.Sprintf("f=cheap/d=%d", d), func(b *testing.B) { checkVsCentral(b, d) })
	}
	for _, d := range []int{10, 100, 1000, 10_000} {
		b.Run(fmt.Sprintf("f=busy/d=%d", d), func(b *testing.B) {
			x := checkerPoint(d)
			work := slices.Clone(x)
			var tCheck, tF []time.Duration
			evals := 0
			now, release := threadClock()
			defer release()
			for b.Loop() {
				t0 := now()
				for range 32 {
					copy(work, x)
					busyRosenbrock(work)
				}
				tF = append(tF, (now()-t0)/32)
				t0 = now()
				r := properties.GradientReport(busyRosenbrock, rosenbrock.Grad, x, nil)
				tCheck = append(tCheck, now()-t0)
				evals = r.Evals
				if r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			perF := median(tF)
			b.ReportMetric(float64(perF), "ns/f")
			b.ReportMetric(float64(median(tCheck))/(float64(evals)*float64(perF)), "check/(evals·f)")
			b.ReportMetric(float64(evals), "evals/op")
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

// BenchmarkMatrixCheckMemory reports the bytes CheckSymmetric and
// CheckHessian allocate per entry of their d×d matrix (bytes/entry) on the
// correct gradient and Hessian of Σwᵢ², which Settings.Directions does not
// reduce: each builds the numeric Jacobian of grad and a Report entry per
// matrix entry, so their memory grows as d² where CheckGradient's with
// Directions stays O(d). Run with -benchtime 1x.
func BenchmarkMatrixCheckMemory(b *testing.B) {
	grad := func(g, w []float64) {
		for i, v := range w {
			g[i] = 2 * v
		}
	}
	hess := func(h *mat.SymDense, w []float64) {
		for i := range w {
			for j := i; j < len(w); j++ {
				h.SetSym(i, j, 0)
			}
			h.SetSym(i, i, 2)
		}
	}
	dirs := &properties.Settings{Directions: 8}
	for _, d := range []int{250, 500, 1000} {
		x := checkerPoint(d)
		for _, c := range []struct {
			name  string
			check func() error
		}{
			{"symmetry", func() error { return properties.CheckSymmetric(grad, x, dirs) }},
			{"hessian", func() error { return properties.CheckHessian(grad, hess, x, dirs) }},
		} {
			b.Run(fmt.Sprintf("%s/d=%d", c.name, d), func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					if err := c.check(); err != nil {
						b.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*d*d), "bytes/entry")
			})
		}
	}
}
