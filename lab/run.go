package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/internal/proc"
)

// The environment Run reads: the lab's test is run by go test, or by
// gradlab grade, one process per task (library packages register no
// flags; STYLE.md).
const (
	// EnvSeed is the seed of the random shapes and data (Settings.Seed).
	EnvSeed = "GRADLAB_SEED"
	// EnvTimeout is the time box of a task, as a Go duration ("10s").
	EnvTimeout = "GRADLAB_TIMEOUT"
	// EnvTask lists the tasks to grade by index, 1 to NumTasks, separated
	// by commas (Settings.Only).
	EnvTask = "GRADLAB_TASK"
	// EnvOut, if set, is a file to which Run writes the results as JSON
	// (a []Result) instead of printing the report.
	EnvOut = "GRADLAB_OUT"
)

// maxStack is the stack limit while grading: a task that recurses forever
// dies after some 60 ms of CPU (measured: 64 MB took 0.45 s, which raced
// the time box on a busy machine) instead of filling 1 GB, Go's default.
// No task of the lab needs more than a few kilobytes.
const maxStack = 8 << 20

// Run grades the tasks inside a test: it prints the report to standard
// output (or writes the results to $GRADLAB_OUT) and runs a subtest per
// task, named "task1.1" to "task5.1", which fails if the task is not
// solved. The seed, time box and tasks come from $GRADLAB_SEED,
// $GRADLAB_TIMEOUT and $GRADLAB_TASK; Run fails the test if one is
// malformed. Without $GRADLAB_OUT, Run grades each task in a child
// process, the test binary run again for this test alone with
// $GRADLAB_OUT set, so that a task that crashes the process (infinite
// recursion) is reported as that task's failure; with it, Run grades
// in-process and records what each task prints (Result.Output).
func Run(t *testing.T, tasks Tasks) {
	t.Helper()
	s, err := SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	c := resolve(s)
	out := os.Getenv(EnvOut)
	var results []Result
	if out == "" {
		// Under plain go test: each task in a child process, as gradlab
		// grade does, so that a task that crashes the process (infinite
		// recursion) is reported and the others are graded.
		results = gradeInChildren(t.Name(), c)
	}
	if results == nil {
		old := debug.SetMaxStack(maxStack)
		// Writing the results for gradlab grade (or a parent Run): the
		// report shows each task's prints.
		c.capture = out != ""
		results = gradeAll(tasks, c)
		debug.SetMaxStack(old)
	}
	if out != "" {
		data, err := json.MarshalIndent(results, "", "  ")
		if err == nil {
			err = os.WriteFile(out, data, 0o644)
		}
		if err != nil {
			t.Fatalf("lab: writing the results: %v", err)
		}
	} else {
		fmt.Printf("gradlab: seed %d, time box %v per task\n\n", c.seed, c.timeout)
		Format(os.Stdout, results)
		fmt.Printf("Reproduce: %s=%d go test -run TestLab\n", EnvSeed, c.seed)
	}
	for _, r := range results {
		t.Run("task"+r.Task, func(t *testing.T) {
			if !r.Solved {
				t.Errorf("task %s (%s) %s: %s", r.Task, r.Title, status(r), firstLine(r.Hint))
			}
		})
	}
}

// SettingsFromEnv returns the Settings that $GRADLAB_SEED, $GRADLAB_TIMEOUT
// and $GRADLAB_TASK ask for, or an error naming the malformed one.
func SettingsFromEnv() (*Settings, error) {
	s := &Settings{}
	if v := os.Getenv(EnvSeed); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("lab: %s = %q: want an unsigned integer", EnvSeed, v)
		}
		s.Seed = seed
	}
	if v := os.Getenv(EnvTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("lab: %s = %q: want a duration such as 10s", EnvTimeout, v)
		}
		s.Timeout = d
	}
	if v := os.Getenv(EnvTask); v != "" {
		for _, f := range strings.Split(v, ",") {
			i, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || i < 1 || i > NumTasks {
				return nil, fmt.Errorf("lab: %s = %q: want task numbers 1 to %d, separated by commas", EnvTask, v, NumTasks)
			}
			s.Only = append(s.Only, i)
		}
	}
	return s, nil
}

// childGrace is how long past the time box a child process may run before
// it is killed: it starts, grades and writes in milliseconds, so one still
// running is stuck where the in-process time box cannot reach.
const childGrace = 5 * time.Second

// gradeInChildren grades each task by running the test binary again for
// test name alone, with $GRADLAB_TASK and $GRADLAB_OUT set, and returns
// the results the children wrote, or, for a child that died or hung, a
// result saying so. It returns nil if the test binary cannot be run again.
func gradeInChildren(name string, c config) []Result {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	tmp, err := os.MkdirTemp("", "gradlab-")
	if err != nil {
		return nil
	}
	defer os.RemoveAll(tmp)
	var results []Result
	for _, tk := range allTasks {
		if !c.wants(tk.index) {
			continue
		}
		results = append(results, gradeChild(exe, name, tmp, tk, c))
	}
	return results
}

func gradeChild(exe, name, tmp string, tk *task, c config) Result {
	file := filepath.Join(tmp, fmt.Sprintf("task%d.json", tk.index))
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout+childGrace)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run=^"+regexp.QuoteMeta(name)+"$", "-test.paniconexit0")
	cmd.Env = append(os.Environ(),
		EnvOut+"="+file,
		EnvTask+"="+strconv.Itoa(tk.index),
		EnvSeed+"="+strconv.FormatUint(c.seed, 10),
		EnvTimeout+"="+c.timeout.String())
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	cmd.WaitDelay = time.Second
	start := time.Now()
	runErr := cmd.Run()
	var got []Result
	if data, err := os.ReadFile(file); err == nil && json.Unmarshal(data, &got) == nil && len(got) == 1 {
		return got[0]
	}
	r := Result{Task: tk.num, Index: tk.index, Title: tk.title, Funcs: tk.funcs, Seed: c.seed, Failed: 1, Elapsed: time.Since(start)}
	out := output.String()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		r.TimedOut = true
		r.Hint = fmt.Sprintf("did not finish within %v: does a loop never end (an index that never advances, a condition that never turns false)?", c.timeout+childGrace)
		r.Diagnosis = "timeout: the process grading this task was stopped"
	case runErr == nil:
		r.Crashed = true
		r.Hint = "the lab's test ended without grading this task: did a task call os.Exit (or log.Fatal)? A task must return its result."
	default:
		r.Crashed = true
		r.Diagnosis = proc.DeathLine(out)
		r.Hint = "the process grading this task died: " + r.Diagnosis
		if strings.Contains(out, "stack exceeds") || strings.Contains(out, "stack overflow") {
			r.Hint += ": infinite recursion? A function that calls itself must reach a case that returns without calling itself."
		}
	}
	return r
}
