package properties_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// quantizedCase is a function computed in float32 inside around a large
// offset: at the screen's steps its values are a staircase (float32's
// quantum at 1e4 is 9.8e-4), and the noise measurement, which sees only
// equal values there, took σ = ε|f| (issue 11: the screen's value 0 of a
// derivative of 0.2 came with a tolerance of 1.9e-5, a bug verdict).
type quantizedCase struct {
	name string
	f    func(x []float64) float64
	grad func(d, x []float64)
	x    []float64
}

func quantizedCases() []quantizedCase {
	sq := func(off float32) func(x []float64) float64 {
		return func(x []float64) float64 { return float64(off + float32(x[0])*float32(x[0])) }
	}
	sqGrad := func(d, x []float64) { d[0] = 2 * x[0] }
	return []quantizedCase{
		{"1e4+x² at 0.1", sq(1e4), sqGrad, []float64{0.1}},
		{"1e5+x² at 0.5", sq(1e5), sqGrad, []float64{0.5}},
		{"3000+x² at 0.1", sq(3000), sqGrad, []float64{0.1}},
		{"1e5+2x at 0.3", func(x []float64) float64 { return float64(float32(1e5) + 2*float32(x[0])) },
			func(d, x []float64) { d[0] = 2 }, []float64{0.3}},
	}
}

// verdictOf classifies err: "pass", "no verdict" or "bug".
func verdictOf(err error) string {
	switch {
	case err == nil:
		return "pass"
	case errors.Is(err, properties.Bug):
		return "bug"
	case errors.Is(err, properties.NoVerdict):
		return "no verdict"
	}
	return fmt.Sprintf("neither: %v", err)
}

// quantizedChecks runs the gradient check in both modes and the Jacobian
// check of f as a one-output function, with the gradient scaled by k.
func quantizedChecks(cs quantizedCase, k float64) map[string]error {
	grad := func(d, x []float64) {
		cs.grad(d, x)
		d[0] *= k
	}
	f := func(dst, x []float64) { dst[0] = cs.f(x) }
	jac := func(dst *mat.Dense, x []float64) {
		g := make([]float64, 1)
		grad(g, x)
		dst.Set(0, 0, g[0])
	}
	return map[string]error{
		"gradient":   properties.CheckGradient(cs.f, grad, cs.x, nil),
		"directions": properties.CheckGradient(cs.f, grad, cs.x, &properties.Settings{Directions: 4}),
		"jacobian":   properties.CheckJacobian(f, jac, cs.x, &properties.Settings{Outputs: 1}),
	}
}

// TestQuantizedNoFalseAlarm: the correct derivatives of issue 11's float32
// staircases get no bug verdict in any mode (a pass, or no verdict with
// the reason). Before the precision floor (precision.go) each of the
// 1e4, 1e5 and 1e5+2x cases was a bug in all three modes.
func TestQuantizedNoFalseAlarm(t *testing.T) {
	for _, cs := range quantizedCases() {
		for mode, err := range quantizedChecks(cs, 1) {
			if errors.Is(err, properties.Bug) {
				t.Errorf("%s, %s: correct derivative flagged: %v", cs.name, mode, err)
			}
		}
	}
}

// TestQuantizedBugs: wrong derivatives of the same functions, where the
// engine resolves the entry. 3000 + x² at 0.1 (float32 quantum 2.4e-4,
// derivative 0.2): a 2× error is a bug in every mode. At 1e4 and 1e5 the
// derivative moves f by a few quanta over the largest step any second
// opinion takes (0.1), the precision floor 2σ/h₀ is half the entry or
// more, and the gradient check says so: no verdict (Unresolved), for 1%,
// 10% and 2× alike, never a pass. (The Jacobian and direction checks have
// no Unresolved outcome yet, and may pass there: docs/NUMERICS.md, "The
// first noise: the precision floor of f's values", lists where.)
func TestQuantizedBugs(t *testing.T) {
	for _, cs := range quantizedCases() {
		for _, k := range []float64{1.01, 1.1, 2} {
			errs := quantizedChecks(cs, k)
			if cs.name == "3000+x² at 0.1" {
				if k == 2 {
					for mode, err := range errs {
						if !errors.Is(err, properties.Bug) {
							t.Errorf("%s, %s, ×%v: want a bug, got %s", cs.name, mode, k, verdictOf(err))
						}
					}
				}
				continue
			}
			if err := errs["gradient"]; err == nil {
				t.Errorf("%s, gradient, ×%v: a wrong gradient the engine cannot resolve passed", cs.name, k)
			}
		}
	}
}

// TestQuantizedConstant: a float64 f that is constant near x on a value
// exact in a few bits (5) looks like float32 to the precision floor — its
// values carry no more bits — and only loosens its tolerance to float32's
// (σ = 4·2⁻²³·5 ≈ 2.4e-6). A wrong nonzero derivative of 1e-3 or more is
// still a bug: where the first value is loose (the screen's and the
// Jacobian's, at steps near 6e-6) the ladder finds f flat up to its top
// step, a value 0 ± 2σ/top that refutes it. A correct
// 0 passes, at the cost of a correct float64 check (the Jacobian's first
// values only: 23 evaluations, no second opinion); at f = 0 the floor is
// 0 and any nonzero derivative is a bug. (Below the floor, 1e-6 on the
// constant 5 passes: such an f cannot be told from float32 by its values.)
func TestQuantizedConstant(t *testing.T) {
	x := []float64{0.3, -0.7}
	for _, c := range []float64{0, 5} {
		f := func(x []float64) float64 { return c }
		for _, g := range []float64{0, 1e-3, 0.1, 1, -3} {
			grad := func(d, x []float64) { d[0], d[1] = g, 0 }
			err := properties.CheckGradient(f, grad, x, nil)
			if want := g != 0; errors.Is(err, properties.Bug) != want || !want && err != nil {
				t.Errorf("f = %v, gradient (%v, 0): got %s, want bug = %v: %v", c, g, verdictOf(err), want, err)
			}
			// The same constant as the second output of a Jacobian, and as
			// the first entry of a gradient whose Hessian is checked.
			vf := func(dst, x []float64) { dst[0], dst[1] = x[0]*x[0], c }
			jac := func(dst *mat.Dense, x []float64) {
				dst.Set(0, 0, 2*x[0])
				dst.Set(0, 1, 0)
				dst.Set(1, 0, g)
				dst.Set(1, 1, 0)
			}
			r := properties.JacobianReport(vf, jac, x, &properties.Settings{Outputs: 2})
			if want := g != 0; errors.Is(r.Err, properties.Bug) != want || !want && r.Err != nil {
				t.Errorf("jacobian, constant output %v, entry [1,0] = %v: got %s, want bug = %v: %v", c, g, verdictOf(r.Err), want, r.Err)
			}
			if g == 0 && r.Evals != 23 {
				t.Errorf("jacobian, constant output %v, correct: %d evaluations, want 23 (no second opinion)", c, r.Evals)
			}
			lin := func(dst, x []float64) { dst[0], dst[1] = c, 2*x[1] }
			hess := func(dst *mat.SymDense, x []float64) { dst.SetSym(0, 0, g); dst.SetSym(0, 1, 0); dst.SetSym(1, 1, 2) }
			if err, want := properties.CheckHessian(lin, hess, x, nil), g != 0; errors.Is(err, properties.Bug) != want || !want && err != nil {
				t.Errorf("hessian, gradient entry %v constant, [0,0] = %v: got %s, want bug = %v: %v", c, g, verdictOf(err), want, err)
			}
		}
	}
}

// float32Smooth returns a random smooth function of d variables computed
// in float32 inside around offset off, its float64 gradient and a point:
// Σ cᵢxᵢ² + bᵢ sin xᵢ + eᵢxᵢxᵢ₊₁ + off.
func float32Smooth(rnd *rand.Rand, d int, off float64) (func([]float64) float64, func(g, x []float64), []float64) {
	c, b, e, x := make([]float32, d), make([]float32, d), make([]float32, d), make([]float64, d)
	for i := range c {
		c[i] = float32(rnd.Float64()*4 - 2)
		b[i] = float32(rnd.Float64()*4 - 2)
		e[i] = float32(rnd.Float64()*2 - 1)
		x[i] = float64(float32(rnd.Float64()*2 - 1))
	}
	f := func(x []float64) float64 {
		s := float32(off)
		for i := range c {
			xi := float32(x[i])
			s += c[i]*xi*xi + b[i]*float32(math.Sin(float64(xi)))
			if i+1 < d {
				s += e[i] * xi * float32(x[i+1])
			}
		}
		return float64(s)
	}
	grad := func(g, x []float64) {
		for i := range g {
			g[i] = 2*float64(c[i])*x[i] + float64(b[i])*math.Cos(x[i])
			if i+1 < d {
				g[i] += float64(e[i]) * x[i+1]
			}
			if i > 0 {
				g[i] += float64(e[i-1]) * x[i-1]
			}
		}
	}
	return f, grad, x
}

// TestQuantizedSweep: random smooth float32 functions (d ≤ 6) at offsets
// log-uniform over 1 … 1e5, their correct gradients checked in the
// coordinate and direction modes and as one-output Jacobians: no bug
// verdict. Before the precision floor, offset 3000 alone gave 12 bug
// verdicts in 315 cases.
func TestQuantizedSweep(t *testing.T) {
	const seed = 20261203
	n := 300
	if testing.Short() {
		n = 60
	}
	rnd := rand.New(rand.NewPCG(seed, 11))
	verdicts, doubled := map[string]int{}, map[string]int{}
	for c := 0; c < n; c++ {
		d := 1 + rnd.IntN(6)
		off := math.Pow(10, 5*rnd.Float64())
		f, grad, x := float32Smooth(rnd, d, off)
		vf := func(dst, x []float64) { dst[0] = f(x) }
		jac := func(dst *mat.Dense, x []float64) {
			g := make([]float64, d)
			grad(g, x)
			for j, v := range g {
				dst.Set(0, j, v)
			}
		}
		errs := map[string]error{
			"gradient":   properties.CheckGradient(f, grad, x, nil),
			"directions": properties.CheckGradient(f, grad, x, &properties.Settings{Directions: 4}),
			"jacobian":   properties.CheckJacobian(vf, jac, x, &properties.Settings{Outputs: 1}),
		}
		for mode, err := range errs {
			verdicts[mode+" "+verdictOf(err)]++
			if errors.Is(err, properties.Bug) {
				t.Errorf("seed %d, case %d (d = %d, offset %.4g, x = %v), %s: correct gradient flagged: %v", seed, c, d, off, x, mode, err)
			}
		}
		// The same gradient with one entry doubled: what the check makes
		// of a bug at these points.
		i := c % d
		bad := func(g, x []float64) {
			grad(g, x)
			g[i] *= 2
		}
		err := properties.CheckGradient(f, bad, x, nil)
		doubled[verdictOf(err)]++
		if err == nil && off <= 300 {
			t.Errorf("seed %d, case %d (d = %d, offset %.4g, x = %v): entry %d doubled passed", seed, c, d, off, x, i)
		}
	}
	t.Logf("seed %d, %d cases, correct: %v; one entry doubled (gradient): %v", seed, n, verdicts, doubled)
}
