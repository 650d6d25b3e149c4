package libfuzz

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// corpusHeader is the first line of Go's corpus files (encoding version 1).
const corpusHeader = "go test fuzz v1"

// MarshalCorpusFile returns vals in Go's corpus file format, as go test
// -fuzz writes a failing input under testdata/fuzz: the header line, then
// one value per line as a Go conversion, such as float64(1.5). It is the
// encoding of the go command (internal/fuzz), so go test reads it back to
// the same values. A value of a type fuzzing does not support is an error.
func MarshalCorpusFile(vals ...any) ([]byte, error) {
	if len(vals) == 0 {
		return nil, errors.New("libfuzz: a corpus file holds at least one value")
	}
	b := bytes.NewBufferString(corpusHeader + "\n")
	for _, val := range vals {
		switch t := val.(type) {
		case int, int8, int16, int64, uint, uint16, uint32, uint64, bool:
			fmt.Fprintf(b, "%T(%v)\n", t, t)
		case float32:
			if math.IsNaN(float64(t)) && math.Float32bits(t) != math.Float32bits(float32(math.NaN())) {
				fmt.Fprintf(b, "math.Float32frombits(0x%x)\n", math.Float32bits(t))
			} else {
				fmt.Fprintf(b, "%T(%v)\n", t, t)
			}
		case float64:
			if math.IsNaN(t) && math.Float64bits(t) != math.Float64bits(math.NaN()) {
				fmt.Fprintf(b, "math.Float64frombits(0x%x)\n", math.Float64bits(t))
			} else {
				fmt.Fprintf(b, "%T(%v)\n", t, t)
			}
		case string:
			fmt.Fprintf(b, "string(%q)\n", t)
		case rune:
			if utf8.ValidRune(t) {
				fmt.Fprintf(b, "rune(%q)\n", t)
			} else {
				fmt.Fprintf(b, "int32(%v)\n", t)
			}
		case byte:
			fmt.Fprintf(b, "byte(%q)\n", t)
		case []byte:
			fmt.Fprintf(b, "[]byte(%q)\n", t)
		default:
			return nil, fmt.Errorf("libfuzz: a corpus file cannot hold a %T", t)
		}
	}
	return b.Bytes(), nil
}

// ParseCorpusFile returns the values of a file in Go's corpus format, the
// inverse of MarshalCorpusFile, with the error of the first line that is
// not one.
func ParseCorpusFile(b []byte) ([]any, error) {
	lines := strings.Split(string(b), "\n")
	if strings.TrimSuffix(lines[0], "\r") != corpusHeader {
		return nil, fmt.Errorf("first line %q: want %q", firstLine(lines[0]), corpusHeader)
	}
	var vals []any
	for i, line := range lines[1:] {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		v, err := parseCorpusValue(line)
		if err != nil {
			return nil, fmt.Errorf("line %d %q: %v", i+2, line, err)
		}
		vals = append(vals, v)
	}
	if len(vals) == 0 {
		return nil, errors.New("no value after the header line")
	}
	return vals, nil
}

func firstLine(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// parseCorpusValue parses one line of a corpus file: T(literal), []byte("…")
// or math.Float64frombits(0x…).
func parseCorpusValue(line string) (any, error) {
	expr, err := parser.ParseExpr(line)
	if err != nil {
		return nil, err
	}
	call, ok := expr.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return nil, errors.New("want a conversion T(value) with one argument")
	}
	typ := types.ExprString(call.Fun)
	switch typ {
	case "[]byte", "string":
		s, err := stringLit(call.Args[0])
		if typ == "[]byte" {
			return []byte(s), err
		}
		return s, err
	case "bool":
		if id, ok := call.Args[0].(*ast.Ident); ok && (id.Name == "true" || id.Name == "false") {
			return id.Name == "true", nil
		}
		return nil, errors.New("want true or false")
	}
	lit, kind, err := numberLit(call.Args[0])
	if err != nil {
		return nil, err
	}
	if kind == token.CHAR {
		if typ != "rune" && typ != "byte" {
			return nil, fmt.Errorf("a character literal is not a %s", typ)
		}
		r, _, _, err := strconv.UnquoteChar(lit[1:len(lit)-1], '\'')
		if err != nil {
			return nil, err
		}
		if typ == "byte" {
			if r > 255 {
				return nil, fmt.Errorf("%s does not fit in a byte", lit)
			}
			return byte(r), nil
		}
		return r, nil
	}
	switch typ {
	case "math.Float64frombits", "math.Float32frombits":
		u, err := strconv.ParseUint(lit, 0, 64)
		if err != nil {
			return nil, err
		}
		if typ == "math.Float32frombits" {
			if u > math.MaxUint32 {
				return nil, fmt.Errorf("%s does not fit in 32 bits", lit)
			}
			return math.Float32frombits(uint32(u)), nil
		}
		return math.Float64frombits(u), nil
	case "float64":
		return strconv.ParseFloat(lit, 64)
	case "float32":
		f, err := strconv.ParseFloat(lit, 32)
		return float32(f), err
	}
	if kind != token.INT {
		return nil, fmt.Errorf("want an integer for %s", typ)
	}
	return parseInteger(typ, lit)
}

// parseInteger parses lit as a value of the integer type typ.
func parseInteger(typ, lit string) (any, error) {
	signed := map[string]int{"int": 64, "int8": 8, "int16": 16, "int32": 32, "rune": 32, "int64": 64}
	unsigned := map[string]int{"uint": 64, "uint8": 8, "byte": 8, "uint16": 16, "uint32": 32, "uint64": 64}
	if bits, ok := signed[typ]; ok {
		i, err := strconv.ParseInt(lit, 0, bits)
		if err != nil {
			return nil, err
		}
		return map[string]any{"int": int(i), "int8": int8(i), "int16": int16(i), "int32": int32(i), "rune": int32(i), "int64": i}[typ], nil
	}
	if bits, ok := unsigned[typ]; ok {
		u, err := strconv.ParseUint(lit, 0, bits)
		if err != nil {
			return nil, err
		}
		return map[string]any{"uint": uint(u), "uint8": uint8(u), "byte": uint8(u), "uint16": uint16(u), "uint32": uint32(u), "uint64": u}[typ], nil
	}
	return nil, fmt.Errorf("type %s is not one fuzzing supports", typ)
}

// stringLit returns the value of a string literal.
func stringLit(e ast.Expr) (string, error) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", errors.New("want a string literal")
	}
	return strconv.Unquote(lit.Value)
}

// numberLit returns the text and kind of a number or character literal,
// with its sign; +Inf, -Inf and NaN come back as FLOAT.
func numberLit(e ast.Expr) (string, token.Token, error) {
	sign := ""
	if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		sign, e = u.Op.String(), u.X
	}
	switch lit := e.(type) {
	case *ast.BasicLit:
		if lit.Kind == token.STRING || lit.Kind == token.CHAR && sign != "" {
			return "", 0, errors.New("want a number")
		}
		if sign == "+" {
			sign = ""
		}
		return sign + lit.Value, lit.Kind, nil
	case *ast.Ident:
		switch {
		case lit.Name == "Inf":
			return cmp.Or(sign, "+") + "Inf", token.FLOAT, nil
		case lit.Name == "NaN" && sign == "":
			return "NaN", token.FLOAT, nil
		}
	}
	return "", 0, errors.New("want a number")
}
