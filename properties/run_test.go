package properties_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// recorder is a TB that records instead of failing.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestRunCorrect(t *testing.T) {
	lf, lj := linear(A35)
	properties.Run(t, properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess, Apply: lf, Jacobian: lj}, x5, nil)
}

func TestProblemProperties(t *testing.T) {
	lf, lj := linear(A35)
	tests := []struct {
		p    properties.Problem
		want []string
	}{
		{properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess}, []string{"gradient", "taylor", "symmetry", "hessian"}},
		{properties.Problem{Grad: rosenGrad}, []string{"symmetry"}},
		{properties.Problem{Apply: lf, Jacobian: lj}, []string{"jacobian"}},
		{properties.Problem{Func: rosen}, nil},
	}
	for _, tt := range tests {
		if got := tt.p.Properties(); !slices.Equal(got, tt.want) {
			t.Errorf("Properties() = %v, want %v", got, tt.want)
		}
	}
}

// TestVerify: Verify reports each failing property through Errorf — the
// route a *rapid.T takes — and returns false; on a correct problem it
// reports nothing.
func TestVerify(t *testing.T) {
	var r recorder
	if !properties.Verify(&r, properties.Problem{Func: rosen, Grad: rosenGrad, Hess: rosenHess}, x5, nil) || len(r.errs) != 0 {
		t.Errorf("correct problem: %v", r.errs)
	}
	r = recorder{}
	bad := properties.Problem{Func: rosen, Grad: gradtest.ScaledVec(rosenGrad, 2), Hess: rosenHess}
	if properties.Verify(&r, bad, x5, nil) {
		t.Error("Verify returned true for a wrong gradient")
	}
	// gradient, taylor and hessian fail (the Hessian no longer matches the
	// doubled gradient); symmetry holds: 2∇f is still a gradient field.
	if len(r.errs) != 3 || !strings.HasPrefix(r.errs[0], "gradient: constant-factor") ||
		!strings.HasPrefix(r.errs[1], "taylor: mismatch") || !strings.HasPrefix(r.errs[2], "hessian: constant-factor") {
		t.Errorf("reports %q", r.errs)
	}
	if err := bad.Check(x5, nil); err == nil || !strings.Contains(err.Error(), "hessian") {
		t.Errorf("Problem.Check: %v", err)
	}
}

// TestVerifyUnderRapid runs ExampleVerify's property for real: a *rapid.T
// is a TB, and a correct loss passes every property at every drawn point.
func TestVerifyUnderRapid(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(rt, "n")
		d := rapid.IntRange(1, 4).Draw(rt, "d")
		entries := rapid.SliceOfN(rapid.Float64Range(-3, 3), n*d, n*d).Draw(rt, "X")
		y := rapid.SliceOfN(rapid.Float64Range(-3, 3), n, n).Draw(rt, "y")
		w := rapid.SliceOfN(rapid.Float64Range(-3, 3), d, d).Draw(rt, "w")
		loss := &functions.MSE{X: matrix(n, d, entries), Y: y}
		properties.Verify(rt, properties.Problem{Func: loss.Func, Grad: loss.Grad, Hess: loss.Hess}, w, nil)
	})
}

// logRecorder is a recorder that has Logf, as *testing.T does.
type logRecorder struct {
	recorder
	logs []string
}

func (r *logRecorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

// TestVerifyLogsWhatIsNoPass: Verify logs a no-verdict of Kind Unresolved
// with its reason and does not fail, fails with it under Settings.Strict,
// and logs the no-verdict of CheckGradient on loose entries left without a
// second opinion, with how to ask for all — and logs nothing for a plain
// pass.
func TestVerifyLogsWhatIsNoPass(t *testing.T) {
	flat := properties.Problem{
		Func: func(x []float64) float64 { return 30 + 1e-13*x[0] + 2e-13*x[1] },
		Grad: func(dst, x []float64) { dst[0], dst[1] = 1e-13, 2e-13 },
	}
	x := []float64{0.5, -0.3}
	var r logRecorder
	if !properties.Verify(&r, flat, x, nil) || len(r.errs) > 0 {
		t.Errorf("a no-verdict failed Verify: %v", r.errs)
	}
	if !slices.ContainsFunc(r.logs, func(s string) bool {
		return strings.Contains(s, "no verdict") && strings.Contains(s, "unresolved") && strings.Contains(s, "noise")
	}) {
		t.Errorf("no log line gives the unresolved no-verdict with its reason: %q", r.logs)
	}
	var strict logRecorder
	if properties.Verify(&strict, flat, x, &properties.Settings{Strict: true}) {
		t.Errorf("Settings.Strict: an unresolved no-verdict passed Verify")
	}

	// Float32 Rosenbrock at d = 40 with one second opinion: the other
	// loose entries got none, and CheckGradient gives them no verdict.
	const d = 40
	x32 := make([]float64, d)
	for i := range x32 {
		x32[i] = 0.5 + 0.01*float64(i)
	}
	s := &properties.Settings{SecondOpinions: 1}
	rep := properties.GradientReport(rosenbrock32, rosenbrock32Grad, x32, s)
	var u *properties.Failure
	if !errors.As(rep.Err, &u) || u.Kind != properties.Unresolved || errors.Is(rep.Err, properties.Bug) || rep.NoSecondOpinion == 0 {
		t.Fatalf("float32 Rosenbrock, SecondOpinions 1: err %v, NoSecondOpinion %d; want no verdict on the loose entries left (the case this test needs)", rep.Err, rep.NoSecondOpinion)
	}
	var loose logRecorder
	p := properties.Problem{Func: rosenbrock32, Grad: rosenbrock32Grad}
	if !properties.Verify(&loose, p, x32, s) || len(loose.errs) > 0 {
		t.Errorf("the no-verdict on loose entries failed Verify: %v", loose.errs)
	}
	want := fmt.Sprintf("%d of %d entries", u.Bad, d)
	if !slices.ContainsFunc(loose.logs, func(s string) bool {
		return strings.Contains(s, want) && strings.Contains(s, "SecondOpinions = -1")
	}) {
		t.Errorf("no log line says %q got no second opinion and how to ask for all: %q", want, loose.logs)
	}

	var plain logRecorder
	properties.Verify(&plain, properties.Problem{Func: rosen, Grad: rosenGrad}, x5, nil)
	if len(plain.logs) > 0 || len(plain.errs) > 0 {
		t.Errorf("a plain pass logged %q, failed %q", plain.logs, plain.errs)
	}
}

// TestProblemMisuse: a Problem with a field that no property uses, or with
// no property at all, would pass Run, Verify and Check having checked
// nothing; each panics instead, naming the field and what it needs. The
// complete problems do not panic.
func TestProblemMisuse(t *testing.T) {
	lf, lj := linear(A35)
	tests := []struct {
		p    properties.Problem
		want string
	}{
		{properties.Problem{}, "no function to check"},
		{properties.Problem{Func: rosen}, "Func is set but Grad is nil"},
		{properties.Problem{Func: rosen, Hess: rosenHess}, "Func is set but Grad is nil"},
		{properties.Problem{Hess: rosenHess}, "Hess is set but Grad is nil"},
		{properties.Problem{Apply: lf}, "Apply is set but Jacobian is nil"},
		{properties.Problem{Jacobian: lj}, "Jacobian is set but Apply is nil"},
		{properties.Problem{Func: rosen, Grad: rosenGrad, Apply: lf}, "Apply is set but Jacobian is nil"},
	}
	for _, tt := range tests {
		for caller, call := range map[string]func(){
			"Problem.Check": func() { tt.p.Check(x5, nil) },
			"Verify":        func() { properties.Verify(&recorder{}, tt.p, x5, nil) },
			"Run":           func() { properties.Run(t, tt.p, x5, nil) },
		} {
			msg := panicMessage(call)
			if !strings.HasPrefix(msg, "properties: "+caller+": ") || !strings.Contains(msg, tt.want) {
				t.Errorf("%s(%v properties %q): panic %q, want one from %s saying %q", caller, len(tt.p.Properties()), tt.p.Properties(), msg, caller, tt.want)
			}
		}
	}
	for _, p := range []properties.Problem{
		{Grad: rosenGrad},
		{Func: rosen, Grad: rosenGrad, Hess: rosenHess},
		{Apply: lf, Jacobian: lj},
	} {
		if msg := panicMessage(func() { p.Check(x5, nil) }); msg != "" {
			t.Errorf("Problem.Check(%q) panicked: %s", p.Properties(), msg)
		}
	}
	msg := panicMessage(func() { properties.Problem{Grad: rosenGrad}.Report("gradient", x5, nil) })
	if !strings.HasPrefix(msg, "properties: Problem.Report: ") || !strings.Contains(msg, "gradient") {
		t.Errorf("Report of a property the Problem lacks: panic %q, want one from Problem.Report naming gradient", msg)
	}
}

// panicMessage returns what f panics with, as a string, or "".
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// TestVerifyNotesWrongGrad: a Hess checked against a wrong Grad fails
// hessian although Hess is right; Verify says so after the gradient bug,
// and says nothing of the kind when Grad is right and Hess wrong.
func TestVerifyNotesWrongGrad(t *testing.T) {
	var r recorder
	properties.Verify(&r, properties.Problem{Func: rosen, Grad: gradtest.ScaledVec(rosenGrad, 0.5), Hess: rosenHess}, x5, nil)
	if len(r.errs) == 0 || !strings.HasPrefix(r.errs[len(r.errs)-1], "hessian: ") || !strings.Contains(r.errs[len(r.errs)-1], "Grad failed gradient above: fix Grad first") {
		t.Errorf("right Hess, wrong Grad: %q; want the hessian failure last, noting that Grad failed gradient", r.errs)
	}
	r = recorder{}
	properties.Verify(&r, properties.Problem{Func: rosen, Grad: rosenGrad, Hess: gradtest.ScaledHess(rosenHess, 0.5)}, x5, nil)
	if len(r.errs) != 1 || !strings.HasPrefix(r.errs[0], "hessian: constant-factor") || strings.Contains(r.errs[0], "fix Grad") {
		t.Errorf("right Grad, wrong Hess: %q; want one hessian failure without a note on Grad", r.errs)
	}
}
