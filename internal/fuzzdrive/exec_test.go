package fuzzdrive

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Outputs of go test -fuzz (go1.26, linux/amd64), as recorded from the
// fixture and from the variants in the test names.
const (
	outPass = `fuzz: elapsed: 0s, gathering baseline coverage: 0/4 completed
fuzz: elapsed: 0s, gathering baseline coverage: 4/4 completed, now fuzzing with 2 workers
fuzz: elapsed: 3s, execs: 266629 (88779/sec), new interesting: 6 (total: 10)
fuzz: elapsed: 4s, execs: 371168 (97818/sec), new interesting: 7 (total: 11)
PASS
ok  	example.com/fixture/reverse	4.077s
`
	outFail = `fuzz: elapsed: 0s, gathering baseline coverage: 0/15 completed
fuzz: elapsed: 0s, gathering baseline coverage: 15/15 completed, now fuzzing with 2 workers
fuzz: elapsed: 0s, execs: 159 (4076/sec), new interesting: 1 (total: 16)
--- FAIL: FuzzReverseUTF8 (0.04s)
    --- FAIL: FuzzReverseUTF8 (0.00s)
        reverse_test.go:31: Reverse("֕") = "\x95\xd6", not valid UTF-8
    
    Failing input written to testdata/fuzz/FuzzReverseUTF8/936df24c40878646
    To re-run:
    go test -run=FuzzReverseUTF8/936df24c40878646
FAIL
exit status 1
FAIL	example.com/fixture/reverse	0.045s
`
	outSeedFail = `fuzz: elapsed: 0s, gathering baseline coverage: 0/1 completed
failure while testing seed corpus entry: FuzzSeed/seed#0
fuzz: elapsed: 0s, gathering baseline coverage: 0/1 completed
--- FAIL: FuzzSeed (0.01s)
    --- FAIL: FuzzSeed (0.00s)
        seed_test.go:9: three
    
FAIL
exit status 1
FAIL	example.com/fixture/seed	0.013s
`
	outWorkerExit = `fuzz: elapsed: 0s, gathering baseline coverage: 0/1 completed
fuzz: elapsed: 0s, gathering baseline coverage: 1/1 completed, now fuzzing with 2 workers
fuzz: elapsed: 0s, execs: 2 (125/sec), new interesting: 0 (total: 1)
--- FAIL: FuzzExit (0.02s)
    fuzzing process hung or terminated unexpectedly: exit status 3
    Failing input written to testdata/fuzz/FuzzExit/d1509689840eedac
    To re-run:
    go test -run=FuzzExit/d1509689840eedac
FAIL
exit status 1
FAIL	example.com/fixture/seed	0.021s
`
	outHangInput = `fuzz: elapsed: 0s, gathering baseline coverage: 0/1 completed
fuzz: elapsed: 3s, gathering baseline coverage: 0/1 completed
fuzz: elapsed: 3s, gathering baseline coverage: 0/1 completed
PASS
ok  	example.com/fixture/hang	3.007s
`
	outBuildFail = `# example.com/fixture/seed [example.com/fixture/seed.test]
seed/bad.go:1:26: undefined: undefined
FAIL	example.com/fixture/seed [build failed]
`
	outNoTarget = `testing: warning: no fuzz tests to fuzz
PASS
ok  	example.com/fixture/seed	0.004s
`
	// go's coordinator race at the end of -fuzztime (golang/go#75804), as
	// seen on this repository's CI and elsewhere: no failing
	// input is written.
	outDeadline = `fuzz: elapsed: 9s, execs: 40304 (13431/sec), new interesting: 104 (total: 108)
fuzz: elapsed: 10s, execs: 40304 (0/sec), new interesting: 104 (total: 108)
--- FAIL: FuzzTaylor (10.02s)
    context deadline exceeded
FAIL
exit status 1
FAIL	github.com/gradcheck/gradcheck/suites	12.202s
`
	// A target whose own code fails with a context error: the message
	// carries its file and line, and is a crash, not a flake.
	outOwnDeadline = `--- FAIL: FuzzDial (0.00s)
    dial_test.go:12: context deadline exceeded
FAIL
exit status 1
FAIL	example.com/m/dial	0.010s
`
	// Without coverage instrumentation (GOARCH other than amd64, arm64).
	outNoCoverage = `fuzz: elapsed: 0s, testing seed corpus: 0/4 completed
fuzz: elapsed: 0s, testing seed corpus: 4/4 completed, now fuzzing with 4 workers
fuzz: elapsed: 3s, execs: 5000 (1666/sec)
PASS
`
)

func TestFuzzOutputVerdict(t *testing.T) {
	opts := Options{FuzzTime: FuzzTime{Duration: time.Second}, Timeout: 5 * time.Second}
	tests := []struct {
		name        string
		out         string
		res         goResult
		verdict     string
		execs, news int64
		failing     string // failingName
		crashPath   string
	}{
		{"pass", outPass, goResult{}, Pass, 371168, 7, "", ""},
		{"fail", outFail, goResult{exitCode: 1}, Fail, 159, 1, "936df24c40878646", "testdata/fuzz/FuzzReverseUTF8/936df24c40878646"},
		{"seed fails", outSeedFail, goResult{exitCode: 1}, Fail, 0, 0, "seed#0", ""},
		{"worker exits", outWorkerExit, goResult{exitCode: 1}, Fail, 2, 0, "d1509689840eedac", "testdata/fuzz/FuzzExit/d1509689840eedac"},
		{"fail then interrupt", outFail, goResult{exitCode: -1, interrupted: true}, Fail, 159, 1, "936df24c40878646", "testdata/fuzz/FuzzReverseUTF8/936df24c40878646"},
		{"hang on every input", outHangInput, goResult{}, Timeout, 0, 0, "", ""},
		{"hang stopped by timeout", "", goResult{exitCode: 1, timedOut: true}, Timeout, 0, 0, "", ""},
		{"interrupted", outPass, goResult{interrupted: true}, Interrupted, 371168, 7, "", ""},
		{"build fails", outBuildFail, goResult{exitCode: 1}, Crash, 0, 0, "", ""},
		{"killed", "", goResult{exitCode: -1}, Crash, 0, 0, "", ""},
		{"no such target", outNoTarget, goResult{}, Error, 0, 0, "", ""},
		{"go missing", "", goResult{exitCode: -1, startErr: fmt.Errorf(`exec: "go": executable file not found in $PATH`)}, Error, 0, 0, "", ""},
		{"no coverage", outNoCoverage, goResult{}, Pass, 5000, 0, "", ""},
		{"coordinator deadline", outDeadline, goResult{exitCode: 1}, Flake, 40304, 104, "", ""},
		{"coordinator deadline, killed", outDeadline, goResult{exitCode: -1}, Crash, 40304, 104, "", ""},
		{"coordinator deadline after our timeout", outDeadline, goResult{exitCode: 1, timedOut: true}, Timeout, 40304, 104, "", ""},
		{"the target's own deadline", outOwnDeadline, goResult{exitCode: 1}, Crash, 0, 0, "", ""},
		{"deadline with a failing input", strings.Replace(outWorkerExit, "fuzzing process hung", "context deadline exceeded\n    fuzzing process hung", 1), goResult{exitCode: 1}, Fail, 2, 0, "d1509689840eedac", "testdata/fuzz/FuzzExit/d1509689840eedac"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := newFuzzOutput()
			// Write in small uneven pieces, as a pipe may deliver them.
			for s := tt.out; len(s) > 0; {
				n := min(len(s), 7)
				o.Write([]byte(s[:n]))
				s = s[n:]
			}
			o.flush()
			verdict, note := o.verdict(tt.res, opts)
			if verdict != tt.verdict || o.execs != tt.execs || o.newInteresting != tt.news || o.failingName() != tt.failing || o.crashPath != tt.crashPath {
				t.Errorf("verdict %q, execs %d, new %d, failing %q, crash path %q; want %q, %d, %d, %q, %q",
					verdict, o.execs, o.newInteresting, o.failingName(), o.crashPath, tt.verdict, tt.execs, tt.news, tt.failing, tt.crashPath)
			}
			if verdict != Pass && verdict != Interrupted && verdict != Fail && note == "" {
				t.Errorf("verdict %q without a note", verdict)
			}
			if got := o.String(); got != tt.out {
				t.Errorf("tail = %q, want the whole (short) output %q", got, tt.out)
			}
		})
	}
}

// TestTailBounded checks that the output kept is bounded in lines and line
// length whatever is written, and that parsing survives it.
func TestTailBounded(t *testing.T) {
	o := newFuzzOutput()
	long := strings.Repeat("x", 10*maxLineBytes)
	for i := range 1000 {
		fmt.Fprintf(o, "line %d %s\n", i, long)
	}
	o.Write([]byte(outPass))
	o.Write([]byte("no newline at the end"))
	o.flush()
	lines := strings.Split(strings.TrimSuffix(o.String(), "\n"), "\n")
	if len(lines) != tailLines {
		t.Errorf("kept %d lines, want %d", len(lines), tailLines)
	}
	for _, l := range lines {
		if len(l) > maxLineBytes+len(" …") {
			t.Errorf("kept a line of %d bytes, want ≤ %d", len(l), maxLineBytes)
		}
	}
	if lines[len(lines)-1] != "no newline at the end" {
		t.Errorf("last line = %q, want the unterminated one", lines[len(lines)-1])
	}
	if !strings.HasSuffix(lines[0], " …") {
		t.Errorf("first line %.20q… does not mark its cut", lines[0])
	}
	if o.execs != 371168 {
		t.Errorf("execs = %d after a flood of output, want 371168", o.execs)
	}
}
