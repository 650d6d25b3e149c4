// Package fuzzdrive fuzzes every native fuzz target of a Go module, one
// after the other, and reports on them: the fuzz mode of cmd/fuzzreport
// (fuzzreport fuzz ./...).
//
// go test fuzzes one target per run (golang/go#46312). Run lists the fuzz
// targets of the packages matching some patterns (go list, go test -list),
// sorted by package then name, and runs each with
//
//	go test -run='^$' -fuzz='^Name$' -fuzztime=d ./pkg
//
// in its own process group, stopped after Options.Timeout. It judges each
// from go test's exit status and output: Pass, Fail (go wrote a failing
// input), Crash (go test failed without one), Flake (go's coordinator
// failed on its own -fuzztime deadline with no failing input, twice in a
// row: golang/go#75804), Timeout, Interrupted, Error (could not be listed
// or run) or NotRun. A report with only passes and flakes is OK.
//
// The report (Report, one Result per target) renders as text, Markdown or
// JSON. Results of another fuzzing engine, such as libFuzzer, join it with
// Report.Add.
package fuzzdrive
