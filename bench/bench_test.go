package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	optfunctions "gonum.org/v1/gonum/optimize/functions"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/gradients"
)

// The performance benchmarks. Every benchmark of a numerical derivative
// reports, besides time and allocations:
//
//	evals/coord  evaluations of f per coordinate (Gradient, Jacobian) or
//	evals/op     per call (Hessian)
//	digits       −log₁₀ of the norm-wise relative error against the exact
//	             derivative (go test prints metrics with few decimals, so
//	             an error of 3e-11 reads 10.5 instead of 0.00000000003)
//
// Names follow benchstat's key=value convention, so that
//
//	benchstat -col /impl new.txt
//
// sets gradcheck and gonum side by side. The *VsGonum benchmarks alternate
// the two in one loop, so that both see the same machine load, and report
// time(gradcheck)/time(gonum) as "ratio" (and no ns/op, which would be the
// sum of both).
//
// Hessians are benchmarked at d ≤ 100: from values of f they cost 2d²
// evaluations of an O(d) function, 2·10⁶ evaluations and about a second per
// call at d = 1000, ten times that for Ridders.

// rosenbrock is the extended Rosenbrock function (gonum optimize/functions),
// whose curvature varies along the valley, with its analytic gradient.
var rosenbrock = optfunctions.ExtendedRosenbrock{}

// rosenbrockHess sets h to the exact Hessian of the extended Rosenbrock
// function, Σᵢ (1 − xᵢ)² + 100(xᵢ₊₁ − xᵢ²)², which is tridiagonal.
func rosenbrockHess(h *mat.SymDense, x []float64) {
	d := len(x)
	h.Zero()
	for i := 0; i+1 < d; i++ {
		h.SetSym(i, i, h.At(i, i)+2+1200*x[i]*x[i]-400*x[i+1])
		h.SetSym(i, i+1, -400*x[i])
		h.SetSym(i+1, i+1, h.At(i+1, i+1)+200)
	}
}

// benchPoint returns a random point in [−1.5, 1.5]ᵈ with a fixed seed:
// asymmetric, both inside and outside [−1, 1], where relative steps differ
// from absolute ones.
func benchPoint(d int) []float64 {
	rnd := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, d)
	for i := range x {
		x[i] = 3*rnd.Float64() - 1.5
	}
	return x
}

// digits returns −log₁₀ of the norm-wise relative error ‖got − want‖/‖want‖,
// at most 17 (an exact answer).
func digits(got, want []float64) float64 {
	diff := make([]float64, len(got))
	floats.SubTo(diff, got, want)
	rel := floats.Norm(diff, 2) / floats.Norm(want, 2)
	return -math.Log10(math.Max(rel, 1e-17))
}

// gonumFormula returns gonum's formula for method m, if it has one: gonum has
// no five-point formula and no Ridders.
func gonumFormula(m gradients.Method) (fd.Formula, bool) {
	switch m {
	case gradients.Forward:
		return fd.Forward, true
	case gradients.Backward:
		return fd.Backward, true
	case gradients.Central:
		return fd.Central, true
	}
	return fd.Formula{}, false
}

var gradientDims = []int{10, 100, 1000}

// BenchmarkGradient is the gradient of the extended Rosenbrock function by
// every method (Default is the multi-start Ridders), and by gonum's
// fd.Gradient with the same formula where gonum has one.
func BenchmarkGradient(b *testing.B) {
	for _, d := range gradientDims {
		x := benchPoint(d)
		exact := make([]float64, d)
		rosenbrock.Grad(exact, x)
		for _, m := range append(gradients.Methods(), gradients.Default) {
			b.Run(fmt.Sprintf("d=%d/method=%v/impl=gradcheck", d, m), func(b *testing.B) {
				dst := make([]float64, d)
				evals := 0
				f := func(x []float64) float64 { evals++; return rosenbrock.Func(x) }
				s := &gradients.Settings{Method: m}
				b.ReportAllocs()
				for b.Loop() {
					gradients.Gradient(dst, f, x, s)
				}
				b.ReportMetric(float64(evals)/float64(b.N*d), "evals/coord")
				b.ReportMetric(digits(dst, exact), "digits")
			})
			formula, ok := gonumFormula(m)
			if !ok {
				continue
			}
			b.Run(fmt.Sprintf("d=%d/method=%v/impl=gonum", d, m), func(b *testing.B) {
				dst := make([]float64, d)
				evals := 0
				f := func(x []float64) float64 { evals++; return rosenbrock.Func(x) }
				s := &fd.Settings{Formula: formula}
				b.ReportAllocs()
				for b.Loop() {
					fd.Gradient(dst, f, x, s)
				}
				b.ReportMetric(float64(evals)/float64(b.N*d), "evals/coord")
				b.ReportMetric(digits(dst, exact), "digits")
			})
		}
	}
}

// ratio runs ours and theirs alternately in one b.Loop and reports
// time(ours)/time(theirs) as "ratio", suppressing ns/op (their sum).
func ratio(b *testing.B, ours, theirs func()) {
	var tOurs, tTheirs time.Duration
	for b.Loop() {
		t0 := time.Now()
		ours()
		t1 := time.Now()
		theirs()
		tOurs += t1.Sub(t0)
		tTheirs += time.Since(t1)
	}
	b.ReportMetric(float64(tOurs)/float64(tTheirs), "ratio")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkGradientVsGonum is the time ratio gradcheck/gonum of
// BenchmarkGradient's pairs. gonum copies x before every evaluation, O(d)
// work per evaluation; package gradients moves one coordinate and puts it
// back, O(1).
func BenchmarkGradientVsGonum(b *testing.B) {
	for _, d := range gradientDims {
		x := benchPoint(d)
		dst := make([]float64, d)
		for _, m := range gradients.Methods() {
			formula, ok := gonumFormula(m)
			if !ok {
				continue
			}
			ours, theirs := &gradients.Settings{Method: m}, &fd.Settings{Formula: formula}
			b.Run(fmt.Sprintf("d=%d/method=%v", d, m), func(b *testing.B) {
				ratio(b,
					func() { gradients.Gradient(dst, rosenbrock.Func, x, ours) },
					func() { fd.Gradient(dst, rosenbrock.Func, x, theirs) })
			})
		}
	}
}

var hessianDims = []int{10, 100}

// matrixDigits returns the correct digits of a matrix (a Hessian, or a
// Jacobian of a gradient) against the exact one, in the 2-norm.
func matrixDigits(got, want mat.Matrix) float64 {
	var diff mat.Dense
	diff.Sub(got, want)
	rel := mat.Norm(&diff, 2) / mat.Norm(want, 2)
	return -math.Log10(math.Max(rel, 1e-17))
}

// BenchmarkHessian is the Hessian of the extended Rosenbrock function from its
// values, by Central (the default) and Ridders, and by gonum's fd.Hessian
// with its Central formula (gonum's default is Forward).
func BenchmarkHessian(b *testing.B) {
	for _, d := range hessianDims {
		x := benchPoint(d)
		exact := mat.NewSymDense(d, nil)
		rosenbrockHess(exact, x)
		for _, m := range []gradients.Method{gradients.Central, gradients.Ridders} {
			b.Run(fmt.Sprintf("d=%d/method=%v/impl=gradcheck", d, m), func(b *testing.B) {
				dst := mat.NewSymDense(d, nil)
				evals := 0
				f := func(x []float64) float64 { evals++; return rosenbrock.Func(x) }
				s := &gradients.Settings{Method: m}
				b.ReportAllocs()
				for b.Loop() {
					gradients.Hessian(dst, f, x, s)
				}
				b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
				b.ReportMetric(matrixDigits(dst, exact), "digits")
			})
		}
		b.Run(fmt.Sprintf("d=%d/method=Central/impl=gonum", d), func(b *testing.B) {
			dst := mat.NewSymDense(d, nil)
			evals := 0
			f := func(x []float64) float64 { evals++; return rosenbrock.Func(x) }
			s := &fd.Settings{Formula: fd.Central}
			b.ReportAllocs()
			for b.Loop() {
				fd.Hessian(dst, f, x, s)
			}
			b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
			b.ReportMetric(matrixDigits(dst, exact), "digits")
		})
	}
}

// BenchmarkHessianVsGonum is the time ratio gradcheck/gonum of the Central
// Hessians.
func BenchmarkHessianVsGonum(b *testing.B) {
	for _, d := range hessianDims {
		x := benchPoint(d)
		dst := mat.NewSymDense(d, nil)
		ours, theirs := &gradients.Settings{Method: gradients.Central}, &fd.Settings{Formula: fd.Central}
		b.Run(fmt.Sprintf("d=%d/method=Central", d), func(b *testing.B) {
			ratio(b,
				func() { gradients.Hessian(dst, rosenbrock.Func, x, ours) },
				func() { fd.Hessian(dst, rosenbrock.Func, x, theirs) })
		})
	}
}

// BenchmarkJacobian is the Jacobian of the Rosenbrock gradient, ℝᵈ→ℝᵈ —
// the Hessian as the Jacobian of an analytic gradient, the lab's Task 4.1
// way — by Central and Ridders, and by gonum's fd.Jacobian with Central.
func BenchmarkJacobian(b *testing.B) {
	for _, d := range gradientDims {
		x := benchPoint(d)
		exact := mat.NewSymDense(d, nil)
		rosenbrockHess(exact, x)
		for _, m := range []gradients.Method{gradients.Central, gradients.Ridders} {
			b.Run(fmt.Sprintf("d=%d/method=%v/impl=gradcheck", d, m), func(b *testing.B) {
				dst := mat.NewDense(d, d, nil)
				evals := 0
				f := func(g, x []float64) { evals++; rosenbrock.Grad(g, x) }
				s := &gradients.Settings{Method: m}
				b.ReportAllocs()
				for b.Loop() {
					gradients.Jacobian(dst, f, x, s)
				}
				b.ReportMetric(float64(evals)/float64(b.N*d), "evals/coord")
				b.ReportMetric(matrixDigits(dst, exact), "digits")
			})
		}
		b.Run(fmt.Sprintf("d=%d/method=Central/impl=gonum", d), func(b *testing.B) {
			dst := mat.NewDense(d, d, nil)
			evals := 0
			f := func(g, x []float64) { evals++; rosenbrock.Grad(g, x) }
			s := &fd.JacobianSettings{Formula: fd.Central}
			b.ReportAllocs()
			for b.Loop() {
				fd.Jacobian(dst, f, x, s)
			}
			b.ReportMetric(float64(evals)/float64(b.N*d), "evals/coord")
			b.ReportMetric(matrixDigits(dst, exact), "digits")
		})
	}
}

// BenchmarkJacobianVsGonum is the time ratio gradcheck/gonum of the Central
// Jacobians.
func BenchmarkJacobianVsGonum(b *testing.B) {
	for _, d := range gradientDims {
		x := benchPoint(d)
		dst := mat.NewDense(d, d, nil)
		ours, theirs := &gradients.Settings{Method: gradients.Central}, &fd.JacobianSettings{Formula: fd.Central}
		b.Run(fmt.Sprintf("d=%d/method=Central", d), func(b *testing.B) {
			ratio(b,
				func() { gradients.Jacobian(dst, rosenbrock.Grad, x, ours) },
				func() { fd.Jacobian(dst, rosenbrock.Grad, x, theirs) })
		})
	}
}

// lossProblem returns a Gaussian n×d design matrix, MSE targets, logistic
// labels and a point w.
func lossProblem(n, d int) (X *mat.Dense, yMSE, yLog, w []float64) {
	rnd := rand.New(rand.NewPCG(3, 4))
	X = mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			X.Set(i, j, rnd.NormFloat64())
		}
	}
	yMSE, yLog, w = make([]float64, n), make([]float64, n), make([]float64, d)
	for i := range yMSE {
		yMSE[i] = rnd.NormFloat64()
		if rnd.Float64() < 0.5 {
			yLog[i] = 1
		}
	}
	for j := range w {
		w[j] = rnd.NormFloat64() / math.Sqrt(float64(d))
	}
	return X, yMSE, yLog, w
}

// BenchmarkLossGrad is the analytic gradient of the lab's losses, two
// matrix-vector products each; MB/s counts the bytes of X per call.
func BenchmarkLossGrad(b *testing.B) {
	for _, size := range []struct{ n, d int }{{100, 10}, {10000, 100}} {
		X, yMSE, yLog, w := lossProblem(size.n, size.d)
		for _, l := range []struct {
			name string
			grad func(dst, w []float64)
		}{
			{"MSE", (&functions.MSE{X: X, Y: yMSE}).Grad},
			{"Logistic", (&functions.Logistic{X: X, Y: yLog}).Grad},
		} {
			b.Run(fmt.Sprintf("loss=%s/size=%dx%d", l.name, size.n, size.d), func(b *testing.B) {
				dst := make([]float64, size.d)
				b.SetBytes(int64(8 * size.n * size.d))
				b.ReportAllocs()
				for b.Loop() {
					l.grad(dst, w)
				}
			})
		}
	}
}

// TestBenchFuncs checks the exact derivatives that the benchmarks' digits
// are measured against, and that gonum's formulas are the ones named.
func TestBenchFuncs(t *testing.T) {
	for _, d := range []int{2, 5, 10} {
		x := benchPoint(d)
		exact := mat.NewSymDense(d, nil)
		rosenbrockHess(exact, x)
		jac := gradients.Jacobian(mat.NewDense(d, d, nil), rosenbrock.Grad, x, nil)
		if got := matrixDigits(jac, exact); got < 12 {
			t.Errorf("d=%d: rosenbrockHess agrees with Ridders' Jacobian of the gradient to %.1f digits, want ≥ 12", d, got)
		}
		g := make([]float64, d)
		rosenbrock.Grad(g, x)
		if got := digits(gradients.Gradient(nil, rosenbrock.Func, x, nil), g); got < 12 {
			t.Errorf("d=%d: Grad agrees with Ridders' gradient to %.1f digits, want ≥ 12", d, got)
		}
	}
	if digits([]float64{1, 2}, []float64{1, 2}) != 17 {
		t.Error("digits of an exact answer is not 17")
	}
	for _, m := range []gradients.Method{gradients.Forward, gradients.Backward, gradients.Central} {
		if f, ok := gonumFormula(m); !ok || f.Step == 0 {
			t.Errorf("%v: no gonum formula", m)
		}
	}
}
