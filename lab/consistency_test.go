package lab_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/internal/calculus"
	"github.com/gradcheck/gradcheck/lab"
)

// TestHintCaseAgree: the hint, the case shown and the checker line
// describe the same case. The hint is voted across cases; the case shown
// and the checker's line must be one on which that hint was given, or a
// hint says "n = 3 samples" next to a case with n = 2.
func TestHintCaseAgree(t *testing.T) {
	nHint := regexp.MustCompile(`\(n = (\d+) samples\)`)
	dHint := regexp.MustCompile(`one entry per weight \(d = (\d+)\)`)
	factorHint := regexp.MustCompile(`is ([-0-9.]+)× the (?:numerical one|checker.s)`)
	for _, b := range bank {
		t.Run(b.name, func(t *testing.T) {
			for seed := uint64(1); seed <= 5; seed++ {
				tasks := reference()
				b.set(&tasks)
				r := lab.Grade(tasks, &lab.Settings{Seed: seed, Only: []int{b.task}})[0]
				if m := nHint.FindStringSubmatch(r.Hint); m != nil && !strings.HasPrefix(r.Case, "n = "+m[1]+",") {
					t.Errorf("seed %d: hint says n = %s, case shown:\n%s", seed, m[1], r.Case)
				}
				if m := dHint.FindStringSubmatch(r.Hint); m != nil && !strings.Contains(r.Case, ", d = "+m[1]+" ") {
					t.Errorf("seed %d: hint says d = %s, case shown:\n%s", seed, m[1], r.Case)
				}
				if m := factorHint.FindStringSubmatch(r.Hint); m != nil && !strings.Contains(r.Diagnosis, m[1]) {
					t.Errorf("seed %d: hint says %s×, checker line: %s", seed, m[1], r.Diagnosis)
				}
			}
		})
	}
}

// TestLossDigits: a loss off by 1e-9 relative is printed with enough
// digits that the two values differ ("BCELoss = 20, want 20" hid it).
func TestLossDigits(t *testing.T) {
	re := regexp.MustCompile(`BCELoss = (\S+), want (\S+) `)
	yours := regexp.MustCompile(`BCELoss: yours = (\S+), exact = (\S+)`)
	for _, b := range bank {
		if b.name != "naive logs" {
			continue
		}
		for seed := uint64(1); seed <= 5; seed++ {
			tasks := reference()
			b.set(&tasks)
			r := lab.Grade(tasks, &lab.Settings{Seed: seed, Only: []int{3}})[0]
			m, n := re.FindStringSubmatch(r.Diagnosis), yours.FindStringSubmatch(r.Case)
			if m == nil || n == nil {
				t.Fatalf("seed %d: no loss values in diagnosis %q or case %q", seed, r.Diagnosis, r.Case)
			}
			if m[1] == m[2] || n[1] == n[2] {
				t.Errorf("seed %d: the values print the same: %q, %q", seed, m[0], n[0])
			}
		}
	}
}

// TestNumericalTasksWords: in tasks 1.1 and 4.1 the learner's answer is
// itself numerical: the report calls it "yours" and the reference "the
// checker's", never "analytic".
func TestNumericalTasksWords(t *testing.T) {
	for _, b := range bank {
		if b.task != 1 && b.task != 4 {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			tasks := reference()
			b.set(&tasks)
			r := lab.Grade(tasks, &lab.Settings{Only: []int{b.task}})[0]
			for _, s := range []string{r.Hint, r.Diagnosis, r.Case} {
				if containsAny(s, []string{"analytic", "numerical one", "numerical =", "numeric =", "jacobian:"}) {
					t.Errorf("task %s calls the learner's numerical answer analytic, or the checker's numerical:\n%s", r.Task, s)
				}
			}
		})
	}
}

// TestCountWords: "1 value", not "1 values"; no "every one of the 1
// entries".
func TestCountWords(t *testing.T) {
	tasks := reference()
	tasks.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 { return []float64{1} }
	tasks.NumericalGradient = scaled(calculus.NumericalGradient, -1)
	for _, r := range lab.Grade(tasks, &lab.Settings{Only: []int{1, 2}}) {
		for _, s := range []string{r.Hint, r.Diagnosis} {
			if containsAny(s, []string{" 1 values", "the 1 entries", " 1 entries"}) {
				t.Errorf("task %s: %s", r.Task, s)
			}
		}
	}
}

// TestShapeMismatchSentence: the hint for a product whose shapes do not
// fit ends its sentence ("with d" was cut short).
func TestShapeMismatchSentence(t *testing.T) {
	for _, b := range bank {
		if b.name != "X where Xᵀ belongs" {
			continue
		}
		tasks := reference()
		b.set(&tasks)
		r := lab.Grade(tasks, &lab.Settings{Only: []int{2}})[0]
		if strings.Contains(r.Hint, "dimension mismatch") && strings.HasSuffix(r.Hint, "with d") {
			t.Errorf("hint cut short: %s", r.Hint)
		}
	}
}

// TestOSExit: a task that calls os.Exit(0) — which go test turns into a
// panic — is told that it called os.Exit.
func TestOSExit(t *testing.T) {
	if f := flag.Lookup("test.paniconexit0"); f == nil || f.Value.String() != "true" {
		t.Skip("os.Exit(0) would end the test binary: run under go test")
	}
	tasks := reference()
	tasks.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
		os.Exit(0)
		return nil
	}
	r := lab.Grade(tasks, &lab.Settings{Only: []int{2}})[0]
	if r.Solved || !strings.Contains(r.Hint, "called os.Exit") {
		t.Errorf("hint %q: want one saying the task called os.Exit", r.Hint)
	}
}

// TestRunShowsOutput: what a task prints is in its Result when Run writes
// the results for gradlab grade, bounded to MaxOutputLines lines, and the
// report shows it under the task.
func TestRunShowsOutput(t *testing.T) {
	tasks := reference()
	ref := tasks.MSEGrad
	tasks.MSEGrad = func(X *mat.Dense, y, w []float64) []float64 {
		fmt.Println("debug: w =", w)
		return ref(X, y, w)
	}
	results := runTask2(t, tasks)
	r := results[0]
	lines := strings.Split(r.Output, "\n")
	if !strings.HasPrefix(r.Output, "debug: w = [") || len(lines) != lab.MaxOutputLines+1 || !strings.Contains(lines[len(lines)-1], "more lines not shown") {
		t.Errorf("output %q: want the task's prints, %d lines and a count of the rest", r.Output, lab.MaxOutputLines)
	}
	var b bytes.Buffer
	lab.Format(&b, results)
	if !strings.Contains(b.String(), "your output:") || !strings.Contains(b.String(), "debug: w = [") {
		t.Errorf("report does not show the task's output:\n%s", b.String())
	}
}
