package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// fuzzFlags are the flags of the -fuzz mode.
type fuzzFlags struct {
	patterns string
	fuzzTime time.Duration
	shard    shardFlag
	json     bool
	markdown bool
	dir      string
	timeout  time.Duration
}

// register defines the -fuzz mode's flags on fs.
func (f *fuzzFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.patterns, "fuzz", "", "fuzz the targets of the packages matching `patterns` (comma or space separated; more may follow the flags)")
	fs.DurationVar(&f.fuzzTime, "fuzztime", defaultFuzzTime, "fuzz each target for `d`")
	fs.Var(&f.shard, "shard", "run shard `i/n`: every n-th target, starting at the i-th (1-based)")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON (in the default mode, report.json)")
	fs.BoolVar(&f.markdown, "md", false, "print the report as Markdown (in the default mode, report.md)")
	fs.StringVar(&f.dir, "C", ".", "run the go commands in `dir`, a module root")
	fs.StringVar(&f.dir, "dir", ".", "same as -C")
	fs.DurationVar(&f.timeout, "timeout", 0, "with -fuzz, stop a target whose go test runs longer than `d`, build included (default fuzztime + 2m); else stop an item that runs longer (default 1m + 50ms per case)")
}

// runFuzzMode runs the -fuzz mode with the parsed flags f and the
// positional arguments args, which are more package patterns. It returns
// the exit code: 0 if every target passed, 1 if not, 2 for a usage error.
func runFuzzMode(ctx context.Context, f *fuzzFlags, args []string, stdout, stderr io.Writer) int {
	patterns := strings.FieldsFunc(f.patterns, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	patterns = append(patterns, args...)
	if len(patterns) == 0 {
		return usageError(stderr, "-fuzz: no package pattern, as in -fuzz ./...")
	}
	if f.json && f.markdown {
		return usageError(stderr, "-json and -md: choose one")
	}
	if f.fuzzTime <= 0 {
		return usageError(stderr, fmt.Sprintf("-fuzztime %v: want a positive duration", f.fuzzTime))
	}
	opts := fuzzOptions{
		Patterns: patterns,
		Dir:      f.dir,
		FuzzTime: f.fuzzTime,
		Shard:    f.shard.i,
		Shards:   f.shard.n,
		Timeout:  f.timeout,
	}
	rep, err := runFuzzTargets(ctx, opts, stderr)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	write := writeFuzzText
	switch {
	case f.json:
		write = writeFuzzJSON
	case f.markdown:
		write = writeFuzzMarkdown
	}
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "fuzzreport: writing the report: %v\n", err)
		return 1
	}
	return rep.exitCode()
}

// usageError prints msg as the one line of a usage error and returns its
// exit code.
func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "fuzzreport: %s\n", oneLine(msg))
	return 2
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
	if err := checkShard(i, n); err != nil {
		return err
	}
	s.i, s.n = i, n
	return nil
}
