// Command fuzzreport runs the fuzz targets of a Go module and reports on
// them.
//
// Usage:
//
//	fuzzreport [-C dir] [-fuzztime d] [-shard i/n] [-timeout d] [-json | -md] -fuzz patterns [patterns...]
//
// go test fuzzes one target per run (golang/go#46312). With -fuzz,
// fuzzreport lists the fuzz targets of the packages matching the patterns
// (go list, go test -list), sorted by package then name, and runs each in
// turn with
//
//	go test -run='^$' -fuzz='^Name$' -fuzztime=d ./pkg
//
// in dir. It reports per target the time, executions, new interesting
// inputs and a verdict: pass, fail (go wrote a failing input), crash
// (go test failed without one, as when the package does not build),
// timeout (stopped by -timeout, or the fuzz function never returned),
// interrupted, error (could not be listed or run), or not run. For each
// failure it gives the input's file under the package's testdata/fuzz and
// the command that replays it, both relative to dir, and it ends with the
// command that reruns the whole run. It works on any module.
//
// Flags:
//
//	-fuzz patterns  package patterns, separated by commas or spaces; more may follow the flags
//	-fuzztime d     fuzz each target for d (default 10s)
//	-shard i/n      run every n-th target starting at the i-th (1 ≤ i ≤ n), to split
//	                the targets between the jobs of a CI matrix (default 1/1)
//	-timeout d      stop a target whose go test runs longer than d, build included
//	                (default fuzztime + 2m)
//	-C dir, -dir    run the go commands in dir (default .)
//	-json, -md      print the report as JSON or Markdown instead of a table
//
// Progress goes to stderr, the report to stdout. The JSON report has, per
// target: package, target, elapsed_seconds, execs, new_interesting, verdict,
// failing_input, replay_command, note and output_tail.
//
// A target that fails, crashes or hangs is reported and the run goes on.
// On SIGINT or SIGTERM, the running target is stopped and the report of
// what ran so far is printed.
//
// Exit codes: 0 if every target passed; 1 if one did not, or the run was
// interrupted; 2 for a usage error (an unknown flag, a malformed -shard, a
// pattern that matches no package), reported on one line of stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command with its arguments; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fuzzreport", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // usage errors are one line, printed below
	var fuzz fuzzFlags
	fuzz.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: fuzzreport [flags] -fuzz patterns [patterns...]")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usageError(stderr, err.Error())
	}
	fuzzSet := false
	fs.Visit(func(f *flag.Flag) { fuzzSet = fuzzSet || f.Name == "fuzz" })
	if fuzzSet {
		return runFuzzMode(ctx, &fuzz, fs.Args(), stdout, stderr)
	}
	return usageError(stderr, "default mode not implemented yet")
}
