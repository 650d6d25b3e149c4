// Package proc runs a command in a process group of its own, so that it and
// everything it starts (a go command's test binary and fuzz workers, a
// worker's children) can be signalled and stopped together.
//
// On systems without process groups (Windows, Plan 9), NewGroup does
// nothing and the signals reach the command's own process only: its
// children may outlive it.
//
// DeathLine picks, from the output of a process that died, the line that
// says why.
package proc
