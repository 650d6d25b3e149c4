package properties

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gradcheck/gradcheck/gradients"
)

// kink is the evidence of a kink of a function of one variable.
type kink struct {
	found       bool
	right, left float64 // one-sided derivatives at the smallest telling step
	evidence    string
}

// findKink looks for a kink of φ at x0: one-sided derivatives that differ by
// a jump that does not shrink with the step. For a smooth φ the jump
// D₊(h) − D₋(h) ≈ h·φ″ falls 100× from h = 1e-3 to 1e-5 and again to 1e-7
// (relative to max(1,|x0|)); across a kink at x0, or within 1e-7 of it, it
// stays at the difference of the slopes.
// The jump must exceed the tolerance of the comparison it would explain,
// and 20× the noise of φ amplified by the step.
func findKink(phi func(float64) float64, x0, tol float64) kink {
	xc := math.Max(1, math.Abs(x0))
	noise := gradients.Noise(func(v []float64) float64 { return phi(v[0]) }, []float64{x0})
	f0 := phi(x0)
	steps := [3]float64{1e-3 * xc, 1e-5 * xc, 1e-7 * xc}
	var jump, right, left [3]float64
	for m, h := range steps {
		xp, xm := x0+h, x0-h
		right[m] = (phi(xp) - f0) / (xp - x0)
		left[m] = (f0 - phi(xm)) / (x0 - xm)
		jump[m] = right[m] - left[m]
	}
	significant := func(m int) bool {
		return math.Abs(jump[m]) > tol && math.Abs(jump[m]) > 20*noise*2/steps[m]
	}
	k := kink{evidence: fmt.Sprintf("jumps %.3g, %.3g, %.3g at steps %.0e, %.0e, %.0e", jump[0], jump[1], jump[2], steps[0], steps[1], steps[2])}
	// A kink persists down to the smallest step; a smooth corner narrower
	// than 1e-5 (a softplus whose logit moves by 1e7 per unit of x) does not
	// persist to 1e-7, and is left to the value comparison.
	// Steady: each jump within a factor 4 of the last. A smooth φ's jump
	// falls 100× per step, and round-off's grows 100× (it is noise/h): a
	// noise estimate that fell short must not pass growth off as a kink.
	steady := func(m int) bool {
		r := math.Abs(jump[m]) / math.Abs(jump[m-1])
		return r >= 0.25 && r <= 4
	}
	if !significant(1) || !significant(2) || !steady(1) || !steady(2) {
		return k
	}
	k.found = true
	k.right, k.left = right[2], left[2]
	return k
}

// newRand returns the generator of random directions for a seed.
func newRand(seed uint64) *rand.Rand {
	// The second word of PCG's state is a fixed odd constant (the golden
	// ratio's bits); any fixed value makes the stream a function of seed.
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}
