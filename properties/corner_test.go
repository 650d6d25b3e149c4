package properties_test

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestNoFalseAlarmsSharpCorner: a logistic loss on data whose entries reach
// 1e3 (drawn by the mutant corpus, RAPID_SEED=87) has softplus corners
// about 1e-3 wide along w[3]; Ridders' default steps run from 0.1 down to
// 2e-5 and its extrapolated derivative along w[3] was off by 0.09 with an
// estimate of 0.002. The correct gradient must pass, and 8× the gradient
// (a missing 1/n with n = 8) must still be diagnosed as a constant factor
// of 8 — both rest on the second estimate at smaller steps (cross).
func TestNoFalseAlarmsSharpCorner(t *testing.T) {
	X := mat.NewDense(8, 8, []float64{
		0.42607336601419976, -0.23831321177550793, -1.6999202243612508, 4.876384719190038, 0.05573850647001645, 0.9645361602814835, -1.6891054137525, -4.062715115967903,
		-145.4030785029788, 6.486756587103507, -384.0797052379429, 58.191698253706235, -517.7003395708023, 862.629029680417, -8.861094076055839, 85.94722804386197,
		44.47010108133156, 996.4400309800512, 73.33810436123628, -48.47266737278279, 0.46214507852325715, -0.5185743108043808, -4.260475187399208, -51.17449399057713,
		1.0637533576692442, 2.775300216247971, -1.682857954908812, 3.9402582638021606, -8.441822225040545, 0.05885793983582811, -0.3785144268028443, -3.0741367069810868,
		0.9930801111278095, -0.33522466578143695, -48.01020172277754, -3.357037704639009, -293.8565439375712, -0.012861115249307161, -199.6790477957876, 6.259362817910173,
		14.184751211479218, -3.9762647631228716, -22.289282659741044, -40.53389243105626, -0.42691072114336187, -1.9701118022882464, -167.44735698482765, -30.43960843354054,
		-104.78760083956534, 21.985351410444757, 169.98324041756982, 299.4038274871662, -4.957883973885484, 3.416283051171608, 4.913680297157746, -442.7438990576575,
		-135.8532892048192, 28.935343399068685, 216.7060372074777, -597.9397094074416, -29.83730458465049, -15.25065785511051, -39.39394426258874, 436.6041235989804,
	})
	y := []float64{0, 1, 0, 0, 1, 0, 0, 1}
	w := []float64{-3.5, 0.734375, 5.5, 9.999999999999998, -0.14140625, 0.11407030320651519, -0.9999999999999999, 9.731480479240417}
	l := &functions.Logistic{X: X, Y: y}
	if err := properties.CheckGradient(l.Func, l.Grad, w, nil); err != nil {
		t.Errorf("correct gradient: false alarm:\n%v", err)
	}
	err := properties.CheckGradient(l.Func, gradtest.ScaledVec(l.Grad, 8), w, nil)
	var f *properties.Failure
	if !asFailure(err, &f) || f.Kind != properties.ConstantFactor || math.Abs(f.Factor-8) > 1e-6 {
		t.Errorf("8× gradient: got %v, want constant-factor 8", err)
	}
}
