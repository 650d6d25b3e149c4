package gradients

import (
	"fmt"
	"math"
	"runtime"
)

// Method is a finite-difference method. The zero value, Default, selects the
// package default for the entry point (see Settings).
type Method int

const (
	// Default is the package default: Ridders for Gradient, Jacobian and
	// Derivative (the most accurate method that is safe for an arbitrary
	// real f), Central for Hessian (whose cost grows as d²).
	Default Method = iota
	// Forward is (f(x+h) − f(x))/h: O(h) truncation, d+1 evaluations.
	Forward
	// Backward is (f(x) − f(x−h))/h: O(h) truncation, d+1 evaluations.
	Backward
	// Central is (f(x+h) − f(x−h))/2h: O(h²) truncation, 2d evaluations.
	Central
	// FivePoint is (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h))/12h:
	// O(h⁴) truncation, 4d evaluations.
	FivePoint
	// Ridders is Richardson extrapolation of central differences over a
	// shrinking sequence of steps (Numerical Recipes §5.7, dfridr), with an
	// error estimate per coordinate, started from several steps and
	// safeguarded against steps that leave f's domain. It costs 14–25
	// evaluations per coordinate on the test functions of
	// TestGradientAccuracy, up to 60 where start steps fail, plus 15 per
	// call that measure f's round-off (Noise) unless Settings.Noise gives
	// it: 17–29 per coordinate in all at d = 2…8 (BenchmarkGradientMethods
	// reports evals/coord).
	Ridders

	numMethods
)

var methodNames = [...]string{
	Default:   "Default",
	Forward:   "Forward",
	Backward:  "Backward",
	Central:   "Central",
	FivePoint: "FivePoint",
	Ridders:   "Ridders",
}

// String returns the name of the method, or "Method(n)" if m is unknown.
func (m Method) String() string {
	if m < 0 || m >= numMethods {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// Methods returns every method that Gradient accepts other than Default, in
// order of increasing accuracy.
func Methods() []Method {
	return []Method{Forward, Backward, Central, FivePoint, Ridders}
}

// Settings configures the numerical derivatives. A nil *Settings means
// defaults, and so does every zero field.
type Settings struct {
	// Method is the finite-difference method. Zero means Default.
	Method Method

	// Step is the step relative to max(1, |xᵢ|): coordinate i moves by
	// hᵢ = Step·max(1, |xᵢ|), rounded so that xᵢ+hᵢ is exactly
	// representable. Zero means the method's optimal relative step
	// (OptimalStep). For Ridders, Step is the first step of the
	// extrapolation and disables the multi-start default.
	Step float64

	// Workers is the number of goroutines evaluating f. Zero or one is
	// serial. With Workers > 1, f must be safe for concurrent use; the
	// results are bit-identical to the serial ones, because every
	// coordinate is computed by the same code in the same order whichever
	// goroutine runs it. Workers < 0 means runtime.GOMAXPROCS(0).
	Workers int

	// Noise is the round-off of f's values near x, if the caller knows
	// it: a value of Noise (the function) measured along a line like the
	// ones the call moves x along. The computations that read f's
	// round-off — Ridders' method (Default) and the error estimates of
	// the WithError entry points — take it instead of measuring it,
	// which saves Noise's 15 evaluations of f per call; for a Jacobian it
	// is the noise of every output. Zero means measure it. A value below
	// ε·|f| counts as ε·|f|, the round-off of a value computed to full
	// precision. Given the value that Noise returns, the results are
	// those of the call that measures it, bit for bit.
	Noise float64
}

// Machine epsilon of float64, 2⁻⁵², the unit of round-off in the error model.
const eps = 0x1p-52

// OptimalStep returns the step, relative to max(1, |x|), that minimizes the
// error model truncation + round-off of the method's first derivative for a
// function whose derivatives are of the order of its value
// (docs/NUMERICS.md, table): √ε for Forward and Backward, ε^(1/3) for
// Central, ε^(1/5) for FivePoint, and the first step of the extrapolation
// for Ridders and Default. It panics if m is not a Method constant.
func OptimalStep(m Method) float64 {
	switch m {
	case Forward, Backward:
		return stepForward
	case Central:
		return stepCentral
	case FivePoint:
		return stepFivePoint
	case Ridders, Default:
		// Numerical Recipes §5.7: the first step "need not be small"; it
		// should be a step over which f changes substantially. A tenth of
		// the coordinate's scale, as in NUMERICS.md ("a few tenths").
		return ridders0
	}
	panic(fmt.Sprintf("gradients: OptimalStep: unknown method %v", m))
}

// OptimalHessianStep returns the step, relative to max(1, |x|), of
// Hessian's formulas from values of f for the method: ε^(1/4) for Central
// and Default (the second differences' truncation and round-off balance
// there), the first step of the extrapolation for Ridders. It panics for
// the methods that Hessian does not accept.
func OptimalHessianStep(m Method) float64 {
	switch m {
	case Central, Default:
		return stepHessian
	case Ridders:
		return ridders0
	}
	panic(fmt.Sprintf("gradients: OptimalHessianStep: method %v is not available for Hessians (want Default, Central or Ridders)", m))
}

// The optimal steps, computed once (resolve asks for one on every call).
var (
	// (h/2)|f″| + 2ε|f|/h is smallest at h ≈ √ε ≈ 1.5e-8 (NUMERICS.md).
	stepForward = math.Sqrt(eps)
	// (h²/6)|f‴| + ε|f|/h is smallest at h ≈ ε^(1/3) ≈ 6.1e-6 (NUMERICS.md).
	stepCentral = math.Cbrt(eps)
	// (h⁴/30)|f⁽⁵⁾| + 1.5ε|f|/h is smallest at h ≈ ε^(1/5) ≈ 7.4e-4 (NUMERICS.md).
	stepFivePoint = math.Pow(eps, 1.0/5)
	// Second differences: truncation h²|f⁗|/12, round-off 4ε|f|/h²,
	// balanced at h ≈ ε^(1/4) ≈ 1.2e-4 (NUMERICS.md, "Hessian from f").
	stepHessian = math.Pow(eps, 1.0/4)
)

// mustHaveFunc panics with a "gradients: " message if f, the user's
// function, is nil: a nil f would otherwise fail at its first call with a
// nil dereference, or not at all when x is empty.
func mustHaveFunc(caller string, isNil bool) {
	if isNil {
		panic(fmt.Sprintf("gradients: %s: f is nil (want the function to differentiate)", caller))
	}
}

// config is a resolved and validated Settings.
type config struct {
	method  Method
	step    float64 // relative step, 0: method default
	h       float64 // relative step of the fixed formulas: step, or the optimal one
	workers int
	noise   float64 // f's round-off if the caller gave it (Settings.Noise), 0: measure it
}

// resolve validates s for the named entry point and fills in defaults. It is
// the single place where settings are checked, so every entry point rejects
// the same misuse with the same message. hessian selects the Hessian rules:
// Default means Central, and only Central and Ridders are accepted.
func resolve(caller string, s *Settings, hessian bool) config {
	var c config
	if s != nil {
		c = config{method: s.Method, step: s.Step, workers: s.Workers, noise: s.Noise}
	}
	if c.method < 0 || c.method >= numMethods {
		panic(fmt.Sprintf("gradients: %s: unknown method %v (want one of Default, Forward, Backward, Central, FivePoint, Ridders)", caller, c.method))
	}
	if c.step < 0 || math.IsNaN(c.step) || math.IsInf(c.step, 0) {
		panic(fmt.Sprintf("gradients: %s: Step = %v (want a finite step ≥ 0; 0 means the optimal step)", caller, c.step))
	}
	if c.noise < 0 || math.IsNaN(c.noise) || math.IsInf(c.noise, 0) {
		panic(fmt.Sprintf("gradients: %s: Noise = %v (want a finite noise ≥ 0; 0 means measure it)", caller, c.noise))
	}
	if hessian {
		switch c.method {
		case Default:
			c.method = Central
		case Central, Ridders:
		default:
			panic(fmt.Sprintf("gradients: %s: method %v is not available for Hessians (want Default, Central or Ridders)", caller, c.method))
		}
	} else if c.method == Default {
		c.method = Ridders
	}
	// The fixed formulas' step, computed once per call rather than per
	// coordinate (a cube root) or per entry (a power).
	c.h = c.step
	switch {
	case c.h != 0:
	case hessian:
		c.h = OptimalHessianStep(Central)
	case c.method != Ridders:
		c.h = OptimalStep(c.method)
	}
	if c.workers < 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	if c.workers == 0 {
		c.workers = 1
	}
	return c
}
