package report

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrashAndHang: an item that panics, exits, overflows its stack or
// hangs is reported, and the run goes on with the others.
func TestCrashAndHang(t *testing.T) {
	code, stdout, stderr := runWith(t, "test-crash", "-checks", "5", "-json", "-out", "")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	rep := decodeReport(t, stdout)
	want := []struct {
		property, verdict string
		note, output      string // in the note and in the output tail
	}{
		{"gradient", verdictPass, "", ""},
		{"panic", verdictCrash, "it panicked: boom", "report_test.go"},
		{"exit", verdictCrash, "died (exit status 3)", "about to exit"},
		{"stack-overflow", verdictCrash, "died (exit status 2)", "stack overflow"},
		{"hang", verdictTimeout, "ran longer than -timeout 2s", "hangForever"},
		{"gradient", verdictPass, "", ""},
	}
	if len(rep.Properties) != len(want) {
		t.Fatalf("%d property rows, want %d", len(rep.Properties), len(want))
	}
	for i, w := range want {
		p := rep.Properties[i]
		if p.Property != w.property || p.Verdict != w.verdict || !strings.Contains(p.Note, w.note) || !strings.Contains(p.OutputTail, w.output) {
			t.Errorf("row %d: %s %s, note %q, output\n%s\nwant %s %s, a note with %q and output with %q", i, p.Property, p.Verdict, p.Note, p.OutputTail, w.property, w.verdict, w.note, w.output)
		}
		if w.verdict != verdictPass && !strings.Contains(p.ReplayCommand, "-run '^suites/Test/"+w.property+"$'") {
			t.Errorf("row %d: replay command %q", i, p.ReplayCommand)
		}
	}
	if len(rep.EpsStudy.Functions) != 1 || rep.EpsStudy.Functions[0].Verdict != verdictDone {
		t.Errorf("the eps study after the crashes: %+v", rep.EpsStudy.Functions)
	}
	if !strings.Contains(stderr, "TIMEOUT suites/Test/hang") || !strings.Contains(stderr, "CRASH suites/Test/exit") {
		t.Errorf("progress does not name the crash and the hang:\n%s", stderr)
	}
}

// TestInterrupt: cancelled while an item runs, the command stops it,
// reports what it has (the item interrupted, the rest not run), writes
// the files and exits 1.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	testHookItemStarted = func(id string) {
		if id == "suites/Test/sleep" {
			cancel()
		}
	}
	t.Cleanup(func() { testHookItemStarted = nil })
	old := activeHarness
	activeHarness = "test-interrupt"
	t.Cleanup(func() { activeHarness = old })

	out := t.TempDir()
	var stdout, stderr strings.Builder
	code := Main(ctx, Config{Seed: 1, Checks: 5, Parallel: 1, OutDir: out}, Text, &stdout, &stderr)
	t.Logf("stderr:\n%s", stderr.String())
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	text := stdout.String()
	for _, w := range []string{
		"SumSquares  gradient  5      PASS",
		"Test        sleep     -      INTERRUPTED",
		"MSE         gradient  -      NOT RUN",
		"mutation score 0/1 detected; diagnosis 0/0 right; 1 not run",
		"1 function not run.",
		"FAIL: interrupted (1 item stopped, 3 not run).",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("no %q in the report:\n%s", w, text)
		}
	}
	js, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if rep := decodeReport(t, string(js)); !rep.Interrupted || rep.Passed {
		t.Errorf("report.json: interrupted %v, passed %v; want true, false", rep.Interrupted, rep.Passed)
	}
	if !strings.Contains(stderr.String(), "[2/3] mutants: 1 not run (interrupted)") {
		t.Errorf("progress does not say that the mutants did not run")
	}
}

func TestLastBytes(t *testing.T) {
	b := &lastBytes{max: 8}
	b.Write([]byte("ab"))
	b.Write([]byte("cdefgh"))
	b.Write([]byte("ab"))
	n := b.offset()
	if n != 10 {
		t.Errorf("offset() = %d, want 10", n)
	}
	b.Write([]byte("ijklmn"))
	if got := b.String(); got != "abijklmn" {
		t.Errorf("String() = %q, want the last 8 bytes", got)
	}
	if got := b.since(n); got != "ijklmn" {
		t.Errorf("since(%d) = %q, want what came after", n, got)
	}
	b.Write([]byte("opqrst"))
	if got := b.since(n); got != "mnopqrst" {
		t.Errorf("since(%d) = %q after a drop, want all that is kept", n, got)
	}
}

func TestItemStack(t *testing.T) {
	dump := "SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\ngoroutine 5 [running]:\nfoo()\n\ngoroutine 1 [sleep]:\ntime.Sleep(0x1)\nmain.hang()\n\tx.go:3\n\ngoroutine 7 [chan receive]:\nbar()\n"
	if got, want := itemStack(dump), "goroutine 1 [sleep]:\ntime.Sleep(0x1)\nmain.hang()\n\tx.go:3"; got != want {
		t.Errorf("itemStack = %q, want %q", got, want)
	}
	if got := itemStack("killed\n"); got != "killed" {
		t.Errorf("itemStack without a dump = %q, want the output", got)
	}
}
