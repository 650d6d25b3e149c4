// Command gradlab is the course lab "Calculus & Gradients" in Go: it
// scaffolds a lab module with five tasks to implement, grades them with
// gradcheck's property checks, and prints evidence for the lab's questions.
//
// Usage:
//
//	gradlab init [-dir DIR] [-replace PATH]
//	gradlab grade [-dir DIR] [-seed N] [-timeout D] [-json]
//	gradlab evidence [-dir DIR] [-data FILE]
//	gradlab playbook
//
// init writes a lab module in DIR (default calculus-lab): tasks.go, the
// five tasks as functions that panic with "not implemented yet", each with
// its statement, shapes and hints; grade_test.go, which grades them with
// package github.com/gradcheck/gradcheck/lab; README.md; PLAYBOOK.md;
// mse_data.csv, a dataset for the evidence. The lab builds and its tests
// run at once. Its go.mod requires github.com/gradcheck/gradcheck; when
// gradlab runs from a checkout of gradcheck (found from the current
// directory upwards), or with -replace PATH, it adds a replace directive to
// that copy and the checkout's go.sum, so that the lab builds offline;
// otherwise it requires the version gradlab was built from and runs go
// mod tidy, which fetches it (go run
// github.com/gradcheck/gradcheck/cmd/gradlab@latest init, once gradcheck
// is published; until then, run gradlab from a checkout).
//
// grade grades the lab in -dir (default the current folder), or, if that
// is not a lab, the lab above it, found as go finds go.mod. It
// builds the lab's test binary (go test -c) and runs it once per
// task, each in its own process under a time box (-timeout, default 10s),
// so that a task that loops or crashes is reported as that task's failure
// and the others are still graded. It prints per task: solved or not, and
// for a wrong answer a hint in the learner's terms, the checker's
// diagnosis and the smallest failing case; then "Progress: k/5 tasks
// solved". -seed (default 1) picks the random shapes and data; -json
// prints the results as JSON instead.
//
// evidence prints the evidence for the lab's questions: why the central
// difference beats the forward one (an eps sweep on this machine: best
// step, best error and slopes per method), and what the Hessian says about
// curvature (for the MSE data in DIR/mse_data.csv or -data FILE, a CSV
// whose last column is y: the eigenvalues of (2/n)XᵀX, the condition
// number, the largest stable gradient-descent step 2/λmax, and gradient
// descent just below and just above it). playbook prints the debugging
// playbook, PLAYBOOK.md.
//
// Exit codes: 0 on success (grade: every task solved); 1 if grade found a
// task not solved; 2 if the command could not do its job: a usage error,
// a folder that is not a lab, a lab that does not compile (the compiler's
// message is printed, then what to do), a dataset that cannot be read.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitUnsolved = 1
	exitError    = 2
)

const usage = `usage:
  gradlab init [-dir DIR] [-replace PATH]        scaffold a lab module
  gradlab grade [-dir DIR] [-seed N] [-timeout D] [-json]
                                                 grade it: per task, progress k/5
  gradlab evidence [-dir DIR] [-data FILE]       why central beats forward; what the Hessian says
  gradlab playbook                               how to debug an autodiff bug in production
`

// run is the command with its arguments; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "init":
		return runInit(args[1:], stdout, stderr)
	case "grade":
		return runGrade(ctx, args[1:], stdout, stderr)
	case "evidence":
		return runEvidence(args[1:], stdout, stderr)
	case "playbook":
		if len(args) > 1 {
			fmt.Fprintf(stderr, "gradlab playbook: unexpected argument %q\n%s", args[1], usage)
			return exitError
		}
		io.WriteString(stdout, playbook)
		return exitOK
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gradlab: unknown command %q\n%s", args[0], usage)
	return exitError
}

// errorf prints a one-line error and returns exitError.
func errorf(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "gradlab: "+format+"\n", args...)
	return exitError
}
