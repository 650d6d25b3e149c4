package realworld

import (
	"fmt"
	"math"
	"testing"

	"github.com/sjwhitworth/golearn/neural"

	"github.com/gradcheck/gradcheck/generators"
	"github.com/gradcheck/gradcheck/properties"
)

const golearn = "golearn v0.0.0-20221228163002-74ae077eafb2"

// golearn's Network.Error applies Backward to the outputs of Activate, not
// to the inputs: Backward(Forward(v)) is Forward′(v) (Sigmoid's Backward
// is y(1 − y)).
var golearnActivations = []struct {
	name string
	fn   neural.NeuralFunction
	// deriv is Forward′ derived by hand.
	deriv func(v float64) float64
}{
	{"Sigmoid", neural.Sigmoid, func(v float64) float64 { s := 1 / (1 + math.Exp(-v)); return s * (1 - s) }},
	{"Linear", neural.Linear, func(float64) float64 { return 1 }},
	// softplus′ = the logistic sigmoid.
	{"SoftplusRectifier", neural.SoftplusRectifier, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
}

// activationEvidence returns how Backward(Forward(v)) differs from the
// derivative by hand at v, or "".
func activationEvidence(fn neural.NeuralFunction, deriv func(float64) float64, v float64) string {
	got, want := fn.Backward(fn.Forward(v)), deriv(v)
	if relDiff(got, want) > 1e-12 {
		return fmt.Sprintf("Backward(Forward(%g)) = %.6g, by hand %.6g", v, got, want)
	}
	return ""
}

const golearnPoints = 24

// TestGolearnActivations checks Backward(Forward(v)) against Forward′ at
// points of generators.Float64 (zero, small integers, 1e-3…1e3) and of
// the wide scales.
func TestGolearnActivations(t *testing.T) {
	for ai, a := range golearnActivations {
		t.Run(a.name, func(t *testing.T) {
			points := examples(generators.Float64(), 120000+100*ai, golearnPoints)
			points = append(points, examples(generators.Float64Decades(-8, 2), 121000+100*ai, golearnPoints/2)...)
			for _, v := range points {
				at := fmt.Sprintf("v = %.17g", v)
				err := properties.CheckGradient(
					func(x []float64) float64 { return a.fn.Forward(x[0]) },
					func(dst, x []float64) { dst[0] = a.fn.Backward(a.fn.Forward(x[0])) },
					[]float64{v}, nil)
				judge(t, golearn, "neural."+a.name+".Backward", at, err,
					func() string { return activationEvidence(a.fn, a.deriv, v) }, "")
			}
		})
	}
}
