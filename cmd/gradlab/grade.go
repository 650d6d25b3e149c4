package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gradcheck/gradcheck/internal/proc"
	"github.com/gradcheck/gradcheck/lab"
)

// startupGrace is how long past the time box a task's process may run
// before it is killed: the process starts, draws its cases and writes its
// results in milliseconds, so a process still running then is stuck where
// the in-process time box could not reach (a loop that never yields).
const startupGrace = 5 * time.Second

func runGrade(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("grade", stderr)
	dir := fset.String("dir", ".", "the lab's folder, or a folder inside it")
	seed := fset.Uint64("seed", lab.DefaultSeed, "the seed of the random shapes and data")
	timeout := fset.Duration("timeout", lab.DefaultTimeout, "the time box of each task")
	asJSON := fset.Bool("json", false, "print the results as JSON")
	if code, done := parseFlags(fset, args, stdout); done {
		return code
	}
	if *seed == 0 {
		fmt.Fprintln(stderr, "gradlab grade: -seed 0: the seed must be positive (default 1)")
		return exitError
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "gradlab grade: -timeout %v: the time box must be positive (default %v)\n", *timeout, lab.DefaultTimeout)
		return exitError
	}
	labDir, err := findLab(*dir)
	if err != nil {
		return errorf(stderr, "%v", err)
	}
	*dir = labDir
	tmp, err := os.MkdirTemp("", "gradlab-")
	if err != nil {
		return errorf(stderr, "grade: %v", err)
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "lab.test")
	build := exec.CommandContext(ctx, "go", "test", "-c", "-o", bin, ".")
	build.Dir = *dir
	if out, err := build.CombinedOutput(); err != nil {
		stderr.Write(out)
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return errorf(stderr, "grade: running go: %v (is the go command installed and on PATH?)", err)
		}
		fmt.Fprintln(stderr, "gradlab: the lab does not compile: fix the error above (in tasks.go, most likely), then run gradlab grade again.")
		return exitError
	}

	var results []lab.Result
	for i := 1; i <= lab.NumTasks; i++ {
		if ctx.Err() != nil {
			return errorf(stderr, "grade: interrupted")
		}
		results = append(results, gradeOne(ctx, *dir, bin, tmp, i, *seed, *timeout))
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(results)
	} else {
		fmt.Fprintf(stdout, "gradlab: grading %s (seed %d, time box %v per task)\n\n", *dir, *seed, *timeout)
		lab.Format(stdout, results)
		// The command as the README and the lab's README give it: gradlab
		// is rarely installed.
		fmt.Fprintf(stdout, "\nReproduce: go run %s/cmd/gradlab grade -dir %s -seed %d\n", modulePath, *dir, *seed)
	}
	for _, r := range results {
		if !r.Solved {
			return exitUnsolved
		}
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "All solved. Now the lab's questions: go run %s/cmd/gradlab evidence -dir %s\n", modulePath, *dir)
	}
	return exitOK
}

// findLab returns the lab dir is in: dir itself, or, as go finds go.mod,
// the nearest folder above it with a go.mod, if that is a lab. Otherwise
// it returns checkLab's error for dir.
func findLab(dir string) (string, error) {
	err := checkLab(dir)
	if err == nil {
		return dir, nil
	}
	abs, aerr := filepath.Abs(dir)
	if aerr != nil {
		return "", err
	}
	if st, serr := os.Stat(abs); serr != nil || !st.IsDir() {
		return "", err
	}
	for p := abs; ; {
		if _, serr := os.Stat(filepath.Join(p, "go.mod")); serr == nil {
			if p != abs && checkLab(p) == nil {
				return p, nil
			}
			return "", err
		}
		up := filepath.Dir(p)
		if up == p {
			return "", err
		}
		p = up
	}
}

// checkLab returns an error unless dir holds a lab made by gradlab init.
func checkLab(dir string) error {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("%s is not a folder: create a lab with gradlab init -dir %s", dir, dir)
	}
	var missing []string
	for _, name := range []string{"go.mod", "tasks.go", "grade_test.go"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s is not a lab (no %s): create one with gradlab init -dir DIR, or pass the lab's folder with -dir", dir, strings.Join(missing, ", "))
	}
	return nil
}

// gradeOne runs the lab's test binary for task i in its own process and
// returns its result: the one the process wrote, or a timeout or crash.
func gradeOne(ctx context.Context, dir, bin, tmp string, i int, seed uint64, timeout time.Duration) lab.Result {
	out := filepath.Join(tmp, fmt.Sprintf("task%d.json", i))
	ctx, cancel := context.WithTimeout(ctx, timeout+startupGrace)
	defer cancel()
	// -test.paniconexit0, as go test passes it: a task's os.Exit(0) is a
	// panic the lab reports ("called os.Exit"), not a silent exit.
	cmd := exec.CommandContext(ctx, bin, "-test.run", "^TestLab$", "-test.paniconexit0")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		lab.EnvTask+"="+strconv.Itoa(i),
		lab.EnvOut+"="+out,
		lab.EnvSeed+"="+strconv.FormatUint(seed, 10),
		lab.EnvTimeout+"="+timeout.String())
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	proc.NewGroup(cmd)
	cmd.Cancel = func() error { return proc.Kill(cmd.Process) }
	cmd.WaitDelay = time.Second
	start := time.Now()
	runErr := cmd.Run()
	elapsed := time.Since(start)

	data, err := os.ReadFile(out)
	var results []lab.Result
	if err == nil && json.Unmarshal(data, &results) == nil && len(results) == 1 {
		return results[0]
	}
	r := taskInfo[i]
	r.NotImplemented, r.Hint = false, ""
	r.Seed, r.Elapsed, r.Failed = seed, elapsed, 1
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		r.TimedOut = true
		r.Hint = fmt.Sprintf("did not finish within %v: does a loop never end (an index that never advances, a condition that never turns false)?", timeout+startupGrace)
		r.Diagnosis = "timeout: the process grading this task was stopped"
	case runErr == nil:
		r.Crashed = true
		r.Hint = "the lab's test ended without grading this task: did a task call os.Exit (or log.Fatal)? A task must return its result. Otherwise, is grade_test.go as gradlab init wrote it (TestLab calling lab.Run)?"
	default:
		r.Crashed = true
		r.Diagnosis = proc.DeathLine(output.String())
		r.Hint = "the process grading this task died"
		if where := labFrame(output.String(), dir); where != "" {
			r.Hint += " at " + where
		}
		r.Hint += ": " + r.Diagnosis
		if strings.Contains(output.String(), "stack exceeds") || strings.Contains(output.String(), "stack overflow") {
			r.Hint += ": infinite recursion? A function that calls itself must reach a case that returns without calling itself."
		}
	}
	return r
}

// labFrame returns the innermost frame of a crash's stack trace that is in
// the lab's folder: "tasks.go:95, in calculus.SoftmaxJacobian", or "".
func labFrame(out, dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	lines := strings.Split(out, "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, abs+string(filepath.Separator)) || strings.Contains(l, "_test.go:") {
			continue
		}
		if j := strings.LastIndex(l, " +0x"); j >= 0 {
			l = l[:j]
		}
		fn := strings.TrimSpace(lines[i-1])
		if j := strings.LastIndex(fn, "("); j > 0 {
			fn = fn[:j]
		}
		return fmt.Sprintf("%s, in %s", filepath.Base(l), fn)
	}
	return ""
}

// taskInfo names the tasks for results made here, when a task's process
// could not report its own: the results of grading no functions at all.
var taskInfo = func() map[int]lab.Result {
	m := map[int]lab.Result{}
	for _, r := range lab.Grade(lab.Tasks{}, nil) {
		m[r.Index] = r
	}
	return m
}()
