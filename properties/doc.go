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
// # Outcomes
//
// A check has three outcomes: a pass (nil), a bug, and no verdict — the
// check could not decide at x and says why (a kink of f at x, Kind
// Nondifferentiable; a budget that ran out, Kind Stopped; entries that f's
// round-off hides, or that passed loosely beyond the bound of
// Settings.SecondOpinions, Kind Unresolved). One line tells them apart:
//
//	err == nil                           // pass
//	errors.Is(err, properties.Bug)       // a bug (perhaps among no-verdicts)
//	errors.Is(err, properties.NoVerdict) // no verdict here: read err for the reason
//
// Run and Verify fail on bugs and log no-verdicts without failing, unless
// Settings.Strict; they log a pass whose loose entries got no second
// opinion (Report.NoSecondOpinion) too, with how to ask for all. An entry
// of CheckGradient (along coordinates or, with Settings.Directions, a
// direction), CheckJacobian or CheckHessian that no numeric value
// resolves — every one that allows the analytic value, after Ridders'
// method and the ladder of steps, would allow an error of 50% of the
// entry, and the entry is not negligible (that tolerance is above 1e-7
// of the largest entry, and the entry moves the function it is a
// derivative of — f, output r of f for a Jacobian's row r, output r of
// grad for a Hessian's — by more than that function's noise over
// max(1, |xⱼ|), or over a unit step along a direction) — is no pass: it
// is Unresolved, with the noise, the smallest derivative the check
// resolves there and what to do (scale f, check at another point,
// compute f in float64). Where a value precise enough to have seen the
// error — Ridders' from a large first step, its tolerance below the
// discrepancy — refutes the analytic value there, and a first step a
// decade smaller confirms it on a line that is straight at its steps, the
// entry is a bug instead, as where the first values are tight (a sign
// error in a flat region: f = 30 + 1e-11·x); where structure or round-off
// leaves the refutation unconfirmed, it stays Unresolved. A pair
// ∂gᵢ/∂xⱼ, ∂gⱼ/∂xᵢ of CheckSymmetric whose tolerance, after Ridders'
// method from larger steps, would pass an asymmetry of 50% of the pair is
// Unresolved too, with the pairs, grad's noise and what to do; an
// asymmetry that only those larger steps see is not confirmed by the
// check's own and is no bug there. An analytic entry of exactly 0 is never
// Unresolved: at a stationary point the numeric value is as small as its
// own error, and a bug that scales the gradient is invisible there, so a
// gradient wrongly zeroed where f's round-off hides the true one passes.
// A bug in other entries is still a bug, reported first, and a kink
// (Nondifferentiable) beside a bug is listed after it. Report.PerEntry gives each
// entry's status (pass, bug, no verdict), Report.Inconclusive counts the
// entries hidden from the first numeric value, and Report.WorstRatio is
// above 1 exactly when an entry fails.
//
// # Noisy and large functions
//
// An entry that passes with a loose tolerance — one that would pass an
// error of 0.1% (f computed in float32 inside, |f| ≫ ‖∇f‖, |xᵢ| ≫ 1) — is
// differenced again at steps chosen from f's measured noise, and a value
// less precise than that one, and consistent with it, clears nothing
// (docs/NUMERICS.md). Where no structure is near, the value that decides
// is the most accurate the engine gets there: Ridders' extrapolation from
// a step suited to that noise, confirmed by a second start and by the
// ladder. Code computing in float32 needs no setting: its 24-bit values
// are detected. A one-entry error of 0.1% is not always reported there:
// in the measurements of docs/NUMERICS.md ("The sharpened second opinion")
// every one that passed was within 100× the estimate of the best value at
// its point. CheckJacobian, CheckHessian and random directions ask the
// same second opinion of their loose entries.
//
// A second opinion costs about 100 evaluations of f per loose entry,
// where a central difference costs 2, so a check asks it of at most
// Settings.SecondOpinions entries, the loosest first (64 by default), and
// Report.NoSecondOpinion counts the loose entries beyond that: float32
// code at d = 100 has tens, at d = 1000 hundreds, and a 1% bug among them
// can hide. CheckGradient along coordinates therefore gives no verdict
// on them (Kind Unresolved: the bound, not the numerics, left them open),
// and its message says how many, the largest error their tolerances
// would pass, and what to do: a negative SecondOpinions asks every loose
// entry, for tens of times the evaluations of a central difference on
// float32 code, or check fewer parameters at a time. Code in float64
// seldom has a loose entry and costs the same either way
// (bench/README.md, "Cost of a check"). CheckJacobian, CheckHessian and random directions
// still pass the loose entries beyond the bound.
//
// # Tolerances
//
// There is no fixed atol or rtol. Each numeric value comes with an estimate
// of its error — truncation from two step sizes (from a third difference
// in the first screen of a gradient), round-off from the measured noise of
// f — and an entry fails only if it is
// off by more than Margin (default 10) estimates, plus 16 ulps and a floor
// of 1e-10 relative (1e-8 for Hessians, Jacobians and symmetry, whose
// derivatives come from differences of computed vectors). Entries that
// fail with central differences are computed again with Ridders' method,
// and once more at small steps, before any verdict: an entry is wrong only
// if no numeric value precise enough to see the error allows it (see
// above). The estimate is tiny where f is smooth and well scaled, so bugs
// far below PyTorch gradcheck's rtol of 1e-3 are reported (the smallest,
// which grows with d as |f| does, is measured in docs/NUMERICS.md, "The
// screen's noise along each line"), and it grows where round-off or
// curvature make finite differences uncertain, so badly scaled and flat
// functions give no false alarm: where round-off hides a derivative
// altogether, every check of values gives no verdict on the entry, and
// CheckSymmetric none on the pair (Unresolved, see Outcomes).
//
// # Diagnosis
//
// A failure's Kind says what the pattern of wrong entries suggests:
// constant-factor (with the Factor, as 2, 1/2, n or 1/n), sign,
// permutation, transpose, partial (with the worst entry), mismatch;
// not-finite, shape (entries left unwritten, a Jacobian of the wrong size),
// panic (recovered, with its message), input-mutated, nondeterministic;
// nondifferentiable (a kink at x, or structure near x that no step
// resolves, or f and its derivative overflowing float64 at x: no verdict on
// the derivative); unresolved (entries f's round-off hides: no verdict). With one entry (d = 1) no pattern can show: a wrong
// value is a mismatch that states the ratio of the two values.
//
// A panic of a user function at x is a panic verdict. A panic at a point
// the numerical derivative probes away from x is an edge of the function's
// domain, as NaN is (gonum's ChiSquared.CDF panics at x < 0): the
// derivative is taken with steps that stay inside, from the side inside
// when x is on the edge, and where none resolves it the verdict is
// nondifferentiable with the distance.
//
// Structure near x — a kink, a pole, an edge of the domain closer than the
// steps — is looked for along every entry still out of tolerance (and
// every coordinate whose screen differences did not behave smoothly) with
// one-sided differences at steps a decade apart down to 64 ulps of x
// (docs/NUMERICS.md). Where smaller steps resolve the derivative below the
// structure, that value decides: a kink 1e-9 from x or lgamma′ = ψ at
// x = 1e-8 is checked, not crossed.
//
// # Misbehaving functions
//
// Bugs that are not a wrong formula have their own kinds:
//
//   - stale-state: after the check proper, f is called at another point y
//     (x moved by 10% of max(1,|xᵢ|) in every coordinate, signs from the
//     seed) and then grad at x, and grad at y and then grad at x; grad(x)
//     must equal, within 1e-8 of its largest entry, the grad(x) seen right
//     after f(x). A grad that reads activations cached by f's last call
//     fails; a correct cache keyed on x passes. CheckHessian (hess after
//     grad(y)) and CheckJacobian (jac after f(y)) probe the same way. Cost:
//     one evaluation of f, three calls of the derivative.
//   - accumulated-dst: grad, hess, jac and a map's f are called with dst
//     prefilled with 1, −3, −3 and 1; a function that returns the same
//     bits for the same prefill but whose result depends on the prefill
//     reads dst before writing it (dst[i] += … without zeroing). Entries
//     that come back as the prefill itself are left to shape. Cost: four
//     calls.
//   - input-mutated: every call of f, grad, hess and jac is watched, not
//     only the first; the failure names the call (evaluation #n, at which
//     point) and the entries, old → new. The check works on copies, so its
//     verdict on the derivative is given as well. In CheckGradient's
//     one-sided differences of a serial check the engine watches instead
//     (it redoes a pass in which f wrote), and the pass is made again,
//     watched, to name the call: a write that f does not repeat there is
//     reported with the evaluations it happened within.
//   - concurrency-unsafe: with Settings.Workers other than 0 and 1, up to
//     8 evaluations made concurrently (of f in CheckGradient, of grad in
//     CheckHessian and CheckSymmetric, of the map in CheckJacobian; at
//     most 2% of the evaluations, at least 4) are recomputed serially and
//     must agree bit for bit (the function is deterministic at x, or
//     nondeterministic is reported instead). Then the function is called
//     at those points from GOMAXPROCS+1 goroutines (4 to 8) released
//     together, in max(2 rounds, 4% of the evaluations), and must return
//     the serial values. A function that yields inside the window where it
//     shares state is caught; one that never yields only when its calls
//     run in parallel (docs/PROBES.md). On a disagreement the verdicts on
//     values are withdrawn: they may rest on spoilt evaluations. A panic
//     that stopped the check among concurrent calls, where the probe finds
//     the function panicking (or disagreeing) among concurrent calls only,
//     is reported within concurrency-unsafe, not as a panic.
//   - stopped: Settings.MaxEvals bounds the evaluations of f (or of the
//     function differentiated numerically), Settings.Timeout the time
//     (default DefaultTimeout, 5 minutes; negative: none). A check that
//     reaches either stops and says what it had established: neither a
//     pass nor a verdict on the derivative.
//
// # Safety
//
// The user's functions receive copies of x, never x itself; x is
// bit-identical after every check. No panic in a user function escapes a
// check. Misuse by the caller — a nil function, a negative Directions or
// Outputs, a negative, NaN or infinite Margin, a Problem with a field no
// property uses or with no property at all — panics with a message that
// starts with "properties: " (a negative Workers means GOMAXPROCS, as in
// package gradients). An empty x has nothing to check: every check returns
// nil without calling the user's functions. Package gradtest wraps correct
// functions into misbehaving ones for testing checkers.
//
// # Large dimensions
//
// Settings.Directions = k checks directional derivatives along k random
// directions: O(k) evaluations instead of O(d), missing a bug with
// probability at most 2⁻ᵏ (CheckGradient).
package properties
