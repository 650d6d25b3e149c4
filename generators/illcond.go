package generators

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// rotationSeed seeds the PRNG that fills the Gaussian matrices behind the
// random rotations of IllConditionedMatrix. One draw instead of r²+c² keeps
// the test case small; shrinking cannot simplify a rotation entry by entry
// anyway, so it lowers the seed towards 0, which means no rotation.
var rotationSeed = rapid.Uint64()

// pcgStream is the fixed second word of the rotation PRNG's PCG state.
const pcgStream = 0x9e3779b97f4a7c15

// IllConditionedMatrix returns a generator of r×c matrices with 2-norm
// condition number cond, A = U Σ Vᵀ, where
//
//   - Σ holds k = min(r, c) singular values spaced geometrically from 1 down
//     to 1/cond: σ_i = cond^(-i/(k-1)), so ‖A‖₂ = 1;
//   - U (r×k) and V (c×k) have orthonormal columns: the first k columns of
//     the Q of a Householder QR of a Gaussian matrix (gonum mat.QR), with
//     column signs fixed by diag(R) so the rotation is Haar-distributed.
//
// The Gaussian entries come from a PRNG seeded by one rapid draw; seed 0,
// the shrink target (5% of draws, measured), gives U and V equal to the
// leading columns of the identity, so A is the diagonal Σ, zero-padded.
//
// Rounding when forming and measuring A perturbs σ_min by about
// k·max(r, c)·ε·σ_max, so a measured condition number (mat.Cond(A, 2)) is
// within a relative ~cond·k·max(r, c)·ε of cond (for 12×12: 3e-13 at cond 10,
// 3e-6 at cond 1e8); beyond cond ≈ 1/ε ≈ 4.5e15 A is numerically singular.
//
// IllConditionedMatrix panics unless r ≥ 1, c ≥ 1, cond is finite and
// cond ≥ 1, and, when min(r, c) = 1 (a single singular value), cond = 1.
func IllConditionedMatrix(r, c int, cond float64) *rapid.Generator[*mat.Dense] {
	mustf(r >= 1 && c >= 1, "IllConditionedMatrix: r×c = %d×%d, want r ≥ 1 and c ≥ 1", r, c)
	mustf(cond >= 1 && !math.IsInf(cond, 1), "IllConditionedMatrix: cond = %v, want finite cond ≥ 1", cond)
	k := min(r, c)
	mustf(k >= 2 || cond == 1, "IllConditionedMatrix: cond = %v with r×c = %d×%d, want cond = 1 (a %d×%d matrix has one singular value) or min(r, c) ≥ 2", cond, r, c, r, c)

	sigma := make([]float64, k)
	for i := range sigma {
		if k == 1 {
			sigma[i] = 1
			continue
		}
		sigma[i] = math.Pow(cond, -float64(i)/float64(k-1))
	}

	return rapid.Custom(func(t *rapid.T) *mat.Dense {
		seed := rotationSeed.Draw(t, "rotation seed")
		var rng *rand.Rand
		if seed != 0 {
			rng = rand.New(rand.NewPCG(seed, pcgStream))
		}
		u := orthonormalColumns(r, k, rng)
		v := orthonormalColumns(c, k, rng)
		for j, s := range sigma { // u ← U Σ
			for i := range r {
				u.Set(i, j, u.At(i, j)*s)
			}
		}
		a := mat.NewDense(r, c, nil)
		a.Mul(u, v.T())
		return a
	})
}

// orthonormalColumns returns an m×k matrix (k ≤ m) with orthonormal columns:
// the leading columns of the identity if rng is nil, else the leading columns
// of the Q factor of an m×k standard Gaussian matrix G = QR, each column
// multiplied by the sign of R's diagonal entry (Mezzadri 2007, "How to
// generate random matrices from the classical compact groups": without it Q
// is not Haar-distributed).
func orthonormalColumns(m, k int, rng *rand.Rand) *mat.Dense {
	q := mat.NewDense(m, k, nil)
	if rng == nil {
		for j := range k {
			q.Set(j, j, 1)
		}
		return q
	}
	g := mat.NewDense(m, k, nil)
	for i := range m {
		for j := range k {
			g.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(g)
	var full, rr mat.Dense
	qr.QTo(&full)
	qr.RTo(&rr)
	for j := range k {
		s := 1.0
		if rr.At(j, j) < 0 {
			s = -1
		}
		for i := range m {
			q.Set(i, j, s*full.At(i, j))
		}
	}
	return q
}
