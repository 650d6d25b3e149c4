package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/fuzzdrive"
	"github.com/gradcheck/gradcheck/internal/report"
	"github.com/gradcheck/gradcheck/internal/testenv"
)

func TestMain(m *testing.M) {
	if report.IsWorker() {
		os.Exit(report.WorkerMain())
	}
	os.Exit(m.Run())
}

// fixture copies the fuzz driver's fixture module (two packages: reverse,
// whose FuzzReverseUTF8 fails; hang) to a temporary folder and returns it.
func fixture(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in $PATH")
	}
	// The fixture is a module of its own, whatever go.work may be above.
	t.Setenv("GOWORK", "off")
	dir := filepath.Join(t.TempDir(), "fixture")
	if err := os.CopyFS(dir, os.DirFS("../../internal/fuzzdrive/testdata/fixture")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestUsageErrors checks that each usage error of both jobs is one line
// on stderr and exit code 2, before anything runs.
func TestUsageErrors(t *testing.T) {
	dir := fixture(t)
	if err := os.Mkdir(filepath.Join(dir, "docs"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "go.mod")
	tests := []struct {
		name string
		args []string
		want string // in the message
	}{
		{"checks zero", []string{"-checks", "0"}, "-checks 0: want at least 1"},
		{"checks not a number", []string{"-checks", "x"}, "-checks"},
		{"seed negative", []string{"-seed", "-1"}, "-seed"},
		{"parallel zero", []string{"-parallel", "0"}, "-parallel 0"},
		{"timeout zero", []string{"-timeout", "0s"}, "positive"},
		{"unknown flag", []string{"-bogus"}, "-bogus"},
		{"a fuzz flag", []string{"-fuzztime", "3s"}, "-fuzztime"},
		{"argument", []string{"./..."}, "fuzzreport fuzz ./..."},
		{"json and md", []string{"-json", "-md"}, "choose one"},
		{"bad regexp", []string{"-run", "("}, "-run ("},
		{"run matches nothing", []string{"-run", "nothing-has-this-name"}, "matches no suite, mutant or eps function"},
		{"out is a file", []string{"-out", file, "-run", "eps/exp"}, "a file, want a folder"},
		{"out under a file", []string{"-out", filepath.Join(file, "x"), "-run", "eps/exp"}, "cannot create the folder"},

		{"fuzz: unknown flag", []string{"fuzz", "-bogus", "./..."}, "-bogus"},
		{"fuzz: a report flag", []string{"fuzz", "-seed", "3", "./..."}, "-seed"},
		{"fuzz: shard zero", []string{"fuzz", "-shard", "0/2", "./..."}, "1 ≤ i ≤ n"},
		{"fuzz: shard past n", []string{"fuzz", "-shard", "3/2", "./..."}, "1 ≤ i ≤ n"},
		{"fuzz: shard not numbers", []string{"fuzz", "-shard", "a/b", "./..."}, "want i/n"},
		{"fuzz: bad fuzztime", []string{"fuzz", "-fuzztime", "soon", "./..."}, "-fuzztime"},
		{"fuzz: zero fuzztime", []string{"fuzz", "-fuzztime", "0s", "./..."}, "positive"},
		{"fuzz: zero count", []string{"fuzz", "-fuzztime", "0x", "./..."}, "positive"},
		{"fuzz: no pattern", []string{"fuzz"}, "no package pattern"},
		{"fuzz: json and md", []string{"fuzz", "-json", "-md", "./..."}, "choose one"},
		{"fuzz: flag after pattern", []string{"fuzz", "./reverse", "-json"}, "flags must come before"},
		{"fuzz: no such dir", []string{"fuzz", "./nothing"}, "nothing"},
		{"fuzz: matches nothing", []string{"fuzz", "./zz..."}, "matched no packages"},
		{"fuzz: not in module", []string{"fuzz", "example.com/elsewhere"}, "example.com/elsewhere"},
		{"fuzz: no go files", []string{"fuzz", "./docs"}, "no Go files"},
		{"fuzz: no such -C", []string{"fuzz", "-C", filepath.Join(dir, "nothing"), "./..."}, "not a directory"},
		{"fuzz: -libfuzzer not a run", []string{"fuzz", "-libfuzzer", dir}, "-libfuzzer " + dir + ": open"},
		{"deprecated: no pattern", []string{"-fuzz", ""}, "no package pattern"},
		{"deprecated: matches nothing", []string{"-fuzz", "./zz..."}, "matched no packages"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if len(args) > 0 && args[0] == "fuzz" {
				args = append([]string{"fuzz", "-C", dir}, args[1:]...)
			} else if slices.Contains(args, "-fuzz") {
				args = append([]string{"-C", dir}, args...)
			}
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args, &stdout, &stderr)
			msg := strings.TrimPrefix(stderr.String(), "fuzzreport: -fuzz patterns is deprecated: use fuzzreport fuzz [flags] patterns\n")
			if code != 2 || stdout.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "fuzzreport: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("run(%q) = exit %d, stdout %q, stderr %q; want exit 2, nothing, one line \"fuzzreport: …%s…\"", args, code, stdout.String(), msg, tt.want)
			}
		})
	}
}

// TestLibFuzzerReport reports a libFuzzer run (.ci/libfuzzer's summary
// and logs in internal/libfuzz/testdata/run) alone: its rows, verdicts,
// the failing input with its go test replay, and exit code 1.
func TestLibFuzzerReport(t *testing.T) {
	dir := filepath.Join("..", "..", "internal", "libfuzz", "testdata", "run")
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"fuzz", "-libfuzzer", dir}, &stdout, &stderr)
	out := stdout.String()
	for _, w := range []string{"ENGINE", "libfuzzer", "FuzzMax", "202477", "FAIL example.com/m/mean FuzzMean", "replay: go test -run='^FuzzMean$/^787bdd7109c2b4fd$' ./mean", "Mean([252 4]) = 0, want 128", "1 pass, 1 fail, 1 timeout, 1 error"} {
		if !strings.Contains(out, w) {
			t.Errorf("fuzzreport fuzz -libfuzzer: no %q in the report:\n%s", w, out)
		}
	}
	if code != 1 {
		t.Errorf("fuzzreport fuzz -libfuzzer: exit %d, want 1 (failures)\n%s", code, stderr.String())
	}
	// A timeout and an error are no findings: -findings-pass still fails.
	if code := run(t.Context(), []string{"fuzz", "-findings-pass", "-libfuzzer", dir}, io.Discard, io.Discard); code != 1 {
		t.Errorf("fuzzreport fuzz -findings-pass -libfuzzer: exit %d, want 1 (a timeout and an error)", code)
	}
	stdout.Reset()
	run(t.Context(), []string{"fuzz", "-json", "-libfuzzer", dir}, &stdout, &stderr)
	var rep struct {
		Targets []struct{ Engine, Target, Verdict string }
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || len(rep.Targets) != 4 || rep.Targets[1].Engine != "libfuzzer" || rep.Targets[1].Verdict != "fail" {
		t.Errorf("fuzzreport fuzz -json -libfuzzer: %+v (%v), want 4 libfuzzer targets, the second failed", rep, err)
	}
}

func TestHelp(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"-h"}, []string{"-checks", "-out", "fuzzreport fuzz"}},
		{[]string{"fuzz", "-h"}, []string{"-fuzztime", "-shard", "100x"}},
	} {
		var stdout, stderr bytes.Buffer
		code := run(t.Context(), tt.args, &stdout, &stderr)
		for _, w := range tt.want {
			if code != 0 || !strings.Contains(stdout.String(), w) {
				t.Errorf("run(%q) = exit %d, stdout %q; want 0 and %q", tt.args, code, stdout.String(), w)
			}
		}
	}
}

// TestDeprecatedFuzz: the old spelling, -fuzz patterns among the flags and
// maybe more patterns after them, becomes fuzzreport fuzz's arguments.
func TestDeprecatedFuzz(t *testing.T) {
	tests := []struct{ args, want []string }{
		{[]string{"-fuzz", "./...", "-fuzztime", "3s"}, []string{"-fuzztime", "3s", "./..."}},
		{[]string{"-fuzztime=3s", "-fuzz=./a,./b", "./c"}, []string{"-fuzztime=3s", "./a", "./b", "./c"}},
		{[]string{"-C", "m", "-json", "--fuzz", "./a ./b"}, []string{"-C", "m", "-json", "./a", "./b"}},
	}
	for _, tt := range tests {
		got, ok := deprecatedFuzz(tt.args)
		if !ok || !slices.Equal(got, tt.want) {
			t.Errorf("deprecatedFuzz(%q) = %q, %v; want %q", tt.args, got, ok, tt.want)
		}
	}
	if _, ok := deprecatedFuzz([]string{"-checks", "5", "-out", "x"}); ok {
		t.Errorf("deprecatedFuzz found -fuzz in report flags")
	}
}

// TestInvocation: the rerun commands start as the user can type them
// where they stand.
func TestInvocation(t *testing.T) {
	root := t.TempDir()
	other := t.TempDir()
	for _, d := range []string{"suites", "cmd/fuzzreport"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module github.com/gradcheck/gradcheck\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	goRun := filepath.Join(os.TempDir(), "go-build123456", "b001", "exe", "fuzzreport")
	cached := filepath.Join(os.TempDir(), "cache", "f2", "f21b28045a7497c1104880450cc03e377d5142d0b828322219676135df3cc63b-d", "fuzzreport")
	tests := []struct {
		name, exe, argv0, cwd, pwd, want string
	}{
		{"go run at the root", goRun, goRun, root, root, "go run ./cmd/fuzzreport"},
		{"go run, cached", cached, cached, root, root, "go run ./cmd/fuzzreport"},
		{"go run in suites", goRun, goRun, filepath.Join(root, "suites"), filepath.Join(root, "suites"), "go run ../cmd/fuzzreport"},
		{"go run without $PWD", goRun, goRun, root, "", "go run ./cmd/fuzzreport"},
		{"go -C from elsewhere", goRun, goRun, root, other, "go -C " + mustRel(t, other, root) + " run ./cmd/fuzzreport"},
		{"go run from a module that requires it", goRun, goRun, other, other, "go run github.com/gradcheck/gradcheck/cmd/fuzzreport"},
		{"installed", "/home/u/go/bin/fuzzreport", "fuzzreport", root, root, "fuzzreport"},
		{"built here", filepath.Join(root, "fr"), "./fr", root, root, "./fr"},
	}
	for _, tt := range tests {
		if got := invocationOf(tt.exe, tt.argv0, tt.cwd, tt.pwd); got != tt.want {
			t.Errorf("%s: invocationOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func mustRel(t *testing.T, base, target string) string {
	t.Helper()
	rel, err := filepath.Rel(base, target)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(rel, "..") > 2 {
		return target
	}
	return rel
}

// TestFromAnotherModule does what the README says to fuzz your own module
// from a checkout of this one, standing in your module:
//
//	go -C <checkout> run ./cmd/fuzzreport fuzz -C <your module> ./...
//
// and then runs the rerun command it printed, as printed, from there.
func TestFromAnotherModule(t *testing.T) {
	testenv.Long(t)
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("runs the printed command with sh")
	}
	mine := fixture(t) // a module that knows nothing of gradcheck
	checkout, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = mine // where the user stands
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("go %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		return stdout.String(), stderr.String(), code
	}
	stdout, _, code := goCmd("-C", checkout, "run", "./cmd/fuzzreport", "fuzz", "-C", mine, "-fuzztime", "100x", "-json", "./reverse")
	var rep fuzzdrive.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not a JSON report (exit %d): %v\n%s", code, err, stdout)
	}
	if len(rep.Targets) != 2 || rep.Targets[0].Target != "FuzzReverseTwice" || rep.Targets[0].Verdict != fuzzdrive.Pass {
		t.Fatalf("targets %+v, want FuzzReverseTwice passing first", rep.Targets)
	}
	if want := map[bool]int{true: 0, false: 1}[rep.OK()]; code != want {
		t.Errorf("exit %d, want %d", code, want)
	}
	if !strings.HasPrefix(rep.Command, "go -C ") || !strings.Contains(rep.Command, " run ./cmd/fuzzreport fuzz -C ") {
		t.Errorf("rerun command %q, want go -C <checkout> run ./cmd/fuzzreport fuzz -C <module> …", rep.Command)
	}
	// The rerun command, as printed, from where the user stands.
	cmd := exec.Command("sh", "-c", rep.Command)
	cmd.Dir = mine
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() > 1 || err != nil && !ok {
		t.Fatalf("%s: %v\n%s", rep.Command, err, out)
	}
	if !strings.Contains(string(out), "FuzzReverseTwice") || !strings.Contains(string(out), "rerun: "+rep.Command) {
		t.Errorf("%s printed no report of the same run:\n%s", rep.Command, out)
	}
}

// TestDependFromAnotherModule does what the README says to depend on a
// checkout of gradcheck from your module, offline: go mod edit with a
// placeholder version and a replace, go mod tidy, go test. A right
// gradient passes, a wrong one fails.
func TestDependFromAnotherModule(t *testing.T) {
	testenv.Long(t)
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in $PATH")
	}
	checkout, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "")
	t.Setenv("GOPROXY", "off") // what the checkout needs is in the module cache
	mine := t.TempDir()
	const test = `package mine

import (
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

func TestGradient(t *testing.T) {
	f := func(x []float64) float64 { return x[0]*x[0] + 3*x[1] }
	grad := func(dst, x []float64) { dst[0], dst[1] = GRAD0, 3 }
	if err := properties.CheckGradient(f, grad, []float64{0.3, -1.2}, nil); err != nil {
		t.Fatal(err)
	}
}
`
	// The checkout's go.sum holds the hashes of every module it needs: with
	// it, go mod tidy verifies gonum and rapid from the file, as in a
	// user's module that already depends on them, and needs neither the
	// network nor the checksum database (sum.golang.org, which GOPROXY=off
	// does not reach through the proxy and a CI machine may not resolve).
	sums, err := os.ReadFile(filepath.Join(checkout, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":       "module example.com/mine\n\ngo 1.26\n",
		"go.sum":       string(sums),
		"mine_test.go": strings.Replace(test, "GRAD0", "2*x[0]", 1),
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(mine, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	goCmd := func(args ...string) (string, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = mine
		out, err := cmd.CombinedOutput()
		t.Logf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		return string(out), err
	}
	if _, err := goCmd("mod", "edit", "-require=github.com/gradcheck/gradcheck@v0.0.0", "-replace=github.com/gradcheck/gradcheck="+checkout); err != nil {
		t.Fatal(err)
	}
	if _, err := goCmd("mod", "tidy"); err != nil {
		t.Fatal(err)
	}
	if _, err := goCmd("test", "-count=1", "./..."); err != nil {
		t.Fatalf("go test of a right gradient: %v", err)
	}
	if err := os.WriteFile(filepath.Join(mine, "mine_test.go"), []byte(strings.Replace(test, "GRAD0", "4*x[0]", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd("test", "-count=1", "./..."); err == nil || !strings.Contains(out, "--- FAIL: TestGradient") {
		t.Errorf("go test of a gradient off by 2 in one entry: %v, want TestGradient to fail", err)
	}
}

// TestRunFromSubfolder runs the harness with go run from suites/, as a
// user who stands there would: the rerun line it prints, go run
// ../cmd/fuzzreport …, runs from there as printed.
func TestRunFromSubfolder(t *testing.T) {
	testenv.Long(t)
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("runs the printed command with sh")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command in $PATH")
	}
	suitesDir, err := filepath.Abs("../../suites")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "../cmd/fuzzreport", "-checks", "2", "-run", "^eps/exp$", "-out", out)
	cmd.Dir = suitesDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ../cmd/fuzzreport in suites/: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	const rerun = "go run ../cmd/fuzzreport -seed 1 -checks 2 -run '^eps/exp$'"
	for _, want := range []string{"\nrerun: " + rerun + "\n", "\nfiles: " + filepath.Join(out, "report.json") + ", "} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("no %q in the report:\n%s", want, stdout.String())
		}
	}
	// The rerun line, as printed (with no files: it would write them in
	// suites/fuzzreport-out).
	again := exec.Command("sh", "-c", rerun+" -out ''")
	again.Dir = suitesDir
	if b, err := again.CombinedOutput(); err != nil || !strings.Contains(string(b), "rerun: "+rerun+"\n") {
		t.Errorf("%s in suites/: %v, want exit 0 and the same rerun line\n%s", rerun, err, b)
	}
}
