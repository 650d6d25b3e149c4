package properties

import (
	"math"
	"math/bits"
	"slices"
)

// The screen's round-off term σᵢ/hᵢ needs the noise of f along coordinate
// i's line, and gradients.Noise measures it along a line that moves every
// coordinate: every term of a sum changes there, one term along a
// coordinate, and for a sum of d terms the whole point's noise overstates
// a line's by a factor that grows with d (docs/NUMERICS.md, "The screen's
// noise along each line"). Measuring each line costs 15 evaluations; the
// screen's own values give one sample per line for free: the third
// difference
//
//	Tᵢ = f(x+2hᵢ) − 3f(x+hᵢ) + 3f(x) − f(x−hᵢ) = hᵢ³·f‴ + noise,
//
// whose noise part has standard deviation √20·σᵢ for independent round-off
// of deviation σᵢ in the four values. Its part hᵢ³·f‴ can only raise a
// sample, never hide noise: where it dominates, the line's σᵢ is
// overstated (never beyond the whole point's σ, the cap below), which
// costs sensitivity, not false alarms. At the screen's step it is of the
// order of σ·|f‴|/|f| (screenStep), and along one coordinate of a sum of
// many terms, the case the line noise is for, f‴ is one term's, far below
// |f| (docs/NUMERICS.md, "The screen's noise along each line").

// linePoolQuantile is the quantile of the |Tᵢ| over the coordinates that
// sets the pooled line noise: one sample can be accidentally tiny (quantized
// round-off gave exactly 0), and lines differ; a high quantile covers nine
// lines in ten with their own noise, and the rest keep their own sample.
const linePoolQuantile = 0.9

// minLinePool is the least number of finite samples the pool needs: below
// it the whole point's noise is kept. gradients.Noise reads 8 fourth
// differences; the pool reads twice as many samples before it is believed.
const minLinePool = 16

// lineSampleVariance is the variance of a third difference of independent
// round-off of variance σ², in units of σ²: 1 + 9 + 9 + 1 = C(6, 3).
const lineSampleVariance = 20

// lineNoiseSafety turns the pooled |T| into a noise deviation: the 0.9
// quantile of |N(0, 20σ²)| is 1.645·√20·σ, so Q/√20 is 1.645σ, and the
// factor 2 is gradients.Noise's safety for a scatter estimated from few
// samples: σ̂ ≈ 3.3σ.
const lineNoiseSafety = 2

// lineNoise returns the round-off of f along each coordinate's line from
// the third differences t3 of the screen: the larger of the pooled noise
// (the linePoolQuantile quantile of |t3| over the coordinates) and line
// i's own sample, each scaled by lineNoiseSafety/√lineSampleVariance,
// never below floor and never above sigma, the noise of the whole point,
// which the screen used before. A tighter σᵢ can only cost escalations: every entry out of
// tolerance is recomputed with Ridders' method and at small steps, each
// with its line's own measured noise, before any verdict. With fewer than
// minLinePool finite samples every line gets sigma. It writes the noise
// into dst (len(t3) values) and reorders the samples in scratch (its
// capacity reused when it holds len(t3)), and returns dst.
func lineNoise(dst, scratch, t3 []float64, sigma, floor float64) []float64 {
	out := dst[:len(t3)]
	finite := scratch[:0]
	for _, v := range t3 {
		if isFinite(v) {
			finite = append(finite, math.Abs(v))
		}
	}
	if len(finite) < minLinePool {
		for i := range out {
			out[i] = sigma
		}
		return out
	}
	k := int(math.Ceil(linePoolQuantile*float64(len(finite)))) - 1
	scale := lineNoiseSafety / math.Sqrt(lineSampleVariance)
	pool := kthSmallest(finite, k) * scale
	for i, v := range t3 {
		// A line whose own sample is not finite (a step left f's
		// domain) keeps sigma.
		out[i] = sigma
		if s := maxOf(floor, maxOf(pool, math.Abs(v)*scale)); s < sigma {
			out[i] = s
		}
	}
	return out
}

// kthSmallest returns the k-th smallest of the values v (from 0; none of
// them NaN), the v[k] of slices.Sort(v), and reorders v: a quickselect,
// O(len(v)) on average where the sort is O(len(v)·log len(v)). Ranges
// that do not shrink fast enough (the median of three chosen badly again
// and again) are sorted instead, so that it costs at most about what the
// sort does.
func kthSmallest(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for rounds := 0; lo < hi; rounds++ {
		if rounds > 2*bits.Len(uint(len(v))) {
			slices.Sort(v[lo : hi+1])
			break
		}
		// The median of v[lo], v[mid], v[hi] as the pivot, left at mid.
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		// Hoare's partition: after it v[lo..j] ≤ p ≤ v[i..hi], and the
		// values between j and i equal p.
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}
