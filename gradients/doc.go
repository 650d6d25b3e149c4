// Package gradients computes derivatives numerically — gradients, Jacobians
// and Hessians by finite differences, with error estimates — and provides the
// course lab's losses and maps with exact derivatives to check them against.
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
// is Ridders, started from several steps and safeguarded against steps that
// leave f's domain or cross a singularity or branch cut; it is accurate to
// about 1e-14 relative on smooth functions for 14–25 evaluations per
// coordinate, plus 16 per call that measure f's round-off (Noise).
// Central (2 evaluations per coordinate, about 1e-10) and
// FivePoint (4, about 1e-13) are the cheaper choices. docs/NUMERICS.md
// has the error orders and optimal steps that the defaults come from.
//
// # Conventions
//
//   - Settings: a nil *Settings means defaults, and so does each zero field.
//     Steps are relative to max(1, |xᵢ|) and rounded so that xᵢ+hᵢ is exactly
//     representable; the formulas divide by the distance actually travelled.
//   - dst comes first; a nil dst is allocated (except for Jacobian, whose
//     dst tells the number of outputs); the result is returned.
//   - f never receives the caller's x, only a private copy, and x is
//     bit-identical after every call. An evaluation moves one or two
//     coordinates of the copy and puts them back, so it costs O(1) work
//     besides f. If f writes to its input, the computation is redone with a
//     fresh copy for every evaluation: the result never depends on it.
//   - Concurrency: with Settings.Workers > 1, f is called from several
//     goroutines and must be safe for concurrent use. Results are
//     bit-identical to the serial ones. A panic in f reaches the caller.
//   - Misuse — a nil f, a dst or errs of the wrong length, a negative, NaN
//     or infinite Step, an unknown Method — panics before f is called, with
//     a message that starts with "gradients: " and says what was wanted.
//   - Calls make O(1) allocations when dst is given (TestAllocs).
//
// # Losses and maps
//
// The lab's losses, with exact gradients and Hessians, have the method set
// of gonum's optimize.Problem — Func(w) float64, Grad(dst, w),
// Hess(dst *mat.SymDense, w) — so optimize.Problem{Func: l.Func, Grad:
// l.Grad, Hess: l.Hess} works, and gonum's own test functions
// (optimize/functions) can be checked against Gradient, Jacobian and Hessian
// in the same way:
//
//	SumSquares{}                  Σwᵢ², gradient 2w, Hessian 2I (Task 4.1)
//	MSE{X, Y, L2}                 (1/n)‖Xw − Y‖² (Task 2.1)
//	Logistic{X, Y, L2}            binary cross-entropy of σ(Xw), Y ∈ {0,1} (Task 3.1)
//	SoftmaxCrossEntropy{X, Y, L2} cross-entropy of softmax(XW), Y n×k
//
// X is n×d, one sample per row; w has length d, or d·k for
// SoftmaxCrossEntropy, whose W (d×k) is flattened row-major: w[a*k+b] =
// W[a][b]. L2 = λ adds (λ/2)‖w‖²; zero means none. The maps of the lab's
// "Jacobian intuition", f: ℝᵈ→ℝᵏ, have the method set Outputs(d) k,
// Apply(dst, x) and Jacobian(dst *mat.Dense, x) (k×d, like Jacobian):
//
//	Sigmoid{}    elementwise σ, Jacobian diag(σ(1−σ))
//	Softmax{}    softmax, Jacobian diag(s) − ssᵀ
//	Linear{A}    x ↦ Ax, Jacobian A (k×d)
//
// Conventions of the losses and maps, where they differ from the above:
//
//   - Grad and Hess write into dst and return nothing, as optimize.Problem
//     wants: dst must have the right size (Grad: len(w); Hess: len(w)×len(w)).
//     An empty Hess or Jacobian dst (&mat.SymDense{}, &mat.Dense{}) is
//     sized, gonum's convention.
//   - Values and stability: logs, exponentials and residuals are computed
//     from the logits in stable forms (log1p, the maximum subtracted, σ(z) − 1
//     as −σ(−z)), so Func is finite for every finite logit and Grad keeps
//     full relative precision where a probability is within 1e-16 of 0 or 1.
//     Logistic does not clip p, which the lab suggests: clipping makes the
//     gradient 0 beyond |z| ≈ 16 (see Logistic).
//   - Receivers: MSE, Logistic and SoftmaxCrossEntropy keep a workspace and
//     have pointer receivers: use l := &MSE{X: X, Y: y}, or the method values
//     of an addressable variable (l.Func with l an MSE takes &l). SumSquares
//     and the maps hold nothing and have value receivers.
//   - Allocations and concurrency: Func and Grad make no allocations after a
//     value's first call (TestLossAllocs); Hess allocates O(n·(d+k)) scratch.
//     Values are safe for concurrent use: a call that finds the workspace in
//     use by another goroutine allocates its own, and a copy of a value never
//     shares its workspace with the original (TestLossConcurrent).
//   - Misuse — len(w) other than d (d·k), len(Y) or rows of Y other than n,
//     a dst of the wrong size, a nil or empty X, an L2 that is negative, NaN
//     or infinite — panics before any arithmetic, naming both shapes and what
//     was wanted, e.g. "gradients: MSE.Grad: len(w) = 3, X is 5×4 (want
//     len(w) = 4)".
//   - Bad data — a NaN or infinity in X or Y, a label outside {0,1}, a
//     negative target or a target row that does not sum to 1 — is reported,
//     with its row, column and value, by the Validate method as *DataError
//     values. Func and Grad do not validate (it would cost as much as a
//     call): NaN and infinities propagate into their results, and invalid
//     labels or targets give the value of the same formulas.
package gradients
