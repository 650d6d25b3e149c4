package gradients

import "math"

// Round-off in f is often far larger than ε·|f|: a loss that sums terms of
// size 1 to a value of 1e-4 carries the round-off of its terms, ε·1, not
// ε·1e-4. Error estimates built on ε·|f| are then optimistic by the ratio.
// noise measures the round-off actually present instead, from the scatter of
// f along a short line through x: over steps of 1e-9 relative, the smooth
// part of f has fourth differences of order 1e-36·f⁗ and what remains is
// noise (Hamming's difference-table estimate, as in Moré & Wild 2011,
// "Estimating computational noise", SIAM J. Sci. Comput. 33(3)).
//
// It measures twice, at steps of 2⁻³⁰ and of 2⁻²⁰ relative, and keeps the
// larger: round-off can be locally smooth. A loss whose logits are sums
// with a term near 2e5 keeps the same rounding while the logits move by
// less than about an ulp of the big term, and looked exact (4e-16) at the
// small steps while its values were 2e-12 off at steps of 1e-4, enough to
// spoil a small-step derivative 100× beyond its estimate
// (properties' FuzzGradient). At 2⁻²⁰ ≈ 1e-6 the smooth part's fourth
// differences are still 1e-24·f⁗.
const (
	noisePoints = 8       // points per measurement; two measurements per call, sharing the first
	noiseStep   = 0x1p-30 // ≈ 9.3e-10, relative to max(1, |xᵢ|)
	noiseStep2  = 0x1p-20 // ≈ 9.5e-7
	// noiseGamma converts the mean square of fourth differences of
	// independent noise of variance σ² to σ²: E[(Δ⁴ε)²] = C(8,4)σ² = 70σ².
	noiseGamma = 70
	// noiseSafety covers the scatter of an estimate from only
	// noisePoints−4 differences (a χ² with 4 degrees of freedom falls below
	// a quarter of its mean with probability ≈ 0.09).
	noiseSafety = 2
)

// measureNoise estimates the standard deviation of the round-off in each of
// the k outputs of f near x into p.noise. It moves every coordinate at once
// along a fixed direction of mixed signs and sizes, so that no coordinate's
// contribution can cancel by symmetry.
func (p *probe) measureNoise() {
	k := p.k
	for c := 0; c < k; c++ {
		p.noise[c] = 0
	}
	if len(p.x) == 0 {
		return
	}
	p.growNoiseDir()
	// The scales of the coordinates, once for the 14 points.
	if cap(p.sc) < len(p.x) {
		p.sc = make([]float64, len(p.x))
	}
	p.sc = p.sc[:len(p.x)]
	for i, xi := range p.x {
		p.sc[i] = scale(xi)
	}
	// Both lines start at the same point (m = 0 moves no coordinate by
	// more than 0·step: the same bits at either step), so the second
	// measurement reuses the first one's value there.
	p.measureNoiseAt(noiseStep, false)
	p.measureNoiseAt(noiseStep2, true)
}

// setNoise sets p.noise to the round-off of f near x for the call's
// config: the caller's Settings.Noise for every output if given, else the
// measured one (measureNoise).
func (p *probe) setNoise(c config) {
	if c.noise == 0 {
		p.measureNoise()
		return
	}
	for o := range p.noise {
		p.noise[o] = c.noise
	}
}

// growNoiseDir makes p.dir hold at least the first len(p.x) entries of the
// direction of measureNoise. They depend on the index only, so a probe
// keeps them from call to call and computes only those it lacks.
func (p *probe) growNoiseDir() {
	for i := len(p.dir); i < len(p.x); i++ {
		p.dir = append(p.dir, noiseDir(i))
	}
}

// measureNoiseAt raises p.noise to the noise measured at the given
// relative step. With have0, the values at the line's first point (m = 0)
// are those of the last measurement, left in place in p.noiseBuf.
func (p *probe) measureNoiseAt(step float64, have0 bool) {
	k := p.k
	var vals [noisePoints][]float64
	// Local slices of one length: the loop below neither reloads them
	// from p after each store nor checks their bounds.
	x, work := p.x, p.work[:len(p.x)]
	dir, sc := p.dir[:len(x)], p.sc[:len(x)]
	for m := range vals {
		vals[m] = p.noiseBuf[m*k : (m+1)*k]
		if m == 0 && have0 {
			continue
		}
		if p.fresh {
			copy(p.work, p.x)
		}
		// The point x + m·step·scale(xᵢ)·uᵢ, multiplied in that order.
		t := float64(m) * step
		for i, xi := range x {
			work[i] = xi + t*sc[i]*dir[i]
		}
		p.eval(vals[m])
	}
	copy(p.work, p.x)
	var d4 [noisePoints - 4]float64
	for c := 0; c < k; c++ {
		// Fourth differences: Σ (−1)ˡ C(4,l) f_{j+l}.
		big := 0.0
		for j := range d4 {
			d4[j] = vals[j][c] - 4*vals[j+1][c] + 6*vals[j+2][c] - 4*vals[j+3][c] + vals[j+4][c]
			big = maxOf(big, math.Abs(d4[j]))
		}
		if big == 0 || !isFinite(big) {
			continue
		}
		// Their root mean square, scaled by the largest so that squares
		// of values near 1e-200 do not underflow to zero.
		sum := 0.0
		for _, v := range d4 {
			sum += (v / big) * (v / big)
		}
		p.noise[c] = maxOf(p.noise[c], noiseSafety*big*math.Sqrt(sum/float64(len(d4))/noiseGamma))
	}
}

// noiseDir returns the i-th entry of the direction of measureNoise: signs
// and sizes in [0.5, 1] that follow a fixed pseudo-random pattern.
func noiseDir(i int) float64 {
	// A multiplicative hash of i (Knuth's constant 2654435761) picks the sign
	// and the size; any fixed pattern without symmetry does.
	h := uint32(i+1) * 2654435761
	v := 0.5 + 0.5*float64(h>>8)/float64(1<<24)
	if h&(1<<7) != 0 {
		v = -v
	}
	return v
}

// roundoff returns the round-off bound of one value v of output c: ε·|v|,
// or the measured noise of f if larger.
func (p *probe) roundoff(c int, v float64) float64 {
	return maxOf(eps*math.Abs(v), p.noise[c])
}

// Noise returns an estimate of the round-off in the values of f near x: the
// standard deviation of f's deviations from a smooth function along two
// short lines through x (steps of 2⁻³⁰ and 2⁻²⁰ relative to max(1, |xᵢ|)),
// the larger of the two, times a safety factor of 2. It costs 15
// evaluations of f, 8 per line with the point where the lines start, x
// itself, evaluated once; none of them on the caller's x itself (f
// receives a private copy, as for Gradient). A function computed to full
// precision has Noise ≈ ε·|f|; a value that is the small sum of large terms
// has far more. A line on which f is not finite counts for nothing: the
// result is 0 if f is not finite on both. Noise panics if f is nil.
func Noise(f func(x []float64) float64, x []float64) float64 {
	mustHaveFunc("Noise", f == nil)
	p := getProbe(nil, f, x, 1)
	defer putProbe(p)
	p.measureNoise()
	return p.noise[0]
}
