package mutants

import (
	"errors"
	"fmt"
	"github.com/gradcheck/gradcheck/subjects"

	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/internal/rapidrun"
	"github.com/gradcheck/gradcheck/properties"
)

// A Result is the outcome of hunting one mutant.
type Result struct {
	Mutant Mutant
	// Detected reports whether the check failed on some drawn data.
	Detected bool
	// Cases is the number of cases drawn up to the first failing one.
	Cases int
	// Reported is the Kind of the first failure on the first failing case
	// drawn, Correct whether it is a right one (Mutant.Right), First describes
	// that case and Message is the checker's message there. The diagnosis
	// is judged there, on data as random as the generators make it: the
	// case rapid shrinks it to is often degenerate (a single sample, rows
	// parallel to w), and on such data a wrong per-sample weight really is
	// a constant factor.
	Reported properties.Kind
	Correct  bool
	First    string
	Message  string
	// Minimal describes the smallest failing case rapid shrank the first
	// to, MinimalKind and MinimalMessage its diagnosis there.
	Minimal, MinimalMessage string
	MinimalKind             properties.Kind
	// Log is what rapid printed: the failing draws and how to replay them
	// (its seed).
	Log string
}

// Hunt draws data for m with rapid — as many cases as rapid's budget
// (-rapid.checks, RAPID_CHECKS, default 100), seeded by -rapid.seed or
// RAPID_SEED — until m's check, run with m.Settings, fails, and shrinks
// the failing case to a smallest one, whose diagnosis it reports. rapid's
// fail files are not written: a detected mutant is the expected outcome,
// not a test failure.
// The caller must have called testing.Init (a test binary has).
func Hunt(m Mutant) Result {
	res := Result{Mutant: m}
	var first, last struct {
		data subjects.Data
		err  error
	}
	cases := 0
	_, res.Log = rapidrun.Check("mutants/"+m.Name, func(t *rapid.T) {
		d := subjects.Generator(m.Subject, m.Needs).Draw(t, "data")
		if first.err == nil {
			cases++
		}
		if err := m.Check(d, m.Settings).Err; err != nil {
			if first.err == nil {
				first.data, first.err = d, err
			}
			// rapid reruns the smallest failing case last.
			last.data, last.err = d, err
			t.Fatalf("%v", err)
		}
	})
	if first.err == nil {
		return res
	}
	res.Detected, res.Cases = true, cases
	res.Reported, res.First, res.Message = kindOf(first.err), first.data.String(), first.err.Error()
	res.Correct = m.Right(res.Reported)
	res.MinimalKind, res.Minimal, res.MinimalMessage = kindOf(last.err), last.data.String(), last.err.Error()
	return res
}

// kindOf returns the Kind of err's first failure.
func kindOf(err error) properties.Kind {
	var f *properties.Failure
	if errors.As(err, &f) {
		return f.Kind
	}
	return properties.Mismatch
}

// Control checks the subject's correct problem, every property, on drawn
// data within rapid's budget, and returns the first failure, or nil: a
// correct implementation must never fail. A no-verdict (errors.Is
// NoVerdict, no Bug: the check says it cannot decide there, and why) is
// no failure, as in properties.Run, unless more than 5% of the cases end
// in one (issue 11's bound on correct cases).
func Control(subject subjects.Subject) error {
	var first, firstNoVerdict error
	cases, noVerdicts := 0, 0
	failed, log := rapidrun.Check("mutants/control/"+subject.String(), func(t *rapid.T) {
		d := subjects.Generator(subject, subjects.Needs{}).Draw(t, "data")
		cases++
		err := subjects.Correct(d).Check(d.W, nil)
		if err != nil && errors.Is(err, properties.NoVerdict) && !errors.Is(err, properties.Bug) {
			noVerdicts++
			if firstNoVerdict == nil {
				firstNoVerdict = fmt.Errorf("%s on %v: %w", subject, d, err)
			}
			return
		}
		if err != nil {
			first = fmt.Errorf("%s on %v: %w", subject, d, err)
			t.Fatalf("%v", err)
		}
	})
	if failed && first == nil {
		return fmt.Errorf("%s: rapid failed: %s", subject, log)
	}
	if first == nil && 20*noVerdicts > cases {
		return fmt.Errorf("%d of %d cases ended in no verdict, more than 5%%; the first: %w", noVerdicts, cases, firstNoVerdict)
	}
	return first
}
