// Package gradients computes derivatives numerically: gradients, Jacobians
// and Hessians by finite differences, with error estimates. Functions with
// exact derivatives to check them against — the lab's losses and maps — are
// in package functions.
//
// # Numerical derivatives
//
// Entry points are named after what they return:
//
//	Gradient, GradientWithError      ∇f of f: ℝᵈ→ℝ           (d values)
//	Jacobian, JacobianWithError      J of f: ℝᵈ→ℝᵏ           (k×d, dst[r][c] = ∂fᵣ/∂x_c)
//	Hessian                          ∇²f from values of f     (d×d, symmetric)
//	Derivative, DerivativeWithError  f′ of f: ℝ→ℝ
//	GradientComplex, DerivativeComplex  the complex step, for f written over complex128
//
// The methods are the values of Method: Forward, Backward, Central,
// FivePoint and Ridders (Richardson extrapolation of central differences
// with an error estimate, Numerical Recipes §5.7). The zero value, Default,
// has one meaning: the most accurate method that is affordable for the entry
// point (see Conventions) — Ridders for first derivatives, Central for
// Hessian. Ridders is started from several steps and safeguarded against
// steps that leave f's domain or cross a singularity or branch cut; it is
// accurate to about 1e-14 relative on smooth functions for 14–25
// evaluations per coordinate, plus 15 per call that measure f's round-off
// (Noise), unless the caller knows it (Settings.Noise).
// Central (2 evaluations per coordinate, about 1e-10) and
// FivePoint (4, about 1e-13) are the cheaper choices. docs/NUMERICS.md
// has the error orders and optimal steps that the defaults come from.
//
// # Conventions
//
//   - Signatures: every entry point is (dst, f, x, *Settings) — dst first
//     where there is one (Derivative and DerivativeComplex return a float64),
//     Settings last, the complex step included.
//   - Settings: a nil *Settings means defaults, and so does each zero field.
//     Steps are relative to max(1, |xᵢ|) and rounded so that xᵢ+hᵢ is exactly
//     representable; the formulas divide by the distance actually travelled.
//     Every entry point validates the whole Settings, also the fields it
//     does not use (Method for OneSided and the complex step).
//   - Default is the most accurate method that is safe and affordable for
//     the entry point: Ridders for Gradient, Jacobian and Derivative (and
//     their WithError forms), Central for Hessian, whose d² second
//     differences would each cost a whole Ridders extrapolation. A caller that
//     wants one method everywhere names it in Settings.Method.
//     The optimal steps are OptimalStep(m) for first derivatives and
//     OptimalHessianStep(m) for Hessian; no function takes a flag argument.
//   - dst comes first; a nil dst is allocated (except for Jacobian, whose
//     dst tells the number of outputs); the result is returned.
//   - f never receives the caller's x, only a private copy, and x is
//     bit-identical after every call. An evaluation moves one or two
//     coordinates of the copy and puts them back, so it costs O(1) work
//     besides f. If f writes to its input, the computation is redone with a
//     fresh copy for every evaluation: the result never depends on it.
//     The copy is scratch memory that later calls reuse: f must not keep
//     its argument after it returns.
//   - Concurrency: with Settings.Workers > 1, f is called from several
//     goroutines and must be safe for concurrent use. Results are
//     bit-identical to the serial ones. A panic in f reaches the caller.
//   - Misuse — a nil f, a dst or errs of the wrong length, a negative, NaN
//     or infinite Step or Noise, an unknown Method — panics before f is called, with
//     a message that starts with "gradients: " and says what was wanted.
//   - A call with dst given makes at most 2 allocations (none once warm:
//     scratch comes from a sync.Pool; TestAllocs), and starts no goroutines
//     when Workers ≤ 1.
package gradients
