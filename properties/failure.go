package properties

import (
	"fmt"
	"math"
	"strings"
)

// Kind is the diagnosis of a failed check: what kind of bug it probably is.
type Kind int

const (
	// Mismatch: analytic and numeric values differ, in no recognizable
	// pattern.
	Mismatch Kind = iota
	// ConstantFactor: analytic = Factor·numeric at every entry (a missing
	// or extra 2 of a square, 1/n of a mean, …).
	ConstantFactor
	// Sign: analytic = −numeric at every entry.
	Sign
	// Permutation: the analytic entries are the numeric ones in another
	// order (swapped coordinates, a matrix flattened in the wrong order).
	Permutation
	// Transpose: the analytic matrix is the transpose of the numeric one.
	Transpose
	// Partial: some entries are wrong, at most half of them, and the
	// others right; Row and Col locate the worst.
	Partial
	// NotFinite: f, its derivative, or f near x is NaN or infinite.
	NotFinite
	// Shape: entries of dst left unwritten, or a Jacobian of the wrong
	// size, or outputs that disagree in number.
	Shape
	// Panic: a user function panicked; the failure carries its message.
	Panic
	// InputMutated: a user function wrote to its input x.
	InputMutated
	// Nondeterministic: the same call at the same x returned different
	// values.
	Nondeterministic
	// Nondifferentiable: f has a kink at x (its one-sided derivatives
	// differ), so no gradient exists to check there. Not a verdict on the
	// analytic derivative: check at another point.
	Nondifferentiable
	// StaleState: a derivative at x changed after the user's functions
	// were called at another point: it reads state (a cache of
	// activations) left by the last call instead of x.
	StaleState
	// AccumulatedDst: a vector function reads dst before writing it (it
	// adds into dst without zeroing it): its result depends on what dst
	// held before the call.
	AccumulatedDst
	// ConcurrencyUnsafe: with Settings.Workers > 1, values computed
	// concurrently differ from the same evaluations done serially: the
	// function is not safe for concurrent use (a shared scratch buffer).
	ConcurrencyUnsafe
	// Stopped: the check hit Settings.MaxEvals or Settings.Timeout before
	// a verdict. Neither a pass nor a verdict on the derivative.
	Stopped
	// Unresolved: f's round-off hides some entries of the derivative at x:
	// every numeric value that allows the analytic one, after Ridders and
	// the ladder of steps, is so uncertain that it would allow an error of
	// 50% of the entry, and the entry is not negligible against the
	// largest. Not a verdict on the derivative: scale f, check at another
	// point, or compute f in float64. Also: entries of CheckGradient that
	// passed with a loose tolerance (one that would pass an error of 0.1%)
	// and got no second opinion because Settings.SecondOpinions was
	// reached: ask every one with a negative SecondOpinions, or check
	// fewer parameters at a time.
	Unresolved

	numKinds
)

var kindNames = [...]string{
	Mismatch:          "mismatch",
	ConstantFactor:    "constant-factor",
	Sign:              "sign",
	Permutation:       "permutation",
	Transpose:         "transpose",
	Partial:           "partial",
	NotFinite:         "not-finite",
	Shape:             "shape",
	Panic:             "panic",
	InputMutated:      "input-mutated",
	Nondeterministic:  "nondeterministic",
	Nondifferentiable: "nondifferentiable",
	StaleState:        "stale-state",
	AccumulatedDst:    "accumulated-dst",
	ConcurrencyUnsafe: "concurrency-unsafe",
	Stopped:           "stopped",
	Unresolved:        "unresolved",
}

// String returns the kind's name, such as "constant-factor".
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Error makes a Kind usable as a target of errors.Is: errors.Is(err,
// properties.Sign) reports whether err holds a Failure of that kind.
func (k Kind) Error() string { return k.String() }

// Is reports whether target is the failure's Kind, for errors.Is.
func (f *Failure) Is(target error) bool {
	switch target {
	case NoVerdict:
		return noVerdict(f.Kind)
	case Bug:
		return !noVerdict(f.Kind)
	}
	k, ok := target.(Kind)
	return ok && k == f.Kind
}

// Kinds returns every Kind, in declaration order.
func Kinds() []Kind {
	out := make([]Kind, numKinds)
	for k := range out {
		out[k] = Kind(k)
	}
	return out
}

// A Failure is one violation of a property, with the evidence for it and
// a diagnosis. Checks return it wrapped in an error: use errors.As.
type Failure struct {
	// Property is the property checked: "gradient", "hessian",
	// "symmetry", "jacobian" or "taylor".
	Property string
	// Kind is the diagnosis.
	Kind Kind
	// Factor is the constant c with analytic ≈ c·numeric, for
	// ConstantFactor and Sign; 0 otherwise.
	Factor float64
	// Row and Col locate the worst entry: Row is the index in a gradient
	// (Col 0), the row and column in a Hessian or Jacobian, the direction
	// number in a random-direction check. They are −1 when no entry
	// applies (a panic in f at x, say).
	Row, Col int
	// Analytic and Numeric are the two values at the worst entry, AbsErr
	// = |Analytic − Numeric|, RelErr = AbsErr/max(|Analytic|, |Numeric|),
	// and Tol the absolute tolerance the entry was held to, derived from
	// the estimated error of the numeric value.
	Analytic, Numeric, AbsErr, RelErr, Tol float64

	// Bad is the number of entries out of tolerance, Total the number of
	// entries compared.
	Bad, Total int
	// Detail is the diagnosis in words, and the evidence that does not fit
	// the numeric fields (a panic message, the swapped indices).
	Detail string
	// Seed is the seed of the random directions used, when some were
	// (random-direction checks, CheckTaylor), or 0.
	Seed uint64
	// Order is the measured order of the Taylor remainder (CheckTaylor).
	Order float64
	// PanicValue is the value a user function panicked with (Kind Panic).
	PanicValue any
}

// Error returns the property, the diagnosis in words, the worst entry and
// the count of entries out of tolerance:
//
//	gradient: constant-factor: the analytic gradient is 2× the numerical one at every entry: a missing or extra constant factor (an extra 2, or a 2 counted twice); worst entry [1]: analytic = 13.8, numeric = 6.9 (|Δ| = 6.9, rel = 0.5, tol = 1.38e-09); 2 of 2 entries out of tolerance
func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", f.Property, f.Kind)
	if f.Detail != "" {
		fmt.Fprintf(&b, ": %s", f.Detail)
	}
	if f.valueKind() && f.Row >= 0 {
		analytic, numeric := distinctDigits(f.Analytic, f.Numeric)
		fmt.Fprintf(&b, "; worst %s: analytic = %s, numeric = %s (|Δ| = %.3g, rel = %.3g, tol = %.3g)",
			f.entryName(), analytic, numeric, f.AbsErr, f.RelErr, f.Tol)
		if f.Bad > 0 && f.Total > 1 {
			fmt.Fprintf(&b, "; %d of %d %s out of tolerance", f.Bad, f.Total, f.unit())
		}
	}
	if f.Seed != 0 {
		fmt.Fprintf(&b, " (seed %d)", f.Seed)
	}
	return b.String()
}

// distinctDigits formats a and b with 6 significant digits, or with as
// many more as it takes to tell them apart (17 at most): a bug of 1e-6 of
// an entry would otherwise print two equal numbers.
func distinctDigits(a, b float64) (string, string) {
	sa, sb := fmt.Sprintf("%.6g", a), fmt.Sprintf("%.6g", b)
	for p := 7; sa == sb && a != b && p <= 17; p++ {
		sa, sb = fmt.Sprintf("%.*g", p, a), fmt.Sprintf("%.*g", p, b)
	}
	return sa, sb
}

// valueKind reports whether the failure is about values out of tolerance,
// whose worst entry the message shows; the other kinds say it all in Detail.
func (f *Failure) valueKind() bool {
	switch f.Kind {
	case Mismatch, ConstantFactor, Sign, Permutation, Transpose, Partial:
		return true
	}
	return false
}

func (f *Failure) unit() string {
	switch {
	case f.Property == "symmetry":
		return "pairs"
	case f.Seed != 0 && f.Property == "gradient":
		return "directions"
	}
	return "entries"
}

func (f *Failure) entryName() string {
	switch f.Property {
	case "hessian", "symmetry", "jacobian":
		return fmt.Sprintf("entry [%d,%d]", f.Row, f.Col)
	case "taylor":
		return "along u"
	}
	if f.Seed != 0 {
		return fmt.Sprintf("direction #%d", f.Row)
	}
	return fmt.Sprintf("entry [%d]", f.Row)
}

// relErr returns |a−b|/max(|a|,|b|), and 0 when both are 0.
func relErr(a, b float64) float64 {
	d := math.Abs(a - b)
	if d == 0 {
		return 0
	}
	return d / math.Max(math.Abs(a), math.Abs(b))
}

// severity orders failures by how telling they are, most telling first: a
// panic or a shape error explains everything after it.
func severity(k Kind) int {
	switch k {
	case Panic:
		return 0
	case Shape:
		return 1
	case NotFinite:
		return 2
	case InputMutated:
		return 3
	case Nondeterministic:
		return 4
	case Stopped, AccumulatedDst:
		return 1
	case StaleState, ConcurrencyUnsafe:
		return 4
	case Unresolved, Nondifferentiable:
		// No verdicts, after the verdicts on values: a bug in other
		// entries (a ReLU's mask forgotten, found beside its kink at 0)
		// is the more telling failure, and errors.As finds it first.
		return 7
	}
	return 6
}
