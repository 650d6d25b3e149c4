package properties_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// A class1Case is a function whose numbers are noisy (float32 inside) or
// large (|f| ≫ ‖∇f‖, parameters at 1e8), with its correct gradient, at a
// random point from a seed.
type class1Case struct {
	name string
	f    func([]float64) float64
	grad func(dst, x []float64)
	x    []float64
}

func class1Cases(seed uint64) []class1Case {
	rnd := rand.New(rand.NewPCG(seed, 1111))
	const d = 6
	c := make([]float64, d)
	for i := range c {
		c[i] = 0.5 + rnd.Float64()
	}
	var out []class1Case
	// f in float32 inside, gradient in float64.
	x32 := make([]float64, d)
	for i := range x32 {
		x32[i] = 2*rnd.Float64() - 1
	}
	out = append(out, class1Case{"float32", func(x []float64) float64 {
		var s float32
		for i, v := range x {
			xi := float32(v)
			s += float32(c[i])*xi*xi + float32(math.Sin(float64(xi)))
		}
		return float64(s)
	}, func(g, x []float64) {
		for i, v := range x {
			g[i] = 2*c[i]*v + math.Cos(v)
		}
	}, x32})
	// The same float32 f at points in ±[2, 5], where steps relative to
	// |xᵢ| apply.
	xb := make([]float64, d)
	for i := range xb {
		xb[i] = 2 + 3*rnd.Float64()
		if rnd.IntN(2) == 0 {
			xb[i] = -xb[i]
		}
	}
	out = append(out, class1Case{"float32-large-x", out[0].f, out[0].grad, xb})
	// A small MLP computed in float32, f = Σⱼ vⱼ·tanh(Σᵢ Wⱼᵢxᵢ + bⱼ), its
	// gradient in float64.
	const hidden = 8
	W := make([]float64, hidden*d)
	v, b := make([]float64, hidden), make([]float64, hidden)
	for k := range W {
		W[k] = rnd.NormFloat64() / math.Sqrt(d)
	}
	for j := range v {
		v[j], b[j] = rnd.NormFloat64(), 0.1*rnd.NormFloat64()
	}
	xm := make([]float64, d)
	for i := range xm {
		xm[i] = rnd.NormFloat64()
	}
	out = append(out, class1Case{"float32-mlp", func(x []float64) float64 {
		var s float32
		for j := 0; j < hidden; j++ {
			z := float32(b[j])
			for i, xi := range x {
				z += float32(W[j*d+i]) * float32(xi)
			}
			s += float32(v[j]) * float32(math.Tanh(float64(z)))
		}
		return float64(s)
	}, func(g, x []float64) {
		for i := range g {
			g[i] = 0
		}
		for j := 0; j < hidden; j++ {
			z := b[j]
			for i, xi := range x {
				z += W[j*d+i] * xi
			}
			t := math.Tanh(z)
			for i := range g {
				g[i] += v[j] * (1 - t*t) * W[j*d+i]
			}
		}
	}, xm})
	// A quadratic plus 1e4 near its minimum m.
	m := make([]float64, d)
	xq := make([]float64, d)
	for i := range m {
		m[i] = 2*rnd.Float64() - 1
		xq[i] = m[i] + 1e-3*(2*rnd.Float64()-1)
	}
	out = append(out, class1Case{"quadratic+1e4", func(x []float64) float64 {
		s := 1e4
		for i, v := range x {
			s += c[i] * (v - m[i]) * (v - m[i])
		}
		return s
	}, func(g, x []float64) {
		for i, v := range x {
			g[i] = 2 * c[i] * (v - m[i])
		}
	}, xq})
	// Normal log-likelihood of data at scale 1e8 in (μ, σ) and a location
	// parameter of scale 1e6: parameters from 1e6 to 1e8.
	xs := []float64{1e6 * (1 + rnd.Float64()), 1e8 * (1 + rnd.Float64()), 1e6 * (2*rnd.Float64() - 1)}
	data := make([]float64, 5)
	for i := range data {
		data[i] = 3e8 * rnd.NormFloat64()
	}
	out = append(out, class1Case{"scale1e8", func(x []float64) float64 {
		mu, sigma, b := x[0], x[1], x[2]
		s := 0.0
		for _, y := range data {
			z := (y - mu - b) / sigma
			s += -0.5*z*z - math.Log(sigma)
		}
		return s
	}, func(g, x []float64) {
		mu, sigma, b := x[0], x[1], x[2]
		g[0], g[1], g[2] = 0, 0, 0
		for _, y := range data {
			z := (y - mu - b) / sigma
			g[0] += z / sigma
			g[1] += z*z/sigma - 1/sigma
			g[2] += z / sigma
		}
	}, xs})
	return out
}

// TestClass1 checks, over 100 seeds, that the correct gradients of noisy
// (float32 inside) and large (|f| ≫ ‖∇f‖, parameters at 1e6–1e8) functions
// never get a bug verdict, and that one-entry bugs are reported: entries
// that passed with a loose tolerance get a second opinion (the ladder's
// plateau, sharpened by two Ridders extrapolations from its top step where
// no structure is near, sharpen.go), and values that agree with it but are
// less precise clear nothing (compare.go, out).
//
// Measured (docs/NUMERICS.md): bugs of 1% and more are reported at every
// seed, and a bug of 0.1% passes at 3, 0, 5, 5 and 0 of 100 seeds of the
// five cases (before the sharpening 62, 100, 75, 66, 0). Every pass is
// checked against the target of issue 11 (checkMissExplained): a bug
// larger than 100× the error estimate of the best value the engine gets at
// that point must not pass. The misses measured are all below 3× it: an
// entry whose |∂ᵢf| is small against f's float32 round-off over the step
// (|g| ≈ 0.008 … 0.07 where |f| ≈ 1), or a quadratic+1e4 entry of 1e-5 …
// 6e-5, whose 0.1% is within the noise of 1e4 over any step. How many such
// entries a seed draws is chance; 8 of 100 allows the 5 measured and a few
// seeds more, and any miss beyond the 100× target fails by itself.
func TestClass1(t *testing.T) {
	const seeds = 100
	maxMissed := map[float64]int{1: 0, 0.5: 0, 0.1: 0, 0.02: 0, 0.01: 0, 1e-3: 8}
	type tally struct{ pass, bug, nov int }
	correct := map[string]*tally{}
	wrong := map[string]*tally{}
	for seed := uint64(1); seed <= seeds; seed++ {
		for _, cs := range class1Cases(seed) {
			tc := correct[cs.name]
			if tc == nil {
				tc = &tally{}
				correct[cs.name] = tc
			}
			err := properties.CheckGradient(cs.f, cs.grad, cs.x, nil)
			switch {
			case err == nil:
				tc.pass++
			case !errors.Is(err, properties.Bug):
				tc.nov++
				t.Logf("%s seed %d: correct gradient, no verdict: %v", cs.name, seed, err)
			default:
				tc.bug++
				t.Errorf("%s seed %d: correct gradient flagged: %v", cs.name, seed, err)
			}
			for _, rel := range []float64{1, 0.5, 0.1, 0.02, 0.01, 1e-3} {
				i := int(seed) % len(cs.x)
				key := cs.name + "/" + relName(rel)
				tw := wrong[key]
				if tw == nil {
					tw = &tally{}
					wrong[key] = tw
				}
				g := cs.grad
				bad := func(dst, x []float64) {
					g(dst, x)
					dst[i] *= 1 + rel
				}
				err := properties.CheckGradient(cs.f, bad, cs.x, nil)
				switch {
				case err == nil:
					tw.pass++
					checkMissExplained(t, cs, seed, i, rel)
				case !errors.Is(err, properties.Bug):
					tw.nov++
				default:
					tw.bug++
				}
			}
		}
	}
	for k, v := range correct {
		t.Logf("correct %-16s pass %3d  no-verdict %3d  bug %3d", k, v.pass, v.nov, v.bug)
	}
	for _, cs := range class1Cases(1) {
		for _, rel := range []float64{1, 0.5, 0.1, 0.02, 0.01, 1e-3} {
			key := cs.name + "/" + relName(rel)
			v := wrong[key]
			t.Logf("wrong   %-21s bug %3d  no-verdict %3d  pass %3d", key, v.bug, v.nov, v.pass)
			if m, ok := maxMissed[rel]; ok && v.pass > m {
				t.Errorf("%s: a one-entry bug passed at %d of %d seeds, want at most %d", key, v.pass, seeds, m)
			}
		}
	}
}

func relName(r float64) string {
	return map[float64]string{1: "2x", 0.5: "50%", 0.1: "10%", 0.02: "2%", 0.01: "1%", 1e-3: "0.1%"}[r]
}

// checkMissExplained fails t if a one-entry bug of rel in entry i of cs
// passed although it exceeds 100× the error estimate of the best numeric
// value of that entry (the sharpened value or the ladder's plateau,
// properties.BestDerivative): the target of issue 11.
func checkMissExplained(t *testing.T, cs class1Case, seed uint64, i int, rel float64) {
	t.Helper()
	g := make([]float64, len(cs.x))
	cs.grad(g, cs.x)
	v, e, _, ok := properties.BestDerivative(cs.f, cs.x, i)
	if bug := rel * math.Abs(g[i]); ok && bug > 100*e {
		t.Errorf("%s seed %d: a bug of %g in entry %d (%.6g) passed, %.3g× the best estimate %.6g ± %.2g", cs.name, seed, rel, i, g[i], bug/e, v, e)
	}
}
