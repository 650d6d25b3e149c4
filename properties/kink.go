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
// D₊(h) − D₋(h) ≈ h·φ″ falls 100× from h = 1e-3 to 1e-5 (relative to
// max(1,|x0|)); across a kink it stays at the difference of the slopes. A
// kink closer to x0 than the central-difference step (≈6e-6) spoils the
// numerical derivative, which is why a failing coordinate is tested for one.
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
	if !significant(1) || !(math.Abs(jump[1]) >= 0.25*math.Abs(jump[0])) {
		return k
	}
	k.found = true
	k.right, k.left = right[1], left[1]
	if significant(2) && math.Abs(jump[2]) >= 0.25*math.Abs(jump[1]) {
		k.right, k.left = right[2], left[2]
	}
	return k
}

// newRand returns the generator of random directions for a seed.
func newRand(seed uint64) *rand.Rand {
	// The second word of PCG's state is a fixed odd constant (the golden
	// ratio's bits); any fixed value makes the stream a function of seed.
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}
