package cmdline

import "testing"

func TestGo(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"test", "-run=^$", "-fuzz=^FuzzX$", "-fuzztime=10s", "./pkg"}, `go test -run='^$' -fuzz='^FuzzX$' -fuzztime=10s ./pkg`},
		{[]string{"test", "-run=^FuzzX$/^seed#0$", "example.com/m/p"}, `go test -run='^FuzzX$/^seed#0$' example.com/m/p`},
		{[]string{"test", "-run=^FuzzX$/^it's$", "./a b"}, `go test -run='^FuzzX$/^it'\''s$' './a b'`},
		{[]string{"vet", ""}, `go vet ''`},
	}
	for _, tt := range tests {
		if got := Go(tt.args); got != tt.want {
			t.Errorf("Go(%q) = %s, want %s", tt.args, got, tt.want)
		}
	}
	if got := OneLine("a\n  b\tc\n"); got != "a b c" {
		t.Errorf("OneLine = %q", got)
	}
}
