package libfuzz

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestCorpusFile parses what go test -fuzz writes (a file of this
// repository's suites/testdata/fuzz and hand-written lines in every form
// of the go command's encoder) and round-trips it through
// MarshalCorpusFile.
func TestCorpusFile(t *testing.T) {
	file := "go test fuzz v1\nfloat64(8.908746793429662e+194)\nfloat64(-Inf)\nfloat64(+Inf)\nmath.Float64frombits(0x7ff8000000000abc)\n" +
		"uint64(72172390433974376)\nbool(true)\n[]byte(\"\\xfc\\x04\")\nstring(\"a\\tb\")\nbyte('\\x05')\nrune('é')\nint32(-5)\nint(-3)\nfloat32(1.5)\nuint16(7)\n"
	got, err := ParseCorpusFile([]byte(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{8.908746793429662e+194, math.Inf(-1), math.Inf(1), math.Float64frombits(0x7ff8000000000abc),
		uint64(72172390433974376), true, []byte{0xfc, 4}, "a\tb", byte(5), 'é', int32(-5), -3, float32(1.5), uint16(7)}
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d: %#v", len(got), len(want), got)
	}
	for i := range want {
		if f, ok := want[i].(float64); ok && math.IsNaN(f) {
			if math.Float64bits(got[i].(float64)) != math.Float64bits(f) {
				t.Errorf("value %d = %v, want NaN with bits %#x", i, got[i], math.Float64bits(f))
			}
			continue
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("value %d = %#v, want %#v", i, got[i], want[i])
		}
	}
	b, err := MarshalCorpusFile(got...)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseCorpusFile(b)
	if err != nil {
		t.Fatalf("parsing what MarshalCorpusFile wrote:\n%s\n%v", b, err)
	}
	if string(b) != string(mustMarshal(t, again...)) {
		t.Errorf("the round trip changed the file:\n%s", b)
	}
}

func mustMarshal(t *testing.T, vals ...any) []byte {
	t.Helper()
	b, err := MarshalCorpusFile(vals...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCorpusFileErrors(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"", "want \"go test fuzz v1\""},
		{"go test fuzz v2\nint(1)\n", "first line"},
		{"go test fuzz v1\n", "no value"},
		{"go test fuzz v1\nint(1.5)\n", "line 2"},
		{"go test fuzz v1\nbool(1)\n", "true or false"},
		{"go test fuzz v1\ncomplex128(1)\n", "not one fuzzing supports"},
		{"go test fuzz v1\nbyte('€')\n", "does not fit in a byte"},
		{"go test fuzz v1\nfloat64(1, 2)\n", "one argument"},
	} {
		if _, err := ParseCorpusFile([]byte(c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseCorpusFile(%q): error %v, want one with %q", c.file, err, c.want)
		}
	}
}
