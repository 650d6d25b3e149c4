package fuzzdrive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/gradcheck/gradcheck/internal/cmdline"
)

// fuzzPackage is a package matched by the patterns.
type fuzzPackage struct {
	ImportPath string
	Dir        string
}

// listPackages resolves opts.Patterns with go list. A pattern that matches
// no package, or names a directory or import path that does not resolve,
// is an error. Packages that exist but do not build are kept: listTargets
// reports them.
func listPackages(ctx context.Context, opts Options) ([]fuzzPackage, error) {
	var stdout, stderr bytes.Buffer
	args := append([]string{"list", "-e", "-json=ImportPath,Dir,Error,TestGoFiles,XTestGoFiles"}, opts.Patterns...)
	r := runGo(ctx, opts, listTimeout, &stdout, &stderr, args...)
	if r.startErr != nil {
		return nil, r.startErr
	}
	// go list prints "go: warning: "./x/..." matched no packages" and exits 0.
	for line := range strings.Lines(stderr.String()) {
		if strings.Contains(line, "matched no packages") {
			return nil, errors.New(cmdline.OneLine(strings.TrimPrefix(line, "go: warning: ")))
		}
	}
	if r.exitCode != 0 {
		return nil, fmt.Errorf("go list: %s", cmdline.OneLine(firstNonEmpty(stderr.String(), r.status())))
	}
	type listed struct {
		ImportPath   string
		Dir          string
		Error        *struct{ Err string }
		TestGoFiles  []string
		XTestGoFiles []string
	}
	var pkgs []fuzzPackage
	dec := json.NewDecoder(&stdout)
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		// With -e, a pattern that resolves to nothing comes back as a
		// package without a directory, or without Go files.
		if p.Error != nil && (p.Dir == "" || strings.HasPrefix(p.Error.Err, "no Go files")) {
			return nil, fmt.Errorf("package %s: %s", p.ImportPath, cmdline.OneLine(p.Error.Err))
		}
		if !hasFuzzFunc(p.Dir, append(p.TestGoFiles, p.XTestGoFiles...)) {
			continue
		}
		pkgs = append(pkgs, fuzzPackage{ImportPath: p.ImportPath, Dir: p.Dir})
	}
	slices.SortFunc(pkgs, func(a, b fuzzPackage) int { return strings.Compare(a.ImportPath, b.ImportPath) })
	return slices.CompactFunc(pkgs, func(a, b fuzzPackage) bool { return a.ImportPath == b.ImportPath }), nil
}

// fuzzFuncRE matches the declaration of a fuzz target in gofmt'd source.
var fuzzFuncRE = regexp.MustCompile(`(?m)^func\s+Fuzz`)

// hasFuzzFunc reports whether one of the test files may declare a fuzz
// target. It lets listTargets skip building the test binaries of packages
// that have none, which on a large module are most of them. A file that
// cannot be read counts as a yes: go test -list will report it.
func hasFuzzFunc(dir string, files []string) bool {
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || fuzzFuncRE.Match(src) {
			return true
		}
	}
	return false
}

// fuzzNameRE matches a line of go test -list that names a fuzz target.
var fuzzNameRE = regexp.MustCompile(`^Fuzz[\p{L}\p{N}_]*$`)

// listTargets lists the fuzz targets of pkgs with a single go test -json
// -list, sorted by package then name. A package whose test binary does not
// build, or whose listing fails, comes back as an error result instead.
func listTargets(ctx context.Context, opts Options, pkgs []fuzzPackage) ([]fuzzTarget, []Result) {
	if len(pkgs) == 0 {
		return nil, nil
	}
	args := []string{"test", "-json", "-list", "^Fuzz"}
	byPath := make(map[string]fuzzPackage, len(pkgs))
	for _, p := range pkgs {
		args = append(args, p.ImportPath)
		byPath[p.ImportPath] = p
	}
	var stdout bytes.Buffer
	stderr := new(tail)
	r := runGo(ctx, opts, listTimeout, &stdout, stderr, args...)

	type event struct {
		Action      string
		Package     string
		ImportPath  string // of build-output events
		Output      string
		FailedBuild string
	}
	var (
		targets  []fuzzTarget
		passed   = map[string]bool{}
		failed   = map[string]string{} // package → failed build's import path
		output   = map[string]*tail{}  // package or build import path → output
		outputOf = func(key string) *tail {
			if output[key] == nil {
				output[key] = new(tail)
			}
			return output[key]
		}
	)
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		switch e.Action {
		case "build-output":
			io.WriteString(outputOf(e.ImportPath), e.Output)
		case "output":
			name := strings.TrimSpace(e.Output)
			if p, ok := byPath[e.Package]; ok && fuzzNameRE.MatchString(name) {
				targets = append(targets, fuzzTarget{pkg: p, name: name})
				continue
			}
			io.WriteString(outputOf(e.Package), e.Output)
		case "pass":
			passed[e.Package] = true
		case "fail":
			failed[e.Package] = e.FailedBuild
		}
	}

	var errs []Result
	for _, p := range pkgs {
		if passed[p.ImportPath] {
			continue
		}
		res := Result{
			Package:       p.ImportPath,
			Verdict:       Error,
			Note:          "listing its fuzz targets failed",
			ReplayCommand: "go test -list='^Fuzz' " + cmdline.Quote(pkgArg(opts, p)),
		}
		var out tail
		if b, ok := failed[p.ImportPath]; ok && b != "" {
			res.Note = "its test binary does not build"
			out.add(output[b])
		}
		out.add(output[p.ImportPath])
		switch {
		case r.timedOut:
			res.Note = fmt.Sprintf("listing its fuzz targets timed out after %v", listTimeout)
		case r.startErr != nil:
			res.Note = r.startErr.Error()
		}
		if out.empty() {
			out.add(stderr)
		}
		res.OutputTail = out.String()
		errs = append(errs, res)
	}
	slices.SortFunc(targets, func(a, b fuzzTarget) int {
		if c := strings.Compare(a.pkg.ImportPath, b.pkg.ImportPath); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return targets, errs
}

// pkgArg names p on a go command line run in opts.Dir: ./rel for a package
// under Dir, as people type it, else its import path.
func pkgArg(opts Options, p fuzzPackage) string {
	rel, ok := under(opts.Dir, p.Dir)
	switch {
	case !ok:
		return p.ImportPath
	case rel == ".":
		return "."
	}
	return "./" + filepath.ToSlash(rel)
}

// under returns path relative to dir, if it lies within dir.
func under(dir, path string) (rel string, ok bool) {
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
