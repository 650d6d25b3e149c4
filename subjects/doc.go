// Package subjects names the built-in losses and maps of package functions
// as subjects of a check, and draws data for them: the suites that check
// the correct code and the mutants that break it share these.
//
// A Subject (MSE, Logistic, …) is typed; Data is one draw of data and a
// point for a subject; Needs are conditions on that draw (n ≥ 2, n == d,
// extreme logits, …) under which a bug can show; Generator draws Data that
// meets Needs from package generators; Correct returns the subject's
// correct problem on the data, ready for package properties.
package subjects
