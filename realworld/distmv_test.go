package realworld

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/gradcheck/gradcheck/generators"
	"github.com/gradcheck/gradcheck/properties"
)

// A normalCase is a multivariate normal's mean, covariance and point.
type normalCase struct {
	mu, x []float64
	sigma *mat.SymDense
}

// normalCases draws covariances AᵀA for A from
// generators.IllConditionedMatrix (so Σ has condition number cond²), and
// mean and point from generators.Point.
func normalCases(d int, cond float64, seed, n int) []normalCase {
	g := rapid.Custom(func(t *rapid.T) normalCase {
		a := generators.IllConditionedMatrix(d, d, cond).Draw(t, "A")
		var s mat.SymDense
		s.SymOuterK(1, a.T())
		return normalCase{mu: generators.Point(d).Draw(t, "mu"), x: generators.Point(d).Draw(t, "x"), sigma: &s}
	})
	return examples(g, seed, n)
}

// TestDistmvNormalScoreInput checks distmv.Normal's ScoreInput against
// LogProb's gradient (the only derivative in stat/distmv), for covariances
// from well to badly conditioned.
func TestDistmvNormalScoreInput(t *testing.T) {
	for _, d := range []int{2, 3, 5} {
		for ci, cond := range []float64{1, 10, 1e3} {
			for _, c := range normalCases(d, cond, 140000+100*d+10*ci, 6) {
				n, ok := distmv.NewNormal(c.mu, c.sigma, nil)
				if !ok {
					t.Fatalf("d = %d, cond(A) = %g: covariance not positive definite", d, cond)
				}
				at := fmt.Sprintf("d = %d, cond(Σ) = %g, mu = %s, x = %s", d, cond*cond, fmtPoint(c.mu), fmtPoint(c.x))
				err := properties.CheckGradient(n.LogProb, func(dst, x []float64) { n.ScoreInput(dst, x) }, c.x, nil)
				holds(t, gonum, "distmv.Normal.ScoreInput", at, err)
			}
		}
	}
}
