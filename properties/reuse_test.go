package properties_test

import (
	"fmt"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestSessionReuse: a passed check hands its session, with the wrapper of
// f and the probes' state, to the next check (newSession). Every kind of
// check, passing and failing, at another dimension than the check before
// it, reports the same error text, evaluations and calls whether a passed
// gradient check, a passed Hessian check or a failed check ran before it:
// nothing of one check leaks into the next (the stale-state probe of a
// gradient check left in a Hessian check's session, a write to x already
// "reported", a wrapper that evaluates the last check's f).
func TestSessionReuse(t *testing.T) {
	kind := func(k properties.Kind) *properties.Kind { return &k }
	x3 := []float64{0.9, -0.4, 1.3}
	f, g := gradtest.StaleCache(rosen, rosenGrad)
	cases := []struct {
		name string
		want *properties.Kind // nil for a pass
		run  func() *properties.Report
	}{
		{"gradient", nil, func() *properties.Report { return properties.GradientReport(rosen, rosenGrad, x5, nil) }},
		{"gradient 2×", kind(properties.ConstantFactor), func() *properties.Report {
			return properties.GradientReport(rosen, gradtest.ScaledVec(rosenGrad, 2), x5, nil)
		}},
		{"gradient writes x", kind(properties.InputMutated), func() *properties.Report {
			return properties.GradientReport(gradtest.MutatingFunc(rosen), rosenGrad, x5, nil)
		}},
		{"gradient stale", kind(properties.StaleState), func() *properties.Report { return properties.GradientReport(f, g, x5, nil) }},
		{"gradient accumulates", kind(properties.AccumulatedDst), func() *properties.Report {
			return properties.GradientReport(rosen, gradtest.AccumulatingVec(rosenGrad), x5, nil)
		}},
		{"gradient directions", nil, func() *properties.Report {
			return properties.GradientReport(rosen, rosenGrad, x5, &properties.Settings{Directions: 4})
		}},
		{"hessian", nil, func() *properties.Report { return properties.HessianReport(rosenGrad, rosenHess, x5, nil) }},
		{"hessian 2×", kind(properties.ConstantFactor), func() *properties.Report {
			return properties.HessianReport(rosenGrad, gradtest.ScaledHess(rosenHess, 2), x5, nil)
		}},
		{"jacobian", nil, func() *properties.Report { return properties.JacobianReport(softmaxApply, softmaxJac, x5, nil) }},
		{"symmetry", nil, func() *properties.Report { return properties.SymmetryReport(rosenGrad, x5, nil) }},
		{"taylor", nil, func() *properties.Report { return properties.TaylorReport(rosen, rosenGrad, x5, nil) }},
	}
	before := []struct {
		name string
		run  func() *properties.Report
		pass bool
	}{
		{"a passed gradient check", func() *properties.Report { return properties.GradientReport(rosen, rosenGrad, x3, nil) }, true},
		{"a passed Hessian check", func() *properties.Report { return properties.HessianReport(rosenGrad, rosenHess, x3, nil) }, true},
		{"a failed check", func() *properties.Report {
			return properties.GradientReport(rosen, gradtest.ScaledVec(rosenGrad, -1), x3, nil)
		}, false},
	}
	summary := func(r *properties.Report) string {
		return fmt.Sprintf("evals %d, calls %d, entries %d, error %v", r.Evals, r.Calls, len(r.PerEntry), r.Err)
	}
	for _, c := range cases {
		var first string
		for n, b := range before {
			if r := b.run(); (r.Err == nil) != b.pass {
				t.Fatalf("%s: %v", b.name, r.Err)
			}
			r := c.run()
			if c.want == nil && r.Err != nil || c.want != nil && !hasKind(r.Err, *c.want) {
				t.Errorf("%s after %s: %v, want %v", c.name, b.name, r.Err, c.want)
			}
			if n == 0 {
				first = summary(r)
			} else if got := summary(r); got != first {
				t.Errorf("%s after %s:\n%s\nafter %s:\n%s", c.name, b.name, got, before[0].name, first)
			}
		}
	}
}
