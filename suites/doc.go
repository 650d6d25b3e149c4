// Package suites holds the property suites: for every built-in loss and map
// of package functions, the properties its derivatives must have, checked
// on random data drawn with rapid (package generators, through
// subjects.Generator) — analytic ≈ numeric gradient, Taylor order 2, a
// symmetric Jacobian of the gradient, Hessian ≈ Jacobian of the gradient,
// Jacobian ≈ numeric Jacobian (k×d), Σw² has Hessian 2I for any d, MSE and
// Logistic Hessians positive semi-definite, the Logistic derivatives at
// extreme logits.
//
// All returns them; Run runs one within rapid's budget and returns a Result
// (cases, verdict, worst relative error and worst error/tolerance ratio);
// the package's test runs them all in go test, and cmd/fuzzreport reports
// them. More cases: RAPID_CHECKS=10000 go test -count=1 ./suites/ (or
// -rapid.checks=10000); a failure prints the seed and how to replay it.
// Keep -count=1 with RAPID_* variables: rapid reads them in init, which
// the go test cache does not track, so a cached pass would come back.
//
// # Conventions
//
//   - A Suite is a subject (subjects.Subject, typed) and a property; its
//     Name is "Subject/property" ("MSE/gradient"), which cmd/fuzzreport
//     reports as suites/MSE/gradient.
//   - Data comes from subjects.Generator under the suite's Needs; the code
//     checked is subjects.Correct's, so a failure is a false alarm of the
//     checker or a bug in package functions, never a planted one.
//   - Run never panics: a panic in a check is the suite's failure.
//     Result.MaxRelErr is the worst relative error, Result.WorstRatio the
//     worst error/tolerance ratio, above 1 failing.
package suites
