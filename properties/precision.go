package properties

import (
	"math"
	"sync"
)

// The first tolerance of every check rests on the noise of f measured at
// x (gradients.Noise, and the engine's own measurement inside
// JacobianWithError and DerivativeWithError): fourth differences over
// steps of 2⁻³⁰ and 2⁻²⁰ relative. A function computed in float32 inside
// is a staircase at those spacings, float32(1e4 + x²) steps by 9.8e-4,
// and where its values do not change at all the measurement sees no noise
// and σ falls to ε|f|: the screen's value 0 of a derivative of 0.2 came
// with a tolerance of 2e-5, a false bug. The values themselves tell:
// values that carry at most float32's 24 significant bits carry its
// round-off whatever their differences say (precisionNoise, which the
// ladder of kink.go reads the same way). The floor asks every value f
// returned to be that short: a float64 computation returns values with
// more bits at almost every point (a value has its last 29 bits zero with
// probability 2⁻²⁹), so the 16 values of a noise measurement of a float64
// f are taken for float32 only where f is constant at those spacings on
// values exact in 24 bits (integers, 0.5) or 0 (whose floor is 0). There
// the floor only loosens the tolerance to float32's, and the loose entry
// gets its second opinions (docs/NUMERICS.md, "The first noise: the
// precision floor of f's values").

// valueBits records, per output, the most significant bits and the
// largest magnitude of the finite values a function returned: the
// evidence of precisionFloor. It is safe for concurrent use.
type valueBits struct {
	mu   sync.Mutex
	bits []int
	big  []float64
}

// newValueBits returns a record for a function of k outputs.
func newValueBits(k int) *valueBits {
	return &valueBits{bits: make([]int, k), big: make([]float64, k)}
}

// see records the outputs vs of one evaluation.
func (b *valueBits) see(vs ...float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c, v := range vs {
		if isFinite(v) {
			b.bits[c] = max(b.bits[c], sigBits(v))
			b.big[c] = math.Max(b.big[c], math.Abs(v))
		}
	}
}

// scalar returns f recording its values in b (one output).
func (b *valueBits) scalar(f func([]float64) float64) func([]float64) float64 {
	return func(v []float64) float64 {
		y := f(v)
		b.see(y)
		return y
	}
}

// line returns φ recording its values in b (one output).
func (b *valueBits) line(phi func(float64) float64) func(float64) float64 {
	return func(t float64) float64 {
		y := phi(t)
		b.see(y)
		return y
	}
}

// vector returns f recording its values in b.
func (b *valueBits) vector(f func(dst, x []float64)) func(dst, x []float64) {
	return func(dst, x []float64) {
		f(dst, x)
		b.see(dst...)
	}
}

// precisionFloor returns the least noise of output c that its recorded
// values allow: precisionNoise of their largest magnitude where none of
// them carried more than float32's 24 significant bits, and 0 where one
// did (float64 values: their measured noise stands, as before).
func (b *valueBits) precisionFloor(c int) float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bits[c] > float32Bits {
		return 0
	}
	return precisionNoise(b.bits[c], b.big[c])
}

// oneValueBits is valueBits for one output, seen by one goroutine: the
// screen's noise measurement (gradients.Noise evaluates f in turn on the
// caller's goroutine), which records its 15 values without a lock and
// without an allocation (session.recording).
type oneValueBits struct {
	bits int
	big  float64
}

// see records the value v of one evaluation.
func (b *oneValueBits) see(v float64) {
	if isFinite(v) {
		b.bits = max(b.bits, sigBits(v))
		b.big = maxOf(b.big, math.Abs(v))
	}
}

// precisionFloor is valueBits.precisionFloor of the one output.
func (b *oneValueBits) precisionFloor() float64 {
	if b.bits > float32Bits {
		return 0
	}
	return precisionNoise(b.bits, b.big)
}

// float32Bits is float32's significand precision.
const float32Bits = 24
