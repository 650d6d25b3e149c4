package libfuzz

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestArgTypes(t *testing.T) {
	dir, helper := t.TempDir(), t.TempDir()
	write := func(dir, name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "x_test.go", `package x

import (
	"testing"

	h "example.com/helper"
)

func FuzzLit(f *testing.F) {
	f.Add(1.0, 2.0, "s", []byte("b"))
	f.Fuzz(func(t *testing.T, a, b float64, s string, raw []byte) {})
}

func FuzzLocal(f *testing.F) { f.Fuzz(makeFn()) }

func FuzzNamed(f *testing.F) { f.Fuzz(named) }

func FuzzImported(f *testing.F) { f.Fuzz(h.Make(nil)) }

func FuzzNoFuzz(f *testing.F) {}

func FuzzHelper(f *testing.F) { fuzzTarget(f, "x") }

func fuzzTarget(f *testing.F, what string) {
	f.Add(1, "s")
	f.Fuzz(func(t *testing.T, n int, s string) {})
}

func FuzzOpaque(f *testing.F) { f.Fuzz(fns[0]) }
`)
	write(dir, "x.go", `package x

import "testing"

func makeFn() func(*testing.T, uint64, bool) { return nil }

func named(t *testing.T, b byte, r rune) {}

var fns []any
`)
	write(helper, "helper.go", `package helper

import "testing"

func Make(any) func(t *testing.T, c0, c1 uint64, seed int8) { return nil }
`)
	pkgDir := func(path string) (string, error) {
		if path == "example.com/helper" {
			return helper, nil
		}
		return "", errors.New("unknown package " + path)
	}
	for _, c := range []struct {
		target string
		want   []string
		err    string
	}{
		{"FuzzLit", []string{"float64", "float64", "string", "[]byte"}, ""},
		{"FuzzLocal", []string{"uint64", "bool"}, ""},
		{"FuzzNamed", []string{"byte", "rune"}, ""},
		{"FuzzImported", []string{"uint64", "uint64", "int8"}, ""},
		{"FuzzHelper", []string{"int", "string"}, ""},
		{"FuzzNoFuzz", nil, "calls no f.Fuzz"},
		{"FuzzOpaque", nil, "cannot tell the type"},
		{"FuzzMissing", nil, "no func FuzzMissing"},
	} {
		got, err := ArgTypes(dir, c.target, pkgDir)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one with %q", c.target, err, c.err)
		case c.err == "" && (err != nil || !slices.Equal(got, c.want)):
			t.Errorf("%s: %q, %v; want %q", c.target, got, err, c.want)
		}
	}
}
