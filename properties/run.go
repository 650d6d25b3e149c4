package properties

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// A Problem bundles what a user can check: a scalar function with its
// gradient and Hessian (the method set of gonum's optimize.Problem), and/or
// a map with its Jacobian. Nil fields are skipped, but a field that no
// property can use without another (Func or Hess without Grad, Apply
// without Jacobian, Jacobian without Apply), or a Problem that allows no
// property at all, is misuse: Check, Run and Verify panic on it rather than
// pass a check that checked nothing.
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

// mustCheckSomething panics, with a message naming caller, if p has a
// field that no property uses or allows no property at all.
func (p Problem) mustCheckSomething(caller string) {
	fail := func(what string) {
		panic("properties: " + caller + ": " + what + " (Problem.Properties lists what is checked)")
	}
	switch {
	case p.Func != nil && p.Grad == nil:
		fail("Problem.Func is set but Grad is nil: gradient and taylor check Func against Grad, and nothing checks Func alone")
	case p.Hess != nil && p.Grad == nil:
		fail("Problem.Hess is set but Grad is nil: hessian checks Hess against the numerical Jacobian of Grad")
	case p.Apply != nil && p.Jacobian == nil:
		fail("Problem.Apply is set but Jacobian is nil: jacobian checks Jacobian against Apply, and nothing checks Apply alone")
	case p.Jacobian != nil && p.Apply == nil:
		fail("Problem.Jacobian is set but Apply is nil: jacobian checks Jacobian against Apply")
	case len(p.Properties()) == 0:
		fail("the Problem has no function to check: set Func and Grad, Grad and Hess, or Apply and Jacobian")
	}
}

// Report checks the named property of p at x and returns its Report. It
// panics if the property is unknown or p lacks the functions it needs.
func (p Problem) Report(property string, x []float64, s *Settings) *Report {
	if !slices.Contains(p.Properties(), property) && slices.Contains(allProperties, property) {
		panic("properties: Problem.Report: the Problem lacks the functions property " + property + " needs (it allows " + fmt.Sprint(p.Properties()) + ")")
	}
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

// allProperties lists every property a Problem may allow, in Run's order.
var allProperties = []string{"gradient", "taylor", "symmetry", "hessian", "jacobian"}

// Check checks every property of p at x and returns nil if all hold, else
// their failures joined. It panics if p has a field no property uses or
// allows no property (see Problem).
func (p Problem) Check(x []float64, s *Settings) error {
	p.mustCheckSomething("Problem.Check")
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
// (Report.NoSecondOpinion) is logged too, with how to ask for all. A
// failure of hessian after a bug in gradient or symmetry says that Hess was
// checked against a Grad that is itself wrong. Run panics if p has a field
// no property uses or allows no property (see Problem).
func Run(t *testing.T, p Problem, x []float64, s *Settings) {
	t.Helper()
	p.mustCheckSomething("Run")
	gradBug := ""
	for _, name := range p.Properties() {
		t.Run(name, func(t *testing.T) {
			t.Helper()
			r := p.Report(name, x, s)
			if err := r.Err; err != nil {
				if fails(err, s) {
					t.Error(withGradNote(err, name, gradBug))
					if errors.Is(err, Bug) && (name == "gradient" || name == "symmetry") && gradBug == "" {
						gradBug = name
					}
				} else {
					t.Log("no verdict:", err)
				}
			} else if msg := weakPass(r); msg != "" {
				t.Log(msg)
			}
		})
	}
}

// withGradNote returns err's message, followed for a failure of the
// hessian property after a bug in Grad (found by the property gradBug) by a
// note that Hess was checked against that Grad.
func withGradNote(err error, property, gradBug string) string {
	if property != "hessian" || gradBug == "" {
		return err.Error()
	}
	return err.Error() + "\n(hessian checks Hess against the numerical Jacobian of Grad, and Grad failed " + gradBug + " above: fix Grad first, then check Hess again)"
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
// so it works inside rapid.Check, with a *rapid.T. Like Run it notes a
// hessian failure after a bug in Grad, and panics if p has a field no
// property uses or allows no property (see Problem).
func Verify(t TB, p Problem, x []float64, s *Settings) bool {
	t.Helper()
	p.mustCheckSomething("Verify")
	ok := true
	gradBug := ""
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
			t.Errorf("%s", withGradNote(err, name, gradBug))
			if errors.Is(err, Bug) && (name == "gradient" || name == "symmetry") && gradBug == "" {
				gradBug = name
			}
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
