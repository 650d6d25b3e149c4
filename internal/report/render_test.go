package report

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/bench"
)

// syntheticReport has an item of every verdict, for the renderers' golden
// files: the real run (TestTextReportGolden) has only passes.
func syntheticReport() Report {
	cfg := Config{Seed: 42, Checks: 50, OutDir: "out", Invocation: "go run ./cmd/fuzzreport"}
	fail := problem{ReplayCommand: cfg.replay("suites/MSE/gradient")}
	rep := Report{
		SchemaVersion: schemaVersion, Command: cfg.command(), Seed: 42, Checks: 50,
		GoVersion: "go1.26", Platform: "linux/amd64", Interrupted: true, OutDir: "out",
		Properties: []propertyRow{
			{Subject: "SumSquares", Property: "gradient", Doc: "Grad agrees with the numerical gradient of Func", Verdict: verdictPass, Cases: 50, Passed: true, MaxRelErr: 9.068e-9, WorstRatio: 0.04},
			{Subject: "MSE", Property: "gradient", Doc: "Grad agrees with the numerical gradient of Func", Verdict: verdictFail, Cases: 7, MaxRelErr: 0.5, WorstRatio: 1.2e6,
				Failure:     "gradient: constant-factor: the analytic gradient is 0.5× (1/2) the numerical one at every entry; worst entry [0]: analytic = 1, numeric = 2 (|Δ| = 1, rel = 0.5, tol = 7.55e-09)",
				MinimalCase: "MSE n=1 d=1", problem: fail},
			{Subject: "SumSquares", Property: "hessian-2I", Doc: "Hess is exactly 2I, d×d, for any d", Verdict: verdictFail, Cases: 1, MaxRelErr: 0.5, WorstRatio: jsonFloat(math.Inf(1)),
				Failure: "hessian-2I: Hess of Σw² at d = 1 is off 2I by 1", MinimalCase: "SumSquares d=1", problem: problem{ReplayCommand: cfg.replay("suites/SumSquares/hessian-2I")}},
			{Subject: "Logistic", Property: "hessian", Doc: "Hess agrees with the Jacobian of Grad", Verdict: verdictCrash,
				problem: problem{Note: "the worker process running it died (exit status 2)", ReplayCommand: cfg.replay("suites/Logistic/hessian"),
					OutputTail: "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow"}},
			{Subject: "Softmax", Property: "jacobian", Doc: "Jacobian agrees with the numerical Jacobian of Apply", Verdict: verdictTimeout,
				problem: problem{Note: "it ran longer than -timeout 1m0s; its worker was stopped (its goroutines below)", ReplayCommand: cfg.replay("suites/Softmax/jacobian"),
					OutputTail: "goroutine 1 [running]:\ngithub.com/gradcheck/gradcheck/functions.Softmax.Jacobian(...)\n\t/src/functions/maps.go:80"}},
			{Subject: "Linear", Property: "jacobian", Doc: "Jacobian agrees with the numerical Jacobian of Apply", Verdict: verdictInterrupted},
			{Subject: "Linear", Property: "shape", Doc: "Jacobian is k×d, k the length of Apply's output", Verdict: verdictNotRun},
		},
		Mutants: mutantReport{
			Total: 5, Detected: 2, CorrectDiagnoses: 1, Survivors: []string{"mse/one-entry-off-1e-4", "mse/sign", "sigmoid/doubled"},
			Items: []mutantRow{
				{Name: "mse/missing-2", Class: "missing constant", Subject: "MSE", Property: "gradient", Doc: "(1/n)Xᵀ(Xw − y): the 2 of the square dropped",
					WantedKind: "constant-factor", AcceptedKinds: []string{}, Verdict: verdictDetected, Detected: true, ReportedKind: "constant-factor", DiagnosisCorrect: true, Cases: 1,
					FirstCase: "MSE n=5 d=3", Message: "gradient: constant-factor: …", MinimalCase: "MSE n=1 d=1", MinimalKind: "constant-factor", MinimalMessage: "gradient: constant-factor: …"},
				{Name: "mse/drops-last-sample", Class: "off-by-one", Subject: "MSE", Property: "gradient", Doc: "the loop over samples stops one short",
					WantedKind: "mismatch", AcceptedKinds: []string{"partial"}, Verdict: verdictDetected, Detected: true, ReportedKind: "constant-factor", Cases: 4,
					FirstCase: "MSE n=2 d=3", Message: "gradient: constant-factor: the analytic gradient is 0.5× (1/2) the numerical one at every entry", MinimalCase: "MSE n=2 d=1", MinimalKind: "constant-factor",
					problem: problem{ReplayCommand: cfg.replay("mutants/mse/drops-last-sample")}},
				{Name: "mse/one-entry-off-1e-4", Class: "small error", Subject: "MSE", Property: "gradient", Doc: "one entry off by a relative 1e-4",
					WantedKind: "partial", AcceptedKinds: []string{}, Verdict: verdictSurvived, Cases: 50, problem: problem{ReplayCommand: cfg.replay("mutants/mse/one-entry-off-1e-4")}},
				{Name: "mse/sign", Class: "sign", Subject: "MSE", Property: "gradient", Doc: "(2/n)Xᵀ(y − Xw): the residual taken the wrong way round",
					WantedKind: "sign", AcceptedKinds: []string{}, Verdict: verdictCrash,
					problem: problem{Note: "it panicked: runtime error: index out of range [3] with length 3", ReplayCommand: cfg.replay("mutants/mse/sign"),
						OutputTail: "panic: runtime error: index out of range [3] with length 3\n\ngithub.com/gradcheck/gradcheck/mutants.mseMutants.func4.1(...)\n\t/src/mutants/mse.go:60 +0x1d"}},
				{Name: "sigmoid/doubled", Class: "missing constant", Subject: "Sigmoid", Property: "jacobian", Doc: "2s(1 − s)",
					WantedKind: "constant-factor", AcceptedKinds: []string{}, Verdict: verdictNotRun},
			},
		},
		EpsStudy: epsStudy{
			Functions: []epsFunction{
				{Name: "exp", About: "eˣ", X: 0.3, Smooth: true, Verdict: verdictDone, Plots: []string{"eps-exp.svg", "eps-exp.png"}},
				{Name: "sin", About: "sin x", X: 0.7, Smooth: true, Verdict: verdictCrash, Plots: []string{},
					problem: problem{Note: "it panicked: bench: Study: the exact derivative is 0 at x = 1.5707963267948966", ReplayCommand: cfg.replay("eps/sin")}},
				{Name: "offset", About: "1e6 + eˣ", X: 0.3, Verdict: verdictNotRun, Plots: []string{}},
			},
			Rows: []bench.StudyRow{
				{Function: "exp", Method: "Central", Eps: 1e-6, Error: 2e-11},
				{Function: "exp", Method: "Central", Eps: 1e-5, Error: 3e-10},
				{Function: "exp", Method: "ComplexStep", Eps: 1e-6, Error: 1e-17},
			},
			Summary: []bench.StudySummary{
				{Function: "exp", Method: "Central", OptimalEps: 1e-6, BestError: 2e-11, TruncationSlope: 2.01, TruncationPoints: 12, RoundoffSlope: -0.98, RoundoffPoints: 30,
					TheoryOptimalEps: 6.1e-6, TheoryBestError: 1e-11, TheoryTruncationSlope: 2, TheoryRoundoffSlope: -1},
				{Function: "exp", Method: "ComplexStep", OptimalEps: 1e-6, BestError: 1e-17, TruncationSlope: math.NaN(), RoundoffSlope: math.NaN(),
					TheoryOptimalEps: 1e-20, TheoryBestError: 1e-16, TheoryTruncationSlope: 2, TheoryRoundoffSlope: math.NaN()},
			},
		},
	}
	rep.Passed = rep.ok()
	rep.written = []string{"out/report.json", "out/report.md", "2 eps plots (out/eps-*.svg, .png)"}
	return rep
}

func TestRenderReportGolden(t *testing.T) {
	rep := syntheticReport()
	if rep.Passed {
		t.Fatal("the synthetic report passed")
	}
	tests := []struct {
		file  string
		write func(*bytes.Buffer, Report) error
	}{
		{"report-synthetic.txt", func(b *bytes.Buffer, r Report) error { return WriteText(b, r) }},
		{"report-synthetic.md", func(b *bytes.Buffer, r Report) error { return WriteMarkdown(b, r) }},
		{"report-synthetic.json", func(b *bytes.Buffer, r Report) error { return WriteJSON(b, r) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.write(&got, rep); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.file, got.String())
		})
	}
}

// TestReportJSONRoundTrip: report.json decodes to the report, but for the
// non-finite numbers that JSON has no form for.
func TestReportJSONRoundTrip(t *testing.T) {
	rep := syntheticReport()
	var b bytes.Buffer
	if err := WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("report.json is not JSON: %v\n%s", err, b.String())
	}
	if p := back["properties"].([]any)[2].(map[string]any); p["worst_ratio"] != nil {
		t.Errorf("an infinite worst_ratio is %v in JSON, want null", p["worst_ratio"])
	}
	var again bytes.Buffer
	json.Indent(&again, b.Bytes(), "", "  ")
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetIndent("", "  ")
	enc.Encode(rep)
	if strings.TrimSpace(again.String()) != strings.TrimSpace(plain.String()) {
		t.Errorf("compactLeaves changed the JSON, not only its layout")
	}
}

// TestFilesNotWritten: when a file cannot be written, the files line
// lists only those that were, and says what went wrong.
func TestFilesNotWritten(t *testing.T) {
	dir := t.TempDir()
	// A folder where report.json should go: writing it fails.
	if err := os.Mkdir(filepath.Join(dir, "report.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep := syntheticReport()
	rep.written, rep.OutDir = nil, ""
	if err := WriteFiles(&rep, dir); err == nil {
		t.Fatal("WriteFiles over a folder named report.json: no error")
	}
	line := filesLine(rep)
	if strings.Contains(line, filepath.Join(dir, "report.json")+",") || strings.Contains(line, "report.md") || !strings.Contains(line, "not written: ") {
		t.Errorf("files line %q: want the plots only, and the error", line)
	}
	var text bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "\nfiles: "+line+"\n") {
		t.Errorf("the text report does not end with the files line %q:\n%s", line, text.String())
	}

	// Nothing written at all: out_dir is empty.
	rep = syntheticReport()
	rep.written, rep.OutDir = nil, ""
	rep.EpsStudy.Functions = nil
	if err := WriteFiles(&rep, dir); err == nil || rep.OutDir != "" || !strings.HasPrefix(filesLine(rep), "not written: ") {
		t.Errorf("WriteFiles: %v, out_dir %q, files line %q; want an error, \"\" and only the error", err, rep.OutDir, filesLine(rep))
	}
}
