package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update rewrites the golden files under testdata instead of comparing.
// One flag for the package's tests: reuse it, do not define another.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenReport has a target of every verdict.
var goldenReport = fuzzReport{
	Dir:            "/src/mod",
	Patterns:       []string{"./..."},
	FuzzTime:       "10s",
	Timeout:        "2m10s",
	Shard:          2,
	Shards:         3,
	Command:        "fuzzreport -fuzztime=10s -shard=2/3 -fuzz=./...",
	ElapsedSeconds: 47.25,
	Interrupted:    true,
	Targets: []fuzzTargetResult{
		{
			Package: "example.com/mod/broken", Verdict: verdictError,
			Note:          "its test binary does not build",
			ReplayCommand: "go test -list='^Fuzz' ./broken",
			OutputTail:    "# example.com/mod/broken [example.com/mod/broken.test]\nbroken/x_test.go:5:33: undefined: undefined\nFAIL\texample.com/mod/broken [build failed]\n",
		},
		{Package: "example.com/mod/hang", Target: "FuzzHangSetup", ElapsedSeconds: 130.02, Verdict: verdictTimeout,
			Note:          "go test ran longer than -timeout 2m10s (build included) and was stopped",
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzHangSetup$' -fuzztime=10s ./hang",
			OutputTail:    "signal: interrupt\nFAIL\texample.com/mod/hang\t130.011s\n",
		},
		{Package: "example.com/mod/reverse", Target: "FuzzReverseTwice", ElapsedSeconds: 10.31, Execs: 912345, NewInteresting: 6, Verdict: verdictPass},
		{Package: "example.com/mod/reverse", Target: "FuzzReverseUTF8", ElapsedSeconds: 0.42, Execs: 159, NewInteresting: 1, Verdict: verdictFail,
			FailingInput:  "reverse/testdata/fuzz/FuzzReverseUTF8/936df24c40878646",
			ReplayCommand: "go test -run='^FuzzReverseUTF8$/^936df24c40878646$' ./reverse",
			OutputTail:    outFail,
		},
		{Package: "example.com/mod/seed", Target: "FuzzExit", ElapsedSeconds: 0.5, Verdict: verdictCrash,
			Note:          "go test failed without a failing input",
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzExit$' -fuzztime=10s ./seed",
			OutputTail:    "exit status 3\nFAIL\texample.com/mod/seed\t0.004s\n",
		},
		{Package: "example.com/mod/seed", Target: "FuzzSeed", ElapsedSeconds: 0.31, Verdict: verdictFail,
			Note:          "an f.Add seed fails",
			ReplayCommand: "go test -run='^FuzzSeed$/^seed#0$' ./seed",
			OutputTail:    outSeedFail,
		},
		{Package: "example.com/mod/zz", Target: "FuzzLong", ElapsedSeconds: 3.5, Execs: 1000, Verdict: verdictInterrupted,
			ReplayCommand: "go test -run='^$' -fuzz='^FuzzLong$' -fuzztime=10s ./zz",
			OutputTail:    "fuzz: elapsed: 3s, execs: 1000 (333/sec), new interesting: 0 (total: 4)\nPASS\nok  \texample.com/mod/zz\t3.4s\n",
		},
		{Package: "example.com/mod/zz", Target: "FuzzNext", Verdict: verdictNotRun},
	},
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		file  string
		write func(*bytes.Buffer, fuzzReport) error
	}{
		{"fuzz.txt", func(b *bytes.Buffer, r fuzzReport) error { return writeFuzzText(b, r) }},
		{"fuzz.md", func(b *bytes.Buffer, r fuzzReport) error { return writeFuzzMarkdown(b, r) }},
		{"fuzz.json", func(b *bytes.Buffer, r fuzzReport) error { return writeFuzzJSON(b, r) }},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := tt.write(&got, goldenReport); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "fixture-golden", tt.file)
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
