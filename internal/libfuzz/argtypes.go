package libfuzz

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ArgTypes returns the types of the arguments after *testing.T of the
// function that the fuzz target named target, in the package in dir, hands
// to f.Fuzz, as Go type names (float64, []byte…). It reads the source: the
// function is a literal, f.Fuzz(func(t *testing.T, x float64) {…}), or a
// call of a function of this package or of an imported one whose result is
// such a function type, f.Fuzz(rapid.MakeFuzz(prop)); pkgDir returns
// the folder of an imported package.
func ArgTypes(dir, target string, pkgDir func(importPath string) (string, error)) ([]string, error) {
	decl, file, err := findFunc(dir, target, true)
	if err != nil {
		return nil, err
	}
	if decl == nil {
		return nil, fmt.Errorf("no func %s in the test files of %s", target, dir)
	}
	arg, file, err := fuzzArg(dir, decl, file, 3)
	if err != nil {
		return nil, err
	}
	if arg == nil {
		return nil, fmt.Errorf("%s calls no f.Fuzz", target)
	}
	var fn *ast.FuncType
	switch a := arg.(type) {
	case *ast.FuncLit:
		fn = a.Type
	case *ast.CallExpr:
		fn, err = resultFunc(dir, file, a.Fun, pkgDir)
	case *ast.Ident, *ast.SelectorExpr:
		fn, err = declFunc(dir, file, a, pkgDir)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", target, err)
	}
	if fn == nil {
		return nil, fmt.Errorf("%s: cannot tell the type of the function it fuzzes, %s", target, types.ExprString(arg))
	}
	var out []string
	for _, field := range fn.Params.List {
		for range max(len(field.Names), 1) {
			out = append(out, types.ExprString(field.Type))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: the fuzz function takes no *testing.T", target)
	}
	return out[1:], nil
}

// fuzzArg returns the argument of the f.Fuzz call in the body of decl
// (declared in file), or in the body of a function of the package's test
// files that it calls, such as fuzzTarget(f, "gradient"), up to depth
// calls deep; nil if there is none.
func fuzzArg(dir string, decl *ast.FuncDecl, file *ast.File, depth int) (ast.Expr, *ast.File, error) {
	var arg ast.Expr
	var callees []string
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || arg != nil {
			return arg == nil
		}
		switch fun := call.Fun.(type) {
		case *ast.SelectorExpr:
			if fun.Sel.Name == "Fuzz" && len(call.Args) == 1 {
				arg = call.Args[0]
			}
		case *ast.Ident:
			callees = append(callees, fun.Name)
		}
		return true
	})
	if arg != nil || depth == 0 {
		return arg, file, nil
	}
	for _, name := range callees {
		d, f, err := findFunc(dir, name, true)
		if err != nil {
			return nil, nil, err
		}
		if d == nil || d == decl {
			continue
		}
		if a, f, err := fuzzArg(dir, d, f, depth-1); err != nil || a != nil {
			return a, f, err
		}
	}
	return nil, file, nil
}

// resultFunc returns the function type that the function fun returns.
func resultFunc(dir string, file *ast.File, fun ast.Expr, pkgDir func(string) (string, error)) (*ast.FuncType, error) {
	d, err := lookup(dir, file, fun, pkgDir)
	if err != nil || d == nil {
		return nil, err
	}
	if res := d.Type.Results; res != nil && len(res.List) == 1 {
		if ft, ok := res.List[0].Type.(*ast.FuncType); ok {
			return ft, nil
		}
	}
	return nil, fmt.Errorf("%s does not return a function literal type", d.Name.Name)
}

// declFunc returns the type of the declared function name.
func declFunc(dir string, file *ast.File, name ast.Expr, pkgDir func(string) (string, error)) (*ast.FuncType, error) {
	d, err := lookup(dir, file, name, pkgDir)
	if err != nil || d == nil {
		return nil, err
	}
	return d.Type, nil
}

// lookup finds the declaration of the function fun, an identifier of the
// package in dir or a selector pkg.Name of a package that file imports.
func lookup(dir string, file *ast.File, fun ast.Expr, pkgDir func(string) (string, error)) (*ast.FuncDecl, error) {
	switch f := fun.(type) {
	case *ast.Ident:
		d, _, err := findFunc(dir, f.Name, false)
		return d, err
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		if !ok {
			return nil, nil
		}
		for _, imp := range file.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			name := filepath.Base(path)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name != x.Name {
				continue
			}
			pd, err := pkgDir(path)
			if err != nil {
				return nil, fmt.Errorf("finding package %s: %v", path, err)
			}
			d, _, err := findFunc(pd, f.Sel.Name, false)
			return d, err
		}
	}
	return nil, nil
}

// findFunc finds the top-level function name among the Go files of dir:
// its test files if tests, else the others.
func findFunc(dir, name string, tests bool) (*ast.FuncDecl, *ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") != tests {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
				return fd, f, nil
			}
		}
	}
	return nil, nil, nil
}
