package properties

import "math"

// BestDerivative returns the numeric value that decides a loose entry of
// CheckGradient along coordinate i of f at x (structure.go, kinks): the
// sharpened Ridders value where it is accepted (sharp), otherwise the
// ladder's plateau; ok is false where the ladder resolved none below
// structure.
func BestDerivative(f func([]float64) float64, x []float64, i int) (v, e float64, sharp, ok bool) {
	work := make([]float64, len(x))
	phi := func(t float64) float64 {
		copy(work, x)
		work[i] = t
		return f(work)
	}
	f0 := phi(x[i])
	st := ladder(phi, x[i], f0, 0)
	if !st.resolved || !st.smooth || st.edge > 0 || !isFinite(st.e) {
		return 0, math.Inf(1), false, false
	}
	if r, accepted := sharpened(phi, x[i], st); accepted {
		return r.v, r.e, true, true
	}
	return st.v, st.e, false, true
}

// RelFloor is the relative accuracy below which no numerical derivative is
// trusted (compare.go): a tolerance's floor.
const RelFloor = relFloor
