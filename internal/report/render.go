package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gradcheck/gradcheck/bench"
	"github.com/gradcheck/gradcheck/internal/cmdline"
	"github.com/gradcheck/gradcheck/internal/table"
)

// The text and Markdown reports print relative errors with two significant
// digits and error/tolerance ratios with two: more would be noise, and
// fewer digits survive fused multiply-add on other architectures (the
// golden test compares them on amd64 only).

// WriteJSON writes rep as indented JSON: report.json.
func WriteJSON(w io.Writer, rep Report) error { return table.WriteJSON(w, rep) }

// WriteText writes rep for a terminal: the suites, the mutants, the
// eps study, then the verdict, the seed and the command that reruns the
// run. It prints no timing, so that it depends only on the seed, the cases
// and the platform.
func WriteText(w io.Writer, rep Report) error {
	ew := table.NewWriter(w)
	fmt.Fprintf(ew, "gradcheck fuzzreport: seed %d, %d cases per property suite and per mutant%s\n", rep.Seed, rep.Checks, runNote(rep))

	if len(rep.Properties) > 0 {
		fmt.Fprintf(ew, "\nPROPERTY SUITES: %s\n", suitesScore(rep))
		propertyTable(rep).WriteText(ew)
		for _, p := range rep.Properties {
			if !hasDetails(p.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n%s %s/%s", strings.ToUpper(p.Verdict), p.Subject, p.Property)
			if p.Verdict == verdictFail {
				fmt.Fprintf(ew, " after %s", plural(p.Cases, "case", "cases"))
			}
			fmt.Fprintf(ew, ": %s\n", p.Doc)
			writeTextProblem(ew, p.Failure, p.MinimalCase, p.problem)
		}
	}

	if len(rep.Mutants.Items) > 0 {
		m := rep.Mutants
		fmt.Fprintf(ew, "\nMUTANTS: %s\n", mutantScore(m))
		mutantTable(m).WriteText(ew)
		if m.Detected == m.Total && m.CorrectDiagnoses == m.Detected {
			fmt.Fprintln(ew, "\nNo survivor, no wrong diagnosis.")
		}
		for _, r := range m.Items {
			if !hasDetails(r.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n%s %s (%s, %s check): %s\n", strings.ToUpper(r.Verdict), r.Name, r.Class, r.Property, r.Doc)
			failure := ""
			if r.Verdict == verdictSurvived {
				failure = fmt.Sprintf("the %s check passed all %s", r.Property, plural(r.Cases, "case", "cases"))
			}
			writeTextProblem(ew, failure, "", r.problem)
		}
		for _, r := range m.Items {
			if !r.Detected || r.DiagnosisCorrect {
				continue
			}
			fmt.Fprintf(ew, "\nMISDIAGNOSED %s (%s): reported %s, want %s\n", r.Name, r.Class, r.ReportedKind, wantedKinds(r))
			writeTextProblem(ew, "on "+r.FirstCase+": "+r.Message, "", r.problem)
		}
		if notRun := countVerdict(m.Items, verdictNotRun); notRun > 0 {
			fmt.Fprintf(ew, "\n%s not run.\n", plural(notRun, "mutant", "mutants"))
		}
	}

	if len(rep.EpsStudy.Functions) > 0 {
		e := rep.EpsStudy
		fmt.Fprintf(ew, "\nEPS STUDY: %s\n", epsHeadline(e, "; every function in report.md"))
		if tb := epsTable(e); len(tb.Rows) > 0 {
			tb.WriteText(ew)
		}
		for _, f := range e.Functions {
			if !hasDetails(f.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n%s eps/%s (%s)\n", strings.ToUpper(f.Verdict), f.Name, f.About)
			writeTextProblem(ew, "", "", f.problem)
		}
		if notRun := countVerdict(e.Functions, verdictNotRun); notRun > 0 {
			fmt.Fprintf(ew, "\n%s not run.\n", plural(notRun, "function", "functions"))
		}
	}

	fmt.Fprintf(ew, "\n%s\n", verdictLine(rep))
	fmt.Fprintf(ew, "seed: %d\n", rep.Seed)
	fmt.Fprintf(ew, "rerun: %s\n", rep.Command)
	fmt.Fprintf(ew, "files: %s\n", filesLine(rep))
	return ew.Err()
}

// propertyTable is the table of the property suites.
func propertyTable(rep Report) *table.Table {
	tb := &table.Table{Columns: []table.Column{
		{Name: "subject"}, {Name: "property"}, {Name: "what is checked", MarkdownOnly: true},
		{Name: "cases", Right: true}, {Name: "verdict"},
		{Name: "max rel err", Right: true}, {Name: "worst err/tol", Right: true},
	}}
	for _, p := range rep.Properties {
		relErr, ratio := propertyFigures(p)
		tb.Add(table.Plain(p.Subject), table.Plain(p.Property), table.Plain(p.Doc),
			table.Plain(casesText(p.Verdict, p.Cases)), verdictCell(strings.ToUpper(p.Verdict), p.Verdict != verdictPass),
			table.Plain(relErr), table.Plain(ratio))
	}
	return tb
}

// mutantTable is the table of the mutants.
func mutantTable(m mutantReport) *table.Table {
	tb := &table.Table{Columns: []table.Column{
		{Name: "mutant"}, {Name: "class"}, {Name: "property"}, {Name: "the bug", MarkdownOnly: true},
		{Name: "wanted"}, {Name: "reported"}, {Name: "cases", Right: true}, {Name: "verdict"},
	}}
	for _, r := range m.Items {
		v := mutantVerdict(r)
		tb.Add(table.Code(r.Name), table.Plain(r.Class), table.Plain(r.Property), table.Plain(r.Doc),
			table.Plain(r.WantedKind), table.Plain(dash(r.ReportedKind)), table.Plain(casesText(r.Verdict, r.Cases)),
			verdictCell(v, v != strings.ToUpper(verdictDetected)))
	}
	return tb
}

// epsTable is the eps study's summary per method.
func epsTable(e epsStudy) *table.Table {
	tb := &table.Table{Columns: []table.Column{
		{Name: "method"}, {Name: "optimal eps"}, {Name: "theory"}, {Name: "best error"}, {Name: "theory"},
	}}
	for _, s := range epsMethodSummaries(e) {
		tb.Add(table.Plain(s.method), table.Plain(s.eps), table.Plain(s.theoryEps), table.Plain(s.err), table.Plain(s.theoryErr))
	}
	return tb
}

// verdictCell is a verdict, upper-case in text and lower-case in
// Markdown, in bold there when bad.
func verdictCell(v string, bad bool) table.Cell {
	c := table.Cell{Text: v, Markdown: strings.ToLower(v)}
	if bad {
		c.Markdown = "**" + c.Markdown + "**"
	}
	return c
}

// hasDetails reports whether an item of verdict v gets a paragraph of
// details after its table: a failure, a survivor, a crash or a timeout.
// An interrupted item or one not run has nothing to say beyond its row.
func hasDetails(v string) bool {
	return v == verdictFail || v == verdictSurvived || v == verdictCrash || v == verdictTimeout
}

// writeTextProblem writes the details of an item that did not pass,
// indented.
func writeTextProblem(w io.Writer, failure, minimal string, p problem) {
	if p.Note != "" {
		fmt.Fprintf(w, "    %s\n", p.Note)
	}
	for _, l := range strings.Split(failure, "\n") {
		if l != "" {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	if minimal != "" {
		fmt.Fprintf(w, "    smallest failing case: %s\n", minimal)
	}
	if p.ReplayCommand != "" {
		fmt.Fprintf(w, "    replay: %s\n", p.ReplayCommand)
	}
	if p.OutputTail != "" {
		lines := strings.Split(strings.TrimRight(p.OutputTail, "\n"), "\n")
		if len(lines) > textStackLines {
			lines = append(lines[:textStackLines], "… (report.json has more)")
		}
		for _, l := range lines {
			fmt.Fprintf(w, "    | %s\n", l)
		}
	}
}

// textStackLines bounds the lines of a stack in the text report; the
// JSON and Markdown reports have up to stackLines.
const textStackLines = 16

// writeReportMarkdown writes rep as GitHub-flavoured Markdown: report.md,
// with the eps plots embedded from the files beside it.
func WriteMarkdown(w io.Writer, rep Report) error {
	ew := table.NewWriter(w)
	fmt.Fprintf(ew, "# gradcheck fuzzreport\n\n%s Seed %d, %d cases per property suite and per mutant%s.\n\n", mdVerdictLine(rep), rep.Seed, rep.Checks, runNote(rep))
	fmt.Fprintf(ew, "Rerun: `%s`\n", rep.Command)

	if len(rep.Properties) > 0 {
		fmt.Fprintf(ew, "\n## Property suites: %s\n\n", suitesScore(rep))
		propertyTable(rep).WriteMarkdown(ew)
		for _, p := range rep.Properties {
			if !hasDetails(p.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n### %s `%s/%s`\n\n", mdVerdict(p.Verdict), p.Subject, p.Property)
			writeMarkdownProblem(ew, p.Failure, p.MinimalCase, p.problem)
		}
	}

	if len(rep.Mutants.Items) > 0 {
		m := rep.Mutants
		fmt.Fprintf(ew, "\n## Mutants: %s\n\n", mutantScore(m))
		mutantTable(m).WriteMarkdown(ew)
		for _, r := range m.Items {
			if !hasDetails(r.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n### %s `%s`\n\n", mdVerdict(r.Verdict), r.Name)
			failure := ""
			if r.Verdict == verdictSurvived {
				failure = fmt.Sprintf("The %s check passed all %d cases.", r.Property, r.Cases)
			}
			writeMarkdownProblem(ew, failure, "", r.problem)
		}
		for _, r := range m.Items {
			if !r.Detected || r.DiagnosisCorrect {
				continue
			}
			fmt.Fprintf(ew, "\n### **misdiagnosed** `%s`: reported %s, want %s\n\n", r.Name, r.ReportedKind, wantedKinds(r))
			writeMarkdownProblem(ew, "On "+r.FirstCase+": "+r.Message, "", r.problem)
		}
	}

	if len(rep.EpsStudy.Functions) > 0 {
		e := rep.EpsStudy
		fmt.Fprintf(ew, "\n## Eps study\n\n%s.\n\n", sentence(epsHeadline(e, "")))
		if tb := epsTable(e); len(tb.Rows) > 0 {
			tb.WriteMarkdown(ew)
		}
		if res := e.studyResult(); len(res.Summaries) > 0 {
			fmt.Fprintf(ew, "\nEvery function and method, measured beside theory (slopes fitted on the two sides of the V, with the number of steps fitted):\n\n%s", res.SummaryTable())
		}
		for _, f := range e.Functions {
			if !hasDetails(f.Verdict) {
				continue
			}
			fmt.Fprintf(ew, "\n### %s `eps/%s`\n\n", mdVerdict(f.Verdict), f.Name)
			writeMarkdownProblem(ew, "", "", f.problem)
		}
		for _, f := range e.Functions {
			for _, p := range f.Plots {
				if strings.HasSuffix(p, ".png") {
					fmt.Fprintf(ew, "\n### %s: %s\n\n![eps study of %s](%s)\n", f.Name, f.About, f.Name, p)
				}
			}
		}
	}
	return ew.Err()
}

// writeMarkdownProblem writes the details of an item that did not pass.
func writeMarkdownProblem(w io.Writer, failure, minimal string, p problem) {
	if p.Note != "" {
		fmt.Fprintf(w, "%s\n\n", sentence(p.Note))
	}
	if failure != "" {
		fmt.Fprintf(w, "```text\n%s\n```\n\n", strings.TrimRight(failure, "\n"))
	}
	if minimal != "" {
		fmt.Fprintf(w, "- smallest failing case: %s\n", minimal)
	}
	if p.ReplayCommand != "" {
		fmt.Fprintf(w, "- replay: `%s`\n", p.ReplayCommand)
	}
	if p.OutputTail != "" {
		fmt.Fprintf(w, "\n```text\n%s\n```\n", strings.TrimRight(p.OutputTail, "\n"))
	}
}

// sentence makes s a sentence: a capital first letter, a full stop.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.TrimSuffix(s[n:], ".") + "."
}

// WriteFiles writes the eps plots, report.md and report.json to dir, and
// records in rep the plots and the files written: the text report lists
// only those. On an error, the files written so far stay listed, and the
// error is in the list too.
func WriteFiles(rep *Report, dir string) error {
	err := writeFiles(rep, dir)
	if err != nil {
		rep.filesErr = err
		if len(rep.written) == 0 {
			rep.OutDir = ""
		}
	}
	return err
}

func writeFiles(rep *Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out %s: %v", dir, err)
	}
	rep.OutDir = dir
	if res := rep.EpsStudy.studyResult(); len(res.Functions) > 0 {
		paths, err := bench.WritePlots(res, dir)
		if err != nil {
			return fmt.Errorf("writing the eps plots: %v", err)
		}
		for i, f := range rep.EpsStudy.Functions {
			for _, p := range paths {
				base := filepath.Base(p)
				if strings.TrimSuffix(strings.TrimSuffix(base, ".svg"), ".png") == "eps-"+f.Name {
					rep.EpsStudy.Functions[i].Plots = append(rep.EpsStudy.Functions[i].Plots, base)
				}
			}
		}
		rep.written = append(rep.written, fmt.Sprintf("%d eps plots (%s)", len(paths), filepath.Join(dir, "eps-*.svg, .png")))
	}
	var md, js bytes.Buffer
	if err := WriteMarkdown(&md, *rep); err != nil {
		return err
	}
	if err := WriteJSON(&js, *rep); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"report.json", js.Bytes()}, {"report.md", md.Bytes()}} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return err
		}
		rep.written = append([]string{path}, rep.written...)
	}
	return nil
}

// filesLine lists the files written, and the error that stopped the
// writing.
func filesLine(rep Report) string {
	if len(rep.written) == 0 && rep.filesErr == nil {
		return "none (-out '')"
	}
	// report.json and report.md were prepended in that order: put them
	// back in it.
	files := slices.Clone(rep.written)
	if len(files) >= 2 && strings.HasSuffix(files[0], "report.md") {
		files[0], files[1] = files[1], files[0]
	}
	s := strings.Join(files, ", ")
	if rep.filesErr != nil {
		s = strings.TrimPrefix(s+"; ", "; ") + "not written: " + rep.filesErr.Error()
	}
	return s
}

// runNote is the -run part of a headline.
func runNote(rep Report) string {
	if rep.Run == "" {
		return ""
	}
	return ", items matching -run " + cmdline.Quote(rep.Run)
}

// propertyFigures formats a suite's worst relative error and worst
// error/tolerance ratio, "-" for a suite that did not finish.
func propertyFigures(p propertyRow) (relErr, ratio string) {
	if p.Verdict != verdictPass && p.Verdict != verdictFail {
		return "-", "-"
	}
	return fmtFloat("%.1e", float64(p.MaxRelErr)), fmtFloat("%.2g", float64(p.WorstRatio))
}

// fmtFloat formats v, with 0 as "0" and a non-finite value as inf or NaN.
func fmtFloat(format string, v float64) string {
	switch {
	case v == 0:
		return "0"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsNaN(v):
		return "—"
	}
	return fmt.Sprintf(format, v)
}

// casesText is the cases of an item, "-" when it did not finish.
func casesText(verdict string, cases int) string {
	switch verdict {
	case verdictCrash, verdictTimeout, verdictInterrupted, verdictNotRun:
		return "-"
	}
	return fmt.Sprint(cases)
}

// mutantVerdict is a mutant's verdict for the tables.
func mutantVerdict(r mutantRow) string {
	if r.Detected && !r.DiagnosisCorrect {
		return "MISDIAGNOSED"
	}
	return strings.ToUpper(r.Verdict)
}

// wantedKinds is a mutant's wanted kind and the accepted ones.
func wantedKinds(r mutantRow) string {
	if len(r.AcceptedKinds) == 0 {
		return r.WantedKind
	}
	return r.WantedKind + " (or " + strings.Join(r.AcceptedKinds, ", ") + ")"
}

// suitesScore is "27/27 passed" and what did not.
func suitesScore(rep Report) string {
	counts := map[string]int{}
	for _, p := range rep.Properties {
		counts[p.Verdict]++
	}
	return fmt.Sprintf("%d/%d passed%s", counts[verdictPass], len(rep.Properties), others(counts, verdictPass))
}

// mutantScore is the mutation score and the diagnosis accuracy.
func mutantScore(m mutantReport) string {
	counts := map[string]int{}
	for _, r := range m.Items {
		counts[r.Verdict]++
	}
	return fmt.Sprintf("mutation score %d/%d detected; diagnosis %d/%d right%s", m.Detected, m.Total, m.CorrectDiagnoses, m.Detected, others(counts, verdictDetected))
}

// others counts the verdicts other than the given ones: "; 1 crash, 2 not
// run".
func others(counts map[string]int, except ...string) string {
	var parts []string
	for _, v := range verdictOrder {
		if counts[v] > 0 && !slices.Contains(except, v) {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], verdictWords[v]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

// verdictLine is the run's verdict, with what failed it.
func verdictLine(rep Report) string {
	if rep.Passed {
		return "PASS: every suite passed and every mutant was detected."
	}
	var parts []string
	counts := map[string]int{}
	for _, p := range rep.Properties {
		counts["suites "+p.Verdict]++
	}
	for _, m := range rep.Mutants.Items {
		counts["mutants "+m.Verdict]++
	}
	for _, f := range rep.EpsStudy.Functions {
		counts["eps "+f.Verdict]++
	}
	for _, c := range []struct{ key, one, many string }{
		{"suites fail", "suite failed", "suites failed"},
		{"suites crash", "suite crashed", "suites crashed"},
		{"suites timeout", "suite timed out", "suites timed out"},
		{"mutants survived", "mutant survived", "mutants survived"},
		{"mutants crash", "mutant crashed", "mutants crashed"},
		{"mutants timeout", "mutant timed out", "mutants timed out"},
		{"eps crash", "eps function crashed", "eps functions crashed"},
		{"eps timeout", "eps function timed out", "eps functions timed out"},
	} {
		switch n := counts[c.key]; {
		case n == 1:
			parts = append(parts, "1 "+c.one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, c.many))
		}
	}
	if rep.Interrupted {
		notRun := counts["suites not run"] + counts["mutants not run"] + counts["eps not run"]
		interrupted := counts["suites interrupted"] + counts["mutants interrupted"] + counts["eps interrupted"]
		parts = append(parts, fmt.Sprintf("interrupted (%s stopped, %d not run)", plural(interrupted, "item", "items"), notRun))
	}
	return "FAIL: " + strings.Join(parts, ", ") + "."
}

// mdVerdictLine is verdictLine in bold.
func mdVerdictLine(rep Report) string {
	v, rest, _ := strings.Cut(verdictLine(rep), ": ")
	return "**" + v + "**: " + rest
}

// epsHeadline describes the eps study's grid and functions; more ends the
// part about the summary.
func epsHeadline(e epsStudy, more string) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range e.Rows {
		lo, hi = math.Min(lo, r.Eps), math.Max(hi, r.Eps)
	}
	var methods []bench.StudyMethod
	for _, s := range e.Summary {
		if !slices.Contains(methods, s.Method) {
			methods = append(methods, s.Method)
		}
	}
	s := fmt.Sprintf("%d functions, %d methods", len(e.Functions), len(methods))
	if done := countVerdict(e.Functions, verdictDone); done < len(e.Functions) {
		s = fmt.Sprintf("%d of %d functions, %d methods", done, len(e.Functions), len(methods))
	}
	if len(e.Rows) > 0 {
		s += fmt.Sprintf(", eps from %s to %s", shortExp(lo), shortExp(hi))
	}
	names := epsSummaryFunctions(e)
	if len(names) == 0 {
		return s
	}
	return s + "; optimal eps and best relative error over " + strings.Join(names, ", ") + more
}

// shortExp formats a power of ten as 1e-16, 1e-1.
func shortExp(v float64) string {
	s := fmt.Sprintf("%.0e", v)
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}

// countVerdict counts the rows (mutants, eps functions) with verdict v.
func countVerdict[R interface{ verdict() string }](rows []R, v string) int {
	n := 0
	for _, r := range rows {
		if r.verdict() == v {
			n++
		}
	}
	return n
}

// epsSummaryFunctions are the functions the per-method summary ranges
// over: the smooth ones that were done (exp, sin, log, poly), whose
// derivatives are of the order of their value, the case theory describes;
// all that were done if none is smooth.
func epsSummaryFunctions(e epsStudy) []string {
	var smooth, all []string
	for _, f := range e.Functions {
		if f.Verdict != verdictDone {
			continue
		}
		all = append(all, f.Name)
		if f.Smooth {
			smooth = append(smooth, f.Name)
		}
	}
	if len(smooth) > 0 {
		return smooth
	}
	return all
}

// epsMethodSummary is one method's line of the eps summary: the range of
// its optimal eps and best error over the summary's functions, and theory.
type epsMethodSummary struct {
	method, eps, theoryEps, err, theoryErr string
}

// epsMethodSummaries summarizes the eps study per method, in the order of
// the study's summaries.
func epsMethodSummaries(e epsStudy) []epsMethodSummary {
	funcs := epsSummaryFunctions(e)
	var methods []bench.StudyMethod
	by := map[bench.StudyMethod][]bench.StudySummary{}
	for _, s := range e.Summary {
		if !slices.Contains(funcs, s.Function) {
			continue
		}
		if _, ok := by[s.Method]; !ok {
			methods = append(methods, s.Method)
		}
		by[s.Method] = append(by[s.Method], s)
	}
	var out []epsMethodSummary
	for _, m := range methods {
		ss := by[m]
		var eps, errs []float64
		for _, s := range ss {
			eps, errs = append(eps, s.OptimalEps), append(errs, s.BestError)
		}
		out = append(out, epsMethodSummary{
			method: string(m), eps: span(eps), theoryEps: fmtFloat("%.1e", ss[0].TheoryOptimalEps),
			err: span(errs), theoryErr: fmtFloat("%.1e", ss[0].TheoryBestError),
		})
	}
	return out
}

// span formats the range of vs, NaNs left out.
func span(vs []float64) string {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	switch {
	case lo > hi:
		return "—"
	case fmt.Sprintf("%.1e", lo) == fmt.Sprintf("%.1e", hi):
		return fmtFloat("%.1e", lo)
	}
	return fmtFloat("%.1e", lo) + " … " + fmtFloat("%.1e", hi)
}

// mdCell escapes s for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func mdVerdict(v string) string {
	if v == verdictPass {
		return v
	}
	return "**" + v + "**"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
