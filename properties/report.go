package properties

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
	// largest |analytic − numeric|/tolerance (above 1 fails), and WorstTol
	// that entry's tolerance.
	MaxRelErr, WorstRatio, WorstTol float64
	// For CheckTaylor, which compares orders, not values, the three are
	// NaN unless it failed.
	//
	// Inconclusive counts entries whose tolerance is so wide, because of
	// round-off in f, that an error of 50% would pass: the check could not
	// see a bug there, and does not claim one.
	Inconclusive int
	// Order is the measured order of the Taylor remainder (CheckTaylor).
	Order float64
	// Err is nil if the property holds, else the failures joined, most
	// telling first; errors.As finds each *Failure.
	Err error
}
