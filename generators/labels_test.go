package generators

import (
	"math"
	"math/big"
	"runtime"
	"testing"
)

func TestLabels01(t *testing.T) {
	const n, draws = 8, 2000
	ones, bothClasses := 0, 0
	for _, y := range examples(Labels01(n), draws) {
		if len(y) != n {
			t.Fatalf("len = %d, want %d", len(y), n)
		}
		sum := 0
		for _, v := range y {
			if v != 0 && v != 1 {
				t.Fatalf("label %v, want 0 or 1", v)
			}
			sum += int(v)
		}
		ones += sum
		if sum > 0 && sum < n {
			bothClasses++
		}
	}
	checkShare(t, "ones", ones, n*draws, 0.5)
	// Both classes appear unless all n labels agree: 1 - 2·2^-n.
	checkShare(t, "draws with both classes", bothClasses, draws, 1-2*math.Pow(2, -n))
	if got := Labels01(0).Example(1); len(got) != 0 {
		t.Errorf("Labels01(0) drew %v, want []", got)
	}
}

func TestOneHot(t *testing.T) {
	const n, k, draws = 4, 3, 1500
	counts := make([]int, k)
	for _, y := range examples(OneHot(n, k), draws) {
		if r, c := y.Dims(); r != n || c != k {
			t.Fatalf("drew %d×%d, want %d×%d", r, c, n, k)
		}
		for i := range n {
			hot := -1
			for j, v := range y.RawRowView(i) {
				switch {
				case v == 1 && hot < 0:
					hot = j
				case v != 0:
					t.Fatalf("row %d = %v, want one 1 and zeros", i, y.RawRowView(i))
				}
			}
			if hot < 0 {
				t.Fatalf("row %d = %v has no 1", i, y.RawRowView(i))
			}
			counts[hot]++
		}
	}
	for j, c := range counts {
		checkShare(t, "class "+string(rune('0'+j)), c, n*draws, 1.0/k)
	}
	if y := OneHot(2, 1).Example(1); y.At(0, 0) != 1 || y.At(1, 0) != 1 {
		t.Errorf("OneHot(2, 1) = %v, want all ones", y.RawMatrix().Data)
	}
}

// TestProbabilityRows checks the sum bound of ProbabilityRows,
// |Σ_j p_j - 1| ≤ k·ε, for the exact sum and for float sums in index order
// and reverse order. The argument: the residual fixed onto the largest entry
// is 1 - fl(Σp) exactly (Sterbenz: fl(Σp) is within [1/2, 2]), so the exact
// sum after the fix is 1 + (Σp - fl(Σp)) plus the rounding of the largest
// entry, within (k-1)·u + u = k·u (u = ε/2); any float sum adds at most
// (k-1)·u more.
func TestProbabilityRows(t *testing.T) {
	const n, draws = 3, 400
	worst := 0.0 // in units of k·ε
	zeros, entries := 0, 0
	for k := 1; k <= 12; k++ {
		for seed, p := range examples(ProbabilityRows(n, k), draws) {
			if r, c := p.Dims(); r != n || c != k {
				t.Fatalf("drew %d×%d, want %d×%d", r, c, n, k)
			}
			for i := range n {
				row := p.RawRowView(i)
				exact := new(big.Float).SetPrec(4096)
				forward, backward := 0.0, 0.0
				for j, v := range row {
					if !(v >= 0 && v <= 1) {
						t.Fatalf("k = %d, seed %d: row %v has entry %v outside [0, 1]", k, seed, row, v)
					}
					if v == 0 {
						zeros++
					}
					entries++
					exact.Add(exact, big.NewFloat(v))
					forward += v
					backward += row[len(row)-1-j]
				}
				exactDev, _ := new(big.Float).Sub(exact, big.NewFloat(1)).Float64()
				for _, dev := range []float64{exactDev, forward - 1, backward - 1} {
					worst = max(worst, math.Abs(dev)/(float64(k)*eps))
					if math.Abs(dev) > float64(k)*eps {
						t.Errorf("k = %d, seed %d: row %v sums to 1%+.3g, want within k·ε = %.3g", k, seed, row, dev, float64(k)*eps)
					}
				}
			}
		}
	}
	t.Logf("worst |Σp - 1| = %.3f·k·ε", worst)
	// An entry is zero when its weight is (1/8), unless all are (uniform row).
	if zeros == 0 {
		t.Errorf("no zero entries in %d", entries)
	}
}

func TestLogitShares(t *testing.T) {
	const draws = 8000
	moderate := 0
	for _, z := range examples(Logit(), draws) {
		if math.IsNaN(z) || math.Abs(z) > maxLogit {
			t.Fatalf("drew %v, want |z| ≤ %d", z, maxLogit)
		}
		if math.Abs(z) < 10 {
			moderate++
		}
	}
	// Moderate (|z| < 10) with probability 3/4; ExtremeLogit never is.
	checkShare(t, "moderate logits", moderate, draws, 0.75)
	if got := Logits(5).Example(1); len(got) != 5 {
		t.Errorf("len(Logits(5)) = %d", len(got))
	}
}

func TestExtremeLogitLandmarks(t *testing.T) {
	const draws = 12000
	near := make([]int, len(landmarks))  // |z| within 1 of a landmark
	exact := make([]int, len(landmarks)) // |z| exactly on it
	below := make([]int, len(landmarks)) // |z| in [L - 1e-9, L)
	above := make([]int, len(landmarks)) // |z| in (L, L + 1e-9]
	negative := 0
	for _, z := range examples(ExtremeLogit(), draws) {
		a := math.Abs(z)
		if !(a >= 10 && a <= maxLogit) {
			t.Fatalf("drew %v, want 10 ≤ |z| ≤ %d", z, maxLogit)
		}
		if z < 0 {
			negative++
		}
		for i, l := range landmarks {
			switch {
			case a == l:
				exact[i]++
			case a >= l-1e-9 && a < l:
				below[i]++
			case a > l && a <= l+1e-9:
				above[i]++
			}
			if math.Abs(a-l) <= 1 {
				near[i]++
			}
		}
	}
	checkShare(t, "negative logits", negative, draws, 0.5)
	for i, l := range landmarks {
		// The landmark branch picks L with probability 1/2 · 1/4 and lands
		// exactly on it (δ = 0) in 1/4 of those: 1/32. Offsets below
		// ulp(L)/2 vanish and land on L too, and the two overflow landmarks
		// are within 1 of each other, so 1/32 and the branch's 1/8 within 1
		// are lower bounds; both sides must be reached.
		if lo := draws * (1.0/32 - sigmas*math.Sqrt(1.0/32*31/32/draws)); float64(exact[i]) < lo {
			t.Errorf("logits exactly on %v: %d, want ≥ %.0f", l, exact[i], lo)
		}
		if lo := draws * (1.0/8 - sigmas*math.Sqrt(1.0/8*7/8/draws)); float64(near[i]) < lo {
			t.Errorf("logits within 1 of %v: %d, want ≥ %.0f", l, near[i], lo)
		}
		if below[i] == 0 || above[i] == 0 {
			t.Errorf("logits within 1e-9 of %v: %d below, %d above, want both sides", l, below[i], above[i])
		}
	}
}

// TestLogitLandmarks checks that each landmark sits within 1e-9 of the
// threshold it names, computed the naive way.
func TestLogitLandmarks(t *testing.T) {
	sigmoid := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	tests := []struct {
		name     string
		l        float64
		goarch   string               // only on this GOARCH, if set
		breaksAt func(z float64) bool // true beyond the threshold
	}{
		{"clipping at 1e-7", clipLogit, "", func(z float64) bool { return sigmoid(z) > 1-1e-7 }},
		{"σ rounds to 1", saturationLogit, "", func(z float64) bool { return sigmoid(z) == 1 }},
		{"math.Exp overflows on amd64", goExpOverflowLogit, "amd64", func(z float64) bool { return math.IsInf(math.Exp(z), 1) }},
		// e·e^(z-1) rounds correctly wherever math.Exp(z) may overflow early.
		{"e^z overflows", overflowLogit, "", func(z float64) bool { return math.IsInf(math.E*math.Exp(z-1), 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.goarch != "" && tt.goarch != runtime.GOARCH {
				t.Skipf("the threshold is specific to GOARCH=%s", tt.goarch)
			}
			if below, above := tt.breaksAt(tt.l-1e-9), tt.breaksAt(tt.l+1e-9); below || !above {
				t.Errorf("at %v - 1e-9: broken = %v, at + 1e-9: broken = %v, want false then true", tt.l, below, above)
			}
		})
	}
}
