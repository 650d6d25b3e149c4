package fuzzdrive

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FuzzTime is go test's -fuzztime: how long to fuzz a target, a duration
// (10s) or a number of executions (100x). The zero value is no budget.
type FuzzTime struct {
	Duration time.Duration
	Count    int64
}

// ParseFuzzTime parses -fuzztime as go test does: a positive duration, or
// a positive whole number followed by x.
func ParseFuzzTime(s string) (FuzzTime, error) {
	if n, ok := strings.CutSuffix(s, "x"); ok {
		c, err := strconv.ParseInt(n, 10, 64)
		if err != nil || c <= 0 {
			return FuzzTime{}, fmt.Errorf("%q: want a positive duration (10s) or a positive number of executions (100x)", s)
		}
		return FuzzTime{Count: c}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return FuzzTime{}, fmt.Errorf("%q: want a positive duration (10s) or a positive number of executions (100x)", s)
	}
	return FuzzTime{Duration: d}, nil
}

// IsZero reports whether t sets no budget.
func (t FuzzTime) IsZero() bool { return t.Duration == 0 && t.Count == 0 }

// String is t in go test's form: 10s, 100x.
func (t FuzzTime) String() string {
	if t.Count != 0 {
		return strconv.FormatInt(t.Count, 10) + "x"
	}
	return t.Duration.String()
}

// Set parses s into t, for flag.Var.
func (t *FuzzTime) Set(s string) error {
	v, err := ParseFuzzTime(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}
