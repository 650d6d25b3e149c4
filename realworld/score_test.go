package realworld

import (
	"fmt"
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"gonum.org/v1/gonum/stat/distuv"
)

// A scored distribution has Score (the gradient of LogProb in its
// parameters) and ScoreInput (the derivative of LogProb in x).
type scored interface {
	LogProb(x float64) float64
	Score(deriv []float64, x float64) []float64
	ScoreInput(x float64) float64
}

type scoreCase struct {
	name string
	// dist builds the distribution from its parameters, in Score's order.
	dist func(θ []float64) scored
	// valid maps drawn positive parameters to valid ones.
	valid func(p []float64) []float64
	// at maps a drawn signed magnitude into the support, and returns the
	// distance of x to an edge or kink of LogProb in x or in θ.
	at func(θ []float64, m float64) (x, edge float64)
}

func triangle(θ []float64) distuv.Triangle { return distuv.NewTriangle(θ[0], θ[1], θ[2], nil) }

// scoreCases lists every distribution of distuv with Score and ScoreInput.
var scoreCases = []scoreCase{
	{"Exponential", func(θ []float64) scored { return distuv.Exponential{Rate: θ[0]} },
		func(p []float64) []float64 { return p[:1] },
		func(_ []float64, m float64) (float64, float64) { return halfLine(nil, m) }},
	{"Laplace", func(θ []float64) scored { return distuv.Laplace{Mu: θ[0], Scale: θ[1]} },
		func(p []float64) []float64 { return []float64{p[0] - 1, p[1]} },
		func(θ []float64, m float64) (float64, float64) { return θ[0] + m, math.Abs(m) }},
	{"Normal", func(θ []float64) scored { return distuv.Normal{Mu: θ[0], Sigma: θ[1]} },
		func(p []float64) []float64 { return []float64{p[0] - 1, p[1]} },
		func(θ []float64, m float64) (float64, float64) { return θ[0] + m, math.Inf(1) }},
	{"Triangle", func(θ []float64) scored { return triangle(θ) },
		func(p []float64) []float64 { return []float64{-p[0], p[1], p[1]*p[2]/(1+p[2]) - p[0]/(1+p[2])} },
		func(θ []float64, m float64) (float64, float64) {
			x, edge := inside(θ[0], θ[1], m)
			return x, min(edge, math.Abs(x-θ[2]), θ[2]-θ[0], θ[1]-θ[2])
		}},
	{"Uniform", func(θ []float64) scored { return distuv.Uniform{Min: θ[0], Max: θ[1]} },
		func(p []float64) []float64 { return []float64{-p[0], p[1]} },
		func(θ []float64, m float64) (float64, float64) { return inside(θ[0], θ[1], m) }},
	{"Weibull", func(θ []float64) scored { return distuv.Weibull{K: θ[0], Lambda: θ[1]} },
		func(p []float64) []float64 { return p[:2] },
		func(_ []float64, m float64) (float64, float64) { return halfLine(nil, m) }},
}

// TestScore checks Score against LogProb's gradient in the parameters and
// ScoreInput against its derivative in x, at every scale.
func TestScore(t *testing.T) {
	for ci, c := range scoreCases {
		t.Run(c.name, func(t *testing.T) {
			for si, s := range scales {
				for _, dp := range distPoints(3, s, 50000+1000*ci+100*si) {
					θ := c.valid(dp.p)
					x, edge := c.at(θ, dp.m)
					at := fmt.Sprintf("θ = %.17g, x = %.17g (%s)", θ, x, s.name)
					near := nearEdge(x, edge)
					if c.name == "Weibull" && θ[0]*math.Log(x/θ[1]) > math.Log(math.MaxFloat64) {
						// LogProb = … − (x/λ)^k, whose exact value is below
						// −MaxFloat64: −Inf is its correct rounding, and
						// there is no finite value to differentiate.
						near = "LogProb's exact value overflows float64: −Inf is right"
					}
					logProb := func(v []float64) float64 { return c.dist(v).LogProb(x) }
					score := func(dst, v []float64) { c.dist(v).Score(dst, x) }
					err := properties.CheckGradient(logProb, score, θ, nil)
					judge(t, gonum, "distuv."+c.name+".Score", at, err, nil, near)

					d := c.dist(θ)
					logProbX := func(v []float64) float64 { return d.LogProb(v[0]) }
					scoreX := func(dst, v []float64) { dst[0] = d.ScoreInput(v[0]) }
					err = properties.CheckGradient(logProbX, scoreX, []float64{x}, nil)
					judge(t, gonum, "distuv."+c.name+".ScoreInput", at, err, nil, near)
				}
			}
		})
	}
}
