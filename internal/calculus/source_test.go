package calculus

import (
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/lab"
)

// TestSource: Source is a file a learner could hand in: package calculus,
// importing nothing a lab module lacks (the standard library and gonum's
// mat), and defining every function of lab.Tasks.
func TestSource(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "tasks.go", Source, 0)
	if err != nil {
		t.Fatal(err)
	}
	if file.Name.Name != "calculus" {
		t.Errorf("package %s, want calculus", file.Name.Name)
	}
	for _, imp := range file.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		std := !strings.Contains(strings.Split(path, "/")[0], ".")
		if !std && path != "gonum.org/v1/gonum/mat" {
			t.Errorf("imports %s, which a lab module may not have (want the standard library and gonum.org/v1/gonum/mat)", path)
		}
	}
	tasks := reflect.TypeFor[lab.Tasks]()
	for i := range tasks.NumField() {
		if name := tasks.Field(i).Name; file.Scope.Lookup(name) == nil {
			t.Errorf("Source does not define %s, a function of lab.Tasks", name)
		}
	}
}
