// Package gradtest turns correct functions and derivatives into misbehaving
// ones, for testing code that checks derivatives — as testing/iotest does
// for readers. Each wrapper names the one thing it breaks, so a test can
// assert that a checker reports exactly that.
//
// Functions are f: ℝᵈ→ℝ, func(x []float64) float64; vector functions
// (gradients and maps) write their outputs to dst, func(dst, x []float64).
// The wrappers are safe for concurrent use if the wrapped function is
// (except SharedBufferFunc and SharedBufferVec, whose point is not to be).
// The Nondeterministic ones share a random source under a lock, so the
// values they return then depend on the order of the calls.
//
// The wrappers, by the kind of package properties that each provokes:
//
//   - constant-factor, sign: ScaledVec (c = 2, 0.5, −1), ScaledHess,
//     ScaledJac.
//   - permutation: SwappedVec. transpose: TransposedJac.
//   - partial, mismatch: PerturbedVec and PerturbedHess (one entry off by
//     a relative rel), OffsetVec (one entry off by delta).
//   - shape: UnwrittenVec (an entry of dst never written).
//   - not-finite: NaNFunc and NaNVec, in a region: Everywhere or Above.
//   - panic: PanickingFunc, in a region.
//   - input-mutated: MutatingFunc and MutatingVec (a write to x on every
//     call), LateMutatingFunc and LateMutatingVec (after the first calls),
//     ClampingFunc (an in-place clamp).
//   - nondeterministic: NondeterministicFunc, NondeterministicVec.
//   - nondifferentiable: Kinked (a kink along one coordinate).
//   - stale-state: StaleCache (grad reads the point of f's last call), with
//     KeyedCache (a cache keyed on x) as its correct control.
//   - accumulated-dst: AccumulatingVec (dst[i] += … without zeroing).
//   - concurrency-unsafe: SharedBufferFunc and SharedBufferVec (one scratch
//     buffer for every call, under Settings.Workers > 1), with
//     SerialBufferFunc and SerialBufferVec (the same buffer under a lock)
//     as their correct controls.
//   - stopped: SlowFunc (a sleep before each evaluation, for budgets).
//   - unresolved: no wrapper; it comes from f itself, whose changes sink
//     in its round-off (30 + 1e-12·x), not from a misbehaviour.
//
// Two wrappers cannot always break what they name: MutatingFunc changes
// nothing at a point whose entries are all 0, and MutatingVec nothing at one
// whose last entry is 0; use them at points where they do.
package gradtest
