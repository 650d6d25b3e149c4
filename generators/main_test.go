package generators

import (
	"flag"
	"math"
	"os"
	"testing"

	"pgregory.net/rapid"
)

// TestMain pins rapid's seed, so every rapid.Check in this package explores
// the same cases on every run. An explicit -rapid.seed (or RAPID_SEED) wins;
// random exploration is the job of FuzzGeneratorsInvariants.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("rapid.seed"); f != nil && f.Value.String() == "0" {
		if err := f.Value.Set("1"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// sigmas is how many binomial standard deviations a measured share may stray
// from its exact value: a normal tail beyond 5σ has probability 5.7e-7, so
// even across the few hundred shares pinned in this package a correct
// generator passes for essentially every seed, while the skews these tests
// guard against (rapid's Float64Range: ~50% of [-1, 1] below 1e-10) miss by
// tens of σ.
const sigmas = 5

// checkShare fails t unless count/n is within sigmas binomial standard
// deviations, sqrt(p(1-p)/n), of p.
func checkShare(t *testing.T, what string, count, n int, p float64) {
	t.Helper()
	got := float64(count) / float64(n)
	sd := math.Sqrt(p * (1 - p) / float64(n))
	if math.Abs(got-p) > sigmas*sd {
		t.Errorf("share of %s = %.4f (%d/%d), want %.4f ± %.4f (%dσ)", what, got, count, n, p, sigmas*sd, sigmas)
	}
}

// examples draws n values from gen with seeds 0…n-1: deterministic, and the
// same distribution as draws inside rapid.Check.
func examples[V any](gen *rapid.Generator[V], n int) []V {
	vs := make([]V, n)
	for i := range vs {
		vs[i] = gen.Example(i)
	}
	return vs
}
