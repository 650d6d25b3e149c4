package mutants

import (
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
)

// A Mutant is a deliberately wrong derivative of a subject.
type Mutant struct {
	// Name identifies the mutant: "mse/missing-2".
	Name string
	// Class is the lab's bug class: "missing constant", "shape",
	// "sign", "stability", "off-by-one", "small error", "wrong formula",
	// "not a gradient field", "side effect".
	Class string
	// Subject is the loss or map it is a wrong version of.
	Subject subjects.Subject
	// Property is the check that catches it: "gradient", "hessian",
	// "symmetry" or "jacobian".
	Property string
	// Want is the Kind the check should diagnose.
	Want properties.Kind
	// Accept lists other Kinds that are right on some data, with the reason
	// in Doc: a dropped sample whose row has entries near zero leaves those
	// coordinates right, so "partial" is as true as "mismatch" there.
	Accept []properties.Kind
	// Needs are the conditions the data must meet for the bug to show.
	Needs subjects.Needs
	// Doc says what the bug is, in the lab's terms.
	Doc string
	// Build returns the wrong problem on the data: the subject's correct
	// functions with the one under test replaced.
	Build func(subjects.Data) properties.Problem
	// Settings are those the check runs with; nil means the defaults.
	// A bug that shows only under some settings carries them: a function
	// not safe for concurrent use is right when called serially, so its
	// mutant is checked with Workers > 1.
	Settings *properties.Settings
}

// All returns the corpus, ordered by subject.
func All() []Mutant {
	var out []Mutant
	out = append(out, sumSquaresMutants()...)
	out = append(out, mseMutants()...)
	out = append(out, logisticMutants()...)
	out = append(out, softmaxCEMutants()...)
	out = append(out, mapMutants()...)
	out = append(out, misbehaveMutants()...)
	return out
}

// ByName returns the mutant with the given name.
func ByName(name string) (Mutant, bool) {
	for _, m := range All() {
		if m.Name == name {
			return m, true
		}
	}
	return Mutant{}, false
}

// Right reports whether k is a right diagnosis of the mutant: its label
// Want, or one of Accept.
func (m Mutant) Right(k properties.Kind) bool {
	if k == m.Want {
		return true
	}
	for _, a := range m.Accept {
		if k == a {
			return true
		}
	}
	return false
}

// Check runs the mutant's property check on data with the settings s
// (Hunt passes m.Settings) and returns the report.
func (m Mutant) Check(d subjects.Data, s *properties.Settings) *properties.Report {
	return m.Build(d).Report(m.Property, d.W, s)
}
