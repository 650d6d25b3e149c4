package realworld

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/properties"
	"gonum.org/v1/gonum/mathext"
)

// A derivativePair is a function of mathext and its derivative, written
// from an identity between mathext's own functions (or math's).
type derivativePair struct {
	name string
	// point draws x from positive magnitudes (params gives 0.1…100) and
	// returns it mapped into the function's domain.
	point func(p []float64) []float64
	f     func(x []float64) float64
	grad  func(dst, x []float64)
	// accurate, for the pairs written with ψ, is grad with ψ computed to
	// about 1e-15 (accurateDigamma) instead of by mathext.Digamma: the
	// independent evidence for a bug verdict on them (digammaEvidence).
	accurate func(dst, x []float64)
}

// psiPair returns a pair whose derivative is written with ψ: grad uses
// mathext.Digamma, accurate uses accurateDigamma.
func psiPair(name string, point func(p []float64) []float64, f func(x []float64) float64, deriv func(psi func(float64) float64, dst, x []float64)) derivativePair {
	return derivativePair{name, point, f,
		func(dst, x []float64) { deriv(digamma, dst, x) },
		func(dst, x []float64) { deriv(accurateDigamma, dst, x) }}
}

func digamma(x float64) float64 { return mathext.Digamma(x) }

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }

// unit maps p > 0 into (0, 1).
func unit(p float64) float64 { return p / (1 + p) }

var derivativePairs = []derivativePair{
	psiPair("Digamma (as Lgamma′)", func(p []float64) []float64 { return p[:1] },
		func(x []float64) float64 { return lgamma(x[0]) },
		func(psi func(float64) float64, dst, x []float64) { dst[0] = psi(x[0]) }),
	psiPair("Lbeta (∂ = ψ(a) − ψ(a+b))", func(p []float64) []float64 { return p[:2] },
		func(x []float64) float64 { return mathext.Lbeta(x[0], x[1]) },
		func(psi func(float64) float64, dst, x []float64) {
			dst[0] = psi(x[0]) - psi(x[0]+x[1])
			dst[1] = psi(x[1]) - psi(x[0]+x[1])
		}),
	psiPair("Beta", func(p []float64) []float64 { return []float64{p[0] / 10, p[1] / 10} },
		func(x []float64) float64 { return mathext.Beta(x[0], x[1]) },
		func(psi func(float64) float64, dst, x []float64) {
			b := mathext.Beta(x[0], x[1])
			dst[0] = b * (psi(x[0]) - psi(x[0]+x[1]))
			dst[1] = b * (psi(x[1]) - psi(x[0]+x[1]))
		}),
	{"RegIncBeta (∂x)", func(p []float64) []float64 { return []float64{p[0], p[1], unit(p[2])} },
		func(x []float64) float64 { return mathext.RegIncBeta(x[0], x[1], x[2]) },
		func(dst, x []float64) {
			dst[2] = math.Exp((x[0]-1)*math.Log(x[2]) + (x[1]-1)*math.Log1p(-x[2]) - mathext.Lbeta(x[0], x[1]))
		}, nil},
	{"InvRegIncBeta (∂y)", func(p []float64) []float64 { return []float64{p[0], p[1], unit(p[2])} },
		func(x []float64) float64 { return mathext.InvRegIncBeta(x[0], x[1], x[2]) },
		func(dst, x []float64) {
			q := mathext.InvRegIncBeta(x[0], x[1], x[2])
			dst[2] = math.Exp(-(x[0]-1)*math.Log(q) - (x[1]-1)*math.Log1p(-q) + mathext.Lbeta(x[0], x[1]))
		}, nil},
	{"GammaIncReg (∂x)", func(p []float64) []float64 { return p[:2] },
		func(x []float64) float64 { return mathext.GammaIncReg(x[0], x[1]) },
		func(dst, x []float64) {
			dst[1] = math.Exp((x[0]-1)*math.Log(x[1]) - x[1] - lgamma(x[0]))
		}, nil},
	{"GammaIncRegComp (∂x)", func(p []float64) []float64 { return p[:2] },
		func(x []float64) float64 { return mathext.GammaIncRegComp(x[0], x[1]) },
		func(dst, x []float64) {
			dst[1] = -math.Exp((x[0]-1)*math.Log(x[1]) - x[1] - lgamma(x[0]))
		}, nil},
	{"GammaIncRegInv (∂y)", func(p []float64) []float64 { return []float64{p[0], unit(p[1])} },
		func(x []float64) float64 { return mathext.GammaIncRegInv(x[0], x[1]) },
		func(dst, x []float64) {
			q := mathext.GammaIncRegInv(x[0], x[1])
			dst[1] = math.Exp(-(x[0]-1)*math.Log(q) + q + lgamma(x[0]))
		}, nil},
	{"GammaIncRegCompInv (∂y)", func(p []float64) []float64 { return []float64{p[0], unit(p[1])} },
		func(x []float64) float64 { return mathext.GammaIncRegCompInv(x[0], x[1]) },
		func(dst, x []float64) {
			q := mathext.GammaIncRegCompInv(x[0], x[1])
			dst[1] = -math.Exp(-(x[0]-1)*math.Log(q) + q + lgamma(x[0]))
		}, nil},
	{"NormalQuantile (1/φ)", func(p []float64) []float64 { return []float64{unit(p[0])} },
		func(x []float64) float64 { return mathext.NormalQuantile(x[0]) },
		func(dst, x []float64) {
			q := mathext.NormalQuantile(x[0])
			dst[0] = math.Sqrt(2*math.Pi) * math.Exp(q*q/2)
		}, nil},
	{"AiryAiDeriv (real axis)", func(p []float64) []float64 { return []float64{p[0] - 5} },
		func(x []float64) float64 { return real(mathext.AiryAi(complex(x[0], 0))) },
		func(dst, x []float64) { dst[0] = real(mathext.AiryAiDeriv(complex(x[0], 0))) }, nil},
	{"Li2′ = −log(1−x)/x (real, x < 1)", func(p []float64) []float64 { return []float64{1 - p[0]} },
		func(x []float64) float64 { return real(mathext.Li2(complex(x[0], 0))) },
		func(dst, x []float64) { dst[0] = -math.Log1p(-x[0]) / x[0] }, nil},
	{"EllipticF (∂φ = 1/√(1−m sin²φ))", func(p []float64) []float64 { return []float64{unit(p[0]) * math.Pi / 2, unit(p[1])} },
		func(x []float64) float64 { return mathext.EllipticF(x[0], x[1]) },
		func(dst, x []float64) { s := math.Sin(x[0]); dst[0] = 1 / math.Sqrt(1-x[1]*s*s) }, nil},
	{"EllipticE (∂φ = √(1−m sin²φ))", func(p []float64) []float64 { return []float64{unit(p[0]) * math.Pi / 2, unit(p[1])} },
		func(x []float64) float64 { return mathext.EllipticE(x[0], x[1]) },
		func(dst, x []float64) { s := math.Sin(x[0]); dst[0] = math.Sqrt(1 - x[1]*s*s) }, nil},
	{"EllipticRF (∂ = −R_D/6)", func(p []float64) []float64 { return p[:3] },
		func(x []float64) float64 { return mathext.EllipticRF(x[0], x[1], x[2]) },
		func(dst, x []float64) {
			dst[0] = -mathext.EllipticRD(x[1], x[2], x[0]) / 6
			dst[1] = -mathext.EllipticRD(x[2], x[0], x[1]) / 6
			dst[2] = -mathext.EllipticRD(x[0], x[1], x[2]) / 6
		}, nil},
	{"CompleteK (K′ = (E − (1−m)K)/(2m(1−m)))", func(p []float64) []float64 { return []float64{unit(p[0])} },
		func(x []float64) float64 { return mathext.CompleteK(x[0]) },
		func(dst, x []float64) {
			m := x[0]
			dst[0] = (mathext.CompleteE(m) - (1-m)*mathext.CompleteK(m)) / (2 * m * (1 - m))
		}, nil},
	{"CompleteE (E′ = (E − K)/(2m))", func(p []float64) []float64 { return []float64{unit(p[0])} },
		func(x []float64) float64 { return mathext.CompleteE(x[0]) },
		func(dst, x []float64) { dst[0] = (mathext.CompleteE(x[0]) - mathext.CompleteK(x[0])) / (2 * x[0]) }, nil},
	{"Zeta (∂q = −x·ζ(x+1, q))", func(p []float64) []float64 { return []float64{1 + p[0], p[1]} },
		func(x []float64) float64 { return mathext.Zeta(x[0], x[1]) },
		func(dst, x []float64) { dst[1] = -x[0] * mathext.Zeta(x[0]+1, x[1]) }, nil},
	psiPair("MvLgamma (∂v = Σ ψ(v + (1−j)/2))", func(p []float64) []float64 { return []float64{2 + p[0]} },
		func(x []float64) float64 { return mathext.MvLgamma(x[0], 3) },
		func(psi func(float64) float64, dst, x []float64) {
			dst[0] = psi(x[0]) + psi(x[0]-0.5) + psi(x[0]-1)
		}),
	{"Hypergeo (∂z = ab/c · ₂F₁(a+1, b+1; c+1; z))", func(p []float64) []float64 { return []float64{p[0] / 10, p[1] / 10, 1 + p[2]/10, unit(p[0]) - 0.5} },
		func(x []float64) float64 { return mathext.Hypergeo(x[0], x[1], x[2], x[3]) },
		func(dst, x []float64) {
			dst[3] = x[0] * x[1] / x[2] * mathext.Hypergeo(x[0]+1, x[1]+1, x[2]+1, x[3])
		}, nil},
}

// wrt returns the coordinates of x a pair's derivative is written for:
// pairs whose names say ∂x, ∂y, ∂z, ∂q or ∂v hold that one coordinate
// (the last, or the second of two), the others every coordinate.
func wrt(name string, d int) []int {
	for _, k := range []string{"(∂x", "(∂y", "(∂z", "(∂q", "(∂v", "(∂φ"} {
		if strings.Contains(name, k) {
			switch k {
			case "(∂φ":
				return []int{0}
			case "(∂q", "(∂x", "(∂y":
				if d == 2 {
					return []int{1}
				}
			}
			return []int{d - 1}
		}
	}
	all := make([]int, d)
	for i := range all {
		all[i] = i
	}
	return all
}

// pairDomains gives, by the first word of a pair's name, the open interval
// its checked coordinates live in (the real line if absent): points within
// a step of its ends are where the harness's steps leave it.
var pairDomains = map[string][2]float64{
	"Digamma": {0, math.Inf(1)}, "Lbeta": {0, math.Inf(1)}, "Beta": {0, math.Inf(1)},
	"RegIncBeta": {0, 1}, "InvRegIncBeta": {0, 1},
	"GammaIncReg": {0, math.Inf(1)}, "GammaIncRegComp": {0, math.Inf(1)},
	"GammaIncRegInv": {0, 1}, "GammaIncRegCompInv": {0, 1}, "NormalQuantile": {0, 1},
	"Li2′": {math.Inf(-1), 1}, "EllipticRF": {0, math.Inf(1)},
	"CompleteK": {0, 1}, "CompleteE": {0, 1}, "Zeta": {0, math.Inf(1)},
	"MvLgamma": {1, math.Inf(1)}, "Hypergeo": {-1, 1},
}

// pairEdge returns the distance of v to the ends of the pair's domain.
func pairEdge(name string, v float64) float64 {
	d, ok := pairDomains[strings.Fields(name)[0]]
	if !ok {
		return math.Inf(1)
	}
	return min(v-d[0], d[1]-v)
}

const mathextPoints = 12

// TestMathextDerivatives checks every derivative pair along the
// coordinates it is written for, at points of magnitudes 0.1…100 and
// 1e-3…1e3 mapped into each function's domain.
func TestMathextDerivatives(t *testing.T) {
	for ci, c := range derivativePairs {
		t.Run(c.name, func(t *testing.T) {
			points := examples(params(4), 90000+100*ci, mathextPoints)
			points = append(points, examples(rapid.SliceOfN(magnitude(-3, 3), 4, 4), 95000+100*ci, mathextPoints)...)
			for _, p := range points {
				x := c.point(p)
				for _, i := range wrt(c.name, len(x)) {
					f := func(v []float64) float64 {
						y := append([]float64(nil), x...)
						y[i] = v[0]
						return c.f(y)
					}
					g := func(dst, v []float64) {
						y := append([]float64(nil), x...)
						y[i] = v[0]
						all := make([]float64, len(x))
						c.grad(all, y)
						dst[0] = all[i]
					}
					if v := c.f(x); math.IsInf(v, 0) || math.IsNaN(v) {
						// ζ(976, 0.009) overflows, say: no value to
						// differentiate.
						ledger.skip(gonum, "mathext."+c.name)
						continue
					}
					at := fmt.Sprintf("x = %s, along x[%d]", fmtPoint(x), i)
					err := properties.CheckGradient(f, g, []float64{x[i]}, nil)
					var evidence func() string
					if c.accurate != nil {
						evidence = func() string { return digammaEvidence(c, x, i) }
					}
					judge(t, gonum, "mathext."+c.name, at, err, evidence, nearEdge(x[i], pairEdge(c.name, x[i])))
				}
			}
		})
	}
}
