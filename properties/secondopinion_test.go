package properties_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
)

// A float32Map is a map ℝᵈ→ℝᵏ computed in float32 inside, with its
// Jacobian in float64.
type float32Map struct {
	name string
	k    int
	f    func(dst, x []float64)
	jac  func(dst *mat.Dense, x []float64)
	x    []float64
}

// float32Maps returns the maps of seed: softmax of 5 logits and the three
// outputs of a 6→8→3 tanh MLP, both computed in float32.
func float32Maps(seed uint64) []float32Map {
	rnd := rand.New(rand.NewPCG(seed, 2222))
	const d, hidden, k = 6, 8, 3
	xs := make([]float64, 5)
	for i := range xs {
		xs[i] = 2 * rnd.NormFloat64()
	}
	softmax := float32Map{name: "softmax32", k: len(xs), x: xs,
		f: func(dst, x []float64) {
			m := float32(math.Inf(-1))
			for _, v := range x {
				m = max(m, float32(v))
			}
			var sum float32
			for i, v := range x {
				e := float32(math.Exp(float64(float32(v) - m)))
				dst[i] = float64(e)
				sum += e
			}
			for i := range x {
				dst[i] = float64(float32(dst[i]) / sum)
			}
		},
		jac: func(dst *mat.Dense, x []float64) {
			if dst.IsEmpty() {
				dst.ReuseAs(len(x), len(x))
			}
			m := math.Inf(-1)
			for _, v := range x {
				m = math.Max(m, v)
			}
			s := make([]float64, len(x))
			sum := 0.0
			for i, v := range x {
				s[i] = math.Exp(v - m)
				sum += s[i]
			}
			for i := range s {
				s[i] /= sum
			}
			for r := range s {
				for c := range s {
					v := -s[r] * s[c]
					if r == c {
						v += s[r]
					}
					dst.Set(r, c, v)
				}
			}
		}}
	W := make([]float64, hidden*d)
	for i := range W {
		W[i] = rnd.NormFloat64() / math.Sqrt(d)
	}
	V := make([]float64, k*hidden)
	for i := range V {
		V[i] = rnd.NormFloat64()
	}
	b := make([]float64, hidden)
	for i := range b {
		b[i] = 0.1 * rnd.NormFloat64()
	}
	xm := make([]float64, d)
	for i := range xm {
		xm[i] = rnd.NormFloat64()
	}
	mlp := float32Map{name: "mlp32", k: k, x: xm,
		f: func(dst, x []float64) {
			var t [hidden]float32
			for j := range t {
				z := float32(b[j])
				for i, xi := range x {
					z += float32(W[j*d+i]) * float32(xi)
				}
				t[j] = float32(math.Tanh(float64(z)))
			}
			for r := 0; r < k; r++ {
				var s float32
				for j := range t {
					s += float32(V[r*hidden+j]) * t[j]
				}
				dst[r] = float64(s)
			}
		},
		jac: func(dst *mat.Dense, x []float64) {
			if dst.IsEmpty() {
				dst.ReuseAs(k, d)
			}
			for r := 0; r < k; r++ {
				for i := 0; i < d; i++ {
					dst.Set(r, i, 0)
				}
			}
			for j := 0; j < hidden; j++ {
				z := b[j]
				for i, xi := range x {
					z += W[j*d+i] * xi
				}
				t := math.Tanh(z)
				for r := 0; r < k; r++ {
					for i := 0; i < d; i++ {
						dst.Set(r, i, dst.At(r, i)+V[r*hidden+j]*(1-t*t)*W[j*d+i])
					}
				}
			}
		}}
	return []float32Map{softmax, mlp}
}

// float32Hessian returns, for seed, a 6→8→1 tanh MLP whose gradient is
// computed in float32 inside and whose Hessian is computed in float64.
func float32Hessian(seed uint64) (grad func(dst, x []float64), hess func(dst *mat.SymDense, x []float64), x []float64) {
	rnd := rand.New(rand.NewPCG(seed, 3333))
	const d, hidden = 6, 8
	W := make([]float64, hidden*d)
	for i := range W {
		W[i] = rnd.NormFloat64() / math.Sqrt(d)
	}
	v, b := make([]float64, hidden), make([]float64, hidden)
	for j := range v {
		v[j], b[j] = rnd.NormFloat64(), 0.1*rnd.NormFloat64()
	}
	x = make([]float64, d)
	for i := range x {
		x[i] = rnd.NormFloat64()
	}
	grad = func(dst, x []float64) {
		var g [d]float32
		for j := 0; j < hidden; j++ {
			z := float32(b[j])
			for i, xi := range x {
				z += float32(W[j*d+i]) * float32(xi)
			}
			t := float32(math.Tanh(float64(z)))
			for i := range g {
				g[i] += float32(v[j]) * (1 - t*t) * float32(W[j*d+i])
			}
		}
		for i := range g {
			dst[i] = float64(g[i])
		}
	}
	hess = func(dst *mat.SymDense, x []float64) {
		for p := 0; p < d; p++ {
			for q := p; q < d; q++ {
				dst.SetSym(p, q, 0)
			}
		}
		for j := 0; j < hidden; j++ {
			z := b[j]
			for i, xi := range x {
				z += W[j*d+i] * xi
			}
			t := math.Tanh(z)
			c := -2 * v[j] * t * (1 - t*t)
			for p := 0; p < d; p++ {
				for q := p; q < d; q++ {
					dst.SetSym(p, q, dst.At(p, q)+c*W[j*d+p]*W[j*d+q])
				}
			}
		}
	}
	return grad, hess, x
}

// outcome tallies verdicts.
type outcome struct{ pass, bug, nov int }

func (o *outcome) add(err error) {
	switch {
	case err == nil:
		o.pass++
	case errors.Is(err, properties.Bug):
		o.bug++
	default:
		o.nov++
	}
}

var secondOpinionRels = []float64{1e-3, 1e-2, 1e-1}

// measureSecondOpinions runs the float32 cases of seeds first…last: each
// Jacobian (float32Maps) and Hessian (float32Hessian), and the float32
// gradients of class1Cases in random-direction mode (8 directions), and
// fails t where a correct derivative gets a bug verdict. With bugs, each
// also with one entry off by each of secondOpinionRels; a bug that passes
// a Jacobian or Hessian check must be within 100× the error estimate of
// the best numeric value of its entry (checkEntryMissExplained). It
// returns the tallies by case and error.
func measureSecondOpinions(t *testing.T, first, last uint64, bugs bool) map[string]*outcome {
	res := map[string]*outcome{}
	tally := func(key string, err error) {
		if res[key] == nil {
			res[key] = &outcome{}
		}
		res[key].add(err)
	}
	correct := func(what string, seed uint64, err error) {
		tally(what+" correct", err)
		switch {
		case errors.Is(err, properties.Bug):
			t.Errorf("%s seed %d: correct derivative flagged: %v", what, seed, err)
		case err != nil:
			t.Logf("%s seed %d: correct derivative, no verdict: %v", what, seed, err)
		}
	}
	for seed := first; seed <= last; seed++ {
		for _, m := range float32Maps(seed) {
			s := &properties.Settings{Outputs: m.k}
			correct("jacobian "+m.name, seed, properties.CheckJacobian(m.f, m.jac, m.x, s))
			e := int(seed) % (m.k * len(m.x))
			for _, rel := range secondOpinionRels {
				if !bugs {
					break
				}
				bad := func(dst *mat.Dense, x []float64) {
					m.jac(dst, x)
					r, c := e/len(m.x), e%len(m.x)
					dst.Set(r, c, dst.At(r, c)*(1+rel))
				}
				err := properties.CheckJacobian(m.f, bad, m.x, s)
				tally("jacobian "+m.name+" "+relName(rel), err)
				if err == nil {
					checkEntryMissExplained(t, "jacobian "+m.name, seed, output(m.f, m.k, e/len(m.x)), m.x, e%len(m.x), jacAt(m, e), rel)
				}
			}
		}
		grad, hess, x := float32Hessian(seed)
		correct("hessian mlp32", seed, properties.CheckHessian(grad, hess, x, nil))
		p, q := int(seed)%len(x), int(seed/7)%len(x)
		for _, rel := range secondOpinionRels {
			if !bugs {
				break
			}
			bad := func(dst *mat.SymDense, x []float64) {
				hess(dst, x)
				dst.SetSym(p, q, dst.At(p, q)*(1+rel))
			}
			err := properties.CheckHessian(grad, bad, x, nil)
			tally("hessian mlp32 "+relName(rel), err)
			if err == nil {
				h := mat.NewSymDense(len(x), nil)
				hess(h, x)
				checkEntryMissExplained(t, "hessian mlp32", seed, output(grad, len(x), p), x, q, h.At(p, q), rel)
			}
		}
		for _, cs := range class1Cases(seed) {
			if cs.name != "float32" && cs.name != "float32-mlp" {
				continue
			}
			s := &properties.Settings{Directions: 8, Seed: seed}
			correct("directions "+cs.name, seed, properties.CheckGradient(cs.f, cs.grad, cs.x, s))
			i := int(seed) % len(cs.x)
			for _, rel := range secondOpinionRels {
				if !bugs {
					break
				}
				bad := func(dst, x []float64) {
					cs.grad(dst, x)
					dst[i] *= 1 + rel
				}
				tally("directions "+cs.name+" "+relName(rel), properties.CheckGradient(cs.f, bad, cs.x, s))
			}
		}
	}
	return res
}

// TestFloat32SecondOpinions checks, over 100 seeds, CheckJacobian,
// CheckHessian and CheckGradient's random directions on code computed in
// float32 inside (softmax of 5 logits and a 6→8→3 tanh MLP's outputs; a
// 6→8→1 MLP's gradient computed in float32; class1Cases' float32 sum and
// MLP with 8 directions): a correct derivative never gets a bug verdict,
// and a one-entry error is reported at nearly every seed. Before loose
// entries got the sharpened second opinion there, these checks passed a
// 10% error in a Jacobian or Hessian entry at (nearly) every seed; the
// rates before and after are in docs/NUMERICS.md. The bounds below are
// the measured misses with room for a few seeds more; every Jacobian or
// Hessian miss is checked against issue 11's target by itself
// (checkEntryMissExplained).
func TestFloat32SecondOpinions(t *testing.T) {
	res := measureSecondOpinions(t, 1, 100, true)
	maxPass := map[string]int{
		"jacobian softmax32 10%": 0, "jacobian softmax32 1%": 10,
		"jacobian mlp32 10%": 0, "jacobian mlp32 1%": 3,
		"hessian mlp32 10%": 0, "hessian mlp32 1%": 4,
		"directions float32 10%": 0, "directions float32 1%": 4, "directions float32 0.1%": 15,
		"directions float32-mlp 10%": 0, "directions float32-mlp 1%": 3, "directions float32-mlp 0.1%": 15,
	}
	for _, k := range sortedKeys(res) {
		o := res[k]
		t.Logf("%-32s bug %3d  no-verdict %3d  pass %3d", k, o.bug, o.nov, o.pass)
		if m, ok := maxPass[k]; ok && o.pass > m {
			t.Errorf("%s: passed at %d of 100 seeds, want at most %d", k, o.pass, m)
		}
		if strings.HasSuffix(k, "correct") && o.nov > 5 {
			t.Errorf("%s: no verdict at %d of 100 seeds, want at most 5", k, o.nov)
		}
	}
}

// TestFloat32SecondOpinionsRandomPoints checks that correct float32
// Jacobians, Hessians and directional derivatives (the cases of
// TestFloat32SecondOpinions) get no bug verdict at 300 more seeds (1500
// points), 2900 with GRADCHECK_LONG=1 (14 500 points), and no verdict at
// no more than 5% of them.
func TestFloat32SecondOpinionsRandomPoints(t *testing.T) {
	last := uint64(400)
	if testing.Short() {
		last = 150
	}
	check := func(t *testing.T, first, last uint64) {
		res := measureSecondOpinions(t, first, last, false)
		n := int(last - first + 1)
		for _, k := range sortedKeys(res) {
			o := res[k]
			t.Logf("%-32s seeds %d…%d: bug %d, no verdict %d, pass %d", k, first, last, o.bug, o.nov, o.pass)
			if 100*o.nov > 5*n {
				t.Errorf("%s: no verdict at %d of %d seeds, want at most 5%%", k, o.nov, n)
			}
		}
	}
	check(t, 101, last)
	t.Run("long", func(t *testing.T) {
		testenv.Long(t)
		check(t, last+1, 3000)
	})
}

func sortedKeys(m map[string]*outcome) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// output returns output r of the map f (k outputs) as a function of x.
func output(f func(dst, x []float64), k, r int) func(x []float64) float64 {
	dst := make([]float64, k)
	return func(x []float64) float64 {
		f(dst, x)
		return dst[r]
	}
}

// jacAt returns entry e (row-major) of m's Jacobian at m.x.
func jacAt(m float32Map, e int) float64 {
	var j mat.Dense
	m.jac(&j, m.x)
	return j.At(e/len(m.x), e%len(m.x))
}

// checkEntryMissExplained fails t if a bug of rel in an entry whose
// correct value is a, the derivative of fr along coordinate c, passed
// although it exceeds 100× the error estimate of the best numeric value of
// that derivative (properties.BestDerivative): issue 11's target, as
// checkMissExplained states it for gradients.
func checkEntryMissExplained(t *testing.T, name string, seed uint64, fr func([]float64) float64, x []float64, c int, a, rel float64) {
	t.Helper()
	v, e, _, ok := properties.BestDerivative(fr, x, c)
	if bug := rel * math.Abs(a); ok && bug > 100*e {
		t.Errorf("%s seed %d: a bug of %g in an entry (%.6g, coordinate %d) passed, %.3g× the best estimate %.6g ± %.2g", name, seed, rel, a, c, bug/e, v, e)
	}
}

// rosenbrock32 is the extended Rosenbrock function computed in float32
// inside; rosenbrock32Grad, in float64, is its gradient.
func rosenbrock32(x []float64) float64 {
	var sum float32
	for i := 0; i < len(x)-1; i++ {
		xi, xn := float32(x[i]), float32(x[i+1])
		a := 1 - xi
		b := xn - xi*xi
		sum += a*a + 100*b*b
	}
	return float64(sum)
}

func rosenbrock32Grad(dst, x []float64) {
	for i := range dst {
		dst[i] = 0
	}
	for i := 0; i < len(x)-1; i++ {
		b := x[i+1] - x[i]*x[i]
		dst[i] += -2*(1-x[i]) - 400*x[i]*b
		dst[i+1] += 200 * b
	}
}

// TestSecondOpinionsBound checks Settings.SecondOpinions on the extended
// Rosenbrock function computed in float32 at d = 1000 (the point of the
// cost table, bench/README.md), where every entry passes the screen with a
// loose tolerance: by default only the 64 loosest get a second opinion, a
// 1% bug in entry d/2, outside them, is not seen — the check ends in no
// verdict (Unresolved: entries hidden from every value it asked), not a
// pass — and the Report counts the entries left without one; with SecondOpinions = −1 every loose entry
// gets one and the bug is reported, while the correct gradient still
// gets no bug verdict. On float64 code, where no entry is loose, the
// setting changes nothing, not even the cost.
func TestSecondOpinionsBound(t *testing.T) {
	const d = 1000
	x := make([]float64, d)
	for i := range x {
		x[i] = 1.5 * math.Sin(0.7*float64(i))
	}
	bad := func(dst, x []float64) {
		rosenbrock32Grad(dst, x)
		dst[d/2] *= 1.01
	}
	all := &properties.Settings{SecondOpinions: -1}

	r := properties.GradientReport(rosenbrock32, bad, x, nil)
	if errors.Is(r.Err, properties.Bug) || !errors.Is(r.Err, properties.Unresolved) || r.NoSecondOpinion == 0 {
		t.Errorf("default: 1%% bug in entry %d: err %v, NoSecondOpinion %d; want no verdict (unresolved) that reports loose entries left without a second opinion (the bound this test documents)", d/2, r.Err, r.NoSecondOpinion)
	}
	t.Logf("default, 1%% bug: %d evaluations, %d loose entries without a second opinion", r.Evals, r.NoSecondOpinion)
	r = properties.GradientReport(rosenbrock32, bad, x, all)
	if !errors.Is(r.Err, properties.Bug) || r.NoSecondOpinion != 0 {
		t.Errorf("SecondOpinions −1: 1%% bug in entry %d: err %v, NoSecondOpinion %d; want a bug, every loose entry asked", d/2, r.Err, r.NoSecondOpinion)
	}
	t.Logf("every loose entry, 1%% bug: %d evaluations: %v", r.Evals, r.Err)
	r = properties.GradientReport(rosenbrock32, rosenbrock32Grad, x, all)
	if errors.Is(r.Err, properties.Bug) || r.NoSecondOpinion != 0 {
		t.Errorf("SecondOpinions −1: correct gradient: err %v, NoSecondOpinion %d; want no bug verdict", r.Err, r.NoSecondOpinion)
	}
	t.Logf("every loose entry, correct: %d evaluations, err %v", r.Evals, r.Err)

	// float64: nothing loose, the same cost either way.
	f64 := func(x []float64) float64 {
		s := 0.0
		for i := 0; i < len(x)-1; i++ {
			a, b := 1-x[i], x[i+1]-x[i]*x[i]
			s += a*a + 100*b*b
		}
		return s
	}
	r0 := properties.GradientReport(f64, rosenbrock32Grad, x, nil)
	r1 := properties.GradientReport(f64, rosenbrock32Grad, x, all)
	if r0.Err != nil || r1.Err != nil || r0.NoSecondOpinion != 0 || r0.Evals != r1.Evals {
		t.Errorf("float64: default %v (%d evaluations, %d without a second opinion), SecondOpinions −1 %v (%d evaluations); want passes at the same cost", r0.Err, r0.Evals, r0.NoSecondOpinion, r1.Err, r1.Evals)
	}
}

// TestNoSecondOpinionCounted checks that every check with second opinions
// counts the loose entries its bound left without one: with
// SecondOpinions = 1, a float32 Jacobian, Hessian and random-direction
// check leave some, and with the default of 64, larger than their entries,
// none; a check of float64 code has none to leave.
func TestNoSecondOpinionCounted(t *testing.T) {
	const seed = 3
	m := float32Maps(seed)[0]
	grad, hess, x := float32Hessian(seed)
	cs := class1Cases(seed)[2] // float32-mlp
	f64 := func(x []float64) float64 { return x[0]*x[0] + math.Sin(x[1]) }
	g64 := func(g, x []float64) { g[0], g[1] = 2*x[0], math.Cos(x[1]) }
	reports := func(s properties.Settings) map[string]*properties.Report {
		jac, dirs := s, s
		jac.Outputs, dirs.Directions = m.k, 8
		return map[string]*properties.Report{
			"jacobian":   properties.JacobianReport(m.f, m.jac, m.x, &jac),
			"hessian":    properties.HessianReport(grad, hess, x, &s),
			"directions": properties.GradientReport(cs.f, cs.grad, cs.x, &dirs),
			"float64":    properties.GradientReport(f64, g64, []float64{0.3, 0.7}, &s),
		}
	}
	for name, r := range reports(properties.Settings{SecondOpinions: 1}) {
		t.Logf("%s: %d of %d entries without a second opinion", name, r.NoSecondOpinion, r.Entries)
		if errors.Is(r.Err, properties.Bug) || (name == "float64") != (r.NoSecondOpinion == 0) {
			t.Errorf("%s, SecondOpinions 1: err %v, NoSecondOpinion %d of %d entries; want no bug, and loose entries left unless float64", name, r.Err, r.NoSecondOpinion, r.Entries)
		}
	}
	for name, r := range reports(properties.Settings{}) {
		if r.NoSecondOpinion != 0 {
			t.Errorf("%s, default: NoSecondOpinion %d of %d entries; want 0 (the bound is 64)", name, r.NoSecondOpinion, r.Entries)
		}
	}
}
