package properties_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	optfunctions "gonum.org/v1/gonum/optimize/functions"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// TestUnresolved: an entry that no numeric value resolves — every one that
// allows the analytic value would allow an error of 50% of the entry, and
// the entry is not negligible against the largest — is a no-verdict of
// Kind Unresolved, never a pass; an entry the check does resolve, or one
// negligible beside the others, is not. A bug elsewhere stays a bug,
// reported first.
func TestUnresolved(t *testing.T) {
	// f = 30 + Σ cᵢxᵢ: entries of 1e-13 move f by a few ulps of 30 at
	// most, at every step the check takes.
	flat := func(c ...float64) func([]float64) float64 {
		return func(x []float64) float64 {
			s := 30.0
			for i, v := range x {
				s += c[i] * v
			}
			return s
		}
	}
	constant := func(c ...float64) func(dst, x []float64) {
		return func(dst, x []float64) { copy(dst, c) }
	}
	quad := func(x []float64) float64 { return x[0]*x[0] + 3*x[1]*x[1] + 1e-15*x[2] }
	quadGrad := func(dst, x []float64) { dst[0], dst[1], dst[2] = 2*x[0], 6*x[1], 1e-15 }
	// 30 + 3e-14·x₀ + 1e-7·x₁²: entry 0 is hidden (its tolerance, above
	// 3e-14 with any step, is above 1e-7 of entry 1's 3e-7; it moves f by
	// 4 times its noise of 7e-15 over a unit step), entry 1 resolved.
	mixed := func(x []float64) float64 { return 30 + 3e-14*x[0] + 1e-7*x[1]*x[1] }
	mixedGrad := func(dst, x []float64) { dst[0], dst[1] = 3e-14, 2e-7*x[1] }
	brown := optfunctions.BrownBadlyScaled{}
	for _, tt := range []struct {
		name       string
		r          *properties.Report
		unresolved []int // the entries without verdict
		bug        bool  // a bug reported too, first
	}{
		{"flat, correct", properties.GradientReport(flat(1e-13, 2e-13), constant(1e-13, 2e-13), []float64{0.5, -0.3}, nil), []int{0, 1}, false},
		{"flat, both entries 2×", properties.GradientReport(flat(1e-13, 2e-13), constant(2e-13, 4e-13), []float64{0.5, -0.3}, nil), []int{0, 1}, false},
		{"flat, sign error", properties.GradientReport(flat(1e-13, 2e-13), constant(-1e-13, -2e-13), []float64{0.5, -0.3}, nil), []int{0, 1}, false},
		{"hidden entry beside a wrong one", properties.GradientReport(mixed, gradtest.ScaledVec(mixedGrad, 2), []float64{0.5, 1.5}, nil), []int{0}, true},
		{"hidden entry beside a right one", properties.GradientReport(mixed, mixedGrad, []float64{0.5, 1.5}, nil), []int{0}, false},
		// Must not: resolved entries, an entry of 1e-15 beside entries of
		// order 1 (negligible against them: its tolerance is), an exact
		// zero, and BrownBadlyScaled's ∂f/∂x₁ = −2.33 at |f| = 1e12, which
		// the ladder's steps leave unresolved and Ridders' resolves.
		{"quadratic with a 1e-15 entry", properties.GradientReport(quad, quadGrad, []float64{0.7, -1.1, 0.2}, nil), nil, false},
		{"quadratic at a zero of one entry", properties.GradientReport(quad, quadGrad, []float64{0.7, 0, 0.2}, nil), nil, false},
		{"BrownBadlyScaled", properties.GradientReport(brown.Func, brown.Grad, []float64{0.56353167938431092, -0.028624691581326966}, nil), nil, false},
		// And an entry below f's noise over its coordinate's scale: the
		// tail of a survival function, f = 1 and f′ = e⁻⁶⁰⁰ ≈ 2.6e-261.
		{"far tail", properties.GradientReport(func(x []float64) float64 { return 1 - math.Exp(-x[0]) }, func(dst, x []float64) { dst[0] = math.Exp(-x[0]) }, []float64{600}, nil), nil, false},
		{"rosen", properties.GradientReport(rosen, rosenGrad, x5, nil), nil, false},
	} {
		r := tt.r
		var got []int
		for i, e := range r.PerEntry {
			if e.Verdict == "no verdict" {
				got = append(got, i)
			}
		}
		if len(got) != len(tt.unresolved) || !errors.Is(r.Err, properties.Unresolved) != (len(tt.unresolved) == 0) {
			t.Errorf("%s: entries without verdict %v, want %v: %v", tt.name, got, tt.unresolved, r.Err)
			continue
		}
		for k := range got {
			if got[k] != tt.unresolved[k] {
				t.Errorf("%s: entries without verdict %v, want %v", tt.name, got, tt.unresolved)
			}
		}
		if len(tt.unresolved) == 0 {
			if r.Err != nil {
				t.Errorf("%s: %v, want a pass", tt.name, r.Err)
			}
			continue
		}
		if errors.Is(r.Err, properties.Bug) != tt.bug || !errors.Is(r.Err, properties.NoVerdict) {
			t.Errorf("%s: errors.Is(Bug) = %v, want %v; errors.Is(NoVerdict) = %v: %v", tt.name, errors.Is(r.Err, properties.Bug), tt.bug, errors.Is(r.Err, properties.NoVerdict), r.Err)
		}
		var f *properties.Failure
		if errors.As(r.Err, &f) && (f.Kind == properties.Unresolved) == tt.bug {
			t.Errorf("%s: first failure %v", tt.name, f)
		}
		if msg := r.Err.Error(); !strings.Contains(msg, "noise") || !strings.Contains(msg, "smallest derivative") || !strings.Contains(msg, "scale f") {
			t.Errorf("%s: the message does not say the noise, the smallest derivative resolved and what to do: %v", tt.name, r.Err)
		}
	}
}

// TestFlatSignDiagnosis: a sign error in a flat region, where the ladder
// resolves a few entries barely (a tolerance of 1.9e-10 against entries
// of 1e-10) and the others are unresolved, is a sign error: the
// diagnosis reads the values that decided the entries, and entries
// without verdict neither show a pattern nor match one (they made it
// "permutation": two entries swapped).
func TestFlatSignDiagnosis(t *testing.T) {
	flat := func(x []float64) float64 {
		s := 30.0
		for i, v := range x {
			s += 1e-12 * float64(i+1) * v
		}
		return s
	}
	neg := func(dst, x []float64) {
		for i := range dst {
			dst[i] = -1e-12 * float64(i+1)
		}
	}
	const seed = 5
	x := randomVec(rand.New(rand.NewPCG(seed, 100)), 100, 1)
	err := properties.CheckGradient(flat, neg, x, nil)
	var f *properties.Failure
	if !errors.As(err, &f) || f.Kind != properties.Sign || f.Factor != -1 && !(f.Factor < -0.999 && f.Factor > -1.001) {
		t.Errorf("seed %d: %v, want a sign error first", seed, err)
	}
}

// TestUnresolvedOtherChecks: the rule of TestUnresolved holds for every
// check of values — the Jacobian (each output against its own noise), the
// Hessian (grad is the function whose round-off hides the entries) and
// the gradient along random directions: an entry no value resolves is a
// no-verdict of Kind Unresolved, never a pass, correct or not; one the
// check resolves, an exact zero, or a tiny entry beside large ones is not.
func TestUnresolvedOtherChecks(t *testing.T) {
	// A 3×4 matrix of entries of 1e-12: f(x) = 30 + A·x moves every
	// output by a few ulps of 30 at the steps a derivative takes.
	const k, d = 3, 4
	A := make([]float64, k*d)
	for i := range A {
		A[i] = 1e-12 * float64(i%5+1)
		if i%3 == 1 {
			A[i] = -A[i]
		}
	}
	flatMap := func(dst, x []float64) {
		for r := range k {
			dst[r] = 30
			for j := range d {
				dst[r] += A[r*d+j] * x[j]
			}
		}
	}
	jacOf := func(sign float64) func(dst *mat.Dense, x []float64) {
		return func(dst *mat.Dense, x []float64) {
			for r := range k {
				for j := range d {
					dst.Set(r, j, sign*A[r*d+j])
				}
			}
		}
	}
	x4 := []float64{0.5, -0.3, 1.2, 0.8}
	// The gradient of f = 30·Σxᵢ + ½·1e-12·xᵀQx is 30 + 1e-12·Qx: flat
	// at the level of its round-off, as f is for the Jacobian.
	Q := []float64{2, 1, 0, 1, 3, -1, 0, -1, 4}
	flatGrad := func(dst, x []float64) {
		for r := range 3 {
			dst[r] = 30
			for j := range 3 {
				dst[r] += 1e-12 * Q[r*3+j] * x[j]
			}
		}
	}
	hessOf := func(sign float64) func(dst *mat.SymDense, x []float64) {
		return func(dst *mat.SymDense, x []float64) {
			for r := range 3 {
				for j := r; j < 3; j++ {
					dst.SetSym(r, j, sign*1e-12*Q[r*3+j])
				}
			}
		}
	}
	x3 := []float64{0.5, -0.3, 1.2}
	// Must not: a map with an exact-zero entry, and one with an entry of
	// 1e-15 beside entries of order 1 (negligible against them).
	tinyMap := func(dst, x []float64) {
		dst[0] = x[0]*x[0] + 1e-15*x[2]
		dst[1] = 3 * x[1] * x[2]
	}
	tinyJac := func(dst *mat.Dense, x []float64) {
		dst.Set(0, 0, 2*x[0])
		dst.Set(0, 1, 0)
		dst.Set(0, 2, 1e-15)
		dst.Set(1, 0, 0)
		dst.Set(1, 1, 3*x[2])
		dst.Set(1, 2, 3*x[1])
	}
	quad := func(x []float64) float64 { return x[0]*x[0] + 3*x[1]*x[1] + 1e-15*x[2]*x[2] + x[0]*x[1] }
	quadGrad := func(dst, x []float64) { dst[0], dst[1], dst[2] = 2*x[0]+x[1], 6*x[1]+x[0], 2e-15*x[2] }
	quadHess := func(dst *mat.SymDense, x []float64) {
		dst.SetSym(0, 0, 2)
		dst.SetSym(0, 1, 1)
		dst.SetSym(0, 2, 0)
		dst.SetSym(1, 1, 6)
		dst.SetSym(1, 2, 0)
		dst.SetSym(2, 2, 2e-15)
	}
	flatF := func(x []float64) float64 { return 30 + 1e-13*(x[0]+2*x[1]+4*x[2]) }
	flatFGrad := func(sign float64) func(dst, x []float64) {
		return func(dst, x []float64) { dst[0], dst[1], dst[2] = sign*1e-13, sign*2e-13, sign*4e-13 }
	}
	dirs := &properties.Settings{Directions: 3}
	outs := func(k int) *properties.Settings { return &properties.Settings{Outputs: k} }
	for _, tt := range []struct {
		name       string
		r          *properties.Report
		noVerdict  bool // must end in no verdict (Unresolved)
		bugAllowed bool // a bug may be reported too (a sign error some entries show)
	}{
		{"flat map, correct Jacobian", properties.JacobianReport(flatMap, jacOf(1), x4, outs(k)), true, false},
		{"flat map, sign-flipped Jacobian", properties.JacobianReport(flatMap, jacOf(-1), x4, outs(k)), true, true},
		{"flat gradient, correct Hessian", properties.HessianReport(flatGrad, hessOf(1), x3, nil), true, false},
		{"flat gradient, sign-flipped Hessian", properties.HessianReport(flatGrad, hessOf(-1), x3, nil), true, true},
		{"flat f, directions, correct", properties.GradientReport(flatF, flatFGrad(1), x3, dirs), true, false},
		{"flat f, directions, sign-flipped", properties.GradientReport(flatF, flatFGrad(-1), x3, dirs), true, true},
		{"map with an exact zero and a 1e-15 entry", properties.JacobianReport(tinyMap, tinyJac, x3, outs(2)), false, false},
		{"quadratic's Hessian with a 2e-15 entry", properties.HessianReport(quadGrad, quadHess, x3, nil), false, false},
		{"quadratic with a 2e-15 entry, directions", properties.GradientReport(quad, quadGrad, x3, dirs), false, false},
		{"rosen's Hessian", properties.HessianReport(rosenGrad, rosenHess, x5, nil), false, false},
		{"rosen, directions", properties.GradientReport(rosen, rosenGrad, x5, dirs), false, false},
	} {
		r := tt.r
		noVerdicts := 0
		for _, e := range r.PerEntry {
			if e.Verdict == "no verdict" {
				noVerdicts++
			}
		}
		if !tt.noVerdict {
			if r.Err != nil || noVerdicts > 0 {
				t.Errorf("%s: %v (%d entries without verdict), want a pass", tt.name, r.Err, noVerdicts)
			}
			continue
		}
		if !errors.Is(r.Err, properties.Unresolved) || !errors.Is(r.Err, properties.NoVerdict) || noVerdicts == 0 {
			t.Errorf("%s: %v (%d entries without verdict), want Unresolved", tt.name, r.Err, noVerdicts)
			continue
		}
		if errors.Is(r.Err, properties.Bug) && !tt.bugAllowed {
			t.Errorf("%s: a bug on a correct derivative: %v", tt.name, r.Err)
		}
		if msg := r.Err.Error(); !strings.Contains(msg, "noise") || !strings.Contains(msg, "smallest derivative") {
			t.Errorf("%s: the message does not say the noise and the smallest derivative resolved: %v", tt.name, r.Err)
		}
		t.Logf("%s: %v", tt.name, r.Err)
		for _, e := range r.PerEntry {
			t.Logf("  %v", e)
		}
	}
}

// TestRefutedWhereFlat: where f's round-off leaves the first numeric
// values of an entry wide enough to allow anything (f = 30 + c·Ax, c of
// 1e-11), a value precise enough to have seen the error — Ridders' from a
// large first step, its estimate well below the discrepancy — that
// refutes the analytic value and is confirmed from a smaller first step,
// inside any structure the first steps crossed, decides: a sign error
// there is a bug in the Jacobian, the Hessian and the gradient, as it is
// where the first values are tight. Must not: the correct derivatives; an
// entry no value resolves (c of 1e-13) stays a no-verdict; and a correct
// derivative whose Ridders steps cross a kink of the flat f 0.003 … 0.09
// away, where the first Ridders value refutes it tightly (1.47e-11 ±
// 3e-13 for 1e-11), is never a bug.
func TestRefutedWhereFlat(t *testing.T) {
	A := []float64{1, -2, 3, 2, 1, -1}
	const k, d = 2, 3
	x := []float64{0.5, -0.3, 1.2}
	Q := []float64{2, 1, 0, 1, 3, -1, 0, -1, 4}
	wantBug := func(name string, r *properties.Report, entry int) {
		t.Helper()
		if !errors.Is(r.Err, properties.Bug) || r.PerEntry[entry].Verdict != "bug" {
			t.Errorf("%s: %v; entry %d: %v, want a bug there", name, r.Err, entry, r.PerEntry[entry])
		}
	}
	noBug := func(name string, r *properties.Report) {
		t.Helper()
		if errors.Is(r.Err, properties.Bug) {
			t.Errorf("%s: a bug on a correct derivative: %v", name, r.Err)
		}
	}
	for _, c := range []float64{1e-11, 3e-11} {
		flatMap := func(dst, x []float64) {
			for r := range k {
				dst[r] = 30
				for j := range d {
					dst[r] += c * A[r*d+j] * x[j]
				}
			}
		}
		// jacOf flips the sign of entry flip (−1: none).
		jacOf := func(flip int) func(dst *mat.Dense, x []float64) {
			return func(dst *mat.Dense, x []float64) {
				for i := range A {
					v := c * A[i]
					if i == flip {
						v = -v
					}
					dst.Set(i/d, i%d, v)
				}
			}
		}
		flatGrad := func(dst, x []float64) {
			for r := range d {
				dst[r] = 30
				for j := range d {
					dst[r] += c * Q[r*d+j] * x[j]
				}
			}
		}
		// hessOf flips the sign of the pair [flip, flip+1] (−1: none).
		hessOf := func(flip int) func(dst *mat.SymDense, x []float64) {
			return func(dst *mat.SymDense, x []float64) {
				for r := range d {
					for j := r; j < d; j++ {
						v := c * Q[r*d+j]
						if r == flip && j == flip+1 {
							v = -v
						}
						dst.SetSym(r, j, v)
					}
				}
			}
		}
		f := func(x []float64) float64 { return 30 + c*(x[0]-2*x[1]+3*x[2]) }
		gradOf := func(flip int) func(dst, x []float64) {
			return func(dst, x []float64) {
				dst[0], dst[1], dst[2] = c, -2*c, 3*c
				if flip >= 0 {
					dst[flip] = -dst[flip]
				}
			}
		}
		outs := &properties.Settings{Outputs: k}
		name := func(s string) string { return fmt.Sprintf("c = %g, %s", c, s) }
		wantBug(name("Jacobian, entry [1,1] sign-flipped"), properties.JacobianReport(flatMap, jacOf(4), x, outs), 4)
		wantBug(name("Jacobian, entry [0,2] sign-flipped"), properties.JacobianReport(flatMap, jacOf(2), x, outs), 2)
		wantBug(name("Hessian, pair [0,1] sign-flipped"), properties.HessianReport(flatGrad, hessOf(0), x, nil), 1)
		wantBug(name("Hessian, pair [1,2] sign-flipped"), properties.HessianReport(flatGrad, hessOf(1), x, nil), 5)
		wantBug(name("gradient, entry 0 sign-flipped"), properties.GradientReport(f, gradOf(0), x, nil), 0)
		noBug(name("Jacobian, correct"), properties.JacobianReport(flatMap, jacOf(-1), x, outs))
		noBug(name("Hessian, correct"), properties.HessianReport(flatGrad, hessOf(-1), x, nil))
		noBug(name("gradient, correct"), properties.GradientReport(f, gradOf(-1), x, nil))
		noBug(name("directions, correct"), properties.GradientReport(f, gradOf(-1), x, &properties.Settings{Directions: 3}))
	}
	// No value resolves entries of 1e-13 there: a sign error stays a
	// no-verdict.
	tiny := func(x []float64) float64 { return 30 + 1e-13*(x[0]-2*x[1]+3*x[2]) }
	r := properties.GradientReport(tiny, func(dst, x []float64) { dst[0], dst[1], dst[2] = -1e-13, 2e-13, -3e-13 }, x, nil)
	if errors.Is(r.Err, properties.Bug) || !errors.Is(r.Err, properties.Unresolved) {
		t.Errorf("entries of 1e-13, sign-flipped: %v, want Unresolved and no bug", r.Err)
	}
	// A kink of the flat f at 0.5 + dk, slope jump J, crossed by Ridders'
	// steps from 0.1.
	for _, dk := range []float64{0.003, 0.01, 0.02, 0.03, 0.05, 0.07, 0.09, -0.003, -0.01, -0.02, -0.05} {
		for _, J := range []float64{1e-11, 3e-11, 1e-10, 1e-9} {
			f := func(x []float64) float64 { return 30 + 1e-11*x[0] + J*math.Max(0, x[0]-0.5-dk) + 2e-11*x[1] }
			g := func(dst, x []float64) {
				dst[0], dst[1] = 1e-11, 2e-11
				if x[0] > 0.5+dk {
					dst[0] += J
				}
			}
			noBug(fmt.Sprintf("kink %g away, jump %g", dk, J), properties.GradientReport(f, g, []float64{0.5, 0.2}, nil))
		}
	}
	// Structure that fooled one step of the confirmation, found by a
	// random sweep of flat functions with kinks and softplus corners near
	// x: a kink 2e-4 and a corner 3e-5 from x with opposite slope changes
	// (every step from 0.1 and from 0.01 reads the average slope, 9e-11,
	// for 4.35e-10), and a kink 4.8e-4 from x whose gap cancelled the
	// curvature of a corner 0.02 wide at the step 0.01. Entry 0 is no bug
	// (the second function's entry 1, whose kink is 1.2e-4 from x, was
	// called wrong before the confirmation existed, and still is).
	type feature struct {
		i           int
		at, jump, w float64 // w > 0: a softplus corner of width w
	}
	structured := func(base float64, slope []float64, fs []feature) (func([]float64) float64, func(dst, x []float64)) {
		f := func(x []float64) float64 {
			s := base
			for i := range x {
				s += slope[i] * x[i]
			}
			for _, q := range fs {
				if q.w > 0 {
					s += q.jump * q.w * math.Log1p(math.Exp((x[q.i]-q.at)/q.w))
				} else {
					s += q.jump * math.Max(0, x[q.i]-q.at)
				}
			}
			return s
		}
		g := func(dst, x []float64) {
			copy(dst, slope)
			for _, q := range fs {
				if q.w > 0 {
					dst[q.i] += q.jump / (1 + math.Exp(-(x[q.i]-q.at)/q.w))
				} else if x[q.i] > q.at {
					dst[q.i] += q.jump
				}
			}
		}
		return f, g
	}
	f, g := structured(82.43852735242993, []float64{3.842931973468129e-11}, []feature{
		{0, 1.259406107383693, 7.565446359069158e-10, 0},
		{0, 1.2728269643249162, 4.623645111990866e-11, 0},
		{0, 1.259583003223001, -6.928234165836721e-10, 0.0003930189168415503}})
	noBug("a kink and a corner with opposite slope changes", properties.GradientReport(f, g, []float64{1.259613740135987}, nil))
	f, g = structured(19.47018445536407, []float64{1.129017819062982e-11, 8.654133237334376e-12, 2.2806867455334482e-12}, []feature{
		{1, 1.3943352084354872, -1.0607960236778815e-09, 0},
		{0, 0.5887064679151413, 2.975655540613466e-11, 0},
		{0, 0.5891338021769282, -2.558688014087465e-10, 0.02015130503916182}})
	if r := properties.GradientReport(f, g, []float64{0.5891847037165077, 1.3944542038923355, 0.4015418936104056}, nil); r.PerEntry[0].Verdict == "bug" {
		t.Errorf("a kink whose gap cancels a corner's curvature: entry 0 %v: %v", r.PerEntry[0], r.Err)
	}
}

// TestFlatSignSweep: random flat functions, f = b + Σ cᵢxᵢ (b ~ 3 … 300,
// |cᵢ| log-uniform over 1e-13 … 1e-9, d = 2 … 4), their gradients along
// coordinates and along 4 directions, and flat gradient fields
// g = b + Cx (C symmetric) with their Hessians. Must not: the correct
// derivatives are never a bug. Must: with the signs of one entry (a row
// and column of the Hessian) flipped, the check never passes along
// coordinates or as a Hessian — a bug or, where no value resolves the
// entry, a no-verdict — and the counts are logged (docs/NUMERICS.md,
// "Refutations a smaller step confirms"). 200 cases per mode, 2000 with
// GRADCHECK_LONG=1.
func TestFlatSignSweep(t *testing.T) {
	run := func(t *testing.T, seed uint64, n int) {
		rnd := rand.New(rand.NewPCG(seed, 11))
		counts := map[string]int{}
		for k := 0; k < n; k++ {
			d := 2 + rnd.IntN(3)
			base := 30 * math.Pow(10, rnd.Float64()*2-1)
			x := make([]float64, d)
			for i := range x {
				x[i] = rnd.Float64()*4 - 2
			}
			c := make([]float64, d*d)
			for i := range c {
				c[i] = math.Pow(10, -13+4*rnd.Float64()) * float64(1-2*rnd.IntN(2))
			}
			for i := range d {
				for j := range i {
					c[i*d+j] = c[j*d+i]
				}
			}
			flip := rnd.IntN(d)
			f := func(x []float64) float64 {
				s := base
				for i := range x {
					s += c[i] * x[i]
				}
				return s
			}
			gradOf := func(sign float64) func(dst, x []float64) {
				return func(dst, x []float64) {
					copy(dst, c[:d])
					dst[flip] *= sign
				}
			}
			field := func(dst, x []float64) {
				for i := range d {
					dst[i] = base
					for j := range d {
						dst[i] += c[i*d+j] * x[j]
					}
				}
			}
			hessOf := func(sign float64) func(dst *mat.SymDense, x []float64) {
				return func(dst *mat.SymDense, x []float64) {
					for i := range d {
						for j := i; j < d; j++ {
							v := c[i*d+j]
							if i == flip || j == flip {
								v *= sign
							}
							dst.SetSym(i, j, v)
						}
					}
				}
			}
			dirs := &properties.Settings{Directions: 4}
			for _, m := range []struct {
				mode string
				r    func(sign float64) *properties.Report
			}{
				{"coordinates", func(sign float64) *properties.Report { return properties.GradientReport(f, gradOf(sign), x, nil) }},
				{"directions", func(sign float64) *properties.Report { return properties.GradientReport(f, gradOf(sign), x, dirs) }},
				{"hessian", func(sign float64) *properties.Report { return properties.HessianReport(field, hessOf(sign), x, nil) }},
			} {
				if r := m.r(1); errors.Is(r.Err, properties.Bug) {
					t.Errorf("seed %d, case %d, %s: a bug on a correct derivative: %v", seed, k, m.mode, r.Err)
				}
				r := m.r(-1)
				switch {
				case errors.Is(r.Err, properties.Bug):
					counts[m.mode+" bug"]++
				case r.Err == nil:
					counts[m.mode+" pass"]++
					if m.mode != "directions" {
						t.Errorf("seed %d, case %d, %s: entry %d sign-flipped passed", seed, k, m.mode, flip)
					}
				default:
					counts[m.mode+" no verdict"]++
				}
			}
		}
		t.Logf("seed %d, %d cases, one entry sign-flipped: %v", seed, n, counts)
	}
	run(t, 1, 200)
	t.Run("long", func(t *testing.T) {
		testenv.Long(t)
		run(t, 2, 2000)
	})
}
