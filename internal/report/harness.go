package report

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gradcheck/gradcheck/bench"
	"github.com/gradcheck/gradcheck/internal/rapidrun"
	"github.com/gradcheck/gradcheck/mutants"
	"github.com/gradcheck/gradcheck/suites"
)

// The stages of a run, in the order they run. An item's id is
// its stage, a slash and its name: "suites/MSE/gradient",
// "mutants/mse/missing-2", "eps/exp".
const (
	stageSuites  = "suites"
	stageMutants = "mutants"
	stageEps     = "eps"
)

// stages lists the stages in order, with the words of the progress lines.
var stages = []struct{ name, title, unit string }{
	{stageSuites, "property suites", "suites"},
	{stageMutants, "mutants", "mutants"},
	{stageEps, "eps study", "functions"},
}

// Verdicts of an item: a property suite passes or fails, a mutant is
// detected or survives, and the eps study of a function is done. Any item
// may also crash, time out, be interrupted or not run.
const (
	verdictPass        = "pass"
	verdictFail        = "fail"
	verdictDetected    = "detected"
	verdictSurvived    = "survived"
	verdictDone        = "done"
	verdictCrash       = "crash"
	verdictTimeout     = "timeout"
	verdictInterrupted = "interrupted"
	verdictNotRun      = "not run"
)

// An item is one unit of work of a run: a property suite, a
// mutant, or the eps study of one function. Items run in worker processes
// (worker.go), so that one that crashes or hangs takes only itself
// down.
type item struct {
	stage, name string
	// meta is the item's outcome before it runs: its row with the
	// identifying fields set and the verdict "not run". It stands for the
	// item when the item does not finish.
	meta outcome
	// run runs the item in a worker, within rapid's budget and seed as
	// set by rapidrun.Set.
	run func() outcome
	// timeout, if not 0, bounds the item instead of Config.Timeout: the
	// tests' deliberately hanging items have a short one of their own,
	// so that the real items keep the generous default.
	timeout time.Duration
}

// id is the item's stage/name, matched by -run.
func (it item) id() string { return it.stage + "/" + it.name }

// outcome is what an item produces, sent from the worker with gob (which,
// unlike JSON, carries NaN and ±Inf): exactly one field is set.
type outcome struct {
	Property *propertyRow
	Mutant   *mutantRow
	Eps      *epsOutcome
}

// epsOutcome is the eps study of one function.
type epsOutcome struct {
	Function epsFunction
	Rows     []bench.StudyRow
	Summary  []bench.StudySummary
}

// A harness returns the items of a run; seed is the run's seed, which
// fixes the data of the eps study's losses (rapid's seed is global, set in
// each worker). The parent and every worker call the same harness, found
// by name in harnesses, and must get the same items in the same order.
type harness func(seed uint64) []item

// harnesses are the harnesses a worker can be asked for: the default one,
// and those the package's tests register.
var harnesses = map[string]harness{"default": defaultItems}

// defaultItems are the items of the real run: every suite of suites.All,
// every mutant of mutants.All, and the eps study (bench.Study with the
// default grid) of every function of bench.StudyFuncs(seed).
func defaultItems(seed uint64) []item {
	var items []item
	for _, s := range suites.All() {
		items = append(items, suiteItem(s))
	}
	for _, m := range mutants.All() {
		items = append(items, mutantItem(m))
	}
	for _, f := range bench.StudyFuncs(seed) {
		items = append(items, epsItem(f))
	}
	return items
}

// suiteItem is the item that runs s with suites.Run.
func suiteItem(s suites.Suite) item {
	return item{
		stage: stageSuites, name: s.Name(),
		meta: outcome{Property: &propertyRow{Subject: s.Subject.String(), Property: s.Property, Doc: s.Doc, Verdict: verdictNotRun}},
		run:  func() outcome { return outcome{Property: propertyRowOf(suites.Run(s))} },
	}
}

// mutantItem is the item that hunts m with mutants.Hunt.
func mutantItem(m mutants.Mutant) item {
	return item{
		stage: stageMutants, name: m.Name,
		meta: outcome{Mutant: mutantMeta(m)},
		run:  func() outcome { return outcome{Mutant: mutantRowOf(mutants.Hunt(m))} },
	}
}

// epsItem is the item that sweeps f with bench.Study's default grid and
// methods.
func epsItem(f bench.StudyFunc) item {
	info := epsFunction{Name: f.Name, About: f.About, X: f.X, Smooth: f.Smooth, Verdict: verdictNotRun}
	return item{
		stage: stageEps, name: f.Name,
		meta: outcome{Eps: &epsOutcome{Function: info}},
		run: func() outcome {
			res := bench.Study(bench.StudyConfig{Funcs: []bench.StudyFunc{f}})
			done := info
			done.Verdict = verdictDone
			return outcome{Eps: &epsOutcome{Function: done, Rows: res.Rows, Summary: res.Summaries}}
		},
	}
}

// propertyRowOf is the report's row of a suite's result.
func propertyRowOf(r suites.Result) *propertyRow {
	row := &propertyRow{
		Subject: r.Suite.Subject.String(), Property: r.Suite.Property, Doc: r.Suite.Doc,
		Verdict: verdictPass, Cases: r.Cases, Passed: r.Passed,
		MaxRelErr: jsonFloat(r.MaxRelErr), WorstRatio: jsonFloat(r.WorstRatio),
		Inconclusive: r.Inconclusive,
	}
	if !r.Passed {
		row.Verdict, row.Failure, row.MinimalCase = verdictFail, r.Failure, r.Minimal
		if row.Failure == "" {
			// rapid failed outside the check: a panic in a generator, or
			// too few valid cases. Its log says which.
			row.Failure = firstLine(r.Log)
		}
	}
	return row
}

// mutantMeta is a mutant's row before it is hunted.
func mutantMeta(m mutants.Mutant) *mutantRow {
	accept := []string{}
	for _, k := range m.Accept {
		accept = append(accept, k.String())
	}
	return &mutantRow{
		Name: m.Name, Class: m.Class, Subject: m.Subject.String(), Property: m.Property, Doc: m.Doc,
		WantedKind: m.Want.String(), AcceptedKinds: accept, Verdict: verdictNotRun,
	}
}

// mutantRowOf is the report's row of a mutant's hunt.
func mutantRowOf(r mutants.Result) *mutantRow {
	row := mutantMeta(r.Mutant)
	row.Verdict = verdictSurvived
	if !r.Detected {
		// It passed every case of rapid's budget.
		row.Cases = rapidrun.Checks()
		return row
	}
	row.Verdict, row.Detected, row.Cases = verdictDetected, true, r.Cases
	row.ReportedKind, row.DiagnosisCorrect = r.Reported.String(), r.Correct
	row.FirstCase, row.Message = r.First, r.Message
	row.MinimalCase, row.MinimalKind, row.MinimalMessage = r.Minimal, r.MinimalKind.String(), r.MinimalMessage
	return row
}

// firstLine returns the first non-empty line of s, trimmed.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// selectItems returns the items whose id matches the regular expression
// pattern ("" keeps all), or an error if it is not one or matches none.
func selectItems(items []item, pattern string) ([]item, error) {
	if pattern == "" {
		return items, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("-run %s: %v", pattern, err)
	}
	var out []item
	for _, it := range items {
		if re.MatchString(it.id()) {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-run %s matches no suite, mutant or eps function (ids are suites/MSE/gradient, mutants/mse/missing-2, eps/exp)", pattern)
	}
	return out, nil
}
