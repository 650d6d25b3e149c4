package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// SummaryTable returns the summaries as a Markdown table, one row per
// function and method, each measured value beside its theory. Steps and
// errors are printed with two significant digits, slopes with two decimals
// and the number of fitted points; "—" marks a value that does not exist.
func (r StudyResult) SummaryTable() string {
	var b strings.Builder
	b.WriteString("| function | method | optimal eps | theory | best error | theory | truncation slope (points) | theory | round-off slope (points) | theory |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range r.Summaries {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			s.Function, s.Method,
			num(s.OptimalEps), num(s.TheoryOptimalEps),
			num(s.BestError), num(s.TheoryBestError),
			slope(s.TruncationSlope, s.TruncationPoints), order(s.TheoryTruncationSlope),
			slope(s.RoundoffSlope, s.RoundoffPoints), order(s.TheoryRoundoffSlope))
	}
	return b.String()
}

func num(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.2g", v)
}

func slope(v float64, n int) string {
	if math.IsNaN(v) {
		return fmt.Sprintf("— (%d)", n)
	}
	return fmt.Sprintf("%.2f (%d)", v, n)
}

func order(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%g", v)
}

// summaryJSON is StudySummary with nullable numbers: JSON has no NaN.
type summaryJSON struct {
	Function              string   `json:"function"`
	Method                string   `json:"method"`
	OptimalEps            *float64 `json:"optimal_eps"`
	BestError             *float64 `json:"best_error"`
	TruncationSlope       *float64 `json:"truncation_slope"`
	TruncationPoints      int      `json:"truncation_points"`
	RoundoffSlope         *float64 `json:"roundoff_slope"`
	RoundoffPoints        int      `json:"roundoff_points"`
	TheoryOptimalEps      *float64 `json:"theory_optimal_eps"`
	TheoryBestError       *float64 `json:"theory_best_error"`
	TheoryTruncationSlope *float64 `json:"theory_truncation_slope"`
	TheoryRoundoffSlope   *float64 `json:"theory_roundoff_slope"`
}

// MarshalJSON encodes s with the snake_case names of its tags, NaN as null.
func (s StudySummary) MarshalJSON() ([]byte, error) {
	opt := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	return json.Marshal(summaryJSON{
		Function: s.Function, Method: string(s.Method),
		OptimalEps: opt(s.OptimalEps), BestError: opt(s.BestError),
		TruncationSlope: opt(s.TruncationSlope), TruncationPoints: s.TruncationPoints,
		RoundoffSlope: opt(s.RoundoffSlope), RoundoffPoints: s.RoundoffPoints,
		TheoryOptimalEps: opt(s.TheoryOptimalEps), TheoryBestError: opt(s.TheoryBestError),
		TheoryTruncationSlope: opt(s.TheoryTruncationSlope), TheoryRoundoffSlope: opt(s.TheoryRoundoffSlope),
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes, null (or a missing
// number) as NaN.
func (s *StudySummary) UnmarshalJSON(data []byte) error {
	var j summaryJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	val := func(p *float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p
	}
	*s = StudySummary{
		Function: j.Function, Method: StudyMethod(j.Method),
		OptimalEps: val(j.OptimalEps), BestError: val(j.BestError),
		TruncationSlope: val(j.TruncationSlope), TruncationPoints: j.TruncationPoints,
		RoundoffSlope: val(j.RoundoffSlope), RoundoffPoints: j.RoundoffPoints,
		TheoryOptimalEps: val(j.TheoryOptimalEps), TheoryBestError: val(j.TheoryBestError),
		TheoryTruncationSlope: val(j.TheoryTruncationSlope), TheoryRoundoffSlope: val(j.TheoryRoundoffSlope),
	}
	return nil
}
