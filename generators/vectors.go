package generators

import (
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// Vector returns a generator of length-n vectors of Float64 values.
// Vector panics if n < 0.
func Vector(n int) *rapid.Generator[[]float64] {
	mustf(n >= 0, "Vector: n = %d, want n ≥ 0", n)
	return VectorOf(Float64(), n)
}

// VectorOf returns a generator of length-n vectors whose entries are drawn
// from elem, in index order; they shrink entry by entry as elem does. The
// element comes first, as in rapid.SliceOfN.
// VectorOf panics if n < 0 or elem is nil.
func VectorOf(elem *rapid.Generator[float64], n int) *rapid.Generator[[]float64] {
	mustf(n >= 0, "VectorOf: n = %d, want n ≥ 0", n)
	mustf(elem != nil, "VectorOf: elem is nil, want a generator")
	return rapid.SliceOfN(elem, n, n)
}

// Matrix returns a generator of r×c matrices of Float64 values.
// Matrix panics unless r ≥ 1 and c ≥ 1 (gonum has no empty Dense).
func Matrix(r, c int) *rapid.Generator[*mat.Dense] {
	mustf(r >= 1 && c >= 1, "Matrix: r×c = %d×%d, want r ≥ 1 and c ≥ 1", r, c)
	return MatrixOf(Float64(), r, c)
}

// MatrixOf returns a generator of r×c matrices whose entries are drawn from
// elem in row-major order (row 0 first). Every draw is a new matrix.
// MatrixOf panics unless r ≥ 1 and c ≥ 1, or if elem is nil.
func MatrixOf(elem *rapid.Generator[float64], r, c int) *rapid.Generator[*mat.Dense] {
	mustf(r >= 1 && c >= 1, "MatrixOf: r×c = %d×%d, want r ≥ 1 and c ≥ 1", r, c)
	mustf(elem != nil, "MatrixOf: elem is nil, want a generator")
	return rapid.Map(rapid.SliceOfN(elem, r*c, r*c), func(data []float64) *mat.Dense {
		return mat.NewDense(r, c, data)
	})
}

// Point spacing: coordinates whose magnitudes are within a factor 65/64 of
// each other are pushed apart by factors of 17/16. 1/64 relative is far above
// any gradient-check tolerance (NUMERICS.md: ≤ 1e-7 is "good"), so a swap of
// two coordinates always shows, and 17/16 > (65/64)² clears a near neighbour
// in one step.
const (
	pointGap  = 65.0 / 64
	pointStep = 17.0 / 16
)

// Point returns a generator of asymmetric d-dimensional points at which to
// check a derivative. Coordinates are ±m·10^e with e ∈ {-1, 0}, so |x_i| ≥ 0.1
// and none is zero; no two coordinates have magnitudes within a factor 65/64
// of each other: a coordinate drawn too close to an earlier one is multiplied
// by 17/16 until it is clear, which can lift it above 10 (by at most
// (17/16)^(d-1)). A symmetric point such as [1, 1] would hide an x[0]/x[1]
// swap and a zero coordinate a missing factor x_i; Point gives neither.
// Points shrink towards [1, 17/16, (17/16)², …] with positive signs.
//
// Point panics if d < 1.
func Point(d int) *rapid.Generator[[]float64] {
	mustf(d >= 1, "Point: d = %d, want d ≥ 1", d)
	mag := newDecades(-1, 1)
	return rapid.Custom(func(t *rapid.T) []float64 {
		x := make([]float64, d)
		for i := range x {
			m := mag.draw(t)
			for tooClose(x[:i], m) {
				m *= pointStep
			}
			x[i] = m
		}
		for i := range x {
			x[i] *= sign(t)
		}
		return x
	})
}

// tooClose reports whether magnitude m is within a factor pointGap of any of
// the (positive) magnitudes in prev.
func tooClose(prev []float64, m float64) bool {
	for _, p := range prev {
		if max(p, m) < pointGap*min(p, m) {
			return true
		}
	}
	return false
}
