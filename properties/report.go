package properties

import "fmt"

// A Report is the outcome of one check with the figures behind it: what a
// command or a dashboard shows, where a test only needs the error.
type Report struct {
	// Property is "gradient", "hessian", "symmetry", "jacobian" or
	// "taylor".
	Property string
	// Dim is the dimension d of x; Outputs the number k of outputs of a
	// map (CheckJacobian), else 0.
	Dim, Outputs int
	// Evals is the number of evaluations of f (or of the gradient or map
	// whose derivative was taken numerically); Calls the number of calls of
	// the analytic derivative.
	Evals, Calls int
	// Entries is the number of values compared; Escalated the number that
	// were out of tolerance with Central differences and were computed
	// again with Ridders' method before the verdict (for a matrix, with
	// the whole of their columns).
	Entries, Escalated int
	// MaxRelErr is the largest |analytic − numeric|/max(|analytic|,
	// |numeric|) over the entries that are not inconclusive, an entry below
	// 1e-8 of the largest taken against 1e-8 of the largest; WorstRatio the
	// largest |analytic − numeric|/tolerance over the entries given a
	// verdict, each against the numeric value that decides it (the one that
	// allows it best), so that it is above 1 exactly when an entry fails;
	// WorstTol that entry's tolerance (of its first numeric value).
	MaxRelErr, WorstRatio, WorstTol float64
	// For CheckTaylor, which compares orders, not values, the three are
	// NaN unless it failed.
	//
	// Inconclusive counts entries whose tolerance at the first numeric
	// value is so wide, because of round-off in f, that an error of 50%
	// would pass. CheckGradient (both modes), CheckJacobian and
	// CheckHessian compute them again (Ridders, the ladder of steps);
	// those that no value resolves then, and that are not negligible
	// beside the largest entry, are no verdict (Kind Unresolved, "no
	// verdict" in PerEntry), the others pass or fail as their values say.
	// CheckSymmetric computes the pairs of such entries again (Ridders);
	// those that no value resolves then are no verdict too.
	Inconclusive int
	// NoSecondOpinion counts the entries that passed with a loose
	// tolerance (one that would pass an error of 0.1% of the entry) and
	// were not computed again because Settings.SecondOpinions bounds how
	// many are. CheckGradient along coordinates gives no verdict on
	// those that nothing computed again and that are not negligible
	// against f (Unresolved); the other checks pass them, a pass weaker
	// than the others'. A check of float32 code at d ≥ 100 has many; a negative
	// Settings.SecondOpinions computes them all.
	NoSecondOpinion int
	// Order is the measured order of the Taylor remainder (CheckTaylor).
	Order float64
	// PerEntry is the status of every entry compared, in order (for a
	// matrix, row-major; for random directions, one per direction); nil for
	// CheckTaylor and for checks that stopped before comparing values.
	PerEntry []EntryStatus
	// Err is nil if the property holds, else the failures joined, most
	// telling first; errors.As finds each *Failure.
	Err error
}

// EntryStatus is the verdict on one entry: what a user prints to see where
// a check passed, failed or could not decide.
type EntryStatus struct {
	Entry    string  // "[3]", "[1,2]" or "direction #2"
	Analytic float64 // the analytic value
	Numeric  float64 // the numeric value read by the diagnosis
	Tol      float64 // its tolerance
	// Ratio is |analytic − numeric|/tolerance against the numeric value
	// that decides the entry (see Report.WorstRatio); 0 for no verdict.
	Ratio float64
	// Verdict is "pass", "bug" (Ratio > 1) or "no verdict" (a kink at x,
	// structure near x that no step resolves, or f's round-off hiding the
	// entry: Unresolved).
	Verdict string
}

// String formats the status as one line: entry, verdict, values, ratio.
func (e EntryStatus) String() string {
	analytic, numeric := distinctDigits(e.Analytic, e.Numeric)
	return fmt.Sprintf("%s: %s (analytic %s, numeric %s, tol %.3g, ratio %.3g)", e.Entry, e.Verdict, analytic, numeric, e.Tol, e.Ratio)
}
