// Package generators provides rapid generators of the shapes, values,
// matrices, labels and datasets that gradient property tests draw.
//
// Every entry point returns a *rapid.Generator; draw from it inside a
// property with a label, which names the value in rapid's failure report:
//
//	rapid.Check(t, func(t *rapid.T) {
//		ds := generators.RegressionData().Draw(t, "data")
//		…
//	})
//
// # Shapes
//
// A dataset has N samples and D features: X is N×D (gonum *mat.Dense), labels
// and targets have length N, and the weights W, the point at which a gradient
// is checked, have length D, as in the lab (ŷ = Xw, w of shape (d,), X of
// shape (n, d)). Shape draws N and D from 1…12, with N == D in exactly 1/4 of
// draws, so that transpose bugs meet shapes on which they do not panic.
// Multiclass weights are a d×k matrix flattened row-major:
// W[i*k+j] = W_ij, so Z = X·W is n×k.
//
// # Scales
//
// Float64, the default for every vector, matrix and dataset, spreads
// magnitudes evenly over the decades 1e-3…1e3 (each decade 7/48 of draws),
// with exact 0 (1/16) and small integers ±1…±9 (1/16). rapid.Float64Range
// is no substitute: about half of its draws on [-1, 1] fall below 1e-10.
// Float64Tiny (1e-300…1e-6), Float64Huge (1e6…1e300) and Float64Decades
// cover other scales with the same uniform-by-decade spread. Every value is
// finite; only Float64 produces zeros. The shares are exact by construction
// (decade choices come from unbiased bits) and pinned by this package's tests.
//
// # Shrinking
//
// Failing cases shrink towards small sizes (N, D, k towards their minimum)
// and simple values: 0, small integers, magnitude 1 (the decade [1, 10) with
// mantissa 1), + signs, class 0, uniform probability rows, moderate logits,
// unrotated (diagonal) ill-conditioned matrices. A property failing whenever
// N ≥ 2 shrinks to Dims{N: 2, D: 1}; one failing whenever some |x| > 1, to
// a one-element vector [1.5] or [2]. Generators with branches (zero, integer
// or general; moderate or extreme) draw every branch's values before
// choosing one, so shrinking a choice does not shift the draws after it.
//
// # Determinism
//
// A drawn value is a pure function of rapid's choices: the same seed
// (-rapid.seed) or fail file reproduces it, and gen.Example(seed) is stable
// for a given rapid version. IllConditionedMatrix fills its random rotations
// from a math/rand/v2 PCG seeded by one rapid draw. Values may differ in the
// last bits across architectures where the compiler fuses multiply-adds.
//
// # Errors
//
// Misuse panics when the generator is built, with a "generators: " message
// naming the argument and what was wanted: negative sizes, empty matrices,
// minN > maxN, minExp ≥ maxExp, cond < 1, k < 1, nil generators. Shapes or
// class counts drawn from a user's generator are checked when drawn, and a bad
// one panics inside the property.
//
// # Arguments
//
// A generator built from another takes it first and the sizes after, as
// rapid does (rapid.SliceOfN(elem, min, max)): VectorOf(elem, n),
// MatrixOf(elem, r, c). Sizes are counts (n samples, d features, k
// classes; r×c for a matrix), never lengths of flattened data.
//
// # Index
//
// Shapes: [Shape], [ShapeRange] ([Dims]).
//
// Scalars: [Float64], [Float64Decades], [Float64Tiny], [Float64Huge],
// [Logit], [ExtremeLogit].
//
// Vectors and matrices: [Vector], [VectorOf], [Point], [Logits], [Matrix],
// [MatrixOf], [IllConditionedMatrix].
//
// Labels: [Labels01], [OneHot], [ProbabilityRows].
//
// Datasets: [RegressionData], [RegressionDataOf] ([Regression]);
// [ClassificationData], [ClassificationDataOf] ([Classification]);
// [MulticlassData], [MulticlassDataOf] ([Multiclass]).
package generators
