package rapidrun

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// draws runs MakeFuzz's function on the arguments in a subtest and returns
// what prop drew: n values of rapid.Float64 after one rapid.IntRange. It
// fails t if the case was skipped (the choices ran out) or failed.
func draws(t *testing.T, n int, c0, c1, c2, c3, seed uint64) []float64 {
	t.Helper()
	var got []float64
	done := false
	fuzz := MakeFuzz(func(rt *rapid.T) {
		got = []float64{float64(rapid.IntRange(0, 1<<30).Draw(rt, "first"))}
		got = append(got, rapid.SliceOfN(rapid.Float64(), n, n).Draw(rt, "values")...)
		done = true
	})
	t.Run("case", func(t *testing.T) { fuzz(t, c0, c1, c2, c3, seed) })
	if !done {
		t.Fatalf("MakeFuzz(%d, %d, %d, %d, %d) with %d draws: the case did not run to its end (skipped: too few choices?)", c0, c1, c2, c3, seed, n+1)
	}
	return got
}

func TestMakeFuzz(t *testing.T) {
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
