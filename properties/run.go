package properties

import (
	"errors"
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// A Problem bundles what a user can check: a scalar function with its
// gradient and Hessian (the method set of gonum's optimize.Problem), and/or
// a map with its Jacobian. Nil fields are skipped.
type Problem struct {
	Func func(x []float64) float64
	Grad func(dst, x []float64)
	Hess func(dst *mat.SymDense, x []float64)

	Apply    func(dst, x []float64)
	Jacobian func(dst *mat.Dense, x []float64)
}

// Properties returns the names of the properties p's fields allow, in the
// order Run runs them: "gradient" and "taylor" (Func and Grad), "symmetry"
// (Grad), "hessian" (Grad and Hess), "jacobian" (Apply and Jacobian).
func (p Problem) Properties() []string {
	var out []string
	if p.Func != nil && p.Grad != nil {
		out = append(out, "gradient", "taylor")
	}
	if p.Grad != nil {
		out = append(out, "symmetry")
	}
	if p.Grad != nil && p.Hess != nil {
		out = append(out, "hessian")
	}
	if p.Apply != nil && p.Jacobian != nil {
		out = append(out, "jacobian")
	}
	return out
}

// Report checks the named property of p at x and returns its Report. It
// panics if the property is unknown or p lacks the functions it needs.
func (p Problem) Report(property string, x []float64, s *Settings) *Report {
	switch property {
	case "gradient":
		return GradientReport(p.Func, p.Grad, x, s)
	case "taylor":
		return TaylorReport(p.Func, p.Grad, x, s)
	case "symmetry":
		return SymmetryReport(p.Grad, x, s)
	case "hessian":
		return HessianReport(p.Grad, p.Hess, x, s)
	case "jacobian":
		return JacobianReport(p.Apply, p.Jacobian, x, s)
	}
	panic("properties: Problem.Report: unknown property " + property + " (want gradient, taylor, symmetry, hessian or jacobian)")
}

// Check checks every property of p at x and returns nil if all hold, else
// their failures joined.
func (p Problem) Check(x []float64, s *Settings) error {
	var errs []error
	for _, name := range p.Properties() {
		if err := p.Report(name, x, s).Err; err != nil {
			errs = append(errs, err)
		}
	}
	return joinErrors(errs)
}

// Run checks every property of p at x, each as a subtest of t named after
// it, in the manner of testing/slogtest.Run: a property with a bug fails its
// subtest with the failure's message and leaves the others running. A
// property that ended in no verdict (errors.Is(err, NoVerdict) and no
// Bug) is logged, not failed, unless Settings.Strict, with its reason
// (for Kind Unresolved: the entries f's round-off hides, f's noise and
// what to do). A pass with entries that got no second opinion
// (Report.NoSecondOpinion) is logged too, with how to ask for all.
func Run(t *testing.T, p Problem, x []float64, s *Settings) {
	t.Helper()
	for _, name := range p.Properties() {
		t.Run(name, func(t *testing.T) {
			t.Helper()
			r := p.Report(name, x, s)
			if err := r.Err; err != nil {
				if fails(err, s) {
					t.Error(err)
				} else {
					t.Log("no verdict:", err)
				}
			} else if msg := weakPass(r); msg != "" {
				t.Log(msg)
			}
		})
	}
}

// weakPass returns the line Run and Verify log for a pass of which part
// is weaker than the rest (Report.NoSecondOpinion), or "".
func weakPass(r *Report) string {
	if r.NoSecondOpinion == 0 {
		return ""
	}
	return fmt.Sprintf("%s: pass; %d of %d entries passed with a loose tolerance (one that would pass an error of 0.1%%) and got no second opinion: Settings.SecondOpinions = -1 asks for all",
		r.Property, r.NoSecondOpinion, r.Entries)
}

// TB is the part of testing.TB that Verify needs; *testing.T, *testing.B,
// *testing.F and rapid's *rapid.T all have it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Verify checks every property of p at x and reports each bug with
// t.Errorf (a no-verdict, unless Settings.Strict, and a pass with entries
// that got no second opinion, as Run logs them, with t.Logf if t has it);
// it returns whether no property failed. Unlike Run it makes no subtests,
// so it works inside rapid.Check, with a *rapid.T.
func Verify(t TB, p Problem, x []float64, s *Settings) bool {
	t.Helper()
	ok := true
	logf := func(format string, args ...any) {
		if l, ok := t.(interface{ Logf(string, ...any) }); ok {
			l.Logf(format, args...)
		}
	}
	for _, name := range p.Properties() {
		r := p.Report(name, x, s)
		if err := r.Err; err != nil {
			if !fails(err, s) {
				logf("no verdict: %v", err)
				continue
			}
			t.Errorf("%v", err)
			ok = false
		} else if msg := weakPass(r); msg != "" {
			logf("%s", msg)
		}
	}
	return ok
}

// fails reports whether err fails Run and Verify: a bug, or with
// Settings.Strict any failure.
func fails(err error, s *Settings) bool {
	return s != nil && s.Strict || errors.Is(err, Bug)
}
