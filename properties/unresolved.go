package properties

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gradcheck/gradcheck/gradients"
)

// unresolved gives the entries of cmp still unresolved after the check's
// other second opinions (comparison.unresolved) the last one, Ridders'
// extrapolation from riddersStarts (see ridders), decides those that a
// value precise enough to have seen the error refutes (refuted), then
// marks as undecided those that no value resolves even so, and returns the
// entries refuted (out of tolerance now, for the diagnosis) and the
// no-verdict that names the undecided ones, or nil if there are none. It
// is the one rule of every check of values: the gradient along
// coordinates and along directions, the Jacobian and the Hessian.
//
// bad are the entries out of tolerance (a wholesale bug skips the
// Ridders pass: it is a verdict already); redone the entries whose value
// is Ridders' already; examined the entries that got a second opinion,
// which the pass joins to. value returns Ridders' value of entry i from
// the first step start (relative) with that step h₀ (absolute); output names the value
// whose noise hides entry i and gives it ("f(x)", "f(x)[2]"), for the
// message; ln gives the line of each entry (for refuted) and names the
// function and its derivative.
func (s *session) unresolved(cmp *comparison, bad []int, redone, examined map[int]bool, value func(i int, start float64) (estimate, float64), output func(i int) (string, float64), ln lines) (refuted []int, f *Failure) {
	tried := s.ridders(cmp, bad, redone, examined, value)
	refuted = s.refuted(cmp, tried, value, ln)
	norm := cmp.norm()
	var idx []int
	minTol, unexamined := math.Inf(1), 0
	for i := range cmp.a {
		if !cmp.unresolved(i, norm) {
			continue
		}
		idx = append(idx, i)
		_, t, _ := cmp.resolving(i)
		minTol = math.Min(minTol, t)
		if !examined[i] {
			unexamined++
		}
	}
	if len(idx) == 0 {
		return refuted, nil
	}
	list := cmp.undecide(idx)
	// The worst: the largest analytic value hidden.
	w := idx[0]
	for _, i := range idx {
		if math.Abs(cmp.a[i]) > math.Abs(cmp.a[w]) {
			w = i
		}
	}
	budget := ""
	if unexamined > 0 {
		budget = fmt.Sprintf("; %d of them got no second opinion (the ladder and Ridders' method take Settings.SecondOpinions = %d entries each; negative asks for all)", unexamined, s.c.secondOpinions)
	}
	name, v := output(w)
	fn, deriv := ln.fn, ln.deriv
	return refuted, cmp.failure(Unresolved, w, len(idx), fmt.Sprintf(
		"round-off in %s hides %s at x (%s): %s = %.6g with noise %.2g, and no numeric value of these entries that allows the analytic one, after Ridders' method and the ladder of steps, is precise to half the entry (%s: %s = %.3g, the tightest such tolerance %.3g), so an error of 50%% or a sign error there would pass; the smallest derivative the check resolves there is about %.1g%s — not a verdict on %s: scale %s (its changes against its value), check at another point, or compute %s in float64",
		fn, describeCount(len(idx), len(cmp.a), cmp.directions), list, name, v, cmp.noiseOf(cmp.outputOf(w)), cmp.name(w), deriv, cmp.a[w], resolvingTol(cmp, w), 2*minTol, budget, deriv, fn, fn))
}

// ridders recomputes with Ridders' method, from a step of
// riddersStarts[0]·max(1, |xⱼ|) down (value), the entries still unresolved
// after the ladder, at most Settings.SecondOpinions of them (negative:
// all) and none that redone already holds, and records each value as one
// more that may clear its entry (riddersStarts: a second start for those
// the first leaves unresolved). The ladder's steps start at 1e-3 (more
// for a noisy f), where the changes of f along a coordinate may still
// sink in its round-off: BrownBadlyScaled at x = (0.56, −0.029),
// f ≈ 1e12 with noise 2e-4, has ∂f/∂x₁ = −2.33, which the ladder leaves
// at σ/h ≈ 0.2 and no plateau, and Ridders from 0.1 resolves to ±0.007.
// The value only clears (out): a value that refutes the analytic one
// while a wide one allows it leaves the entry unresolved, not wrong, since
// Ridders' steps may cross structure the ladder did not read — unless a
// smaller first step confirms it (refuted). A wholesale bug (bad) is a
// verdict already, and its other entries are not worth the evaluations.
// The entries it recomputes join examined; it returns their values.
func (s *session) ridders(cmp *comparison, bad []int, redone, examined map[int]bool, value func(i int, start float64) (estimate, float64)) map[int][]riddersValue {
	if wholesale(bad, len(cmp.a)) {
		return nil
	}
	norm := cmp.norm()
	var todo []int
	for i := range cmp.a {
		if !redone[i] && cmp.unresolved(i, norm) {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	// The entries the ladder did not read first: the two bounds together
	// give up to twice Settings.SecondOpinions entries a second opinion.
	slices.SortStableFunc(todo, func(i, j int) int {
		switch {
		case examined[i] == examined[j]:
			return 0
		case examined[j]:
			return -1
		}
		return 1
	})
	if n := s.c.secondOpinions; n >= 0 && len(todo) > n {
		todo = todo[:n]
	}
	tried := make(map[int][]riddersValue, len(todo))
	for n, start := range riddersStarts {
		if n > 0 {
			todo = slices.DeleteFunc(todo, func(i int) bool { return !cmp.unresolved(i, norm) })
		}
		for _, i := range todo {
			v, h0 := value(i, start)
			v.e = math.Max(v.e, 2*cmp.noiseOf(cmp.outputOf(i))/h0)
			cmp.addAlt(i, v.v, v.e, v.reach)
			tried[i] = append(tried[i], riddersValue{v, start, h0})
			examined[i] = true
		}
	}
	return tried
}

// riddersStarts are the first steps of ridders' extrapolation, relative to
// max(1, |xⱼ|) (along a direction, to its unit): the largest of the
// engine's default starts. Its estimate is floored at 2σ/h₀, σ the noise
// of the function at x and h₀ that step, as the sharpened value's is
// (sharpen.go): every difference of the tableau is at a step h ≤ h₀ with
// round-off up to σ/h, amplified about 2× by the extrapolation. Without
// the floor, values of f quantized to float32 gave the engine's
// multi-start default 0 ± 5e-8 for a derivative of −2 (the extended
// Rosenbrock function at d = 100, computed in float32), and a single
// start from 0.1 gave −2.19 ± 2e-9: flat steps of a staircase extrapolate
// to an exact-looking value.
//
// Where that start crosses the function's curvature, a second start of
// 1e-3, the ladder's, is tried for the entries still unresolved: the
// Hessian of a logistic loss at logits near 200, where a step of 0.1
// moves a logit by 20, had Ridders' value 4e-7 ± 1e-6 from 0.1 for an
// entry of 1.2e-8 that the gradient's noise of 1.4e-14 leaves resolvable
// at steps near 1e-3 (suites' Logistic/hessian@extreme-logits).
var riddersStarts = [...]float64{0.1, 1e-3}

// riddersSettings returns the engine settings of ridders' values from the
// first step start, relative to max(1, |xⱼ|).
func riddersSettings(start float64) *gradients.Settings {
	return &gradients.Settings{Method: gradients.Ridders, Step: start}
}

// resolvingTol returns the tolerance of the value that resolves entry i
// best (comparison.resolving).
func resolvingTol(cmp *comparison, i int) float64 {
	_, t, _ := cmp.resolving(i)
	return t
}

// undecide marks the entries idx of c as without a verdict (stats) and
// returns their names for a message: the first three, then "…".
func (c *comparison) undecide(idx []int) string {
	if c.undecided == nil {
		c.undecided = make(map[int]bool)
	}
	names := make([]string, 0, 4)
	for n, i := range idx {
		c.undecided[i] = true
		if n < 3 {
			names = append(names, c.name(i))
		}
	}
	list := strings.Join(names, ", ")
	if len(idx) > len(names) {
		list += ", …"
	}
	return list
}
