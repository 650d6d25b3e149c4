package properties

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/gradients"
)

// numericJacobian returns the Jacobian of the vector function f (k outputs)
// at x by central differences with error estimates (4d evaluations of f
// plus 15 for its noise), as a comparison against the analytic values a
// (k×d, row-major). fx are f's outputs at x.
//
// Each estimate is at least ε·max|fx|/hⱼ, the round-off of an output
// whose value is the small sum of terms as large as the largest output (a
// gradient entry where confidently right and wrong samples cancel): such
// round-off is invisible to the noise measurement when the outputs are
// flat at the ulp level, as σ(z) − y is beyond |z| ≈ 36 (FuzzHessian found
// an estimate 3500× too small there). An output whose values are all
// exact in float32's 24 bits has at least float32's round-off
// (precision.go).
func (s *session) numericJacobian(f func(dst, x []float64), k int, a, fx []float64, what string) *comparison {
	d := len(s.x)
	vb := newValueBits(k)
	vb.see(fx...)
	jac, est := gradients.JacobianWithError(mat.NewDense(k, d, nil), nil, vb.vector(f), s.x,
		&gradients.Settings{Method: gradients.Central, Workers: s.c.workers})
	cmp := &comparison{property: s.property, rows: k, cols: d, a: a, n: flat(jac), est: flat(est), margin: s.c.margin, what: what}
	big := 0.0
	for _, v := range fx {
		if isFinite(v) {
			big = math.Max(big, math.Abs(v))
		}
	}
	cmp.outFloor, cmp.centralStep = make([]float64, d), make([]float64, d)
	for j := range cmp.outFloor {
		cmp.centralStep[j] = gradients.OptimalStep(gradients.Central) * math.Max(1, math.Abs(s.x[j]))
		cmp.outFloor[j] = eps * big / cmp.centralStep[j]
	}
	// An output whose values all carry float32's precision or less has
	// its round-off, whatever the engine's noise measurement saw
	// (precision.go): σ/h, the round-off term of a central difference.
	// Not where the numeric value is the analytic one exactly, so nothing
	// is to be decided: a float64 output that is constant on a short
	// value (a gradient entry 1 of a function linear in a coordinate)
	// has numeric and analytic derivatives 0, and the floor would make
	// them loose and cost them second opinions.
	for i := range cmp.est {
		cmp.est[i] = math.Max(cmp.est[i], cmp.outFloor[i%d])
		if cmp.n[i] != cmp.a[i] {
			cmp.est[i] = math.Max(cmp.est[i], vb.precisionFloor(i/d)/cmp.centralStep[i%d])
		}
	}
	cmp.tolerances()
	return cmp
}

// refineColumns recomputes with Ridders' method the columns of cmp's
// numeric matrix that hold an entry out of tolerance, and returns how many
// entries were out of tolerance before (Report.Escalated) and the entries
// of the columns recomputed.
func (s *session) refineColumns(f func(dst, x []float64), cmp *comparison) (int, map[int]bool) {
	bad := cmp.bad()
	// Columns worst first, within the bound of maxEscalate as for
	// gradients: when the worst maxEscalate columns are all confirmed, the
	// rest keep their Central verdicts.
	worst := make(map[int]float64)
	for _, i := range bad {
		r := math.Abs(cmp.a[i]-cmp.n[i]) / cmp.tol[i]
		if c := i % cmp.cols; !(r <= worst[c]) || math.IsNaN(r) {
			worst[c] = math.Inf(1)
			if !math.IsNaN(r) {
				worst[c] = r
			}
		}
	}
	cols := make([]int, 0, len(worst))
	for c := range worst {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	slices.SortStableFunc(cols, func(p, q int) int { return cmpFloat(worst[q], worst[p]) })
	wasBad := make(map[int]bool, len(bad))
	for _, i := range bad {
		wasBad[i] = true
	}
	var redone []int
	confirmed := true
	for n, j := range cols {
		if n == maxEscalate && confirmed {
			break
		}
		s.refineColumn(f, cmp, j)
		redone = append(redone, j)
		for r := 0; r < cmp.rows; r++ {
			if i := r*cmp.cols + j; wasBad[i] && !cmp.out(i) {
				confirmed = false
			}
		}
	}
	// Compute what is still out of tolerance again at small steps (out),
	// in the columns recomputed.
	for _, j := range redone {
		still := false
		for r := 0; r < cmp.rows; r++ {
			still = still || cmp.out(r*cmp.cols+j)
		}
		if !still {
			continue
		}
		n, e := s.column(f, cmp.rows, j, crossSettings(s.x[j]))
		for r := 0; r < cmp.rows; r++ {
			cmp.addAlt(r*cmp.cols+j, n[r], math.Max(e[r], cmp.crossFloorOf(j)), 0)
		}
	}
	cmp.settle()
	entries := make(map[int]bool, len(redone)*cmp.rows)
	for _, j := range redone {
		for r := 0; r < cmp.rows; r++ {
			entries[r*cmp.cols+j] = true
		}
	}
	return len(bad), entries
}

// refineColumn recomputes column j of cmp's numeric matrix with Ridders'
// method: the k outputs of f along coordinate j.
func (s *session) refineColumn(f func(dst, x []float64), cmp *comparison, j int) {
	n, e := s.column(f, cmp.rows, j, nil)
	for r := 0; r < cmp.rows; r++ {
		i := r*cmp.cols + j
		cmp.addAlt(i, cmp.n[i], cmp.est[i], 0)
		cmp.n[i], cmp.est[i] = n[r], math.Max(e[r], cmp.floorOf(j))
		cmp.retol(i)
	}
}

// column returns the k outputs' derivatives along coordinate j with the
// settings gs, and their error estimates.
func (s *session) column(f func(dst, x []float64), k, j int, gs *gradients.Settings) (n, e []float64) {
	work := make([]float64, len(s.x))
	along := func(dst, t []float64) {
		copy(work, s.x)
		work[j] = t[0]
		f(dst, work)
	}
	col, est := gradients.JacobianWithError(mat.NewDense(k, 1, nil), nil, along, []float64{s.x[j]}, gs)
	return col.RawMatrix().Data, est.RawMatrix().Data
}

// structureOf looks, as CheckGradient does, at the structure of f along
// the entries of cmp still out of tolerance, at most maxEscalate of them:
// output r of f along coordinate j for entry [r, j]. A kink or a jump of
// f at x, or structure near x that no step resolves, makes the entry a
// no-verdict (Nondifferentiable); a derivative resolved below structure
// decides it. fn and deriv name f and the derivative under check; fx are
// f's outputs at x. Entries that pass with a loose tolerance (f computed
// in float32) get the ladder's second opinion too, sharpened where no
// structure is near (sharpen.go), as CheckGradient's coordinates do,
// within Settings.SecondOpinions; r.NoSecondOpinion counts the others.
// Entries that no value resolves then, after Ridders' passes from
// riddersStarts, are no verdict, as the gradient's (unresolved), each
// against the noise of its own output, and those a confirmed value refutes
// there are out of tolerance (refuted). It returns the entries still out
// and that no-verdict, or nil; redone are the entries of the columns
// refineColumns recomputed.
func (s *session) structureOf(f func(dst, x []float64), fx []float64, cmp *comparison, redone map[int]bool, fn, deriv string, r *Report) ([]int, *Failure) {
	bad := cmp.bad()
	if len(bad) > maxEscalate {
		bad = bad[:maxEscalate]
	}
	examined := maps.Clone(redone)
	for _, i := range bad {
		examined[i] = true
	}
	out := make([]float64, cmp.rows)
	work := make([]float64, len(s.x))
	line := func(i int) (func(float64) float64, float64, float64) {
		r, j := i/cmp.cols, i%cmp.cols
		return func(t float64) float64 {
			copy(work, s.x)
			work[j] = t
			f(out, work)
			return out[r]
		}, s.x[j], fx[r]
	}
	ln := lines{fn: fn, deriv: deriv, unit: "entries", line: line, absorbed: s.absorbedAt(line)}
	kinked := s.kinks(cmp, bad, nil, ln)
	loose, left := s.secondOpinions(cmp)
	if len(loose) > 0 {
		ln.sharpen = true
		kinked = append(kinked, s.kinks(cmp, loose, nil, ln)...)
	}
	for _, i := range loose {
		examined[i] = true
	}
	r.NoSecondOpinion = left
	cmp.settle()
	bad = slices.DeleteFunc(cmp.bad(), func(i int) bool { return slices.Contains(kinked, i) })
	cmp.noise, cmp.at = s.outputNoise(f, fx), s.x
	// Every output along a column at once, for each start.
	cols := make(map[[2]float64]estimates)
	value := func(i int, start float64) (estimate, float64) {
		j := i % cmp.cols
		key := [2]float64{float64(j), start}
		c, ok := cols[key]
		if !ok {
			c.v, c.e = s.column(f, cmp.rows, j, riddersSettings(start))
			cols[key] = c
		}
		return estimate{v: c.v[i/cmp.cols], e: c.e[i/cmp.cols]}, start * math.Max(1, math.Abs(s.x[j]))
	}
	output := func(i int) (string, float64) {
		return fmt.Sprintf("%s(x)[%d]", fn, i/cmp.cols), fx[i/cmp.cols]
	}
	refuted, unresolved := s.unresolved(cmp, bad, redone, examined, value, output, ln)
	if len(refuted) > 0 {
		bad = append(bad, refuted...)
		slices.Sort(bad)
	}
	return bad, unresolved
}

// estimates are numeric values with their error estimates.
type estimates struct{ v, e []float64 }

// outputNoise returns the noise at x of each output r of f, whose outputs
// at x are fx: gradients.Noise of output r, at least ε·max|fx|, the floor
// of numericJacobian's estimates (an output may be the small sum of terms
// as large as the largest output, with their round-off, which the
// measurement misses where the outputs are flat at the ulp level: σ(z) − y
// beyond |z| ≈ 36). It measures on first use, every output from the same
// 15 evaluations of f, and only then: correct matrices rarely ask
// (belowNoise reads it for entries that are unresolved otherwise).
func (s *session) outputNoise(f func(dst, x []float64), fx []float64) func(r int) float64 {
	var sigma []float64
	return func(r int) float64 {
		if sigma != nil {
			return sigma[r]
		}
		big := 0.0
		for _, v := range fx {
			if isFinite(v) {
				big = math.Max(big, math.Abs(v))
			}
		}
		type point struct{ x, out []float64 }
		var seen []point
		sigma = make([]float64, len(fx))
		for q := range fx {
			out := func(x []float64) float64 {
				for _, p := range seen {
					if slices.Equal(p.x, x) {
						return p.out[q]
					}
				}
				p := point{slices.Clone(x), make([]float64, len(fx))}
				f(p.out, p.x)
				seen = append(seen, p)
				return p.out[q]
			}
			sigma[q] = math.Max(gradients.Noise(out, s.x), eps*big)
		}
		return sigma[r]
	}
}

// flat returns the entries of m row by row.
func flat(m mat.Matrix) []float64 {
	r, c := m.Dims()
	out := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			out = append(out, m.At(i, j))
		}
	}
	return out
}
