package properties

import (
	"gonum.org/v1/gonum/mat"
)

// CheckHessian checks that hess is the Hessian that goes with grad at x:
// every entry of hess(x) agrees with the Jacobian of grad computed
// numerically (central differences with error estimates, entries out of
// tolerance recomputed with Ridders' method), within a tolerance derived
// from the estimated error. The numeric Jacobian is compared entry by entry
// without symmetrizing it, so a grad that is not a gradient field fails
// too (CheckSymmetric tells that apart). Entries that pass with a loose
// tolerance (grad computed in float32) get the second opinion of
// CheckGradient's coordinates, about 100 evaluations of grad each,
// for at most Settings.SecondOpinions entries. An entry that no numeric
// value resolves, against the noise of its output of grad, is no verdict
// (Kind Unresolved), as in CheckGradient.
//
// hess receives a d×d *mat.SymDense prefilled with NaN; entries left
// unwritten are a "shape" failure. Otherwise as CheckGradient: nil if the
// property holds, else an error holding a *Failure per violation; panics in
// grad or hess are recovered and reported; CheckHessian panics only if
// grad or hess is nil or s is invalid.
func CheckHessian(grad func(dst, x []float64), hess func(dst *mat.SymDense, x []float64), x []float64, s *Settings) error {
	return HessianReport(grad, hess, x, s).Err
}

// HessianReport runs CheckHessian and returns its Report.
func HessianReport(grad func(dst, x []float64), hess func(dst *mat.SymDense, x []float64), x []float64, s *Settings) *Report {
	c := resolve("CheckHessian", s)
	if grad == nil || hess == nil {
		panic("properties: CheckHessian: grad and hess must not be nil")
	}
	return check("hessian", x, c, &Report{Property: "hessian", Dim: len(x)}, func(ss *session, r *Report) { ss.hessian(grad, hess, r) })
}

func (s *session) hessian(grad func(dst, x []float64), hess func(dst *mat.SymDense, x []float64), r *Report) {
	d := len(s.x)
	if d == 0 || !s.checkX() {
		return
	}
	g, okG := s.checkVector("grad", grad, d)
	h, okH := s.checkHess(hess)
	if !okG || !okH {
		return
	}
	gw := s.vector("grad", grad)
	s.after = append(s.after, func() { s.serialCheckVec("grad", grad) }, func() { s.staleHessian(grad, hess, flat(h)) })
	cmp := s.numericJacobian(gw, d, flat(h), g, "analytic Hessian")
	var redone map[int]bool
	r.Escalated, redone = s.refineColumns(gw, cmp)
	bad, unresolved := s.structureOf(gw, g, cmp, redone, "grad", "hess", r)
	cmp.stats(r)
	if len(bad) > 0 {
		s.add(cmp.diagnose(bad))
	}
	if unresolved != nil {
		s.add(unresolved)
	}
}
