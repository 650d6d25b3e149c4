package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/mutants"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/subjects"
	"github.com/gradcheck/gradcheck/suites"
)

// The tests run the harness in-process with Main; its
// items run in worker processes, which are this test binary started with
// workerEnv set: TestMain makes it a worker then. The tests' harnesses,
// registered in init below, exist in both processes.

func TestMain(m *testing.M) {
	if IsWorker() {
		os.Exit(WorkerMain())
	}
	os.Exit(m.Run())
}

func init() {
	harnesses["test-small"] = func(seed uint64) []item { return smallItems(seed) }
	harnesses["test-failing-suite"] = func(seed uint64) []item {
		items := smallItems(seed)
		items[0].run = func() outcome {
			s := findSuite("SumSquares/gradient")
			return outcome{Property: propertyRowOf(suites.Result{
				Suite: s, Cases: 3, Passed: false, MaxRelErr: 0.5, WorstRatio: 2.5e6,
				Failure: "gradient: constant-factor: the analytic gradient is 0.5× (1/2) the numerical one at every entry",
				Minimal: "SumSquares d=1",
			})}
		}
		return items
	}
	harnesses["test-survivor"] = func(seed uint64) []item {
		// A "mutant" that is the correct gradient: no check can detect it.
		m := mutants.Mutant{
			Name: "test/correct-gradient", Class: "none", Subject: subjects.MSE, Property: "gradient",
			Want: properties.ConstantFactor, Doc: "the correct MSE gradient, labelled as a bug",
			Build: subjects.Correct,
		}
		return append(smallItems(seed), mutantItem(m))
	}
	harnesses["test-misdiagnosis"] = func(seed uint64) []item {
		m, _ := mutants.ByName("mse/missing-2")
		m.Name, m.Want, m.Accept = "test/mislabelled", properties.Sign, nil
		return append(smallItems(seed), mutantItem(m))
	}
	harnesses["test-crash"] = func(seed uint64) []item {
		items := pickItems(seed, "suites/SumSquares/gradient")
		items = append(items,
			fakeSuite("panic", func() outcome { panic("boom") }),
			fakeSuite("exit", func() outcome {
				fmt.Println("about to exit") // to the worker's stderr
				os.Exit(3)
				return outcome{}
			}),
			fakeSuite("stack-overflow", func() outcome {
				debug.SetMaxStack(1 << 20)
				return outcome{Property: &propertyRow{Cases: recurse(1)}}
			}),
			hanging("hang", 2*time.Second),
		)
		return append(items, pickItems(seed, "suites/MSE/gradient", "eps/exp")...)
	}
	harnesses["test-interrupt"] = func(seed uint64) []item {
		items := pickItems(seed, "suites/SumSquares/gradient")
		items = append(items, fakeSuite("sleep", func() outcome { hangForever(); return outcome{} }))
		return append(items, pickItems(seed, "suites/MSE/gradient", "mutants/mse/missing-2", "eps/exp")...)
	}
}

// smallItems are a few real items of every stage.
func smallItems(seed uint64) []item {
	return pickItems(seed, "suites/SumSquares/gradient", "suites/MSE/gradient", "mutants/mse/missing-2", "mutants/mse/sign", "eps/exp")
}

// pickItems returns the default items with the given ids, in that order.
func pickItems(seed uint64, ids ...string) []item {
	all := defaultItems(seed)
	var out []item
	for _, id := range ids {
		i := slices.IndexFunc(all, func(it item) bool { return it.id() == id })
		if i < 0 {
			panic("no item " + id)
		}
		out = append(out, all[i])
	}
	return out
}

func findSuite(name string) suites.Suite {
	for _, s := range suites.All() {
		if s.Name() == name {
			return s
		}
	}
	panic("no suite " + name)
}

// fakeSuite is a suite item "suites/Test/name" that runs run.
func fakeSuite(name string, run func() outcome) item {
	return item{
		stage: stageSuites, name: "Test/" + name,
		meta: outcome{Property: &propertyRow{Subject: "Test", Property: name, Doc: "a test item that does not return normally", Verdict: verdictNotRun}},
		run:  run,
	}
}

// hanging is a suite item that hangs, with a time box of its own, short
// so that the test does not wait long, while the real items keep the
// default -timeout, long enough for any machine: whatever the speed of the
// machine, the hang and nothing else times out.
func hanging(name string, timeout time.Duration) item {
	it := fakeSuite(name, func() outcome { hangForever(); return outcome{} })
	it.timeout = timeout
	return it
}

// recurse never returns: it overflows the stack, a fatal error that no
// recover catches.
func recurse(n int) int {
	var pad [64]byte
	pad[n%64] = byte(n)
	return recurse(n+1) + int(pad[0])
}

// hangForever sleeps for good: the worker has no other goroutine, and a
// select{} would be reported as a deadlock.
func hangForever() {
	for {
		time.Sleep(time.Hour)
	}
}

// runWith runs Main with harness h and the command's flags args, and
// returns its exit code, stdout and stderr.
func runWith(t *testing.T, h string, args ...string) (int, string, string) {
	t.Helper()
	old := activeHarness
	activeHarness = h
	t.Cleanup(func() { activeHarness = old })
	fs := flag.NewFlagSet("fuzzreport", flag.ContinueOnError)
	cfg := Config{Seed: DefaultSeed, Checks: DefaultChecks, Parallel: runtime.GOMAXPROCS(0), OutDir: DefaultOutDir}
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "")
	fs.IntVar(&cfg.Checks, "checks", cfg.Checks, "")
	fs.IntVar(&cfg.Parallel, "parallel", cfg.Parallel, "")
	fs.StringVar(&cfg.Run, "run", "", "")
	fs.StringVar(&cfg.OutDir, "out", cfg.OutDir, "")
	fs.DurationVar(&cfg.Timeout, "timeout", 0, "")
	js, md := fs.Bool("json", false, ""), fs.Bool("md", false, "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	format := Text
	switch {
	case *js:
		format = JSON
	case *md:
		format = Markdown
	}
	var stdout, stderr bytes.Buffer
	code := Main(t.Context(), cfg, format, &stdout, &stderr)
	t.Logf("fuzzreport %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr.String())
	return code, stdout.String(), stderr.String()
}

// decodeReport decodes report.json.
func decodeReport(t *testing.T, js string) Report {
	t.Helper()
	var rep Report
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("decoding the report: %v\n%s", err, js)
	}
	return rep
}

// update rewrites the golden files under testdata instead of comparing.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// checkGolden compares got with testdata/file, or rewrites the file with
// -update.
func checkGolden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		n := 0
		for n < len(gl) && n < len(wl) && gl[n] == wl[n] {
			n++
		}
		line := func(ls []string) string {
			if n < len(ls) {
				return ls[n]
			}
			return "(end)"
		}
		t.Errorf("the report differs from %s at line %d:\n got: %s\nwant: %s\n(go test ./internal/report -run '%s' -update rewrites it, after a change of the renderer)\n%s",
			path, n+1, line(gl), line(wl), t.Name(), got)
	}
}

// TestDefaultRun runs the real harness with a fixed seed and few cases:
// every suite passes, every mutant is detected, the progress names the
// stages and the files are written. The figures are pinned by the tests
// of the packages that own them (suites, mutants, bench), the layout by
// TestRenderReportGolden on a synthetic report.
func TestDefaultRun(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runWith(t, "default", "-seed", "1", "-checks", "20", "-out", out)
	if code != 0 {
		t.Errorf("exit %d, want 0 (every suite passes, every mutant is detected)", code)
	}
	for _, want := range []string{"[1/3] property suites: ", "[2/3] mutants: ", "[3/3] eps study: ", "fuzzreport: wrote "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no progress line %q on stderr:\n%s", want, stderr)
		}
	}
	for _, want := range []string{
		fmt.Sprintf("PROPERTY SUITES: %d/%d passed\n", len(suites.All()), len(suites.All())),
		fmt.Sprintf("MUTANTS: mutation score %d/%d detected; diagnosis %d/%d right\n", len(mutants.All()), len(mutants.All()), len(mutants.All()), len(mutants.All())),
		"\nEPS STUDY: ",
		"\nPASS: every suite passed and every mutant was detected.\nseed: 1\nrerun: go run ./cmd/fuzzreport -seed 1 -checks 20\n",
		"files: " + filepath.Join(out, "report.json") + ", " + filepath.Join(out, "report.md") + ", ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in the report:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"report.json", "report.md", "eps-exp.svg", "eps-exp.png", "eps-offset.png"} {
		if fi, err := os.Stat(filepath.Join(out, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v, want a file", f, err)
		}
	}
}

// The fields of report.json and their JSON types, as the README documents
// them: the test fails when a field is added or removed without updating
// this list (and the README).
var documented = map[string]map[string]string{
	"report": {
		"schema_version": "number", "command": "string", "seed": "number", "checks": "number",
		"run": "string", "go_version": "string", "platform": "string", "passed": "bool",
		"interrupted": "bool", "elapsed_seconds": "number", "out_dir": "string",
		"properties": "array", "mutants": "object", "eps_study": "object",
	},
	"properties[]": {
		"subject": "string", "property": "string", "doc": "string", "verdict": "string",
		"cases": "number", "passed": "bool", "max_rel_err": "number|null", "worst_ratio": "number|null",
		"inconclusive": "number", "failure": "string?", "minimal_case": "string?",
		"replay_command": "string?", "note": "string?", "output_tail": "string?",
	},
	"mutants": {
		"total": "number", "detected": "number", "correct_diagnoses": "number",
		"survivors": "array", "items": "array",
	},
	"mutants.items[]": {
		"name": "string", "class": "string", "subject": "string", "property": "string", "doc": "string",
		"wanted_kind": "string", "accepted_kinds": "array", "verdict": "string", "detected": "bool",
		"reported_kind": "string", "diagnosis_correct": "bool", "cases": "number",
		"first_case": "string?", "message": "string?", "minimal_case": "string?",
		"minimal_kind": "string?", "minimal_message": "string?",
		"replay_command": "string?", "note": "string?", "output_tail": "string?",
	},
	"eps_study": {"functions": "array", "rows": "array", "summary": "array"},
	"eps_study.functions[]": {
		"name": "string", "about": "string", "x": "number", "smooth": "bool", "verdict": "string",
		"plots": "array", "replay_command": "string?", "note": "string?", "output_tail": "string?",
	},
	"eps_study.rows[]": {"function": "string", "method": "string", "eps": "number", "error": "number"},
	"eps_study.summary[]": {
		"function": "string", "method": "string", "optimal_eps": "number|null", "best_error": "number|null",
		"truncation_slope": "number|null", "truncation_points": "number",
		"roundoff_slope": "number|null", "roundoff_points": "number",
		"theory_optimal_eps": "number|null", "theory_best_error": "number|null",
		"theory_truncation_slope": "number|null", "theory_roundoff_slope": "number|null",
	},
}

// checkFields checks that obj has exactly the documented fields of kind,
// with their types ("?" marks a field that may be missing).
func checkFields(t *testing.T, kind string, obj map[string]any) {
	t.Helper()
	fields := documented[kind]
	for name, typ := range fields {
		v, ok := obj[name]
		if !ok {
			if !strings.HasSuffix(typ, "?") {
				t.Errorf("%s: no field %q", kind, name)
			}
			continue
		}
		got := "null"
		switch v.(type) {
		case string:
			got = "string"
		case float64:
			got = "number"
		case bool:
			got = "bool"
		case []any:
			got = "array"
		case map[string]any:
			got = "object"
		}
		if !slices.Contains(strings.Split(strings.TrimSuffix(typ, "?"), "|"), got) {
			t.Errorf("%s.%s is a JSON %s, want %s", kind, name, got, typ)
		}
	}
	for name := range obj {
		if _, ok := fields[name]; !ok {
			t.Errorf("%s: field %q is not documented (add it to the README's schema and to this test)", kind, name)
		}
	}
}

// TestJSONSchema runs the real harness with -json and checks every
// object of report.json against the documented schema; stdout and the
// file are the same bytes.
func TestJSONSchema(t *testing.T) {
	out := t.TempDir()
	code, stdout, _ := runWith(t, "default", "-checks", "5", "-json", "-out", out)
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	file, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != stdout {
		t.Errorf("-json printed other bytes than report.json")
	}
	var top map[string]any
	if err := json.Unmarshal(file, &top); err != nil {
		t.Fatal(err)
	}
	checkFields(t, "report", top)
	objects := func(v any) []map[string]any {
		var out []map[string]any
		arr, _ := v.([]any)
		for _, x := range arr {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			} else {
				t.Errorf("%v is not an object", x)
			}
		}
		if len(out) == 0 {
			t.Errorf("an empty array of objects")
		}
		return out
	}
	for _, p := range objects(top["properties"]) {
		checkFields(t, "properties[]", p)
	}
	m, _ := top["mutants"].(map[string]any)
	checkFields(t, "mutants", m)
	for _, it := range objects(m["items"]) {
		checkFields(t, "mutants.items[]", it)
	}
	e, _ := top["eps_study"].(map[string]any)
	checkFields(t, "eps_study", e)
	for _, f := range objects(e["functions"]) {
		checkFields(t, "eps_study.functions[]", f)
	}
	for _, r := range objects(e["rows"]) {
		checkFields(t, "eps_study.rows[]", r)
	}
	nulls := 0
	for _, s := range objects(e["summary"]) {
		checkFields(t, "eps_study.summary[]", s)
		for _, v := range s {
			if v == nil {
				nulls++
			}
		}
	}
	if nulls == 0 {
		t.Errorf("no null in the eps summaries: NaN (a slope the sweep does not show) must be null")
	}

	rep := decodeReport(t, stdout)
	if rep.SchemaVersion != schemaVersion || rep.Seed != DefaultSeed || rep.Checks != 5 || !rep.Passed ||
		rep.Command != "go run ./cmd/fuzzreport -seed 1 -checks 5" ||
		len(rep.Properties) != len(suites.All()) || rep.Mutants.Total != len(mutants.All()) || rep.Mutants.Detected != rep.Mutants.Total {
		t.Errorf("report header and counts: %+v", rep)
	}
}

// TestSameReportAnyParallel: the report depends on the seed and the cases,
// not on how many workers ran the items.
func TestSameReportAnyParallel(t *testing.T) {
	testenv.Long(t)
	var reports []string
	for _, p := range []string{"1", "3"} {
		_, stdout, _ := runWith(t, "default", "-checks", "10", "-seed", "7", "-parallel", p, "-json", "-out", "")
		// elapsed_seconds varies; so do the pointers in the stacks that
		// the checker's panic messages carry.
		s := regexp.MustCompile(`"elapsed_seconds": [0-9.e+-]+`).ReplaceAllString(withoutSchedule(t, stdout), "")
		reports = append(reports, regexp.MustCompile(`0x[0-9a-f]+`).ReplaceAllString(s, "0x"))
	}
	if reports[0] != reports[1] {
		t.Errorf("-parallel 1 and -parallel 3 gave different reports")
	}
}

// withoutSchedule returns the JSON report js without what the scheduler
// decides: for a mutant checked with Workers > 1 (a function not safe for
// concurrent use), which calls overlap and what they return, hence the
// message and the case rapid shrinks to. Its verdict, diagnosis and first
// case stay.
func withoutSchedule(t *testing.T, js string) string {
	t.Helper()
	concurrent := map[string]bool{}
	for _, m := range mutants.All() {
		if m.Settings != nil && m.Settings.Workers != 0 && m.Settings.Workers != 1 {
			concurrent[m.Name] = true
		}
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("decoding the report: %v", err)
	}
	ms, _ := rep["mutants"].(map[string]any)
	items, _ := ms["items"].([]any)
	for _, it := range items {
		row, _ := it.(map[string]any)
		if name, _ := row["name"].(string); concurrent[name] {
			for _, k := range []string{"message", "minimal_case", "minimal_kind", "minimal_message"} {
				delete(row, k)
			}
		}
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExitCode: a failing suite or a surviving mutant fails the run; a
// wrong diagnosis is reported but does not.
func TestExitCode(t *testing.T) {
	tests := []struct {
		harness string
		code    int
		want    []string // in the text report
	}{
		{"test-small", 0, []string{"PROPERTY SUITES: 2/2 passed", "mutation score 2/2 detected; diagnosis 2/2 right", "PASS: every suite passed"}},
		{"test-failing-suite", 1, []string{
			"PROPERTY SUITES: 1/2 passed; 1 fail",
			"FAIL SumSquares/gradient after 3 cases",
			"smallest failing case: SumSquares d=1",
			"replay: go run ./cmd/fuzzreport -seed 1 -checks 10 -run '^suites/SumSquares/gradient$'",
			"FAIL: 1 suite failed.",
		}},
		{"test-survivor", 1, []string{
			"mutation score 2/3 detected",
			"SURVIVED test/correct-gradient (none, gradient check): the correct MSE gradient, labelled as a bug",
			"the gradient check passed all 10 cases",
			"FAIL: 1 mutant survived.",
		}},
		{"test-misdiagnosis", 0, []string{
			"mutation score 3/3 detected; diagnosis 2/3 right",
			"MISDIAGNOSED test/mislabelled (missing constant): reported constant-factor, want sign",
			"PASS: every suite passed",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.harness, func(t *testing.T) {
			code, stdout, _ := runWith(t, tt.harness, "-checks", "10", "-out", "")
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("no %q in the report:\n%s", w, stdout)
				}
			}
		})
	}
}

// TestResolveErrors checks that each wrong setting is reported by
// Resolve, before anything runs, with what was wrong.
func TestResolveErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ok := Config{Seed: 1, Checks: 1, Parallel: 1}
	tests := []struct {
		name string
		cfg  func(Config) Config
		want string // in the message
	}{
		{"checks zero", func(c Config) Config { c.Checks = 0; return c }, "-checks 0: want at least 1"},
		{"checks negative", func(c Config) Config { c.Checks = -3; return c }, "-checks -3"},
		{"parallel zero", func(c Config) Config { c.Parallel = 0; return c }, "-parallel 0"},
		{"timeout negative", func(c Config) Config { c.Timeout = -time.Second; return c }, "positive"},
		{"bad regexp", func(c Config) Config { c.Run = "("; return c }, "-run ("},
		{"run matches nothing", func(c Config) Config { c.Run = "nothing-has-this-name"; return c }, "matches no suite, mutant or eps function"},
		{"out is a file", func(c Config) Config { c.OutDir = file; return c }, "a file, want a folder"},
		{"out under a file", func(c Config) Config { c.OutDir = filepath.Join(file, "out"); return c }, "cannot create the folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cfg(ok).Resolve()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Resolve: %v, want an error with %q", err, tt.want)
			}
		})
	}
	if _, err := ok.Resolve(); err != nil {
		t.Errorf("Resolve of a good Config: %v", err)
	}
}

// TestRunFilter: -run selects items by id, and the rerun command keeps it.
func TestRunFilter(t *testing.T) {
	code, stdout, _ := runWith(t, "default", "-checks", "5", "-run", "^(suites/MSE/gradient|eps/exp)$", "-json", "-out", "")
	rep := decodeReport(t, stdout)
	if code != 0 || len(rep.Properties) != 1 || rep.Mutants.Total != 0 || len(rep.EpsStudy.Functions) != 1 ||
		rep.Command != "go run ./cmd/fuzzreport -seed 1 -checks 5 -run '^(suites/MSE/gradient|eps/exp)$'" {
		t.Errorf("exit %d, %d suites, %d mutants, %d eps functions, command %q; want 0, 1, 0, 1 and the -run", code, len(rep.Properties), rep.Mutants.Total, len(rep.EpsStudy.Functions), rep.Command)
	}
}

// TestRandomSeed: -seed 0 picks a seed and prints it.
func TestRandomSeed(t *testing.T) {
	_, stdout, _ := runWith(t, "test-small", "-seed", "0", "-checks", "2", "-run", "eps", "-out", "")
	m := regexp.MustCompile(`(?m)^seed: (\d+)$`).FindStringSubmatch(stdout)
	if m == nil || m[1] == "0" || !strings.Contains(stdout, "rerun: go run ./cmd/fuzzreport -seed "+m[1]+" -checks 2") {
		t.Errorf("no seed other than 0, or no rerun command with it:\n%s", stdout)
	}
}

// TestDocumentedCounts: the README's excerpt of the report and the whole
// example in docs/report-example.txt state the numbers of suites and
// mutants the harness has (the example once said 40/40 where the corpus
// had 44), and the README's prose counts the same mutants. Figures that
// move with the checker (errors, ratios) are not pinned: regenerate the
// example with `go run ./cmd/fuzzreport -out /tmp/fr` when they move.
func TestDocumentedCounts(t *testing.T) {
	nSuites, nMutants := len(suites.All()), len(mutants.All())
	suitesLine := fmt.Sprintf("PROPERTY SUITES: %d/%d passed", nSuites, nSuites)
	mutantsLine := fmt.Sprintf("MUTANTS: mutation score %d/%d detected; diagnosis %d/%d right", nMutants, nMutants, nMutants, nMutants)
	for _, file := range []string{"../../README.md", "../../docs/report-example.txt"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, want := range []string{suitesLine, mutantsLine} {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say %q", file, want)
			}
		}
		if file == "../../docs/report-example.txt" {
			if rows := regexp.MustCompile(`(?m)^\S+/\S+ .* DETECTED$`).FindAllString(text, -1); len(rows) != nMutants {
				t.Errorf("%s lists %d detected mutants, want %d", file, len(rows), nMutants)
			}
			continue
		}
		for _, want := range []string{
			fmt.Sprintf("hunts the %d bugs", nMutants),
			fmt.Sprintf("%d/%d mutants found", nMutants, nMutants),
			fmt.Sprintf("%d deliberately wrong derivatives", nMutants),
			fmt.Sprintf("the corpus of %d gradient bugs", nMutants),
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not say %q", file, want)
			}
		}
	}
}
