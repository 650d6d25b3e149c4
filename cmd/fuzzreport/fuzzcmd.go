package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gradcheck/gradcheck/internal/fuzzdrive"
	"github.com/gradcheck/gradcheck/internal/libfuzz"
	"github.com/gradcheck/gradcheck/internal/report"
)

const fuzzUsage = "usage: fuzzreport fuzz [-C dir] [-fuzztime d|Nx] [-shard i/n] [-timeout d] [-libfuzzer dir] [-findings-pass] [-json | -md] [patterns...]"

// runFuzz runs the fuzz driver with its flags and package patterns args.
func runFuzz(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fuzzreport fuzz", flag.ContinueOnError)
	opts := fuzzdrive.Options{FuzzTime: fuzzdrive.FuzzTime{Duration: fuzzdrive.DefaultFuzzTime}, Invocation: invocation() + " fuzz"}
	var shard shardFlag
	fs.Var(&opts.FuzzTime, "fuzztime", "fuzz each target for `d`: a duration (10s) or a number of executions (100x)")
	fs.Var(&shard, "shard", "run shard `i/n`: every n-th target, starting at the i-th (1-based)")
	fs.StringVar(&opts.Dir, "C", ".", "run the go commands in `dir`, a module root")
	fs.StringVar(&opts.Dir, "dir", ".", "same as -C")
	fs.DurationVar(&opts.Timeout, "timeout", 0, "stop a target whose go test runs longer than `d`, build included (default fuzztime + 2m; 12m for a number of executions)")
	libfuzzer := fs.String("libfuzzer", "", "add the targets of the libFuzzer run in `dir` (.ci/libfuzzer -o dir) to the report; with no patterns, report only those")
	findingsPass := fs.Bool("findings-pass", false, "exit 0 when the only failures are findings (a failing input written to testdata/fuzz, with its replay command); a target that crashed, hung or did not build still fails")
	out := addOutputFlags(fs, "print the report as JSON", "print the report as Markdown")
	if code, done := parseFlags(fs, fuzzUsage, args, stdout, stderr); done {
		return code
	}
	opts.Patterns = fs.Args()
	opts.Shard, opts.Shards = shard.i, shard.n
	if len(opts.Patterns) == 1 && opts.Patterns[0] == "" || len(opts.Patterns) == 0 && *libfuzzer == "" {
		return usageError(stderr, "no package pattern, as in fuzzreport fuzz ./...")
	}
	if err := checkTimeout(fs, opts.Timeout); err != nil {
		return usageError(stderr, err.Error())
	}
	f, err := out.format()
	if err != nil {
		return usageError(stderr, err.Error())
	}
	var lf libfuzz.Run
	if *libfuzzer != "" {
		// Read before fuzzing: a bad folder is a usage error.
		if lf, err = libfuzz.ReadRun(*libfuzzer); err != nil {
			return usageError(stderr, fmt.Sprintf("-libfuzzer %s: %v", *libfuzzer, err))
		}
	}
	var rep fuzzdrive.Report
	if len(opts.Patterns) > 0 {
		if rep, err = fuzzdrive.Run(ctx, opts, stderr); err != nil {
			return usageError(stderr, err.Error())
		}
		if err := rep.Add(lf.Results...); err != nil {
			return usageError(stderr, err.Error())
		}
	} else {
		rep = lf.Report(*libfuzzer)
	}
	write := map[string]func(io.Writer, fuzzdrive.Report) error{report.Text: fuzzdrive.WriteText, report.JSON: fuzzdrive.WriteJSON, report.Markdown: fuzzdrive.WriteMarkdown}[f]
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "fuzzreport: writing the report: %v\n", err)
		return 1
	}
	if *findingsPass && rep.Ran() || !*findingsPass && rep.OK() {
		return 0
	}
	return 1
}

// shardFlag is the value of -shard: i/n, 1 ≤ i ≤ n.
type shardFlag struct{ i, n int }

func (s *shardFlag) String() string {
	if s == nil || s.n == 0 {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.i, s.n)
}

func (s *shardFlag) Set(v string) error {
	is, ns, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("want i/n, as in 1/4")
	}
	if err := fuzzdrive.CheckShard(i, n); err != nil {
		return err
	}
	s.i, s.n = i, n
	return nil
}
