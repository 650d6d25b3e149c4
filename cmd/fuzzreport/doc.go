// Command fuzzreport runs gradcheck's harness and reports on it: with no
// subcommand, every property suite on every built-in loss and map, the
// corpus of gradient bugs (mutants) and the eps study; with fuzz, the fuzz
// targets of any Go module, one after the other.
//
// Usage:
//
//	fuzzreport [-out dir] [-seed n] [-checks n] [-run regexp] [-parallel n] [-timeout d] [-json | -md]
//	fuzzreport fuzz [-C dir] [-fuzztime d|Nx] [-shard i/n] [-timeout d] [-libfuzzer dir] [-json | -md] [patterns...]
//
// The command only parses flags: the harness report is package
// internal/report, the fuzz driver package internal/fuzzdrive.
//
// # The harness report
//
// go run ./cmd/fuzzreport runs, in three stages, every suite of package
// suites (suites.Run), every mutant of package mutants (mutants.Hunt) and
// the eps study of package bench (bench.Study on bench.StudyFuncs), then
// prints a report: per suite its cases, verdict, worst relative error and
// worst error/tolerance ratio; per mutant its class, wanted and reported
// diagnosis and the cases drawn until it was detected, then the mutation
// score, every survivor and every wrong diagnosis; per method of the eps
// study the optimal eps and the best error beside theory; and the seed
// with the command that reruns the run. A failure comes with the command
// that reruns that item alone. Both commands are printed as they run from
// the current folder: go run ../cmd/fuzzreport in suites/, go -C <dir> run
// ./cmd/fuzzreport after go -C <dir>, or the installed binary's name.
//
// Each suite and mutant checks -checks cases drawn by rapid from -seed,
// which also fixes the data of the eps study's losses: the same seed and
// cases give the same report on the same platform, whatever -parallel —
// except, for a mutant checked with Workers > 1 (a function not safe for
// concurrent use), the message and the case rapid shrinks to: which calls
// overlap is the scheduler's choice. The default seed is 1; -seed 0 picks
// one at random and prints it.
//
// Items (a suite, a mutant, the eps study of one function) run in worker
// processes, -parallel at a time: an item that panics or crashes its
// process is reported as crash, one that runs longer than -timeout as
// timeout, with the stack of its goroutine, and the run goes on with the
// others.
//
// Flags:
//
//	-out dir      write report.json, report.md and the eps plots (eps-<function>.svg
//	              and .png) to dir, relative to the current folder, created if
//	              needed (default fuzzreport-out); -out '' writes no files. A dir
//	              that is a file or cannot be written is a usage error, before
//	              anything runs
//	-seed n       rapid's seed and the eps study's (default 1; 0 picks one at random)
//	-checks n     cases per property suite and per mutant, at least 1 (default 100)
//	-run regexp   run only the items whose id matches: suites/MSE/gradient,
//	              mutants/mse/missing-2, eps/exp
//	-parallel n   items at a time (default GOMAXPROCS)
//	-timeout d    stop an item that runs longer than d (default 1m + 50ms per case)
//	-json, -md    print report.json or report.md instead of the text report
//
// The text report ends with the files written; a file that could not be
// written is not listed, and the error is. report.json's fields are
// documented on the types of internal/report and, field by field, in the
// README.
//
// # fuzzreport fuzz
//
// go test fuzzes one target per run (golang/go#46312). fuzzreport fuzz
// lists the fuzz targets of the packages matching the patterns (go list,
// go test -list), sorted by package then name, and runs each in turn with
//
//	go test -run='^$' -fuzz='^Name$' -fuzztime=d ./pkg
//
// in dir. It reports per target the time, executions, new interesting
// inputs and a verdict: pass, fail (go wrote a failing input), crash (go
// test failed without one, as when the package does not build), flake (go's
// fuzz coordinator failed with "context deadline exceeded" at the end of
// -fuzztime and wrote no failing input, twice in a row: a race in the go
// command, golang/go#75804, fixed in go1.27; the target is run once more
// after the first), timeout (stopped by -timeout, or the fuzz function
// never returned), interrupted, error (could not be listed or run), or not
// run. For each failure it gives the input's file under the package's
// testdata/fuzz and the command that replays it, both relative to dir,
// and it ends with the command that reruns the whole run. It works on any
// module: see the README for running it on yours.
//
// Flags:
//
//	-fuzztime d   fuzz each target for d, a duration (default 10s) or a number of
//	              executions (100x), as go test takes it
//	-shard i/n    run every n-th target starting at the i-th (1 ≤ i ≤ n), to split
//	              the targets between the jobs of a CI matrix (default 1/1)
//	-timeout d    stop a target whose go test runs longer than d, build included
//	              (default fuzztime + 2m; 12m for a number of executions)
//	-C dir, -dir  run the go commands in dir (default .)
//	-libfuzzer dir
//	              add the targets of the libFuzzer run in dir (.ci/libfuzzer -o dir:
//	              its summary.tsv and logs, package internal/libfuzz) to the report,
//	              as rows of engine libfuzzer with their failing input written for go
//	              test and its replay command; with no patterns, report only those
//	-json, -md    print the report as JSON or Markdown instead of a table
//
// The JSON report has, per target: engine (omitted for go test), package,
// target, elapsed_seconds, execs, new_interesting, verdict, failing_input,
// replay_command, note and output_tail.
//
// The old spelling, fuzzreport -fuzz patterns [flags], still works and
// says that it is deprecated.
//
// # Both
//
// Progress goes to stderr, the report to stdout. On SIGINT or SIGTERM, the
// running items or target are stopped and the report of what ran so far is
// printed, with the rest marked not run.
//
// Exit codes: 0 if every suite passed, every mutant was detected and every
// item finished (a wrong diagnosis is reported but does not fail the run),
// or, for fuzz, every target passed or flaked; 1 if not, or the run was
// interrupted, or the files could not be written; 2 for a usage error (an
// unknown flag, a bad value, a malformed -shard, an -out that cannot be
// written, a pattern that matches no package or no item), reported on one
// line of stderr. go run reports every non-zero exit code of the program as
// its own exit status 1 (printing "exit status 2"): scripts that tell 1
// from 2 run the installed binary (go install ./cmd/fuzzreport, then
// fuzzreport …) or go build -o.
package main
