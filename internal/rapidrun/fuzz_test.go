package rapidrun

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// draws runs Fuzz on the arguments in a subtest and returns
// what prop drew: n values of rapid.Float64 after one rapid.IntRange. It
// fails t if the case was skipped (the choices ran out) or failed.
func draws(t *testing.T, n int, c0, c1, c2, c3, seed uint64) []float64 {
	t.Helper()
	var got []float64
	done := false
	t.Run("case", func(t *testing.T) { Fuzz(t, drawFloats(n, &got, &done), c0, c1, c2, c3, seed) })
	if !done {
		t.Fatalf("Fuzz(%d, %d, %d, %d, %d) with %d draws: the case did not run to its end (skipped: too few choices?)", c0, c1, c2, c3, seed, n+1)
	}
	return got
}

// drawFloats is a property that draws a rapid.IntRange, then n values of
// rapid.Float64, into *got, and sets *done at its end.
func drawFloats(n int, got *[]float64, done *bool) func(*rapid.T) {
	return func(rt *rapid.T) {
		*got = []float64{float64(rapid.IntRange(0, 1<<30).Draw(rt, "first"))}
		*got = append(*got, rapid.SliceOfN(rapid.Float64(), n, n).Draw(rt, "values")...)
		*done = true
	}
}

func TestFuzz(t *testing.T) {
	// 1000 floats take more choices than a 4 KiB input of rapid.MakeFuzz
	// holds (512); all but the first four come from the seed's PCG here.
	const n = 1000
	a := draws(t, n, 1, 2, 3, 4, 5)
	if b := draws(t, n, 1, 2, 3, 4, 5); !slices.Equal(a, b) {
		t.Errorf("the same arguments drew different cases: first values %v and %v", a[:3], b[:3])
	}
	if b := draws(t, n, 1, 2, 3, 4, 6); slices.Equal(a[1:], b[1:]) {
		t.Errorf("seeds 5 and 6 drew the same values %v…", a[1:4])
	}
	if b := draws(t, n, 0x5851f42d4c957f2d, 0x14057b7ef767814f, 0x2545f4914f6cdd1d, 0x9e3779b97f4a7c15, 5); a[0] == b[0] {
		t.Errorf("other first choices drew the same first value %v: c0…c3 do not steer the first draw", a[0])
	}
}

// fakeTB stands for go-118-fuzz-build's testing.T, which is not a
// *testing.T: Fuzz then runs rapid's checkFuzz on a recorder.
type fakeTB struct {
	failed bool
	msg    string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = true
	f.msg = fmt.Sprintf(format, args...)
}

// TestFuzzOtherTB checks Fuzz with a t that is not a *testing.T, as under
// libFuzzer: the same arguments draw the same case as with go test's (so
// a libFuzzer finding replays with go test), a failing property fails t
// with its message, and a case that runs out of choices is skipped.
func TestFuzzOtherTB(t *testing.T) {
	const n = 1000
	want := draws(t, n, 1, 2, 3, 4, 5)
	var got []float64
	done := false
	ft := &fakeTB{}
	Fuzz(ft, drawFloats(n, &got, &done), 1, 2, 3, 4, 5)
	if ft.failed || !done {
		t.Fatalf("Fuzz on a passing property: failed %v (%s), ran to its end %v; want a pass", ft.failed, ft.msg, done)
	}
	if !slices.Equal(got, want) {
		t.Errorf("Fuzz drew %v… with another TB, %v… with *testing.T: want the same case", got[:3], want[:3])
	}

	ft = &fakeTB{}
	Fuzz(ft, func(rt *rapid.T) {
		if x := rapid.IntRange(0, 10).Draw(rt, "x"); x >= 0 {
			rt.Fatalf("x = %d is not negative", x)
		}
	}, 1, 2, 3, 4, 5)
	if !ft.failed || !strings.Contains(ft.msg, "is not negative") {
		t.Errorf("Fuzz on a failing property: failed %v, message %q; want a failure with the property's message", ft.failed, ft.msg)
	}

	ft = &fakeTB{}
	done = false
	Fuzz(ft, drawFloats(2*fuzzChoices, &got, &done), 1, 2, 3, 4, 5)
	if ft.failed || done {
		t.Errorf("Fuzz on a property that needs more than %d choices: failed %v (%s), ran to its end %v; want it skipped", fuzzChoices, ft.failed, ft.msg, done)
	}
}
