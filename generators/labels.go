package generators

import (
	"math"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// Labels01 returns a generator of n binary labels, each 0 or 1 with
// probability 1/2, as float64 so they enter losses directly. Both classes
// appear with probability 1 - 2^(1-n) (n = 8: 99.2%); a single-class draw is
// a legitimate edge case that is not filtered out. Labels shrink towards 0.
// Labels01 panics if n < 0.
func Labels01(n int) *rapid.Generator[[]float64] {
	mustf(n >= 0, "Labels01: n = %d, want n ≥ 0", n)
	label := rapid.Map(bit, func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	})
	return rapid.SliceOfN(label, n, n)
}

// OneHot returns a generator of n×k one-hot rows: each row has a single 1,
// in a column uniform on 0…k-1, and 0 elsewhere. Classes shrink towards 0.
// OneHot panics unless n ≥ 1 and k ≥ 1.
func OneHot(n, k int) *rapid.Generator[*mat.Dense] {
	mustf(n >= 1, "OneHot: n = %d, want n ≥ 1", n)
	mustf(k >= 1, "OneHot: k = %d, want k ≥ 1 classes", k)
	class := rapid.Just(0)
	if k > 1 {
		class = rapid.Custom(func(t *rapid.T) int { return index(t, k) })
	}
	return rapid.Map(rapid.SliceOfN(class, n, n), func(classes []int) *mat.Dense {
		y := mat.NewDense(n, k, nil)
		for i, c := range classes {
			y.Set(i, c, 1)
		}
		return y
	})
}

// ProbabilityRows returns a generator of n×k matrices whose rows are
// probability vectors: entries in [0, 1] and |Σ_j p_ij - 1| ≤ k·ε (ε = 2^-52,
// a sum in any order; 1e-15 for k ≤ 4).
//
// Each row starts from k weights: 0 with probability 1/8, otherwise spread
// evenly over the decades of [1e-3, 10), so rows range from nearly uniform to
// peaked with
// exact zeros (where a naive y·log y gives 0·(-Inf) = NaN). A row is
// normalized by dividing by the weights' sum, then the rounding residual
// 1 - Σ_j p_ij (summed in index order) is added to its largest entry, which
// is at least 1/k and so absorbs it without turning negative. All-zero
// weights give the uniform row 1/k, the shrink target.
//
// ProbabilityRows panics unless n ≥ 1 and k ≥ 1.
func ProbabilityRows(n, k int) *rapid.Generator[*mat.Dense] {
	mustf(n >= 1, "ProbabilityRows: n = %d, want n ≥ 1", n)
	mustf(k >= 1, "ProbabilityRows: k = %d, want k ≥ 1 classes", k)
	weight := newDecades(-3, 1)
	row := rapid.Custom(func(t *rapid.T) []float64 {
		p := make([]float64, k)
		for j := range p {
			zero := code(t, 3) == 0
			if w := weight.draw(t); !zero {
				p[j] = w
			}
		}
		normalize(p)
		return p
	})
	return rapid.Map(rapid.SliceOfN(row, n, n), func(rows [][]float64) *mat.Dense {
		y := mat.NewDense(n, k, nil)
		for i, p := range rows {
			y.SetRow(i, p)
		}
		return y
	})
}

// normalize scales nonnegative weights w in place to sum to 1 (see
// ProbabilityRows); all-zero weights become uniform.
func normalize(w []float64) {
	s, big := 0.0, 0
	for j, x := range w {
		s += x
		if x > w[big] {
			big = j
		}
	}
	if s == 0 {
		for j := range w {
			w[j] = 1 / float64(len(w))
		}
		return
	}
	for j := range w {
		w[j] /= s
	}
	s = 0
	for _, x := range w {
		s += x
	}
	w[big] = min(w[big]+(1-s), 1)
}

// Logit landmarks, the values of a logit z where naive code breaks
// (NUMERICS.md):
var (
	// clipLogit is logit(1 - 1e-7) = ln((1-1e-7)/1e-7) ≈ 16.118: beyond it,
	// clipping p to [1e-7, 1-1e-7] zeroes the gradient of the log loss.
	clipLogit = math.Log((1 - 1e-7) / 1e-7)
	// saturationLogit is 53·ln 2 ≈ 36.737: beyond it e^-z < 2^-53 and
	// σ(z) = 1/(1+e^-z) rounds to exactly 1, so a naive log(1-p) is -Inf.
	saturationLogit = 53 * math.Ln2
	// goExpOverflowLogit is 1023.5·ln 2 ≈ 709.436: beyond it Go's math.Exp
	// on amd64 returns +Inf although e^z is still finite. Its assembly
	// rounds z·log2(e) to the nearest integer k and overflows once k = 1024
	// (src/math/exp_amd64.s; measured with go1.26 linux/amd64).
	goExpOverflowLogit = 1023.5 * math.Ln2
	// overflowLogit is ln(MaxFloat64) ≈ 709.78: beyond it e^z exceeds
	// MaxFloat64 and any exp returns +Inf.
	overflowLogit = math.Log(math.MaxFloat64)

	landmarks = []float64{clipLogit, saturationLogit, goExpOverflowLogit, overflowLogit}
)

// maxLogit bounds ExtremeLogit at about 800: past the overflow
// landmarks and past z ≈ 745.13, where e^-z underflows to 0.
const maxLogit = 800

// Logit returns a generator of logits z, the inputs of a sigmoid or softmax:
// with probability 3/4 moderate, ±|z| with |z| spread evenly over the decades
// of [1e-3, 10);
// with probability 1/4 drawn from ExtremeLogit. Logits shrink towards
// moderate ones and towards 1.
func Logit() *rapid.Generator[float64] {
	moderate := newDecades(-3, 1)
	extreme := ExtremeLogit()
	return rapid.Custom(func(t *rapid.T) float64 {
		isExtreme := code(t, 2) == 3
		m := moderate.draw(t)
		s := sign(t)
		z := extreme.Draw(t, "extreme")
		if isExtreme {
			return z
		}
		return s * m
	})
}

// ExtremeLogit returns a generator of large logits, |z| in [10, 800], signs
// equally likely:
//
//   - with probability 1/2, |z| = L + δ near a landmark L chosen uniformly
//     from 16.118 (clipping p at 1e-7 zeroes the gradient), 36.737 (σ(z)
//     rounds to 1), 709.436 (Go's math.Exp on amd64 returns +Inf) and
//     709.78 (e^z overflows); δ = 0 with probability 1/4, else ±|δ| spread
//     evenly over the decades of [1e-16, 1), so draws land exactly on, an
//     ulp or two from, and well clear of each threshold, on both sides;
//   - with probability 1/2, |z| from rapid.Float64Range(10, 800).
//
// Extreme logits shrink towards 10, and near a landmark towards δ = 0.
func ExtremeLogit() *rapid.Generator[float64] {
	broad := rapid.Float64Range(10, maxLogit)
	offset := newDecades(-16, 0)
	return rapid.Custom(func(t *rapid.T) float64 {
		nearLandmark := bit.Draw(t, "landmark")
		far := broad.Draw(t, "magnitude")
		l := landmarks[index(t, len(landmarks))]
		exact := code(t, 2) == 0
		d := offset.draw(t)
		d *= sign(t)
		s := sign(t)
		switch {
		case !nearLandmark:
			return s * far
		case exact:
			return s * l
		default:
			return s * (l + d)
		}
	})
}

// Logits returns a generator of n logits drawn from Logit.
// Logits panics if n < 0.
func Logits(n int) *rapid.Generator[[]float64] {
	mustf(n >= 0, "Logits: n = %d, want n ≥ 0", n)
	return VectorOf(Logit(), n)
}
