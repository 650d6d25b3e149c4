// Package rapidrun runs rapid property checks outside of a failing test:
// the outcome is recorded, not reported as a test failure, and rapid's fail
// files are not written. The mutant corpus and the property suites use it,
// in tests and in cmd/fuzzreport. Fuzz runs a rapid property as the body
// of a native fuzz target whose inputs stay small (the generators' and the
// suites' fuzz targets), under go test -fuzz and under libFuzzer alike.
package rapidrun

import (
	"flag"
	"fmt"
	"strings"
	"sync"

	"pgregory.net/rapid"
)

// Check runs prop with rapid.Check within rapid's budget (-rapid.checks,
// RAPID_CHECKS) and seed (-rapid.seed, RAPID_SEED), recording instead of
// failing: it returns whether the property failed and what rapid printed
// (the failing draws and how to replay them). Checks are serialized: rapid
// keeps its settings in package variables. The caller must have called
// testing.Init (a test binary has).
func Check(name string, prop func(*rapid.T)) (failed bool, log string) {
	mu.Lock()
	defer mu.Unlock()
	restore := set("rapid.nofailfile", "true")
	defer restore()
	rec := &recorder{name: name}
	rapid.Check(rec, prop)
	return rec.failed, rec.log.String()
}

var mu sync.Mutex

// Set sets rapid's budget and seed for later Checks: the number of cases
// per check (checks > 0) and the seed (seed ≠ 0; 0 keeps rapid's, which is
// random unless -rapid.seed or RAPID_SEED set it). A command uses it where
// a test would pass -rapid.checks and -rapid.seed.
func Set(checks int, seed uint64) {
	mu.Lock()
	defer mu.Unlock()
	if checks > 0 {
		set("rapid.checks", fmt.Sprint(checks))
	}
	if seed != 0 {
		set("rapid.seed", fmt.Sprint(seed))
	}
}

// Checks returns rapid's budget of cases per check.
func Checks() int {
	var n int
	if f := flag.Lookup("rapid.checks"); f != nil {
		fmt.Sscan(f.Value.String(), &n)
	}
	return n
}

// set sets one of the flags rapid registers on the command line and
// returns a function that restores its previous value. rapid reads its
// settings only from those flags (and the RAPID_* environment variables
// that are their defaults).
func set(name, value string) (restore func()) {
	f := flag.Lookup(name)
	if f == nil {
		panic(fmt.Sprintf("rapidrun: rapid registers no flag %q", name))
	}
	old := f.Value.String()
	if err := flag.Set(name, value); err != nil {
		panic(fmt.Sprintf("rapidrun: setting %s=%s: %v", name, value, err))
	}
	return func() { flag.Set(name, old) }
}

// recorder is a rapid.TB that records the outcome instead of failing a test.
type recorder struct {
	name   string
	failed bool
	log    strings.Builder
}

func (r *recorder) Helper()                          {}
func (r *recorder) Name() string                     { return r.name }
func (r *recorder) Logf(format string, args ...any)  { fmt.Fprintf(&r.log, format+"\n", args...) }
func (r *recorder) Log(args ...any)                  { fmt.Fprintln(&r.log, args...) }
func (r *recorder) Skipf(format string, args ...any) { r.Logf("skip: "+format, args...) }
func (r *recorder) Skip(args ...any)                 { r.Log(append([]any{"skip:"}, args...)...) }
func (r *recorder) SkipNow()                         {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.Logf(format, args...)
}
func (r *recorder) Error(args ...any)                 { r.failed = true; r.Log(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Fatal(args ...any)                 { r.Error(args...) }
func (r *recorder) FailNow()                          { r.failed = true }
func (r *recorder) Fail()                             { r.failed = true }
func (r *recorder) Failed() bool                      { return r.failed }
