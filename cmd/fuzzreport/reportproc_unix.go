//go:build unix

package main

import (
	"os"
	"syscall"
)

// quitProcess sends SIGQUIT to p's process group: a Go worker prints the
// stacks of its goroutines and exits.
func quitProcess(p *os.Process) error { return signalGroup(p, syscall.SIGQUIT) }
