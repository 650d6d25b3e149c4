package realworld

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"

	"github.com/gradcheck/gradcheck/generators"
	"github.com/gradcheck/gradcheck/properties"
)

// An analytic function F of mathext, checked as the map (x, y) ↦
// (Re F(x+iy), Im F(x+iy)) of ℝ² whose Jacobian, by the Cauchy–Riemann
// equations, is [[Re F′, −Im F′], [Im F′, Re F′]] with F′ its derivative.
type analyticPair struct {
	name  string
	f     func(complex128) complex128
	deriv func(complex128) complex128
	// cut is the distance of z to a branch cut of F (+Inf if none).
	cut func(z complex128) float64
}

var analyticPairs = []analyticPair{
	{"AiryAi (AiryAiDeriv)", mathext.AiryAi, mathext.AiryAiDeriv, func(complex128) float64 { return math.Inf(1) }},
	// Li2′(z) = −log(1 − z)/z; the cut of both is [1, ∞).
	{"Li2 (−log(1−z)/z)", mathext.Li2, func(z complex128) complex128 { return -cmplx.Log(1-z) / z },
		func(z complex128) float64 {
			if real(z) >= 1 {
				return math.Abs(imag(z))
			}
			return cmplx.Abs(z - 1)
		}},
}

const analyticPoints = 16

// TestMathextComplexJacobians checks AiryAiDeriv and Li2's derivative off
// the real axis, with CheckJacobian, at points z = x + iy from
// generators.Point(2) (|x|, |y| in 0.1…10).
func TestMathextComplexJacobians(t *testing.T) {
	for pi, p := range analyticPairs {
		t.Run(p.name, func(t *testing.T) {
			f := func(dst, v []float64) {
				w := p.f(complex(v[0], v[1]))
				dst[0], dst[1] = real(w), imag(w)
			}
			jac := func(dst *mat.Dense, v []float64) {
				d := p.deriv(complex(v[0], v[1]))
				dst.Set(0, 0, real(d))
				dst.Set(0, 1, -imag(d))
				dst.Set(1, 0, imag(d))
				dst.Set(1, 1, real(d))
			}
			for _, x := range examples(generators.Point(2), 150000+100*pi, analyticPoints) {
				z := complex(x[0], x[1])
				at := fmt.Sprintf("z = %v", z)
				err := properties.CheckJacobian(f, jac, x, &properties.Settings{Outputs: 2})
				judge(t, gonum, "mathext."+p.name+" (complex)", at, err, nil, nearEdge(cmplx.Abs(z), p.cut(z)))
			}
		})
	}
}
