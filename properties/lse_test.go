package properties_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestNoBugVerdictLogSumExpOffset: log-sum-exp at logits offset by up to
// 1e8, with softmax, its exact gradient: no bug verdict (issue 11, class
// 4), over seeded random points; the seed is printed on failure.
func TestNoBugVerdictLogSumExpOffset(t *testing.T) {
	lse := func(x []float64) float64 {
		m := math.Inf(-1)
		for _, v := range x {
			m = math.Max(m, v)
		}
		s := 0.0
		for _, v := range x {
			s += math.Exp(v - m)
		}
		return m + math.Log(s)
	}
	softmax := func(g, x []float64) {
		m := math.Inf(-1)
		for _, v := range x {
			m = math.Max(m, v)
		}
		s := 0.0
		for i, v := range x {
			g[i] = math.Exp(v - m)
			s += g[i]
		}
		for i := range g {
			g[i] /= s
		}
	}
	nov := 0
	for seed := uint64(1); seed <= 100; seed++ {
		rnd := rand.New(rand.NewPCG(seed, 4))
		off := []float64{0, 1e3, 5e7, 1e8}[seed%4]
		x := make([]float64, 5)
		for i := range x {
			x[i] = off + 3*rnd.NormFloat64()
		}
		err := properties.CheckGradient(lse, softmax, x, nil)
		if errors.Is(err, properties.Bug) {
			t.Errorf("seed %d, offset %g: correct softmax flagged: %v", seed, off, err)
		} else if err != nil {
			nov++
		}
	}
	t.Logf("%d of 100 no-verdicts", nov)
}
