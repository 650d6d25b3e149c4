package libfuzz

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gradcheck/gradcheck/internal/testenv"
)

// root is the repository's root, from this package's folder.
const root = "../.."

// workflow is the part of a GitHub Actions workflow the checks read.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		If       string `yaml:"if"`
		Strategy struct {
			Matrix map[string][]int `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestWorkflow checks that .github/workflows/fuzzing.yml parses and runs
// ClusterFuzzLite on pull requests in code-change mode and on a schedule in
// batch mode, and fuzzreport fuzz in a matrix whose shards i/n cover 1…n.
func TestWorkflow(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github/workflows/fuzzing.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("fuzzing.yml does not parse: %v", err)
	}
	for _, event := range []string{"pull_request", "schedule"} {
		if _, ok := w.On[event]; !ok {
			t.Errorf("fuzzing.yml runs on %v, want %s among them", keys(w.On), event)
		}
	}
	modes := map[string]string{} // mode → the job's if
	matrix := false
	for name, job := range w.Jobs {
		built := false
		for _, s := range job.Steps {
			switch {
			case s.Uses == "google/clusterfuzzlite/actions/build_fuzzers@v1":
				built = true
				if s.With["language"] != "go" {
					t.Errorf("job %s builds with language %q, want go", name, s.With["language"])
				}
			case s.Uses == "google/clusterfuzzlite/actions/run_fuzzers@v1":
				if !built {
					t.Errorf("job %s runs the fuzzers before building them", name)
				}
				modes[s.With["mode"]] = job.If
			case strings.Contains(s.Run, "fuzzreport fuzz"):
				matrix = true
				shards := job.Strategy.Matrix["shard"]
				n := len(shards)
				if !strings.Contains(s.Run, fmt.Sprintf("-shard ${{ matrix.shard }}/%d", n)) {
					t.Errorf("job %s runs %q, want -shard ${{ matrix.shard }}/%d for its %d shards", name, s.Run, n, n)
				}
				for i, sh := range shards {
					if sh != i+1 {
						t.Errorf("job %s: shards %v, want 1…%d", name, shards, n)
						break
					}
				}
			}
		}
	}
	if !strings.Contains(modes["code-change"], "== 'pull_request'") {
		t.Errorf("code-change mode runs if %q, want on pull requests", modes["code-change"])
	}
	if !strings.Contains(modes["batch"], "!= 'pull_request'") {
		t.Errorf("batch mode runs if %q, want on the schedule (not on pull requests)", modes["batch"])
	}
	if !matrix {
		t.Error("no job runs fuzzreport fuzz")
	}
}

func keys(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	slices.Sort(k)
	return k
}

// TestClusterFuzzLiteFiles checks .clusterfuzzlite: a Go project on the Go
// builder image, and a build.sh and .ci/libfuzzer that bash can parse.
func TestClusterFuzzLiteFiles(t *testing.T) {
	var project struct{ Language string }
	b, err := os.ReadFile(filepath.Join(root, ".clusterfuzzlite/project.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &project); err != nil || project.Language != "go" {
		t.Errorf("project.yaml: language %q (%v), want go", project.Language, err)
	}
	b, err = os.ReadFile(filepath.Join(root, ".clusterfuzzlite/Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\nFROM gcr.io/oss-fuzz-base/base-builder-go\n") {
		t.Errorf("Dockerfile:\n%s\nwant FROM gcr.io/oss-fuzz-base/base-builder-go", b)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	for _, script := range []string{".clusterfuzzlite/build.sh", ".ci/libfuzzer"} {
		if out, err := exec.Command("bash", "-n", filepath.Join(root, script)).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", script, err, out)
		}
	}
}

// fuzzTargets returns the fuzz targets of the module in dir, "import
// path name", from the source: every func FuzzX(f *testing.F) of a test
// file outside testdata and nested modules.
func fuzzTargets(t *testing.T, dir, module string) []string {
	t.Helper()
	var targets []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != dir && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(path))
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Fuzz") || len(fd.Type.Params.List) != 1 {
				continue
			}
			if star, ok := fd.Type.Params.List[0].Type.(*ast.StarExpr); ok && selector(star.X) == "testing.F" {
				targets = append(targets, pkg+" "+fd.Name.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(targets)
	return targets
}

func selector(e ast.Expr) string {
	if sel, ok := e.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok {
			return x.Name + "." + sel.Sel.Name
		}
	}
	return ""
}

// TestDiscovery checks that .ci/libfuzzer -list and .clusterfuzzlite/build.sh
// (with a compile_native_go_fuzzer that records its arguments, in a copy of
// the repository since build.sh adds a requirement to go.mod) find every
// fuzz target of the repository, and those of the fixture module.
func TestDiscovery(t *testing.T) {
	testenv.Long(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	want := fuzzTargets(t, root, "github.com/gradcheck/gradcheck")
	if len(want) < 8 {
		t.Fatalf("found only %d fuzz targets in the source: %q", len(want), want)
	}
	list := func(module string) []string {
		out, err := exec.Command("bash", filepath.Join(root, ".ci/libfuzzer"), "-list", module).Output()
		if err != nil {
			t.Fatalf(".ci/libfuzzer -list %s: %v\n%s", module, err, out)
		}
		var got []string
		for line := range strings.Lines(string(out)) {
			f := strings.Split(strings.TrimSpace(line), "\t")
			got = append(got, f[0]+" "+f[2])
		}
		return got
	}
	if got := list(root); !slices.Equal(got, want) {
		t.Errorf(".ci/libfuzzer -list lists\n%q\nwant\n%q", got, want)
	}
	fixture := filepath.Join(root, "testdata/libfuzzer-fixture")
	if got, want := list(fixture), fuzzTargets(t, fixture, "example.com/libfuzzerfixture"); !slices.Equal(got, want) || len(want) != 2 {
		t.Errorf(".ci/libfuzzer -list of the fixture lists %q, want %q (2)", got, want)
	}

	src, bin, work := t.TempDir(), t.TempDir(), t.TempDir()
	if err := copyTree(src, root); err != nil {
		t.Fatal(err)
	}
	calls := filepath.Join(work, "calls")
	fake := "#!/bin/sh\necho \"$1 $2 $3\" >> " + calls + "\n"
	if err := os.WriteFile(filepath.Join(bin, "compile_native_go_fuzzer"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", ".clusterfuzzlite/build.sh")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "OUT="+work, "WORK="+work)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	var built []string
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		built = append(built, f[0]+" "+f[1])
		if len(f) != 3 || f[2] != f[1] {
			t.Errorf("compile_native_go_fuzzer %s: want the fuzzer named after its target", strings.TrimSpace(line))
		}
	}
	slices.Sort(built)
	if !slices.Equal(built, want) {
		t.Errorf("build.sh builds\n%q\nwant\n%q", built, want)
	}
}

// copyTree copies the files of the folder from into to, but for .git.
func copyTree(to, from string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
}
