package main

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
)

// fuzzOptions configures runFuzzTargets. Every zero field means its default;
// resolve fills the defaults in and validates.
type fuzzOptions struct {
	// Patterns are go package patterns (./..., an import path), resolved by
	// go list in Dir. At least one is required.
	Patterns []string

	// Dir is the directory the go commands run in, usually a module root;
	// "" means ".". Failing inputs and replay commands are relative to it.
	Dir string

	// FuzzTime is go test's -fuzztime per target; 0 means 10s.
	FuzzTime time.Duration

	// Shard and Shards select every Shards-th target starting at the
	// Shard-th (1-based) of the sorted list; 0 and 0 mean 1 and 1.
	Shard, Shards int

	// Timeout stops a target whose go test runs longer, build included;
	// 0 means FuzzTime + 2 min, room for a cold build of an instrumented
	// test binary (13 s for the fixture on an empty cache, more for larger
	// packages).
	Timeout time.Duration

	// GoCmd is the go command to run; "" means "go" from $PATH.
	GoCmd string
}

// Defaults of fuzzOptions.
const (
	defaultFuzzTime = 10 * time.Second
	// timeoutMargin is added to FuzzTime for the default Timeout.
	timeoutMargin = 2 * time.Minute
	// listTimeout bounds go test -list, which builds every test binary that
	// may hold a fuzz target; it is go test's own default -timeout.
	listTimeout = 10 * time.Minute
)

// Verdicts of a fuzz target.
const (
	verdictPass        = "pass"        // go test exited 0 after fuzzing for FuzzTime
	verdictFail        = "fail"        // go test reported a failing input
	verdictCrash       = "crash"       // non-zero exit without a failing input: build failure, crashed coordinator
	verdictTimeout     = "timeout"     // stopped by Timeout, or the fuzz function never returned
	verdictInterrupted = "interrupted" // stopped by an interrupt
	verdictError       = "error"       // could not be listed or run
	verdictNotRun      = "not run"     // an interrupt came first
)

// fuzzReport is the result of runFuzzTargets; its JSON form is what -json
// prints.
type fuzzReport struct {
	// Dir is the absolute directory the go commands ran in.
	Dir      string   `json:"dir"`
	Patterns []string `json:"patterns"`
	// FuzzTime and Timeout are in time.Duration's String form.
	FuzzTime string `json:"fuzztime"`
	Timeout  string `json:"timeout"`
	Shard    int    `json:"shard"`
	Shards   int    `json:"shards"`
	// Command reruns the whole run (same targets, same settings).
	Command        string  `json:"command"`
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	// Interrupted is set when an interrupt stopped the run early.
	Interrupted bool               `json:"interrupted"`
	Targets     []fuzzTargetResult `json:"targets"`
}

// fuzzTargetResult is one fuzz target's line of the report.
type fuzzTargetResult struct {
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

// ok reports whether every target passed and the run was complete.
func (r *fuzzReport) ok() bool {
	if r.Interrupted {
		return false
	}
	for _, t := range r.Targets {
		if t.Verdict != verdictPass {
			return false
		}
	}
	return true
}

// exitCode is the command's exit code for r: 0 if every target passed,
// 1 otherwise.
func (r *fuzzReport) exitCode() int {
	if r.ok() {
		return 0
	}
	return 1
}

// resolve returns o with its defaults filled in and Dir made absolute, or
// an error for the first invalid field. It is the only place options are
// checked.
func (o fuzzOptions) resolve() (fuzzOptions, error) {
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
	case o.FuzzTime < 0:
		return o, fmt.Errorf("-fuzztime %v: negative", o.FuzzTime)
	case o.FuzzTime == 0:
		o.FuzzTime = defaultFuzzTime
	}
	if o.Shard == 0 && o.Shards == 0 {
		o.Shard, o.Shards = 1, 1
	}
	if err := checkShard(o.Shard, o.Shards); err != nil {
		return o, fmt.Errorf("-shard %d/%d: %v", o.Shard, o.Shards, err)
	}
	switch {
	case o.Timeout < 0:
		return o, fmt.Errorf("-timeout %v: negative", o.Timeout)
	case o.Timeout == 0:
		o.Timeout = o.FuzzTime + timeoutMargin
	}
	if o.GoCmd == "" {
		o.GoCmd = "go"
	}
	return o, nil
}

// checkShard validates shard i of n.
func checkShard(i, n int) error {
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

// runFuzzTargets lists the fuzz targets of the packages matching
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
func runFuzzTargets(ctx context.Context, opts fuzzOptions, progress io.Writer) (fuzzReport, error) {
	rawDir := opts.Dir
	opts, err := opts.resolve()
	if err != nil {
		return fuzzReport{}, err
	}
	start := time.Now()
	rep := fuzzReport{
		Dir:      opts.Dir,
		Patterns: slices.Clone(opts.Patterns),
		FuzzTime: opts.FuzzTime.String(),
		Timeout:  opts.Timeout.String(),
		Shard:    opts.Shard,
		Shards:   opts.Shards,
		Command:  fuzzCommandLine(opts, rawDir),
		Targets:  []fuzzTargetResult{},
	}
	pkgs, err := listPackages(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			rep.Interrupted = true
			rep.ElapsedSeconds = time.Since(start).Seconds()
			return rep, nil
		}
		return fuzzReport{}, err
	}
	fmt.Fprintf(progress, "fuzzreport: listing the fuzz targets of %d packages\n", len(pkgs))
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
	fmt.Fprintf(progress, "fuzzreport: %d fuzz targets, %d in shard %d/%d\n", all, len(targets), opts.Shard, opts.Shards)
	for k, t := range targets {
		if ctx.Err() != nil {
			rep.Interrupted = true
			rep.Targets = append(rep.Targets, fuzzTargetResult{
				Package: t.pkg.ImportPath,
				Target:  t.name,
				Verdict: verdictNotRun,
			})
			continue
		}
		fmt.Fprintf(progress, "fuzzreport: [%d/%d] %s %s ...\n", k+1, len(targets), t.pkg.ImportPath, t.name)
		res := runTarget(ctx, opts, t)
		fmt.Fprintf(progress, "fuzzreport: [%d/%d] %s %s: %s (%.1fs)\n", k+1, len(targets), t.pkg.ImportPath, t.name, res.Verdict, res.ElapsedSeconds)
		if res.Verdict == verdictInterrupted {
			rep.Interrupted = true
		}
		rep.Targets = append(rep.Targets, res)
	}
	rep.ElapsedSeconds = time.Since(start).Seconds()
	return rep, nil
}

// fuzzCommandLine is the fuzzreport command that reruns opts, with dir as
// the user gave it.
func fuzzCommandLine(opts fuzzOptions, dir string) string {
	args := []string{"fuzzreport"}
	if dir != "" && dir != "." {
		args = append(args, "-C", shellQuote(dir))
	}
	args = append(args, "-fuzztime="+opts.FuzzTime.String())
	if opts.Timeout != opts.FuzzTime+timeoutMargin {
		args = append(args, "-timeout="+opts.Timeout.String())
	}
	if opts.Shards > 1 {
		args = append(args, fmt.Sprintf("-shard=%d/%d", opts.Shard, opts.Shards))
	}
	args = append(args, "-fuzz="+shellQuote(strings.Join(opts.Patterns, ",")))
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell, leaving common safe words bare.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:@%+,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
