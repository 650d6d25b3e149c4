package fuzzdrive

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gradcheck/gradcheck/internal/cmdline"
	"github.com/gradcheck/gradcheck/internal/proc"
)

// interruptGrace is how long a go command gets to exit after SIGINT before
// it is killed. go's fuzz coordinator gives its workers 1 s to stop after
// SIGINT and 1 s more after SIGKILL (internal/fuzz workerTimeoutDuration),
// and the go command then removes its work directory; 5 s is ample.
const interruptGrace = 5 * time.Second

// testHookStarted, if set, is called with the pid of every go command
// started; it leads its own process group.
var testHookStarted func(pid int)

// goResult is the outcome of runGo.
type goResult struct {
	startErr    error // the command could not start
	exitCode    int   // -1 when killed by a signal or not started
	timedOut    bool  // stopped because it ran longer than its timeout
	interrupted bool  // stopped because ctx was cancelled
	elapsed     time.Duration
}

// status describes how the command ended, for messages.
func (r goResult) status() string {
	switch {
	case r.startErr != nil:
		return r.startErr.Error()
	case r.exitCode == -1:
		return "killed by a signal"
	}
	return "exit status " + strconv.Itoa(r.exitCode)
}

// runGo runs opts.GoCmd with args in opts.Dir, in a process group of its
// own: go test starts the test binary, which starts fuzz workers, and all of
// them must stop together. When ctx is cancelled or timeout passes, the
// group gets SIGINT, so that go stops fuzzing cleanly and removes its work
// directory, then SIGKILL after interruptGrace. Whatever is left of the
// group when the go command exits is killed, so no worker outlives it.
func runGo(ctx context.Context, opts Options, timeout time.Duration, stdout, stderr io.Writer, args ...string) goResult {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(tctx, opts.GoCmd, args...)
	cmd.Dir = opts.Dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	proc.NewGroup(cmd)
	var cancelled atomic.Bool
	cmd.Cancel = func() error {
		cancelled.Store(true)
		return proc.Interrupt(cmd.Process)
	}
	cmd.WaitDelay = interruptGrace

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return goResult{startErr: err, exitCode: -1, interrupted: ctx.Err() != nil}
	}
	if testHookStarted != nil {
		testHookStarted(cmd.Process.Pid)
	}
	cmd.Wait()
	proc.Kill(cmd.Process)
	r := goResult{exitCode: -1, elapsed: time.Since(start)}
	if cmd.ProcessState != nil {
		r.exitCode = cmd.ProcessState.ExitCode()
	}
	// cmd.Cancel runs only if the context ended before the command did.
	if cancelled.Load() {
		r.interrupted = ctx.Err() != nil
		r.timedOut = !r.interrupted
	}
	return r
}

// runTarget fuzzes one target and judges the outcome. A run that ends in
// the go command's own deadline error (a flake candidate, see
// fuzzOutput.verdict) is run once more: a second one is reported as
// Flake, anything else as what the second run gave, with a note.
func runTarget(ctx context.Context, opts Options, t fuzzTarget, progress io.Writer) Result {
	first := runTargetOnce(ctx, opts, t)
	if first.Verdict != Flake {
		return first
	}
	fmt.Fprintf(progress, "fuzzreport: %s %s: go's fuzz coordinator failed on its deadline with no failing input (a known go command flake); running it once more\n", t.pkg.ImportPath, t.name)
	second := runTargetOnce(ctx, opts, t)
	second.ElapsedSeconds += first.ElapsedSeconds
	if second.Verdict == Flake {
		second.Note = "twice in a row, " + second.Note
		return second
	}
	second.Note = strings.TrimPrefix(second.Note+"; ", "; ") + "on a second run: the first ended in go's coordinator deadline error with no failing input"
	return second
}

// runTargetOnce fuzzes one target once and judges the outcome.
func runTargetOnce(ctx context.Context, opts Options, t fuzzTarget) Result {
	args := []string{"test", "-run=^$", "-fuzz=^" + t.name + "$", "-fuzztime=" + opts.FuzzTime.String(), pkgArg(opts, t.pkg)}
	out := newFuzzOutput()
	r := runGo(ctx, opts, opts.Timeout, out, out, args...)
	out.flush()
	res := Result{
		Package:        t.pkg.ImportPath,
		Target:         t.name,
		ElapsedSeconds: r.elapsed.Seconds(),
		Execs:          out.execs,
		NewInteresting: out.newInteresting,
	}
	res.Verdict, res.Note = out.verdict(r, opts)
	if res.Verdict == Pass {
		return res
	}
	res.OutputTail = out.String()
	res.ReplayCommand = cmdline.Go(args)
	if res.Verdict == Fail {
		name := out.failingName()
		if p := out.failingFile(t.pkg.Dir, t.name); p != "" {
			res.FailingInput = relTo(opts.Dir, p)
		}
		run := "^" + regexp.QuoteMeta(t.name) + "$/^" + regexp.QuoteMeta(name) + "$"
		res.ReplayCommand = cmdline.Go([]string{"test", "-run=" + run, pkgArg(opts, t.pkg)})
	}
	return res
}

// relTo returns path relative to dir if it lies within dir, else path.
func relTo(dir, path string) string {
	if rel, ok := under(dir, path); ok {
		return rel
	}
	return path
}

// Lines of go test -fuzz output; see testing/fuzz.go and
// internal/fuzz/fuzz.go (logStats) in the Go source tree.
var (
	// "fuzz: elapsed: 3s, execs: 266629 (88779/sec), new interesting: 6 (total: 10)";
	// without coverage instrumentation the "new interesting" part is absent.
	statsRE = regexp.MustCompile(`^fuzz: elapsed: \S+, execs: (\d+) \([^)]*\)(?:, new interesting: (\d+) )?`)
	// "fuzz: elapsed: 0s, gathering baseline coverage: 0/4 completed[, now fuzzing with 2 workers]",
	// or "testing seed corpus" without coverage instrumentation.
	warmupRE = regexp.MustCompile(`^fuzz: elapsed: \S+, (?:gathering baseline coverage|testing seed corpus): (\d+)/(\d+) completed(, now fuzzing)?`)
	// "Failing input written to testdata/fuzz/FuzzX/4bb07c36e1385c9d", relative
	// to the package directory.
	crashRE = regexp.MustCompile(`^Failing input written to (.+)$`)
	// "failure while testing seed corpus entry: FuzzX/seed#0": no file is written.
	seedFailRE = regexp.MustCompile(`^failure while testing seed corpus entry: [^/]+/(.+)$`)
)

// fuzzOutput parses go test -fuzz output as it is written and keeps its
// tail. It holds O(tailLines) memory whatever the output's size.
type fuzzOutput struct {
	tail
	execs, newInteresting      int64
	warmupDone, warmupTotal    int  // last warm-up progress line
	warmupSeen, fuzzingStarted bool // a warm-up line; its end or a stats line
	crashPath                  string
	seedFailure                string
	workerDied                 bool // go's message for a crashed or hung worker
	noFuzzTarget               bool // go test found no target to fuzz
	// deadlineError is go's fuzz coordinator's own error at the end of a
	// -fuzztime duration, printed as the target's failure: "context
	// deadline exceeded" alone on a line. It is a race in the coordinator
	// (golang/go#75804, fixed in go1.27): a failing input would have been
	// written first. A -fuzztime count (100x) has no deadline to race.
	deadlineError bool
}

func newFuzzOutput() *fuzzOutput {
	o := &fuzzOutput{}
	o.tail.onLine = o.parseLine
	return o
}

func (o *fuzzOutput) parseLine(line string) {
	line = strings.TrimSpace(line)
	if m := statsRE.FindStringSubmatch(line); m != nil {
		o.fuzzingStarted = true
		o.execs, _ = strconv.ParseInt(m[1], 10, 64)
		if m[2] != "" {
			o.newInteresting, _ = strconv.ParseInt(m[2], 10, 64)
		}
	} else if m := warmupRE.FindStringSubmatch(line); m != nil {
		o.warmupSeen = true
		o.warmupDone, _ = strconv.Atoi(m[1])
		o.warmupTotal, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			o.fuzzingStarted = true
		}
	} else if m := crashRE.FindStringSubmatch(line); m != nil {
		o.crashPath = m[1]
	} else if m := seedFailRE.FindStringSubmatch(line); m != nil {
		o.seedFailure = m[1]
	} else if strings.HasPrefix(line, "fuzzing process hung or terminated unexpectedly") {
		o.workerDied = true
	} else if line == "context deadline exceeded" {
		o.deadlineError = true
	} else if strings.Contains(line, "no fuzz tests to fuzz") {
		o.noFuzzTarget = true
	}
}

// failingName is the name of the failing corpus entry, as a subtest name.
func (o *fuzzOutput) failingName() string {
	if o.crashPath != "" {
		return filepath.Base(o.crashPath)
	}
	return o.seedFailure
}

// failingFile is the failing input's file, or "" for an f.Add seed.
func (o *fuzzOutput) failingFile(pkgDir, target string) string {
	if o.crashPath != "" {
		if filepath.IsAbs(o.crashPath) {
			return o.crashPath
		}
		return filepath.Join(pkgDir, o.crashPath)
	}
	// A seed from testdata/fuzz fails under its file name, one from f.Add
	// as "seed#N", which names no file.
	p := filepath.Join(pkgDir, "testdata", "fuzz", target, o.seedFailure)
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p
	}
	return ""
}

// verdict judges a target from go test's result and output, with a note
// where the output alone would mislead.
func (o *fuzzOutput) verdict(r goResult, opts Options) (verdict, note string) {
	failing := o.crashPath != "" || o.seedFailure != ""
	switch {
	case r.startErr != nil && !r.interrupted:
		return Error, r.startErr.Error()
	case failing:
		// Even when interrupted or timed out: the input is real.
		switch {
		case o.seedFailure != "" && strings.HasPrefix(o.seedFailure, "seed#"):
			note = "an f.Add seed fails"
		case o.seedFailure != "":
			note = "a file of its seed corpus fails: a failing input of an earlier run, if not added by hand"
		case o.workerDied:
			note = "the fuzz worker crashed, exited or hung (go's 10 s per-input deadlock guard) on this input"
		}
		return Fail, note
	case r.interrupted:
		return Interrupted, ""
	case r.timedOut:
		return Timeout, fmt.Sprintf("go test ran longer than -timeout %v (build included) and was stopped", opts.Timeout)
	case r.exitCode != 0:
		if r.exitCode == -1 {
			return Crash, "go test was killed by a signal"
		}
		if o.deadlineError && r.exitCode == 1 {
			return Flake, "go test failed with go's fuzz coordinator error \"context deadline exceeded\" at the end of -fuzztime and wrote no failing input: a failure of the go command, not of the code"
		}
		return Crash, "go test failed without a failing input"
	case o.noFuzzTarget:
		return Error, "go test found no fuzz target by this name"
	case o.warmupSeen && !o.fuzzingStarted && o.warmupDone == 0:
		// go's fuzz workers have a 10 s deadlock guard per input; within a
		// shorter -fuzztime go stops them at the deadline and says PASS.
		return Timeout, fmt.Sprintf("the fuzz function returned on none of the %d seed corpus entries within -fuzztime %v: go test said PASS, but nothing was fuzzed", o.warmupTotal, opts.FuzzTime)
	}
	return Pass, ""
}

// Bounds of the output kept: enough for a failure message and a few stack
// frames, bounded whatever a target prints.
const (
	tailLines    = 40
	maxLineBytes = 1024
)

// tail is an io.Writer that keeps the last tailLines lines written, each
// cut at maxLineBytes, and passes each complete line to onLine.
type tail struct {
	lines   []string
	partial []byte
	cut     bool // partial lost bytes to maxLineBytes
	onLine  func(string)
}

func (t *tail) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if room := maxLineBytes - len(t.partial); len(chunk) > room {
			chunk, t.cut = chunk[:max(room, 0)], true
		}
		t.partial = append(t.partial, chunk...)
		if i < 0 {
			break
		}
		t.endLine()
		p = p[i+1:]
	}
	return n, nil
}

// endLine ends the partial line.
func (t *tail) endLine() {
	line := string(t.partial)
	if t.cut {
		line += " …"
	}
	t.partial, t.cut = t.partial[:0], false
	if t.onLine != nil {
		t.onLine(line)
	}
	t.push(line)
}

func (t *tail) push(line string) {
	t.lines = append(t.lines, line)
	if len(t.lines) > tailLines {
		t.lines = append(t.lines[:0], t.lines[len(t.lines)-tailLines:]...)
	}
}

// flush ends a last line written without a newline.
func (t *tail) flush() {
	if len(t.partial) > 0 || t.cut {
		t.endLine()
	}
}

// add appends the lines of u, which may be nil, without parsing them.
func (t *tail) add(u *tail) {
	if u == nil {
		return
	}
	for _, l := range u.lines {
		t.push(l)
	}
	if len(u.partial) > 0 {
		t.push(string(u.partial))
	}
}

func (t *tail) empty() bool { return len(t.lines) == 0 && len(t.partial) == 0 }

// String returns the lines kept, each ended by a newline.
func (t *tail) String() string {
	var b strings.Builder
	for _, l := range t.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if len(t.partial) > 0 {
		b.Write(t.partial)
		b.WriteByte('\n')
	}
	return b.String()
}
