// Package report runs gradcheck's harness and reports on it: the default
// job of cmd/fuzzreport. A run checks every property suite of package
// suites, hunts every mutant of package mutants and sweeps the eps study
// of package bench, each an item, and reports per item its figures and
// verdict, the mutation score and the diagnosis accuracy, with the
// commands that rerun the run and each failing item.
//
// Config.Resolve checks the settings and the output folder before any
// work; Run runs the items; WriteFiles writes report.json, report.md and
// the eps plots; WriteText, WriteMarkdown and WriteJSON print the report,
// whose tables come from one model (package internal/table). Main does
// all of it, as the command does.
//
// Items run in worker processes: copies of the running executable
// started with an environment variable that makes them workers (IsWorker,
// WorkerMain), -parallel at a time, each running one item after another.
// A Go program can neither stop a goroutine that hangs nor survive a
// fatal error (a stack overflow in a recursive gradient, os.Exit, a
// concurrent map write); a process can be killed and replaced, so one
// item's crash or hang is reported in its row and the run goes on. An
// in-process run would lose that for every fatal error; running the items
// as go test subprocesses would need the go command and the source at run
// time and a build per run.
package report
