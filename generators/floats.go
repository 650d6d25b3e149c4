package generators

import (
	"cmp"
	"math"
	"slices"

	"pgregory.net/rapid"
)

// Decade limits accepted by Float64Decades: 10^-307 is the smallest power of
// ten above the smallest normal float64 (2.2e-308), and mantissas below 10
// times 10^307 stay below math.MaxFloat64 (1.8e308).
const (
	minDecade = -307
	maxDecade = 308
)

// mantissa draws the m of x = m·10^e. rapid's float range shrinks towards its
// lower end and prefers short significands, so shrunk values are 1, 1.5, 2…
var mantissa = rapid.Float64Range(1, math.Nextafter(10, 0))

// smallInt draws the magnitudes of the exact small integers of Float64.
var smallInt = rapid.IntRange(1, 9)

// decades draws positive magnitudes spread evenly over a range of decades.
type decades struct {
	exps []int // the decades' exponents, simplest first
}

func newDecades(minExp, maxExp int) decades {
	exps := make([]int, 0, maxExp-minExp)
	for e := minExp; e < maxExp; e++ {
		exps = append(exps, e)
	}
	// Simplest first: the decade [1, 10), then [0.1, 1), [10, 100), [0.01,
	// 0.1)…, so that a shrinking exponent index walks towards magnitude 1.
	simplicity := func(e int) int {
		if e >= 0 {
			return 2 * e
		}
		return -2*e - 1
	}
	slices.SortFunc(exps, func(a, b int) int { return cmp.Compare(simplicity(a), simplicity(b)) })
	return decades{exps: exps}
}

// draw returns m·10^e with e uniform over the decades and m in [1, 10).
func (g decades) draw(t *rapid.T) float64 {
	e := g.exps[index(t, len(g.exps))]
	lo := math.Pow10(e)
	// rapid often draws the largest mantissa, 10 - 2^-49, and its product
	// with 10^e can round up to 10^(e+1): keep the value in its decade.
	return min(mantissa.Draw(t, "mantissa")*lo, math.Nextafter(math.Pow10(e+1), 0))
}

// Float64 returns a generator of finite, moderate float64 values, the default
// scale of every vector, matrix and dataset in this package:
//
//   - with probability 7/8, ±m·10^e with the decade e uniform on -3…2 (so |x|
//     is in [1e-3, 1e3), each decade with probability 7/48) and m in [1, 10);
//   - with probability 1/16, exactly 0;
//   - with probability 1/16, an exact small integer ±1…±9.
//
// Signs are equally likely. Values shrink towards 0, then towards ±1…±9, then
// towards magnitude 1 (the decade [1, 10) and mantissa 1).
//
// rapid.Float64Range is skewed towards tiny magnitudes: half of its draws on
// [-1, 1] and a quarter on [-1e3, 1e3] fall below 1e-10 (measured over 20000
// draws); here every decade is equally likely.
func Float64() *rapid.Generator[float64] {
	moderate := newDecades(-3, 3)
	return rapid.Custom(func(t *rapid.T) float64 {
		kind := code(t, 4)
		i := float64(smallInt.Draw(t, "integer"))
		m := moderate.draw(t)
		s := sign(t)
		switch kind {
		case 0:
			return 0
		case 1:
			return s * i
		default:
			return s * m
		}
	})
}

// Float64Decades returns a generator of ±m·10^e: the sign is equally likely
// to be + or -, the decade e is uniform on minExp…maxExp-1 and the mantissa m
// is in [1, 10), so |x| is in [10^minExp, 10^maxExp) with each decade equally
// likely. Values shrink towards +, towards the decade closest to magnitude 1,
// and towards mantissa 1.
//
// Float64Decades panics unless -307 ≤ minExp < maxExp ≤ 308, the range where
// every value is a finite normal float64.
func Float64Decades(minExp, maxExp int) *rapid.Generator[float64] {
	mustf(minExp < maxExp, "Float64Decades: minExp = %d, maxExp = %d, want minExp < maxExp", minExp, maxExp)
	mustf(minExp >= minDecade, "Float64Decades: minExp = %d, want minExp ≥ %d (smaller magnitudes are subnormal)", minExp, minDecade)
	mustf(maxExp <= maxDecade, "Float64Decades: maxExp = %d, want maxExp ≤ %d (larger magnitudes overflow)", maxExp, maxDecade)
	g := newDecades(minExp, maxExp)
	return rapid.Custom(func(t *rapid.T) float64 {
		m := g.draw(t)
		return sign(t) * m
	})
}

// Float64Tiny returns a generator of tiny magnitudes, ±|x| with |x| in
// [1e-300, 1e-6), each of the 294 decades equally likely: scales where a fixed
// absolute finite-difference step swamps x. It is Float64Decades(-300, -6);
// values shrink towards the least extreme decade [1e-7, 1e-6).
func Float64Tiny() *rapid.Generator[float64] {
	return Float64Decades(-300, -6)
}

// Float64Huge returns a generator of huge magnitudes, ±|x| with |x| in
// [1e6, 1e300), each of the 294 decades equally likely: scales where a fixed
// absolute step vanishes (x + h == x above about 2^28 for h = 2e-8) and squares
// overflow. It is Float64Decades(6, 300); values shrink towards the least
// extreme decade [1e6, 1e7).
func Float64Huge() *rapid.Generator[float64] {
	return Float64Decades(6, 300)
}
