package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"

	"github.com/gradcheck/gradcheck/internal/report"
)

const reportUsage = "usage: fuzzreport [-out dir] [-seed n] [-checks n] [-run regexp] [-parallel n] [-timeout d] [-json | -md]\n" +
	"       fuzzreport fuzz [flags] patterns (fuzzreport fuzz -h for its flags)"

// runReport runs the harness report with its flags args.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fuzzreport", flag.ContinueOnError)
	cfg := report.Config{Invocation: invocation()}
	fs.StringVar(&cfg.OutDir, "out", report.DefaultOutDir, "write report.json, report.md and the eps plots to `dir`, relative to the current folder ('' writes no files)")
	fs.Uint64Var(&cfg.Seed, "seed", report.DefaultSeed, "seed `n` of rapid and of the eps study's data; 0 picks one at random and prints it")
	fs.IntVar(&cfg.Checks, "checks", report.DefaultChecks, "check `n` cases per property suite and per mutant")
	fs.IntVar(&cfg.Parallel, "parallel", runtime.GOMAXPROCS(0), "run `n` items at a time, each in a worker process (the report does not depend on it)")
	fs.StringVar(&cfg.Run, "run", "", "run only the items whose id matches `regexp`: suites/MSE/gradient, mutants/mse/missing-2, eps/exp")
	fs.DurationVar(&cfg.Timeout, "timeout", 0, "stop an item that runs longer than `d` (default 1m + 50ms per case)")
	out := addOutputFlags(fs, "print report.json instead of the text report", "print report.md instead of the text report")
	if code, done := parseFlags(fs, reportUsage, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("unexpected argument %q: the fuzz driver is fuzzreport fuzz %s", fs.Arg(0), fs.Arg(0)))
	}
	if err := checkTimeout(fs, cfg.Timeout); err != nil {
		return usageError(stderr, err.Error())
	}
	f, err := out.format()
	if err != nil {
		return usageError(stderr, err.Error())
	}
	return report.Main(ctx, cfg, f, stdout, stderr)
}
