package fuzzdrive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/internal/cmdline"
	"github.com/gradcheck/gradcheck/internal/proc"
	"github.com/gradcheck/gradcheck/internal/testenv"
)

// The tests of the -fuzz driver run the real go command on copies of the
// fixture module in testdata/fixture:
//
//	reverse  FuzzReverseTwice passes, FuzzReverseUTF8 fails within a second
//	hang     FuzzHangSetup hangs before fuzzing, FuzzHangInput on every input
//
// go test -fuzz writes failing inputs into the module, so every test works
// on its own copy, never on testdata itself.

// fixture copies testdata/fixture to a temporary directory and returns it.
func fixture(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in $PATH")
	}
	// The fixture is a module of its own, whatever go.work may be above.
	t.Setenv("GOWORK", "off")
	dir := filepath.Join(t.TempDir(), "fixture")
	if err := os.CopyFS(dir, os.DirFS("testdata/fixture")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// logWriter passes progress lines to t.Log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// trackGroups records the process groups the driver starts, and at the end
// of the test checks that none is left: no orphaned test binary or fuzz
// worker.
func trackGroups(t *testing.T) {
	t.Helper()
	var (
		mu   sync.Mutex
		pids []int
	)
	testHookStarted = func(pid int) {
		mu.Lock()
		defer mu.Unlock()
		pids = append(pids, pid)
	}
	t.Cleanup(func() {
		testHookStarted = nil
		mu.Lock()
		defer mu.Unlock()
		// The group's last processes die asynchronously after SIGKILL:
		// poll, with a deadline that no loaded machine reaches.
		deadline := time.Now().Add(time.Minute)
		for _, pid := range pids {
			for proc.Alive(pid) {
				if time.Now().After(deadline) {
					t.Errorf("process group %d of a go command is still alive a minute after the run", pid)
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	})
}

// targetNames returns "package.Target" for each result.
func targetNames(rs []Result) []string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Package+"."+r.Target)
	}
	return names
}

func TestListTargets(t *testing.T) {
	dir := fixture(t)
	opts, err := Options{Patterns: []string{"./..."}, Dir: dir}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := listPackages(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	targets, errs := listTargets(t.Context(), opts, pkgs)
	if len(errs) > 0 {
		t.Fatalf("listing errors: %+v", errs)
	}
	var got []string
	for _, tg := range targets {
		got = append(got, tg.pkg.ImportPath+"."+tg.name)
	}
	want := []string{
		"example.com/fixture/hang.FuzzHangInput",
		"example.com/fixture/hang.FuzzHangSetup",
		"example.com/fixture/reverse.FuzzReverseTwice",
		"example.com/fixture/reverse.FuzzReverseUTF8",
	}
	if !slices.Equal(got, want) {
		t.Errorf("targets = %q, want %q", got, want)
	}

	// The shards of the sorted list partition it, each every n-th target.
	shards := map[int][]string{1: {want[0], want[2]}, 2: {want[1], want[3]}}
	for i, w := range shards {
		var got []string
		for _, tg := range shardTargets(targets, i, 2) {
			got = append(got, tg.pkg.ImportPath+"."+tg.name)
		}
		if !slices.Equal(got, w) {
			t.Errorf("shard %d/2 = %q, want %q", i, got, w)
		}
	}
}

func TestShardTargetsPartition(t *testing.T) {
	var all []fuzzTarget
	for _, name := range []string{"FuzzA", "FuzzB", "FuzzC", "FuzzD", "FuzzE", "FuzzF", "FuzzG"} {
		all = append(all, fuzzTarget{pkg: fuzzPackage{ImportPath: "p"}, name: name})
	}
	for n := 1; n <= 9; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			for _, tg := range shardTargets(all, i, n) {
				seen[tg.name]++
			}
		}
		for _, tg := range all {
			if seen[tg.name] != 1 {
				t.Errorf("n=%d: %s is in %d shards, want 1", n, tg.name, seen[tg.name])
			}
		}
	}
}

// TestRunPassAndFail fuzzes the reverse package for a number of
// executions (not a time, which a slow machine would spend building) and
// writes the JSON report: one target passes, the other fails with an
// input file and a replay command that reproduces the failure.
func TestRunPassAndFail(t *testing.T) {
	testenv.Long(t)
	dir := fixture(t)
	trackGroups(t)
	got, err := Run(t.Context(), Options{Patterns: []string{"./reverse"}, Dir: dir, FuzzTime: FuzzTime{Count: 20000}}, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	if got.OK() {
		t.Errorf("the report is OK with a failing target")
	}
	var stdout bytes.Buffer
	if err := WriteJSON(&stdout, got); err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout.String())
	}
	// The JSON field names are an interface for CI scripts.
	for _, field := range []string{`"package"`, `"target"`, `"elapsed_seconds"`, `"execs"`, `"new_interesting"`, `"verdict"`, `"failing_input"`, `"replay_command"`, `"output_tail"`} {
		if !bytes.Contains(stdout.Bytes(), []byte(field)) {
			t.Errorf("JSON report has no %s field", field)
		}
	}
	if got, want := targetNames(rep.Targets), []string{"example.com/fixture/reverse.FuzzReverseTwice", "example.com/fixture/reverse.FuzzReverseUTF8"}; !slices.Equal(got, want) {
		t.Fatalf("targets = %q, want %q", got, want)
	}
	if rep.Dir != dir || rep.FuzzTime != "20000x" || rep.Interrupted {
		t.Errorf("report header = dir %q, fuzztime %q, interrupted %t; want %q, 20000x, false", rep.Dir, rep.FuzzTime, rep.Interrupted, dir)
	}

	pass := rep.Targets[0]
	if pass.Verdict != Pass || pass.Execs < 20000 || pass.ElapsedSeconds <= 0 {
		t.Errorf("FuzzReverseTwice: verdict %q, execs %d, elapsed %.1fs; want pass, ≥ 20000, > 0", pass.Verdict, pass.Execs, pass.ElapsedSeconds)
	}

	fail := rep.Targets[1]
	if fail.Verdict != Fail {
		t.Fatalf("FuzzReverseUTF8: verdict %q, want fail\n%s", fail.Verdict, fail.OutputTail)
	}
	if !strings.HasPrefix(fail.FailingInput, filepath.Join("reverse", "testdata", "fuzz", "FuzzReverseUTF8")+string(filepath.Separator)) {
		t.Errorf("failing input = %q, want reverse/testdata/fuzz/FuzzReverseUTF8/…", fail.FailingInput)
	}
	if _, err := os.Stat(filepath.Join(dir, fail.FailingInput)); err != nil {
		t.Errorf("failing input: %v", err)
	}
	if !strings.Contains(fail.OutputTail, "not valid UTF-8") {
		t.Errorf("output tail lacks the failure message:\n%s", fail.OutputTail)
	}

	// The replay command, run from the module root, reproduces the failure.
	cmd := exec.Command("sh", "-c", fail.ReplayCommand)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("%s: exit 0, want a failure\n%s", fail.ReplayCommand, out)
	}
	if want := "--- FAIL: FuzzReverseUTF8/" + filepath.Base(fail.FailingInput); !strings.Contains(string(out), want) {
		t.Errorf("%s: output lacks %q\n%s", fail.ReplayCommand, want, out)
	}
}

// TestRunHangs checks that a target that hangs is stopped and reported,
// and that the run goes on with the next one. Both targets of the hang
// package hang forever, so a short -timeout stops each whatever the speed
// of the machine: a slow build is stopped by it too, with the same verdict.
func TestRunHangs(t *testing.T) {
	testenv.Long(t)
	dir := fixture(t)
	trackGroups(t)
	opts := Options{Patterns: []string{"./hang"}, Dir: dir, FuzzTime: FuzzTime{Duration: time.Second}, Timeout: 3 * time.Second}
	rep, err := Run(t.Context(), opts, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := targetNames(rep.Targets), []string{"example.com/fixture/hang.FuzzHangInput", "example.com/fixture/hang.FuzzHangSetup"}; !slices.Equal(got, want) {
		t.Fatalf("targets = %q, want %q", got, want)
	}
	for _, r := range rep.Targets {
		if r.Verdict != Timeout || r.Note == "" || !strings.Contains(r.ReplayCommand, "-fuzz='^"+r.Target+"$'") {
			t.Errorf("%s: verdict %q, note %q, replay %q; want timeout, an explanation and the fuzz command\n%s", r.Target, r.Verdict, r.Note, r.ReplayCommand, r.OutputTail)
		}
	}
	if rep.OK() {
		t.Errorf("the report is OK with targets that hang")
	}
}

// TestRunInterrupted cancels the run, as SIGINT does, while the first
// target runs: it is reported as interrupted, the others as not run, and
// no process is left behind.
func TestRunInterrupted(t *testing.T) {
	testenv.Long(t)
	dir := fixture(t)
	trackGroups(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// Interrupt a second after the first target starts.
	progress := &funcWriter{f: func(line string) {
		t.Log(line)
		if strings.Contains(line, "[1/2]") && strings.HasSuffix(line, "...") {
			time.AfterFunc(time.Second, cancel)
		}
	}}
	rep, err := Run(ctx, Options{Patterns: []string{"./hang"}, Dir: dir, FuzzTime: FuzzTime{Duration: time.Minute}}, progress)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Error("an interrupted run is OK")
	}
	if !rep.Interrupted {
		t.Error("report not marked interrupted")
	}
	var got []string
	for _, r := range rep.Targets {
		got = append(got, r.Target+" "+r.Verdict)
	}
	if want := []string{"FuzzHangInput interrupted", "FuzzHangSetup not run"}; !slices.Equal(got, want) {
		t.Errorf("targets = %q, want %q", got, want)
	}
}

// funcWriter calls f with each line written.
type funcWriter struct {
	f       func(string)
	partial []byte
}

func (w *funcWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.f(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
}

// TestRunBrokenTargets adds to the fixture a package whose test binary does
// not build and a target whose go test exits without a failing input: the
// first is reported as an error of listing, the second as a crash.
func TestRunBrokenTargets(t *testing.T) {
	testenv.Long(t)
	dir := fixture(t)
	files := map[string]string{
		"broken/broken_test.go": "package broken\n\nimport \"testing\"\n\nfunc FuzzBroken(f *testing.F) { undefined() }\n",
		"crash/crash_test.go": `package crash

import (
	"flag"
	"os"
	"testing"
)

func FuzzExit(f *testing.F) {
	if flag.Lookup("test.fuzz").Value.String() != "" {
		os.Exit(3)
	}
	f.Fuzz(func(t *testing.T, b []byte) {})
}
`,
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	trackGroups(t)
	rep, err := Run(t.Context(), Options{Patterns: []string{"./broken", "./crash"}, Dir: dir, FuzzTime: FuzzTime{Duration: time.Second}}, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := targetNames(rep.Targets), []string{"example.com/fixture/broken.", "example.com/fixture/crash.FuzzExit"}; !slices.Equal(got, want) {
		t.Fatalf("targets = %q, want %q", got, want)
	}
	broken, crash := rep.Targets[0], rep.Targets[1]
	if broken.Verdict != Error || !strings.Contains(broken.OutputTail, "undefined: undefined") {
		t.Errorf("broken: verdict %q, output\n%s\nwant error and the compiler's message", broken.Verdict, broken.OutputTail)
	}
	if crash.Verdict != Crash || crash.FailingInput != "" {
		t.Errorf("crash: verdict %q, failing input %q; want crash and none\n%s", crash.Verdict, crash.FailingInput, crash.OutputTail)
	}
}

// fakeGo writes a go command that runs the real one, but for a fuzzing run
// of FuzzReverseTwice, for which it prints what go's coordinator race
// prints (outDeadline) and exits 1: always, or the first time only. It
// returns the script and the file that counts the fuzzing runs.
func fakeGo(t *testing.T, always bool) (script, count string) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("the fake go command is a POSIX shell script")
	}
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in $PATH")
	}
	if realGo, err = filepath.Abs(realGo); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script, count = filepath.Join(dir, "go"), filepath.Join(dir, "count")
	limit := "1"
	if always {
		limit = "1000000"
	}
	src := fmt.Sprintf(`#!/bin/sh
for a in "$@"; do
	if [ "$a" = '-fuzz=^FuzzReverseTwice$' ]; then
		n=$(cat %[1]s 2>/dev/null || echo 0)
		n=$((n + 1))
		echo $n > %[1]s
		if [ $n -le %[2]s ]; then
			cat <<'EOF'
%[3]sEOF
			exit 1
		fi
	fi
done
exec %[4]s "$@"
`, cmdline.Quote(count), limit, outDeadline, cmdline.Quote(realGo))
	if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, count
}

// TestRunFlake: a run that ends in go's coordinator deadline error with no
// failing input is run once more; twice in a row, it is reported as a
// flake, which does not fail the report; once, the second run's verdict
// stands. The other target of the package, which really fails, still
// fails the report, and is run once.
func TestRunFlake(t *testing.T) {
	testenv.Long(t)
	for _, tt := range []struct {
		always  bool
		verdict string
		note    string
	}{
		{true, Flake, "twice in a row"},
		{false, Pass, "on a second run"},
	} {
		t.Run(tt.verdict, func(t *testing.T) {
			dir := fixture(t)
			goCmd, count := fakeGo(t, tt.always)
			var progress strings.Builder
			rep, err := Run(t.Context(), Options{Patterns: []string{"./reverse"}, Dir: dir, FuzzTime: FuzzTime{Count: 100000}, GoCmd: goCmd}, &progress)
			t.Log(progress.String())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Targets) != 2 {
				t.Fatalf("%d targets, want 2: %+v", len(rep.Targets), rep.Targets)
			}
			flaky, failing := rep.Targets[0], rep.Targets[1]
			if flaky.Target != "FuzzReverseTwice" || flaky.Verdict != tt.verdict || !strings.Contains(flaky.Note, tt.note) {
				t.Errorf("%s: verdict %q, note %q; want %q and a note with %q", flaky.Target, flaky.Verdict, flaky.Note, tt.verdict, tt.note)
			}
			if n, _ := os.ReadFile(count); strings.TrimSpace(string(n)) != "2" {
				t.Errorf("FuzzReverseTwice was fuzzed %q times, want 2", n)
			}
			if !strings.Contains(progress.String(), "running it once more") {
				t.Errorf("progress does not say that the target runs again:\n%s", progress.String())
			}
			if failing.Verdict != Fail || failing.FailingInput == "" {
				t.Errorf("%s: verdict %q, input %q; want fail with an input", failing.Target, failing.Verdict, failing.FailingInput)
			}
			if rep.OK() {
				t.Errorf("the report is OK with a failing target")
			}
			// Without the failing target, the flake alone does not fail it.
			rep.Targets = rep.Targets[:1]
			if !rep.OK() {
				t.Errorf("the report of a %s alone is not OK", flaky.Verdict)
			}
		})
	}
}

// TestRan: a report ran to its end when every target passed, flaked or
// failed with an input (a finding), and not when one crashed, hung, errored
// or was interrupted; OK also needs no finding.
func TestRan(t *testing.T) {
	for _, tt := range []struct {
		verdicts    []string
		interrupted bool
		ran, ok     bool
	}{
		{[]string{Pass, Flake}, false, true, true},
		{[]string{Pass, Fail}, false, true, false},
		{[]string{Fail, Crash}, false, false, false},
		{[]string{Pass, Timeout}, false, false, false},
		{[]string{Error}, false, false, false},
		{[]string{Pass, NotRun}, true, false, false},
	} {
		rep := Report{Interrupted: tt.interrupted}
		for _, v := range tt.verdicts {
			rep.Targets = append(rep.Targets, Result{Verdict: v})
		}
		if rep.Ran() != tt.ran || rep.OK() != tt.ok {
			t.Errorf("verdicts %q, interrupted %t: Ran %t, OK %t; want %t, %t", tt.verdicts, tt.interrupted, rep.Ran(), rep.OK(), tt.ran, tt.ok)
		}
	}
}
