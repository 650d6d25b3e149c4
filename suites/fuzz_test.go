package suites

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/internal/rapidrun"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
)

// Native fuzz targets, one per property family. Each checks a correct
// derivative at a point (and data) chosen by the fuzzer, so every outcome
// but three is a bug — in a loss or in the checker: the check passes, it
// says the values are not finite (at |w| ≈ 1e200 a squared residual
// overflows, and the checker must say so, not crash or claim a wrong
// derivative), or it gives no verdict (at logits of 1e60 softmax changes
// within one ulp of a logit, and no difference quotient is a derivative). Seeds include NaN, ±Inf, huge and tiny values. Run one with
//
//	go test -run '^$' -fuzz '^FuzzGradient$' -fuzztime 30s ./suites/
//
// or all of them with go run ./cmd/fuzzreport -fuzz ./... ; a finding is
// written under testdata/fuzz/<target>/ and replayed by go test.

// fuzzSeeds are the point coordinates every target starts from: ordinary,
// NaN, ±Inf, huge, tiny, subnormal, zero, and exactly on the logistic
// thresholds (16.118 for clipping, 36.737 where σ rounds to 1, 709.78
// where e^z overflows).
var fuzzSeeds = [][4]float64{
	{0.3, -1.2, 0.7, 2.1},
	{math.NaN(), 1, 2, 3},
	{math.Inf(1), -1, 0.5, 1},
	{math.Inf(-1), 2, -3, 0},
	{1e300, -1e300, 1e-300, 5},
	{1e-310, 5e-324, 0, -0.0},
	{1e8, -3e7, 2e6, 1},
	{16.118095650958319, 36.737, 709.78, -745.2},
	{0, 0, 0, 0},
}

func addSeeds(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s[0], s[1], s[2], s[3], uint64(i))
	}
}

// allowed reports whether err is an acceptable outcome on a correct
// derivative: a pass, no verdict (a kink or a jump of f at x, structure no
// step resolves: errors.Is NoVerdict), or not-finite values, and nothing
// else.
func allowed(err error) bool {
	for _, e := range failures(err) {
		var f *properties.Failure
		if errors.As(e, &f) && f.Kind == properties.NotFinite || errors.Is(e, properties.NoVerdict) {
			continue
		}
		return false
	}
	return true
}

// failures returns the failures err joins (err itself if it joins none).
func failures(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// fuzzData returns the data of a subject drawn from seed, with the point
// w taken from the fuzzed coordinates (repeated to the length needed).
func fuzzData(subject subjects.Subject, seed uint64, w [4]float64) subjects.Data {
	rnd := rand.New(rand.NewPCG(seed, 7))
	n, d, k := 1+rnd.IntN(4), 1+rnd.IntN(4), 2+rnd.IntN(2)
	data := subjects.Data{Subject: subject}
	matrix := func(r, c int) *mat.Dense {
		m := mat.NewDense(r, c, nil)
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				m.Set(i, j, rnd.NormFloat64())
			}
		}
		return m
	}
	size := d
	switch subject {
	case subjects.MSE:
		data.X, data.Y = matrix(n, d), make([]float64, n)
		for i := range data.Y {
			data.Y[i] = rnd.NormFloat64()
		}
	case subjects.Logistic:
		data.X, data.Y = matrix(n, d), make([]float64, n)
		for i := range data.Y {
			data.Y[i] = float64(rnd.IntN(2))
		}
	case subjects.SoftmaxCrossEntropy:
		data.X, data.T = matrix(n, d), mat.NewDense(n, k, nil)
		for i := 0; i < n; i++ {
			data.T.Set(i, rnd.IntN(k), 1)
		}
		size = d * k
	case subjects.Linear:
		data.A = matrix(k, d)
	}
	data.W = make([]float64, size)
	for i := range data.W {
		data.W[i] = w[i%4]
	}
	return data
}

var losses = subjects.Losses()

// fuzzProperty checks property on every loss (or map) at the fuzzed point.
func fuzzProperty(t *testing.T, of []subjects.Subject, property string, w [4]float64, seed uint64) {
	for _, s := range of {
		d := fuzzData(s, seed, w)
		err := subjects.Correct(d).Report(property, d.W, nil).Err
		if !allowed(err) {
			t.Errorf("%s on %v at w = %v: a correct derivative failed:\n%v", property, d, d.W, err)
		}
	}
}

// fuzzTarget fuzzes property on every subject of of: the seeds of
// addSeeds, then the fuzzed points and data seeds.
func fuzzTarget(f *testing.F, of []subjects.Subject, property string) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, a, b, c, e float64, seed uint64) {
		fuzzProperty(t, of, property, [4]float64{a, b, c, e}, seed)
	})
}

func FuzzGradient(f *testing.F) { fuzzTarget(f, losses, "gradient") }

func FuzzHessian(f *testing.F) { fuzzTarget(f, losses, "hessian") }

func FuzzSymmetry(f *testing.F) { fuzzTarget(f, losses, "symmetry") }

func FuzzTaylor(f *testing.F) { fuzzTarget(f, losses, "taylor") }

func FuzzJacobian(f *testing.F) { fuzzTarget(f, subjects.Maps(), "jacobian") }

// FuzzLogisticExtreme puts one sample's logit at z (any float64) and checks
// that the stable loss is finite for every finite z, its gradient finite
// and exact in sign, and the gradient check passes.
func FuzzLogisticExtreme(f *testing.F) {
	for _, z := range []float64{0, 16.118095650958319, -16.2, 36.737, 40, -40, 709.78, 745.2, -800, 1e3, -1e300, math.NaN(), math.Inf(1), 5e-324} {
		f.Add(z, true)
		f.Add(z, false)
	}
	f.Fuzz(func(t *testing.T, z float64, label bool) {
		y := 0.0
		if label {
			y = 1
		}
		// Two samples: x₁ = (1, 0.5) at logit z (w = (z, 0)), x₂ = (0.3, −1).
		l := &functions.Logistic{X: mat.NewDense(2, 2, []float64{1, 0.5, 0.3, -1}), Y: []float64{y, 1 - y}}
		w := []float64{z, 0}
		v := l.Func(w)
		g := make([]float64, 2)
		l.Grad(g, w)
		finite := !math.IsNaN(z) && !math.IsInf(z, 0)
		if finite && (math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(g[0]) || math.IsNaN(g[1])) {
			t.Fatalf("z = %v, y = %v: loss %v, gradient %v: want finite", z, y, v, g)
		}
		if finite && z != 0 {
			// Sample 1 pulls w₀ towards its label: (σ(z) − y)·x₁₀/n has
			// the sign of σ(z) − y; sample 2's share 0.3·(σ(0.3w₀) − (1−y))/2
			// can outweigh it only where σ(z) − y is below 1 in magnitude.
			r := sigmoid(z) - y
			if math.Abs(r) > 0.9 && math.Signbit(g[0]) != math.Signbit(r) {
				t.Fatalf("z = %v, y = %v: ∂f/∂w₀ = %v has the wrong sign (σ(z) − y = %v)", z, y, g[0], r)
			}
		}
		if err := properties.CheckGradient(l.Func, l.Grad, w, nil); !allowed(err) {
			t.Fatalf("z = %v, y = %v: a correct gradient failed:\n%v", z, y, err)
		}
	})
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// FuzzSuites lets the fuzzer drive rapid: rapid's first four choices (the
// suite, then the shape of its data) and the seed of the rest
// (rapidrun.Fuzz), so coverage guidance steers the draws of package
// generators.
func FuzzSuites(f *testing.F) {
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(1))
	f.Add(^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), uint64(2))
	f.Add(uint64(7), uint64(3), uint64(5), uint64(1), uint64(3))
	all := All()
	prop := func(t *rapid.T) {
		s := rapid.SampledFrom(all).Draw(t, "suite")
		d := subjects.Generator(s.Subject, s.Needs).Draw(t, "data")
		if o := s.check(d); o.err != nil {
			t.Fatalf("%s on %v: %v", s.Name(), d, o.err)
		}
	}
	f.Fuzz(func(t *testing.T, c0, c1, c2, c3, seed uint64) {
		rapidrun.Fuzz(t, prop, c0, c1, c2, c3, seed)
	})
}
