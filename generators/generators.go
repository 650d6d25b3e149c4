package generators

import (
	"fmt"
	"math/bits"

	"pgregory.net/rapid"
)

// Dims is the shape of a dataset: N samples (rows of X) by D features
// (columns of X). Shape and ShapeRange generate it.
type Dims struct {
	N, D int
}

// bit is the only unbiased primitive rapid exports: rapid.Bool draws one raw
// bit, while every rapid integer generator prefers small values (a geometric
// bit length, rapid utils.go genUintNBiased). Generators whose shares are
// pinned by tests draw their choices from bits so the shares are exact.
//
// Generators with branches draw every branch's values before choosing, so
// the sequence of draws does not depend on the branch taken: when rapid
// shrinks a choice (an extreme logit to a moderate one), the draws after it
// keep their meaning instead of being read by a different branch, which
// would run out of data or jump to unrelated values.
var bit = rapid.Bool()

// code returns b unbiased bits as an integer in [0, 2^b), each value with
// probability 2^-b. It shrinks towards 0: rapid lowers every bit to false.
func code(t *rapid.T, b int) int {
	v := 0
	for i := range b {
		if bit.Draw(t, "bit") {
			v |= 1 << i
		}
	}
	return v
}

// index returns an integer uniform on [0, k), k ≥ 1, by rejection from
// ⌈log2 k⌉ unbiased bits (at most 2 tries on average). It shrinks towards 0.
// For k == 1 it draws nothing.
func index(t *rapid.T, k int) int {
	b := bits.Len(uint(k - 1))
	for {
		if v := code(t, b); v < k {
			return v
		}
	}
}

// sign returns +1 or -1 with probability 1/2 each; it shrinks towards +1.
func sign(t *rapid.T) float64 {
	if bit.Draw(t, "negative") {
		return -1
	}
	return 1
}

// mustf panics with a "generators: " message unless ok. Every constructor
// validates its arguments with it before building a generator, so misuse
// fails where the generator is made, not in the middle of a property.
func mustf(ok bool, format string, args ...any) {
	if !ok {
		panic("generators: " + fmt.Sprintf(format, args...))
	}
}
