package properties

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// The prefills of the accumulation probe: finite, different, and exact in
// binary, so dst[i] += v gives results that differ by the prefills.
const (
	prefillA = 1.0
	prefillB = -3.0
)

// accumulates calls the vector function name at x with dst prefilled with
// prefillA, prefillB, prefillB and prefillA. A deterministic function (the
// same prefill gives the same bits) whose result changes with the prefill
// reads dst before writing it: an AccumulatedDst failure, recorded here,
// and true. Entries that come back as the prefill itself were not written
// at all: left to the Shape check. Cost: four calls.
func (s *session) accumulates(name string, f func(dst, x []float64), n int) bool {
	return s.readsDst(name, n, func(fill float64) []float64 {
		dst, m := s.vectorAt(name, f, n, fill)
		if m != nil {
			s.addWrite(name, m)
		}
		return dst
	}, func(i int) (int, int) { return i, 0 })
}

// readsDst is the probe of accumulates for any function: call returns the
// entries after a call with dst prefilled with fill, entry locates entry i
// (row and column of a matrix).
func (s *session) readsDst(name string, n int, call func(fill float64) []float64, entry func(i int) (row, col int)) bool {
	// In the order A, B, B, A: a function whose result alternates from call
	// to call, or changes every second call, shows it within a pair.
	a := call(prefillA)
	b := call(prefillB)
	b2 := call(prefillB)
	a2 := call(prefillA)
	if len(a) != n || len(b) != n || len(a2) != n || len(b2) != n {
		return false // resized: the shape check says so
	}
	var read []int
	for i := range a {
		if !reproduced(a[i], a2[i], 0) || !reproduced(b[i], b2[i], 0) {
			return false // nondeterministic: checkVector says so
		}
		if !reproduced(a[i], b[i], 0) && !(a[i] == prefillA && b[i] == prefillB) {
			read = append(read, i)
		}
	}
	if len(read) == 0 {
		return false
	}
	i := read[0]
	r, c := entry(i)
	where := fmt.Sprintf("[%d]", r)
	if name == "hess" || name == "jac" {
		where = fmt.Sprintf("[%d,%d]", r, c)
	}
	fl := noEntry(AccumulatedDst, fmt.Sprintf("%s reads dst before writing it: with dst prefilled with %g, entry %s came back %.6g, with %g it came back %.6g (%d of %d entries depend on the prefill): it adds into dst (dst[i] += …) without zeroing it first — set the entries, or clear(dst) before accumulating",
		name, prefillA, where, a[i], prefillB, b[i], len(read), n))
	fl.Row, fl.Col, fl.Bad, fl.Total = r, c, len(read), n
	fl.Analytic, fl.Numeric = a[i], b[i]
	s.add(fl)
	return true
}

// accumulatesHess is the probe for hess: dst is a d×d *mat.SymDense.
func (s *session) accumulatesHess(hess func(dst *mat.SymDense, x []float64)) bool {
	d := len(s.x)
	return s.readsDst("hess", d*d, func(fill float64) []float64 {
		dst, _ := s.callHess(hess, fill)
		if dst.SymmetricDim() != d {
			return nil
		}
		return flat(dst)
	}, func(i int) (int, int) { return i / d, i % d })
}

// accumulatesJac is the probe for jac: dst is a k×d *mat.Dense.
func (s *session) accumulatesJac(jac func(dst *mat.Dense, x []float64), k int) bool {
	d := len(s.x)
	return s.readsDst("jac", k*d, func(fill float64) []float64 {
		dst, _ := s.callJac(jac, k, fill)
		if r, c := dst.Dims(); r != k || c != d {
			return nil
		}
		return flat(dst)
	}, func(i int) (int, int) { return i / d, i % d })
}
