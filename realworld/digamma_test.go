package realworld

import (
	"fmt"
	"math"
	"math/big"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// accurateDigamma returns ψ(x) for x > 0 to about 1e-15 of max(1, |ψ(x)|),
// independently of mathext.Digamma: the recurrence ψ(x) = ψ(x + n) −
// Σₖ<ₙ 1/(x + k) up to x + n ≥ 40, with the sum taken in 200-bit
// big.Float (x + k and 1/(x + k) rounded there, not in float64), and the
// asymptotic series ψ(y) = ln y − 1/(2y) − Σ B₂ₖ/(2k·y²ᵏ) at y = x + n with
// the terms through y⁻¹⁰, whose first omitted term, 691/(32760·y¹²), is
// below 2e-21 there.
func accurateDigamma(x float64) float64 {
	if !(x > 0) {
		return math.NaN()
	}
	const prec = 200
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	sum := new(big.Float).SetPrec(prec)
	y := new(big.Float).SetPrec(prec).SetFloat64(x)
	for y.Cmp(big.NewFloat(40)) < 0 {
		sum.Add(sum, new(big.Float).SetPrec(prec).Quo(one, y))
		y.Add(y, one)
	}
	yf, _ := y.Float64()
	r := 1 / (yf * yf)
	series := r * (1.0/12 - r*(1.0/120-r*(1.0/252-r*(1.0/240-r*(1.0/132)))))
	asym := new(big.Float).SetPrec(prec).SetFloat64(math.Log(yf) - 1/(2*yf) - series)
	psi, _ := asym.Sub(asym, sum).Float64()
	return psi
}

// TestAccurateDigamma checks accurateDigamma against ψ's exact values
// (DLMF 5.4.12–5.4.16: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(1/3), ψ(2) =
// 1 − γ) and against ψ(x + 1) = ψ(x) + 1/x: the evidence for a bug in
// mathext.Digamma must hold first.
func TestAccurateDigamma(t *testing.T) {
	const gamma = 0.57721566490153286060651209008240243
	exact := map[float64]float64{
		1:       -gamma,
		0.5:     -gamma - 2*math.Ln2,
		1.0 / 3: -gamma - math.Pi/(2*math.Sqrt(3)) - 1.5*math.Log(3),
		2:       1 - gamma,
		100:     4.6001618527380874002, // ψ(100) = H₉₉ − γ
	}
	for x, want := range exact {
		if got := accurateDigamma(x); math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Errorf("ψ(%g) = %.17g, want %.17g", x, got, want)
		}
	}
	for _, x := range []float64{1e-3, 0.0625, 1.4616321449683623, 1.544921875, 3.7, 39.5, 1e3} {
		// The sum ψ(x) + 1/x carries the rounding of its larger term.
		psi := accurateDigamma(x)
		if got, want := accurateDigamma(x+1), psi+1/x; math.Abs(got-want) > 1e-15*math.Max(1, math.Max(math.Abs(psi), 1/x)) {
			t.Errorf("ψ(%g + 1) = %.17g, ψ(x) + 1/x = %.17g", x, got, want)
		}
	}
}

// digammaEvidence returns what is wrong with entry i of pair c's
// derivative at x, written with mathext.Digamma, against the same
// derivative with accurateDigamma: mathext.Digamma's asymptotic series
// stops at four terms after shifting x to at least 6.5, where the next term
// is about 1e-10, and its derivative pairs are off by that much (the
// bug verdicts it gets at 1e-10 relative). "" if the two agree within
// 1e-11 of the entry.
func digammaEvidence(c derivativePair, x []float64, i int) string {
	got, want := make([]float64, len(x)), make([]float64, len(x))
	c.grad(got, x)
	c.accurate(want, x)
	if relDiff(got[i], want[i]) <= 1e-11 {
		return ""
	}
	return fmt.Sprintf("entry %d with mathext.Digamma is %.17g, with ψ to 1e-15 %.17g (relative %.2g); mathext.Digamma(%.17g) = %.17g", i, got[i], want[i], relDiff(got[i], want[i]), x[i], mathext.Digamma(x[i]))
}
