package realworld

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

var (
	coverageFile = flag.String("coverage", "", "write the coverage table (functions × points by verdict) as markdown to this `file`")
	update       = flag.Bool("update", false, "rewrite README.md's copy of the coverage table from this run")
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	table := ledger.markdown()
	if code == 0 && wholeSuite() {
		if err := readmeTable(table, *update); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	if testing.Verbose() {
		fmt.Print(table)
	}
	if *coverageFile != "" {
		if err := os.WriteFile(*coverageFile, []byte(table), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// wholeSuite reports whether every test ran (no -run, -skip or -short),
// so that the coverage table is the suite's.
func wholeSuite() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// readmeTable checks README.md's copy of the coverage table, between the
// markers, against this run's (or rewrites it if update).
func readmeTable(table string, update bool) error {
	const begin, end = "<!-- coverage: written by go test -update -->\n", "<!-- /coverage -->"
	b, err := os.ReadFile("README.md")
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("README.md: no coverage markers %q … %q", begin, end)
	}
	if s[i+len(begin):j] == table {
		return nil
	}
	if !update {
		return fmt.Errorf("README.md's coverage table is stale: this run counts\n%s(run ./run -update, or go test -count=1 . -args -update, to rewrite it)", table)
	}
	return os.WriteFile("README.md", []byte(s[:i+len(begin)]+table+s[j:]), 0o644)
}

// Outcomes of one check at one point, as the suite counts them.
const (
	outPass       = "pass"
	outNoVerdict  = "no verdict"
	outBugPinned  = "bug (confirmed, pinned)"
	outUnexpected = "unexpected verdict (test fails)"
	outSkipped    = "points skipped (f not finite there)"
	// outMachineError: the library returned an error instead of a
	// derivative, so there was nothing to check (listed in README.md).
	outMachineError = "library error instead of a derivative (listed)"
)

var outcomes = []string{outPass, outNoVerdict, outBugPinned, outMachineError, outUnexpected}

// tally counts, per library, the functions checked and the checks by
// outcome. It is safe for concurrent use.
type tally struct {
	mu     sync.Mutex
	funcs  map[string]map[string]bool // library → function → seen
	counts map[string]map[string]int  // library → outcome → checks
}

var ledger = &tally{funcs: map[string]map[string]bool{}, counts: map[string]map[string]int{}}

// skip counts a point drawn but not checked, because f is not finite
// there; it is not counted as a check.
func (l *tally) skip(lib, fn string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.funcs[lib] == nil {
		l.funcs[lib] = map[string]bool{}
		l.counts[lib] = map[string]int{}
	}
	l.counts[lib][outSkipped]++
}

func (l *tally) add(lib, fn, outcome string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.funcs[lib] == nil {
		l.funcs[lib] = map[string]bool{}
		l.counts[lib] = map[string]int{}
	}
	l.funcs[lib][fn] = true
	l.counts[lib][outcome]++
}

// markdown returns the coverage table: per library the derivative
// functions checked, the checks made (one check is one function at one
// point) and their outcomes.
func (l *tally) markdown() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var libs []string
	for lib := range l.funcs {
		libs = append(libs, lib)
	}
	sort.Strings(libs)
	var b strings.Builder
	b.WriteString("| library | functions | checks | " + strings.Join(outcomes, " | ") + " |\n")
	b.WriteString("|---|---:|---:|" + strings.Repeat("---:|", len(outcomes)) + "\n")
	var fns, checks int
	sum := map[string]int{}
	row := func(name string, nf, nc int, c map[string]int) {
		fmt.Fprintf(&b, "| %s | %d | %d |", name, nf, nc)
		for _, o := range outcomes {
			fmt.Fprintf(&b, " %d |", c[o])
		}
		b.WriteString("\n")
	}
	for _, lib := range libs {
		n := 0
		for _, o := range outcomes {
			n += l.counts[lib][o]
			sum[o] += l.counts[lib][o]
		}
		fns += len(l.funcs[lib])
		checks += n
		row(lib, len(l.funcs[lib]), n, l.counts[lib])
		sum[outSkipped] += l.counts[lib][outSkipped]
	}
	row("**all**", fns, checks, sum)
	fmt.Fprintf(&b, "\nPoints drawn but not checked because f is not finite there (overflow): %d.\n", sum[outSkipped])
	return b.String()
}

// outcomeOf names what err says: a pass, a bug, or no verdict.
func outcomeOf(err error) string {
	switch {
	case err == nil:
		return outPass
	case errors.Is(err, properties.Bug):
		return outBugPinned
	default:
		return outNoVerdict
	}
}

// judge records a check of one function at one point. evidence
// computes the function's value or derivative independently of finite
// differences and returns "" where the library agrees with it, else what
// is wrong; edge says how close x is to an edge or kink of f (a
// finite-difference step that crosses it), or "". A bug verdict counts as a
// confirmed bug when evidence confirms it, and fails the test otherwise,
// with edge in the message: near an edge or kink the harness must pass or
// give no verdict on a correct derivative, never a bug.
func judge(t testing.TB, lib, fn, at string, err error, evidence func() string, edge string) {
	t.Helper()
	switch {
	case err == nil:
		ledger.add(lib, fn, outPass)
	case !errors.Is(err, properties.Bug):
		ledger.add(lib, fn, outNoVerdict)
		t.Logf("%s %s at %s: no verdict: %v", lib, fn, at, err)
	default:
		if evidence != nil {
			if why := evidence(); why != "" {
				ledger.add(lib, fn, outBugPinned)
				return
			}
		}
		near := ""
		if edge != "" {
			near = " (a harness false alarm: " + edge + ")"
		}
		ledger.add(lib, fn, outUnexpected)
		t.Errorf("%s %s at %s: bug verdict that no independent evidence confirms%s:\n%v", lib, fn, at, near, err)
	}
}

// holds is judge for a derivative with no known bug and no edge nearby.
func holds(t testing.TB, lib, fn, at string, err error) {
	t.Helper()
	judge(t, lib, fn, at, err, nil, "")
}

// buggy records a check of a derivative whose bug at this point is
// confirmed independently: the check must report a bug that errors.Is
// matches with want (a Kind, or properties.Bug for any), and
// the test fails the day it does not.
func buggy(t testing.TB, lib, fn, at string, want error, err error) {
	t.Helper()
	if errors.Is(err, want) {
		ledger.add(lib, fn, outBugPinned)
		return
	}
	ledger.add(lib, fn, outUnexpected)
	t.Errorf("%s %s at %s: confirmed bug not reported as %v; the check says: %v", lib, fn, at, want, err)
}
