package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
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

// warmBuild builds the fuzz-instrumented test binaries of pkgs in dir, so
// that tests with a short -timeout time the fuzzing, not a cold build (13 s
// for the fixture on an empty build cache). A -fuzz that matches no target
// builds the binary and runs nothing.
func warmBuild(t *testing.T, dir string, pkgs ...string) {
	t.Helper()
	for _, p := range pkgs {
		goCmd(t, dir, "test", "-run=^$", "-fuzz=^NoSuchTarget$", "-fuzztime=1x", p)
	}
}

// goCmd runs go in dir and returns its combined output; it fails the test
// if go fails.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
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
		for _, pid := range pids {
			if processGroupAlive(pid) {
				t.Errorf("process group %d of a go command is still alive", pid)
			}
		}
	})
}

// targetNames returns "package.Target" for each result.
func targetNames(rs []fuzzTargetResult) []string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Package+"."+r.Target)
	}
	return names
}

func TestListTargets(t *testing.T) {
	dir := fixture(t)
	opts, err := fuzzOptions{Patterns: []string{"./..."}, Dir: dir}.resolve()
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

// TestRunPassAndFail fuzzes the reverse package through run, as the
// command does, with -json: one target passes, the other fails with an
// input file and a replay command that reproduces the failure.
func TestRunPassAndFail(t *testing.T) {
	dir := fixture(t)
	trackGroups(t)
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"-C", dir, "-fuzztime", "2s", "-json", "-fuzz", "./reverse"}, &stdout, &stderr)
	t.Logf("stderr:\n%s", stderr.String())
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	var rep fuzzReport
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
	if rep.Dir != dir || rep.FuzzTime != "2s" || rep.Interrupted {
		t.Errorf("report header = dir %q, fuzztime %q, interrupted %t; want %q, 2s, false", rep.Dir, rep.FuzzTime, rep.Interrupted, dir)
	}

	pass := rep.Targets[0]
	if pass.Verdict != verdictPass || pass.Execs == 0 || pass.ElapsedSeconds < 2 {
		t.Errorf("FuzzReverseTwice: verdict %q, execs %d, elapsed %.1fs; want pass, > 0, ≥ 2s", pass.Verdict, pass.Execs, pass.ElapsedSeconds)
	}

	fail := rep.Targets[1]
	if fail.Verdict != verdictFail {
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

// TestRunHangs checks that a target that hangs is stopped and reported, and
// that the run goes on with the others.
func TestRunHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for the -timeout of a hanging target")
	}
	dir := fixture(t)
	warmBuild(t, dir, "./hang", "./reverse")
	trackGroups(t)
	opts := fuzzOptions{
		Patterns: []string{"./hang", "./reverse"},
		Dir:      dir,
		FuzzTime: time.Second,
		// Long enough for a warm build and 1 s of fuzzing (1.3 s measured
		// on a quiet machine; over 5 s once, under the load of a full
		// go test ./... on 2 cores), short enough to keep the test under
		// half a minute: each hanging target costs the whole timeout.
		Timeout: 12 * time.Second,
	}
	rep, err := runFuzzTargets(t.Context(), opts, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"example.com/fixture/hang.FuzzHangInput":       verdictTimeout,
		"example.com/fixture/hang.FuzzHangSetup":       verdictTimeout,
		"example.com/fixture/reverse.FuzzReverseTwice": verdictPass,
		"example.com/fixture/reverse.FuzzReverseUTF8":  verdictFail,
	}
	for _, r := range rep.Targets {
		name := r.Package + "." + r.Target
		if r.Verdict != want[name] {
			t.Errorf("%s: verdict %q, want %q (%s)\n%s", name, r.Verdict, want[name], r.Note, r.OutputTail)
		}
		if r.Verdict == verdictTimeout && (r.Note == "" || !strings.Contains(r.ReplayCommand, "-fuzz='^"+r.Target+"$'")) {
			t.Errorf("%s: note %q, replay %q; want an explanation and the fuzz command", name, r.Note, r.ReplayCommand)
		}
		delete(want, name)
	}
	if len(want) > 0 {
		t.Errorf("targets missing from the report: %v", want)
	}
	if rep.exitCode() != 1 {
		t.Errorf("exit code = %d, want 1", rep.exitCode())
	}
}

// TestRunInterrupted cancels the run, as SIGINT does, while the first
// target runs: it is reported as interrupted, the others as not run, and
// no process is left behind.
func TestRunInterrupted(t *testing.T) {
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
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"-C", dir, "-fuzztime", "1m", "-json", "-fuzz", "./hang"}, &stdout, io.MultiWriter(&stderr, progress))
	if code != 1 {
		t.Errorf("exit code = %d, want 1", code)
	}
	var rep fuzzReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report: %v\n%s", err, stdout.String())
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
	rep, err := runFuzzTargets(t.Context(), fuzzOptions{Patterns: []string{"./broken", "./crash"}, Dir: dir, FuzzTime: time.Second}, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := targetNames(rep.Targets), []string{"example.com/fixture/broken.", "example.com/fixture/crash.FuzzExit"}; !slices.Equal(got, want) {
		t.Fatalf("targets = %q, want %q", got, want)
	}
	broken, crash := rep.Targets[0], rep.Targets[1]
	if broken.Verdict != verdictError || !strings.Contains(broken.OutputTail, "undefined: undefined") {
		t.Errorf("broken: verdict %q, output\n%s\nwant error and the compiler's message", broken.Verdict, broken.OutputTail)
	}
	if crash.Verdict != verdictCrash || crash.FailingInput != "" {
		t.Errorf("crash: verdict %q, failing input %q; want crash and none\n%s", crash.Verdict, crash.FailingInput, crash.OutputTail)
	}
}

// TestUsageErrors checks that each usage error is one line on stderr and
// exit code 2, before anything runs.
func TestUsageErrors(t *testing.T) {
	dir := fixture(t)
	if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string // in the message
	}{
		{"unknown flag", []string{"-bogus", "-fuzz", "./..."}, "-bogus"},
		{"shard zero", []string{"-shard", "0/2", "-fuzz", "./..."}, "1 ≤ i ≤ n"},
		{"shard past n", []string{"-shard", "3/2", "-fuzz", "./..."}, "1 ≤ i ≤ n"},
		{"shard not numbers", []string{"-shard", "a/b", "-fuzz", "./..."}, "want i/n"},
		{"shard no slash", []string{"-shard", "1", "-fuzz", "./..."}, "want i/n"},
		{"bad fuzztime", []string{"-fuzztime", "soon", "-fuzz", "./..."}, "-fuzztime"},
		{"zero fuzztime", []string{"-fuzztime", "0s", "-fuzz", "./..."}, "positive"},
		{"no pattern", []string{"-fuzz", ""}, "no package pattern"},
		{"json and md", []string{"-json", "-md", "-fuzz", "./..."}, "choose one"},
		{"flag after pattern", []string{"-fuzz", "./reverse", "./hang", "-json"}, "flags must come before"},
		{"no such dir", []string{"-fuzz", "./nothing"}, "nothing"},
		{"no such tree", []string{"-fuzz", "./nothing/..."}, "nothing"},
		{"matches nothing", []string{"-fuzz", "./zz..."}, "matched no packages"},
		{"not in module", []string{"-fuzz", "example.com/elsewhere"}, "example.com/elsewhere"},
		{"no go files", []string{"-fuzz", "./docs"}, "no Go files"},
		{"no such -C", []string{"-C", filepath.Join(dir, "nothing"), "-fuzz", "./..."}, "not a directory"},
		{"-C without -fuzz", []string{}, "-C: only with -fuzz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"-C", dir}, tt.args...)
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args, &stdout, &stderr)
			msg := stderr.String()
			if code != 2 || stdout.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "fuzzreport: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("run(%q) = exit %d, stdout %q, stderr %q; want exit 2, nothing, one line \"fuzzreport: …%s…\"", args, code, stdout.String(), msg, tt.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"-h"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "-fuzztime") || !strings.Contains(stdout.String(), "-checks") {
		t.Errorf("run(-h) = exit %d, stdout %q; want 0 and the flags", code, stdout.String())
	}
}
