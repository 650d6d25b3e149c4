package lab

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"
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
// malformed.
func Run(t *testing.T, tasks Tasks) {
	t.Helper()
	s, err := SettingsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	old := debug.SetMaxStack(maxStack)
	defer debug.SetMaxStack(old)
	results := Grade(tasks, s)
	if out := os.Getenv(EnvOut); out != "" {
		data, err := json.MarshalIndent(results, "", "  ")
		if err == nil {
			err = os.WriteFile(out, data, 0o644)
		}
		if err != nil {
			t.Fatalf("lab: writing the results: %v", err)
		}
	} else {
		c := resolve(s)
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
