package generators

import "pgregory.net/rapid"

// Default shape bounds: small enough that a property over an n×d dataset
// runs in microseconds, large enough for n < d, n == d and n > d alike.
const (
	defaultMinSize = 1
	defaultMaxSize = 12
)

// Shape returns a generator of dataset shapes with N and D in 1…12. It is
// ShapeRange(1, 12, 1, 12); see there for the distribution.
func Shape() *rapid.Generator[Dims] {
	return ShapeRange(defaultMinSize, defaultMaxSize, defaultMinSize, defaultMaxSize)
}

// ShapeRange returns a generator of shapes with N in [minN, maxN] and D in
// [minD, maxD]. N is drawn first (rapid's integer draw, which favours small
// values). Then, whenever N is an allowed D, the shape is square (D == N) with
// probability exactly 1/4 (always, if N is the only allowed D): the shapes on
// which a transpose bug (X where Xᵀ was meant) does not panic on a mismatch
// and must be caught by values. Otherwise D is drawn from [minD, maxD]
// without N. Shapes shrink towards
// N = minN and then D = minD, non-square first: a property that fails for
// every N ≥ 2 shrinks to Dims{N: 2, D: minD}.
//
// ShapeRange panics unless 1 ≤ minN ≤ maxN and 1 ≤ minD ≤ maxD.
func ShapeRange(minN, maxN, minD, maxD int) *rapid.Generator[Dims] {
	mustf(minN >= 1, "ShapeRange: minN = %d, want minN ≥ 1", minN)
	mustf(minN <= maxN, "ShapeRange: minN = %d > maxN = %d, want minN ≤ maxN", minN, maxN)
	mustf(minD >= 1, "ShapeRange: minD = %d, want minD ≥ 1", minD)
	mustf(minD <= maxD, "ShapeRange: minD = %d > maxD = %d, want minD ≤ maxD", minD, maxD)

	n := rapid.IntRange(minN, maxN)
	d := rapid.IntRange(minD, maxD)
	var dNotN *rapid.Generator[int] // [minD, maxD-1], shifted past N below
	if minD < maxD {
		dNotN = rapid.IntRange(minD, maxD-1)
	}
	return rapid.Custom(func(t *rapid.T) Dims {
		n := n.Draw(t, "n")
		square := code(t, 2) == 3 // two bits set: p = 1/4
		d := d.Draw(t, "d")
		other := minD
		if dNotN != nil {
			other = dNotN.Draw(t, "d ≠ n")
		}
		switch {
		case n < minD || n > maxD:
			return Dims{N: n, D: d}
		case square || minD == maxD:
			return Dims{N: n, D: n}
		case other >= n:
			return Dims{N: n, D: other + 1}
		default:
			return Dims{N: n, D: other}
		}
	})
}
