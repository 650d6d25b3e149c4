package realworld

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/gradcheck/gradcheck/properties"
)

// A formerFalseAlarm is a point where the harness once gave a bug verdict
// on a derivative shown correct by independent evidence: a step that left
// the support (a panic of f there), crossed a kink or an edge a step away,
// or a value beyond float64's range. Its test fails if the harness gives a
// bug verdict there again, or if the evidence stops holding.
type formerFalseAlarm struct {
	name    string
	at      string
	check   func() error
	correct func() string // "" if the derivative is right at this point
}

// agree returns "" if got and want agree to 1e-12 relative, else both.
func agree(what string, got, want float64) string {
	if relDiff(got, want) <= 1e-12 {
		return ""
	}
	return fmt.Sprintf("%s = %.17g, by hand %.17g", what, got, want)
}

var formerFalseAlarms = []formerFalseAlarm{
	{
		name: "ChiSquared.CDF.panic-outside-support",
		at:   "ChiSquared{K: 10}, x = 9.8449045584246165e-08",
		check: func() error {
			d := distuv.ChiSquared{K: 10}
			return scalarCheck(d.CDF, d.Prob, 9.8449045584246165e-08)
		},
		correct: func() string {
			const k, x = 10.0, 9.8449045584246165e-08
			want := math.Exp((k/2-1)*math.Log(x) - x/2 - (k/2)*math.Ln2 - lgamma(k/2))
			return agree("Prob(x)", distuv.ChiSquared{K: k}.Prob(x), want)
		},
	},
	{
		name: "Gamma.CDF.step-across-edge",
		at:   "Gamma{Alpha: 0.5064351759152487, Beta: 0.417041015625}, x = 8.4999999999999997e-12",
		check: func() error {
			d := distuv.Gamma{Alpha: 0.5064351759152487, Beta: 0.417041015625}
			return scalarCheck(d.CDF, d.Prob, 8.4999999999999997e-12)
		},
		correct: func() string {
			const a, b, x = 0.5064351759152487, 0.417041015625, 8.4999999999999997e-12
			want := math.Exp(a*math.Log(b) + (a-1)*math.Log(x) - b*x - lgamma(a))
			return agree("Prob(x)", distuv.Gamma{Alpha: a, Beta: b}.Prob(x), want)
		},
	},
	{
		name: "Uniform.CDF.step-across-edge",
		at:   "Uniform{Min: -0.29325878162153457, Max: 0.12578125}, x = -0.2932587286310091",
		check: func() error {
			d := distuv.Uniform{Min: -0.29325878162153457, Max: 0.12578125}
			return scalarCheck(d.CDF, d.Prob, -0.2932587286310091)
		},
		correct: func() string {
			d := distuv.Uniform{Min: -0.29325878162153457, Max: 0.12578125}
			return agree("Prob(x)", d.Prob(-0.2932587286310091), 1/(d.Max-d.Min))
		},
	},
	{
		name: "Laplace.ScoreInput.step-across-kink",
		at:   "Laplace{Mu: -0.11127318549697518, Scale: 1}, x = -0.11127316278737076",
		check: func() error {
			d := distuv.Laplace{Mu: -0.11127318549697518, Scale: 1}
			return scalarCheck(d.LogProb, d.ScoreInput, -0.11127316278737076)
		},
		correct: func() string {
			// LogProb = −|x−μ|/s − log 2s: its derivative is −1/s for x > μ.
			d := distuv.Laplace{Mu: -0.11127318549697518, Scale: 1}
			return agree("ScoreInput(x)", d.ScoreInput(-0.11127316278737076), -1/d.Scale)
		},
	},
	{
		name: "Laplace.ScoreInput.kink-below-the-steps",
		at:   "Laplace{Mu: 8.9999999999999982, Scale: 2.25}, x = 8.9999999999268105",
		check: func() error {
			d := distuv.Laplace{Mu: 8.9999999999999982, Scale: 2.25}
			return scalarCheck(d.LogProb, d.ScoreInput, 8.9999999999268105)
		},
		correct: func() string {
			// x < μ by 7.3e-11, 4e4 ulps of x: LogProb′ = 1/s, and the
			// floats of x allow two steps a decade apart below the kink.
			d := distuv.Laplace{Mu: 8.9999999999999982, Scale: 2.25}
			return agree("ScoreInput(x)", d.ScoreInput(8.9999999999268105), 1/d.Scale)
		},
	},
	{
		name: "Uniform.Score.infinite-outside-support",
		at:   "Uniform{Min: -0.23028572199736241, Max: 0.10000000000000001}, x = 0.099999999999407452, θ = [Min, Max]",
		check: func() error {
			const x = 0.099999999999407452
			return properties.CheckGradient(
				func(θ []float64) float64 { return distuv.Uniform{Min: θ[0], Max: θ[1]}.LogProb(x) },
				func(dst, θ []float64) { distuv.Uniform{Min: θ[0], Max: θ[1]}.Score(dst, x) },
				[]float64{-0.23028572199736241, 0.10000000000000001}, nil)
		},
		correct: func() string {
			// LogProb = −log(Max − Min) inside the support.
			d := distuv.Uniform{Min: -0.23028572199736241, Max: 0.10000000000000001}
			s := d.Score(nil, 0.099999999999407452)
			w := 1 / (d.Max - d.Min)
			return agree("Score(x)[0]", s[0], w) + agree("Score(x)[1]", s[1], -w)
		},
	},
	{
		name: "Weibull.ScoreInput.logprob-overflows",
		at:   "Weibull{K: 83.1640625, Lambda: 9.0177363374386914}, x = 34794229.26902771",
		check: func() error {
			d := distuv.Weibull{K: 83.1640625, Lambda: 9.0177363374386914}
			return scalarCheck(d.LogProb, d.ScoreInput, 34794229.26902771)
		},
		correct: func() string {
			// LogProb = … − (x/λ)^k, and k·log(x/λ) > log(MaxFloat64):
			// −Inf is the correctly rounded value.
			const k, l, x = 83.1640625, 9.0177363374386914, 34794229.26902771
			if k*math.Log(x/l) <= math.Log(math.MaxFloat64) {
				return "(x/λ)^k does not overflow"
			}
			if v := (distuv.Weibull{K: k, Lambda: l}).LogProb(x); !math.IsInf(v, -1) {
				return fmt.Sprintf("LogProb(x) = %g, want -Inf", v)
			}
			return ""
		},
	},
}

// TestFormerFalseAlarms checks that the harness passes, or gives no
// verdict with its reason, where it once gave a bug verdict on a correct
// gonum derivative.
func TestFormerFalseAlarms(t *testing.T) {
	for _, a := range formerFalseAlarms {
		t.Run(a.name, func(t *testing.T) {
			if why := a.correct(); why != "" {
				t.Fatalf("at %s the derivative is not shown correct: %s", a.at, why)
			}
			err := a.check()
			if errors.Is(err, properties.Bug) {
				t.Fatalf("at %s the harness gives a bug verdict on the correct derivative again: %v", a.at, err)
			}
			t.Logf("at %s: %v", a.at, err)
		})
	}
}
