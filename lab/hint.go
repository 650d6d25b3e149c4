package lab

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/gradcheck/gradcheck/properties"
)

// firstFailure returns the most telling Failure in a checker's error.
func firstFailure(err error) *properties.Failure {
	var f *properties.Failure
	if errors.As(err, &f) {
		return f
	}
	return nil
}

// firstLine returns s up to its first newline: the checker's message
// without the stack of a panic.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// An explain holds what the generic hints need to speak of a task.
type explain struct {
	what    string // "gradient", "Hessian", "Jacobian"
	fn      string // the learner's function
	formula string // the right formula, to re-derive from
	factors func(c float64) (string, int)
	sign    string // the likely cause of a sign error
	panics  func(msg string) string
	shape   func(e shapeError) string
}

// verdict turns the checker's error on a case into a verdict in the
// learner's terms; done is true when the verdict is final: the case passed
// (err is nil) or a function is not implemented yet. Otherwise the task's
// own check refines the hint.
func (e explain) verdict(err error) (v verdict, done bool) {
	if err == nil || onlyUnresolved(err) {
		return verdict{ok: true}, true
	}
	v = e.fromFailure(err)
	return v, v.notImpl != ""
}

// onlyUnresolved reports whether every failure in err is of Kind
// Unresolved: the checker could not resolve some entries at this case
// (round-off hides them: a softmax at logits 800 and 759, whose Jacobian
// entries are 2e-18 beside outputs of 1), which is no evidence against the
// learner's code, and no verdict to grade.
func onlyUnresolved(err error) bool {
	return everyFailure(err, func(f *properties.Failure) bool { return f.Kind == properties.Unresolved })
}

// onlyValues reports whether every failure in err is a bug in the values
// (Mismatch, ConstantFactor, Sign, Permutation, Transpose or Partial), not
// a misbehaviour of the learner's function (a write to w, a panic, a
// nondeterministic result) nor a no-verdict.
func onlyValues(err error) bool {
	return everyFailure(err, func(f *properties.Failure) bool {
		switch f.Kind {
		case properties.Mismatch, properties.ConstantFactor, properties.Sign, properties.Permutation, properties.Transpose, properties.Partial:
			return true
		}
		return false
	})
}

// everyFailure reports whether every error err joins (err itself if it
// joins none) is a *properties.Failure for which ok holds.
func everyFailure(err error, ok func(*properties.Failure) bool) bool {
	errs := []error{err}
	if j, isJoin := err.(interface{ Unwrap() []error }); isJoin {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var f *properties.Failure
		if !errors.As(e, &f) || !ok(f) {
			return false
		}
	}
	return true
}

// fromFailure turns the checker's failure into a verdict in the learner's
// terms.
func (e explain) fromFailure(err error) verdict {
	f := firstFailure(err)
	if f == nil {
		return verdict{diag: firstLine(err.Error()), hint: fmt.Sprintf("your %s is wrong: %v", e.what, err), rank: rankSymptom}
	}
	v := verdict{diag: firstLine(f.Error()), rank: rankPattern}
	if f.Row >= 0 && !math.IsNaN(f.Analytic) {
		at := fmt.Sprintf("[%d]", f.Row)
		if f.Property != "gradient" {
			at = fmt.Sprintf("[%d,%d]", f.Row, f.Col)
		}
		// Enough digits to see the difference: 6, or more when the two
		// agree to more.
		digits := 6
		if f.RelErr > 0 && f.RelErr < 1e-4 {
			digits = min(17, 3+int(math.Ceil(-math.Log10(f.RelErr))))
		}
		v.worst = fmt.Sprintf("worst entry %s: yours = %.*g, numerical = %.*g", at, digits, f.Analytic, digits, f.Numeric)
	}
	switch f.Kind {
	case properties.Panic:
		return e.fromPanic(f.PanicValue, v)
	case properties.ConstantFactor:
		if math.Abs(f.Factor-1) < 1e-3 {
			// A "factor" of 1.000002 is a small error in every entry, not a
			// missing constant.
			v.hint = fmt.Sprintf("your %s is close to the right one but off by a relative %.2g at every entry, far more than the %.2g that rounding explains: a less accurate formula, or a small term missing?",
				e.what, f.RelErr, f.Tol/math.Max(math.Abs(f.Numeric), 1e-300))
			v.rank = rankSymptom
			break
		}
		q, rank := "a constant factor is missing or extra", rankPattern
		if e.factors != nil {
			if s, r := e.factors(f.Factor); s != "" {
				q, rank = s, r
			}
		}
		v.hint = fmt.Sprintf("your %s is %s the numerical one at every entry: %s", e.what, factorWords(f.Factor), q)
		v.rank = rank
	case properties.Sign:
		v.hint = fmt.Sprintf("your %s is the negative of the numerical one at every entry: %s", e.what, e.sign)
		v.rank = rankSpecific
	case properties.Transpose:
		v.hint = fmt.Sprintf("your %s is the transpose of the right one (entry [i,j] holds [j,i]): rows are outputs, columns are inputs", e.what)
		v.rank = rankSpecific
	case properties.Permutation:
		v.hint = fmt.Sprintf("your %s has the right values in the wrong places (%s): an index mix-up, i for j?", e.what, f.Detail)
	case properties.Partial:
		v.hint = fmt.Sprintf("your %s is right at some entries and wrong at others (%d of %d wrong): a bug in one index, or a loop that skips some entries? Re-derive: %s",
			e.what, f.Bad, f.Total, e.formula)
		v.rank = rankSymptom
	case properties.Mismatch:
		v.hint = fmt.Sprintf("your %s differs from the numerical one at every entry, in no simple pattern: re-derive it: %s", e.what, e.formula)
		if strings.Contains(f.Detail, "is 0 where") {
			v.hint = fmt.Sprintf("your %s is 0 where the numerical one is not: a clipped or saturated computation, or a result never filled in?", e.what)
		}
		v.rank = rankSymptom
	case properties.NotFinite:
		v.hint = fmt.Sprintf("%s gave NaN or ±Inf (%s): an overflow (exp of a large number), a log of 0, or 0/0?", e.fn, f.Detail)
	case properties.Shape:
		v.hint = fmt.Sprintf("%s: %s", e.fn, f.Detail)
	case properties.InputMutated:
		v.hint = fmt.Sprintf("%s changed its input (%s): probe a copy of w, or put w[i] back after each step", e.fn, f.Detail)
		v.rank = rankSpecific
	case properties.Nondeterministic:
		v.hint = fmt.Sprintf("%s returns different values for the same input (%s): does it keep state between calls, or use randomness?", e.fn, f.Detail)
		v.rank = rankSpecific
	default:
		v.hint = fmt.Sprintf("your %s is wrong: %s", e.what, f.Detail)
		v.rank = rankSymptom
	}
	return v
}

// fromPanic makes the verdict for a panic in the learner's code, or a
// result of the wrong shape.
func (e explain) fromPanic(p any, v verdict) verdict {
	v.rank = rankPattern
	switch p := p.(type) {
	case learnerPanic:
		if p.notImplemented() {
			v.notImpl = p.fn
			return v
		}
		msg := fmt.Sprint(p.value)
		where := ""
		if p.where != "" {
			where = " at " + p.where
		}
		if strings.Contains(msg, "unexpected call to os.Exit") {
			// go test turns os.Exit(0) in a test into this panic.
			v.diag = fmt.Sprintf("panic: %s called os.Exit%s: %s", p.fn, where, msg)
			v.hint = fmt.Sprintf("%s called os.Exit%s: a task must return its result; os.Exit ends the whole program, grading included (log.Fatal calls it too). Return the value instead", p.fn, where)
			v.rank = rankSpecific
			return v
		}
		v.diag = fmt.Sprintf("panic: %s panicked%s: %s", p.fn, where, msg)
		v.hint = fmt.Sprintf("%s panicked%s: %s", p.fn, where, msg)
		if e.panics != nil {
			if h := e.panics(msg); h != "" {
				v.hint += ": " + h
				v.rank = rankSpecific
			}
		}
	case shapeError:
		v.diag = "shape: " + p.String()
		v.hint = p.String()
		if e.shape != nil {
			if h := e.shape(p); h != "" {
				v.hint += ": " + h
				v.rank = rankSpecific
			}
		}
	default:
		v.hint = fmt.Sprintf("%s panicked: %v", e.fn, p)
	}
	return v
}

// overflowHint gives v the hint format, filled with the largest |logit| of
// the case, when the checker found entries that are not finite: an
// exponential that overflowed.
func overflowHint(v verdict, err error, c *gcase, format string) verdict {
	if f := firstFailure(err); f != nil && f.Kind == properties.NotFinite {
		v.hint = fmt.Sprintf(format, maxAbs(logits(c.X, c.w)))
		v.rank = rankSpecific
	}
	return v
}

// refine replaces a verdict's hint with the bank's when the learner's
// output matched a typical wrong answer and the checker's own hint is no
// more specific.
func refine(v verdict, hint string) verdict {
	if hint != "" && v.rank < rankSpecific {
		v.hint, v.rank = hint, rankSpecific
	}
	return v
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// prefixed returns "fn: hint", unless hint already names fn first.
func prefixed(fn, hint string) string {
	if strings.HasPrefix(hint, fn) {
		return hint
	}
	return fn + ": " + hint
}

// theirsAndOurs rewrites the checker's words for tasks whose answer is
// itself numerical (1.1 and 4.1): the learner's is "yours", not
// "analytic", and the reference is "the checker's", not "numerical".
var theirsAndOurs = strings.NewReplacer(
	"the analytic gradient", "your gradient",
	"jacobian: ", "Hessian: ", // task 4.1 checks the Hessian as the Jacobian of the gradient
	"the analytic Jacobian", "your Hessian",
	"the analytic Hessian", "your Hessian",
	"analytic directional derivative", "your directional derivative",
	"analytic = ", "yours = ",
	"numeric = ", "the checker's = ",
	"numerical = ", "the checker's = ",
	"the numerical one", "the checker's",
	"the numerical derivative", "the checker's derivative",
)

// numericalTask wraps a task's check for a task whose answer is itself
// numerical, with theirsAndOurs's words.
func numericalTask(check func(Tasks, *gcase) verdict) func(Tasks, *gcase) verdict {
	return func(t Tasks, c *gcase) verdict {
		v := check(t, c)
		v.diag = theirsAndOurs.Replace(v.diag)
		v.hint = theirsAndOurs.Replace(v.hint)
		v.worst = theirsAndOurs.Replace(v.worst)
		return v
	}
}
