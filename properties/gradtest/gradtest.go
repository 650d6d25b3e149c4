package gradtest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// MutatingFunc returns f that, after computing its value, scales every entry
// of its input by 1.5: an in-place update a careless f might make.
func MutatingFunc(f func(x []float64) float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		v := f(x)
		for i := range x {
			x[i] *= 1.5
		}
		return v
	}
}

// MutatingVec returns g that, after writing dst, sets x[len(x)−1] to 0.
func MutatingVec(g func(dst, x []float64)) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		if len(x) > 0 {
			x[len(x)-1] = 0
		}
	}
}

// NaNFunc returns f that returns NaN wherever region(x) is true.
func NaNFunc(f func(x []float64) float64, region func(x []float64) bool) func(x []float64) float64 {
	return func(x []float64) float64 {
		if region(x) {
			return math.NaN()
		}
		return f(x)
	}
}

// NaNVec returns g whose entry i is NaN wherever region(x) is true.
func NaNVec(g func(dst, x []float64), i int, region func(x []float64) bool) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		if region(x) {
			dst[i] = math.NaN()
		}
	}
}

// noise is a locked random source shared by the nondeterministic wrappers.
type noise struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

func (n *noise) next() float64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return 2*n.rnd.Float64() - 1
}

// NondeterministicFunc returns f whose value is multiplied by 1 + rel·u with u
// uniform on [−1, 1], drawn anew at every call from a source seeded by seed:
// like a loss computed with a reduction whose order varies between runs
// (rel ≈ 1e-15), or with dropout left on (rel ≈ 1).
func NondeterministicFunc(f func(x []float64) float64, rel float64, seed uint64) func(x []float64) float64 {
	n := &noise{rnd: rand.New(rand.NewPCG(seed, 1))}
	return func(x []float64) float64 {
		return f(x) * (1 + rel*n.next())
	}
}

// NondeterministicVec returns g whose entries are each multiplied by
// 1 + rel·u, as NondeterministicFunc does.
func NondeterministicVec(g func(dst, x []float64), rel float64, seed uint64) func(dst, x []float64) {
	n := &noise{rnd: rand.New(rand.NewPCG(seed, 1))}
	return func(dst, x []float64) {
		g(dst, x)
		for i := range dst {
			dst[i] *= 1 + rel*n.next()
		}
	}
}

// PanickingFunc returns f that panics with value wherever region(x) is true.
func PanickingFunc(f func(x []float64) float64, region func(x []float64) bool, value any) func(x []float64) float64 {
	return func(x []float64) float64 {
		if region(x) {
			panic(value)
		}
		return f(x)
	}
}

// Everywhere is the region that contains every point.
func Everywhere(x []float64) bool { return true }

// Above returns the region where x[i] > t.
func Above(i int, t float64) func(x []float64) bool {
	return func(x []float64) bool { return x[i] > t }
}

// ScaledVec returns g with every entry multiplied by c: a missing or extra
// constant factor (c = 2: an extra 2; c = 0.5: the 2 of a square dropped;
// c = −1: a sign error).
func ScaledVec(g func(dst, x []float64), c float64) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		for i := range dst {
			dst[i] *= c
		}
	}
}

// SwappedVec returns g with entries i and j exchanged.
func SwappedVec(g func(dst, x []float64), i, j int) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		dst[i], dst[j] = dst[j], dst[i]
	}
}

// PerturbedVec returns g with entry i multiplied by 1 + rel: a small bug
// in one entry.
func PerturbedVec(g func(dst, x []float64), i int, rel float64) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		dst[i] *= 1 + rel
	}
}

// OffsetVec returns g with delta added to entry i.
func OffsetVec(g func(dst, x []float64), i int, delta float64) func(dst, x []float64) {
	return func(dst, x []float64) {
		g(dst, x)
		dst[i] += delta
	}
}

// UnwrittenVec returns g that never writes entry i of dst (it computes into
// a scratch slice and copies all but entry i): a loop that stops one short.
func UnwrittenVec(g func(dst, x []float64), i int) func(dst, x []float64) {
	return func(dst, x []float64) {
		tmp := make([]float64, len(dst))
		g(tmp, x)
		for j := range dst {
			if j != i {
				dst[j] = tmp[j]
			}
		}
	}
}

// ScaledHess returns hess with every entry multiplied by c.
func ScaledHess(hess func(dst *mat.SymDense, x []float64), c float64) func(dst *mat.SymDense, x []float64) {
	return func(dst *mat.SymDense, x []float64) {
		hess(dst, x)
		dst.ScaleSym(c, dst)
	}
}

// PerturbedHess returns hess with entries [i,j] and [j,i] multiplied by
// 1 + rel.
func PerturbedHess(hess func(dst *mat.SymDense, x []float64), i, j int, rel float64) func(dst *mat.SymDense, x []float64) {
	return func(dst *mat.SymDense, x []float64) {
		hess(dst, x)
		dst.SetSym(i, j, dst.At(i, j)*(1+rel))
	}
}

// TransposedJac returns jac whose k×d result is replaced by its transpose,
// for square Jacobians (k = d); for others it returns a d×k matrix in an
// empty dst and panics on a sized one, as a transposing bug would.
func TransposedJac(jac func(dst *mat.Dense, x []float64)) func(dst *mat.Dense, x []float64) {
	return func(dst *mat.Dense, x []float64) {
		var tmp mat.Dense
		jac(&tmp, x)
		k, d := tmp.Dims()
		if dst.IsEmpty() {
			dst.ReuseAs(d, k)
		}
		if r, c := dst.Dims(); r != d || c != k {
			panic(fmt.Sprintf("gradtest: transposed Jacobian is %d×%d, dst is %d×%d", d, k, r, c))
		}
		dst.Copy(tmp.T())
	}
}

// ScaledJac returns jac with every entry multiplied by c.
func ScaledJac(jac func(dst *mat.Dense, x []float64), c float64) func(dst *mat.Dense, x []float64) {
	return func(dst *mat.Dense, x []float64) {
		jac(dst, x)
		dst.Scale(c, dst)
	}
}

// Kinked returns f + c·|x[i] − at|: f with a kink along coordinate i at
// x[i] = at, whose one-sided derivatives differ by 2c.
func Kinked(f func(x []float64) float64, i int, at, c float64) func(x []float64) float64 {
	return func(x []float64) float64 {
		return f(x) + c*math.Abs(x[i]-at)
	}
}
