package properties_test

import (
	"errors"
	"math"
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

// TestWorstRatioAgrees: Report.WorstRatio is above 1 exactly when an entry
// fails, and PerEntry says which. A pass near lgamma's pole reported a
// WorstRatio of 1.47e4, the error against a value that crossed the pole
// while another cleared the entry.
func TestWorstRatioAgrees(t *testing.T) {
	relu2 := func(x []float64) float64 { return math.Max(0, x[0]) + x[1]*x[1] }
	relu2Grad := func(dst, x []float64) { dst[0] = 0; dst[1] = 2 * x[1] }
	for _, tt := range []struct {
		name string
		r    *properties.Report
		want string // the worst verdict among the entries
	}{
		{"rosen", properties.GradientReport(rosen, rosenGrad, x5, nil), "pass"},
		{"lgamma at 1e-6", properties.GradientReport(lgamma, func(dst, x []float64) { dst[0] = digamma(x[0]) }, []float64{1e-6}, nil), "pass"},
		{"lgamma at 1e-8", properties.GradientReport(lgamma, func(dst, x []float64) { dst[0] = digamma(x[0]) }, []float64{1e-8}, nil), "pass"},
		{"rosen, one entry 1e-4 off", properties.GradientReport(rosen, gradtest.PerturbedVec(rosenGrad, 3, 1e-4), x5, nil), "bug"},
		{"rosen 2×", properties.GradientReport(rosen, gradtest.ScaledVec(rosenGrad, 2), x5, nil), "bug"},
		{"ReLU at its kink", properties.GradientReport(relu2, relu2Grad, []float64{0, 0.7}, nil), "no verdict"},
	} {
		r := tt.r
		if len(r.PerEntry) != r.Entries {
			t.Fatalf("%s: %d statuses for %d entries", tt.name, len(r.PerEntry), r.Entries)
		}
		counts := map[string]int{}
		for _, e := range r.PerEntry {
			counts[e.Verdict]++
			if (e.Verdict == "bug") != (e.Ratio > 1) {
				t.Errorf("%s: %v: verdict and ratio disagree", tt.name, e)
			}
		}
		switch tt.want {
		case "pass":
			if r.Err != nil || r.WorstRatio > 1 || counts["pass"] != r.Entries {
				t.Errorf("%s: err %v, WorstRatio %.3g, statuses %v: want a pass with WorstRatio ≤ 1", tt.name, r.Err, r.WorstRatio, r.PerEntry)
			}
		case "bug":
			if !errors.Is(r.Err, properties.Bug) || !(r.WorstRatio > 1) || counts["bug"] == 0 {
				t.Errorf("%s: err %v, WorstRatio %.3g, statuses %v: want a bug with WorstRatio > 1", tt.name, r.Err, r.WorstRatio, r.PerEntry)
			}
		case "no verdict":
			if errors.Is(r.Err, properties.Bug) || !errors.Is(r.Err, properties.NoVerdict) || r.WorstRatio > 1 || counts["no verdict"] != 1 {
				t.Errorf("%s: err %v, WorstRatio %.3g, statuses %v: want one entry without verdict, the rest passing", tt.name, r.Err, r.WorstRatio, r.PerEntry)
			}
		}
	}
}
