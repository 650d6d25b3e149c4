// Package testenv holds helpers shared by the tests of gradcheck.
package testenv

import (
	"os"
	"testing"
)

// EnvLong is the environment variable that turns on the long tests.
const EnvLong = "GRADCHECK_LONG"

// Long skips t unless $GRADCHECK_LONG is 1: the test builds and runs the go
// command in subprocesses, or runs an exhaustive check, and takes seconds
// to minutes. Plain go test ./... leaves them out; .ci/run runs them all
// with GRADCHECK_LONG=1 go test -count=1 ./... (the go test cache does not
// track the variable, hence -count=1).
func Long(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvLong) != "1" {
		t.Skipf("long test: run it with %s=1 go test -count=1 -run '^%s$' (or all of them: %s=1 go test -count=1 ./...)", EnvLong, t.Name(), EnvLong)
	}
}
