package properties

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// CheckJacobian checks that jac is the Jacobian of the map f: ℝᵈ→ℝᵏ at x:
// every entry of jac(x), a k×d matrix with entry [r,c] = ∂fᵣ/∂x_c, agrees
// with a numerical derivative of f (central differences with error
// estimates, entries out of tolerance recomputed with Ridders' method)
// within a tolerance derived from the estimated error. f writes its k
// outputs to its first argument.
//
// The number of outputs k is Settings.Outputs if set; otherwise jac is
// asked for it with an empty *mat.Dense, which it must size to k×d (gonum's
// convention for an empty receiver). A jac that sizes it to anything but
// k×d with d = len(x), or that leaves entries of a k×d dst unwritten, or an
// f that writes fewer than k outputs, is a "shape" failure; a square jac
// that is the transpose of the numeric Jacobian is diagnosed "transpose".
// Entries that pass with a loose tolerance (f computed in float32) get
// the second opinion of CheckGradient's coordinates, about 100
// evaluations of f each, for at most Settings.SecondOpinions entries.
// An entry that no numeric value resolves, against the noise of its own
// output, is no verdict (Kind Unresolved), as in CheckGradient.
// Otherwise as CheckGradient; CheckJacobian panics only if f or jac is nil
// or s is invalid.
func CheckJacobian(f func(dst, x []float64), jac func(dst *mat.Dense, x []float64), x []float64, s *Settings) error {
	return JacobianReport(f, jac, x, s).Err
}

// JacobianReport runs CheckJacobian and returns its Report.
func JacobianReport(f func(dst, x []float64), jac func(dst *mat.Dense, x []float64), x []float64, s *Settings) *Report {
	c := resolve("CheckJacobian", s)
	if f == nil || jac == nil {
		panic("properties: CheckJacobian: f and jac must not be nil")
	}
	return check("jacobian", x, c, &Report{Property: "jacobian", Dim: len(x)}, func(ss *session, r *Report) { ss.jacobian(f, jac, r) })
}

func (s *session) jacobian(f func(dst, x []float64), jac func(dst *mat.Dense, x []float64), r *Report) {
	d := len(s.x)
	if d == 0 || !s.checkX() {
		return
	}
	k := s.c.outputs
	if k == 0 {
		var ok bool
		if k, ok = s.outputsOf(jac); !ok {
			return
		}
	}
	r.Outputs = k
	n := len(s.fails)
	fx, ok := s.checkVector("f", f, k)
	if !ok {
		s.noteOutputs(n, k)
		return
	}
	a, ok := s.checkJac(jac, k)
	if !ok {
		return
	}
	fw := s.vector("f", f)
	s.after = append(s.after, func() { s.serialCheckVec("f", f) }, func() { s.staleJacobian(f, jac, k, a) })
	cmp := s.numericJacobian(fw, k, a, fx, "analytic Jacobian")
	var redone map[int]bool
	r.Escalated, redone = s.refineColumns(fw, cmp)
	bad, unresolved := s.structureOf(fw, fx, cmp, redone, "f", "jac", r)
	cmp.stats(r)
	if len(bad) > 0 {
		s.add(cmp.diagnose(bad))
	}
	if unresolved != nil {
		s.add(unresolved)
	}
}

// outputsOf asks jac for the number of outputs by handing it an empty
// *mat.Dense to size.
func (s *session) outputsOf(jac func(dst *mat.Dense, x []float64)) (int, bool) {
	d := len(s.x)
	var dst mat.Dense
	work := slices.Clone(s.x)
	func() {
		defer s.catch("jac (given an empty *mat.Dense to learn k; set Settings.Outputs if it cannot size one)", work)
		jac(&dst, work)
	}()
	s.calls++
	if dst.IsEmpty() {
		s.add(noEntry(Shape, "jac left an empty *mat.Dense empty: it must size it to k×d (dst.ReuseAs(k, d)), or set Settings.Outputs to k"))
		return 0, false
	}
	k, c := dst.Dims()
	if c != d {
		hint := ""
		if k == d {
			hint = fmt.Sprintf(": is it transposed (d×k instead of k×d)?")
		}
		f := noEntry(Shape, fmt.Sprintf("jac returned a %d×%d matrix but x has %d entries (want k×%d)%s", k, c, d, d, hint))
		s.add(f)
		return 0, false
	}
	return k, true
}

// callJac calls jac once at a copy of x with a k×d dst whose entries are
// all fill, recovering a panic, and returns dst and the copy.
func (s *session) callJac(jac func(dst *mat.Dense, x []float64), k int, fill float64) (*mat.Dense, []float64) {
	d := len(s.x)
	work := slices.Clone(s.x)
	data := make([]float64, k*d)
	for i := range data {
		data[i] = fill
	}
	dst := mat.NewDense(k, d, data)
	func() {
		defer s.catch("jac", work)
		jac(dst, work)
	}()
	s.calls++
	return dst, work
}

// checkJac calls jac twice at x with a k×d dst prefilled with NaNs of two
// payloads, and records mutation, resizing, unwritten and non-finite
// entries and nondeterminism. It returns the entries row by row.
func (s *session) checkJac(jac func(dst *mat.Dense, x []float64), k int) ([]float64, bool) {
	d := len(s.x)
	call := func(fill float64) (*mat.Dense, *Failure) {
		dst, work := s.callJac(jac, k, fill)
		return dst, s.mutation("jac", work)
	}
	ja, m1 := call(fillA)
	jb, _ := call(fillB)
	if m1 != nil {
		s.add(m1)
	}
	if rr, cc := ja.Dims(); rr != k || cc != d {
		s.add(noEntry(Shape, fmt.Sprintf("jac resized dst to %d×%d (want k×d = %d×%d)", rr, cc, k, d)))
		return nil, false
	}
	if s.accumulatesJac(jac, k) {
		return nil, false
	}
	a, b := flat(ja), flat(jb)
	var unwritten []int
	for i := range a {
		if isFill(a[i], fillA) && isFill(b[i], fillB) {
			unwritten = append(unwritten, i)
		}
	}
	if len(unwritten) > 0 {
		u := unwritten[0]
		f := noEntry(Shape, fmt.Sprintf("jac left %d of %d entries of the %d×%d dst unwritten (first [%d,%d]): does it fill all k×d entries?",
			len(unwritten), k*d, k, d, u/d, u%d))
		f.Row, f.Col, f.Bad, f.Total = u/d, u%d, len(unwritten), k*d
		s.add(f)
		return nil, false
	}
	norm := maxAbs(a)
	for i := range a {
		if !reproduced(a[i], b[i], norm) {
			s.add(&Failure{Kind: Nondeterministic, Row: i / d, Col: i % d, Analytic: a[i], Numeric: b[i], AbsErr: math.Abs(a[i] - b[i]), RelErr: relErr(a[i], b[i]),
				Detail: fmt.Sprintf("jac returned %.17g, then %.17g for entry [%d,%d] at the same x", a[i], b[i], i/d, i%d)})
			break
		}
	}
	for i, v := range a {
		if !isFinite(v) {
			f := noEntry(NotFinite, fmt.Sprintf("jac(x)[%d,%d] = %v", i/d, i%d, v))
			f.Row, f.Col, f.Analytic = i/d, i%d, v
			s.add(f)
			return nil, false
		}
	}
	return a, true
}

// noteOutputs adds to a Shape failure of f recorded from index n on where
// the number of outputs k it was held to came from: a wrong
// Settings.Outputs, or a jac that sized its dst wrong, reads as an f that
// writes too few outputs.
func (s *session) noteOutputs(n, k int) {
	from := "the rows jac sized its empty dst to"
	if s.c.outputs != 0 {
		from = "Settings.Outputs"
	}
	for _, f := range s.fails[n:] {
		if f.Kind == Shape {
			f.Detail += fmt.Sprintf(" (k = %d outputs, from %s)", k, from)
		}
	}
}
