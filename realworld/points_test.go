package realworld

import (
	"fmt"
	"math"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/generators"
)

// examples returns n values of g drawn with the fixed seeds seed, seed+1, …:
// the same values on every run (rapid's Example is deterministic per seed).
func examples[V any](g *rapid.Generator[V], seed, n int) []V {
	out := make([]V, n)
	for i := range out {
		out[i] = g.Example(seed + i)
	}
	return out
}

// magnitude returns |x| for x drawn uniformly by decade from
// [10^minExp, 10^maxExp) (generators.Float64Decades).
func magnitude(minExp, maxExp int) *rapid.Generator[float64] {
	return rapid.Map(generators.Float64Decades(minExp, maxExp), math.Abs)
}

// A scale is a family of magnitudes points are drawn from.
type scale struct {
	name           string
	minExp, maxExp int
}

// scales are the moderate, large and tiny magnitudes every sweep draws
// from; tiny ones put points near a support edge at 0.
var scales = []scale{
	{"moderate", -1, 1},
	{"wide", -3, 3},
	{"large", 3, 8},
	{"tiny", -12, -4},
}

func fmtPoint(x []float64) string { return fmt.Sprintf("%.17g", x) }
