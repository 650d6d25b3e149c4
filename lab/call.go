package lab

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/properties"
)

// A learnerPanic is a panic in the learner's code, with where it happened.
// Wrappers re-panic with it so that the checker, which recovers every panic
// of the functions it checks, hands it back in Failure.PanicValue.
type learnerPanic struct {
	fn    string // the learner's function called
	value any
	where string // "tasks.go:57"
}

// String is what the checker prints for the panic.
func (p learnerPanic) String() string { return fmt.Sprint(p.value) }

func (p learnerPanic) notImplemented() bool {
	return strings.Contains(fmt.Sprint(p.value), "not implemented yet")
}

// A shapeError is a result of the wrong size, found by a wrapper.
type shapeError struct {
	fn         string
	rows, cols int // what the learner returned; cols is 0 for a vector
	wantRows   int
	wantCols   int
	isNil      bool
}

func (e shapeError) String() string {
	switch {
	case e.isNil:
		return fmt.Sprintf("%s returned nil", e.fn)
	case e.wantCols == 0 && e.rows == 1:
		return fmt.Sprintf("%s returned 1 value, want %d", e.fn, e.wantRows)
	case e.wantCols == 0:
		return fmt.Sprintf("%s returned %d values, want %d", e.fn, e.rows, e.wantRows)
	}
	return fmt.Sprintf("%s returned a %d×%d matrix, want %d×%d", e.fn, e.rows, e.cols, e.wantRows, e.wantCols)
}

// guard, deferred around a call of the learner's function fn, turns its
// panic into a learnerPanic.
func guard(fn string) {
	r := recover()
	if r == nil {
		return
	}
	switch r.(type) {
	case learnerPanic, shapeError:
		panic(r)
	}
	panic(learnerPanic{fn: fn, value: r, where: learnerFrame(debug.Stack())})
}

// call runs body, which calls the learner's function fn, and returns its
// panic, if any, as a learnerPanic or shapeError.
func call(fn string, body func()) (p any) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	func() {
		defer guard(fn)
		body()
	}()
	return nil
}

// learnerFrame returns the innermost frame of a panic's stack that is not
// the runtime's, the standard library's or this module's: the learner's
// line ("tasks.go:57"), with the gonum function it called if the panic
// came from there ("tasks.go:57 (in mat.(*VecDense).MulVec)").
func learnerFrame(stack []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	var outside string
	for i := 1; i+1 < len(lines); i += 2 {
		fn, file := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if strings.HasPrefix(fn, "panic(") || strings.HasPrefix(fn, "runtime") || !strings.Contains(fn, ".") ||
			containsAny(fn, "gradcheck/gradcheck/lab.", "gradcheck/gradcheck/properties.", "gradcheck/gradcheck/gradients.") {
			continue
		}
		if j := strings.LastIndex(file, " +0x"); j >= 0 {
			file = file[:j]
		}
		if goroot != "" && strings.HasPrefix(file, goroot) {
			continue // the standard library: os.Exit, fmt.Println
		}
		name := fn
		if j := strings.LastIndex(name, "("); j > 0 {
			name = name[:j]
		}
		if strings.HasPrefix(name, "gonum.org/") {
			if outside == "" {
				outside = name[strings.LastIndex(name, "/")+1:]
			}
			continue
		}
		loc := filepath.Base(file)
		if outside != "" {
			return loc + " (in " + outside + ")"
		}
		return loc
	}
	return outside
}

// goroot is the standard library's source folder, whose frames
// learnerFrame skips, or "" if unknown (a binary built with -trimpath).
var goroot = func() string {
	if r := runtime.GOROOT(); r != "" {
		return filepath.Join(r, "src") + string(filepath.Separator)
	}
	return ""
}()

// putVec copies the learner's result g into dst, or panics with a
// shapeError if it has another length.
func putVec(fn string, dst, g []float64) {
	if g == nil || len(g) != len(dst) {
		panic(shapeError{fn: fn, rows: len(g), wantRows: len(dst), isNil: g == nil})
	}
	copy(dst, g)
}

// putMat copies the learner's result m into dst, or panics with a
// shapeError if it is nil or of another size.
func putMat(fn string, dst *mat.Dense, m *mat.Dense) {
	wr, wc := dst.Dims()
	if m == nil || m.IsEmpty() {
		panic(shapeError{fn: fn, wantRows: wr, wantCols: wc, isNil: true})
	}
	if r, c := m.Dims(); r != wr || c != wc {
		panic(shapeError{fn: fn, rows: r, cols: c, wantRows: wr, wantCols: wc})
	}
	dst.Copy(m)
}

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

// fromFailure turns the checker's verdict into one in the learner's terms.
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

// factorWords writes a factor as "0.5×", "3×".
func factorWords(c float64) string { return fmt.Sprintf("%.4g×", c) }

// A factorName is a constant factor with what it suggests.
type factorName struct {
	c     float64
	words string
}

// nameFactor returns what the factor c suggests: the one matching name
// (rankSpecific), or every match joined with "or" when several do, as 2 and
// n when n = 2 (rankPattern), or "" if none does.
func nameFactor(c float64, names []factorName) (string, int) {
	var hits []string
	for _, nm := range names {
		if nm.c != 1 && math.Abs(c-nm.c) <= 1e-5*math.Abs(nm.c) && !containsStr(hits, nm.words) {
			hits = append(hits, nm.words)
		}
	}
	switch len(hits) {
	case 0:
		return "", 0
	case 1:
		return hits[0], rankSpecific
	}
	return strings.Join(hits, ", or ") + " (this case cannot tell them apart)", rankPattern
}

func containsStr(s []string, v string) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}

// A candidate is a typical wrong answer, computed for a case: if the
// learner's output matches it, hint names the bug.
type candidate struct {
	vals []float64
	hint string
}

// matchCandidate returns the hint of the first candidate the learner's
// output got matches, or "". A candidate that agrees with the right answer
// on this case (X = Xᵀ, say) is skipped: it tells nothing.
//
// A candidate parallel to the right answer is skipped too: the checker
// diagnoses a constant factor better, and in one dimension every wrong
// answer is parallel to every other, so a match would be a coincidence.
func matchCandidate(got, right []float64, cands []candidate) string {
	for _, c := range cands {
		if close(got, c.vals, 1e-8) && !close(c.vals, right, 1e-12) && !parallel(c.vals, right) {
			return c.hint
		}
	}
	return ""
}

// parallel reports whether a = c·b for a constant c other than 1: |a·b| =
// ‖a‖‖b‖ within 1e-9 relative, and c = a·b/b·b off 1 by more than 1e-3.
func parallel(a, b []float64) bool {
	var ab, aa, bb float64
	for i := range a {
		ab += a[i] * b[i]
		aa += a[i] * a[i]
		bb += b[i] * b[i]
	}
	return math.Abs(math.Abs(ab)-math.Sqrt(aa*bb)) <= 1e-9*math.Sqrt(aa*bb) && math.Abs(ab/bb-1) > 1e-3
}

// close reports whether a and b have the same length and agree within rel
// of the largest |b|, every entry finite.
func close(a, b []float64, rel float64) bool {
	if len(a) != len(b) {
		return false
	}
	scale := 0.0
	for _, v := range b {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range a {
		if math.IsNaN(a[i]) || math.IsInf(a[i], 0) || math.IsNaN(b[i]) || math.IsInf(b[i], 0) {
			return false
		}
		if math.Abs(a[i]-b[i]) > rel*scale {
			return false
		}
	}
	return true
}

// perSample returns the hint for a result of n values, one per sample,
// where the gradient has d ≠ n, one per weight, or "": res is the
// per-sample quantity (the residual Xw − y, or p − y) named resName, and
// grad the right formula; the hint names the scaling of res that got
// matches, if any.
func perSample(got, res []float64, resName string, n, d int, grad string) string {
	if len(got) != n || n == d {
		return ""
	}
	what := "a per-sample quantity"
	for _, k := range []struct {
		c    float64
		name string
	}{{1, "%s"}, {2, "2·(%s)"}, {1 / float64(n), "(1/n)·(%s)"}, {2 / float64(n), "(2/n)·(%s)"}} {
		v := slices.Clone(res)
		for i := range v {
			v[i] *= k.c
		}
		if close(got, v, 1e-8) {
			what = "apparently " + fmt.Sprintf(k.name, resName)
			break
		}
	}
	return fmt.Sprintf("you returned one value per sample (n = %d), %s, where the gradient has one entry per weight (d = %d): multiply by Xᵀ, which sums the samples' contributions: %s", n, what, d, grad)
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

// affine returns alpha·Mᵀv (trans) or alpha·Mv.
func affine(M *mat.Dense, v []float64, alpha float64, trans bool) []float64 {
	r, c := M.Dims()
	var out []float64
	if trans {
		out = make([]float64, c)
		mat.NewVecDense(c, out).MulVec(M.T(), mat.NewVecDense(r, v))
	} else {
		out = make([]float64, r)
		mat.NewVecDense(r, out).MulVec(M, mat.NewVecDense(c, v))
	}
	for i := range out {
		out[i] *= alpha
	}
	return out
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
