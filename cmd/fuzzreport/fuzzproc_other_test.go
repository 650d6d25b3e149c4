//go:build !unix

package main

// processGroupAlive cannot tell without process groups.
func processGroupAlive(pgid int) bool { return false }
