package libfuzz

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The byte format of go-118-fuzz-build's testing.F.Fuzz, which reads a
// target's arguments in order from libFuzzer's input with go-fuzz-headers'
// consumer (github.com/AdaLogics/go-fuzz-headers, ConsumeFuzzer):
//
//	uint8, int8            1 byte
//	uint16, int16          2 bytes, then an endianness byte (even: little-endian)
//	uint32, int32          4 bytes, big-endian
//	uint64, int64, uint, int, float64
//	                       8 bytes, then an endianness byte
//	float32                4 bytes, then an endianness byte
//	bool                   1 byte: even is true, odd is false
//	string                 a big-endian uint32 length, then that many bytes
//	[]byte                 the same, but a length of 0 means 30, and a length
//	                       that is not all the bytes left is taken modulo them
//
// An input that runs out before the last argument is skipped: the fuzz
// function is not called. Encode writes the little-endian form.

// Encode returns the libFuzzer input that go-118-fuzz-build decodes to
// vals, the arguments of a fuzz function after its *testing.T. An empty
// []byte, and an empty string as the last argument, have no encoding: the
// consumer cannot produce them.
func Encode(vals ...any) ([]byte, error) {
	var b []byte
	for i, v := range vals {
		last := i == len(vals)-1
		switch t := v.(type) {
		case []byte:
			if len(t) == 0 {
				return nil, fmt.Errorf("argument %d: go-118-fuzz-build cannot pass an empty []byte", i+1)
			}
			b = binary.BigEndian.AppendUint32(b, uint32(len(t)))
			b = append(b, t...)
		case string:
			if t == "" && last {
				return nil, fmt.Errorf("argument %d: go-118-fuzz-build cannot pass an empty string as the last argument", i+1)
			}
			b = binary.BigEndian.AppendUint32(b, uint32(len(t)))
			b = append(b, t...)
		case bool:
			if t {
				b = append(b, 0)
			} else {
				b = append(b, 1)
			}
		case uint8:
			b = append(b, t)
		case int8:
			b = append(b, byte(t))
		case uint16:
			b = append(binary.LittleEndian.AppendUint16(b, t), 0)
		case int16:
			b = append(binary.LittleEndian.AppendUint16(b, uint16(t)), 0)
		case uint32:
			b = binary.BigEndian.AppendUint32(b, t)
		case int32:
			b = binary.BigEndian.AppendUint32(b, uint32(t))
		case uint64:
			b = append(binary.LittleEndian.AppendUint64(b, t), 0)
		case int64:
			b = append(binary.LittleEndian.AppendUint64(b, uint64(t)), 0)
		case uint:
			b = append(binary.LittleEndian.AppendUint64(b, uint64(t)), 0)
		case int:
			b = append(binary.LittleEndian.AppendUint64(b, uint64(t)), 0)
		case float64:
			b = append(binary.LittleEndian.AppendUint64(b, math.Float64bits(t)), 0)
		case float32:
			b = append(binary.LittleEndian.AppendUint32(b, math.Float32bits(t)), 0)
		default:
			return nil, fmt.Errorf("argument %d: go-118-fuzz-build cannot pass a %T", i+1, v)
		}
	}
	return b, nil
}

// Decode returns the arguments go-118-fuzz-build passes to a fuzz function
// whose arguments after *testing.T have the given types (Go type names:
// float64, []byte, byte…) for the libFuzzer input data. It is an error if
// data runs out before the last one: go-118-fuzz-build then skips the
// input without calling the function.
func Decode(types []string, data []byte) ([]any, error) {
	d := decoder{data: data}
	var vals []any
	for i, typ := range types {
		v, ok := d.value(typ)
		if v == nil {
			return nil, fmt.Errorf("argument %d: type %s is not one go-118-fuzz-build passes", i+1, typ)
		}
		if !ok {
			return nil, fmt.Errorf("the input (%d bytes) runs out at argument %d (%s): go-118-fuzz-build skips it", len(data), i+1, typ)
		}
		vals = append(vals, v)
	}
	return vals, nil
}

// decoder is go-fuzz-headers' consumer, for the types go-118-fuzz-build reads.
type decoder struct {
	data []byte
	pos  int
}

// value reads one value of type typ; nil for a type it does not know, and
// false when the data runs out.
func (d *decoder) value(typ string) (any, bool) {
	switch typ {
	case "[]byte", "[]uint8":
		n, ok := d.n(4)
		left := len(d.data) - d.pos
		if !ok || left <= 0 {
			return []byte{}, false
		}
		length := int(binary.BigEndian.Uint32(n))
		if length == 0 {
			length = 30
		}
		if length != left {
			length %= left
		}
		b := d.data[d.pos : d.pos+length]
		d.pos += length
		return append([]byte{}, b...), true
	case "string":
		if d.pos >= len(d.data) {
			return "", false
		}
		n, ok := d.n(4)
		length := 0
		if ok {
			length = int(binary.BigEndian.Uint32(n))
		}
		if !ok || d.pos >= len(d.data) || d.pos+length > len(d.data) {
			return "", false
		}
		s := string(d.data[d.pos : d.pos+length])
		d.pos += length
		return s, true
	case "bool":
		b, ok := d.n(1)
		return ok && b[0]%2 == 0, ok
	case "uint8", "byte":
		b, ok := d.n(1)
		return at(b, 0), ok
	case "int8":
		b, ok := d.n(1)
		return int8(at(b, 0)), ok
	case "uint16", "int16":
		u, ok := d.endian(2)
		if typ == "int16" {
			return int16(u), ok
		}
		return uint16(u), ok
	case "uint32", "int32", "rune":
		b, ok := d.n(4)
		u := uint32(0)
		if ok {
			u = binary.BigEndian.Uint32(b)
		}
		if typ == "uint32" {
			return u, ok
		}
		return int32(u), ok
	case "uint64", "int64", "uint", "int", "float64":
		u, ok := d.endian(8)
		return map[string]any{"uint64": u, "int64": int64(u), "uint": uint(u), "int": int(u), "float64": math.Float64frombits(u)}[typ], ok
	case "float32":
		u, ok := d.endian(4)
		return math.Float32frombits(uint32(u)), ok
	}
	return nil, false
}

// n consumes n bytes.
func (d *decoder) n(n int) ([]byte, bool) {
	if d.pos >= len(d.data) || d.pos+n > len(d.data) {
		d.pos = len(d.data)
		return nil, false
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, true
}

// endian consumes an n-byte unsigned integer and its endianness byte.
func (d *decoder) endian(n int) (uint64, bool) {
	b, ok := d.n(n)
	if !ok {
		return 0, false
	}
	e, ok := d.n(1)
	if !ok {
		return 0, false
	}
	var le, be uint64
	for i := range n {
		le |= uint64(b[i]) << (8 * i)
		be = be<<8 | uint64(b[i])
	}
	if e[0]%2 == 0 {
		return le, true
	}
	return be, true
}

func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}
