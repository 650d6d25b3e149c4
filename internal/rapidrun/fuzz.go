package rapidrun

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"
)

// fuzzChoices is the number of rapid choices a fuzzed test case can use.
// The largest draws of the generators' invariants take about 11 000
// (measured on random inputs, generators.FuzzGeneratorsInvariants); a case
// that needs more is skipped, as rapid.MakeFuzz skips an input that runs
// out.
const fuzzChoices = 1 << 14

// MakeFuzz returns a function for testing.F.Fuzz that runs prop once, on
// the test case these arguments choose: rapid's first four choices are c0
// to c3 (the first draws, such as a shape, which the fuzzer then steers
// directly), and the choices after them come from a PCG seeded with seed.
// The same arguments always draw the same case, so a finding kept under
// testdata/fuzz replays.
//
// rapid.MakeFuzz takes every choice from the fuzzer's bytes, 8 bytes per
// choice, and skips an input that runs out: a generator of datasets needs
// thousands of choices, so its inputs must be tens of kilobytes. The go
// command minimizes each new interesting []byte input for up to
// -fuzzminimizetime (default 60s), in a number of runs quadratic in its
// length: a 30 s session of a target with 128 KiB inputs ran 8 inputs and
// spent the rest minimizing. Integer arguments are not minimized, and
// every input is a whole case.
func MakeFuzz(prop func(*rapid.T)) func(t *testing.T, c0, c1, c2, c3, seed uint64) {
	run := rapid.MakeFuzz(prop)
	return func(t *testing.T, c0, c1, c2, c3, seed uint64) {
		t.Helper()
		run(t, fuzzInput(c0, c1, c2, c3, seed))
	}
}

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
