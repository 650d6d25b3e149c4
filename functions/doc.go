// Package functions provides differentiable functions with exact
// derivatives: the course lab's losses and maps, written to be checked
// against the numerical derivatives of package gradients and by package
// properties.
//
// The lab's losses, with exact gradients and Hessians, have the method set
// of gonum's optimize.Problem — Func(w) float64, Grad(dst, w),
// Hess(dst *mat.SymDense, w) — so optimize.Problem{Func: l.Func, Grad:
// l.Grad, Hess: l.Hess} works, and gonum's own test functions
// (optimize/functions) can be checked against gradients.Gradient, Jacobian
// and Hessian in the same way:
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
// Apply(dst, x) and Jacobian(dst *mat.Dense, x) (k×d, like
// gradients.Jacobian):
//
//	Sigmoid{}    elementwise σ, Jacobian diag(σ(1−σ))
//	Softmax{}    softmax, Jacobian diag(s) − ssᵀ
//	Linear{A}    x ↦ Ax, Jacobian A (k×d)
//
// # Conventions
//
// The losses follow gonum's optimize.Problem, not the dst-returning
// convention of package gradients:
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
//   - Receivers: MSE, Logistic and SoftmaxCrossEntropy have pointer
//     receivers: use l := &MSE{X: X, Y: y}, or the method values of an
//     addressable variable (l.Func with l an MSE takes &l). SumSquares and
//     the maps have value receivers.
//   - Allocations and concurrency: Func and Grad take their scratch memory
//     from a sync.Pool, so serial calls make no allocations once it is warm
//     (TestLossAllocs); Hess allocates O(n·(d+k)) scratch. Values are safe
//     for concurrent use and copies of a value share nothing
//     (TestLossConcurrent).
//   - Misuse — len(w) other than d (d·k), len(Y) or rows of Y other than n,
//     a dst of the wrong size, a nil or empty X, an L2 that is negative, NaN
//     or infinite — panics before any arithmetic, naming both shapes and what
//     was wanted, e.g. "functions: MSE.Grad: len(w) = 3, X is 5×4 (want
//     len(w) = 4)".
//   - Bad data — a NaN or infinity in X or Y, a label outside {0,1}, a
//     negative target or a target row that does not sum to 1 — is reported,
//     with its row, column and value, by the Validate method as *DataError
//     values. Func and Grad do not validate (it would cost as much as a
//     call): NaN and infinities propagate into their results, and invalid
//     labels or targets give the value of the same formulas.
package functions
