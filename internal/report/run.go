package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/gradcheck/gradcheck/internal/cmdline"
)

// Defaults of a Config.
const (
	DefaultOutDir = "fuzzreport-out"
	// DefaultSeed makes the default run reproducible; 1 is also the seed
	// of the suites' and mutants' tests and of bench.StudyFuncs' default.
	DefaultSeed   = 1
	DefaultChecks = 100
	// itemTimeoutBase and itemTimeoutPerCase make the default Timeout of
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

// Config configures a run of the harness. Resolve checks it and fills in
// the defaults; Run takes a resolved Config.
type Config struct {
	// Seed is rapid's seed and the eps study's; 0 picks one at random.
	Seed uint64
	// Checks is the number of cases per property suite and per mutant.
	Checks int
	// Run selects the items whose id matches it, "" for all.
	Run string
	// Timeout bounds each item; 0 means 1 min + 50 ms per case.
	Timeout time.Duration
	// Parallel is the number of worker processes.
	Parallel int
	// OutDir is where WriteFiles writes, "" for nowhere.
	OutDir string
	// Invocation is how the user runs this command, the start of the
	// rerun and replay commands; "" means "go run ./cmd/fuzzreport".
	Invocation string

	// harness names the items' harness in harnesses; "" is the default.
	harness string
	// items are the selected items, set by Resolve.
	items []item
	// timeoutSet records that Timeout was given, for the rerun command.
	timeoutSet bool
}

// activeHarness is the harness Resolve uses; the package's tests change it.
var activeHarness = "default"

// Resolve validates c, fills in its defaults, selects its items and makes
// sure that the files can be written to OutDir (creating it), before
// anything runs. The error says which setting is wrong and what is wanted.
func (c Config) Resolve() (Config, error) {
	if c.harness == "" {
		c.harness = activeHarness
	}
	if c.Checks < 1 {
		return c, fmt.Errorf("-checks %d: want at least 1", c.Checks)
	}
	if c.Parallel < 1 {
		return c, fmt.Errorf("-parallel %d: want at least 1", c.Parallel)
	}
	if c.Seed == 0 {
		// A seed short enough to type, and exact in any JSON reader.
		c.Seed = 1 + rand.Uint64N(1<<31)
	}
	switch {
	case c.Timeout < 0:
		return c, fmt.Errorf("-timeout %v: want a positive duration", c.Timeout)
	case c.Timeout == 0:
		c.Timeout = itemTimeoutBase + time.Duration(c.Checks)*itemTimeoutPerCase
	default:
		c.timeoutSet = true
	}
	if c.Invocation == "" {
		c.Invocation = "go run ./cmd/fuzzreport"
	}
	h, ok := harnesses[c.harness]
	if !ok {
		return c, fmt.Errorf("no harness %q", c.harness)
	}
	items, err := selectItems(h(c.Seed), c.Run)
	if err != nil {
		return c, err
	}
	c.items = items
	if c.OutDir != "" {
		if err := checkOutDir(c.OutDir); err != nil {
			return c, err
		}
	}
	return c, nil
}

// checkOutDir makes sure that files can be written to dir: it creates it
// if needed, and writes and removes a file there.
func checkOutDir(dir string) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("-out %s: a file, want a folder (or -out '' for no files)", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out %s: cannot create the folder: %v", dir, err)
	}
	f, err := os.CreateTemp(dir, ".fuzzreport-check-*")
	if err != nil {
		return fmt.Errorf("-out %s: cannot write there: %v", dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// command is the command that reruns the same checks.
func (c Config) command() string {
	args := []string{c.Invocation, fmt.Sprintf("-seed %d -checks %d", c.Seed, c.Checks)}
	if c.Run != "" {
		args = append(args, "-run "+cmdline.Quote(c.Run))
	}
	if c.timeoutSet {
		args = append(args, "-timeout "+c.Timeout.String())
	}
	return strings.Join(args, " ")
}

// replay is the command that reruns the item id alone.
func (c Config) replay(id string) string {
	c.Run = "^" + regexp.QuoteMeta(id) + "$"
	return c.command()
}

// Run runs the items of cfg, which Resolve returned, in worker processes
// and returns the report, writing progress lines to progress. A crash or a
// hang of an item is in its row, and the run goes on. When ctx is
// cancelled, the running items are stopped and the others reported as not
// run. The error is for a run that could not start.
func Run(ctx context.Context, cfg Config, progress io.Writer) (Report, error) {
	if cfg.items == nil {
		return Report{}, errors.New("report: Run of a Config that Resolve did not return")
	}
	start := time.Now()
	exe, err := os.Executable()
	if err != nil {
		return Report{}, fmt.Errorf("finding this command's executable for its workers: %v", err)
	}
	p := &pool{
		exe:      exe,
		hello:    workerHello{Harness: cfg.harness, Seed: cfg.Seed, Checks: cfg.Checks, Run: cfg.Run},
		timeout:  cfg.Timeout,
		parallel: cfg.Parallel,
		items:    cfg.items,
	}
	fmt.Fprintf(progress, "fuzzreport: seed %d, %s per suite and per mutant, %s, -timeout %v per item\n", cfg.Seed, plural(cfg.Checks, "case", "cases"), plural(cfg.Parallel, "worker", "workers"), cfg.Timeout)
	outs := runStages(ctx, cfg, p, progress)
	p.close()

	interrupted := false
	for _, o := range outs {
		interrupted = interrupted || o.verdict() == verdictInterrupted || ctx.Err() != nil && o.verdict() == verdictNotRun
	}
	rep := newReport(cfg, cfg.items, outs, interrupted)
	rep.Elapsed = time.Since(start).Seconds()
	return rep, nil
}

// runStages runs the items stage by stage and returns their outcomes, in
// the items' order; an item that did not run has its meta outcome.
func runStages(ctx context.Context, cfg Config, p *pool, stderr io.Writer) []outcome {
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

// Formats of the report that Main prints.
const (
	Text     = "text"
	JSON     = "json"
	Markdown = "md"
)

// Main is the harness command once its flags are parsed: it resolves cfg,
// runs it, writes the files to cfg.OutDir and prints the report to stdout
// in format (Text, JSON or Markdown), progress and errors to stderr. It
// returns the exit code: 0 if the run passed and its files were written,
// 1 if not, 2 if cfg is wrong (one line on stderr, before any work).
func Main(ctx context.Context, cfg Config, format string, stdout, stderr io.Writer) int {
	start := time.Now()
	write := map[string]func(io.Writer, Report) error{Text: WriteText, JSON: WriteJSON, Markdown: WriteMarkdown}[format]
	if write == nil {
		fmt.Fprintf(stderr, "fuzzreport: format %q: want text, json or md\n", format)
		return 2
	}
	cfg, err := cfg.Resolve()
	if err != nil {
		fmt.Fprintf(stderr, "fuzzreport: %s\n", cmdline.OneLine(err.Error()))
		return 2
	}
	rep, err := Run(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "fuzzreport: %v\n", err)
		return 1
	}
	code := 0
	if cfg.OutDir != "" {
		if err := WriteFiles(&rep, cfg.OutDir); err != nil {
			fmt.Fprintf(stderr, "fuzzreport: writing the files: %v\n", err)
			code = 1
		} else {
			fmt.Fprintf(stderr, "fuzzreport: wrote %s (%.1fs)\n", filesLine(rep), time.Since(start).Seconds())
		}
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
