package bench

import (
	"math"
	"math/cmplx"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
)

// StudyFunc is a function of one variable with its exact derivative, swept by
// Study.
type StudyFunc struct {
	Name  string
	About string // one line: what the function is and why it is in the set

	F func(x float64) float64
	// FC is F written over complex128 with operations that propagate the
	// imaginary part (gradients.DerivativeComplex), or nil if F has no such
	// form; the study then skips the complex step for this function.
	FC func(z complex128) complex128
	// Deriv is the exact derivative F′, from a formula or an analytic
	// gradient. It must not be zero at the sample points: errors are
	// relative.
	Deriv func(x float64) float64

	// X is the centre of the sample points (Study, StudyConfig.Points).
	X float64
	// Smooth marks the study's smooth functions (exp, sin, log, a
	// polynomial): analytic, with derivatives of about the size of the
	// value, the case that the theory's optimal steps and best errors
	// describe (docs/NUMERICS.md). The study's tests assert the
	// theory's shape on these.
	Smooth bool
}

// Loss sizes of the study's MSE and Logistic functions: a small dataset,
// large enough that the loss is a sum of many unrelated terms.
const (
	studySamples  = 64
	studyFeatures = 8
)

// offsetValue is the constant of the badly scaled function 1e6 + eˣ.
const offsetValue = 1e6

// StudyFuncs returns the study's default functions; seed fixes the random
// data, point and direction of the losses.
//
//   - exp, sin, log and poly (a degree-7 polynomial, so that the five-point
//     formula, exact for degree 4, still has a truncation error) are the
//     smooth functions whose derivatives are of the order of their value.
//   - mse and logistic are the lab's losses (functions.MSE, functions.Logistic)
//     along a random unit direction v at a random point w:
//     g(t) = L(w + t·v), whose exact derivative is ∇L(w + t·v)·v from the
//     analytic Grad (exact to the round-off of a dot product, ~1e-16). The
//     MSE is quadratic in t, so the central and five-point formulas have no
//     truncation error on it: its error falls as the step grows, up to 1e-1.
//     FC is the same loss written from the logits over complex128, because
//     the losses' own code is real.
//   - offset, 1e6 + eˣ, is badly scaled: a large value with a derivative of
//     order 1, like a loss summed over a million samples of which the
//     parameter moves one. The round-off term ε|f|/h of the error model is
//     10⁶ times that of exp while the truncation term is the same, so every
//     optimal step grows and every best error worsens — by 10³ for forward
//     differences (√10⁶), 10⁴ for central ((10⁶)^(2/3)) — except the
//     complex step's, which subtracts nothing.
//
// The sample points lie in [−1, 1], where a relative step is an absolute one.
func StudyFuncs(seed uint64) []StudyFunc {
	const poly7 = "1 + x − 2x² + x³/2 + 3x⁴ − x⁵ + x⁶/4 + 2x⁷"
	funcs := []StudyFunc{
		{
			Name: "exp", About: "eˣ", X: 0.3, Smooth: true,
			F: math.Exp, FC: cmplx.Exp, Deriv: math.Exp,
		},
		{
			Name: "sin", About: "sin x", X: 0.7, Smooth: true,
			F: math.Sin, FC: cmplx.Sin, Deriv: math.Cos,
		},
		{
			Name: "log", About: "log x", X: 0.6, Smooth: true,
			F: math.Log, FC: cmplx.Log, Deriv: func(x float64) float64 { return 1 / x },
		},
		{
			Name: "poly", About: poly7, X: -0.4, Smooth: true,
			F:     func(x float64) float64 { return horner(polyCoeffs[:], x) },
			FC:    func(z complex128) complex128 { return hornerC(polyCoeffs[:], z) },
			Deriv: func(x float64) float64 { return horner(polyDeriv(), x) },
		},
	}
	rnd := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	funcs = append(funcs, mseFunc(rnd), logisticFunc(rnd))
	funcs = append(funcs, StudyFunc{
		Name:  "offset",
		About: "1e6 + eˣ, badly scaled: a large value, a derivative of order 1",
		X:     0.3,
		F:     func(x float64) float64 { return offsetValue + math.Exp(x) },
		FC:    func(z complex128) complex128 { return offsetValue + cmplx.Exp(z) },
		Deriv: math.Exp,
	})
	return funcs
}

// polyCoeffs are the coefficients of the degree-7 polynomial, lowest first.
var polyCoeffs = [...]float64{1, 1, -2, 0.5, 3, -1, 0.25, 2}

// polyDeriv returns the coefficients of the polynomial's derivative.
func polyDeriv() []float64 {
	d := make([]float64, len(polyCoeffs)-1)
	for i := range d {
		d[i] = float64(i+1) * polyCoeffs[i+1]
	}
	return d
}

func horner(c []float64, x float64) float64 {
	s := 0.0
	for i := len(c) - 1; i >= 0; i-- {
		s = s*x + c[i]
	}
	return s
}

func hornerC(c []float64, z complex128) complex128 {
	var s complex128
	for i := len(c) - 1; i >= 0; i-- {
		s = s*z + complex(c[i], 0)
	}
	return s
}

// lossLine is a loss restricted to the line w + t·v.
type lossLine struct {
	w, v []float64
	f    func(w []float64) float64
	grad func(dst, w []float64)
}

// value returns L(w + t·v).
func (l *lossLine) value(t float64) float64 { return l.f(l.at(t)) }

// at returns w + t·v in a new slice: the study's functions may be called
// concurrently, so they share no scratch memory.
func (l *lossLine) at(t float64) []float64 {
	p := make([]float64, len(l.w))
	for i := range p {
		p[i] = l.w[i] + t*l.v[i]
	}
	return p
}

// deriv returns ∇L(w + t·v)·v from the analytic gradient.
func (l *lossLine) deriv(t float64) float64 {
	g := make([]float64, len(l.w))
	l.grad(g, l.at(t))
	s := 0.0
	for i, gi := range g {
		s += gi * l.v[i]
	}
	return s
}

// lossData draws a Gaussian n×d design matrix, the true weights, a random
// point w near them and a random unit direction v.
func lossData(rnd *rand.Rand) (X *mat.Dense, wTrue, w, v []float64) {
	n, d := studySamples, studyFeatures
	X = mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			X.Set(i, j, rnd.NormFloat64())
		}
	}
	wTrue, w, v = make([]float64, d), make([]float64, d), make([]float64, d)
	norm := 0.0
	for j := range d {
		wTrue[j] = rnd.NormFloat64()
		w[j] = wTrue[j] + 0.5*rnd.NormFloat64()
		v[j] = rnd.NormFloat64()
		norm += v[j] * v[j]
	}
	for j := range v {
		v[j] /= math.Sqrt(norm)
	}
	return X, wTrue, w, v
}

// projections returns X·w and X·v, from which the complex forms of the losses
// are written.
func projections(X *mat.Dense, w, v []float64) (xw, xv []float64) {
	n, _ := X.Dims()
	a, b := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
	a.MulVec(X, mat.NewVecDense(len(w), w))
	b.MulVec(X, mat.NewVecDense(len(v), v))
	return a.RawVector().Data, b.RawVector().Data
}

// mseFunc is the lab's MSE with y = X·wTrue + noise, along a random line.
func mseFunc(rnd *rand.Rand) StudyFunc {
	X, wTrue, w, v := lossData(rnd)
	n, _ := X.Dims()
	xt, _ := projections(X, wTrue, v)
	y := make([]float64, n)
	for i := range y {
		y[i] = xt[i] + 0.1*rnd.NormFloat64()
	}
	loss := &functions.MSE{X: X, Y: y}
	line := &lossLine{w: w, v: v, f: loss.Func, grad: loss.Grad}
	xw, xv := projections(X, w, v)
	return StudyFunc{
		Name:  "mse",
		About: "the lab's MSE (functions.MSE, 64×8) along a random unit direction: quadratic in t",
		X:     0,
		F:     line.value,
		FC: func(t complex128) complex128 {
			return complexMean(n, func(i int) complex128 {
				r := complex(xw[i]-y[i], 0) + t*complex(xv[i], 0)
				return r * r
			})
		},
		Deriv: line.deriv,
	}
}

// complexMean returns (1/n)Σᵢ term(i), i = 0 … n−1: a loss's mean over the
// samples, in complex arithmetic for the complex step.
func complexMean(n int, term func(i int) complex128) complex128 {
	var s complex128
	for i := range n {
		s += term(i)
	}
	return s / complex(float64(n), 0)
}

// logisticFunc is the lab's logistic loss with labels drawn from the model
// σ(X·wTrue), along a random line.
func logisticFunc(rnd *rand.Rand) StudyFunc {
	X, wTrue, w, v := lossData(rnd)
	n, _ := X.Dims()
	xt, _ := projections(X, wTrue, v)
	y := make([]float64, n)
	for i := range y {
		if rnd.Float64() < 1/(1+math.Exp(-xt[i])) {
			y[i] = 1
		}
	}
	loss := &functions.Logistic{X: X, Y: y}
	line := &lossLine{w: w, v: v, f: loss.Func, grad: loss.Grad}
	xw, xv := projections(X, w, v)
	return StudyFunc{
		Name:  "logistic",
		About: "the lab's logistic loss (functions.Logistic, 64×8) along a random unit direction",
		X:     0,
		F:     line.value,
		// log(1 + eᶻ) − y·z is the per-sample loss in analytic form. It
		// loses the relative precision of terms with z ≪ 0, which are
		// tiny, and overflows above z ≈ 709: neither matters at these
		// logits (TestStudyFuncs checks FC against F).
		FC: func(t complex128) complex128 {
			return complexMean(n, func(i int) complex128 {
				z := complex(xw[i], 0) + t*complex(xv[i], 0)
				return cmplx.Log(1+cmplx.Exp(z)) - complex(y[i], 0)*z
			})
		},
		Deriv: line.deriv,
	}
}
