package bench

import (
	"encoding/json"
	"flag"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/gradcheck/gradcheck/gradients"
)

var update = flag.Bool("update", false, "rewrite testdata/summary.md and ../docs/eps-study.png from the default study, and testdata/costs.md from the checker")

// defaultStudy runs the default study once for all tests (about 0.2 s).
var defaultStudy = sync.OnceValue(func() StudyResult { return Study(StudyConfig{}) })

// summaryOf returns the summary of method on function or fails the test.
func summaryOf(t *testing.T, res StudyResult, function string, method StudyMethod) StudySummary {
	t.Helper()
	s, ok := res.Summary(function, method)
	if !ok {
		t.Fatalf("no summary of %s on %s", method, function)
	}
	return s
}

// reproduce makes a failure of the top-level test t end with what
// reproduces it: the study is deterministic and its random data come from
// StudyFuncs(defaultSeed).
func reproduce(t *testing.T) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("seed %d (StudyFuncs); rerun: go test ./bench/ -run '^%s$' -v", defaultSeed, t.Name())
		}
	})
}

// within reports whether v lies in [lo, hi].
func within(v, lo, hi float64) bool { return v >= lo && v <= hi }

// TestStudyShape asserts the shape that docs/NUMERICS.md predicts on the
// smooth functions, with these bounds: where the optimum lies, how
// small the best error is, and the slopes of the two sides of the V.
func TestStudyShape(t *testing.T) {
	reproduce(t)
	res := defaultStudy()
	smooth := 0
	for _, fn := range res.Functions {
		if !fn.Smooth {
			continue
		}
		smooth++
		t.Run(fn.Name, func(t *testing.T) {
			central := summaryOf(t, res, fn.Name, FD(gradients.Central))
			if !within(central.OptimalEps, 1e-7, 1e-4) || central.BestError > 1e-9 {
				t.Errorf("Central: optimal eps = %.2g, best error = %.2g (want eps in [1e-7, 1e-4], error ≤ 1e-9)", central.OptimalEps, central.BestError)
			}
			for _, m := range []gradients.Method{gradients.Forward, gradients.Backward} {
				if s := summaryOf(t, res, fn.Name, FD(m)); !within(s.OptimalEps, 1e-10, 1e-6) {
					t.Errorf("%s: optimal eps = %.2g (want in [1e-10, 1e-6])", m, s.OptimalEps)
				}
			}
			for m, order := range map[gradients.Method]float64{gradients.Forward: 1, gradients.Backward: 1, gradients.Central: 2, gradients.FivePoint: 4} {
				s := summaryOf(t, res, fn.Name, FD(m))
				if s.TheoryTruncationSlope != order {
					t.Errorf("%s: theory truncation slope = %v, want %v", m, s.TheoryTruncationSlope, order)
				}
				if !within(s.TruncationSlope, order-0.3, order+0.3) {
					t.Errorf("%s: truncation slope = %.3g over %d points (want %v ± 0.3)", m, s.TruncationSlope, s.TruncationPoints, order)
				}
				// The round-off side is noisy point by point, but the fit
				// over 50–120 points of root-mean-square errors was within
				// 0.03 of −1 on every smooth function when this was
				// written; ±0.25 leaves room for other platforms' rounding
				// (FMA) without admitting another law (slope −1/2 or −2).
				if !within(s.RoundoffSlope, -1.25, -0.75) {
					t.Errorf("%s: round-off slope = %.3g over %d points (want −1 ± 0.25)", m, s.RoundoffSlope, s.RoundoffPoints)
				}
			}
			// The lab's answer: each higher order buys accuracy.
			fwd, five := summaryOf(t, res, fn.Name, FD(gradients.Forward)), summaryOf(t, res, fn.Name, FD(gradients.FivePoint))
			if !(five.BestError < central.BestError && central.BestError < fwd.BestError) {
				t.Errorf("best errors: FivePoint %.2g, Central %.2g, Forward %.2g (want increasing)", five.BestError, central.BestError, fwd.BestError)
			}
			if s := summaryOf(t, res, fn.Name, FD(gradients.Ridders)); s.BestError > 1e-13 {
				t.Errorf("Ridders: best error = %.2g (want ≤ 1e-13, NUMERICS.md: 1e-15 … 1e-14)", s.BestError)
			}
			if s := summaryOf(t, res, fn.Name, ComplexStep); s.BestError > 1e-15 {
				t.Errorf("ComplexStep: best error = %.2g (want ≤ 1e-15)", s.BestError)
			}
		})
	}
	if smooth < 4 {
		t.Errorf("%d smooth functions, want at least 4 (exp, sin, log, a polynomial)", smooth)
	}
}

// TestStudyStructure checks that the study sees what the functions that
// break the theory's assumptions should show.
func TestStudyStructure(t *testing.T) {
	reproduce(t)
	res := defaultStudy()
	// The MSE is quadratic along a line: central differences have no
	// truncation error, so there is no truncation side and the error falls
	// up to the largest step.
	if s := summaryOf(t, res, "mse", FD(gradients.Central)); !math.IsNaN(s.TruncationSlope) || s.OptimalEps < 1e-2 {
		t.Errorf("mse, Central: truncation slope = %.3g, optimal eps = %.2g (want no truncation side, optimum ≥ 1e-2)", s.TruncationSlope, s.OptimalEps)
	}
	// 1e6 + eˣ: round-off is 10⁶ times larger, so the optimum moves right
	// and the best error up, by about (10⁶)^(1/3) and (10⁶)^(2/3) for
	// central differences; the complex step does not care.
	c := summaryOf(t, res, "offset", FD(gradients.Central))
	if c.OptimalEps < 20*c.TheoryOptimalEps || c.BestError < 1e3*c.TheoryBestError {
		t.Errorf("offset, Central: optimal eps = %.2g, best error = %.2g (want ≥ 20× and ≥ 1000× the theory's %.2g, %.2g)", c.OptimalEps, c.BestError, c.TheoryOptimalEps, c.TheoryBestError)
	}
	if s := summaryOf(t, res, "offset", ComplexStep); s.BestError > 1e-15 {
		t.Errorf("offset, ComplexStep: best error = %.2g (want ≤ 1e-15)", s.BestError)
	}
	for _, fn := range res.Functions {
		if s, ok := res.Summary(fn.Name, ComplexStep); ok && !math.IsNaN(s.RoundoffSlope) {
			t.Errorf("%s, ComplexStep: round-off slope = %.3g over %d points (want none: nothing is subtracted)", fn.Name, s.RoundoffSlope, s.RoundoffPoints)
		}
	}
}

// TestStudyGrid checks that every function and method is swept over 1e-16 …
// 1e-1 with at least 4 steps per decade.
func TestStudyGrid(t *testing.T) {
	reproduce(t)
	for _, perDecade := range []int{0, 4} {
		res := defaultStudy()
		if perDecade != 0 {
			res = Study(StudyConfig{PerDecade: perDecade, Points: 1})
		}
		if len(res.Functions) < 7 {
			t.Errorf("PerDecade %d: %d functions, want the 7 of StudyFuncs", perDecade, len(res.Functions))
		}
		for _, fn := range res.Functions {
			for _, m := range StudyMethods() {
				rows := res.Sweep(fn.Name, m)
				if len(rows) == 0 {
					t.Errorf("PerDecade %d: no rows for %s on %s", perDecade, m, fn.Name)
					continue
				}
				if lo, hi := rows[0].Eps, rows[len(rows)-1].Eps; lo != 1e-16 || hi != 1e-1 {
					t.Errorf("PerDecade %d, %s on %s: eps from %g to %g, want 1e-16 to 1e-1", perDecade, m, fn.Name, lo, hi)
				}
				perDec := make(map[int]int)
				for i, r := range rows {
					if i > 0 && !(r.Eps > rows[i-1].Eps) {
						t.Fatalf("%s on %s: eps not increasing at row %d", m, fn.Name, i)
					}
					if !within(r.Error, ErrorFloor, ErrorCeiling) {
						t.Errorf("%s on %s: error %g at eps %g outside [%g, %g]", m, fn.Name, r.Error, r.Eps, ErrorFloor, ErrorCeiling)
					}
					// Decade of the step, rounding away the error of Pow.
					perDec[int(math.Floor(math.Log10(r.Eps)+1e-9))]++
				}
				for d := -16; d < -1; d++ {
					if perDec[d] < 4 {
						t.Errorf("PerDecade %d, %s on %s: %d steps in [1e%d, 1e%d), want ≥ 4", perDecade, m, fn.Name, perDec[d], d, d+1)
					}
				}
			}
		}
	}
}

// TestStudyDeterministic runs the study twice.
func TestStudyDeterministic(t *testing.T) {
	a, err := json.Marshal(defaultStudy())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(Study(StudyConfig{}))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("two runs of the default study differ")
	}
}

// TestStudyMisuse checks that misuse panics before any function is called.
func TestStudyMisuse(t *testing.T) {
	called := false
	fn := StudyFunc{Name: "f", F: func(x float64) float64 { called = true; return x }, Deriv: func(float64) float64 { called = true; return 1 }}
	for _, tc := range []struct {
		name string
		cfg  StudyConfig
		want string
	}{
		{"PerDecade", StudyConfig{Funcs: []StudyFunc{fn}, PerDecade: 3}, "PerDecade = 3"},
		{"negative PerDecade", StudyConfig{Funcs: []StudyFunc{fn}, PerDecade: -1}, "PerDecade = -1"},
		{"MinEps ≥ MaxEps", StudyConfig{Funcs: []StudyFunc{fn}, MinEps: 1e-2, MaxEps: 1e-3}, "want MinEps < MaxEps"},
		{"NaN MaxEps", StudyConfig{Funcs: []StudyFunc{fn}, MaxEps: math.NaN()}, "MaxEps = NaN"},
		{"negative Points", StudyConfig{Funcs: []StudyFunc{fn}, Points: -2}, "Points = -2"},
		{"unknown method", StudyConfig{Funcs: []StudyFunc{fn}, Methods: []StudyMethod{FD(gradients.Central), "Spline"}}, `unknown method "Spline"`},
		{"no F", StudyConfig{Funcs: []StudyFunc{fn, {Name: "g"}}}, `Funcs[1] ("g")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "bench: Study: ") || !strings.Contains(msg, tc.want) {
					t.Errorf("panic %q, want one starting with %q containing %q", msg, "bench: Study: ", tc.want)
				}
				if called {
					t.Error("a function was called before the panic")
				}
			}()
			Study(tc.cfg)
		})
	}
	t.Run("zero derivative", func(t *testing.T) {
		defer func() {
			if msg, _ := recover().(string); !strings.Contains(msg, "want a finite, non-zero derivative") {
				t.Errorf("panic %q, want the zero-derivative message", msg)
			}
		}()
		Study(StudyConfig{Funcs: []StudyFunc{{Name: "sq", F: func(x float64) float64 { return x * x }, Deriv: func(x float64) float64 { return 2 * x }, X: 0}}, Points: 1})
	})
}
