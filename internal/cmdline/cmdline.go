// Package cmdline formats the command lines that fuzzreport prints for the
// user to run: rerun and replay commands, quoted for a POSIX shell.
package cmdline

import "strings"

// Quote quotes s for a POSIX shell, leaving words made only of common safe
// characters bare.
func Quote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:@%+,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Go formats the go command with args as a shell command, quoting the
// value of each -flag=value and every other word that needs it.
func Go(args []string) string {
	q := []string{"go"}
	for _, a := range args {
		if f, v, ok := strings.Cut(a, "="); ok && strings.HasPrefix(f, "-") {
			q = append(q, f+"="+Quote(v))
			continue
		}
		q = append(q, Quote(a))
	}
	return strings.Join(q, " ")
}

// OneLine folds a possibly multi-line message onto one line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
