package testenv

import "testing"

// TestLong: Long skips unless $GRADCHECK_LONG is 1, and only then.
func TestLong(t *testing.T) {
	for _, c := range []struct {
		env  string
		skip bool
	}{{"", true}, {"0", true}, {"yes", true}, {"1", false}} {
		t.Setenv(EnvLong, c.env)
		var sub *testing.T
		reached := false
		t.Run("env="+c.env, func(t *testing.T) {
			sub = t
			Long(t)
			reached = true
		})
		if sub.Skipped() != c.skip || reached == c.skip {
			t.Errorf("%s=%q: skipped %v, went on %v; want skipped %v", EnvLong, c.env, sub.Skipped(), reached, c.skip)
		}
	}
}
