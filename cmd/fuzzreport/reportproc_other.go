//go:build !unix

package main

import "os"

// quitProcess kills p: without SIGQUIT, a hung worker cannot be asked for
// its goroutines.
func quitProcess(p *os.Process) error { return p.Kill() }
