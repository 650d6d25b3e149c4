package properties_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestDirectionsFindBugs: the random-direction check reports the bugs of
// the full check with the same diagnosis where one exists, and passes
// correct gradients.
func TestDirectionsFindBugs(t *testing.T) {
	s := &properties.Settings{Directions: 4}
	if err := properties.CheckGradient(rosen, rosenGrad, x5, s); err != nil {
		t.Errorf("correct gradient: %v", err)
	}
	tests := []struct {
		name   string
		grad   func(dst, x []float64)
		kind   properties.Kind
		factor float64
	}{
		{"2×", gradtest.ScaledVec(rosenGrad, 2), properties.ConstantFactor, 2},
		{"sign", gradtest.ScaledVec(rosenGrad, -1), properties.Sign, -1},
		{"one entry 1e-4", gradtest.PerturbedVec(rosenGrad, 2, 1e-4), properties.Mismatch, 0},
	}
	for _, tt := range tests {
		err := properties.CheckGradient(rosen, tt.grad, x5, s)
		var f *properties.Failure
		if !errors.As(err, &f) || f.Kind != tt.kind || tt.factor != 0 && math.Abs(f.Factor-tt.factor) > 1e-6 {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.kind)
			continue
		}
		if f.Seed != properties.DefaultSeed {
			t.Errorf("%s: failure carries seed %d, want the default %d", tt.name, f.Seed, uint64(properties.DefaultSeed))
		}
	}
}

// TestDirectionsMissProbability measures the documented miss rates over 400
// seeds. A one-entry bug is never missed. A bug δ(eᵢ − eⱼ) cancels along u
// exactly when uᵢ and uⱼ have the same sign: probability 1/2 per direction,
// 2⁻ᵏ for k directions. The bounds are ±3 binomial standard deviations:
// for k = 1, 200 ± 30 misses; for k = 4, 25 ± 15.
func TestDirectionsMissProbability(t *testing.T) {
	const seeds = 400
	x := []float64{0.3, -0.2, 0.7, 0.1, -0.4, 0.9} // |xᵢ| ≤ 1: u has entries ±1
	g := make([]float64, len(x))
	rosenGrad(g, x)
	delta := 1e-3 * math.Abs(g[1])
	oneEntry := gradtest.OffsetVec(rosenGrad, 3, delta)
	twoEntries := gradtest.OffsetVec(gradtest.OffsetVec(rosenGrad, 1, delta), 4, -delta)
	for _, k := range []int{1, 4} {
		missedOne, missedTwo := 0, 0
		for seed := uint64(1); seed <= seeds; seed++ {
			s := &properties.Settings{Directions: k, Seed: seed}
			if properties.CheckGradient(rosen, oneEntry, x, s) == nil {
				missedOne++
			}
			if properties.CheckGradient(rosen, twoEntries, x, s) == nil {
				missedTwo++
			}
		}
		if missedOne != 0 {
			t.Errorf("k = %d: a one-entry bug was missed for %d of %d seeds, want 0", k, missedOne, seeds)
		}
		want := seeds * math.Pow(0.5, float64(k))
		sd := math.Sqrt(seeds * math.Pow(0.5, float64(k)) * (1 - math.Pow(0.5, float64(k))))
		if math.Abs(float64(missedTwo)-want) > 3*sd {
			t.Errorf("k = %d: a cancelling two-entry bug was missed for %d of %d seeds, want %.0f ± %.0f", k, missedTwo, seeds, want, 3*sd)
		}
		t.Logf("k = %d: missed the two-entry bug %d/%d times (2⁻ᵏ predicts %.0f)", k, missedTwo, seeds, want)
	}
}
