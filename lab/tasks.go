package lab

import (
	"reflect"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Tasks holds the learner's implementations; a nil field is a task not
// attempted (reported as not implemented yet). Inputs are the grader's
// copies: a function may write to them without harm, but its results must
// be new values, not its inputs.
type Tasks struct {
	// NumericalGradient returns the gradient of f at w by central
	// differences with step eps: (f(w+eps·eᵢ) − f(w−eps·eᵢ))/(2·eps).
	// Task 1.1.
	NumericalGradient func(f func(w []float64) float64, w []float64, eps float64) []float64

	// MSEGrad returns the gradient (2/n)Xᵀ(Xw − y) of the mean squared
	// error (1/n)‖Xw − y‖², X n×d, y length n, w length d. Task 2.1.
	MSEGrad func(X *mat.Dense, y, w []float64) []float64

	// BCELoss returns the binary cross-entropy
	// −(1/n)Σ[yᵢ log pᵢ + (1−yᵢ) log(1−pᵢ)] with p = σ(Xw), finite for any
	// finite logit; BCEGrad its gradient (1/n)Xᵀ(p − y). Task 3.1.
	BCELoss func(X *mat.Dense, y, w []float64) float64
	BCEGrad func(X *mat.Dense, y, w []float64) []float64

	// NumericalHessian returns the Hessian, d×d, of the function whose
	// gradient is grad, as the Jacobian of grad by central differences:
	// column j is (grad(w+eps·eⱼ) − grad(w−eps·eⱼ))/(2·eps). Task 4.1.
	NumericalHessian func(grad func(w []float64) []float64, w []float64, eps float64) *mat.Dense

	// SoftmaxJacobian returns the Jacobian, k×d, of x ↦ softmax(Ax) for A
	// k×d: (diag(s) − ssᵀ)A with s = softmax(Ax). Task 5.1.
	SoftmaxJacobian func(A *mat.Dense, x []float64) *mat.Dense
}

// firstNil returns the first of the functions named (fields of Tasks) that
// is nil in t, or "". A task's funcs name its fields, so that the names the
// learner reads and the functions graded are one list.
func (t Tasks) firstNil(names []string) string {
	v := reflect.ValueOf(t)
	for _, name := range names {
		if f := v.FieldByName(name); !f.IsValid() {
			panic("lab: Tasks has no field " + name) // a typo in a task's funcs
		} else if f.IsNil() {
			return name
		}
	}
	return ""
}

// NumTasks is the number of tasks of the lab.
const NumTasks = 5

// Settings configures Grade. A nil *Settings means defaults, and so does
// every zero field.
type Settings struct {
	// Seed seeds the random shapes and data. Zero means DefaultSeed, so a
	// grading run is reproducible; every report shows its seed.
	Seed uint64
	// Timeout is the time box of one task. Zero means DefaultTimeout.
	Timeout time.Duration
	// Only, if not empty, lists the tasks to grade by number, 1 to
	// NumTasks; the others are left out of the results.
	Only []int
}

const (
	// DefaultSeed is the seed used when Settings.Seed is zero.
	DefaultSeed = 1
	// DefaultTimeout is the time box of a task when Settings.Timeout is
	// zero. Grading a correct task takes well under 100 ms
	// (TestGradeReference); ten seconds leaves room for a slow machine
	// and a slow but finite implementation.
	DefaultTimeout = 10 * time.Second
)

// A Result is the verdict on one task.
type Result struct {
	// Task is the task's number in the lab, "1.1" to "5.1"; Index its
	// position, 1 to NumTasks; Title what it asks; Funcs the names of the
	// functions it grades.
	Task  string   `json:"task"`
	Index int      `json:"index"`
	Title string   `json:"title"`
	Funcs []string `json:"funcs"`
	// Solved is true if every case passed.
	Solved bool `json:"solved"`
	// NotImplemented is true if a function of the task is nil or panics
	// with "not implemented yet" (the scaffold's placeholder).
	NotImplemented bool `json:"not_implemented,omitempty"`
	// TimedOut is true if grading did not finish within the time box.
	TimedOut bool `json:"timed_out,omitempty"`
	// Crashed is true if the process grading the task died (set by
	// gradlab grade, which runs each task in its own process).
	Crashed bool `json:"crashed,omitempty"`
	// Cases is the number of cases tried, Failed how many failed.
	Cases  int `json:"cases"`
	Failed int `json:"failed"`
	// Hint says in the learner's terms what is probably wrong.
	Hint string `json:"hint,omitempty"`
	// Diagnosis is the checker's message for the case of Case.
	Diagnosis string `json:"diagnosis,omitempty"`
	// Case describes the smallest failing case that gave Hint (so that
	// the hint, the case and the diagnosis agree): shapes, data, and the
	// learner's value against the expected one at the worst entry.
	Case string `json:"case,omitempty"`
	// Output is what the task's functions printed to standard output
	// while graded, at most MaxOutputLines lines (then a line saying how
	// many more there were); it is recorded by Run when it writes the
	// results to $GRADLAB_OUT, as gradlab grade has it do, and is empty
	// otherwise (under go test the prints go to the terminal).
	Output string `json:"output,omitempty"`
	// Seed is the seed of the run; Elapsed the grading time.
	Seed    uint64        `json:"seed"`
	Elapsed time.Duration `json:"elapsed_ns"`
}
