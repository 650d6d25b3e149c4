// Package realworld checks the hand-written derivatives of Go libraries
// nobody on this project wrote — gonum's distributions, special functions,
// optimization test functions and multivariate distributions, gorgonia's
// op gradients on both of its machines, golearn's activations — with the
// checks of package properties, at points drawn by package generators with
// fixed seeds.
//
// The package holds tests only. Every verdict of a bug is confirmed in the
// same test by evidence that does not come from finite differences: a hand
// derivation, a complex-step or math/big value, or the library's own value
// computed another way. A confirmed bug is pinned as an expected failure:
// its test passes while the checks still report it with the pinned
// diagnosis, and fails the day they stop.
//
// README.md holds the findings table, the bugs no derivative check can
// see, the harness's former false alarms, and the coverage figure — functions ×
// points checked, by verdict — that every run counts, that
//
//	go test -count=1 . -args -coverage coverage.md
//
// writes as markdown (go test -v prints it too), and that a run of the
// whole suite compares with README.md's copy (-update rewrites it). Under Go 1.26 gorgonia's
// dependency go4.org/unsafe/assume-no-moving-gc panics at init unless
// ASSUME_NO_MOVING_GC_UNSAFE_RISK_IT_WITH=go1.26 is set: the script run
// sets it.
package realworld
