package table

import (
	"encoding/json"
	"io"
)

// WriteJSON writes v as JSON indented by two spaces: the JSON form of both
// of fuzzreport's reports, printed by -json and written as report.json.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
