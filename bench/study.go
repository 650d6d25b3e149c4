package bench

import (
	"fmt"
	"gonum.org/v1/gonum/stat"
	"math"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// A StudyMethod is a way of computing f′ that Study sweeps: FD(m) for a
// finite-difference method m of package gradients, or ComplexStep. Its
// value is the name that rows, summaries, plots and reports print
// ("Central", "ComplexStep").
type StudyMethod string

// ComplexStep is the complex step Im f(x+ih)/h (gradients.DerivativeComplex),
// the method Study sweeps beside the finite-difference ones.
const ComplexStep StudyMethod = "ComplexStep"

// FD returns the StudyMethod of the finite-difference method m.
func FD(m gradients.Method) StudyMethod { return StudyMethod(m.String()) }

// StudyMethods returns the methods that Study sweeps: FD of each of
// gradients.Methods() (Forward, Backward, Central, FivePoint, Ridders) and
// ComplexStep.
func StudyMethods() []StudyMethod {
	var ms []StudyMethod
	for _, m := range gradients.Methods() {
		ms = append(ms, FD(m))
	}
	return append(ms, ComplexStep)
}

// finiteDifference returns the gradients.Method of m, and false for
// ComplexStep or a name that is none of StudyMethods().
func (m StudyMethod) finiteDifference() (gradients.Method, bool) {
	for _, g := range gradients.Methods() {
		if FD(g) == m {
			return g, true
		}
	}
	return 0, false
}

// The range of recorded errors. Log axes need positive values, so an exact
// answer is recorded as ErrorFloor, a tenth of the smallest error a float64
// derivative can have (ε/2 ≈ 1.1e-16 relative); an error above
// ErrorCeiling, or a NaN or infinite derivative, as ErrorCeiling: the answer
// has no correct digit either way.
const (
	ErrorFloor   = 1e-17
	ErrorCeiling = 10.0
)

// Defaults of StudyConfig.
const (
	defaultPerDecade = 10
	defaultMinEps    = 1e-16
	defaultMaxEps    = 1e-1
	defaultPoints    = 8
	defaultSeed      = 1
)

// sampleSpread is the half-width of the interval around StudyFunc.X where the
// sample points lie: wide enough that the points' round-off errors are
// unrelated, narrow enough that f′ and the truncation error barely change.
const sampleSpread = 0.05

// StudyConfig configures Study. Every zero field means its default.
type StudyConfig struct {
	// Funcs are the functions to sweep. Nil means StudyFuncs(1).
	Funcs []StudyFunc
	// Methods are the methods to sweep (StudyMethods). Nil means all of
	// them. ComplexStep is skipped for a function without FC.
	Methods []StudyMethod
	// PerDecade is the number of steps per decade of the grid, at least 4.
	// Zero means 10.
	PerDecade int
	// MinEps and MaxEps bound the grid of steps. Zero means 1e-16 and
	// 1e-1. The grid is MinEps·10^(k/PerDecade) for k = 0, 1, … up to
	// MaxEps, rounded to whole grid points.
	MinEps, MaxEps float64
	// Points is the number of sample points per function, spread evenly
	// over X ± 0.05; each error is the root mean square of the relative
	// errors at the points. Zero means 8. One point is X itself.
	Points int
}

// StudyRow is one measurement: the relative error of Method's derivative of
// Function with step Eps, clamped to [ErrorFloor, ErrorCeiling].
type StudyRow struct {
	Function string      `json:"function"`
	Method   StudyMethod `json:"method"`
	Eps      float64     `json:"eps"`
	Error    float64     `json:"error"`
}

// StudySummary describes the sweep of one method on one function, measured
// beside theory (docs/NUMERICS.md). NaN means "does not exist": a side
// of the V that the sweep does not show, or a method without that theory.
type StudySummary struct {
	Function string      `json:"function"`
	Method   StudyMethod `json:"method"`

	// OptimalEps is the step of the smallest error, BestError that error.
	// On a flat curve (Ridders, ComplexStep) the position of the minimum
	// within the flat part is arbitrary.
	OptimalEps float64 `json:"optimal_eps"`
	BestError  float64 `json:"best_error"`

	// TruncationSlope is the least-squares slope of log₁₀ error against
	// log₁₀ eps on the truncation side, right of the optimum: from the
	// first step where the error is 100 times the best error (so that
	// round-off, which falls as the step grows and is at most the best
	// error there, is under 1% of it) up to the last before it exceeds
	// 1e-2 (beyond, the next Taylor term bends the curve). Its theory is
	// the order of the method. TruncationPoints is the number of steps
	// fitted; under 3 the slope is NaN.
	TruncationSlope  float64 `json:"truncation_slope"`
	TruncationPoints int     `json:"truncation_points"`

	// RoundoffSlope is the same fit on the round-off side, left of the
	// optimum: from the first step where the error is 100 times the best
	// error down to the last before it exceeds 1e-1, where the difference
	// of f is a few ulps and the error saturates near 1. Its theory is −1
	// (error ≈ ε|f|/h). RoundoffPoints is the number of steps fitted.
	RoundoffSlope  float64 `json:"roundoff_slope"`
	RoundoffPoints int     `json:"roundoff_points"`

	// Theory, from NUMERICS.md for f with derivatives of the order of its
	// value: the optimal step (gradients.OptimalStep; the default first
	// step for Ridders, the default step 1e-20 for ComplexStep), the best
	// relative error, and the slopes of the two sides.
	TheoryOptimalEps      float64 `json:"theory_optimal_eps"`
	TheoryBestError       float64 `json:"theory_best_error"`
	TheoryTruncationSlope float64 `json:"theory_truncation_slope"`
	TheoryRoundoffSlope   float64 `json:"theory_roundoff_slope"`
}

// FunctionInfo describes a swept function in a StudyResult.
type FunctionInfo struct {
	Name   string  `json:"name"`
	About  string  `json:"about"`
	X      float64 `json:"x"`
	Smooth bool    `json:"smooth"`
}

// StudyResult is the outcome of Study: the functions, every measurement
// (function by function, method by method, eps increasing) and one summary
// per function and method, in the same order.
type StudyResult struct {
	Functions []FunctionInfo `json:"functions"`
	Rows      []StudyRow     `json:"rows"`
	Summaries []StudySummary `json:"summaries"`
}

// Summary returns the summary of method on function, and whether there is one.
func (r StudyResult) Summary(function string, method StudyMethod) (StudySummary, bool) {
	for _, s := range r.Summaries {
		if s.Function == function && s.Method == method {
			return s, true
		}
	}
	return StudySummary{}, false
}

// Sweep returns the rows of method on function, eps increasing.
func (r StudyResult) Sweep(function string, method StudyMethod) []StudyRow {
	var rows []StudyRow
	for _, row := range r.Rows {
		if row.Function == function && row.Method == method {
			rows = append(rows, row)
		}
	}
	return rows
}

// Study sweeps the step of every method of cfg over every function of cfg and
// summarizes each sweep (see the package documentation). It panics, before
// calling any function, if:
//   - PerDecade is negative or between 1 and 3;
//   - MinEps or MaxEps is negative, NaN or infinite, or MinEps ≥ MaxEps;
//   - Points is negative;
//   - a method is not one of StudyMethods();
//   - a function has no Name, F or Deriv.
//
// It panics after calling Deriv if the exact derivative is zero, NaN or
// infinite at a sample point: the relative error would not be defined.
func Study(cfg StudyConfig) StudyResult {
	c := resolve(cfg)
	grid := c.grid()
	var res StudyResult
	for _, fn := range c.Funcs {
		res.Functions = append(res.Functions, FunctionInfo{Name: fn.Name, About: fn.About, X: fn.X, Smooth: fn.Smooth})
		xs, exact := samples(fn, c.Points)
		for _, m := range c.Methods {
			if m == ComplexStep && fn.FC == nil {
				continue
			}
			errs := make([]float64, len(grid))
			for k, eps := range grid {
				errs[k] = sweepError(fn, m, xs, exact, eps)
				res.Rows = append(res.Rows, StudyRow{Function: fn.Name, Method: m, Eps: eps, Error: errs[k]})
			}
			res.Summaries = append(res.Summaries, summarize(fn.Name, m, grid, errs))
		}
	}
	return res
}

// resolve validates cfg and fills in the defaults.
func resolve(cfg StudyConfig) StudyConfig {
	c := cfg
	if c.PerDecade < 0 || c.PerDecade > 0 && c.PerDecade < 4 {
		panic(fmt.Sprintf("bench: Study: PerDecade = %d (want ≥ 4, enough points to fit the slopes of each side of the V; 0 means %d)", c.PerDecade, defaultPerDecade))
	}
	if c.PerDecade == 0 {
		c.PerDecade = defaultPerDecade
	}
	for _, e := range []struct {
		name string
		v    *float64
		def  float64
	}{{"MinEps", &c.MinEps, defaultMinEps}, {"MaxEps", &c.MaxEps, defaultMaxEps}} {
		if *e.v < 0 || math.IsNaN(*e.v) || math.IsInf(*e.v, 0) {
			panic(fmt.Sprintf("bench: Study: %s = %v (want a finite step > 0; 0 means %g)", e.name, *e.v, e.def))
		}
		if *e.v == 0 {
			*e.v = e.def
		}
	}
	if c.MinEps >= c.MaxEps {
		panic(fmt.Sprintf("bench: Study: MinEps = %g, MaxEps = %g (want MinEps < MaxEps)", c.MinEps, c.MaxEps))
	}
	if c.Points < 0 {
		panic(fmt.Sprintf("bench: Study: Points = %d (want ≥ 0; 0 means %d)", c.Points, defaultPoints))
	}
	if c.Points == 0 {
		c.Points = defaultPoints
	}
	known := StudyMethods()
	if c.Methods == nil {
		c.Methods = known
	}
	for _, m := range c.Methods {
		if !slices.Contains(known, m) {
			panic(fmt.Sprintf("bench: Study: unknown method %q (want one of %v)", m, known))
		}
	}
	if c.Funcs == nil {
		c.Funcs = StudyFuncs(defaultSeed)
	}
	for i, fn := range c.Funcs {
		if fn.Name == "" || fn.F == nil || fn.Deriv == nil {
			panic(fmt.Sprintf("bench: Study: Funcs[%d] (%q) has no Name, F or Deriv (want all three)", i, fn.Name))
		}
	}
	return c
}

// grid returns the steps MinEps·10^(k/PerDecade), up to MaxEps. Each is
// computed from its exponent, not by repeated multiplication, so that the
// decades are hit as exactly as math.Pow allows.
func (c StudyConfig) grid() []float64 {
	lo, hi := math.Log10(c.MinEps), math.Log10(c.MaxEps)
	n := int(math.Round((hi - lo) * float64(c.PerDecade)))
	g := make([]float64, n+1)
	for k := range g {
		g[k] = math.Pow(10, lo+float64(k)/float64(c.PerDecade))
	}
	g[0], g[n] = c.MinEps, c.MaxEps
	return g
}

// samples returns the sample points of fn and its exact derivative there.
func samples(fn StudyFunc, points int) (xs, exact []float64) {
	xs, exact = make([]float64, points), make([]float64, points)
	for j := range xs {
		if points > 1 {
			xs[j] = fn.X + sampleSpread*(float64(2*j+1)/float64(points)-1)
		} else {
			xs[j] = fn.X
		}
		exact[j] = fn.Deriv(xs[j])
		if exact[j] == 0 || math.IsNaN(exact[j]) || math.IsInf(exact[j], 0) {
			panic(fmt.Sprintf("bench: Study: %s: Deriv(%v) = %v (want a finite, non-zero derivative: errors are relative)", fn.Name, xs[j], exact[j]))
		}
	}
	return xs, exact
}

// sweepError returns the root-mean-square relative error of method m on fn
// with step eps over the sample points, clamped to [ErrorFloor, ErrorCeiling].
func sweepError(fn StudyFunc, m StudyMethod, xs, exact []float64, eps float64) float64 {
	fd, isFD := m.finiteDifference()
	s := &gradients.Settings{Method: fd, Step: eps}
	ss := 0.0
	for j, x := range xs {
		var d float64
		if isFD {
			d = gradients.Derivative(fn.F, x, s)
		} else {
			d = gradients.DerivativeComplex(fn.FC, x, s)
		}
		e := math.Abs(d-exact[j]) / math.Abs(exact[j])
		if !(e <= ErrorCeiling) { // NaN too
			e = ErrorCeiling
		}
		ss += e * e
	}
	return math.Max(math.Sqrt(ss/float64(len(xs))), ErrorFloor)
}

// Fitting windows of the two sides of the V (StudySummary).
const (
	sideFactor      = 100  // a side starts where the error is this many times the best
	truncationLimit = 1e-2 // the truncation side ends before the error exceeds this
	roundoffLimit   = 1e-1 // the round-off side ends before the error exceeds this
	minFitPoints    = 3    // fewer points give no slope
)

// theory is what NUMERICS.md predicts for a method.
type theory struct {
	optimalEps, bestError, truncation, roundoff float64
}

// theoryOf returns the theory of method m, from the table of NUMERICS.md.
func theoryOf(m StudyMethod) theory {
	nan := math.NaN()
	if m == ComplexStep {
		// Nothing is subtracted: no round-off side; truncation h²|f‴|/6.
		return theory{1e-20, 1e-16, 2, nan}
	}
	fd, _ := m.finiteDifference()
	switch fd {
	case gradients.Forward, gradients.Backward:
		return theory{gradients.OptimalStep(fd), 1e-8, 1, -1}
	case gradients.Central:
		return theory{gradients.OptimalStep(fd), 1e-11, 2, -1}
	case gradients.FivePoint:
		return theory{gradients.OptimalStep(fd), 1e-13, 4, -1}
	case gradients.Ridders:
		// Extrapolation removes the truncation error: no truncation side.
		// The extrapolated central differences use steps from the first
		// step down to 1/1.4⁹ ≈ 1/20 of it, so their round-off still
		// scales as ε/h: slope −1 as the first step shrinks.
		return theory{gradients.OptimalStep(fd), 1e-14, nan, -1}
	}
	panic(fmt.Sprintf("bench: no theory for method %q", m))
}

// summarize measures the V of one sweep (see StudySummary).
func summarize(function string, method StudyMethod, grid, errs []float64) StudySummary {
	k := 0
	for i, e := range errs {
		if e < errs[k] {
			k = i
		}
	}
	th := theoryOf(method)
	s := StudySummary{
		Function: function, Method: method,
		OptimalEps: grid[k], BestError: errs[k],
		TheoryOptimalEps: th.optimalEps, TheoryBestError: th.bestError,
		TheoryTruncationSlope: th.truncation, TheoryRoundoffSlope: th.roundoff,
	}
	lo, hi := side(errs, k, +1, truncationLimit)
	s.TruncationSlope, s.TruncationPoints = fitSlope(grid[lo:hi], errs[lo:hi])
	lo, hi = side(errs, k, -1, roundoffLimit)
	s.RoundoffSlope, s.RoundoffPoints = fitSlope(grid[lo:hi], errs[lo:hi])
	return s
}

// side returns the window [lo, hi) of one side of the V, walking from the
// optimum k in direction dir: it starts at the first point whose error is at
// least sideFactor times the best and ends before the first point whose error
// exceeds limit.
func side(errs []float64, k, dir int, limit float64) (lo, hi int) {
	best := errs[k]
	i := k + dir
	for i >= 0 && i < len(errs) && errs[i] < sideFactor*best {
		i += dir
	}
	start := i
	for i >= 0 && i < len(errs) && errs[i] <= limit {
		i += dir
	}
	if dir > 0 {
		return start, i
	}
	return i + 1, start + 1
}

// fitSlope returns the least-squares slope of log₁₀ e against log₁₀ eps and
// the number of points, or NaN if there are fewer than minFitPoints.
func fitSlope(eps, e []float64) (float64, int) {
	n := len(eps)
	if n < minFitPoints {
		return math.NaN(), n
	}
	x, y := make([]float64, n), make([]float64, n)
	for i := range eps {
		x[i], y[i] = math.Log10(eps[i]), math.Log10(e[i])
	}
	_, slope := stat.LinearRegression(x, y, nil, false)
	return slope, n
}
