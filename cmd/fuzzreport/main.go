package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gradcheck/gradcheck/internal/cmdline"
	"github.com/gradcheck/gradcheck/internal/report"
)

func main() {
	if report.IsWorker() {
		os.Exit(report.WorkerMain())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command with its arguments; it returns the exit code. The
// first argument "fuzz" selects the fuzz driver; anything else is the
// harness report's flags. A -fuzz flag among them is the fuzz driver's
// old, deprecated spelling.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "fuzz" {
		return runFuzz(ctx, args[1:], stdout, stderr)
	}
	if fuzzArgs, ok := deprecatedFuzz(args); ok {
		fmt.Fprintln(stderr, "fuzzreport: -fuzz patterns is deprecated: use fuzzreport fuzz [flags] patterns")
		return runFuzz(ctx, fuzzArgs, stdout, stderr)
	}
	return runReport(ctx, args, stdout, stderr)
}

// deprecatedFuzz rewrites the arguments of the old fuzz mode, flags with a
// -fuzz patterns among them and maybe more patterns after them, into those
// of fuzzreport fuzz: the flags, then the patterns. It reports whether
// there was a -fuzz flag.
func deprecatedFuzz(args []string) ([]string, bool) {
	var flags, patterns []string
	found := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !strings.HasPrefix(a, "-") || a == "-" || a == "--":
			// The first non-flag ends the flags, as in package flag.
			patterns = append(patterns, args[i:]...)
			i = len(args)
		case name == "fuzz":
			found = true
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			patterns = append(patterns, strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
		default:
			flags = append(flags, a)
			// Every flag of fuzzreport fuzz but the booleans takes a value.
			if !hasValue && !boolFlags[name] && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	if !found {
		return nil, false
	}
	if len(patterns) == 0 {
		patterns = []string{""} // reported as "no package pattern"
	}
	return append(flags, patterns...), true
}

// boolFlags are the flags of fuzzreport fuzz that take no value.
var boolFlags = map[string]bool{"json": true, "md": true, "h": true, "help": true}

// parseFlags parses args with fs, which prints nothing itself. It returns
// the exit code to return now (0 after -h, 2 after an error, printed as
// one line) and whether to return it.
func parseFlags(fs *flag.FlagSet, usage string, args []string, stdout, stderr io.Writer) (int, bool) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return 0, true
	case err != nil:
		return usageError(stderr, err.Error()), true
	}
	return 0, false
}

// usageError prints msg as the one line of a usage error and returns its
// exit code.
func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "fuzzreport: %s\n", cmdline.OneLine(msg))
	return 2
}

// outputFlags are -json and -md, which choose the form of the printed report.
type outputFlags struct{ json, md *bool }

// addOutputFlags registers -json and -md on fs with their help texts.
func addOutputFlags(fs *flag.FlagSet, jsonUsage, mdUsage string) outputFlags {
	return outputFlags{json: fs.Bool("json", false, jsonUsage), md: fs.Bool("md", false, mdUsage)}
}

// format is the format of the report that -json and -md select, "text",
// "json" or "md" (report.Text, report.JSON, report.Markdown), or a usage
// error when both are given.
func (o outputFlags) format() (string, error) {
	switch {
	case *o.json && *o.md:
		return "", errors.New("-json and -md: choose one")
	case *o.json:
		return report.JSON, nil
	case *o.md:
		return report.Markdown, nil
	}
	return report.Text, nil
}

// checkTimeout returns a usage error if -timeout was given a duration d ≤ 0
// (left out, it is 0: the command's default).
func checkTimeout(fs *flag.FlagSet, d time.Duration) error {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "timeout" })
	if given && d <= 0 {
		return fmt.Errorf("-timeout %v: want a positive duration", d)
	}
	return nil
}
