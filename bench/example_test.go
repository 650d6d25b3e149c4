package bench_test

import (
	"fmt"
	"math"

	"github.com/gradcheck/gradcheck/bench"
	"github.com/gradcheck/gradcheck/gradients"
)

// The lab's question on eˣ: the forward difference is best near eps = 1e-8
// with about 8 correct digits, the central difference near 1e-5 with about
// 11, because its truncation error falls as eps² instead of eps while the
// round-off grows as 1/eps for both. Steps and errors are printed as rounded
// powers of ten, slopes rounded to integers, so that the output survives
// other platforms' rounding.
func ExampleStudy() {
	var exp bench.StudyFunc
	for _, fn := range bench.StudyFuncs(1) {
		if fn.Name == "exp" {
			exp = fn
		}
	}
	res := bench.Study(bench.StudyConfig{
		Funcs:   []bench.StudyFunc{exp},
		Methods: []bench.StudyMethod{bench.FD(gradients.Forward), bench.FD(gradients.Central)},
	})
	for _, s := range res.Summaries {
		fmt.Printf("%-8s optimal eps ≈ 1e%.0f, best error ≈ 1e%.0f, truncation slope %.0f, round-off slope %.0f\n",
			s.Method, math.Log10(s.OptimalEps), math.Log10(s.BestError), s.TruncationSlope, s.RoundoffSlope)
	}
	// Output:
	// Forward  optimal eps ≈ 1e-8, best error ≈ 1e-8, truncation slope 1, round-off slope -1
	// Central  optimal eps ≈ 1e-5, best error ≈ 1e-11, truncation slope 2, round-off slope -1
}
