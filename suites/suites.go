package suites

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/internal/rapidrun"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
)

// A Suite is one property of one subject, checked on random data.
type Suite struct {
	// Subject is the loss or map (subjects.MSE, …); Property names the
	// property: a check of package properties ("gradient", "taylor",
	// "symmetry", "hessian", "jacobian") or one of "hessian-2I", "convex",
	// "shape".
	Subject  subjects.Subject
	Property string
	// Doc says what is checked.
	Doc string
	// Needs are the conditions on the drawn data (extreme logits, …).
	Needs subjects.Needs
	// check checks the property on drawn data and returns the outcome.
	check func(d subjects.Data) outcome
}

// Name returns "Subject/property".
func (s Suite) Name() string { return s.Subject.String() + "/" + s.Property }

// outcome is the result of one case: the error (nil if the property
// holds), the worst relative error and the worst error/tolerance ratio.
type outcome struct {
	err           error
	relErr, ratio float64
	inconclusive  bool
}

func fromReport(r *properties.Report) outcome {
	return outcome{err: r.Err, relErr: r.MaxRelErr, ratio: r.WorstRatio, inconclusive: r.Inconclusive > 0}
}

// All returns every suite, by subject.
func All() []Suite {
	var out []Suite
	check := func(subject subjects.Subject, property string, needs subjects.Needs, doc string) Suite {
		return Suite{Subject: subject, Property: property, Needs: needs, Doc: doc,
			check: func(d subjects.Data) outcome { return fromReport(subjects.Correct(d).Report(property, d.W, nil)) }}
	}
	for _, subject := range subjects.Losses() {
		out = append(out,
			check(subject, "gradient", subjects.Needs{}, "Grad agrees with the numerical gradient of Func"),
			check(subject, "taylor", subjects.Needs{}, "f(w+hu) − f(w) − h∇f·u falls as h²"),
			check(subject, "symmetry", subjects.Needs{}, "the Jacobian of Grad is symmetric (Grad is a gradient field)"),
			check(subject, "hessian", subjects.Needs{}, "Hess agrees with the Jacobian of Grad"),
		)
		switch subject {
		case subjects.SumSquares:
			out = append(out, Suite{Subject: subject, Property: "hessian-2I", Doc: "Hess is exactly 2I, d×d, for any d", check: hessian2I})
		case subjects.MSE, subjects.Logistic:
			out = append(out, Suite{Subject: subject, Property: "convex", Doc: "Hess is positive semi-definite: its eigenvalues are ≥ −2(n+d)·d·ε·λmax", check: convex})
		}
		if subject == subjects.Logistic {
			extreme := subjects.Needs{Extreme: true}
			for _, p := range []string{"gradient", "hessian"} {
				s := check(subject, p, extreme, "at extreme logits (|z| from 10 to 800): "+map[string]string{"gradient": "Grad agrees with the numerical gradient of Func", "hessian": "Hess agrees with the Jacobian of Grad"}[p])
				s.Property = p + "@extreme-logits" // the check still checks p
				out = append(out, s)
			}
		}
	}
	for _, subject := range subjects.Maps() {
		out = append(out,
			check(subject, "jacobian", subjects.Needs{}, "Jacobian agrees with the numerical Jacobian of Apply"),
			Suite{Subject: subject, Property: "shape", Doc: "Jacobian is k×d, k the length of Apply's output", check: shape},
		)
	}
	return out
}

// hessian2I: SumSquares' Hessian is exactly 2I at any w of any d.
func hessian2I(d subjects.Data) outcome {
	h := correctHessian(d)
	n := len(d.W)
	worst := worstEntry(h, func(i, j int) float64 {
		if i == j {
			return 2
		}
		return 0
	})
	o := outcome{relErr: worst / 2, ratio: worst}
	if worst != 0 {
		o.err = fmt.Errorf("hessian-2I: Hess of Σw² at d = %d is off 2I by %g", n, worst)
		o.ratio = math.Inf(1)
	}
	return o
}

// correctHessian returns the subject's analytic Hessian at d.W.
func correctHessian(d subjects.Data) *mat.SymDense {
	h := mat.NewSymDense(len(d.W), nil)
	subjects.Correct(d).Hess(h, d.W)
	return h
}

// worstEntry returns the largest |h(i, j) − want(i, j)| over the upper
// triangle of h (NaN if an entry is NaN).
func worstEntry(h *mat.SymDense, want func(i, j int) float64) float64 {
	n, worst := h.SymmetricDim(), 0.0
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			worst = math.Max(worst, math.Abs(h.At(i, j)-want(i, j)))
		}
	}
	return worst
}

// convex: the analytic Hessian's eigenvalues are ≥ −tol with tol =
// 2(n+d)·d·ε·λmax, in units of its largest entry: forming
// XᵀDX errs by n·ε per entry of |X|ᵀD|X|, whose 2-norm is at most d times
// the largest entry's, and the symmetric QR algorithm adds p(d)·ε·‖H‖ with
// p a modest polynomial (Golub & Van Loan §8.3). Measured, the worst
// −λmin/((n+d)ε·λmax) over 5000 cases of each of seeds 1 to 8 was 4.2, at
// d = 7: the bound's 2d = 14 holds it.
func convex(d subjects.Data) outcome {
	h := correctHessian(d)
	n := len(d.W)
	// Scale to a largest entry of 1 first: gonum v0.17.0's Dsyev rescales
	// matrices of tiny norm itself, and panics doing so ("lapack:
	// insufficient length of a", a Logistic Hessian near 1e-300 at logits
	// beyond 690). Eigenvalues scale with the matrix; the test is relative.
	big := worstEntry(h, func(int, int) float64 { return 0 })
	if big == 0 {
		return outcome{} // the zero matrix is positive semi-definite
	}
	if big < 0x1p-1022/0x1p-52 {
		// Entries within 2⁵² of the subnormal range: the weights p(1−p)
		// themselves are subnormal there (a logit of 739 gives 1e-321,
		// with a dozen significant bits) and the sign of a small
		// eigenvalue is round-off. No verdict.
		return outcome{inconclusive: true}
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			h.SetSym(i, j, h.At(i, j)/big) // not ×(1/big): 1/big overflows for a subnormal big
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(h, false) {
		return outcome{err: fmt.Errorf("convex: the eigendecomposition of Hess did not converge"), ratio: math.Inf(1)}
	}
	vals := eig.Values(nil)
	lmax := math.Abs(vals[len(vals)-1])
	ops, dim := float64(d.N()+n), float64(n)
	tol := 2 * ops * dim * 0x1p-52 * math.Max(lmax, math.Abs(vals[0]))
	o := outcome{}
	if vals[0] < 0 {
		o.ratio = -vals[0] / tol
		if lmax > 0 {
			o.relErr = -vals[0] / lmax
		}
	}
	if vals[0] < -tol {
		o.err = fmt.Errorf("convex: Hess has eigenvalue %g < −%g (λmax %g): not positive semi-definite", vals[0], tol, lmax)
	}
	return o
}

// shape: Jacobian sizes an empty dst to k×d with k = len(Apply's output),
// and fills a sized one without panicking.
func shape(d subjects.Data) outcome {
	p := subjects.Correct(d)
	dim := len(d.W)
	k := dim
	if d.A != nil {
		k, _ = d.A.Dims()
	}
	out := make([]float64, k)
	p.Apply(out, d.W)
	var j mat.Dense
	p.Jacobian(&j, d.W)
	if r, c := j.Dims(); r != k || c != dim {
		return outcome{err: fmt.Errorf("shape: Jacobian is %d×%d, want k×d = %d×%d", r, c, k, dim), ratio: math.Inf(1)}
	}
	return outcome{}
}

// safeCheck runs the suite's check on d, turning a panic into a failure.
func safeCheck(s Suite, d subjects.Data) (o outcome) {
	defer func() {
		if r := recover(); r != nil {
			o = outcome{err: fmt.Errorf("%s: panic: %v", s.Name(), r), ratio: math.Inf(1)}
		}
	}()
	return s.check(d)
}

// A Result is the outcome of running a suite.
type Result struct {
	Suite Suite
	// Cases is the number of cases checked (up to the first failure).
	Cases int
	// Passed reports whether the property held in every case.
	Passed bool
	// MaxRelErr is the worst relative error |analytic − numeric| /
	// max(|analytic|, |numeric|) over the cases, WorstRatio the worst
	// error/tolerance ratio (above 1 fails).
	MaxRelErr, WorstRatio float64
	// Inconclusive counts the cases in which round-off hid some entries
	// from the first numeric value; NoVerdict the cases that ended in no
	// verdict (errors.Is(err, properties.NoVerdict) and no bug), which
	// do not fail the suite: the check says it cannot decide there, and
	// why (NoVerdictReason, the first). The test bounds their share.
	Inconclusive, NoVerdict int
	NoVerdictReason         string
	// Failure is the first failure's message, Minimal the data of the
	// smallest failing case rapid shrank it to; Log what rapid printed.
	Failure, Minimal, Log string
}

// Run checks the suite on data drawn within rapid's budget.
func Run(s Suite) Result {
	res := Result{Suite: s}
	failed, log := rapidrun.Check("suites/"+s.Name(), func(t *rapid.T) {
		d := subjects.Generator(s.Subject, s.Needs).Draw(t, "data")
		o := safeCheck(s, d)
		if res.Failure == "" {
			res.Cases++
			res.MaxRelErr = math.Max(res.MaxRelErr, o.relErr)
			res.WorstRatio = math.Max(res.WorstRatio, o.ratio)
			if o.inconclusive {
				res.Inconclusive++
			}
		}
		if o.err != nil && errors.Is(o.err, properties.NoVerdict) && !errors.Is(o.err, properties.Bug) {
			if res.Failure == "" {
				res.NoVerdict++
				if res.NoVerdictReason == "" {
					res.NoVerdictReason = o.err.Error()
				}
			}
			return
		}
		if o.err != nil {
			if res.Failure == "" {
				res.Failure = o.err.Error()
			}
			res.Minimal = d.String()
			t.Fatalf("%v", o.err)
		}
	})
	res.Passed, res.Log = !failed, log
	return res
}
