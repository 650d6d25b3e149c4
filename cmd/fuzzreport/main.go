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
	if os.Getenv(workerEnv) != "" {
		os.Exit(workerMain())
	}
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
	var rep reportFlags
	rep.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: fuzzreport [-out dir] [-seed n] [-checks n] [-run regexp] [-parallel n] [-timeout d] [-json | -md]")
			fmt.Fprintln(stdout, "       fuzzreport [-C dir] [-fuzztime d] [-shard i/n] [-timeout d] [-json | -md] -fuzz patterns [patterns...]")
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return 0
		}
		return usageError(stderr, err.Error())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["fuzz"] {
		for _, name := range reportOnly {
			if set[name] {
				return usageError(stderr, fmt.Sprintf("-%s: a flag of the default mode, not of -fuzz", name))
			}
		}
		return runFuzzMode(ctx, &fuzz, fs.Args(), stdout, stderr)
	}
	for _, name := range fuzzOnly {
		if set[name] {
			return usageError(stderr, fmt.Sprintf("-%s: only with -fuzz", name))
		}
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Sprintf("unexpected argument %q: package patterns follow -fuzz", fs.Arg(0)))
	}
	if fuzz.json && fuzz.markdown {
		return usageError(stderr, "-json and -md: choose one")
	}
	cfg, err := reportConfigOf(&rep, fuzz.timeout, set["timeout"])
	if err != nil {
		return usageError(stderr, err.Error())
	}
	format := "text"
	switch {
	case fuzz.json:
		format = "json"
	case fuzz.markdown:
		format = "md"
	}
	return runReportMode(ctx, cfg, format, stdout, stderr)
}
