package table

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// A Column is a column of a Table.
type Column struct {
	// Name heads the column in Markdown; Short, if set, heads it in text
	// (upper-cased), where columns are narrow.
	Name, Short string
	// Right aligns the column's Markdown cells right (numbers).
	Right bool
	// MarkdownOnly leaves the column out of the text form: long prose
	// that a terminal line has no room for.
	MarkdownOnly bool
}

// A Cell is a cell of a Table: Text in both forms, or Markdown in the
// Markdown form when set (code spans, emphasis), already escaped.
type Cell struct {
	Text, Markdown string
}

// Plain is a cell of text, escaped for Markdown.
func Plain(s string) Cell { return Cell{Text: s} }

// Code is a cell shown as a code span in Markdown.
func Code(s string) Cell { return Cell{Text: s, Markdown: "`" + s + "`"} }

// Strong is a cell in bold in Markdown.
func Strong(s string) Cell { return Cell{Text: s, Markdown: "**" + Escape(s) + "**"} }

// A Table is a header of columns and rows of cells, one per column.
type Table struct {
	Columns []Column
	Rows    [][]Cell
}

// Add appends a row; it panics unless it has one cell per column.
func (t *Table) Add(cells ...Cell) {
	if len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("table: a row of %d cells in a table of %d columns", len(cells), len(t.Columns)))
	}
	t.Rows = append(t.Rows, cells)
}

// WriteText writes t for a terminal: the upper-cased header, then the
// rows, in columns two spaces apart; Markdown-only columns are left out.
func (t *Table) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var head []string
	for _, c := range t.Columns {
		if !c.MarkdownOnly {
			head = append(head, strings.ToUpper(cmp(c.Short, c.Name)))
		}
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range t.Rows {
		var cells []string
		for i, c := range r {
			if !t.Columns[i].MarkdownOnly {
				cells = append(cells, c.Text)
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// WriteMarkdown writes t as a Markdown table.
func (t *Table) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	var head, rule []string
	for _, c := range t.Columns {
		head = append(head, Escape(c.Name))
		rule = append(rule, map[bool]string{false: "---", true: "--:"}[c.Right])
	}
	writeRow(&b, head)
	b.WriteString("|" + strings.Join(rule, "|") + "|\n")
	for _, r := range t.Rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cmp(c.Markdown, Escape(c.Text))
		}
		writeRow(&b, cells)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeRow(b *strings.Builder, cells []string) {
	b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
}

// Escape escapes s for a Markdown table cell: pipes, and newlines, which
// would end the row.
func Escape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// cmp returns the first of a and b that is not empty.
func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
