package generators

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"

	"github.com/gradcheck/gradcheck/internal/rapidrun"
)

// eps is the float64 machine epsilon 2^-52. It is declared here, not in
// main_test.go, because go-118-fuzz-build builds this file alone of the
// package's test files (docs/FUZZING.md).
const eps = 0x1p-52

// checkInvariants draws one value from every generator and checks what its
// documentation promises: consistent shapes, finite entries, values in their
// ranges, labels in range, probability rows summing to 1, asymmetric points
// and condition numbers. TestGeneratorsInvariants runs it under rapid.Check
// (pinned seed) and FuzzGeneratorsInvariants under the fuzzer.
func checkInvariants(t *rapid.T) {
	s := Shape().Draw(t, "shape")
	n, d := s.N, s.D
	if n < 1 || n > 12 || d < 1 || d > 12 {
		t.Fatalf("Shape drew %+v, want N and D in 1…12", s)
	}
	shape := rapid.Just(s)

	x := Float64().Draw(t, "x")
	checkFinite(t, "Float64", []float64{x}, 1e3)
	if a := math.Abs(Float64Tiny().Draw(t, "tiny")); !(a >= 1e-300 && a < 1e-6) {
		t.Fatalf("Float64Tiny drew |x| = %v, want in [1e-300, 1e-6)", a)
	}
	if a := math.Abs(Float64Huge().Draw(t, "huge")); !(a >= 1e6 && a < 1e300) {
		t.Fatalf("Float64Huge drew |x| = %v, want in [1e6, 1e300)", a)
	}

	reg := RegressionDataOf(shape).Draw(t, "regression")
	checkDims(t, "Regression.X", reg.X, n, d)
	checkLen(t, "Regression.Y", reg.Y, n)
	checkFinite(t, "Regression.X", reg.X.RawMatrix().Data, 1e3)
	checkFinite(t, "Regression.Y", reg.Y, 1e3)
	checkPoint(t, "Regression.W", reg.W, d)

	for _, c := range []struct {
		name    string
		logit   *rapid.Generator[float64]
		extreme bool
	}{{"Classification", Logit(), false}, {"extreme Classification", ExtremeLogit(), true}} {
		cls := ClassificationDataOf(shape, c.logit).Draw(t, c.name)
		checkDims(t, c.name+".X", cls.X, n, d)
		checkLabels(t, c.name+".Y", cls.Y, n)
		checkPoint(t, c.name+".W", cls.W, d)
		checkFinite(t, c.name+".X", cls.X.RawMatrix().Data, math.MaxFloat64)
		for i := range n {
			z, scale := dot(cls.X.RawRowView(i), cls.W)
			tol := logitTol(d, scale)
			if math.Abs(z) > maxLogit+tol || c.extreme && math.Abs(z) < 10-tol {
				t.Fatalf("%s: logit (Xw)_%d = %v, want |z| ≤ %v (≥ 10 if extreme)", c.name, i, z, maxLogit)
			}
		}
	}

	k := rapid.IntRange(1, 6).Draw(t, "k")
	hard := MulticlassDataOf(shape, rapid.Just(k), OneHot).Draw(t, "Multiclass")
	soft := MulticlassDataOf(shape, rapid.Just(k), ProbabilityRows).Draw(t, "soft Multiclass")
	for _, mc := range []Multiclass{hard, soft} {
		checkDims(t, "Multiclass.X", mc.X, n, d)
		checkDims(t, "Multiclass.Y", mc.Y, n, k)
		checkPoint(t, "Multiclass.W", mc.W, d*k)
		for _, v := range mc.X.RawMatrix().Data {
			if a := math.Abs(v); !(a >= 0.01 && a < 1) {
				t.Fatalf("Multiclass.X entry %v, want 0.01 ≤ |x| < 1", v)
			}
		}
	}
	for i := range n {
		ones := 0
		for _, v := range hard.Y.RawRowView(i) {
			if v == 1 {
				ones++
			} else if v != 0 {
				ones = -1
				break
			}
		}
		if ones != 1 {
			t.Fatalf("one-hot row %d = %v", i, hard.Y.RawRowView(i))
		}
		checkProbabilities(t, soft.Y.RawRowView(i))
	}

	z := Logits(n).Draw(t, "logits")
	checkLen(t, "Logits", z, n)
	checkFinite(t, "Logits", z, maxLogit)

	cond := math.Abs(Float64Decades(0, 8).Draw(t, "cond"))
	a := IllConditionedMatrix(n+1, d+1, cond).Draw(t, "A")
	checkDims(t, "IllConditionedMatrix", a, n+1, d+1)
	checkFinite(t, "IllConditionedMatrix", a.RawMatrix().Data, 1)
	// Tolerance argued in TestIllConditionedMatrixCond; cond < 1e8 keeps
	// tol·cond below 1e-5.
	tol := float64(min(n, d)+1) * float64(max(n, d)+1) * eps
	if got := mat.Cond(a, 2); math.Abs(got/cond-1) > tol*(1+cond)/(1-tol*cond) {
		t.Fatalf("IllConditionedMatrix(%d, %d, %v): mat.Cond = %v", n+1, d+1, cond, got)
	}
}

// logitTol bounds |x_i·w - z_i| for a recomputed logit after
// ClassificationDataOf's projection, scale = Σ_j |x_ij·w_j| of the final
// row. The second projection pass leaves the rounding of its own dot product
// (d·u·scale) and of its update of the entries (u·scale); recomputing adds
// d·u·scale. That is (2d+1)·u·scale (u = ε/2), and the bound
// 3(d+1)·ε·scale = 6(d+1)·u·scale leaves a factor of about 3 (measured in
// TestClassificationLogitsMatch: at most 0.17 of it).
func logitTol(d int, scale float64) float64 {
	return 3 * float64(d+1) * eps * scale
}

// dot returns x·w and Σ|x_j·w_j|.
func dot(x, w []float64) (float64, float64) {
	s, scale := 0.0, 0.0
	for j := range x {
		s += x[j] * w[j]
		scale += math.Abs(x[j] * w[j])
	}
	return s, scale
}

func checkDims(t *rapid.T, what string, a *mat.Dense, r, c int) {
	t.Helper()
	if gr, gc := a.Dims(); gr != r || gc != c {
		t.Fatalf("%s is %d×%d, want %d×%d", what, gr, gc, r, c)
	}
}

func checkLen(t *rapid.T, what string, v []float64, n int) {
	t.Helper()
	if len(v) != n {
		t.Fatalf("len(%s) = %d, want %d", what, len(v), n)
	}
}

// checkFinite fails unless every entry is finite with |x| ≤ bound.
func checkFinite(t *rapid.T, what string, v []float64, bound float64) {
	t.Helper()
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > bound {
			t.Fatalf("%s[%d] = %v, want finite with |x| ≤ %v", what, i, x, bound)
		}
	}
}

func checkLabels(t *rapid.T, what string, y []float64, n int) {
	t.Helper()
	checkLen(t, what, y, n)
	for i, v := range y {
		if v != 0 && v != 1 {
			t.Fatalf("%s[%d] = %v, want 0 or 1", what, i, v)
		}
	}
}

// checkPoint checks Point's promises: no zero coordinate, magnitudes pairwise
// at least a factor 65/64 apart, finite.
func checkPoint(t *rapid.T, what string, w []float64, d int) {
	t.Helper()
	checkLen(t, what, w, d)
	checkFinite(t, what, w, 10*math.Pow(pointStep, float64(d-1)))
	for i := range w {
		if math.Abs(w[i]) < 0.1 {
			t.Fatalf("%s[%d] = %v, want |w| ≥ 0.1", what, i, w[i])
		}
		for j := range i {
			a, b := math.Abs(w[i]), math.Abs(w[j])
			if max(a, b) < pointGap*min(a, b) {
				t.Fatalf("%s[%d] = %v and [%d] = %v are within a factor 65/64", what, j, w[j], i, w[i])
			}
		}
	}
}

// checkProbabilities checks a probability row: entries in [0, 1], sum
// within k·ε of 1 (the bound argued in TestProbabilityRows).
func checkProbabilities(t *rapid.T, p []float64) {
	t.Helper()
	s := 0.0
	for _, v := range p {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("probability row %v has entry %v outside [0, 1]", p, v)
		}
		s += v
	}
	if math.Abs(s-1) > float64(len(p))*eps {
		t.Fatalf("probability row %v sums to 1%+.3g", p, s-1)
	}
}

func TestGeneratorsInvariants(t *testing.T) {
	rapid.Check(t, checkInvariants)
}

// FuzzGeneratorsInvariants lets the fuzzer choose the test case: rapid's
// first four choices (the shape) and the seed of the rest
// (rapidrun.Fuzz, which says why not rapid.MakeFuzz's bytes). Run it
// with
//
//	go test -run '^$' -fuzz '^FuzzGeneratorsInvariants$' -fuzztime 30s ./generators/
func FuzzGeneratorsInvariants(f *testing.F) {
	// Zero first choices are the simplest (smallest shape); random ones
	// give large shapes and every branch.
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0), uint64(1))
	rng := rand.New(rand.NewPCG(1, 2))
	for range 4 {
		f.Add(rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64(), rng.Uint64())
	}
	f.Fuzz(func(t *testing.T, c0, c1, c2, c3, seed uint64) {
		rapidrun.Fuzz(t, checkInvariants, c0, c1, c2, c3, seed)
	})
}
