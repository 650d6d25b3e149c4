package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// Defaults of the default mode.
const (
	defaultOutDir = "fuzzreport-out"
	// defaultSeed makes the default run reproducible; 1 is also the seed
	// of the suites' and mutants' tests and of bench.StudyFuncs' default.
	defaultSeed   = 1
	defaultChecks = 100
	// itemTimeoutBase and itemTimeoutPerCase make the default -timeout of
	// an item: 1 min plus 50 ms per case. Measured on one core of the
	// 2-core reference machine, the slowest item takes 0.08 s at 100 cases
	// and 0.11 s at 1000 (suites/Logistic/convex; the eps study of one
	// function, 0.08 s, does not depend on the cases): the bound is
	// hundreds of times that, room for a slow or loaded CI machine, and
	// still stops a hang within minutes.
	itemTimeoutBase    = time.Minute
	itemTimeoutPerCase = 50 * time.Millisecond
	// progressEvery is the least time between two progress lines of a
	// stage, beside its first and last lines and its problems.
	progressEvery = 2 * time.Second
)

// reportFlags are the flags of the default mode; -json, -md and -timeout
// are shared with the -fuzz mode (fuzzFlags).
type reportFlags struct {
	out      string
	seed     uint64
	checks   int
	parallel int
	run      string
}

// reportOnly are the flags of the default mode that the -fuzz mode rejects,
// fuzzOnly those of the -fuzz mode that the default mode rejects.
var (
	reportOnly = []string{"out", "seed", "checks", "parallel", "run"}
	fuzzOnly   = []string{"fuzztime", "shard", "C", "dir"}
)

// register defines the default mode's flags on fs.
func (f *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "out", defaultOutDir, "write report.json, report.md and the eps plots to `dir` ('' writes no files)")
	fs.Uint64Var(&f.seed, "seed", defaultSeed, "seed `n` of rapid and of the eps study's data; 0 picks one at random and prints it")
	fs.IntVar(&f.checks, "checks", defaultChecks, "check `n` cases per property suite and per mutant")
	fs.IntVar(&f.parallel, "parallel", runtime.GOMAXPROCS(0), "run `n` items at a time, each in a worker process (the report does not depend on it)")
	fs.StringVar(&f.run, "run", "", "run only the items whose id matches `regexp`: suites/MSE/gradient, mutants/mse/missing-2, eps/exp")
}

// reportConfig is the resolved configuration of a default-mode run.
type reportConfig struct {
	Seed   uint64
	Checks int
	// Run is the -run pattern and match its compiled form, nil for all.
	Run   string
	match func(string) bool
	// Timeout bounds each item; TimeoutSet records that it was given, for
	// the rerun command.
	Timeout    time.Duration
	TimeoutSet bool
	Parallel   int
	// OutDir is where the files go, "" for none.
	OutDir string
	// Harness names the items' harness in harnesses.
	Harness string
}

// activeHarness is the harness of the default mode; tests change it.
var activeHarness = "default"

// reportConfigOf validates the flags and resolves them; the error is a
// usage error.
func reportConfigOf(f *reportFlags, timeout time.Duration, timeoutSet bool) (reportConfig, error) {
	cfg := reportConfig{
		Seed: f.seed, Checks: f.checks, Run: f.run, Parallel: f.parallel,
		OutDir: f.out, Timeout: timeout, TimeoutSet: timeoutSet, Harness: activeHarness,
	}
	if cfg.Checks < 1 {
		return cfg, fmt.Errorf("-checks %d: want at least 1", cfg.Checks)
	}
	if cfg.Parallel < 1 {
		return cfg, fmt.Errorf("-parallel %d: want at least 1", cfg.Parallel)
	}
	if cfg.Seed == 0 {
		// A seed short enough to type, and exact in any JSON reader.
		cfg.Seed = 1 + rand.Uint64N(1<<31)
	}
	switch {
	case timeoutSet && timeout <= 0:
		return cfg, fmt.Errorf("-timeout %v: want a positive duration", timeout)
	case !timeoutSet:
		cfg.Timeout = itemTimeoutBase + time.Duration(cfg.Checks)*itemTimeoutPerCase
	}
	if cfg.Run != "" {
		re, err := regexp.Compile(cfg.Run)
		if err != nil {
			return cfg, fmt.Errorf("-run %s: %v", cfg.Run, err)
		}
		cfg.match = re.MatchString
	}
	return cfg, nil
}

// command is the command that reruns the same checks.
func (c reportConfig) command() string {
	args := []string{"go run ./cmd/fuzzreport", fmt.Sprintf("-seed %d -checks %d", c.Seed, c.Checks)}
	if c.Run != "" {
		args = append(args, "-run "+shellQuote(c.Run))
	}
	if c.TimeoutSet {
		args = append(args, "-timeout "+c.Timeout.String())
	}
	return strings.Join(args, " ")
}

// replay is the command that reruns the item id alone.
func (c reportConfig) replay(id string) string {
	c.Run = "^" + regexp.QuoteMeta(id) + "$"
	return c.command()
}

// runReportMode runs the default mode with cfg and prints the report to
// stdout in format ("text", "json" or "md"), progress to stderr. It returns
// the exit code: 0 if the run passed and its files were written, 1 if not,
// 2 for a usage error.
func runReportMode(ctx context.Context, cfg reportConfig, format string, stdout, stderr io.Writer) int {
	start := time.Now()
	h, ok := harnesses[cfg.Harness]
	if !ok {
		return usageError(stderr, fmt.Sprintf("no harness %q", cfg.Harness))
	}
	items, err := selectItems(h(cfg.Seed), cfg.match, cfg.Run)
	if err != nil {
		return usageError(stderr, err.Error())
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "fuzzreport: finding this command's executable for its workers: %v\n", err)
		return 1
	}
	p := &pool{
		exe:      exe,
		hello:    workerHello{Harness: cfg.Harness, Seed: cfg.Seed, Checks: cfg.Checks, Run: cfg.Run},
		timeout:  cfg.Timeout,
		parallel: cfg.Parallel,
		items:    items,
	}
	fmt.Fprintf(stderr, "fuzzreport: seed %d, %s per suite and per mutant, %s, -timeout %v per item\n", cfg.Seed, plural(cfg.Checks, "case", "cases"), plural(cfg.Parallel, "worker", "workers"), cfg.Timeout)
	outs := runStages(ctx, cfg, p, stderr)
	p.close()

	interrupted := false
	for _, o := range outs {
		interrupted = interrupted || o.verdict() == verdictInterrupted || ctx.Err() != nil && o.verdict() == verdictNotRun
	}
	rep := newReport(cfg, items, outs, interrupted)
	rep.Elapsed = time.Since(start).Seconds()
	code := 0
	if cfg.OutDir != "" {
		if err := writeReportFiles(&rep, cfg.OutDir); err != nil {
			fmt.Fprintf(stderr, "fuzzreport: %v\n", err)
			code = 1
		} else {
			fmt.Fprintf(stderr, "fuzzreport: wrote %s (%.1fs)\n", filesLine(rep), time.Since(start).Seconds())
		}
	}
	write := writeReportText
	switch format {
	case "json":
		write = writeReportJSON
	case "md":
		write = writeReportMarkdown
	}
	if err := write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "fuzzreport: writing the report: %v\n", err)
		code = 1
	}
	if !rep.Passed {
		code = 1
	}
	return code
}

// runStages runs the items stage by stage and returns their outcomes, in
// the items' order; an item that did not run has its meta outcome.
func runStages(ctx context.Context, cfg reportConfig, p *pool, stderr io.Writer) []outcome {
	outs := make([]outcome, len(p.items))
	for k, it := range p.items {
		outs[k] = it.meta
	}
	for si, st := range stages {
		var idx []int
		for k, it := range p.items {
			if it.stage == st.name {
				idx = append(idx, k)
			}
		}
		tag := fmt.Sprintf("fuzzreport: [%d/%d] %s", si+1, len(stages), st.title)
		switch {
		case len(idx) == 0:
			fmt.Fprintf(stderr, "%s: none selected by -run\n", tag)
			continue
		case ctx.Err() != nil:
			fmt.Fprintf(stderr, "%s: %d not run (interrupted)\n", tag, len(idx))
			continue
		}
		fmt.Fprintf(stderr, "%s: %d %s\n", tag, len(idx), st.unit)
		stageStart, last, n := time.Now(), time.Now(), 0
		p.run(ctx, idx, func(k int, o outcome) {
			id := p.items[k].id()
			o.setReplay(cfg.replay(id))
			outs[k] = o
			n++
			if v := o.verdict(); v != verdictPass && v != verdictDetected && v != verdictDone && v != verdictNotRun {
				fmt.Fprintf(stderr, "%s: %s %s%s\n", tag, strings.ToUpper(v), id, noteSuffix(o))
			}
			if now := time.Now(); now.Sub(last) >= progressEvery && n < len(idx) {
				fmt.Fprintf(stderr, "%s: %d/%d (%.1fs)\n", tag, n, len(idx), now.Sub(stageStart).Seconds())
				last = now
			}
		})
		fmt.Fprintf(stderr, "%s: %s (%.1fs)\n", tag, stageSummary(st.name, outs, idx), time.Since(stageStart).Seconds())
	}
	return outs
}

// noteSuffix is ": " and the first line of the outcome's note or failure,
// for a progress line.
func noteSuffix(o outcome) string {
	var s string
	switch {
	case o.Property != nil:
		s = o.Property.Note
		if s == "" {
			s = o.Property.Failure
		}
	case o.Mutant != nil:
		s = o.Mutant.Note
	case o.Eps != nil:
		s = o.Eps.Function.Note
	}
	if s = firstLine(s); s == "" {
		return ""
	}
	return ": " + s
}

// verdictOrder is the order in which counts of verdicts are printed,
// verdictWords the words they are printed with.
var (
	verdictOrder = []string{verdictPass, verdictFail, verdictDetected, verdictSurvived, verdictDone, verdictCrash, verdictTimeout, verdictInterrupted, verdictNotRun}
	verdictWords = map[string]string{
		verdictPass: "passed", verdictFail: "failed", verdictDetected: "detected", verdictSurvived: "survived",
		verdictDone: "done", verdictCrash: "crashed", verdictTimeout: "timed out", verdictInterrupted: "interrupted",
		verdictNotRun: "not run",
	}
)

// plural is "1 case" or "n cases".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// stageSummary counts the verdicts of a stage's items, in a fixed order.
func stageSummary(stage string, outs []outcome, idx []int) string {
	counts := map[string]int{}
	wrong := 0
	for _, k := range idx {
		counts[outs[k].verdict()]++
		if m := outs[k].Mutant; m != nil && m.Detected && !m.DiagnosisCorrect {
			wrong++
		}
	}
	var parts []string
	for _, v := range verdictOrder {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], verdictWords[v]))
		}
	}
	if stage == stageMutants && counts[verdictDetected] > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d diagnosed right", counts[verdictDetected]-wrong, counts[verdictDetected]))
	}
	return strings.Join(parts, ", ")
}
