package generators

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// recordingTB is a rapid.TB that records failures instead of failing the
// test, so a test can run rapid.Check on a property that is meant to fail and
// look at what rapid shrank it to. (rapid's own shrink tests do the same
// through its unexported doCheck: shrink_test.go, checkShrink.)
type recordingTB struct {
	name   string
	failed bool
	report []string
}

func (r *recordingTB) Helper()                      {}
func (r *recordingTB) Name() string                 { return r.name }
func (r *recordingTB) Logf(format string, a ...any) { r.Log(fmt.Sprintf(format, a...)) }
func (r *recordingTB) Log(a ...any)                 { r.report = append(r.report, fmt.Sprint(a...)) }
func (r *recordingTB) Skipf(format string, a ...any) {
	panic("recordingTB: Skipf(" + fmt.Sprintf(format, a...) + ")")
}
func (r *recordingTB) Skip(a ...any)                  { panic("recordingTB: Skip(" + fmt.Sprint(a...) + ")") }
func (r *recordingTB) SkipNow()                       { panic("recordingTB: SkipNow()") }
func (r *recordingTB) Errorf(format string, a ...any) { r.Logf(format, a...); r.Fail() }
func (r *recordingTB) Error(a ...any)                 { r.Log(a...); r.Fail() }
func (r *recordingTB) Fatalf(format string, a ...any) { r.Errorf(format, a...) }
func (r *recordingTB) Fatal(a ...any)                 { r.Error(a...) }
func (r *recordingTB) FailNow()                       { r.Fail() }
func (r *recordingTB) Fail()                          { r.failed = true }
func (r *recordingTB) Failed() bool                   { return r.failed }

// minimalFailure runs rapid.Check on the property "fails(draw) is false"
// and returns the draw rapid shrank a counterexample to. rapid's last call
// of the property replays the minimized case (engine.go, checkTB), so the
// last draw seen is the minimal one.
func minimalFailure[V any](t *testing.T, gen *rapid.Generator[V], fails func(V) bool) V {
	t.Helper()
	// rapid saves a fail file under testdata/rapid/ in the working directory
	// and replays any it finds there: keep both out of the package.
	t.Chdir(t.TempDir())
	tb := &recordingTB{name: t.Name()}
	var last V
	rapid.Check(tb, func(t *rapid.T) {
		last = gen.Draw(t, "v")
		if fails(last) {
			t.Fatal("fails")
		}
	})
	if !tb.failed {
		t.Fatalf("the property never failed; rapid reported:\n%s", strings.Join(tb.report, "\n"))
	}
	return last
}

// shrinkCase checks that a property failing when fails(draw) shrinks to a
// draw that prints (%#v) as one of want.
func shrinkCase[V any](gen *rapid.Generator[V], fails func(V) bool, want ...string) func(*testing.T) {
	return func(t *testing.T) {
		got := fmt.Sprintf("%#v", minimalFailure(t, gen, fails))
		t.Logf("shrank to %s", got)
		if !slices.Contains(want, got) {
			t.Errorf("shrank to\n\t%s\nwant one of\n\t%s", got, strings.Join(want, "\n\t"))
		}
	}
}

// dense wraps a matrix generator so draws print as mat.NewDense(…).
func dense(gen *rapid.Generator[*mat.Dense]) *rapid.Generator[string] {
	return rapid.Map(gen, DenseGoString)
}

func always[V any](V) bool { return true }

// TestShrinking pins the minimal counterexamples rapid reaches through each
// generator: small sizes first, then the simplest values (0, small integers,
// magnitude 1, uniform rows, no rotation). TestMain pins the seed; the
// targets were measured over seeds 1…40. Where two are listed, both are
// simple and the seed decides: a value above 1 ends at 1.5 (mantissa 1.5 in
// the decade [1, 10)) or 2 (a small integer), 22:18 for a scalar and 6:34
// in a vector; a logit above 709 ends at the landmark 709.436 or at the end
// of the broad range, 27:13. Every other target was reached from all 40
// seeds but one: RegressionData stopped once at N = 12, a local minimum of
// rapid's biased integer draw.
func TestShrinking(t *testing.T) {
	anyLength := rapid.Custom(func(t *rapid.T) []float64 {
		n := rapid.IntRange(1, 12).Draw(t, "n")
		return Vector(n).Draw(t, "v")
	})
	tests := []struct {
		name string
		run  func(*testing.T)
	}{
		{"shape with N ≥ 2", shrinkCase(Shape(),
			func(s Dims) bool { return s.N >= 2 },
			"generators.Dims{N:2, D:1}")},
		{"square shape with N ≥ 2", shrinkCase(Shape(),
			func(s Dims) bool { return s.N == s.D && s.N >= 2 },
			"generators.Dims{N:2, D:2}")},
		{"vector with any |x| > 1", shrinkCase(anyLength,
			func(v []float64) bool { return slices.ContainsFunc(v, func(x float64) bool { return math.Abs(x) > 1 }) },
			"[]float64{1.5}", "[]float64{2}")},
		{"nonzero Float64", shrinkCase(Float64(),
			func(x float64) bool { return x != 0 },
			"1")},
		{"Float64 above 1", shrinkCase(Float64(),
			func(x float64) bool { return x > 1 },
			"1.5", "2")},
		{"Float64Tiny", shrinkCase(Float64Tiny(), always, "1e-07")},
		{"Float64Huge", shrinkCase(Float64Huge(), always, "1e+06")},
		{"Point", shrinkCase(Point(3), always, "[]float64{1, 1.0625, 1.12890625}")},
		{"Labels01", shrinkCase(Labels01(3), always, "[]float64{0, 0, 0}")},
		{"OneHot", shrinkCase(dense(OneHot(2, 3)), always,
			`"mat.NewDense(2, 3, []float64{1, 0, 0, 1, 0, 0})"`)},
		{"ProbabilityRows", shrinkCase(dense(ProbabilityRows(1, 4)), always,
			`"mat.NewDense(1, 4, []float64{0.25, 0.25, 0.25, 0.25})"`)},
		{"Logit", shrinkCase(Logit(), always, "1")},
		{"ExtremeLogit", shrinkCase(ExtremeLogit(), always, "10")},
		{"Logit above 709", shrinkCase(Logit(),
			func(z float64) bool { return math.Abs(z) > 709 },
			fmt.Sprintf("%#v", goExpOverflowLogit), "800")},
		{"IllConditionedMatrix", shrinkCase(dense(IllConditionedMatrix(3, 2, 100)), always,
			`"mat.NewDense(3, 2, []float64{1, 0, 0, 0.01, 0, 0})"`)},
		{"RegressionData with N ≥ 3", shrinkCase(RegressionData(),
			func(d Regression) bool { return len(d.Y) >= 3 },
			"generators.Regression{X: mat.NewDense(3, 1, []float64{0, 0, 0}), Y: []float64{0, 0, 0}, W: []float64{1}}")},
		{"ClassificationData with N ≥ 2", shrinkCase(ClassificationData(),
			func(d Classification) bool { return len(d.Y) >= 2 },
			"generators.Classification{X: mat.NewDense(2, 1, []float64{1, 1}), Y: []float64{0, 0}, W: []float64{1}}")},
		{"MulticlassData with N ≥ 2", shrinkCase(MulticlassData(),
			func(d Multiclass) bool { r, _ := d.X.Dims(); return r >= 2 },
			"generators.Multiclass{X: mat.NewDense(2, 1, []float64{0.1, 0.1}), Y: mat.NewDense(2, 2, []float64{1, 0, 1, 0}), W: []float64{1, 1.0625}}")},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}
