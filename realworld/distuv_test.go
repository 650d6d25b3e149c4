package realworld

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/properties"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

const gonum = "gonum v0.17.0"

// continuous is a distribution whose CDF has the density Prob as its
// derivative.
type continuous interface {
	CDF(x float64) float64
	Prob(x float64) float64
}

// survivor has a survival function 1 − CDF, whose derivative is −Prob.
type survivor interface {
	Survival(x float64) float64
}

// A support maps a drawn signed magnitude m into a distribution's
// support, with tiny |m| near an edge where the support has one, and
// returns x and its distance to the nearest edge or kink of the CDF
// (+Inf if none).
type support func(d continuous, m float64) (x, edge float64)

func halfLine(_ continuous, m float64) (float64, float64) { return math.Abs(m), math.Abs(m) }

func realLine(_ continuous, m float64) (float64, float64) { return m, math.Inf(1) }

// inside maps m into (lo, hi): lo + (hi−lo)·m/(1+m) for m > 0 (tiny m
// near lo) and lo + (hi−lo)/(1+|m|) for m < 0 (huge |m| near lo, tiny |m|
// near hi).
func inside(lo, hi, m float64) (float64, float64) {
	u := 1 / (1 - m)
	if m > 0 {
		u = m / (1 + m)
	}
	x := lo + (hi-lo)*u
	return x, min(x-lo, hi-x)
}

func unitInterval(_ continuous, m float64) (float64, float64) { return inside(0, 1, m) }

// params draws n positive parameters in [0.1, 100).
func params(n int) *rapid.Generator[[]float64] {
	return rapid.SliceOfN(magnitude(-1, 2), n, n)
}

type cdfCase struct {
	name string
	dist func(p []float64) continuous
	np   int // number of parameters drawn
	at   support
}

// continuousCases lists every continuous distribution of distuv with a CDF
// (AlphaStable has none), F twice: its LogProb sums terms of size D·log D
// that cancel, which large degrees of freedom would expose.
var continuousCases = []cdfCase{
	{"Beta", func(p []float64) continuous { return distuv.Beta{Alpha: p[0], Beta: p[1]} }, 2, unitInterval},
	{"Chi", func(p []float64) continuous { return distuv.Chi{K: p[0]} }, 1, halfLine},
	{"ChiSquared", func(p []float64) continuous { return distuv.ChiSquared{K: p[0]} }, 1, halfLine},
	{"Exponential", func(p []float64) continuous { return distuv.Exponential{Rate: p[0]} }, 1, halfLine},
	{"F", func(p []float64) continuous { return distuv.F{D1: p[0], D2: p[1]} }, 2, halfLine},
	{"F (D1, D2 in 1e3…1e6)", func(p []float64) continuous { return distuv.F{D1: 1e4 * p[0], D2: 1e4 * p[1]} }, 2, halfLine},
	{"Gamma", func(p []float64) continuous { return distuv.Gamma{Alpha: p[0], Beta: p[1]} }, 2, halfLine},
	{"GumbelRight", func(p []float64) continuous { return distuv.GumbelRight{Mu: p[0] - 1, Beta: p[1]} }, 2, realLine},
	{"InverseGamma", func(p []float64) continuous { return distuv.InverseGamma{Alpha: p[0], Beta: p[1]} }, 2, halfLine},
	{"Laplace", func(p []float64) continuous { return distuv.Laplace{Mu: p[0] - 1, Scale: p[1]} }, 2,
		func(d continuous, m float64) (float64, float64) { return m, math.Abs(m - d.(distuv.Laplace).Mu) }},
	{"Logistic", func(p []float64) continuous { return distuv.Logistic{Mu: p[0] - 1, S: p[1]} }, 2, realLine},
	{"LogNormal", func(p []float64) continuous { return distuv.LogNormal{Mu: p[0] - 1, Sigma: p[1]} }, 2, halfLine},
	{"NoncentralT", func(p []float64) continuous { return distuv.NoncentralT{Nu: p[0], Mu: p[1] - 1} }, 2, realLine},
	{"Normal", func(p []float64) continuous { return distuv.Normal{Mu: p[0] - 1, Sigma: p[1]} }, 2, realLine},
	{"Pareto", func(p []float64) continuous { return distuv.Pareto{Xm: p[0], Alpha: p[1]} }, 2,
		func(d continuous, m float64) (float64, float64) {
			return d.(distuv.Pareto).Xm + math.Abs(m), math.Abs(m)
		}},
	{"StudentsT", func(p []float64) continuous { return distuv.StudentsT{Mu: p[0] - 1, Sigma: p[1], Nu: p[2]} }, 3, realLine},
	{"Triangle", func(p []float64) continuous {
		return distuv.NewTriangle(-p[0], p[1], p[2]/(1+p[2])*p[1]-p[0]/(1+p[2]), nil)
	}, 3,
		func(d continuous, m float64) (float64, float64) {
			tr := d.(distuv.Triangle)
			x, edge := inside(tr.Quantile(0), tr.Quantile(1), m)
			return x, min(edge, math.Abs(x-tr.Mode()))
		}},
	{"Uniform", func(p []float64) continuous { return distuv.Uniform{Min: -p[0], Max: p[1]} }, 2,
		func(d continuous, m float64) (float64, float64) {
			u := d.(distuv.Uniform)
			return inside(u.Min, u.Max, m)
		}},
	{"Weibull", func(p []float64) continuous { return distuv.Weibull{K: p[0], Lambda: p[1]} }, 2, halfLine},
}

// pointsPerScale is the number of (parameters, x) pairs drawn per
// distribution and scale.
const pointsPerScale = 6

// A distPoint is a distribution's parameters and a point x of its support.
type distPoint struct {
	p []float64
	m float64 // the signed magnitude x is made from
}

func distPoints(np int, s scale, seed int) []distPoint {
	g := rapid.Custom(func(t *rapid.T) distPoint {
		return distPoint{p: params(np).Draw(t, "params"), m: signedMagnitude(s).Draw(t, "m")}
	})
	return examples(g, seed, pointsPerScale)
}

// edgeReach is how close to an edge or kink of f, relative to
// max(1, |x|), a point must come for its bug verdict to be put down to the
// harness's steps crossing it: Ridders' method starts from steps of 0.1,
// 0.1/16 and 0.1/256 of max(1, |x|) (gradients/difference.go), and every
// verdict near an edge in this suite came from within 1e-2 of it, naming a
// step that crossed it. Farther out, a verdict must be confirmed or the test
// fails.
const edgeReach = 1e-2

// nearEdge says why the harness cannot decide at x, or "".
func nearEdge(x, edge float64) string {
	if edge < edgeReach*max(1, math.Abs(x)) {
		return fmt.Sprintf("x is %.3g from an edge or kink of the support: the difference steps cross it", edge)
	}
	return ""
}

// TestCDFDerivativeIsProb checks CDF′ = Prob and Survival′ = −Prob for
// every continuous distribution, at every scale.
func TestCDFDerivativeIsProb(t *testing.T) {
	for ci, c := range continuousCases {
		t.Run(c.name, func(t *testing.T) {
			for si, s := range scales {
				for _, dp := range distPoints(c.np, s, 1000*ci+100*si) {
					d := c.dist(dp.p)
					x, edge := c.at(d, dp.m)
					at := fmt.Sprintf("%+v, x = %.17g (%s)", d, x, s.name)
					near := nearEdge(x, edge)
					cdf := func(v []float64) float64 { return d.CDF(v[0]) }
					pdf := func(dst, v []float64) { dst[0] = d.Prob(v[0]) }
					err := properties.CheckGradient(cdf, pdf, []float64{x}, nil)
					judge(t, gonum, "distuv."+typeName(d)+".CDF", at, err, func() string { return probEvidence(d, x) }, near)
					if sv, ok := d.(survivor); ok {
						surv := func(v []float64) float64 { return sv.Survival(v[0]) }
						negPDF := func(dst, v []float64) { dst[0] = -d.Prob(v[0]) }
						err := properties.CheckGradient(surv, negPDF, []float64{x}, nil)
						judge(t, gonum, "distuv."+typeName(d)+".Survival", at, err, func() string {
							if why := probEvidence(d, x); why != "" {
								return why
							}
							return survivalEvidence(d, x)
						}, near)
					}
				}
			}
		})
	}
}

// probEvidence returns what is wrong with d.Prob(x) for x inside the
// support: a density there is finite, and NoncentralT's is compared with
// an independent integral (noncentralTLogDensity) and its CDF with that
// density.
func probEvidence(d continuous, x float64) string {
	if p := d.Prob(x); math.IsNaN(p) || math.IsInf(p, 0) {
		return fmt.Sprintf("Prob(%g) = %v inside the support", x, p)
	}
	if d, ok := d.(distuv.NoncentralT); ok {
		return noncentralTEvidence(d, x)
	}
	return ""
}

// noncentralTEvidence compares NoncentralT's LogProb with the integral of
// noncentralTLogDensity (checked against StudentsT to 1e-13 and against
// gonum where gonum is well conditioned: TestNoncentralTLogDensity),
// calling a difference beyond 1e-9 in the log a bug, and checks that its
// CDF moves across [x, 2x] in the right tail by at least x·f(2x), the least
// the density allows there.
func noncentralTEvidence(d distuv.NoncentralT, x float64) string {
	exact := noncentralTLogDensity(d.Nu, d.Mu, x)
	if got := d.LogProb(x); math.Abs(got-exact) > 1e-9 {
		return fmt.Sprintf("LogProb(%g) = %.12g, by integration %.12g", x, got, exact)
	}
	if x > 0 && x > 10*math.Abs(d.Mu) {
		least := x * math.Exp(noncentralTLogDensity(d.Nu, d.Mu, 2*x))
		if moved := d.CDF(2*x) - d.CDF(x); moved < least/2 {
			return fmt.Sprintf("CDF(2x) − CDF(x) = %g at x = %g, where the density allows no less than %g", moved, x, least)
		}
	}
	return ""
}

// survivalEvidence compares d.Survival(x) with the survival function
// computed without the cancellation of 1 − CDF, where a closed form or the
// library's own complementary function gives it.
func survivalEvidence(d continuous, x float64) string {
	var exact float64
	switch d := d.(type) {
	case distuv.GumbelRight:
		exact = -math.Expm1(-math.Exp(-(x - d.Mu) / d.Beta))
	case distuv.Logistic:
		exact = 1 / (1 + math.Exp((x-d.Mu)/d.S))
	case distuv.LogNormal:
		exact = 0.5 * math.Erfc((math.Log(x)-d.Mu)/(math.Sqrt2*d.Sigma))
	case distuv.Normal:
		exact = 0.5 * math.Erfc((x-d.Mu)/(math.Sqrt2*d.Sigma))
	case distuv.Triangle:
		a, b, c := d.Quantile(0), d.Quantile(1), d.Mode()
		exact = (b - x) * (b - x) / ((b - a) * (b - c))
		if x <= c {
			exact = 1 - (x-a)*(x-a)/((b-a)*(c-a))
		}
	case distuv.F:
		exact = mathext.RegIncBeta(d.D2/2, d.D1/2, d.D2/(d.D1*x+d.D2))
	case distuv.Beta:
		exact = mathext.RegIncBeta(d.Beta, d.Alpha, 1-x)
		if x < 0.5 {
			// 1−x rounds away x's low bits; the complement of the
			// CDF has no such loss where the CDF is not near 1.
			exact = 1 - mathext.RegIncBeta(d.Alpha, d.Beta, x)
		}
	default:
		return ""
	}
	got := d.(survivor).Survival(x)
	if relDiff(got, exact) > 1e-8 {
		return fmt.Sprintf("Survival(%g) = %g, computed without cancellation %g", x, got, exact)
	}
	return ""
}

// typeName is the distribution's type name, "Gamma" for distuv.Gamma.
func typeName(d continuous) string { return strings.TrimPrefix(fmt.Sprintf("%T", d), "distuv.") }

// relDiff is |a − b|/max(|a|, |b|), 0 if both are 0.
func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b))
}

// signedMagnitude draws ±m with m uniform by decade on the scale.
func signedMagnitude(s scale) *rapid.Generator[float64] {
	return rapid.Custom(func(t *rapid.T) float64 {
		m := magnitude(s.minExp, s.maxExp).Draw(t, "m")
		if rapid.Bool().Draw(t, "negative") {
			return -m
		}
		return m
	})
}
