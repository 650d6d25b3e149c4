package properties

import (
	"math"

	"github.com/gradcheck/gradcheck/gradients"
)

// sharpenRatio is the first step of the second of the two Ridders
// extrapolations of sharpened, relative to the first: √1.4, so that its
// steps fall halfway (geometrically) between those of the first, whose
// steps shrink by 1.4 from row to row (gradients' Ridders). The two
// tableaux share no point, and their round-off is independent.
const sharpenRatio = 1.1832159566199232

// sharpened returns the most accurate value the engine can get for the
// derivative of φ at t0 where the ladder resolved a plateau st loosely —
// its estimate would pass an error of 0.1% of the entry, as float32 noise
// and |f| ≫ ‖∇f‖ make it — and no structure: Ridders' extrapolation
// started from the ladder's top step, which the ladder found smooth down
// to the plateau and which follows f's measured noise (10× Central's
// optimum for it, docs/NUMERICS.md). The ladder's plateau has one central
// difference a decade below its step, whose round-off (σ/h there) sets its
// estimate at about 1e-3 of a float32 entry; Ridders removes the
// truncation of the large steps instead and keeps their round-off small.
//
// Its estimate must be honest, because a value that agrees with it but is
// less precise clears nothing (comparison.out):
//
//   - each extrapolation's estimate is at least 2σ/h₀ with σ the ladder's
//     noise and h₀ its first step: every difference in the tableau is at
//     a step h ≤ h₀ and carries round-off up to σ/h, which the
//     extrapolation amplifies by about 2 (the engine's roundoffFactor).
//     The engine measures f's noise at spacings where float32 values can
//     lie on a line and see none; σ includes the 4 ulps of values of 24
//     significant bits (precisionNoise);
//   - a second extrapolation, started √1.4 below the first, must agree
//     with it within agreeFactor times their estimates, and the value's
//     estimate is the largest of the two and of their disagreement;
//   - the value must agree with the ladder's plateau, an independent
//     route (steps a decade apart), within agreeFactor times both.
//
// It returns the value and whether it was accepted: not when any of these
// fails, nor when it is no more precise than the plateau. Cost: two
// Ridders extrapolations, each up to 20 evaluations plus 15 for the
// engine's noise measurement.
func sharpened(phi func(float64) float64, t0 float64, st structure) (estimate, bool) {
	xc := math.Max(1, math.Abs(t0))
	var r [2]estimate
	for k, h0 := range []float64{st.top, st.top / sharpenRatio} {
		v, e := gradients.DerivativeWithError(phi, t0, &gradients.Settings{Method: gradients.Ridders, Step: h0 / xc})
		if !isFinite(v) || !isFinite(e) {
			return estimate{}, false
		}
		r[k] = estimate{v: v, e: math.Max(e, 2*st.sigma/h0)}
	}
	if !(math.Abs(r[0].v-r[1].v) <= agreeFactor*(r[0].e+r[1].e)) {
		return estimate{}, false
	}
	best := r[0]
	if r[1].e < best.e {
		best = r[1]
	}
	best.e = math.Max(math.Max(r[0].e, r[1].e), math.Abs(r[0].v-r[1].v))
	if !(math.Abs(best.v-st.v) <= agreeFactor*(best.e+st.e)) || !(best.e < st.e) {
		return estimate{}, false
	}
	return best, true
}

// looseEstimate reports whether the plateau's estimate e of entry i of cmp
// could pass an error the checker must report: its tolerance,
// agreeFactor·e, with the value's own error added (looseWithin), above
// looseRel of the entry and looseNorm of the largest entry (compare.go).
// A tighter plateau reports a 0.1% error by itself, and is not sharpened:
// float64 code with loose screen entries (Rosenbrock at d = 10⁴) costs no
// more than before.
func looseEstimate(cmp *comparison, i int, e float64) bool {
	m := math.Max(math.Abs(cmp.a[i]), math.Abs(cmp.n[i]))
	t := agreeFactor * e * cmp.looseWithin()
	return t > looseRel*m && t > looseNorm*cmp.norm()
}
