package suites_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/gradcheck/gradcheck/suites"
)

// TestMain makes the rapid runs reproducible: seed 1 unless the caller
// chose one with -rapid.seed or RAPID_SEED.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.seed"); f != nil && f.Value.String() == "0" && os.Getenv("RAPID_SEED") == "" {
		flag.Set("rapid.seed", "1")
	}
	os.Exit(m.Run())
}

// TestSuites runs every property suite within rapid's budget (default 100
// cases each; RAPID_CHECKS=N for more).
func TestSuites(t *testing.T) {
	for _, s := range suites.All() {
		t.Run(s.Name(), func(t *testing.T) {
			r := suites.Run(s)
			if !r.Passed {
				t.Fatalf("%s failed after %d cases: %s\nsmallest failing case: %s\nreplay: %s\n%s", s.Name(), r.Cases, r.Failure, r.Minimal, replay(s, r.Log), r.Log)
			}
			t.Logf("%d cases, worst relative error %.2g, worst error/tolerance %.2g, %d inconclusive, %d no verdict", r.Cases, r.MaxRelErr, r.WorstRatio, r.Inconclusive, r.NoVerdict)
			if r.NoVerdict > 0 {
				t.Logf("first no verdict: %s", r.NoVerdictReason)
			}
			// The share of correct cases that may end in no verdict, each
			// with its reason: 5% (issue 11). Not at extreme logits, drawn
			// mostly beyond |z| ≈ 16 to reach saturation: there a Hessian's
			// entries, w·e^(−|z|)·x², fall below the round-off of grad,
			// whose terms σ(z) − y are rounded to ulps of 1 (a Hessian
			// entry of 5e-13 beside grad = −49 with noise 1e-14: a step
			// large enough to see it moves the logits by tens), and a
			// no-verdict that says so is the right outcome; its share is
			// measured (docs/NUMERICS.md, "Entries no value resolves").
			if 20*r.NoVerdict > r.Cases && !s.Needs.Extreme {
				t.Errorf("%s: %d of %d cases ended in no verdict, more than 5%%; the first: %s", s.Name(), r.NoVerdict, r.Cases, r.NoVerdictReason)
			}
		})
	}
}

// rapidSeed finds the seed in rapid's "To reproduce" line.
var rapidSeed = regexp.MustCompile(`-rapid\.seed=(\d+)`)

// replay returns the go test command that reruns the failing case of s,
// from the seed rapid printed in log. rapid's own line names the check as
// cmd/fuzzreport's -run does (suites/MSE/gradient), which go test does not
// match.
func replay(s suites.Suite, log string) string {
	seed := "N (the seed rapid printed below)"
	if m := rapidSeed.FindStringSubmatch(log); m != nil {
		seed = m[1]
	}
	return fmt.Sprintf("go test ./suites/ -run '^TestSuites$/^%s$/^%s$' -rapid.seed=%s", regexp.QuoteMeta(s.Subject.String()), regexp.QuoteMeta(s.Property), seed)
}
