package mutants_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/gradcheck/gradcheck/mutants"
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
	for _, s := range mutants.Subjects() {
		if err := mutants.Control(s); err != nil {
			t.Errorf("false alarm on a correct implementation: %v", err)
		}
	}
}

// TestCorpusLabels: names are unique, and every mutant has a class, a doc,
// a known subject and property.
func TestCorpusLabels(t *testing.T) {
	seen := map[string]bool{}
	props := map[string]bool{"gradient": true, "hessian": true, "symmetry": true, "jacobian": true}
	subjects := map[string]bool{}
	for _, s := range mutants.Subjects() {
		subjects[s] = true
	}
	for _, m := range mutants.All() {
		if seen[m.Name] {
			t.Errorf("duplicate name %s", m.Name)
		}
		seen[m.Name] = true
		if m.Class == "" || m.Doc == "" || !subjects[m.Subject] || !props[m.Property] || m.Build == nil {
			t.Errorf("%s: incomplete label %+v", m.Name, m)
		}
	}
}
