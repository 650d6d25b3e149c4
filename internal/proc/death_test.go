package proc

import "testing"

func TestDeathLine(t *testing.T) {
	for _, tc := range []struct{ name, out, want string }{
		{"panic", "ok\npanic: boom\n\ngoroutine 1 [running]:\nmain.main()\n", "panic: boom"},
		{"fatal error", "x\n  fatal error: concurrent map writes\nmore\n", "fatal error: concurrent map writes"},
		{"stack overflow", "runtime: goroutine stack exceeds 1000000000-byte limit\nfatal error: stack overflow\n", "runtime: goroutine stack exceeds 1000000000-byte limit"},
		{"last line", "first\nsignal: killed\n\n", "signal: killed"},
		{"empty", "", ""},
	} {
		if got := DeathLine(tc.out); got != tc.want {
			t.Errorf("%s: DeathLine = %q, want %q", tc.name, got, tc.want)
		}
	}
}
