package properties

// secondOpinions returns the entries of cmp that passed with a loose
// tolerance and are to be computed again (loose: the ladder of kink.go,
// sharpened where no structure is near, sharpen.go), the loosest first,
// within the bound of Settings.SecondOpinions, and how many loose entries
// the bound left out (Report.NoSecondOpinion).
func (s *session) secondOpinions(cmp *comparison) (ask []int, left int) {
	ask = cmp.loose()
	if n := s.c.secondOpinions; n >= 0 && len(ask) > n {
		return ask[:n], len(ask) - n
	}
	return ask, 0
}
