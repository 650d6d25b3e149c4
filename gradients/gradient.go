package gradients

import (
	"fmt"
	"math"
)

// Gradient returns the gradient of f at x, estimated by finite differences,
// in dst. If dst is nil, a new slice is allocated.
//
// The method, step and concurrency come from s (nil means defaults; see
// Settings). The default, Ridders, is accurate to about 1e-14 relative on
// smooth functions and costs 14–25 evaluations per coordinate plus 15 per
// call that measure f's round-off (Noise; none with Settings.Noise given);
// Central costs exactly 2·len(x)
// evaluations; Forward and Backward len(x)+1.
//
// f never receives x itself but a private copy, and x is bit-identical after
// the call. If f writes to its input, the computation is redone with a fresh
// copy for every evaluation, so the result does not depend on what f wrote.
// A panic in f propagates to the caller, with the slice that f was handed
// left as it was when f panicked (as for OneSided).
//
// Gradient panics, before calling f, if:
//   - f is nil;
//   - len(dst) != len(x) with dst not nil;
//   - s.Method is not a Method constant;
//   - s.Step or s.Noise is negative, NaN or infinite.
func Gradient(dst []float64, f func(x []float64) float64, x []float64, s *Settings) []float64 {
	dst, _ = gradient("Gradient", dst, nil, false, f, x, s)
	return dst
}

// GradientWithError returns the gradient of f at x like Gradient, and in
// errs an estimate of the absolute error of each entry: Ridders' own
// estimate (the difference between successive extrapolations), or for a
// fixed formula |D(h) − D(2h)|/(2ᵖ−1) plus the round-off bound, which
// doubles the formula's cost and adds the 15 evaluations of f that measure
// its round-off (Noise). If dst or errs is nil, it is allocated.
//
// GradientWithError panics as Gradient does, and if len(errs) != len(x)
// with errs not nil.
func GradientWithError(dst, errs []float64, f func(x []float64) float64, x []float64, s *Settings) (grad, errEst []float64) {
	return gradient("GradientWithError", dst, errs, true, f, x, s)
}

func gradient(caller string, dst, errs []float64, withErr bool, f func(x []float64) float64, x []float64, s *Settings) ([]float64, []float64) {
	mustHaveFunc(caller, f == nil)
	c := resolve(caller, s, false)
	dst = sized(caller, "dst", dst, len(x))
	if withErr {
		errs = sized(caller, "errs", errs, len(x))
	}
	p := getProbe(nil, f, x, 1)
	differentiate(p, dst, 1, errs, 1, c)
	// Not deferred: after a panic of f the probe, and the point that f
	// was handed, stay out of the pool.
	putProbe(p)
	return dst, errs
}

// sized returns v, or a new slice of length n if v is nil, and panics if v
// has another length.
func sized(caller, name string, v []float64, n int) []float64 {
	if v == nil {
		return make([]float64, n)
	}
	if len(v) != n {
		panic(fmt.Sprintf("gradients: %s: len(%s) = %d, len(x) = %d (want equal lengths)", caller, name, len(v), n))
	}
	return v
}

// differentiate writes the derivative of output o along coordinate i of
// p's f: ℝᵈ→ℝᵏ to data[o*stride+i], and its error estimate to
// errData[o*errStride+i] if errData is not nil.
func differentiate(p *probe, data []float64, stride int, errData []float64, errStride int, c config) {
	if c.method == Ridders || errData != nil {
		// Only the error estimates read f's round-off; the fixed formulas
		// without them do not (roundoff is not called).
		p.setNoise(c)
	}
	j := job{
		kind: jobDiff, c: c, n: len(p.x),
		needF0: c.method == Forward || c.method == Backward,
		data:   data, stride: stride, errData: errData, errStride: errStride,
	}
	run(&j, p)
}

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}
