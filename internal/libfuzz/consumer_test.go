package libfuzz

import (
	"bytes"
	"encoding/base64"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestDecodeLibFuzzerCrash decodes the input libFuzzer wrote when it found
// the bug of the fixture's FuzzMean (testdata/libfuzzer-fixture), whose
// go test replay failed with Mean([252 4]): a []byte whose length field
// (0x25000004) is taken modulo the 3 bytes left.
func TestDecodeLibFuzzerCrash(t *testing.T) {
	raw, err := base64.StdEncoding.DecodeString("JQAABPwEAA==")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode([]string{"[]byte"}, raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{[]byte{252, 4}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %v, want %v", got, want)
	}
}

// TestEncodeDecode round-trips every type go-118-fuzz-build passes, with
// values whose bytes are asymmetric (an endianness mix-up changes them).
func TestEncodeDecode(t *testing.T) {
	vals := []any{
		[]byte("ab\x00c"), "héllo", "", true, false, uint8(0xfe), int8(-3), uint16(0x1234), int16(-2),
		uint32(0xdeadbeef), int32(-7), uint64(0x0102030405060708), int64(-9), uint(11), int(-12),
		1.5e-300, math.Inf(-1), math.Copysign(0, -1), float32(-2.25), []byte{9},
	}
	var types []string
	for _, v := range vals {
		types = append(types, typeName(v))
	}
	raw, err := Encode(vals...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(types, raw)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, vals) {
		t.Errorf("Decode(Encode(vals)) =\n%#v\nwant\n%#v", got, vals)
	}
	// NaN's payload survives too.
	nan := math.Float64frombits(0x7ff8000000000abc)
	raw, _ = Encode(nan)
	got, _ = Decode([]string{"float64"}, raw)
	if b := math.Float64bits(got[0].(float64)); b != 0x7ff8000000000abc {
		t.Errorf("NaN bits %#x came back as %#x", 0x7ff8000000000abc, b)
	}
}

// TestDecodeBigEndian checks the other endianness, which libFuzzer's
// mutations produce as often: an odd byte after the value.
func TestDecodeBigEndian(t *testing.T) {
	got, err := Decode([]string{"uint64", "bool"}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{uint64(0x0102030405060708), false}; !reflect.DeepEqual(got, want) {
		t.Errorf("Decode = %v, want %v", got, want)
	}
}

func TestDecodeShort(t *testing.T) {
	for _, c := range []struct {
		types []string
		data  []byte
	}{
		{[]string{"float64"}, []byte{1, 2, 3, 4, 5, 6, 7, 8}}, // no endianness byte
		{[]string{"bool", "uint8"}, []byte{0}},
		{[]string{"string"}, []byte{0, 0, 0, 5, 'a'}},
		{[]string{"[]byte"}, []byte{0, 0, 0, 1}},
		{[]string{"uint32"}, nil},
	} {
		if _, err := Decode(c.types, c.data); err == nil || !strings.Contains(err.Error(), "runs out") {
			t.Errorf("Decode(%v, %v): error %v, want one saying the input runs out", c.types, c.data, err)
		}
	}
	if _, err := Decode([]string{"complex128"}, bytes.Repeat([]byte{1}, 32)); err == nil || !strings.Contains(err.Error(), "not one go-118-fuzz-build passes") {
		t.Errorf("Decode of a complex128: error %v, want an unsupported type", err)
	}
}

func TestEncodeUnencodable(t *testing.T) {
	for _, vals := range [][]any{{[]byte{}}, {1.0, ""}, {complex(1, 2)}} {
		if _, err := Encode(vals...); err == nil {
			t.Errorf("Encode(%#v): no error, want one (no input decodes to it)", vals)
		}
	}
}

// typeName is the Go type name of a value of a fuzz argument.
func typeName(v any) string {
	return strings.ReplaceAll(reflect.TypeOf(v).String(), "[]uint8", "[]byte")
}
