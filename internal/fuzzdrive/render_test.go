package fuzzdrive

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files under testdata instead of comparing.
// One flag for the package's tests: reuse it, do not define another.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenReport has a target of every verdict.
var goldenReport = Report{
	Dir:            "/src/mod",
	Patterns:       []string{"./..."},
	FuzzTime:       "10s",
	Timeout:        "2m10s",
	Shard:          2,
	Shards:         3,
	Command:        "fuzzreport fuzz -fuzztime=10s -shard=2/3 ./...",
	ElapsedSeconds: 47.25,
	Interrupted:    true,
	Targets: []Result{
		{
			Package: "example.com/mod/broken", Verdict: Error,
			Note:          "its test binary does not build",
			ReplayCommand: "go test -list='^Fuzz' ./broken",
			OutputTail:    "# example.com/mod/broken [example.com/mod/broken.test]\nbroken/x_test.go:5:33: undefined: undefined\nFAIL\texample.com/mod/broken [build failed]\n",
		},
		{Package: "example.com/mod/hang", Target: "FuzzHangSetup", ElapsedSeconds: 130.02, Verdict: Timeout,
			Note:          "go test ran longer than -timeout 2m10s (build included) and was stopped",
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzHangSetup$' -fuzztime=10s ./hang",
			OutputTail:    "signal: interrupt\nFAIL\texample.com/mod/hang\t130.011s\n",
		},
		{Package: "example.com/mod/reverse", Target: "FuzzReverseTwice", ElapsedSeconds: 10.31, Execs: 912345, NewInteresting: 6, Verdict: Pass},
		{Package: "example.com/mod/reverse", Target: "FuzzReverseUTF8", ElapsedSeconds: 0.42, Execs: 159, NewInteresting: 1, Verdict: Fail,
			FailingInput:  "reverse/testdata/fuzz/FuzzReverseUTF8/936df24c40878646",
			ReplayCommand: "go test -run='^FuzzReverseUTF8$/^936df24c40878646$' ./reverse",
			OutputTail:    outFail,
		},
		{Package: "example.com/mod/seed", Target: "FuzzExit", ElapsedSeconds: 0.5, Verdict: Crash,
			Note:          "go test failed without a failing input",
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzExit$' -fuzztime=10s ./seed",
			OutputTail:    "exit status 3\nFAIL\texample.com/mod/seed\t0.004s\n",
		},
		{Package: "example.com/mod/seed", Target: "FuzzFlaky", ElapsedSeconds: 24.5, Execs: 40304, NewInteresting: 104, Verdict: Flake,
			Note:          "twice in a row, go test failed with go's fuzz coordinator error \"context deadline exceeded\" at the end of -fuzztime and wrote no failing input: a failure of the go command, not of the code",
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzFlaky$' -fuzztime=10s ./seed",
			OutputTail:    outDeadline,
		},
		{Package: "example.com/mod/seed", Target: "FuzzSeed", ElapsedSeconds: 0.31, Verdict: Fail,
			Note:          "an f.Add seed fails",
			ReplayCommand: "go test -run='^FuzzSeed$/^seed#0$' ./seed",
			OutputTail:    outSeedFail,
		},
		{Package: "example.com/mod/zz", Target: "FuzzLong", ElapsedSeconds: 3.5, Execs: 1000, Verdict: Interrupted,
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzLong$' -fuzztime=10s ./zz",
			OutputTail:    "fuzz: elapsed: 3s, execs: 1000 (333/sec), new interesting: 0 (total: 4)\nPASS\nok  \texample.com/mod/zz\t3.4s\n",
		},
		{Package: "example.com/mod/zz", Target: "FuzzNext", Verdict: NotRun},
	},
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		file  string
		write func(*bytes.Buffer, Report) error
	}{
		{"fuzz.txt", func(b *bytes.Buffer, r Report) error { return WriteText(b, r) }},
		{"fuzz.md", func(b *bytes.Buffer, r Report) error { return WriteMarkdown(b, r) }},
		{"fuzz.json", func(b *bytes.Buffer, r Report) error { return WriteJSON(b, r) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.write(&got, goldenReport); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", tt.file)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", tt.file, path, got.String())
			}
		})
	}
}

// TestAddEngine adds the results of another engine to a report, as a
// libFuzzer log parser would: they join the table with an engine column,
// and a crash among them fails the report.
func TestAddEngine(t *testing.T) {
	rep := Report{FuzzTime: "10s", Shard: 1, Shards: 1, Command: "fuzzreport fuzz ./...", Targets: []Result{
		{Package: "example.com/m", Target: "FuzzA", ElapsedSeconds: 10, Execs: 5, Verdict: Pass},
	}}
	if err := rep.Add(Result{Package: "example.com/m", Target: "FuzzA", Verdict: Pass}); err == nil {
		t.Errorf("Add of a result without an engine: no error")
	}
	if err := rep.Add(Result{Engine: "libfuzzer", Target: "FuzzA", Verdict: "crashed"}); err == nil {
		t.Errorf("Add of a result with an unknown verdict: no error")
	}
	if len(rep.Targets) != 1 || !rep.OK() {
		t.Fatalf("a rejected Add changed the report: %+v", rep.Targets)
	}
	err := rep.Add(
		Result{Engine: "libfuzzer", Package: "example.com/m", Target: "FuzzA", ElapsedSeconds: 60, Execs: 1200000, NewInteresting: 31, Verdict: Pass},
		Result{Engine: "libfuzzer", Package: "example.com/m", Target: "FuzzB", ElapsedSeconds: 2, Execs: 4000, Verdict: Fail,
			FailingInput: "out/crash-da39a3ee", ReplayCommand: "./fuzz_b out/crash-da39a3ee"},
	)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Errorf("a libFuzzer crash does not fail the report")
	}
	var text bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ENGINE     PACKAGE        TARGET  TIME   EXECS    NEW  VERDICT\n",
		"go         example.com/m  FuzzA   10.0s  5        0    pass\n",
		"libfuzzer  example.com/m  FuzzB   2.0s   4000     0    fail\n",
		"    input:  out/crash-da39a3ee\n",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("no %q in the text report:\n%s", want, text.String())
		}
	}
}

// TestSummaryCounts checks the summary line's nouns: one target is "1 fuzz
// target", any other count is plural.
func TestSummaryCounts(t *testing.T) {
	for _, c := range []struct {
		targets []Result
		want    string
	}{
		{nil, "0 fuzz targets (shard 1/1, -fuzztime 10s) in 1.0s"},
		{[]Result{{Verdict: Pass}}, "1 fuzz target (shard 1/1, -fuzztime 10s) in 1.0s: 1 pass"},
		{[]Result{{Verdict: Pass}, {Verdict: Fail}}, "2 fuzz targets (shard 1/1, -fuzztime 10s) in 1.0s: 1 pass, 1 fail"},
	} {
		rep := Report{FuzzTime: "10s", Shard: 1, Shards: 1, ElapsedSeconds: 1, Targets: c.targets}
		if got := summary(rep); got != c.want {
			t.Errorf("summary of %d targets = %q, want %q", len(c.targets), got, c.want)
		}
	}
}
