package report

import (
	"encoding/json"
	"math"
	"runtime"
	"slices"

	"github.com/gradcheck/gradcheck/bench"
)

// schemaVersion is report.json's schema_version. It changes when a field
// changes meaning or goes away, not when one is added.
const schemaVersion = 1

// Report is the result of a run; its JSON form is report.json,
// whose schema the README documents field by field.
type Report struct {
	SchemaVersion int `json:"schema_version"`
	// Command reruns the same checks: seed, checks, -run, -timeout.
	Command string `json:"command"`
	Seed    uint64 `json:"seed"`
	// Checks is the number of cases per property suite and per mutant.
	Checks int `json:"checks"`
	// Run is the -run pattern, "" for every item.
	Run string `json:"run"`
	// GoVersion and Platform say where the figures were measured: the
	// last digits of relative errors can differ across architectures
	// (fused multiply-add on arm64).
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
	// Passed is the verdict of the run, exit code 0: every suite passed,
	// every mutant was detected, every item finished.
	Passed      bool    `json:"passed"`
	Interrupted bool    `json:"interrupted"`
	Elapsed     float64 `json:"elapsed_seconds"`
	// OutDir is the folder of the files, "" when none were written.
	OutDir     string        `json:"out_dir"`
	Properties []propertyRow `json:"properties"`
	Mutants    mutantReport  `json:"mutants"`
	EpsStudy   epsStudy      `json:"eps_study"`

	// written lists the files WriteFiles wrote, filesErr the error that
	// stopped it: the text report's files line.
	written  []string
	filesErr error
}

// propertyRow is the outcome of one property suite.
type propertyRow struct {
	Subject  string `json:"subject"`
	Property string `json:"property"`
	Doc      string `json:"doc"`
	// Verdict is pass, fail, crash, timeout, interrupted or not run.
	Verdict string `json:"verdict"`
	// Cases is the number of cases checked, up to the first failure.
	Cases  int  `json:"cases"`
	Passed bool `json:"passed"`
	// MaxRelErr is the worst relative error over the cases, WorstRatio
	// the worst error/tolerance ratio (above 1 fails); null when not
	// finite (a Hessian that is not 2I, a Jacobian of the wrong shape).
	MaxRelErr  jsonFloat `json:"max_rel_err"`
	WorstRatio jsonFloat `json:"worst_ratio"`
	// Inconclusive counts the cases in which round-off hid some entries.
	Inconclusive int `json:"inconclusive"`
	// Failure is the first failure's message, MinimalCase the smallest
	// failing case rapid shrank it to.
	Failure     string `json:"failure,omitempty"`
	MinimalCase string `json:"minimal_case,omitempty"`
	problem
}

// problem are the fields of an item that did not pass.
type problem struct {
	// ReplayCommand reruns this item alone, with the same seed and cases.
	ReplayCommand string `json:"replay_command,omitempty"`
	// Note explains a crash, a timeout or an interrupt.
	Note string `json:"note,omitempty"`
	// OutputTail is the end of what the worker printed: a panic's stack,
	// the goroutines of a hung item.
	OutputTail string `json:"output_tail,omitempty"`
}

// mutantReport is the mutation score and the diagnosis accuracy.
type mutantReport struct {
	Total            int `json:"total"`
	Detected         int `json:"detected"`
	CorrectDiagnoses int `json:"correct_diagnoses"`
	// Survivors are the names of the mutants not detected.
	Survivors []string    `json:"survivors"`
	Items     []mutantRow `json:"items"`
}

// mutantRow is the outcome of hunting one mutant.
type mutantRow struct {
	Name     string `json:"name"`
	Class    string `json:"class"`
	Subject  string `json:"subject"`
	Property string `json:"property"`
	Doc      string `json:"doc"`
	// WantedKind is the diagnosis the mutant is labelled with,
	// AcceptedKinds the others that are right on some data.
	WantedKind    string   `json:"wanted_kind"`
	AcceptedKinds []string `json:"accepted_kinds"`
	// Verdict is detected, survived, crash, timeout, interrupted or not
	// run.
	Verdict  string `json:"verdict"`
	Detected bool   `json:"detected"`
	// ReportedKind is the diagnosis on the first failing case, "" when
	// not detected; DiagnosisCorrect whether it is the wanted or an
	// accepted kind.
	ReportedKind     string `json:"reported_kind"`
	DiagnosisCorrect bool   `json:"diagnosis_correct"`
	// Cases is the number of cases drawn up to the first failing one, or
	// all of them for a survivor.
	Cases int `json:"cases"`
	// FirstCase and Message describe the first failing case; MinimalCase,
	// MinimalKind and MinimalMessage the smallest one rapid shrank it to.
	FirstCase      string `json:"first_case,omitempty"`
	Message        string `json:"message,omitempty"`
	MinimalCase    string `json:"minimal_case,omitempty"`
	MinimalKind    string `json:"minimal_kind,omitempty"`
	MinimalMessage string `json:"minimal_message,omitempty"`
	problem
}

func (m mutantRow) verdict() string { return m.Verdict }

// epsStudy is the eps study: bench.Study on every function.
type epsStudy struct {
	Functions []epsFunction `json:"functions"`
	// Rows are the measurements, function by function, method by method,
	// eps increasing; Summary has one row per function and method.
	Rows    []bench.StudyRow     `json:"rows"`
	Summary []bench.StudySummary `json:"summary"`
}

// epsFunction is one function of the eps study.
type epsFunction struct {
	Name   string  `json:"name"`
	About  string  `json:"about"`
	X      float64 `json:"x"`
	Smooth bool    `json:"smooth"`
	// Verdict is done, crash, timeout, interrupted or not run.
	Verdict string `json:"verdict"`
	// Plots are the files of its plot, relative to out_dir.
	Plots []string `json:"plots"`
	problem
}

func (f epsFunction) verdict() string { return f.Verdict }

// jsonFloat is a float64 that is null in JSON when it is NaN or infinite,
// which JSON cannot represent.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// newReport assembles the report of a run from the items and their
// outcomes, in the items' order.
// interrupted tells whether an interrupt stopped the run.
func newReport(cfg Config, items []item, outs []outcome, interrupted bool) Report {
	rep := Report{
		SchemaVersion: schemaVersion,
		Command:       cfg.command(),
		Seed:          cfg.Seed,
		Checks:        cfg.Checks,
		Run:           cfg.Run,
		GoVersion:     runtime.Version(),
		Platform:      runtime.GOOS + "/" + runtime.GOARCH,
		Interrupted:   interrupted,
		OutDir:        cfg.OutDir,
		Properties:    []propertyRow{},
		Mutants:       mutantReport{Survivors: []string{}, Items: []mutantRow{}},
		EpsStudy:      epsStudy{Functions: []epsFunction{}, Rows: []bench.StudyRow{}, Summary: []bench.StudySummary{}},
	}
	for k, o := range outs {
		if o.Property == nil && o.Mutant == nil && o.Eps == nil {
			o = items[k].meta
		}
		switch {
		case o.Property != nil:
			rep.Properties = append(rep.Properties, *o.Property)
		case o.Mutant != nil:
			m := *o.Mutant
			m.AcceptedKinds = slices.Clone(m.AcceptedKinds)
			if m.AcceptedKinds == nil {
				m.AcceptedKinds = []string{}
			}
			rep.Mutants.Items = append(rep.Mutants.Items, m)
			rep.Mutants.Total++
			if m.Detected {
				rep.Mutants.Detected++
			} else {
				rep.Mutants.Survivors = append(rep.Mutants.Survivors, m.Name)
			}
			if m.Detected && m.DiagnosisCorrect {
				rep.Mutants.CorrectDiagnoses++
			}
		case o.Eps != nil:
			f := o.Eps.Function
			f.Plots = []string{}
			rep.EpsStudy.Functions = append(rep.EpsStudy.Functions, f)
			rep.EpsStudy.Rows = append(rep.EpsStudy.Rows, o.Eps.Rows...)
			rep.EpsStudy.Summary = append(rep.EpsStudy.Summary, o.Eps.Summary...)
		}
	}
	rep.Passed = rep.ok()
	return rep
}

// ok reports whether the run passed: every suite passed, every mutant was
// detected, the eps study of every function was done, nothing was
// interrupted. A wrong diagnosis does not fail the run: it is reported.
func (r *Report) ok() bool {
	if r.Interrupted {
		return false
	}
	for _, p := range r.Properties {
		if p.Verdict != verdictPass {
			return false
		}
	}
	for _, m := range r.Mutants.Items {
		if m.Verdict != verdictDetected {
			return false
		}
	}
	for _, f := range r.EpsStudy.Functions {
		if f.Verdict != verdictDone {
			return false
		}
	}
	return true
}

// studyResult is the eps study in bench's form, for bench's plots and
// table: the functions that were done.
func (e epsStudy) studyResult() bench.StudyResult {
	var res bench.StudyResult
	for _, f := range e.Functions {
		if f.Verdict != verdictDone {
			continue
		}
		res.Functions = append(res.Functions, bench.FunctionInfo{Name: f.Name, About: f.About, X: f.X, Smooth: f.Smooth})
		for _, r := range e.Rows {
			if r.Function == f.Name {
				res.Rows = append(res.Rows, r)
			}
		}
		for _, s := range e.Summary {
			if s.Function == f.Name {
				res.Summaries = append(res.Summaries, s)
			}
		}
	}
	return res
}

// verdict is the verdict of the outcome's row, "" for none.
func (o outcome) verdict() string {
	switch {
	case o.Property != nil:
		return o.Property.Verdict
	case o.Mutant != nil:
		return o.Mutant.Verdict
	case o.Eps != nil:
		return o.Eps.Function.Verdict
	}
	return ""
}

// unfinished returns the outcome of an item that did not finish: its meta
// row with the verdict, the note and the output set.
func unfinished(it item, verdict string, p problem) outcome {
	o := it.meta
	switch {
	case o.Property != nil:
		row := *o.Property
		row.Verdict, row.problem = verdict, p
		o.Property = &row
	case o.Mutant != nil:
		row := *o.Mutant
		row.Verdict, row.problem = verdict, p
		o.Mutant = &row
	case o.Eps != nil:
		e := *o.Eps
		e.Function.Verdict, e.Function.problem = verdict, p
		o.Eps = &e
	}
	return o
}

// setReplay sets the replay command of an outcome that needs one: a suite
// that failed, a mutant that survived or was misdiagnosed, an item that
// crashed or timed out.
func (o outcome) setReplay(cmd string) {
	switch v := o.verdict(); {
	case v == verdictFail || v == verdictSurvived || v == verdictCrash || v == verdictTimeout:
	case v == verdictDetected && !o.Mutant.DiagnosisCorrect:
	default:
		return
	}
	switch {
	case o.Property != nil:
		o.Property.ReplayCommand = cmd
	case o.Mutant != nil:
		o.Mutant.ReplayCommand = cmd
	case o.Eps != nil:
		o.Eps.Function.ReplayCommand = cmd
	}
}
