//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// setProcessGroup makes cmd the leader of a new process group, which its
// children (the test binary, the fuzz workers) join. The group is also out
// of the terminal's foreground group, so a ^C reaches fuzzreport only, and
// fuzzreport decides what the go command gets.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// interruptGroup sends SIGINT to p's process group.
func interruptGroup(p *os.Process) error { return signalGroup(p, syscall.SIGINT) }

// killGroup sends SIGKILL to p's process group.
func killGroup(p *os.Process) error { return signalGroup(p, syscall.SIGKILL) }

func signalGroup(p *os.Process, sig syscall.Signal) error {
	// kill(-1) and kill(-0) would reach far more than the group.
	if p == nil || p.Pid <= 1 {
		return os.ErrProcessDone
	}
	err := syscall.Kill(-p.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}
