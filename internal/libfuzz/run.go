package libfuzz

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/gradcheck/gradcheck/internal/cmdline"
	"github.com/gradcheck/gradcheck/internal/fuzzdrive"
)

// Engine is the name of libFuzzer's rows in a fuzzdrive report.
const Engine = "libfuzzer"

// SummaryFile is the file of a libFuzzer run's directory that lists its
// targets; ReadRun reads it.
const SummaryFile = "summary.tsv"

// summaryColumns are the columns of SummaryFile, in order.
var summaryColumns = []string{"package", "target", "exit", "seconds", "log", "crash", "input", "replay", "replayed"}

// Run is what a libFuzzer run left in its directory.
type Run struct {
	// Module is the folder of the module whose targets ran; the inputs and
	// replay commands of Results are relative to it.
	Module string
	// Seconds is the time each target was given (-max_total_time).
	Seconds int
	// Results has one row per target, Engine "libfuzzer".
	Results []fuzzdrive.Result
}

// ReadRun reads the directory a libFuzzer run wrote (.ci/libfuzzer): its
// summary.tsv, whose comment lines "# module: dir" and "# seconds: n" give
// Run's fields and whose other lines have the tab-separated columns
//
//	package target exit seconds log crash input replay replayed
//
// (the first such line is this header): the target's import path and name,
// libFuzzer's exit status or "build" when the target did not build, the
// seconds it ran, its log (relative to dir: the build's output or
// libFuzzer's), the crash file libFuzzer wrote (relative to dir; "" if
// none), the corpus file written from it for go test and the command that
// replays it (both relative to the module; "" if none) and whether that
// replay failed as it should ("fails"), passed ("passes") or did not run
// (""). Each log gives the executions and new inputs (libFuzzer's final
// stats, -print_final_stats=1) and the output tail.
func ReadRun(dir string) (Run, error) {
	f, err := os.Open(filepath.Join(dir, SummaryFile))
	if err != nil {
		return Run{}, err
	}
	defer f.Close()
	var run Run
	sc := bufio.NewScanner(f)
	header := false
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if c, ok := strings.CutPrefix(line, "#"); ok {
			key, val, _ := strings.Cut(c, ":")
			switch strings.TrimSpace(key) {
			case "module":
				run.Module = strings.TrimSpace(val)
			case "seconds":
				run.Seconds, _ = strconv.Atoi(strings.TrimSpace(val))
			}
			continue
		}
		fields := strings.Split(line, "\t")
		if !header {
			if strings.Join(fields, " ") != strings.Join(summaryColumns, " ") {
				return Run{}, fmt.Errorf("%s line %d: header %q, want the columns %s", SummaryFile, n, line, strings.Join(summaryColumns, " "))
			}
			header = true
			continue
		}
		if len(fields) != len(summaryColumns) {
			return Run{}, fmt.Errorf("%s line %d: %d columns, want %d (%s)", SummaryFile, n, len(fields), len(summaryColumns), strings.Join(summaryColumns, " "))
		}
		res, err := result(dir, fields)
		if err != nil {
			return Run{}, fmt.Errorf("%s line %d: %v", SummaryFile, n, err)
		}
		run.Results = append(run.Results, res)
	}
	if err := sc.Err(); err != nil {
		return Run{}, err
	}
	if !header {
		return Run{}, fmt.Errorf("%s: no header line (%s)", SummaryFile, strings.Join(summaryColumns, " "))
	}
	return run, nil
}

// result is the report row of one line of the summary.
func result(dir string, f []string) (fuzzdrive.Result, error) {
	pkg, target, exit, secs, logName, crash, input, replay, replayed := f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8]
	res := fuzzdrive.Result{Engine: Engine, Package: pkg, Target: target}
	var err error
	if res.ElapsedSeconds, err = strconv.ParseFloat(secs, 64); err != nil {
		return res, fmt.Errorf("seconds %q: %v", secs, err)
	}
	var log string
	if logName != "" {
		b, err := os.ReadFile(filepath.Join(dir, logName))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return res, err
		}
		log = string(b)
	}
	res.Execs, res.NewInteresting = stats(log)
	if exit == "build" {
		res.Verdict = fuzzdrive.Error
		res.Note = "it does not build for libFuzzer (go-118-fuzz-build and clang)"
		res.OutputTail = tailLines(log, 40)
		return res, nil
	}
	code, err := strconv.Atoi(exit)
	if err != nil {
		return res, fmt.Errorf("exit %q: want a number or build", exit)
	}
	switch {
	case code == 0 && crash == "":
		res.Verdict = fuzzdrive.Pass
		return res, nil
	case crash != "" && strings.Contains(log, "libFuzzer: timeout"):
		res.Verdict = fuzzdrive.Timeout
	case crash != "":
		res.Verdict = fuzzdrive.Fail
	default:
		res.Verdict = fuzzdrive.Crash
		res.Note = fmt.Sprintf("libFuzzer exited %d without a crash file", code)
	}
	res.OutputTail = tailLines(log, 40)
	if msg := failureMessage(log); msg != "" {
		res.OutputTail = msg
	}
	if crash != "" {
		res.FailingInput = input
		res.ReplayCommand = replay
		notes := []string{"libFuzzer's input: " + filepath.Join(dir, crash)}
		switch {
		case input == "":
			notes = append(notes, "it could not be written for go test")
		case replayed == "fails":
			notes = append(notes, "go test replays the failure")
		case replayed == "passes":
			notes = append(notes, "go test passes on it: the failure depends on libFuzzer's build")
		}
		res.Note = strings.Join(notes, "; ")
	}
	return res, nil
}

var (
	statExecs = regexp.MustCompile(`(?m)^stat::number_of_executed_units:\s*(\d+)`)
	statNew   = regexp.MustCompile(`(?m)^stat::new_units_added:\s*(\d+)`)
	progress  = regexp.MustCompile(`(?m)^#(\d+)\s`)
)

// stats returns the executions and new inputs from a libFuzzer log: its
// final stats, or the last progress line (#N) if it printed none.
func stats(log string) (execs, newUnits int64) {
	if m := statExecs.FindAllStringSubmatch(log, -1); m != nil {
		execs, _ = strconv.ParseInt(m[len(m)-1][1], 10, 64)
	} else if m := progress.FindAllStringSubmatch(log, -1); m != nil {
		execs, _ = strconv.ParseInt(m[len(m)-1][1], 10, 64)
	}
	if m := statNew.FindAllStringSubmatch(log, -1); m != nil {
		newUnits, _ = strconv.ParseInt(m[len(m)-1][1], 10, 64)
	}
	return execs, newUnits
}

// tailLines returns the last n lines of s.
func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Report returns a fuzzdrive report of r alone, for a report with no go
// test -fuzz run beside it: its elapsed time is the sum of the targets',
// its rerun command the script's.
func (r Run) Report(dir string) fuzzdrive.Report {
	rep := fuzzdrive.Report{
		Dir:      r.Module,
		Patterns: []string{},
		FuzzTime: fmt.Sprintf("%ds", r.Seconds),
		Shard:    1,
		Shards:   1,
		Command:  fmt.Sprintf(".ci/libfuzzer -t %d -o %s %s", r.Seconds, cmdline.Quote(dir), cmdline.Quote(r.Module)),
		Targets:  []fuzzdrive.Result{},
	}
	for _, t := range r.Results {
		rep.ElapsedSeconds += t.ElapsedSeconds
	}
	rep.Add(r.Results...)
	return rep
}

// failureMessage returns what a target printed before its Go panic (the
// message of t.Fatalf, which go-118-fuzz-build prints, then panics) and the
// panic line, or "" if the log has no Go panic.
func failureMessage(log string) string {
	lines := strings.Split(log, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "panic: ") {
			continue
		}
		start := i
		for start > 0 && i-start < 8 && !libFuzzerLine(lines[start-1]) {
			start--
		}
		return strings.Join(lines[start:i+1], "\n")
	}
	return ""
}

// libFuzzerLine reports whether l is one of libFuzzer's own lines.
func libFuzzerLine(l string) bool {
	for _, p := range []string{"INFO:", "#", "MS:", "==", "Running:", "Executed "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return l == ""
}
