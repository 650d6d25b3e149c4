package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGradeNamesWrongFlag: "-timeout 0" is blamed on -timeout alone, and
// "-seed 0" on -seed alone.
func TestGradeNamesWrongFlag(t *testing.T) {
	for _, c := range []struct{ flag, other string }{{"-timeout", "-seed"}, {"-seed", "-timeout"}} {
		code, _, errOut := gradlab(t, "grade", "-dir", t.TempDir(), c.flag, "0")
		if code != exitError || !strings.Contains(errOut, c.flag) || strings.Contains(errOut, c.other) {
			t.Errorf("grade %s 0: exit %d, %q; want an error naming %s only", c.flag, code, errOut, c.flag)
		}
	}
}

// fakeLab writes the files that make a folder a lab (enough for findLab,
// which does not build it).
func fakeLab(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"go.mod", "tasks.go", "grade_test.go"} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte("module lab\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFindLabUpward: grade from a subfolder of a lab grades the lab, as
// go finds go.mod upwards; it stops at the first go.mod, lab or not.
func TestFindLabUpward(t *testing.T) {
	root := filepath.Join(t.TempDir(), "lab")
	fakeLab(t, root)
	sub := filepath.Join(root, "notes", "deeper")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := findLab(sub); err != nil || got != root {
		t.Errorf("findLab(%s) = %q, %v; want %s", sub, got, err, root)
	}
	if got, err := findLab(root); err != nil || got != root {
		t.Errorf("findLab(%s) = %q, %v; want itself", root, got, err)
	}
	// A module inside the lab that is not a lab: not the lab above it.
	inner := filepath.Join(root, "other")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inner, "go.mod"), []byte("module other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := findLab(inner); err == nil || !strings.Contains(err.Error(), "is not a lab") {
		t.Errorf("findLab(%s) = %q, %v; want not a lab", inner, got, err)
	}
}

// TestInitOnModuleNotALab: init refuses a module that is not a lab without
// suggesting to grade it; on a lab it does suggest grading.
func TestInitOnModuleNotALab(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := refuseExisting(dir)
	if err == nil || strings.Contains(err.Error(), "grade") {
		t.Errorf("init on a module that is not a lab: %v; want a refusal that does not suggest grading it", err)
	}
	lab := filepath.Join(t.TempDir(), "lab")
	fakeLab(t, lab)
	if err := refuseExisting(lab); err == nil || !strings.Contains(err.Error(), "gradlab grade") {
		t.Errorf("init on a lab: %v; want a refusal suggesting gradlab grade", err)
	}
}

// TestExtraArguments: arguments a command does not take are a usage error.
func TestExtraArguments(t *testing.T) {
	for _, args := range [][]string{{"playbook", "extra"}, {"grade", "extra"}, {"evidence", "extra"}} {
		code, out, errOut := gradlab(t, args...)
		if code != exitError || out != "" || !strings.Contains(errOut, "extra") {
			t.Errorf("gradlab %q: exit %d, stdout %d bytes, stderr %q; want a usage error", args, code, len(out), errOut)
		}
	}
}

// TestGradeShowsPrintsAndExit: grade shows what a task printed, bounded,
// under the task; a task that calls os.Exit(0) is told so.
func TestGradeShowsPrintsAndExit(t *testing.T) {
	// Not parallel: it runs before the parallel tests, whose time boxes
	// it would otherwise crowd on a busy machine.
	dir := newLab(t)
	solve(t, dir,
		"\"math\"", "\"fmt\"\n\t\"math\"\n\t\"os\"",
		"fPlus := f(x)", "fPlus := f(x)\n\t\tfmt.Println(\"probe\", i)",
		"func MSEGrad(X *mat.Dense, y, w []float64) []float64 {\n", "func MSEGrad(X *mat.Dense, y, w []float64) []float64 {\n\tos.Exit(0)\n",
	)
	code, out, errOut := gradlab(t, "grade", "-dir", dir)
	if code != exitUnsolved {
		t.Fatalf("grade: exit %d, want %d\n%s%s", code, exitUnsolved, out, errOut)
	}
	wantIn(t, "grade's report", out, "your output:", "probe 0", "more lines not shown", "MSEGrad called os.Exit at tasks.go:", "Progress: 4/5 tasks solved")
	if n := strings.Count(out, "probe "); n > 20 {
		t.Errorf("%d lines of the task's output shown, want at most 20:\n%s", n, out)
	}
}

// TestGoTestReportsCrash: plain go test in a lab whose task recurses
// forever prints the report, the crash as that task's failure, and not
// the runtime's stack of hundreds of lines.
func TestGoTestReportsCrash(t *testing.T) {
	// Not parallel: it runs before the parallel tests, whose time boxes
	// it would otherwise crowd on a busy machine.
	dir := newLab(t)
	solve(t, dir,
		"func SoftmaxJacobian(A *mat.Dense, x []float64) *mat.Dense {\n", "func SoftmaxJacobian(A *mat.Dense, x []float64) *mat.Dense {\n\tif len(x) > 0 {\n\t\treturn SoftmaxJacobian(A, x)\n\t}\n")
	cmd := exec.Command("go", "test")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go test passed, want it to fail:\n%s", out)
	}
	wantIn(t, "go test's output", string(out), "Progress: 4/5 tasks solved", "CRASHED", "infinite recursion")
	if n := strings.Count(string(out), "\n"); n > 100 {
		t.Errorf("go test printed %d lines, want the report without the runtime's stack:\n%s", n, out)
	}
}

// TestReadmeLatestNotYet: the README does not offer go run …@latest init
// as working today: it cannot until the module is published.
func TestReadmeLatestNotYet(t *testing.T) {
	for _, file := range []string{filepath.Join(repoRoot(t), "README.md"), "init.go"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for i := strings.Index(s, "@latest init"); i >= 0; {
			before := s[max(0, i-400):i]
			if !strings.Contains(before, "published") {
				t.Errorf("%s offers @latest init without saying it needs the module published:\n%s", file, s[max(0, i-400):i+12])
			}
			j := strings.Index(s[i+1:], "@latest init")
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
}
