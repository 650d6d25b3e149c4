package properties

// outcome is the type of the sentinels NoVerdict and Bug.
type outcome string

func (o outcome) Error() string { return string(o) }

// NoVerdict matches, with errors.Is, every failure that is not a verdict
// on the derivative but a statement that the check could not decide at x:
// a kink of f at x (Nondifferentiable), a check that its budget stopped
// before it decided (Stopped), and entries that f's round-off hides from
// every numeric value (Unresolved). Run and Verify log such
// failures instead of failing, unless Settings.Strict.
var NoVerdict error = outcome("no verdict")

// Bug matches, with errors.Is, every failure that is a verdict against the
// user's code: every Kind but those NoVerdict matches. A check's three
// outcomes are told apart in one line each:
//
//	err == nil                     // pass
//	errors.Is(err, properties.Bug) // a bug (perhaps among no-verdicts)
//	otherwise                      // no verdict: read err for the reason
var Bug error = outcome("bug")

// noVerdict reports whether failures of kind k are no verdicts.
func noVerdict(k Kind) bool {
	return k == Nondifferentiable || k == Stopped || k == Unresolved
}
