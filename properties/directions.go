package properties

import (
	"math"
	"slices"

	"github.com/gradcheck/gradcheck/gradients"
)

// directional runs the random-direction check of CheckGradient.
func (s *session) directional(f func([]float64) float64, f0 float64, a []float64, r *Report) {
	k, d := s.c.directions, len(s.x)
	rng := newRand(s.c.seed)
	cmp := &comparison{property: "gradient", rows: k, cols: 1, a: make([]float64, k), n: make([]float64, k), est: make([]float64, k),
		margin: s.c.margin, directions: true, seed: s.c.seed, what: "analytic directional derivative ∇f·u"}
	dirs := make([][]float64, k)
	floors := make([]float64, k)
	for m := range dirs {
		u := make([]float64, d)
		for i := range u {
			u[i] = math.Max(1, math.Abs(s.x[i]))
			if rng.Uint64()&1 == 1 {
				u[i] = -u[i]
			}
		}
		dirs[m] = u
		dot, abs := 0.0, 0.0
		for i := range u {
			dot += a[i] * u[i]
			abs += math.Abs(a[i] * u[i])
		}
		cmp.a[m] = dot
		// The dot product's own round-off: ≈ ε·Σ|aᵢuᵢ| per term added.
		floors[m] = 4 * eps * abs * math.Sqrt(float64(d))
		// Ridders' first step along u is riddersStarts[0]; values all exact
		// in float32's bits carry its round-off, which the extrapolation
		// amplifies about 2× (precision.go, ridders in unresolved.go).
		vb := newValueBits(1)
		vb.see(f0)
		cmp.n[m], cmp.est[m] = gradients.DerivativeWithError(vb.line(s.along(f, u)), 0, nil)
		if pf := vb.precisionFloor(0); pf > 0 {
			// The engine's default may take its value from a smaller
			// start, whose round-off is larger than 2σ/riddersStarts[0]: on
			// such values the value is taken again from riddersStarts[0]
			// alone (values of a float64 f are never short: no cost
			// there).
			cmp.n[m], cmp.est[m] = gradients.DerivativeWithError(s.along(f, u), 0, &gradients.Settings{Method: gradients.Ridders, Step: riddersStarts[0]})
			cmp.est[m] = math.Max(cmp.est[m], 2*pf/riddersStarts[0])
		}
		// Folded into the estimate, the floor stays in every tolerance
		// computed again from it (settle, the ladder).
		cmp.est[m] += floors[m] / cmp.margin
	}
	cmp.tolerances()
	cmp.ownFloor = floors
	bad := cmp.bad()
	r.Escalated = len(bad)
	// Ridders' steps along u start at 0.1 and cross every kink of f
	// within that distance: a ReLU network's units, an L1 penalty's
	// coordinates, thousands of them at d = 10⁴. Its value and estimate
	// are then anything, wrong with a tight estimate or right with a wide
	// one. The directions out of tolerance, and those in tolerance only by
	// a loose one, get the coordinate check's second opinions: Ridders at
	// small steps, down to steps inside the distance to the nearest
	// structure along u (confirmAlong), and the ladder of kink.go.
	suspects := slices.Clone(bad)
	loose, _ := s.secondOpinions(cmp)
	for _, m := range loose {
		if !slices.Contains(suspects, m) {
			suspects = append(suspects, m)
		}
	}
	slices.Sort(suspects)
	refuted := make(map[int]estimate)
	for _, m := range suspects {
		vals, refutes := confirmAlong(s.along(f, dirs[m]), cmp.a[m])
		for _, c := range vals {
			cmp.addAlt(m, c.v, c.e+floors[m]/agreeFactor, 0)
		}
		if refutes {
			last := vals[len(vals)-1]
			refuted[m] = estimate{v: last.v, e: last.e + floors[m]/agreeFactor}
		}
	}
	cmp.settle()
	var ask []int
	for _, m := range suspects {
		if cmp.out(m) {
			ask = append(ask, m)
		}
	}
	loose, left := s.secondOpinions(cmp)
	for _, m := range loose {
		if !slices.Contains(ask, m) {
			ask = append(ask, m)
		}
	}
	slices.Sort(ask)
	r.NoSecondOpinion = left
	// A kink at x along a direction spoils its numerical derivative, as
	// along a coordinate in the full check: no verdict on grad there. A
	// loose plateau below no structure is sharpened, as a coordinate's
	// (sharpen.go): f computed in float32 leaves Ridders' value from
	// crossStep and the ladder's plateau about 1e-3 of the directional
	// derivative wide.
	kinked := s.kinks(cmp, ask, nil, lines{fn: "f", deriv: "grad", unit: "directions", line: func(m int) (func(float64) float64, float64, float64) {
		return s.along(f, dirs[m]), 0, f0
	}, sharpen: true})
	for m, c := range refuted {
		if !cmp.undecided[m] {
			decisive(cmp, m, c)
		}
	}
	bad = slices.DeleteFunc(cmp.bad(), func(m int) bool { return slices.Contains(kinked, m) })
	// Directions that no value resolves are no pass, as coordinates are
	// not (unresolved): f's noise is measured over the whole point, as a
	// direction moves every coordinate, and a step of 1 along u moves each
	// by its whole scale.
	examined := make(map[int]bool, len(suspects)+len(ask))
	for _, m := range append(suspects, ask...) {
		examined[m] = true
	}
	var sigma float64
	cmp.noise = func(int) float64 {
		if sigma == 0 {
			sigma = math.Max(gradients.Noise(f, s.x), math.Max(eps*math.Abs(f0), minNormal))
		}
		return sigma
	}
	confirmed, unresolved := s.unresolved(cmp, bad, nil, examined, func(m int, start float64) (estimate, float64) {
		v, e := gradients.DerivativeWithError(s.along(f, dirs[m]), 0, riddersSettings(start))
		return estimate{v: v, e: e + floors[m]/agreeFactor}, start
	}, func(int) (string, float64) { return "f(x)", f0 }, lines{fn: "f", deriv: "grad", unit: "directions", line: func(m int) (func(float64) float64, float64, float64) {
		return s.along(f, dirs[m]), 0, f0
	}})
	if len(confirmed) > 0 {
		bad = append(bad, confirmed...)
		slices.Sort(bad)
	}
	cmp.stats(r)
	seeds := " (directions have entries ±max(1,|xᵢ|) with the signs of the seed)"
	if len(bad) > 0 {
		fl := cmp.diagnose(bad)
		fl.Detail += seeds
		s.add(fl)
	}
	if unresolved != nil {
		unresolved.Detail += seeds
		s.add(unresolved)
	}
}

// decisive drops the ladder's value of direction m where it could not
// have seen the discrepancy that confirmAlong confirmed with c (two starts
// of Ridders, a hundred times apart and inside the nearest kink, that agree
// and refute the analytic value): a plateau of the ladder agreeFactor of
// its estimate wider than |a − c| would agree with a wrong gradient as with
// the right one (docs/NUMERICS.md, "Which numeric value may clear an
// entry"). One ±2947 wide, its noise measure raised by kinks it took for
// round-off, cleared a doubled gradient of an L1 penalty at d = 10⁴. The
// other values stay, and any of them may still clear a.
func decisive(cmp *comparison, m int, c estimate) {
	l, ok := cmp.ladder[m]
	if !ok || agreeFactor*l.e < math.Abs(cmp.a[m]-c.v) {
		return
	}
	delete(cmp.ladder, m)
	if alts := cmp.alts[m]; len(alts) > 0 && cmp.n[m] == l.v && cmp.est[m] == l.e {
		// The ladder's value had taken the place of the first (resolved,
		// crossed): the tightest of the others takes it.
		b := 0
		for p := range alts {
			if alts[p].e < alts[b].e {
				b = p
			}
		}
		cmp.setValue(m, alts[b])
		cmp.alts[m] = append(alts[:b:b], alts[b+1:]...)
	}
}

// along returns t ↦ f(x + t·u) on a fresh copy.
func (s *session) along(f func([]float64) float64, u []float64) func(float64) float64 {
	work := make([]float64, len(s.x))
	return func(t float64) float64 {
		for i, v := range s.x {
			work[i] = v + t*u[i]
		}
		return f(work)
	}
}

// confirmAlong returns the small-step derivatives of φ at 0 that confirm
// or clear an analytic directional derivative a: Ridders from crossStep,
// as the coordinate check's confirmation, and where that does not clear a,
// Ridders from steps confirmDescent times smaller, at most confirmDepth
// times. A step that crosses structure of f (the kink of a ReLU unit or of
// one |wᵢ| along u: 3e-7 away at d = 10⁴ with |wᵢ| near 0.1, 1e-9 with
// |wᵢ| near 1e-6) mixes slopes, and its estimate may be as wide as the
// mix or, by chance, tight; once the first step is inside the distance to
// the nearest structure, every step of the tableau is, and the values of
// two such first steps agree. So a value clears a as soon as it is tight
// and agrees with it, but refutes a only when the next smaller first step
// agrees with it and refutes a too; the pair's smaller-step value is
// returned, with refuted set for a refutation. A descent that ends without
// either adds nothing to the first value: the ladder of kink.go reads the
// structure then.
func confirmAlong(phi func(float64) float64, a float64) (vals []estimate, refuted bool) {
	first := ridders(phi, crossStep)
	prev, step := first, crossStep
	for range confirmDepth {
		if clears(prev, a) {
			break
		}
		step /= confirmDescent
		cur := ridders(phi, step)
		agree := math.Abs(cur.v-prev.v) <= agreeFactor*(cur.e+prev.e)
		if clears(cur, a) {
			return []estimate{first, cur}, false
		}
		if agree && refutes(cur, a) && refutes(prev, a) && !crossesAt(phi, step, a, cur) {
			return []estimate{first, cur}, true
		}
		prev = cur
	}
	return []estimate{first}, false
}

// crossesAt reports whether the steps from h down may have crossed
// structure that explains the refutation of a by c: the gap of the one-
// sided differences at h, J = (φ(h) − 2φ(0) + φ(−h))/h, is h·φ″ where φ is
// smooth over [−h, h] and holds the slope jumps of every kink within h
// otherwise, and a central difference at a step crossing kinks is off by
// about half the gap or less (exactly half for one kink, less where kinks
// on both sides cancel). Kinks at every scale down to 1e-12 along u (an L1
// penalty with |wᵢ| spread over 1e-12 … 1) gave agreeing refutations at
// first steps of 1e-8 and 1e-10.
func crossesAt(phi func(float64) float64, h, a float64, c estimate) bool {
	gap := math.Abs(phi(h)-2*phi(0)+phi(-h)) / h
	return !(math.Abs(a-c.v) > agreeFactor*(c.e+gap/2))
}

// ridders returns Ridders' derivative of φ at 0 from a first step h, with
// its error estimate. The engine measures the round-off of φ at spacings of
// 1e-9 and 1e-6 of the unit step; φ is rescaled so that the unit is h, and
// the spacings stay inside the steps: at spacings of 1e-6 along u, where
// the steps are 1e-8, kinks of f 1e-7 away from x passed for round-off
// and widened the estimate 1e7× (an L1 penalty at d = 10⁴).
//
// Values of φ all exact in float32's bits carry its round-off, which the
// engine's measurement misses where they do not move at its spacings:
// the estimate is at least 2σ/h for that σ (precision.go), as the first
// value's is.
func ridders(phi func(float64) float64, h float64) estimate {
	vb := newValueBits(1)
	psi := func(tau float64) float64 { return phi(tau * h) }
	v, e := gradients.DerivativeWithError(vb.line(psi), 0, &gradients.Settings{Method: gradients.Ridders, Step: 1})
	return estimate{v: v / h, e: math.Max(e/h, 2*vb.precisionFloor(0)/h)}
}

// clears reports whether c clears the analytic value a: it is tight by
// the standard of loose (an error of looseRel of the value would show) and
// agrees with a within agreeFactor of its estimate.
func clears(c estimate, a float64) bool {
	m := math.Max(math.Abs(a), math.Abs(c.v))
	return DefaultMargin*c.e <= looseRel*m && math.Abs(a-c.v) <= agreeFactor*c.e
}

// refutes reports whether c refutes the analytic value a: they differ by
// more than agreeFactor of its estimate.
func refutes(c estimate, a float64) bool {
	return math.Abs(a-c.v) > agreeFactor*c.e
}

// confirmDescent and confirmDepth set the descent of confirmAlong: first
// steps of 1e-8, 1e-10 and 1e-12 after crossStep. Two decades per try,
// since Ridders' tableau itself shrinks its steps about 20× below the
// first; at 1e-12 the round-off of f, σ/h, is 1e12σ, about the end of what
// a double resolves.
const (
	confirmDescent = 100
	confirmDepth   = 3
)
