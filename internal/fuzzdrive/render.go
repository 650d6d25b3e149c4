package fuzzdrive

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/gradcheck/gradcheck/internal/table"
)

// excerptLines is how many lines of a target's output the text and Markdown
// reports show; the JSON report has the whole tail.
const excerptLines = 12

// WriteJSON writes rep as indented JSON.
func WriteJSON(w io.Writer, rep Report) error { return table.WriteJSON(w, rep) }

// WriteText writes rep for a terminal: a table of the targets, then for
// each one that did not pass its input, replay command and output excerpt,
// then a summary and the command that reruns the whole run.
func WriteText(w io.Writer, rep Report) error {
	ew := table.NewWriter(w)
	tb := targetTable(rep)
	tb.WriteText(ew)
	for _, t := range rep.Targets {
		if t.Verdict == Pass && t.Note == "" || t.Verdict == NotRun {
			continue
		}
		fmt.Fprintf(ew, "\n%s", strings.Join(nonEmpty(strings.ToUpper(t.Verdict), t.Package, t.Target), " "))
		if t.Note != "" {
			fmt.Fprintf(ew, ": %s", t.Note)
		}
		fmt.Fprintln(ew)
		if t.FailingInput != "" {
			fmt.Fprintf(ew, "    input:  %s\n", t.FailingInput)
		}
		if t.ReplayCommand != "" {
			fmt.Fprintf(ew, "    replay: %s\n", t.ReplayCommand)
		}
		for _, l := range outputExcerpt(t) {
			fmt.Fprintf(ew, "    | %s\n", l)
		}
	}
	fmt.Fprintf(ew, "\n%s\n", summary(rep))
	fmt.Fprintf(ew, "rerun: %s\n", rep.Command)
	return ew.Err()
}

// writeFuzzMarkdown writes rep as GitHub-flavoured Markdown, for a CI job
// summary or a pull-request comment.
func WriteMarkdown(w io.Writer, rep Report) error {
	ew := table.NewWriter(w)
	fmt.Fprintf(ew, "## Fuzz targets\n\n%s\n\n", summary(rep))
	tb := targetTable(rep)
	tb.WriteMarkdown(ew)
	for _, t := range rep.Targets {
		if t.Verdict == Pass && t.Note == "" || t.Verdict == NotRun {
			continue
		}
		fmt.Fprintf(ew, "\n### %s\n\n", strings.Join(nonEmpty(mdVerdict(t.Verdict), "`"+t.Package+"`", t.Target), " "))
		if t.Note != "" {
			fmt.Fprintf(ew, "Note: %s.\n\n", t.Note)
		}
		if t.FailingInput != "" {
			fmt.Fprintf(ew, "- input: `%s`\n", t.FailingInput)
		}
		if t.ReplayCommand != "" {
			fmt.Fprintf(ew, "- replay: `%s`\n", t.ReplayCommand)
		}
		if ex := outputExcerpt(t); len(ex) > 0 {
			fmt.Fprintf(ew, "\n```text\n%s\n```\n", strings.Join(ex, "\n"))
		}
	}
	fmt.Fprintf(ew, "\nRerun: `%s`\n", rep.Command)
	return ew.Err()
}

// targetTable is the table of the targets, with an engine column when
// another engine's results were added (Report.Add).
func targetTable(rep Report) *table.Table {
	engines := slices.ContainsFunc(rep.Targets, func(t Result) bool { return t.Engine != "" })
	tb := &table.Table{}
	if engines {
		tb.Columns = append(tb.Columns, table.Column{Name: "engine"})
	}
	tb.Columns = append(tb.Columns,
		table.Column{Name: "package"}, table.Column{Name: "target"},
		table.Column{Name: "time", Right: true}, table.Column{Name: "execs", Right: true},
		table.Column{Name: "new interesting", Short: "new", Right: true}, table.Column{Name: "verdict"})
	for _, t := range rep.Targets {
		time, execs, newInt := targetNumbers(t)
		target := table.Plain("-")
		if t.Target != "" {
			target = table.Code(t.Target)
		}
		verdict := table.Plain(t.Verdict)
		if t.Verdict != Pass {
			verdict = table.Strong(t.Verdict)
		}
		row := []table.Cell{table.Code(t.Package), target, table.Plain(time), table.Plain(execs), table.Plain(newInt), verdict}
		if engines {
			row = append([]table.Cell{table.Plain(cmp.Or(t.Engine, "go"))}, row...)
		}
		tb.Add(row...)
	}
	return tb
}

// targetNumbers formats a target's time, execs and new interesting inputs,
// "-" for a target that did not run.
func targetNumbers(t Result) (time, execs, newInt string) {
	if t.Verdict == NotRun || t.Target == "" {
		return "-", "-", "-"
	}
	return fmt.Sprintf("%.1fs", t.ElapsedSeconds), strconv.FormatInt(t.Execs, 10), strconv.FormatInt(t.NewInteresting, 10)
}

// summary counts the targets by verdict, in a fixed order.
func summary(rep Report) string {
	counts := map[string]int{}
	for _, t := range rep.Targets {
		counts[t.Verdict]++
	}
	var parts []string
	for _, v := range []string{Pass, Fail, Crash, Flake, Timeout, Interrupted, Error, NotRun} {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
		}
	}
	s := fmt.Sprintf("%s (shard %d/%d, -fuzztime %s) in %.1fs", plural(len(rep.Targets), "fuzz target", "fuzz targets"), rep.Shard, rep.Shards, rep.FuzzTime, rep.ElapsedSeconds)
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	if rep.Interrupted {
		s += "; interrupted"
	}
	return s
}

// plural is "1 package" or "n packages".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// outputExcerpt is the part of a target's output worth showing: go's
// failure message for a failing input, else the last lines.
func outputExcerpt(t Result) []string {
	lines := strings.Split(strings.TrimRight(t.OutputTail, "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	if t.Verdict == Fail {
		// From the first "--- FAIL" to the end of go's re-run hint.
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "--- FAIL") {
				lines = lines[i:]
				break
			}
		}
		for i, l := range lines {
			if l == "FAIL" || strings.HasPrefix(strings.TrimSpace(l), "Failing input written to") {
				lines = lines[:i]
				break
			}
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > excerptLines {
		lines = lines[len(lines)-excerptLines:]
	}
	return lines
}

func mdVerdict(v string) string {
	if v == Pass {
		return v
	}
	return "**" + v + "**"
}

// nonEmpty returns its non-empty arguments.
func nonEmpty(s ...string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}
