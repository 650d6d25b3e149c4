package gradients

import "math"

// complexStep is the default complex step relative to max(1, |xᵢ|). Im f(x+ih)/h
// has truncation error h²|f‴|/6 and no subtractive cancellation, so any
// tiny h works; 1e-20 is the customary choice (Martins, Sturdza & Alonso
// 2003; NUMERICS.md).
const complexStep = 1e-20

// GradientComplex returns the gradient of f at x by the complex step,
// ∂f/∂xᵢ = Im f(x + i·hᵢ·eᵢ)/hᵢ, in dst (allocated if nil). It needs one
// complex evaluation per coordinate and is accurate to about 1e-16 relative,
// because it subtracts nothing.
//
// f must be the real-analytic extension of a real function, written with
// operations that propagate the imaginary part: +, −, ×, ÷, cmplx.Exp, Log,
// Sin, Cos, Sqrt and the like. Functions that are not analytic (abs, conj,
// real, imag, comparisons of complex values) give wrong results, and so do
// Go's cmplx.Atan, Asin, Acos and Pow with a negative base (NUMERICS.md).
//
// s.Step is the complex step relative to max(1, |xᵢ|); zero (or a nil s)
// means 1e-20. s.Method and s.Workers play no part (but are validated, as
// everywhere): the complex step is its own method, and serial.
//
// f never receives x itself; x is bit-identical after the call, as for
// Gradient.
//
// GradientComplex panics, before calling f, if f is nil, if dst is not nil
// and len(dst) != len(x), if s.Method is not a Method constant, or if
// s.Step or s.Noise is negative, NaN or infinite.
func GradientComplex(dst []float64, f func([]complex128) complex128, x []float64, s *Settings) []float64 {
	mustHaveFunc("GradientComplex", f == nil)
	step := complexStepOf("GradientComplex", s)
	dst = sized("GradientComplex", "dst", dst, len(x))
	work := make([]complex128, len(x))
	for _, fresh := range []bool{false, true} {
		for i := range work {
			work[i] = complex(x[i], 0)
		}
		for i := range x {
			if fresh {
				for j := range work {
					work[j] = complex(x[j], 0)
				}
			}
			h := step * scale(x[i])
			work[i] = complex(x[i], h)
			dst[i] = imag(f(work)) / h
			work[i] = complex(x[i], 0)
		}
		if fresh || !complexMutated(work, x) {
			break
		}
	}
	return dst
}

func complexMutated(work []complex128, x []float64) bool {
	for i, v := range work {
		if math.Float64bits(real(v)) != math.Float64bits(x[i]) || imag(v) != 0 {
			return true
		}
	}
	return false
}

// DerivativeComplex returns the derivative of the scalar function f at x by
// the complex step Im f(x + i·h)/h with h = s.Step·max(1, |x|); zero (or a
// nil s) means 1e-20, and s.Method and s.Workers play no part, as for
// GradientComplex. The requirements on f are those of GradientComplex. It
// panics if f is nil, if s.Method is not a Method constant, or if s.Step or
// s.Noise is negative, NaN or infinite.
func DerivativeComplex(f func(complex128) complex128, x float64, s *Settings) float64 {
	mustHaveFunc("DerivativeComplex", f == nil)
	h := complexStepOf("DerivativeComplex", s) * scale(x)
	return imag(f(complex(x, h))) / h
}

// complexStepOf validates s for the named complex-step entry point and
// returns its relative step.
func complexStepOf(caller string, s *Settings) float64 {
	if c := resolve(caller, s, false); c.step != 0 {
		return c.step
	}
	return complexStep
}
