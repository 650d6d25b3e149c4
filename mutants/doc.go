// Package mutants is a corpus of real gradient bugs: deliberately wrong
// gradients, Hessians and Jacobians of the built-in losses and maps of
// package functions, each labelled with its bug class and with the Kind the
// checker of package properties should diagnose. It proves the checker
// finds the bugs the lab warns about (docs/LAB.md): missing constants
// (the 2 of a square, the 1/n of a mean), shape bugs (X where Xᵀ belongs, a
// matrix flattened in the wrong order), sign errors, stability bugs
// (clipped probabilities, an unstable log), off-by-ones, small errors in
// one entry, Hessians without their weights, transposed Jacobians, and
// gradients that are no gradient field.
//
// All returns the corpus. Each Mutant builds its wrong Problem on a
// subjects.Data, which subjects.Generator draws at random (with rapid,
// shrinking to small cases) to meet the mutant's Needs; subjects.Correct
// builds the right Problem on the same data, for the control: correct
// implementations never fail. Most bugs are written out as a learner would
// write them; a bug that only edits a correct result (two entries swapped,
// one perturbed or left unwritten, a dst accumulated into) is the correct
// gradient wrapped by package properties/gradtest, which names it.
//
// # Conventions
//
//   - A Mutant is data: Name ("subject/bug"), Class, Subject, Property,
//     Want (the Kind the checker should report) and Accept (other Kinds
//     that are right too), Needs, Doc and Build.
//   - Build returns a properties.Problem on the drawn data; everything not
//     broken is subjects.Correct's, so a mutant differs from the correct
//     code in exactly one place.
//   - Randomness comes from rapid (-rapid.seed, RAPID_SEED): a hunt is
//     reproducible from its seed, which Result.Log prints.
//
// A mutant is detected when its property check fails on some drawn data;
// its diagnosis is right when the first failure's Kind is the label. The
// package's test runs every mutant within rapid's default budget and prints
// the mutation score and the diagnosis accuracy; cmd/fuzzreport reports
// them.
package mutants
