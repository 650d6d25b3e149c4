//go:build unix

package proc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// NewGroup makes cmd, before it starts, the leader of a new process group,
// which its children join. The group is also out of the terminal's
// foreground group, so a ^C reaches the caller only, and the caller decides
// what the group gets.
func NewGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// Interrupt sends SIGINT to the process group that p leads.
func Interrupt(p *os.Process) error { return signal(p, syscall.SIGINT) }

// Quit sends SIGQUIT to the process group that p leads: a Go program
// prints the stacks of its goroutines and exits.
func Quit(p *os.Process) error { return signal(p, syscall.SIGQUIT) }

// Kill sends SIGKILL to the process group that p leads.
func Kill(p *os.Process) error { return signal(p, syscall.SIGKILL) }

// Alive reports whether a process of the group pgid still exists (a
// zombie counts until its parent waits for it).
func Alive(pgid int) bool {
	if pgid <= 1 {
		return false
	}
	return !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}

func signal(p *os.Process, sig syscall.Signal) error {
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
