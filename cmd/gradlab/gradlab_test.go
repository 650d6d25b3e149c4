package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/calculus"
	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/lab"
)

var update = flag.Bool("update", false, "copy template/PLAYBOOK.md to docs/PLAYBOOK.md")

// TestMain makes every go command the tests start work offline, as a lab
// made from a checkout must: the modules come from the module cache, which
// holds them once the main module's own tests have built.
func TestMain(m *testing.M) {
	os.Setenv("GOPROXY", "off")
	os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=readonly"))
	os.Exit(m.Run())
}

// repoRoot returns the checkout of gradcheck the tests run in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil || !isGradcheck(root) {
		t.Fatalf("cannot find the gradcheck checkout from the test's directory (got %s, %v)", root, err)
	}
	return root
}

func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
}

// gradlab runs the command and returns its exit code and output.
func gradlab(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

// newLab scaffolds a lab in a temporary folder, with a replace directive to
// this checkout, and returns its folder.
func newLab(t *testing.T) string {
	t.Helper()
	needGo(t)
	dir := filepath.Join(t.TempDir(), "lab")
	if code, out, errOut := gradlab(t, "init", "-dir", dir, "-replace", repoRoot(t)); code != exitOK {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	return dir
}

// solve writes the reference solutions (package calculus) to the lab's tasks.go, edited by
// the pairs old, new of edits.
func solve(t *testing.T, dir string, edits ...string) {
	t.Helper()
	s := calculus.Source
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(s, edits[i]) {
			t.Fatalf("edit: %q is not in the reference solutions", edits[i])
		}
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "tasks.go"), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantIn(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(text, sub) {
			t.Errorf("%s does not contain %q:\n%s", what, sub, text)
		}
	}
}

// TestGradeScaffold: the scaffold builds and grades from the first minute:
// 0/5, every task "not implemented yet", exit 1.
func TestGradeScaffold(t *testing.T) {
	testenv.Long(t)
	t.Parallel()
	dir := newLab(t)
	code, out, errOut := gradlab(t, "grade", "-dir", dir)
	if code != exitUnsolved {
		t.Fatalf("grade: exit %d, want %d\n%s%s", code, exitUnsolved, out, errOut)
	}
	if n := strings.Count(out, "not implemented yet\n"); n != 5 {
		t.Errorf("%d tasks not implemented yet, want 5:\n%s", n, out)
	}
	wantIn(t, "grade's report", out, "Progress: 0/5 tasks solved", "Reproduce: go run github.com/gradcheck/gradcheck/cmd/gradlab grade -dir "+dir+" -seed 1")
	// The learner's own go test works too.
	cmd := exec.Command("go", "test")
	cmd.Dir = dir
	testOut, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("go test in the scaffold passed, want it to fail with the report")
	}
	wantIn(t, "go test's output", string(testOut), "Progress: 0/5 tasks solved", "not implemented yet")
}

// TestGradeSolved: the reference solutions score 5/5, exit 0.
func TestGradeSolved(t *testing.T) {
	t.Parallel()
	dir := newLab(t)
	solve(t, dir)
	code, out, errOut := gradlab(t, "grade", "-dir", dir, "-seed", "7")
	if code != exitOK {
		t.Fatalf("grade: exit %d, want 0\n%s%s", code, out, errOut)
	}
	wantIn(t, "grade's report", out, "Progress: 5/5 tasks solved", "gradlab evidence")
}

// TestGradeMixed: typical wrong answers get their hints, the rest is
// solved.
func TestGradeMixed(t *testing.T) {
	testenv.Long(t)
	t.Parallel()
	dir := newLab(t)
	solve(t, dir,
		"g.ScaleVec(2/float64(n), g)", "g.ScaleVec(1/float64(n), g)", // MSE: the 2 dropped
		"return J", "return mat.DenseCopyOf(J.T())", // the Jacobian transposed
	)
	code, out, _ := gradlab(t, "grade", "-dir", dir)
	if code != exitUnsolved {
		t.Fatalf("grade: exit %d, want %d\n%s", code, exitUnsolved, out)
	}
	wantIn(t, "grade's report", out,
		"your gradient is 0.5× the numerical one at every entry: did you drop the 2 of the square?",
		"Rows are outputs",
		"smallest failing case: n = 3, d = 2", // the smallest case that gave the hint (n = 1, 2 cannot tell 0.5× apart)
		"Progress: 3/5 tasks solved")

	// The same as JSON, for scripts.
	code, out, _ = gradlab(t, "grade", "-dir", dir, "-json")
	var results []lab.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil || code != exitUnsolved || len(results) != lab.NumTasks {
		t.Fatalf("grade -json: exit %d, %v\n%s", code, err, out)
	}
	for _, r := range results {
		if solved := r.Index != 2 && r.Index != 5; r.Solved != solved {
			t.Errorf("grade -json: task %s solved = %v, want %v", r.Task, r.Solved, solved)
		}
	}
}

// TestGradeLoopAndCrash: a task that loops is stopped by its time box and
// one that recurses forever kills only its own process; the other tasks
// are graded.
func TestGradeLoopAndCrash(t *testing.T) {
	testenv.Long(t)
	t.Parallel()
	dir := newLab(t)
	solve(t, dir,
		"\td := len(w)\n\tH := mat.NewDense(d, d, nil)", "\td := len(w)\n\tfor d > 0 {\n\t\td = d%7 + 1\n\t}\n\tH := mat.NewDense(d, d, nil)",
		"\tk, d := A.Dims()", "\tif len(x) > 0 {\n\t\treturn SoftmaxJacobian(A, x)\n\t}\n\tk, d := A.Dims()",
	)
	// Task 4.1 loops forever, so any time box stops it; the box is wide
	// enough that the solved tasks, graded in milliseconds, finish in it
	// on a loaded machine. Task 5.1 crashes within milliseconds of CPU
	// under lab.Run's stack limit, far inside the box: no race.
	code, out, errOut := gradlab(t, "grade", "-dir", dir, "-timeout", "5s")
	if code != exitUnsolved {
		t.Fatalf("grade: exit %d, want %d\n%s%s", code, exitUnsolved, out, errOut)
	}
	wantIn(t, "grade's report", out, "TIMED OUT", "CRASHED", "infinite recursion?", "died at tasks.go:", "in calculus.SoftmaxJacobian", "Progress: 3/5 tasks solved")
	if !regexp.MustCompile(`Task 4\.1 .*TIMED OUT`).MatchString(out) || !regexp.MustCompile(`Task 5\.1 .*CRASHED`).MatchString(out) {
		t.Errorf("want task 4.1 timed out and 5.1 crashed:\n%s", out)
	}
}

// TestGradeCompileError: the compiler's message, a line on what to do,
// exit 2.
func TestGradeCompileError(t *testing.T) {
	testenv.Long(t)
	t.Parallel()
	dir := newLab(t)
	solve(t, dir, "return g\n}", "return gradient\n}")
	code, out, errOut := gradlab(t, "grade", "-dir", dir)
	if code != exitError {
		t.Fatalf("grade: exit %d, want %d\n%s%s", code, exitError, out, errOut)
	}
	wantIn(t, "grade's errors", errOut, "tasks.go:", "undefined: gradient", "fix the error above", "run gradlab grade again")
}

func TestGradeNotALab(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, _, errOut := gradlab(t, "grade", "-dir", dir)
	if code != exitError {
		t.Errorf("grade of an empty folder: exit %d, want %d", code, exitError)
	}
	wantIn(t, "grade's errors", errOut, "is not a lab", "gradlab init")
	if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("want one line, got:\n%s", errOut)
	}
	code, _, errOut = gradlab(t, "grade", "-dir", filepath.Join(dir, "nowhere"))
	if code != exitError || !strings.Contains(errOut, "not a folder") {
		t.Errorf("grade of a missing folder: exit %d, %q", code, errOut)
	}
}

func TestInitRefusesExisting(t *testing.T) {
	t.Parallel()
	dir := newLab(t)
	if err := os.WriteFile(filepath.Join(dir, "tasks.go"), []byte("package calculus // my work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := gradlab(t, "init", "-dir", dir, "-replace", repoRoot(t))
	if code != exitError || !strings.Contains(errOut, "does not overwrite") {
		t.Errorf("init over a lab: exit %d, %q; want a refusal", code, errOut)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "tasks.go")); string(b) != "package calculus // my work\n" {
		t.Errorf("init overwrote tasks.go")
	}
}

func TestInitReplace(t *testing.T) {
	t.Parallel()
	code, _, errOut := gradlab(t, "init", "-dir", filepath.Join(t.TempDir(), "lab"), "-replace", t.TempDir())
	if code != exitError || !strings.Contains(errOut, "want a checkout of github.com/gradcheck/gradcheck") {
		t.Errorf("-replace to an empty folder: exit %d, %q", code, errOut)
	}
	root := repoRoot(t)
	src, err := locate("")
	if err != nil || src.Replace != root || src.Gonum == "" || src.Version != unversioned {
		t.Errorf("locate from inside the checkout = %+v, %v; want the checkout %s", src, err, root)
	}
}

// TestLocateOutsideCheckout: with no checkout around and no version in the
// build (a test binary is "(devel)"), init says what to do.
func TestLocateOutsideCheckout(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, err := locate(""); err == nil || !strings.Contains(err.Error(), "-replace PATH") {
		t.Errorf("locate outside a checkout: %v, want advice", err)
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		code int
	}{
		{nil, exitError},
		{[]string{"frobnicate"}, exitError},
		{[]string{"help"}, exitOK},
		{[]string{"grade", "-h"}, exitOK},
		{[]string{"grade", "-seed", "0"}, exitError},
		{[]string{"grade", "-nosuchflag"}, exitError},
		{[]string{"init", "extra"}, exitError},
	} {
		if code, _, _ := gradlab(t, c.args...); code != c.code {
			t.Errorf("gradlab %q: exit %d, want %d", c.args, code, c.code)
		}
	}
}

// TestPlaybook: docs/PLAYBOOK.md is the playbook the command prints and
// the lab holds (refresh with go test -update).
func TestPlaybook(t *testing.T) {
	doc := filepath.Join(repoRoot(t), "docs", "PLAYBOOK.md")
	if *update {
		if err := os.WriteFile(doc, []byte(playbook), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != playbook {
		t.Errorf("docs/PLAYBOOK.md differs from cmd/gradlab/template/PLAYBOOK.md: go test ./cmd/gradlab -run TestPlaybook -update")
	}
	code, out, _ := gradlab(t, "playbook")
	if code != exitOK || out != playbook {
		t.Errorf("gradlab playbook: exit %d, %d bytes; want the playbook", code, len(out))
	}
	for _, step := range []string{"random, asymmetric points", "Taylor test", "Symmetry of the Hessian", "Bisect by coordinates", "Read the diagnosis"} {
		wantIn(t, "the playbook", playbook, step)
	}
}
