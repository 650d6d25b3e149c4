package lab_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/internal/calculus"
	"github.com/gradcheck/gradcheck/lab"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGradeReference: the reference solutions score 5/5 on every seed —
// no false alarm on random shapes, n = d and n ≠ d, extreme logits.
func TestGradeReference(t *testing.T) {
	seeds := uint64(200)
	if testing.Short() {
		seeds = 20
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		results := lab.Grade(reference(), &lab.Settings{Seed: seed})
		for _, r := range results {
			if !r.Solved {
				var b bytes.Buffer
				lab.Format(&b, []lab.Result{r})
				t.Fatalf("seed %d: the reference fails task %s:\n%s", seed, r.Task, b.String())
			}
		}
	}
}

// TestBank: every typical wrong answer fails its task, with a hint that
// names the bug, and leaves the other tasks solved.
func TestBank(t *testing.T) {
	for _, b := range bank {
		t.Run(b.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				tasks := reference()
				b.set(&tasks)
				results := lab.Grade(tasks, &lab.Settings{Seed: seed})
				for _, r := range results {
					if r.Index != b.task {
						if !r.Solved {
							t.Errorf("seed %d: task %s fails, want solved: %s", seed, r.Task, r.Hint)
						}
						continue
					}
					if r.Solved {
						t.Fatalf("seed %d: task %s solved, want a failure", seed, r.Task)
					}
					if !containsAny(r.Hint, b.hints) {
						t.Errorf("seed %d: task %s hint\n\t%s\nwant it to contain one of %q", seed, r.Task, r.Hint, b.hints)
					}
					if r.Case == "" || r.Diagnosis == "" {
						t.Errorf("seed %d: task %s: no smallest case (%q) or diagnosis (%q)", seed, r.Task, r.Case, r.Diagnosis)
					}
				}
			}
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// scaffold returns tasks that all panic as the scaffold's do.
func scaffold() lab.Tasks {
	return lab.Tasks{
		NumericalGradient: func(func([]float64) float64, []float64, float64) []float64 { panic("not implemented yet") },
		MSEGrad:           func(*mat.Dense, []float64, []float64) []float64 { panic("not implemented yet") },
		BCELoss:           func(*mat.Dense, []float64, []float64) float64 { panic("not implemented yet") },
		BCEGrad:           func(*mat.Dense, []float64, []float64) []float64 { panic("not implemented yet") },
		NumericalHessian:  func(func([]float64) []float64, []float64, float64) *mat.Dense { panic("not implemented yet") },
		SoftmaxJacobian:   func(*mat.Dense, []float64) *mat.Dense { panic("not implemented yet") },
	}
}

func TestNotImplemented(t *testing.T) {
	for name, tasks := range map[string]lab.Tasks{"scaffold": scaffold(), "nil": {}} {
		t.Run(name, func(t *testing.T) {
			results := lab.Grade(tasks, nil)
			if len(results) != lab.NumTasks {
				t.Fatalf("%d results, want %d", len(results), lab.NumTasks)
			}
			for _, r := range results {
				if r.Solved || !r.NotImplemented || !strings.Contains(r.Hint, "not implemented yet") {
					t.Errorf("task %s: solved %v, not implemented %v, hint %q; want not implemented yet", r.Task, r.Solved, r.NotImplemented, r.Hint)
				}
			}
			var b bytes.Buffer
			lab.Format(&b, results)
			if !strings.Contains(b.String(), "Progress: 0/5 tasks solved") {
				t.Errorf("report:\n%s\nwant Progress: 0/5 tasks solved", b.String())
			}
		})
	}
	// Half done: the loss written, the gradient not.
	tasks := reference()
	tasks.BCEGrad = scaffold().BCEGrad
	r := lab.Grade(tasks, &lab.Settings{Only: []int{3}})[0]
	if !r.NotImplemented || !strings.HasPrefix(r.Hint, "BCEGrad is not implemented yet") {
		t.Errorf("BCEGrad left as scaffolded: not implemented %v, hint %q", r.NotImplemented, r.Hint)
	}
	// Each function a task names, alone left nil, is the one reported: the
	// names are the fields of Tasks.
	for _, r := range lab.Grade(lab.Tasks{}, nil) {
		for _, fn := range r.Funcs {
			tasks := reference()
			f := reflect.ValueOf(&tasks).Elem().FieldByName(fn)
			if !f.IsValid() {
				t.Fatalf("task %s names %s, which is no field of Tasks", r.Task, fn)
			}
			f.SetZero()
			got := lab.Grade(tasks, &lab.Settings{Only: []int{r.Index}})[0]
			if want := fn + " is not implemented yet (nil)"; !got.NotImplemented || got.Hint != want {
				t.Errorf("task %s with %s nil: not implemented %v, hint %q; want %q", r.Task, fn, got.NotImplemented, got.Hint, want)
			}
		}
	}
}

// TestTimeout: a task that loops is reported as timed out, with the case
// it was on, and the other tasks are graded.
func TestTimeout(t *testing.T) {
	tasks := reference()
	stop := make(chan struct{})
	defer close(stop)
	tasks.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
		<-stop // a loop that never ends, released when the test is over
		return nil
	}
	// The blocked task never returns, so any box stops it; the box is wide
	// enough for the reference tasks, graded in milliseconds, on a loaded
	// machine.
	results := lab.Grade(tasks, &lab.Settings{Timeout: 2 * time.Second})
	for _, r := range results {
		if r.Index == 2 {
			if !r.TimedOut || r.Solved || !strings.Contains(r.Hint, "loop") || !strings.Contains(r.Case, "X = ") {
				t.Errorf("task 2.1: timed out %v, hint %q, case %q; want a timeout with its case", r.TimedOut, r.Hint, r.Case)
			}
		} else if !r.Solved {
			t.Errorf("task %s not solved after task 2.1 timed out: %s", r.Task, r.Hint)
		}
	}
}

// TestPanic: a panic in a task is that task's failure, with the panic's
// message and line, and the other tasks are graded.
func TestPanic(t *testing.T) {
	tasks := reference()
	tasks.SoftmaxJacobian = func(A *mat.Dense, x []float64) *mat.Dense {
		var m map[string]int
		m["x"] = 1
		return nil
	}
	for _, r := range lab.Grade(tasks, nil) {
		if r.Index != 5 {
			if !r.Solved {
				t.Errorf("task %s not solved: %s", r.Task, r.Hint)
			}
			continue
		}
		if r.Solved || !strings.Contains(r.Hint, "assignment to entry in nil map") || !strings.Contains(r.Hint, "grade_test.go:") {
			t.Errorf("task 5.1 hint %q: want the panic's message and the line", r.Hint)
		}
	}
}

func TestGradeSettings(t *testing.T) {
	r := lab.Grade(reference(), &lab.Settings{Only: []int{4, 2}})
	if len(r) != 2 || r[0].Index != 2 || r[1].Index != 4 {
		t.Errorf("Only {4, 2}: got tasks %v, want 2.1 and 4.1 in the lab's order", r)
	}
	for _, s := range []lab.Settings{{Only: []int{0}}, {Only: []int{6}}, {Timeout: -1}} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.HasPrefix(p.(string), "lab: ") {
					t.Errorf("Grade(%+v): panic %v, want a \"lab: \" panic", s, p)
				}
			}()
			lab.Grade(reference(), &s)
		}()
	}
}

// TestSameSeedSameReport: a run is reproducible from its seed.
func TestSameSeedSameReport(t *testing.T) {
	tasks := reference()
	bank[7].set(&tasks) // the 2 of the square dropped
	report := func(seed uint64) string {
		var b bytes.Buffer
		results := lab.Grade(tasks, &lab.Settings{Seed: seed})
		for i := range results {
			results[i].Elapsed = 0
		}
		lab.Format(&b, results)
		return b.String()
	}
	if a, b := report(7), report(7); a != b {
		t.Errorf("two runs with seed 7 differ:\n%s\n%s", a, b)
	}
}

func TestSettingsFromEnv(t *testing.T) {
	t.Setenv(lab.EnvSeed, "42")
	t.Setenv(lab.EnvTimeout, "3s")
	t.Setenv(lab.EnvTask, "1, 5")
	s, err := lab.SettingsFromEnv()
	if err != nil || s.Seed != 42 || s.Timeout != 3*time.Second || len(s.Only) != 2 || s.Only[1] != 5 {
		t.Errorf("SettingsFromEnv = %+v, %v", s, err)
	}
	for _, c := range [][2]string{{lab.EnvSeed, "-1"}, {lab.EnvTimeout, "soon"}, {lab.EnvTask, "6"}} {
		t.Setenv(c[0], c[1])
		if _, err := lab.SettingsFromEnv(); err == nil || !strings.Contains(err.Error(), c[0]) {
			t.Errorf("%s=%s: error %v, want one naming %s", c[0], c[1], err, c[0])
		}
		t.Setenv(c[0], "")
	}
}

// TestRunWritesResults: with $GRADLAB_OUT, Run writes the results as JSON,
// which is how gradlab grade reads them.
func TestRunWritesResults(t *testing.T) {
	results := runTask2(t, reference())
	if len(results) != 1 || results[0].Task != "2.1" || !results[0].Solved {
		t.Errorf("results %+v, want task 2.1 solved", results)
	}
}

// runTask2 runs Run on tasks as gradlab grade does for task 2 ($GRADLAB_TASK
// = 2), and returns the results it wrote to $GRADLAB_OUT.
func runTask2(t *testing.T, tasks lab.Tasks) []lab.Result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "results.json")
	t.Setenv(lab.EnvOut, out)
	t.Setenv(lab.EnvTask, "2")
	lab.Run(t, tasks)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var results []lab.Result
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatal(err)
	}
	return results
}

// TestFormat compares the report of a mixed run with testdata/report.golden
// (refresh with go test -update).
func TestFormat(t *testing.T) {
	tasks := scaffold()
	ref := reference()
	tasks.NumericalGradient = ref.NumericalGradient
	tasks.MSEGrad = scaledData(calculus.MSEGrad, func(int) float64 { return 0.5 })
	for _, b := range bank {
		if b.name == "clipped p" {
			b.set(&tasks)
		}
	}
	results := lab.Grade(tasks, nil)
	for i := range results {
		results[i].Elapsed = 0
		// The checker's own words are package properties' to change: the
		// golden file pins this package's report around them.
		if results[i].Diagnosis != "" {
			results[i].Diagnosis = "(the checker's diagnosis)"
		}
	}
	var b bytes.Buffer
	if err := lab.Format(&b, results); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("report differs from %s (go test -update to refresh):\n%s", golden, b.String())
	}
}
