package properties_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
)

// mlp32Loss returns the squared-error loss of a 10→16→1 tanh MLP on a
// batch of 8 samples as a function of its 193 parameters (W₁ 16×10, b₁,
// w₂, b₂), computed in float32 inside, with its gradient in float64, and
// parameters drawn from seed.
func mlp32Loss(seed uint64) (f func([]float64) float64, grad func(dst, x []float64), theta []float64) {
	const in, hidden, batch = 10, 16, 8
	const d = hidden*in + 2*hidden + 1
	rnd := rand.New(rand.NewPCG(seed, 4444))
	X := make([]float64, batch*in)
	y := make([]float64, batch)
	for k := range X {
		X[k] = rnd.NormFloat64()
	}
	for k := range y {
		y[k] = rnd.NormFloat64()
	}
	theta = make([]float64, d)
	for k := range theta {
		theta[k] = rnd.NormFloat64() / math.Sqrt(in)
	}
	// Offsets of b₁, w₂ and b₂ in θ.
	const ob1, ow2, ob2 = hidden * in, hidden*in + hidden, hidden*in + 2*hidden
	f = func(p []float64) float64 {
		var loss float32
		for s := 0; s < batch; s++ {
			out := float32(p[ob2])
			for j := 0; j < hidden; j++ {
				z := float32(p[ob1+j])
				for i := 0; i < in; i++ {
					z += float32(p[j*in+i]) * float32(X[s*in+i])
				}
				out += float32(p[ow2+j]) * float32(math.Tanh(float64(z)))
			}
			r := out - float32(y[s])
			loss += r * r / 2
		}
		return float64(loss / batch)
	}
	grad = func(g, p []float64) {
		for k := range g {
			g[k] = 0
		}
		var t [hidden]float64
		for s := 0; s < batch; s++ {
			out := p[ob2]
			for j := 0; j < hidden; j++ {
				z := p[ob1+j]
				for i := 0; i < in; i++ {
					z += p[j*in+i] * X[s*in+i]
				}
				t[j] = math.Tanh(z)
				out += p[ow2+j] * t[j]
			}
			r := (out - y[s]) / batch
			g[ob2] += r
			for j := 0; j < hidden; j++ {
				g[ow2+j] += r * t[j]
				dz := r * p[ow2+j] * (1 - t[j]*t[j])
				g[ob1+j] += dz
				for i := 0; i < in; i++ {
					g[j*in+i] += dz * X[s*in+i]
				}
			}
		}
	}
	return f, grad, theta
}

// unaskedEntries returns the entries a Report gives no verdict.
func unaskedEntries(r *properties.Report) []int {
	var idx []int
	for i, e := range r.PerEntry {
		if e.Verdict == "no verdict" {
			idx = append(idx, i)
		}
	}
	return idx
}

// otherUnresolved returns the number of entries named by the Unresolved
// failures of err other than u.
func otherUnresolved(err error, u *properties.Failure) int {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	n := 0
	for _, e := range errs {
		var f *properties.Failure
		if errors.As(e, &f) && f.Kind == properties.Unresolved && f != u {
			n += f.Bad
		}
	}
	return n
}

// unaskedFailure returns the Unresolved failure of err that names loose
// entries left without a second opinion, or nil.
func unaskedFailure(err error) *properties.Failure {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var f *properties.Failure
		if errors.As(e, &f) && f.Kind == properties.Unresolved && strings.Contains(f.Detail, "got no second opinion: Settings.SecondOpinions") {
			return f
		}
	}
	return nil
}

// TestUnaskedLooseEntries checks that an entry of CheckGradient that
// passed with a loose tolerance and got no second opinion because
// Settings.SecondOpinions was reached is no pass but a no-verdict
// (Unresolved) that says how to lift the bound: on the squared-error loss
// of a 10→16→1 tanh MLP computed in float32 (d = 193, 129 loose entries
// beyond the 64 asked by default), the correct gradient gets no verdict by
// default and, with SecondOpinions = −1, none for want of a second opinion
// (the engine may leave an entry it cannot resolve); a 1% bug in entry 2,
// one of the entries left without a second opinion (before, the check
// returned nil), gets no verdict by default and is reported with −1. A 1%
// bug the default check sees (the first entry where it does) is still a
// bug by default, the first failure, beside the no-verdict on the other
// loose entries.
func TestUnaskedLooseEntries(t *testing.T) {
	f, grad, x := mlp32Loss(1)
	all := &properties.Settings{SecondOpinions: -1}
	r := properties.GradientReport(f, grad, x, nil)
	left := unaskedEntries(r)
	u := unaskedFailure(r.Err)
	t.Logf("correct, default: %d evaluations, %d without a second opinion: %v", r.Evals, r.NoSecondOpinion, r.Err)
	// The entries without verdict are those of the bound's no-verdict and
	// those the engine itself could not resolve (another Unresolved
	// failure: with float32's precision floor, entry [124]).
	if errors.Is(r.Err, properties.Bug) || u == nil || u.Bad+otherUnresolved(r.Err, u) != len(left) || len(left) == 0 ||
		!strings.Contains(u.Detail, "SecondOpinions = -1") || !strings.Contains(u.Detail, "fewer parameters") {
		t.Fatalf("correct gradient, default: err %v, %d entries without verdict, NoSecondOpinion %d; want no verdict on the loose entries left without a second opinion, with how to lift the bound", r.Err, len(left), r.NoSecondOpinion)
	}
	if !slices.Contains(left, 2) {
		t.Fatalf("entry 2 got a second opinion (entries without verdict %v): the bug below tests nothing", left)
	}
	r = properties.GradientReport(f, grad, x, all)
	t.Logf("correct, SecondOpinions −1: %d evaluations: %v", r.Evals, r.Err)
	// With every second opinion asked, no entry is left for want of one;
	// the engine may still leave one it cannot resolve (float32's
	// precision floor hides [124], 6.7e-5 beside noise of 5.9e-7).
	if errors.Is(r.Err, properties.Bug) || unaskedFailure(r.Err) != nil || otherUnresolved(r.Err, nil) > 2 {
		t.Errorf("correct gradient, SecondOpinions −1: %v; want a pass, or a no-verdict on at most 2 entries the engine cannot resolve", r.Err)
	}
	// An entry whose 1% bug the default check sees: the first such entry.
	seen := -1
	for e := range x {
		bad := func(dst, p []float64) {
			grad(dst, p)
			dst[e] *= 1.01
		}
		if errors.Is(properties.CheckGradient(f, bad, x, nil), properties.Bug) {
			seen = e
			break
		}
	}
	if seen < 0 {
		t.Fatal("no 1% one-entry bug is reported by the default check: the bug-first case below tests nothing")
	}
	for _, tt := range []struct {
		entry    int
		def, all error // want: Bug or NoVerdict
	}{
		{2, properties.NoVerdict, properties.Bug},
		{seen, properties.Bug, properties.Bug},
	} {
		bad := func(dst, p []float64) {
			grad(dst, p)
			dst[tt.entry] *= 1.01
		}
		for _, run := range []struct {
			s    *properties.Settings
			want error
		}{{nil, tt.def}, {all, tt.all}} {
			err := properties.CheckGradient(f, bad, x, run.s)
			if !errors.Is(err, run.want) || run.want == properties.NoVerdict && errors.Is(err, properties.Bug) {
				t.Errorf("entry %d 1%% off, settings %+v: %v; want %v", tt.entry, run.s, err, run.want)
			}
			var first *properties.Failure
			if run.s == nil && run.want == properties.Bug && (!errors.As(err, &first) || first.Kind == properties.Unresolved || unaskedFailure(err) == nil) {
				t.Errorf("entry %d 1%% off, default: %v; want the bug first and the no-verdict on the loose entries left without a second opinion", tt.entry, err)
			}
		}
	}
}

// TestUnaskedUnchangedWithinBound checks that checks whose loose entries
// all get their second opinion are unchanged: the quadratic + 1e4 near its
// minimum (float64 code whose entries are loose, |f| ≫ ‖∇f‖) at d = 6 and
// d = 60, correct and with a 1% bug in one entry, gets the same outcome and
// the same evaluations with the default bound and with SecondOpinions = −1,
// and never a no-verdict for want of a second opinion; with the bound at 1
// the float32 MLP of class1Cases (d = 6) gets that no-verdict.
func TestUnaskedUnchangedWithinBound(t *testing.T) {
	for _, d := range []int{6, 60} {
		m, x := make([]float64, d), make([]float64, d)
		rnd := rand.New(rand.NewPCG(uint64(d), 5555))
		for i := range m {
			m[i] = 2*rnd.Float64() - 1
			x[i] = m[i] + 1e-3*(2*rnd.Float64()-1)
		}
		f := func(x []float64) float64 {
			s := 1e4
			for i, v := range x {
				s += (v - m[i]) * (v - m[i])
			}
			return s
		}
		grad := func(g, x []float64) {
			for i, v := range x {
				g[i] = 2 * (v - m[i])
			}
		}
		bad := func(g, x []float64) {
			grad(g, x)
			g[d/2] *= 1.01
		}
		for name, gr := range map[string]func(g, x []float64){"correct": grad, "1% off": bad} {
			r0 := properties.GradientReport(f, gr, x, nil)
			r1 := properties.GradientReport(f, gr, x, &properties.Settings{SecondOpinions: -1})
			t.Logf("d = %d, %s: %d evaluations, %v", d, name, r0.Evals, r0.Err)
			if unaskedFailure(r0.Err) != nil || fmt.Sprint(r0.Err) != fmt.Sprint(r1.Err) || r0.Evals != r1.Evals ||
				(name == "correct") != (r0.Err == nil) {
				t.Errorf("quadratic + 1e4, d = %d, %s: default %v (%d evaluations), SecondOpinions −1 %v (%d evaluations); want the same outcome, a pass if correct and a bug if not", d, name, r0.Err, r0.Evals, r1.Err, r1.Evals)
			}
		}
	}
	cs := class1Cases(3)[2] // float32-mlp
	err := properties.CheckGradient(cs.f, cs.grad, cs.x, &properties.Settings{SecondOpinions: 1})
	if errors.Is(err, properties.Bug) || unaskedFailure(err) == nil {
		t.Errorf("float32 MLP, SecondOpinions 1: %v; want no verdict for the loose entries left without a second opinion", err)
	}
}

// TestUnaskedEachEntry runs the check of TestUnaskedLooseEntries with a 1%
// bug in each of the 193 entries in turn (GRADCHECK_LONG=1): by default
// no bug passes silently unless it got its second opinion and is within
// 100× the error estimate of the best numeric value of its entry
// (checkMissExplained, issue 11's target), and with SecondOpinions = −1
// every pass is within that target. The counts are in docs/NUMERICS.md
// ("Loose entries the bound left without a second opinion").
func TestUnaskedEachEntry(t *testing.T) {
	testenv.Long(t)
	f, grad, x := mlp32Loss(1)
	cs := class1Case{"mlp32-193", f, grad, x}
	var def, all outcome
	for i := range x {
		bad := func(dst, p []float64) {
			grad(dst, p)
			dst[i] *= 1.01
		}
		r := properties.GradientReport(f, bad, x, nil)
		def.add(r.Err)
		if r.Err == nil {
			checkMissExplained(t, cs, 1, i, 0.01)
		}
		err := properties.CheckGradient(f, bad, x, &properties.Settings{SecondOpinions: -1})
		all.add(err)
		if err == nil {
			checkMissExplained(t, cs, 1, i, 0.01)
		}
	}
	t.Logf("1%% bug in each of %d entries: default bug %d, no verdict %d, pass %d; SecondOpinions −1 bug %d, no verdict %d, pass %d",
		len(x), def.bug, def.nov, def.pass, all.bug, all.nov, all.pass)
}
