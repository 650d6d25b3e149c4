package rapidrun

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
	_ "unsafe" // for go:linkname

	"pgregory.net/rapid"
)

// fuzzChoices is the number of rapid choices a fuzzed test case can use.
// The largest draws of the generators' invariants take about 11 000
// (measured on random inputs, generators.FuzzGeneratorsInvariants); a case
// that needs more is skipped, as rapid.MakeFuzz skips an input that runs
// out.
const fuzzChoices = 1 << 14

// TB is what Fuzz needs of a fuzz function's *testing.T: go test's, or
// the stand-in that go-118-fuzz-build puts in its place when libFuzzer
// runs the target (OSS-Fuzz, ClusterFuzzLite, .ci/libfuzzer), whose Fatalf
// panics.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Fuzz runs prop once, on the test case these arguments choose, and fails
// t if prop fails: rapid's first four choices are c0 to c3 (the first
// draws, such as a shape, which the fuzzer then steers directly), and the
// choices after them come from a PCG seeded with seed. The same arguments
// always draw the same case, under either engine, so a finding kept under
// testdata/fuzz replays with go test. A fuzz target calls it from a
// function literal, so that under libFuzzer its t is go-118-fuzz-build's:
//
//	f.Fuzz(func(t *testing.T, c0, c1, c2, c3, seed uint64) {
//		rapidrun.Fuzz(t, prop, c0, c1, c2, c3, seed)
//	})
//
// With go test's *testing.T it is rapid.MakeFuzz's function on the bytes
// of fuzzInput. rapid.MakeFuzz takes every choice from the fuzzer's bytes,
// 8 bytes per choice, and skips an input that runs out: a generator of
// datasets needs thousands of choices, so its inputs must be tens of
// kilobytes. The go command minimizes each new interesting []byte input for
// up to -fuzzminimizetime (default 60s), in a number of runs quadratic in
// its length: a 30 s session of a target with 128 KiB inputs ran 8 inputs
// and spent the rest minimizing. Integer arguments are not minimized, and
// every input is a whole case.
//
// With another t, it runs the same function of rapid.MakeFuzz (checkFuzz)
// on a recorder, since only a *testing.T can be handed to rapid.MakeFuzz's:
// a case that runs out of choices is skipped, a failure is reported with
// t.Fatalf and what rapid printed.
func Fuzz(t TB, prop func(*rapid.T), c0, c1, c2, c3, seed uint64) {
	t.Helper()
	input := fuzzInput(c0, c1, c2, c3, seed)
	if tt, ok := t.(*testing.T); ok {
		rapid.MakeFuzz(prop)(tt, input)
		return
	}
	rec := &recorder{name: "libFuzzer"}
	checkFuzz(rec, prop, input)
	if rec.failed {
		t.Fatalf("%s", rec.log.String())
	}
}

// checkFuzz is the function of rapid (v1.3.0, engine.go) that
// rapid.MakeFuzz's function calls with its *testing.T: it draws one case
// from input and reports its outcome to tb (SkipNow when it ran out of
// choices, Fatalf when prop failed). Its first parameter is rapid's
// unexported copy of rapid.TB, an interface of the same methods. A rapid
// that renames it fails to link, loudly.
//
//go:linkname checkFuzz pgregory.net/rapid.checkFuzz
func checkFuzz(tb rapid.TB, prop func(*rapid.T), input []byte)

// fuzzInput returns the bytes rapid.MakeFuzz reads as the choices c0, c1,
// c2, c3, then fuzzChoices−4 from a PCG seeded with seed.
func fuzzInput(c0, c1, c2, c3, seed uint64) []byte {
	b := make([]byte, 8*fuzzChoices)
	for i, c := range []uint64{c0, c1, c2, c3} {
		binary.LittleEndian.PutUint64(b[8*i:], c)
	}
	pcg := rand.NewPCG(seed, 0x9e3779b97f4a7c15) // any fixed stream; the golden ratio's bits
	for i := 32; i < len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], pcg.Uint64())
	}
	return b
}
