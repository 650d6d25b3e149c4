package libfuzz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/fuzzdrive"
)

// TestReadRun reads testdata/run, what .ci/libfuzzer wrote for a passing
// target, a failing one (real libFuzzer logs of the fixture module), one
// that did not build and one that timed out.
func TestReadRun(t *testing.T) {
	run, err := ReadRun("testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	if run.Module != "/home/user/mod" || run.Seconds != 5 {
		t.Errorf("module %q, seconds %d; want /home/user/mod and 5", run.Module, run.Seconds)
	}
	want := []struct {
		target, verdict  string
		execs, newInputs int64
		input, replay    string
		note, output     string
	}{
		{"FuzzMax", fuzzdrive.Pass, 202477, 23, "", "", "", ""},
		{"FuzzMean", fuzzdrive.Fail, 156, 13, "mean/testdata/fuzz/FuzzMean/787bdd7109c2b4fd", "go test -run='^FuzzMean$/^787bdd7109c2b4fd$' ./mean", "go test replays the failure", "Mean([252 4]) = 0, want 128"},
		{"FuzzBroken", fuzzdrive.Error, 0, 0, "", "", "does not build", "undefined: eps"},
		{"FuzzSlow", fuzzdrive.Timeout, 4096, 0, "", "", "could not be written for go test", "timeout after 60 seconds"},
	}
	if len(run.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(run.Results), len(want))
	}
	for i, w := range want {
		r := run.Results[i]
		if r.Engine != Engine || r.Target != w.target || r.Verdict != w.verdict || r.Execs != w.execs || r.NewInteresting != w.newInputs ||
			r.FailingInput != w.input || r.ReplayCommand != w.replay {
			t.Errorf("result %d = %+v\nwant engine %s, target %s, verdict %s, execs %d, new %d, input %q, replay %q", i, r, Engine, w.target, w.verdict, w.execs, w.newInputs, w.input, w.replay)
		}
		if !strings.Contains(r.Note, w.note) || !strings.Contains(r.OutputTail, w.output) {
			t.Errorf("%s: note %q, output\n%s\nwant a note with %q and output with %q", w.target, r.Note, r.OutputTail, w.note, w.output)
		}
	}
	rep := run.Report("testdata/run")
	if rep.OK() || len(rep.Targets) != 4 || rep.ElapsedSeconds != 6+2+1+61 {
		t.Errorf("report: OK %v, %d targets, %gs; want not OK, 4 targets, 70s", rep.OK(), len(rep.Targets), rep.ElapsedSeconds)
	}
}

// TestReadRunErrors checks that a folder that is not a libFuzzer run says
// what is wrong with it.
func TestReadRunErrors(t *testing.T) {
	header := "package\ttarget\texit\tseconds\tlog\tcrash\tinput\treplay\treplayed\n"
	for _, c := range []struct{ name, summary, want string }{
		{"no header", "# module: x\n", "no header line"},
		{"wrong header", "package\ttarget\n", "want the columns"},
		{"short line", header + "p\tFuzzX\t0\n", "3 columns, want 9"},
		{"bad exit", header + "p\tFuzzX\tboom\t1\t\t\t\t\t\n", `exit "boom"`},
		{"bad seconds", header + "p\tFuzzX\t0\tlong\t\t\t\t\t\n", `seconds "long"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, SummaryFile), []byte(c.summary), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := ReadRun(dir); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadRun: error %v, want one with %q", err, c.want)
			}
		})
	}
	if _, err := ReadRun(t.TempDir()); err == nil {
		t.Error("ReadRun of an empty folder: no error")
	}
}
