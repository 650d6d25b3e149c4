//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// Without process groups, only the go command itself can be stopped; its
// children may outlive it.

func setProcessGroup(cmd *exec.Cmd) {}

func interruptGroup(p *os.Process) error { return p.Kill() }

func killGroup(p *os.Process) error { return p.Kill() }
