package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gradcheck/gradcheck/internal/cmdline"
)

// modulePath is the module of this command.
const modulePath = "github.com/gradcheck/gradcheck"

// invocation is how the user ran this command, as the start of the rerun
// and replay commands it prints: runnable as printed from where the user
// stands.
func invocation() string {
	exe, _ := os.Executable()
	cwd, _ := os.Getwd()
	return invocationOf(exe, os.Args[0], cwd, os.Getenv("PWD"))
}

// invocationOf is invocation for the executable exe, started as argv0 in
// the folder cwd by a shell that stood in pwd (its $PWD).
//
// Built by go run (an executable in a go-build folder's exe/), it is go
// run with this command's folder relative to cwd, "./cmd/fuzzreport" at
// the module root, "../cmd/fuzzreport" in suites/; with go -C in front
// when the shell stood elsewhere (go -C does not change $PWD); with the
// import path outside of this module (a module that requires it). An
// installed binary is named as the user typed it.
func invocationOf(exe, argv0, cwd, pwd string) string {
	if !builtByGoRun(exe) {
		if !strings.ContainsRune(argv0, filepath.Separator) {
			return filepath.Base(argv0)
		}
		return cmdline.Quote(argv0)
	}
	root, ok := moduleRoot(cwd)
	if !ok {
		return "go run " + modulePath + "/cmd/fuzzreport"
	}
	pkg, err := filepath.Rel(cwd, filepath.Join(root, "cmd", "fuzzreport"))
	if err != nil {
		return "go run " + modulePath + "/cmd/fuzzreport"
	}
	pkg = filepath.ToSlash(pkg)
	if !strings.HasPrefix(pkg, "../") {
		pkg = "./" + pkg
	}
	prefix := "go"
	if filepath.IsAbs(pwd) && !sameDir(pwd, cwd) {
		dir, err := filepath.Rel(pwd, cwd)
		if err != nil || strings.Count(dir, "..") > 2 {
			dir = cwd
		}
		prefix = "go -C " + cmdline.Quote(dir)
	}
	return prefix + " run " + cmdline.Quote(pkg)
}

// builtByGoRun reports whether exe is an executable that go run built:
// one cached in the build cache (<GOCACHE>/f2/<64 hex digits>-d/name), or
// one in the exe folder of a go-build temporary folder.
func builtByGoRun(exe string) bool {
	dir := filepath.Dir(exe)
	if cachedExeDir.MatchString(filepath.Base(dir)) && hexByte.MatchString(filepath.Base(filepath.Dir(dir))) {
		return true
	}
	return filepath.Base(dir) == "exe" && strings.HasPrefix(filepath.Base(filepath.Dir(filepath.Dir(dir))), "go-build")
}

var (
	cachedExeDir = regexp.MustCompile(`^[0-9a-f]{64}-d$`)
	hexByte      = regexp.MustCompile(`^[0-9a-f]{2}$`)
)

// moduleRoot returns the folder of this module's go.mod at or above dir.
func moduleRoot(dir string) (string, bool) {
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			sc := bufio.NewScanner(f)
			isThis := false
			for sc.Scan() {
				if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
					isThis = strings.Trim(fields[1], `"`) == modulePath
					break
				}
			}
			f.Close()
			return dir, isThis
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// sameDir reports whether a and b are the same folder.
func sameDir(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
