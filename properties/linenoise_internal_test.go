package properties

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLineNoise: the pooled line noise covers a line whose own third
// difference is 0 (quantized round-off), keeps a line's own larger sample,
// stays within [floor, sigma], gives a line with a non-finite sample sigma,
// and is sigma everywhere with fewer than minLinePool samples.
func TestLineNoise(t *testing.T) {
	const sigma, floor = 1e-9, 1e-15
	scale := lineNoiseSafety / math.Sqrt(lineSampleVariance)
	t3 := make([]float64, 40)
	for i := range t3 {
		t3[i] = float64(i+1) * 1e-13
	}
	t3[3] = 0
	t3[5] = 1e-6 // its own sample is far above sigma
	t3[7] = math.NaN()
	t3[10] = 1e-10 // its own sample is above the pool, below sigma
	got := lineNoise(make([]float64, 40), nil, t3, sigma, floor)
	// 39 finite samples: the 0.9 quantile is the 36th smallest, 3.9e-12
	// (0, 1e-13 … 3e-13, 5e-13, 7e-13, 9e-13, 1e-12, 1.2e-12 … 4e-12,
	// 1e-10, 1e-6).
	pool := 3.9e-12 * scale
	for i, want := range map[int]float64{0: pool, 3: pool, 5: sigma, 7: sigma, 10: 1e-10 * scale, 39: 4e-12 * scale} {
		if math.Abs(got[i]-want) > 1e-12*want {
			t.Errorf("line %d (T = %g): %g, want %g", i, t3[i], got[i], want)
		}
	}
	if got := lineNoise(make([]float64, 40), nil, make([]float64, 40), sigma, floor); got[0] != floor {
		t.Errorf("all samples 0: %g, want the floor %g", got[0], floor)
	}
	for i, v := range lineNoise(make([]float64, minLinePool-1), nil, t3[:minLinePool-1], sigma, floor) {
		if v != sigma {
			t.Errorf("%d samples, line %d: %g, want sigma %g", minLinePool-1, i, v, sigma)
		}
	}
}

// TestKthSmallest: kthSmallest returns what a sort puts at k, for every k
// of slices of 1 to 300 values drawn from few distinct values (ties), from
// many, sorted, reversed and constant (seed 16).
func TestKthSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 0))
	for n := 1; n <= 300; n += 1 + n/20 {
		for shape := range 5 {
			v := make([]float64, n)
			for i := range v {
				switch shape {
				case 0:
					v[i] = float64(rng.IntN(4)) // ties
				case 1:
					v[i] = rng.Float64()
				case 2:
					v[i] = float64(i)
				case 3:
					v[i] = float64(n - i)
				case 4:
					v[i] = 7
				}
			}
			sorted := slices.Clone(v)
			slices.Sort(sorted)
			for k := range n {
				if got := kthSmallest(slices.Clone(v), k); got != sorted[k] {
					t.Fatalf("seed 16, n = %d, shape %d, k = %d: %g, want %g", n, shape, k, got, sorted[k])
				}
			}
		}
	}
}
