package properties

import (
	"fmt"
	"math"
	"time"
)

// Settings configures the checks. A nil *Settings means defaults, and so does
// every zero field.
type Settings struct {
	// Directions, if positive, makes CheckGradient compare directional
	// derivatives along this many random directions instead of every
	// coordinate: O(Directions) evaluations of f instead of O(d), for large
	// d. See CheckGradient for the probability of missing a bug. The other
	// checks ignore it: CheckSymmetric and CheckHessian build a d×d matrix
	// and a Report entry per matrix entry whatever it is, so their memory
	// grows as d² (bench/README.md, "Memory of the matrix checks"), and Run
	// runs them on a Problem with Grad: at large d, check the gradient alone.
	Directions int

	// Seed seeds the random directions (random-direction checks and
	// CheckTaylor). Zero means DefaultSeed, so runs are reproducible; the
	// seed is printed in every failure that used it.
	Seed uint64

	// Margin is how many estimated errors of the numeric value a difference
	// may span before it is a failure. Zero means DefaultMargin.
	Margin float64

	// Workers is the number of goroutines evaluating f and grad; zero or
	// one is serial, and a negative value means runtime.GOMAXPROCS(0), as in
	// package gradients. With Workers other than 0 and 1 the user's
	// functions must be safe for concurrent use, and the check probes
	// that they are (Kind concurrency-unsafe), calling the function it
	// differentiates from up to 8 goroutines at once, whatever Workers.
	Workers int

	// Outputs is the number of outputs k of the map checked by
	// CheckJacobian. Zero means: ask jac, which must size an empty
	// *mat.Dense to k×d (gonum's convention for an empty receiver).
	Outputs int

	// MaxEvals, if positive, bounds the evaluations of f (or of the
	// function differentiated numerically), all of them: at x, for the
	// numerical derivative and for the probes after it (Report.Evals never
	// exceeds it). A check that reaches it stops and reports Kind Stopped
	// with what it established so far — neither a pass nor a verdict on the
	// derivative. Zero means no bound.
	MaxEvals int

	// Timeout bounds a check's time the same way. Zero means
	// DefaultTimeout; a negative value means no limit. It is looked at
	// before the evaluations of the function differentiated numerically
	// (before every few while they take under a millisecond each, so a
	// check may run a few milliseconds past it): a call that never returns
	// is not interrupted (Go cannot stop a goroutine), and the calls of the
	// analytic derivative at x are not counted against MaxEvals.
	Timeout time.Duration

	// SecondOpinions bounds the entries that pass with a loose tolerance
	// (one that would pass an error of 0.1% of the entry: f computed in
	// float32, |f| ≫ ‖∇f‖) and are computed again before the check passes
	// them: the ladder of steps and, below no structure, two Ridders
	// extrapolations from its top step (docs/NUMERICS.md, "The sharpened
	// second opinion"), about 100 evaluations of f per entry where a
	// central difference costs 2. Zero means DefaultSecondOpinions, the
	// loosest first; a negative value means every loose entry.
	// Report.NoSecondOpinion counts the loose entries beyond the bound.
	// CheckGradient along coordinates gives them no verdict (Kind
	// Unresolved: a pass there could miss a bug of 1% in float32 code);
	// CheckJacobian, CheckHessian and random directions keep their screen
	// verdict. A check of float32 code with more than 64 parameters gives
	// every entry a second opinion only with a negative value
	// (bench/README.md, "Cost of a check", counts what that costs). The
	// entries of a check of float64 code are seldom loose, and its cost
	// does not change.
	SecondOpinions int

	// Strict makes Run and Verify fail on no-verdicts too (failures that
	// errors.Is matches with NoVerdict, such as a kink at x), which they
	// otherwise log without failing. The checks themselves return such
	// failures either way.
	Strict bool
}

const (
	// DefaultSeed is the seed used when Settings.Seed is zero.
	DefaultSeed = 0x9e3779b97f4a7c15
	// DefaultMargin is the default Settings.Margin. The error estimates of
	// package gradients bound the actual error within a factor 2.8 in every
	// one of 6700 entries of its TestGradientErrorEstimate (1.4 for Central
	// and 1.9 for Ridders, the methods the checks use); a margin of 10
	// leaves room for estimates from fewer samples and still reports a bug
	// of 1e-7·‖∇f‖∞ on well-scaled problems of small d (TestSensitivity;
	// the smallest bug reported at larger d is in docs/NUMERICS.md).
	DefaultMargin = 10
	// DefaultSecondOpinions is the default Settings.SecondOpinions: the
	// loose entries given a second opinion, as many as the entries out of
	// tolerance that are recomputed (maxEscalate).
	DefaultSecondOpinions = 64
	// DefaultTimeout is the default Settings.Timeout: well inside go
	// test's default of 10 minutes, so a check on a slow f stops and says
	// so instead of the test binary being killed.
	DefaultTimeout = 5 * time.Minute
)

// config is a resolved Settings.
type config struct {
	directions int
	seed       uint64
	margin     float64
	workers    int
	outputs    int
	maxEvals   int64
	timeout    time.Duration // ≤ 0: none
	// secondOpinions bounds the loose entries computed again (< 0: all).
	secondOpinions int
}

// resolve validates s and fills in defaults; the single place settings are
// checked, so every Check rejects the same misuse the same way.
func resolve(caller string, s *Settings) config {
	c := config{seed: DefaultSeed, margin: DefaultMargin, timeout: DefaultTimeout, secondOpinions: DefaultSecondOpinions}
	if s == nil {
		return c
	}
	switch {
	case s.SecondOpinions < 0:
		c.secondOpinions = -1
	case s.SecondOpinions > 0:
		c.secondOpinions = s.SecondOpinions
	}
	if s.Directions < 0 {
		panic(fmt.Sprintf("properties: %s: Directions = %d (want ≥ 0; 0 checks every coordinate)", caller, s.Directions))
	}
	if s.Margin < 0 || math.IsNaN(s.Margin) || math.IsInf(s.Margin, 0) {
		panic(fmt.Sprintf("properties: %s: Margin = %v (want a finite margin ≥ 0; 0 means %d)", caller, s.Margin, DefaultMargin))
	}
	if s.Outputs < 0 {
		panic(fmt.Sprintf("properties: %s: Outputs = %d (want ≥ 0; 0 asks jac)", caller, s.Outputs))
	}
	c.directions, c.workers, c.outputs = s.Directions, s.Workers, s.Outputs
	if s.MaxEvals < 0 {
		panic(fmt.Sprintf("properties: %s: MaxEvals = %d (want ≥ 0; 0 means no bound)", caller, s.MaxEvals))
	}
	c.maxEvals = int64(s.MaxEvals)
	if s.Timeout != 0 {
		c.timeout = s.Timeout
	}
	if s.Seed != 0 {
		c.seed = s.Seed
	}
	if s.Margin != 0 {
		c.margin = s.Margin
	}
	return c
}
