// Package table is the table model of fuzzreport's reports: a table is
// built once, from the report, and rendered either for a terminal
// (aligned columns under an upper-case header) or as a GitHub-flavoured
// Markdown table. WriteJSON gives both reports their JSON form.
//
// # Conventions
//
//   - A Table is data (Columns and rows of Cells); WriteText and
//     WriteMarkdown render the same table, so the two forms cannot drift.
//   - In Markdown a Cell's Markdown form, when set (Code, Strong), is
//     written as it is; otherwise its Text is escaped (Escape).
//   - Renderers write through a Writer, which keeps the first write error
//     and drops what follows: a renderer prints freely and checks Err once.
package table
