package fuzzdrive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gradcheck/gradcheck/internal/cmdline"
)

// Options configures Run. Every zero field means its default; resolve
// fills the defaults in and validates.
type Options struct {
	// Patterns are go package patterns (./..., an import path), resolved by
	// go list in Dir. At least one is required.
	Patterns []string

	// Dir is the directory the go commands run in, usually a module root;
	// "" means ".". Failing inputs and replay commands are relative to it.
	Dir string

	// FuzzTime is go test's -fuzztime per target: a duration or a number
	// of executions; the zero value means 10s.
	FuzzTime FuzzTime

	// Shard and Shards select every Shards-th target starting at the
	// Shard-th (1-based) of the sorted list; 0 and 0 mean 1 and 1.
	Shard, Shards int

	// Timeout stops a target whose go test runs longer, build included;
	// 0 means FuzzTime + 2 min, room for a cold build of an instrumented
	// test binary (13 s for the fixture on an empty cache, more for larger
	// packages), or 10 min + 2 min for a number of executions.
	Timeout time.Duration

	// GoCmd is the go command to run; "" means "go" from $PATH.
	GoCmd string

	// Invocation is how the user runs this driver, the start of the rerun
	// command: "go run ./cmd/fuzzreport fuzz", "fuzzreport fuzz"; "" means
	// "fuzzreport fuzz".
	Invocation string
}

// Defaults of Options.
const (
	DefaultFuzzTime = 10 * time.Second
	// timeoutMargin is added to FuzzTime for the default Timeout.
	timeoutMargin = 2 * time.Minute
	// countTimeout stands for the time of a -fuzztime given as a number
	// of executions, in the default Timeout: go test's own default
	// -timeout.
	countTimeout = 10 * time.Minute
	// listTimeout bounds go test -list, which builds every test binary that
	// may hold a fuzz target; it is go test's own default -timeout.
	listTimeout = 10 * time.Minute
)

// Verdicts of a fuzz target.
const (
	Pass        = "pass"        // go test exited 0 after fuzzing for FuzzTime
	Fail        = "fail"        // go test reported a failing input
	Crash       = "crash"       // non-zero exit without a failing input: build failure, crashed coordinator
	Flake       = "flake"       // twice in a row, go's coordinator failed on its own deadline with no failing input
	Timeout     = "timeout"     // stopped by Timeout, or the fuzz function never returned
	Interrupted = "interrupted" // stopped by an interrupt
	Error       = "error"       // could not be listed or run
	NotRun      = "not run"     // an interrupt came first
)

// Report is the result of Run; its JSON form is what -json prints.
type Report struct {
	// Dir is the absolute directory the go commands ran in.
	Dir      string   `json:"dir"`
	Patterns []string `json:"patterns"`
	// FuzzTime and Timeout are in go test's form: 10s, 100x.
	FuzzTime string `json:"fuzztime"`
	Timeout  string `json:"timeout"`
	Shard    int    `json:"shard"`
	Shards   int    `json:"shards"`
	// Command reruns the whole run (same targets, same settings).
	Command        string  `json:"command"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// Interrupted is set when an interrupt stopped the run early.
	Interrupted bool     `json:"interrupted"`
	Targets     []Result `json:"targets"`
}

// Result is one fuzz target's line of the report. Run fills it from go
// test -fuzz; another fuzzing engine's results join the report as more
// Results with their Engine set (Report.Add).
type Result struct {
	// Engine is the fuzzing engine that ran the target: "" for go test
	// -fuzz, or a name such as "libfuzzer".
	Engine  string `json:"engine,omitempty"`
	Package string `json:"package"`
	// Target is empty for a package whose targets could not be listed.
	Target         string  `json:"target"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// Execs and NewInteresting are from go's last progress line; 0 when it
	// printed none (a failure within the first 3 s, a build failure).
	Execs          int64  `json:"execs"`
	NewInteresting int64  `json:"new_interesting"`
	Verdict        string `json:"verdict"`
	// FailingInput is the input go test wrote under the package's
	// testdata/fuzz, relative to Dir; empty when the failure came from an
	// f.Add seed, which has no file.
	FailingInput string `json:"failing_input,omitempty"`
	// ReplayCommand, run in Dir, reproduces a non-pass verdict: it runs the
	// failing input for "fail" and the fuzzing command otherwise.
	ReplayCommand string `json:"replay_command,omitempty"`
	// Note explains a verdict that go's output alone does not.
	Note string `json:"note,omitempty"`
	// OutputTail is the end of go test's output, for every verdict but pass.
	OutputTail string `json:"output_tail,omitempty"`
}

// fuzzTarget is a fuzz target found by listing.
type fuzzTarget struct {
	pkg  fuzzPackage
	name string
}

// OK reports whether the run passed: every target passed or flaked (a
// failure of the go command, not of the code) and the run was complete.
func (r *Report) OK() bool {
	if !r.Ran() {
		return false
	}
	for _, t := range r.Targets {
		if t.Verdict == Fail {
			return false
		}
	}
	return true
}

// Ran reports whether every target ran to its end: each passed, flaked, or
// failed with a failing input (a finding), and nothing was interrupted.
// A target that crashed, hung, or could not be built or listed did not.
func (r *Report) Ran() bool {
	if r.Interrupted {
		return false
	}
	for _, t := range r.Targets {
		if t.Verdict != Pass && t.Verdict != Flake && t.Verdict != Fail {
			return false
		}
	}
	return true
}

// Add appends the results of another fuzzing engine to the report, as
// rows of their own: each must name its Engine and have one of this
// package's verdicts (Pass, Fail, Crash, Timeout, Error, NotRun…), which
// OK judges like the go command's. A results parser (a libFuzzer log
// reader) maps its targets to Results and adds them here; the renderers
// show the engine column as soon as one row has an engine.
func (r *Report) Add(results ...Result) error {
	for _, res := range results {
		if res.Engine == "" {
			return fmt.Errorf("fuzzdrive: Report.Add: result %s %s names no engine", res.Package, res.Target)
		}
		switch res.Verdict {
		case Pass, Fail, Crash, Flake, Timeout, Interrupted, Error, NotRun:
		default:
			return fmt.Errorf("fuzzdrive: Report.Add: result %s %s: verdict %q is not one of the report's", res.Package, res.Target, res.Verdict)
		}
	}
	r.Targets = append(r.Targets, results...)
	return nil
}

// resolve returns o with its defaults filled in and Dir made absolute, or
// an error for the first invalid field. It is the only place options are
// checked.
func (o Options) resolve() (Options, error) {
	if len(o.Patterns) == 0 {
		return o, errors.New("no package pattern")
	}
	for _, p := range o.Patterns {
		if p == "" || strings.HasPrefix(p, "-") {
			return o, fmt.Errorf("package pattern %q: flags must come before package patterns", p)
		}
	}
	if o.Dir == "" {
		o.Dir = "."
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return o, fmt.Errorf("-C %s: %v", o.Dir, err)
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return o, fmt.Errorf("-C %s: not a directory", o.Dir)
	}
	o.Dir = abs
	switch {
	case o.FuzzTime.Duration < 0 || o.FuzzTime.Count < 0 || o.FuzzTime.Duration != 0 && o.FuzzTime.Count != 0:
		return o, fmt.Errorf("-fuzztime %v: want a positive duration or count", o.FuzzTime)
	case o.FuzzTime.IsZero():
		o.FuzzTime.Duration = DefaultFuzzTime
	}
	if o.Shard == 0 && o.Shards == 0 {
		o.Shard, o.Shards = 1, 1
	}
	if err := CheckShard(o.Shard, o.Shards); err != nil {
		return o, fmt.Errorf("-shard %d/%d: %v", o.Shard, o.Shards, err)
	}
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("-timeout %v: negative", o.Timeout)
	case o.Timeout == 0:
		o.Timeout = o.defaultTimeout()
	}
	if o.GoCmd == "" {
		o.GoCmd = "go"
	}
	if o.Invocation == "" {
		o.Invocation = "fuzzreport fuzz"
	}
	return o, nil
}

// defaultTimeout is the default Timeout for o.FuzzTime.
func (o Options) defaultTimeout() time.Duration {
	if o.FuzzTime.Count > 0 {
		return countTimeout + timeoutMargin
	}
	return o.FuzzTime.Duration + timeoutMargin
}

// CheckShard validates shard i of n (1 ≤ i ≤ n).
func CheckShard(i, n int) error {
	if n < 1 || i < 1 || i > n {
		return errors.New("want i/n with 1 ≤ i ≤ n, as in 1/4")
	}
	return nil
}

// shardTargets returns every n-th target starting at the i-th (1-based).
func shardTargets(targets []fuzzTarget, i, n int) []fuzzTarget {
	var out []fuzzTarget
	for k := i - 1; k < len(targets); k += n {
		out = append(out, targets[k])
	}
	return out
}

// Run lists the fuzz targets of the packages matching
// opts.Patterns, keeps opts' shard of them, and fuzzes each in turn with
// go test -fuzz, one target per go test as go requires (golang/go#46312).
// It writes a line to progress as each target starts and ends.
//
// A target that fails, crashes or hangs is reported and the run goes on.
// When ctx is cancelled, the running target is interrupted, the others are
// reported as not run and the report is marked Interrupted.
//
// The error is non-nil, and the report empty, only when nothing can be run:
// invalid options, a pattern that matches no package, go list failing.
func Run(ctx context.Context, opts Options, progress io.Writer) (Report, error) {
	rawDir := opts.Dir
	opts, err := opts.resolve()
	if err != nil {
		return Report{}, err
	}
	start := time.Now()
	rep := Report{
		Dir:      opts.Dir,
		Patterns: slices.Clone(opts.Patterns),
		FuzzTime: opts.FuzzTime.String(),
		Timeout:  opts.Timeout.String(),
		Shard:    opts.Shard,
		Shards:   opts.Shards,
		Command:  fuzzCommandLine(opts, rawDir),
		Targets:  []Result{},
	}
	pkgs, err := listPackages(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			rep.Interrupted = true
			rep.ElapsedSeconds = time.Since(start).Seconds()
			return rep, nil
		}
		return Report{}, err
	}
	fmt.Fprintf(progress, "fuzzreport: listing the fuzz targets of %s\n", plural(len(pkgs), "package", "packages"))
	targets, listErrs := listTargets(ctx, opts, pkgs)
	if ctx.Err() != nil {
		rep.Interrupted = true
		rep.ElapsedSeconds = time.Since(start).Seconds()
		return rep, nil
	}
	// A package whose targets could not be listed is in every shard: no
	// shard can vouch for it.
	rep.Targets = append(rep.Targets, listErrs...)
	all := len(targets)
	targets = shardTargets(targets, opts.Shard, opts.Shards)
	fmt.Fprintf(progress, "fuzzreport: %s, %d in shard %d/%d\n", plural(all, "fuzz target", "fuzz targets"), len(targets), opts.Shard, opts.Shards)
	for k, t := range targets {
		if ctx.Err() != nil {
			rep.Interrupted = true
			rep.Targets = append(rep.Targets, Result{
				Package: t.pkg.ImportPath,
				Target:  t.name,
				Verdict: NotRun,
			})
			continue
		}
		fmt.Fprintf(progress, "fuzzreport: [%d/%d] %s %s ...\n", k+1, len(targets), t.pkg.ImportPath, t.name)
		res := runTarget(ctx, opts, t, progress)
		fmt.Fprintf(progress, "fuzzreport: [%d/%d] %s %s: %s (%.1fs)\n", k+1, len(targets), t.pkg.ImportPath, t.name, res.Verdict, res.ElapsedSeconds)
		if res.Verdict == Interrupted {
			rep.Interrupted = true
		}
		rep.Targets = append(rep.Targets, res)
	}
	rep.ElapsedSeconds = time.Since(start).Seconds()
	return rep, nil
}

// fuzzCommandLine is the command that reruns opts, with dir as the user
// gave it.
func fuzzCommandLine(opts Options, dir string) string {
	args := []string{opts.Invocation}
	if dir != "" && dir != "." {
		args = append(args, "-C", cmdline.Quote(dir))
	}
	args = append(args, "-fuzztime="+opts.FuzzTime.String())
	if opts.Timeout != opts.defaultTimeout() {
		args = append(args, "-timeout="+opts.Timeout.String())
	}
	if opts.Shards > 1 {
		args = append(args, fmt.Sprintf("-shard=%d/%d", opts.Shard, opts.Shards))
	}
	for _, p := range opts.Patterns {
		args = append(args, cmdline.Quote(p))
	}
	return strings.Join(args, " ")
}
