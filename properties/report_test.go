package properties_test

import (
	"errors"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestReportEscalated: Report.Escalated counts the entries out of tolerance
// with central differences, which were all computed again with Ridders'
// method: at least the entries the failure reports. For matrices it counted
// the columns still out of tolerance after Ridders instead (5 for a Hessian
// with 13 wrong entries).
func TestReportEscalated(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    *properties.Report
	}{
		{"gradient 2×", properties.GradientReport(rosen, gradtest.ScaledVec(rosenGrad, 2), x5, nil)},
		{"hessian 2×", properties.HessianReport(rosenGrad, gradtest.ScaledHess(rosenHess, 2), x5, nil)},
		{"hessian one pair", properties.HessianReport(rosenGrad, gradtest.PerturbedHess(rosenHess, 1, 2, 1e-4), x5, nil)},
		{"jacobian 2×", properties.JacobianReport(softmaxApply, gradtest.ScaledJac(softmaxJac, 2), x5, nil)},
	} {
		var f *properties.Failure
		if !errors.As(tt.r.Err, &f) {
			t.Fatalf("%s: no failure", tt.name)
		}
		if tt.r.Escalated < f.Bad || tt.r.Escalated > tt.r.Entries {
			t.Errorf("%s: Escalated = %d with %d of %d entries wrong, want between them", tt.name, tt.r.Escalated, f.Bad, tt.r.Entries)
		}
	}
}
