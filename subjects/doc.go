// Package subjects names the built-in losses and maps of package functions
// as subjects of a check, and draws data for them: the suites that check
// the correct code and the mutants that break it share these.
//
// A Subject (MSE, Logistic, …) is typed; Data is one draw of data and a
// point for a subject; Needs are conditions on that draw (n ≥ 2, n == d,
// extreme logits, …) under which a bug can show; Generator draws Data that
// meets Needs from package generators; Correct returns the subject's
// correct problem on the data, ready for package properties.
//
// # Conventions
//
//   - Shapes are those of package functions: X is n×d, Y has length n (T is
//     n×k for SoftmaxCrossEntropy), A is k×d for Linear, and W, the point,
//     has d entries (d·k, row-major, for SoftmaxCrossEntropy). Data.N, D and
//     K read the sizes from the fields that are set.
//   - Draws are small (n, d, k ≤ 8) and shrink towards the smallest shape
//     Needs allow, as package generators' do; the same rapid seed draws the
//     same Data.
//   - An unknown Subject panics with a "subjects: " message.
package subjects
