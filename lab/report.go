package lab

import (
	"fmt"
	"io"
	"strings"
)

// Format writes the report of a grading run: a line per task with its
// verdict and, for a task not solved, the hint, the checker's diagnosis and
// the smallest failing case; then "Progress: k/5 tasks solved" (k out of
// the lab's NumTasks, whichever tasks results holds).
func Format(w io.Writer, results []Result) error {
	var b strings.Builder
	solved := 0
	for _, r := range results {
		if r.Solved {
			solved++
		}
		fmt.Fprintf(&b, "Task %s  %-62s %s\n", r.Task, r.Title, status(r))
		block(&b, "your output", r.Output)
		if r.Solved || r.NotImplemented && r.Hint == "" {
			continue
		}
		block(&b, "hint", r.Hint)
		block(&b, "checker", r.Diagnosis)
		if r.Case != "" {
			label := "smallest failing case"
			if r.TimedOut || r.Crashed {
				label = "case"
			}
			block(&b, label, r.Case)
		}
	}
	fmt.Fprintf(&b, "\nProgress: %d/%d tasks solved\n", solved, NumTasks)
	_, err := io.WriteString(w, b.String())
	return err
}

func status(r Result) string {
	switch {
	case r.Solved:
		return fmt.Sprintf("solved (%d cases)", r.Cases)
	case r.NotImplemented:
		return "not implemented yet"
	case r.TimedOut:
		return "TIMED OUT"
	case r.Crashed:
		return "CRASHED"
	}
	return fmt.Sprintf("NOT SOLVED (%d of %d cases failed)", r.Failed, r.Cases)
}

// block writes a labelled, indented block of text: the label on the
// first line, the continuation lines aligned under the text.
func block(b *strings.Builder, label, text string) {
	if text == "" {
		return
	}
	const indent = "      "
	pad := strings.Repeat(" ", len("smallest failing case")-len(label))
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	fmt.Fprintf(b, "%s%s:%s %s\n", indent, label, pad, lines[0])
	cont := indent + strings.Repeat(" ", len("smallest failing case")+2)
	for _, l := range lines[1:] {
		fmt.Fprintf(b, "%s%s\n", cont, l)
	}
}
