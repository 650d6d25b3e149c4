// Package bench measures how accurate the numerical derivatives of package
// gradients are as a function of the step, and how fast they are: the eps
// study that answers the lab's question "why is the central difference more
// accurate than the forward difference?", and the performance benchmarks
// (bench_test.go, run with go test -bench).
//
// # The eps study
//
// Study sweeps the step eps over a logarithmic grid, 1e-16 … 1e-1 by default
// with 10 points per decade, and records for every function and method the
// relative error of the derivative against the exact one. It calls the
// engine itself — gradients.Derivative with Settings{Method: m, Step: eps},
// and gradients.DerivativeComplex for the complex step — so it studies the
// real code, not a re-implementation of the formulas.
//
// From each sweep it computes a StudySummary: the measured optimal eps, the
// best error, and the slopes of the two sides of the V that the error makes on
// a log-log plot — truncation on the right (the order of the method: 1, 2 or
// 4), round-off on the left (−1) — beside the theory of docs/NUMERICS.md.
// PlotStudy and WritePlots draw the sweeps with gonum.org/v1/plot;
// StudyResult.SummaryTable renders the summaries as a Markdown table.
//
// # Conventions
//
//   - Errors are relative, |numeric − exact|/|exact|, measured at several
//     points near the function's X and combined as a root mean square: the
//     round-off of a single point is a pseudo-random number that can be
//     anywhere from 0 to a few ε|f|/h, and the mean over points is the
//     smooth curve that the error model describes. Errors are clamped to
//     [ErrorFloor, ErrorCeiling] so that they can be drawn on log axes; a
//     derivative that is NaN or infinite (a step below an ulp of x) counts as
//     ErrorCeiling.
//   - Steps in package gradients are relative to max(1, |x|). The functions of
//     StudyFuncs are sampled in [−1, 1], where the relative step is the
//     absolute step eps; a StudyFunc with |X| > 1 moves by eps·|x|.
//   - Methods are typed: a StudyMethod is FD(m) for a gradients.Method m, or
//     ComplexStep; its value is the name rows, summaries, plots and the
//     report print ("Central"), so JSON carries the same names.
//   - Misuse — a StudyConfig with MinEps ≥ MaxEps, PerDecade below 4, a
//     method that is not one of StudyMethods(), a StudyFunc without F or
//     Deriv — panics with a message that starts with "bench: ". Study is
//     deterministic: the same configuration gives the same result on the
//     same platform.
//   - Values that do not exist — the slope of a side that the sweep does not
//     show, the theory of a method without one — are NaN in Go and null in
//     JSON.
//
// # Entry points
//
//	StudyFuncs       the default functions: exp, sin, log, a polynomial, the lab's
//	                 MSE and Logistic losses along a random direction, a badly
//	                 scaled function
//	Study            the sweep and its summaries (StudyResult)
//	StudyMethods     the methods the study knows: FD(m) for each
//	                 gradients.Method, and ComplexStep
//	SummaryTable     the summaries as Markdown
//	PlotStudy        the error-vs-eps plot of one function
//	WritePlots       every function's plot as SVG and PNG
//
// README.md in this directory has the measured table, a plot, the answer to
// the lab's question, and the benchmark figures with the commands that
// reproduce them.
package bench
