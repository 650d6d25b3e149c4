//go:build !unix

package proc

import (
	"os"
	"os/exec"
)

// NewGroup does nothing: without process groups, only the command's own
// process can be stopped.
func NewGroup(cmd *exec.Cmd) {}

// Interrupt kills p: without process groups there is no signal to send to
// them, and os.Interrupt is not implemented for other processes on Windows.
func Interrupt(p *os.Process) error { return kill(p) }

// Quit kills p: without SIGQUIT, a Go program cannot be asked for its
// goroutines.
func Quit(p *os.Process) error { return kill(p) }

// Kill kills p.
func Kill(p *os.Process) error { return kill(p) }

// Alive cannot tell without process groups: it reports false.
func Alive(pgid int) bool { return false }

func kill(p *os.Process) error {
	if p == nil {
		return os.ErrProcessDone
	}
	return p.Kill()
}
