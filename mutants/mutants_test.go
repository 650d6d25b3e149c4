package mutants_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gradcheck/gradcheck/mutants"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
)

// TestMain makes the package's rapid runs reproducible: seed 1 unless the
// caller chose one with -rapid.seed or RAPID_SEED.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.seed"); f != nil && f.Value.String() == "0" && os.Getenv("RAPID_SEED") == "" {
		flag.Set("rapid.seed", "1")
	}
	os.Exit(m.Run())
}

// TestCorpus hunts every mutant within rapid's default budget: each must be
// detected, and diagnosed with its label. It prints the mutation score and
// the diagnosis accuracy.
func TestCorpus(t *testing.T) {
	all := mutants.All()
	if len(all) < 30 {
		t.Errorf("the corpus has %d mutants, want at least 30", len(all))
	}
	detected, correct := 0, 0
	for _, m := range all {
		t.Run(m.Name, func(t *testing.T) {
			r := mutants.Hunt(m)
			switch {
			case !r.Detected:
				t.Errorf("survived: %s (%s) was not detected by the %s check\n%s", m.Name, m.Doc, m.Property, r.Log)
			case !r.Correct:
				detected++
				t.Errorf("diagnosed %v, want %v, on %s:\n%s", r.Reported, m.Want, r.First, r.Message)
			default:
				detected++
				correct++
				t.Logf("%v after %d cases on %s; shrunk to %s (%v)", r.Reported, r.Cases, r.First, r.Minimal, r.MinimalKind)
			}
		})
	}
	fmt.Printf("mutation score %d/%d, diagnosis accuracy %d/%d\n", detected, len(all), correct, detected)
}

// TestControls: the correct implementations pass every property on every
// drawn case.
func TestControls(t *testing.T) {
	for _, s := range subjects.All() {
		if err := mutants.Control(s); err != nil {
			t.Errorf("false alarm on a correct implementation: %v", err)
		}
	}
}

// TestCorpusLabels: names are unique, and every mutant has a class, a doc,
// a known subject and property, and covers the lab's gotchas.
func TestCorpusLabels(t *testing.T) {
	seen := map[string]bool{}
	classes := map[string]int{}
	for _, m := range mutants.All() {
		assert.False(t, seen[m.Name], "duplicate name %s", m.Name)
		seen[m.Name] = true
		classes[m.Class]++
		assert.NotEmpty(t, m.Class, m.Name)
		assert.NotEmpty(t, m.Doc, m.Name)
		assert.Contains(t, subjects.All(), m.Subject, m.Name)
		assert.Contains(t, []string{"gradient", "hessian", "symmetry", "jacobian"}, m.Property, m.Name)
		assert.NotNil(t, m.Build, m.Name)
		assert.NotContains(t, m.Accept, m.Want, "%s: Accept repeats Want", m.Name)
		// A label is a verdict against the code, never a no-verdict
		// (stopped, nondifferentiable): a correct function gets those too.
		assert.ErrorIs(t, &properties.Failure{Kind: m.Want}, properties.Bug, "%s: Want %v is no verdict", m.Name, m.Want)
	}
	// The lab's gotchas: shape bugs and missing constants first.
	for _, class := range []string{"missing constant", "shape", "sign", "stability", "off-by-one", "small error", "wrong formula", "not a gradient field", "side effect"} {
		assert.Positive(t, classes[class], "no mutant of class %q", class)
	}
	for _, name := range []string{"mse/missing-2", "mse/missing-1/n", "mse/divides-by-d", "mse/X-for-Xt", "mse/X-for-Xt-square",
		"mse/swapped-coordinates", "softmax-ce/column-major", "logistic/no-sigmoid", "logistic/sigmoid-twice",
		"logistic/clipped-probabilities", "logistic/unstable-log", "mse/drops-last-sample", "mse/one-entry-off-1e-4",
		"logistic/hessian-without-weights", "linear/transposed", "sumsquares/not-a-gradient-field"} {
		_, ok := mutants.ByName(name)
		assert.True(t, ok, "the lab's gotcha %s (docs/LAB.md) is missing", name)
	}
}

// TestMutantSettings: a mutant that carries Settings shows its bug only
// under them: on 20 drawn cases its check passes with the defaults and
// diagnoses its label with its Settings.
func TestMutantSettings(t *testing.T) {
	n := 0
	for _, m := range mutants.All() {
		if m.Settings == nil {
			continue
		}
		n++
		gen := subjects.Generator(m.Subject, m.Needs)
		for i := range 20 {
			d := gen.Example(i)
			if err := m.Check(d, nil).Err; err != nil {
				t.Errorf("%s, example %d (%v): fails with the default settings: %v", m.Name, i, d, err)
			}
			r := m.Check(d, m.Settings)
			var f *properties.Failure
			if !errors.As(r.Err, &f) || !m.Right(f.Kind) {
				t.Errorf("%s, example %d (%v): with %+v: %v, want %v", m.Name, i, d, *m.Settings, r.Err, m.Want)
			}
		}
	}
	if n == 0 {
		t.Error("no mutant carries Settings")
	}
}
