package proc

import "strings"

// DeathLine returns the line of a dead process's output that says why it
// died: the first "fatal error: …", "panic: …" or "runtime: goroutine stack
// exceeds …" line, or else the last non-blank line.
func DeathLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "runtime: goroutine stack exceeds") {
			return l
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}
