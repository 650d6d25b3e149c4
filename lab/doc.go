// Package lab grades the course lab "Calculus & Gradients" in Go: five
// tasks a learner implements, each checked by package properties on random
// shapes and data, with a diagnosis in the learner's terms.
//
// The command gradlab (cmd/gradlab) scaffolds a lab module whose test file
// calls Run; this package is the grader behind it, importable from the
// learner's module (an internal package would not be).
//
// # Tasks
//
//	1.1 NumericalGradient(f, w, eps)  central differences, len d
//	2.1 MSEGrad(X, y, w)              (2/n)Xᵀ(Xw − y), len d
//	3.1 BCELoss(X, y, w), BCEGrad     −(1/n)Σ[y log p + (1−y) log(1−p)], (1/n)Xᵀ(p − y)
//	4.1 NumericalHessian(grad, w, eps) Jacobian of the gradient, d×d (2I for Σw²)
//	5.1 SoftmaxJacobian(A, x)         Jacobian of softmax(Ax), k×d
//
// X is n×d (one sample per row), w has length d, A is k×d. Every task is
// graded on small fixed shapes and on random ones drawn from the seed, with
// n ≠ d and n = d; tasks 3.1 and 5.1 also on extreme logits (|z| from 16 to
// 800), where a clipped probability or an overflowing exponential shows.
//
// # Verdicts
//
// A Result says per task whether it is solved; if not, a Hint in the
// learner's terms ("your gradient is 0.5× the numerical one at every
// entry: did you drop the 2 of the square?"), the checker's Diagnosis and
// the smallest failing case that gave the hint (cases are tried smallest
// first), so that hint, diagnosis and case speak of the same case. A task whose
// function panics with "not implemented yet" — as the scaffold's do — is
// reported as such. The hint comes from the checker's Failure (its Kind and
// Factor), from which cases failed (moderate or extreme logits) and from a
// bank of the lab's typical wrong answers that the learner's output is
// compared with.
//
// # Safety and time
//
// The learner's functions never receive the grader's data, only copies.
// A panic is recovered and reported as the task's failure; each task runs
// under a time box (Settings.Timeout) on its own goroutine, so a task that
// loops is reported and grading goes on with the others. A goroutine
// stuck in a loop cannot be stopped, only abandoned: gradlab grade, and
// Run under plain go test, run each task in its own process to contain
// loops and crashes (a stack overflow is fatal to a Go process).
//
// # Conventions
//
//   - Shapes: X is n×d (one sample per row), y has length n, w length d,
//     A is k×d; matrices are gonum *mat.Dense, vectors []float64. The
//     learner's functions return new values; the grader hands them copies.
//   - Settings: a nil *Settings means defaults, and so does every zero
//     field (DefaultSeed, DefaultTimeout, every task).
//   - Misuse of Grade — Settings.Only naming a task outside 1 to NumTasks,
//     a negative Timeout — panics with a "lab: " message before any task
//     runs. What the learner's code does (a wrong value, a panic, a loop, a
//     result of the wrong size) is a Result, never a panic of Grade.
//   - Determinism: the same seed draws the same cases and gives the same
//     report; every report names its seed.
//
// # Entry points
//
//	Grade(tasks, s)      grades and returns a Result per task
//	Run(t, tasks)        grades inside a test, as the lab's grade_test.go does
//	Format(w, results)   writes the report, ending "Progress: k/5 tasks solved"
package lab
