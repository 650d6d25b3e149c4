package main

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/template"
)

// The lab's files. Templates are named *.tmpl so that the go tool does not
// take them for this package's sources.
//
//go:embed template
var templates embed.FS

//go:embed template/PLAYBOOK.md
var playbook string

const (
	modulePath = "github.com/gradcheck/gradcheck"
	gonumPath  = "gonum.org/v1/gonum"
	// unversioned is the version a replaced requirement conventionally has.
	unversioned = "v0.0.0-00010101000000-000000000000"
)

// source is where the lab gets gradcheck from.
type source struct {
	Version string // required version of gradcheck
	Replace string // absolute path of a local copy, or ""
	Gonum   string // version of gonum
	Go      string // go directive
	goSum   []byte // the local copy's go.sum
}

func runInit(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("init", stderr)
	dir := fset.String("dir", "calculus-lab", "the folder to create the lab in")
	replace := fset.String("replace", "", "use the gradcheck checkout at `PATH` (default: the checkout around the current directory, if any)")
	if code, done := parseFlags(fset, args, stdout); done {
		return code
	}
	src, err := locate(*replace)
	if err != nil {
		return errorf(stderr, "init: %v", err)
	}
	if err := refuseExisting(*dir); err != nil {
		return errorf(stderr, "init: %v", err)
	}
	if err := writeLab(*dir, src); err != nil {
		return errorf(stderr, "init: %v", err)
	}
	if src.Replace == "" {
		// Without a local copy, go mod tidy fetches gradcheck and fills go.sum.
		cmd := exec.Command("go", "mod", "tidy")
		cmd.Dir = *dir
		if out, err := cmd.CombinedOutput(); err != nil {
			stderr.Write(out)
			return errorf(stderr, "init: go mod tidy in %s: %v: the lab is written, but its dependencies could not be fetched; run go mod tidy there once online, or gradlab init -replace PATH with a checkout of %s", *dir, err, modulePath)
		}
	}
	how := "gradcheck " + src.Version
	if src.Replace != "" {
		how = "gradcheck from " + src.Replace + " (works offline)"
	}
	fmt.Fprintf(stdout, "gradlab: wrote the lab to %s, with %s\n\nNext:\n\tcd %s\n\tgo run %s/cmd/gradlab grade\n\nthen implement the tasks in tasks.go, and grade again.\n", *dir, how, *dir, modulePath)
	return exitOK
}

// newFlagSet returns a flag set whose errors and usage go to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fset := flag.NewFlagSet("gradlab "+name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	return fset
}

// parseFlags parses args; done reports that the command should return
// code at once (-h, a usage error, extra arguments).
func parseFlags(fset *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitError, true
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(fset.Output(), "%s: unexpected argument %q\n", fset.Name(), fset.Arg(0))
		fset.Usage()
		return exitError, true
	}
	return 0, false
}

// locate finds gradcheck for the lab: the checkout at replace, or the
// checkout around the current directory, or the version gradlab was built
// from.
func locate(replace string) (source, error) {
	if replace != "" {
		return checkout(replace)
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if isGradcheck(d) {
				return checkout(d)
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	bi, ok := debug.ReadBuildInfo()
	if ok && bi.Main.Path == modulePath && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		src := source{Version: bi.Main.Version, Go: goVersion()}
		for _, dep := range bi.Deps {
			if dep.Path == gonumPath {
				src.Gonum = dep.Version
			}
		}
		if src.Gonum == "" {
			return source{}, fmt.Errorf("gradlab was built without %s: cannot tell which version the lab needs", gonumPath)
		}
		return src, nil
	}
	return source{}, fmt.Errorf("cannot tell which gradcheck the lab should use: run gradlab from a checkout of %s, or pass -replace PATH to one (once gradcheck is published: go run %s/cmd/gradlab@latest init)", modulePath, modulePath)
}

// goVersion returns the language version of the running toolchain, "1.26".
func goVersion() string {
	v := strings.TrimPrefix(runtime.Version(), "go")
	if parts := strings.Split(v, "."); len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// isGradcheck reports whether dir holds the go.mod of gradcheck.
func isGradcheck(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && modulePathOf(data) == modulePath
}

func modulePathOf(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// checkout reads what the lab needs from the checkout of gradcheck at dir.
func checkout(dir string) (source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return source{}, err
	}
	gomod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return source{}, fmt.Errorf("-replace %s: %v (want a checkout of %s)", dir, err, modulePath)
	}
	if p := modulePathOf(gomod); p != modulePath {
		return source{}, fmt.Errorf("-replace %s: its go.mod is module %q, want %s", dir, p, modulePath)
	}
	src := source{Version: unversioned, Replace: abs, Go: goVersion()}
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require "))
		switch {
		case len(f) >= 2 && f[0] == "go":
			src.Go = f[1]
		case len(f) >= 2 && f[0] == gonumPath:
			src.Gonum = f[1]
		}
	}
	if src.Gonum == "" {
		return source{}, fmt.Errorf("-replace %s: its go.mod does not require %s", dir, gonumPath)
	}
	if src.goSum, err = os.ReadFile(filepath.Join(abs, "go.sum")); err != nil {
		return source{}, fmt.Errorf("-replace %s: %v", dir, err)
	}
	return src, nil
}

// refuseExisting returns an error if dir already holds a lab or a module:
// init never overwrites a learner's work.
func refuseExisting(dir string) error {
	for _, name := range []string{"tasks.go", "go.mod"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			if checkLab(dir) == nil {
				return fmt.Errorf("%s already has a %s: init does not overwrite a lab; grade it with gradlab grade -dir %s, or choose another -dir", dir, name, dir)
			}
			return fmt.Errorf("%s already has a %s and is not a lab: init does not overwrite it; choose another -dir (a new folder)", dir, name)
		}
	}
	return nil
}

// writeLab writes the lab's files to dir.
func writeLab(dir string, src source) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	err := fs.WalkDir(templates, "template", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := templates.ReadFile(path)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(path, "template/")
		if strings.HasSuffix(name, ".tmpl") {
			name = strings.TrimSuffix(name, ".tmpl")
			t, err := template.New(name).Parse(string(data))
			if err != nil {
				return err
			}
			var b bytes.Buffer
			if err := t.Execute(&b, src); err != nil {
				return err
			}
			data = b.Bytes()
		}
		return os.WriteFile(filepath.Join(dir, name), data, 0o644)
	})
	if err != nil {
		return err
	}
	if src.goSum != nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), src.goSum, 0o644); err != nil {
			return err
		}
	}
	var b bytes.Buffer
	X, y := defaultData()
	writeCSV(&b, X, y)
	return os.WriteFile(filepath.Join(dir, "mse_data.csv"), b.Bytes(), 0o644)
}
