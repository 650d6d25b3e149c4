//go:build unix

package main

import (
	"errors"
	"syscall"
)

// processGroupAlive reports whether a process of group pgid still exists.
func processGroupAlive(pgid int) bool {
	return !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}
