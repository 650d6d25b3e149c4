package properties_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/gradcheck/gradcheck/gradients"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

func TestZZMeasure(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	for _, d := range []int{10, 1000, 10000} {
		for _, s := range []float64{1e-6, 1, 1e6, 1e8} {
			cases := []scaleCase{sumOfSquaresAt(7, d, s)}
			if s != 1e-6 && d <= 1000 {
				cases = append(cases, logisticAt(7, d, s))
			}
			for _, c := range cases {
				g := make([]float64, d)
				c.grad(g, c.x)
				r0 := properties.GradientReport(c.f, c.grad, c.x, nil)
				out := fmt.Sprintf("%s: correct %v evals %d |", c.name, r0.Err == nil, r0.Evals)
				for _, i := range []int{0, d / 3, d - 1} {
					line := func(tt float64) float64 {
						w := append([]float64(nil), c.x...)
						w[i] = tt
						return c.f(w)
					}
					_, e := gradients.DerivativeWithError(line, c.x[i], nil)
					found := math.Inf(1)
					for _, k := range []float64{1, 3, 10, 30, 100, 300, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7} {
						err := properties.CheckGradient(c.f, gradtest.OffsetVec(c.grad, i, k*e), c.x, nil)
						var fl *properties.Failure
						if errors.As(err, &fl) && fl.Kind == properties.Partial && fl.Row == i {
							found = k
							break
						}
					}
					out += fmt.Sprintf(" [%d] e/‖g‖=%.2g min=%g (%.2g rel-entry)", i, e/normInf(g), found, found*e/math.Abs(g[i]))
				}
				t.Log(out)
			}
		}
	}
}
