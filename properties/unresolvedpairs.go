package properties

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// unresolvedPairs marks as undecided the pairs of CheckSymmetric that no
// numeric value resolves and returns the no-verdict that names them, or
// nil if there are none. cmp is the symmetry's comparison: entry [i,j]
// holds ∂gᵢ/∂xⱼ as its numeric value and ∂gⱼ/∂xᵢ as its analytic one,
// and [i,j] and [j,i] share the pair's tolerance (pairTol). gw is grad as
// the check calls it, g its value at x.
//
// The rule is unresolved's (comparison.unresolved), read for two numeric
// values instead of an analytic and a numeric one. What the check claims
// is that the pair agrees; an asymmetry it cannot see is up to the pair's
// tolerance. A pair is hidden when that tolerance, less float64's own
// rounding, would pass an asymmetry of 50% of the pair, m = max(|∂gᵢ/∂xⱼ|,
// |∂gⱼ/∂xᵢ|) — a cross term dropped from one of gᵢ, gⱼ, or of the wrong
// sign — and is above looseNorm of the largest entry (times the margin's
// scale), the sensitivity the check promises at the matrix's scale: a
// pair of zeros beside entries of 2 is resolved by that bound. The largest
// entry is read from every value the check has, the second opinion's
// included (each at least |v| − agreeFactor·e): where round-off hides the
// central differences it hides the matrix's scale too. Unlike an
// analytic value, a numeric 0 is no claim: grad = 30 + 1e-12·Qx does not
// change at all at the central differences' steps, and its pairs are 0
// and 0 with a tolerance of 1e-8. So a hidden pair gets the second opinion
// of the other checks, Ridders' extrapolation of both columns from
// riddersStarts (its estimates floored at 2σ/h₀, σ the noise of each
// output of grad, with float32's precision floor where its values are that
// short), for the pairs of at most Settings.SecondOpinions columns (a
// column serves every pair in it), and is resolved when
// the two values of one start agree within agreeFactor estimates and that
// tolerance is not hidden, or when both entries are negligible against
// their outputs (atFloor, read from the values of the first start, the
// largest steps: smaller ones round away what they see). Values of one
// start that disagree beyond that tolerance do not make the pair a bug:
// Ridders' larger steps may cross structure that the check's own do not
// (unresolved's ridders), and no confirmation like refuted's is built for
// pairs, so the pair stays without a verdict. Every other hidden pair is
// no verdict too.
func (s *session) unresolvedPairs(gw func(dst, x []float64), g []float64, cmp *comparison) *Failure {
	d := cmp.cols
	norm := cmp.norm()
	bound := looseNorm * norm * cmp.marginScale()
	// hidden reports whether the pair of values u, v with tolerance tol
	// cannot tell an asymmetry of 50% of the pair.
	hidden := func(u, v, tol float64) bool {
		m := math.Max(math.Abs(u), math.Abs(v))
		return !(tol-pairFloor(u, v) < m/2) && tol > bound
	}
	var pairs [][2]int
	for i := 0; i < d; i++ {
		for j := i + 1; j < d; j++ {
			p, q := i*d+j, j*d+i
			if !cmp.out(p) && !cmp.out(q) && hidden(cmp.n[p], cmp.n[q], cmp.tol[p]) {
				pairs = append(pairs, [2]int{i, j})
			}
		}
	}
	if len(pairs) == 0 {
		return nil // the common case
	}
	// The pairs whose columns are among the first Settings.SecondOpinions
	// columns they need, in order: the columns are what costs.
	asked := pairs
	if n := s.c.secondOpinions; n >= 0 {
		need := make(map[int]bool)
		for k, ij := range pairs {
			need[ij[0]], need[ij[1]] = true, true
			if len(need) > n {
				asked = pairs[:k]
				break
			}
		}
	}
	// Every output of a column at once, for each start.
	vb := newValueBits(d)
	vb.see(g...)
	colFn := vb.vector(gw)
	type key struct {
		col   int
		start float64
	}
	cols := make(map[key]estimates)
	column := func(c int, start float64) estimates {
		k := key{c, start}
		if e, ok := cols[k]; ok {
			return e
		}
		var e estimates
		e.v, e.e = s.column(colFn, d, c, riddersSettings(start))
		cols[k] = e
		return e
	}
	noise := func(r int) float64 { return math.Max(cmp.noiseOf(r), vb.precisionFloor(r)) }
	scale := func(c int) float64 { return math.Max(1, math.Abs(s.x[c])) }
	type verdict struct {
		u, v      estimate // ∂gᵢ/∂xⱼ and ∂gⱼ/∂xᵢ of the tightest start
		tol       float64
		disagrees bool
	}
	seen := make(map[[2]int]verdict, len(asked))
	open := slices.Clone(asked)
	for n, start := range riddersStarts {
		// Both columns of every pair still open, and the largest entry
		// they resolve, at least |v| − agreeFactor·e: the scale of the
		// looseNorm bound, which the central differences may hide too.
		for _, ij := range open {
			for _, c := range ij {
				col := column(c, start)
				for r := range col.v {
					e := math.Max(col.e[r], 2*noise(r)/(start*scale(c)))
					if m := math.Abs(col.v[r]) - agreeFactor*e; m > norm {
						norm = m
					}
				}
			}
		}
		bound = looseNorm * norm * cmp.marginScale()
		var still [][2]int
		for _, ij := range open {
			i, j := ij[0], ij[1]
			cj, ci := column(j, start), column(i, start)
			u := estimate{v: cj.v[i], e: math.Max(cj.e[i], 2*noise(i)/(start*scale(j)))}
			v := estimate{v: ci.v[j], e: math.Max(ci.e[j], 2*noise(j)/(start*scale(i)))}
			if n == 0 && atFloor(u, 2*noise(i)/(start*scale(j))) && atFloor(v, 2*noise(j)/(start*scale(i))) {
				// Negligible against both outputs, at the largest steps:
				// smaller ones round away what larger ones see.
				continue
			}
			tol := pairTol(agreeFactor, u, v)
			agree := math.Abs(u.v-v.v) <= tol
			if agree && !hidden(u.v, v.v, tol) {
				continue
			}
			if b, ok := seen[ij]; !ok || tol < b.tol {
				seen[ij] = verdict{u, v, tol, !agree}
			}
			still = append(still, ij)
		}
		open = still
	}
	open = append(open, pairs[len(asked):]...)
	if len(open) == 0 {
		return nil
	}
	// Mark both entries of each pair; name the pairs, the worst first:
	// the one whose values are largest.
	if cmp.undecided == nil {
		cmp.undecided = make(map[int]bool)
	}
	w, wm := open[0], -1.0
	disagree := 0
	for _, ij := range open {
		i, j := ij[0], ij[1]
		cmp.undecided[i*d+j], cmp.undecided[j*d+i] = true, true
		b, ok := seen[ij]
		if !ok {
			b = verdict{u: estimate{v: cmp.n[i*d+j], e: cmp.est[i*d+j]}, v: estimate{v: cmp.n[j*d+i], e: cmp.est[j*d+i]}, tol: cmp.tol[i*d+j]}
		}
		if m := math.Max(math.Abs(b.u.v), math.Abs(b.v.v)); m > wm {
			w, wm = ij, m
		}
		if b.disagrees {
			disagree++
		}
	}
	names := make([]string, 0, 4)
	for n, ij := range open {
		if n == 3 {
			names = append(names, "…")
			break
		}
		names = append(names, fmt.Sprintf("[%d,%d]", ij[0], ij[1]))
	}
	i, j := w[0], w[1]
	b, ok := seen[w]
	if !ok {
		b = verdict{u: estimate{v: cmp.n[i*d+j], e: cmp.est[i*d+j]}, v: estimate{v: cmp.n[j*d+i], e: cmp.est[j*d+i]}, tol: cmp.tol[i*d+j]}
	}
	extra := ""
	if disagree > 0 {
		extra = fmt.Sprintf("; at %d of them Ridders' values from larger steps differ beyond that tolerance, which the check's own steps, whose round-off hides the pair, cannot confirm (larger steps may cross structure): not a bug either", disagree)
	}
	if left := len(pairs) - len(asked); left > 0 {
		extra += fmt.Sprintf("; %d of them got no second opinion (Ridders' method takes the pairs of Settings.SecondOpinions = %d columns; negative asks for all)", left, s.c.secondOpinions)
	}
	fl := cmp.failure(Unresolved, i*d+j, len(open), fmt.Sprintf(
		"round-off in grad hides %d of %d pairs of the Jacobian of grad at x (%s): grad(x)[%d] = %.6g with noise %.2g, and no pair of numeric values, after Ridders' method from steps up to 0.1·max(1, |xⱼ|), is precise to half the pair ([%d,%d]: ∂g[%d]/∂x[%d] = %.3g, ∂g[%d]/∂x[%d] = %.3g, tolerance %.3g), so a cross term dropped from one of them or of the wrong sign would pass%s — not a verdict on the symmetry: scale grad (its changes against its value), check at another point, or compute grad in float64",
		len(open), d*(d-1)/2, strings.Join(names, ", "), i, g[i], noise(i), i, j, i, j, b.u.v, j, i, b.v.v, b.tol, extra))
	fl.Analytic, fl.Numeric, fl.Tol = b.u.v, b.v.v, b.tol
	fl.AbsErr, fl.RelErr = math.Abs(b.u.v-b.v.v), relErr(b.u.v, b.v.v)
	fl.Total = d * (d - 1) / 2
	return fl
}

// pairTol returns the tolerance of a pair of numeric values u and v of
// CheckSymmetric, each with its estimate, at k estimates (the margin for
// the central differences, agreeFactor for the second opinion): the pair
// shares the uncertainty of both, plus pairFloor.
func pairTol(k float64, u, v estimate) float64 {
	return k*(u.e+v.e) + pairFloor(u.v, v.v)
}

// pairFloor returns the part of a pair's tolerance that covers float64's
// own rounding: 16 ulps and relFloorMatrix of both values, and the
// smallest normal number.
func pairFloor(u, v float64) float64 {
	return (floorUlps*eps+relFloorMatrix)*(math.Abs(u)+math.Abs(v)) + minNormal
}

// atFloor reports whether the value u of an entry of CheckSymmetric, from
// Ridders' first step h₀ = 0.1·max(1, |xⱼ|) with the round-off floor
// floor = 2σ/h₀ (σ the noise of its output gᵢ), is negligible against gᵢ:
// consistent with 0 and no more uncertain than round-off makes it,
// |u| + agreeFactor·e ≤ 2·agreeFactor·floor. The entry then moves gᵢ by at
// most 12σ/0.1 = 120σ over the whole scale of xⱼ, at the level of gᵢ's
// round-off (belowNoise's entries move it by at most σ, and no
// measurement resolves further: a derivative of 0 reads 0 ± 20σ there).
// grad = 30 + 1e-13·Qx, entries of 15σ, is negligible so; 30 + 1e-12·Qx
// is not. Only the first start, the largest steps, shows it: at the
// second's, 1e-3, a zero is rounding (30 + 1e-12·Qx does not move there)
// and bounds an entry by 12 000σ only. A saturated logistic loss at
// weights near 1300, whose Hessian entries are 1e-23 beside a gradient of
// 0.6 with noise 1.3e-16, reads truncation at first steps of 130
// (1e-14 ± 2e-14) and rounding at 1.3, and its pairs are no verdict:
// CheckHessian passes such entries against its analytic values
// (belowNoise), but nothing measured bounds an asymmetry there.
func atFloor(u estimate, floor float64) bool {
	return math.Abs(u.v)+agreeFactor*u.e <= 2*agreeFactor*floor
}
