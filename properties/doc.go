// Package properties checks derivatives — gradients, Hessians, Jacobians —
// against numerical ones and returns a verdict you can trust: every real bug
// reported, no false alarm, and a diagnosis of what kind of bug it is.
//
// # Checks
//
//	CheckGradient(f, grad, x, s)   grad is the gradient of f             ("gradient")
//	CheckHessian(grad, hess, x, s) hess is the Jacobian of grad          ("hessian")
//	CheckSymmetric(grad, x, s)     grad is a gradient field              ("symmetry")
//	CheckJacobian(f, jac, x, s)    jac is the Jacobian of f: ℝᵈ→ℝᵏ       ("jacobian")
//	CheckTaylor(f, grad, x, s)     f(x+hu) − f(x) − h∇f·u falls as h²   ("taylor")
//
// Each returns nil if the property holds at x, and otherwise an error in
// which errors.As finds a *Failure per violation (joined, most telling
// first) and errors.Is matches its Kind. GradientReport and its siblings
// return a *Report with the figures behind the verdict. Run and Verify
// check every property of a Problem inside a test (Run as named subtests,
// Verify also under rapid.Check).
//
// # Tolerances
//
// There is no fixed atol or rtol. Each numeric value comes with an estimate
// of its error from package gradients — truncation from two step sizes,
// round-off from the measured noise of f — and an entry fails only if it is
// off by more than Margin (default 10) estimates plus 16 ulps. Entries that
// fail with central differences are computed again with Ridders' method
// before any verdict. The estimate is tiny where f is smooth and well
// scaled, so a bug of 1e-7·‖∇f‖ is reported (PyTorch gradcheck's rtol of
// 1e-3 misses 1e-4), and it grows where round-off or curvature make finite
// differences uncertain, so badly scaled and flat functions give no false
// alarm: where round-off hides a derivative altogether the check passes and
// counts the entry as inconclusive in its Report.
//
// # Diagnosis
//
// A failure's Kind says what the pattern of wrong entries suggests:
// constant-factor (with the Factor, as 2, 1/2, n or 1/n), sign,
// permutation, transpose, partial (with the worst entry), mismatch;
// not-finite, shape (entries left unwritten, a Jacobian of the wrong size),
// panic (recovered, with its message), input-mutated, nondeterministic;
// nondifferentiable (a kink at x: no verdict on the derivative).
//
// # Safety
//
// The user's functions receive copies of x, never x itself; x is
// bit-identical after every check. No panic in a user function escapes a
// check. Misuse by the caller — a nil function, negative Settings — panics
// with a message that starts with "properties: ". Package gradtest wraps
// correct functions into misbehaving ones for testing checkers.
//
// # Large dimensions
//
// Settings.Directions = k checks directional derivatives along k random
// directions: O(k) evaluations instead of O(d), missing a bug with
// probability at most 2⁻ᵏ (CheckGradient).
package properties
