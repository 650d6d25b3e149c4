// Package gradtest turns correct functions and derivatives into misbehaving
// ones, for testing code that checks derivatives — as testing/iotest does
// for readers. Each wrapper names the one thing it breaks, so a test can
// assert that a checker reports exactly that.
//
// Functions are f: ℝᵈ→ℝ, func(x []float64) float64; vector functions
// (gradients and maps) write their outputs to dst, func(dst, x []float64).
// The wrappers are safe for concurrent use if the wrapped function is. The
// Nondeterministic ones share a random source under a lock, so the values
// they return then depend on the order of the calls.
//
// Wrappers for bugs that are not a wrong formula: StaleCache
// (grad reads the point of f's last call: stale-state), with KeyedCache as
// its correct control; AccumulatingVec (dst[i] += …: accumulated-dst);
// LateMutatingFunc and ClampingFunc (writes to x after the first calls, or
// an in-place clamp: input-mutated); SharedBufferFunc and SharedBufferVec
// (one scratch buffer for every call: concurrency-unsafe under Workers > 1),
// with SerialBufferFunc and SerialBufferVec (the same buffer under a lock)
// as their correct controls; SlowFunc (for budgets: stopped).
//
// Two wrappers cannot always break what they name: MutatingFunc changes
// nothing at a point whose entries are all 0, and MutatingVec nothing at one
// whose last entry is 0; use them at points where they do.
package gradtest
