package mutants

import (
	"flag"
	"fmt"
)

// setRapidFlag sets one of the flags rapid registers on the command line
// (rapid.checks, rapid.seed, rapid.nofailfile, …) and returns a function
// that restores its previous value. rapid reads its settings only from
// those flags (and the RAPID_* environment variables that are their
// defaults).
func setRapidFlag(name, value string) (restore func()) {
	f := flag.Lookup(name)
	if f == nil {
		panic(fmt.Sprintf("mutants: rapid registers no flag %q", name))
	}
	old := f.Value.String()
	if err := flag.Set(name, value); err != nil {
		panic(fmt.Sprintf("mutants: setting %s=%s: %v", name, value, err))
	}
	return func() { flag.Set(name, old) }
}

// SetRapid sets rapid's budget and seed for later Hunts and Controls: the
// number of cases per mutant (checks > 0) and the seed (seed ≠ 0; 0 keeps
// rapid's, which is random unless -rapid.seed or RAPID_SEED set it). A
// command uses it where a test would pass -rapid.checks and -rapid.seed.
func SetRapid(checks int, seed uint64) {
	if checks > 0 {
		setRapidFlag("rapid.checks", fmt.Sprint(checks))
	}
	if seed != 0 {
		setRapidFlag("rapid.seed", fmt.Sprint(seed))
	}
}
