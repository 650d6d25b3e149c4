package properties

import (
	"fmt"
	"math"
)

// unasked marks as undecided the entries of a gradient along coordinates
// that passed with a loose tolerance and got no second opinion because
// Settings.SecondOpinions was reached (left loose entries were beyond it;
// examined marks those that got a second opinion all the same), and
// returns the no-verdict that names them and says how to lift the bound,
// or nil if there are none. An entry negligible against f (belowNoise)
// is left to pass: no second opinion could resolve it.
//
// The threshold is loose itself: a tolerance that would pass an error of
// 0.1% of the entry (and of 1e-7 of the largest entry), the sensitivity
// promised for code computed in float32 and the point from which the
// check asks for a second opinion. An entry the check holds to need one
// is not passed without it: the bound, not the numerics, left it open,
// and a pass there would claim what the check did not establish
// (docs/NUMERICS.md, "Loose entries the bound left without a second
// opinion"). Entries that got their second opinion and are still loose
// keep the rule of unresolved: that is the engine's limit, not the
// budget's.
func (s *session) unasked(cmp *comparison, examined map[int]bool, left int) *Failure {
	if left == 0 {
		return nil // the common case: the bound left nothing out
	}
	var idx []int
	w, worst := -1, 0.0
	for _, i := range cmp.loose() {
		if examined[i] || cmp.belowNoise(i) {
			continue
		}
		idx = append(idx, i)
		m := math.Max(math.Abs(cmp.a[i]), math.Abs(cmp.n[i]))
		if p := cmp.clearingTol(i) * cmp.looseWithin() / m; w < 0 || p > worst {
			w, worst = i, p
		}
	}
	if len(idx) == 0 {
		return nil
	}
	list := cmp.undecide(idx)
	return cmp.failure(Unresolved, w, len(idx), fmt.Sprintf(
		"%s (%s) passed only with tolerances that would pass an error of up to %.2g%% of their entry (the loosest: %s), and got no second opinion: Settings.SecondOpinions = %d bounds the loose entries computed again — not a verdict on them: set Settings.SecondOpinions = -1 to ask every one (about 100 evaluations of f per entry, bench/README.md \"Cost of a check\"), or check fewer parameters at a time",
		describeCount(len(idx), len(cmp.a), false), list, 100*worst, cmp.name(w), s.c.secondOpinions))
}
