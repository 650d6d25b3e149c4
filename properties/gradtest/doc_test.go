package gradtest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
)

// TestDocIndex: the package doc names every exported wrapper of the
// package and every kind of package properties, and the repository's
// README names every kind.
func TestDocIndex(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	var names []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			doc += f.Doc.Text()
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.IsExported() {
				names = append(names, fn.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("no exported functions found")
	}
	for _, n := range names {
		if !strings.Contains(doc, n) {
			t.Errorf("the package doc does not name %s", n)
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range properties.Kinds() {
		if !strings.Contains(doc, k.String()) {
			t.Errorf("the package doc does not name the kind %s", k)
		}
		if !strings.Contains(string(readme), "`"+k.String()+"`") {
			t.Errorf("README.md does not name the kind `%s`", k)
		}
	}
}
