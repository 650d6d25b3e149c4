package lab

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Grade grades the tasks and returns a Result per task, in the lab's order
// (only those in s.Only, if set). Each task is graded on its own goroutine
// within s.Timeout; a task still running then is reported as timed out and
// abandoned (its goroutine cannot be stopped), and grading goes on.
//
// Grade panics, with a "lab: " message, if s.Only names no task or a task
// outside 1 to NumTasks, or s.Timeout is negative.
func Grade(t Tasks, s *Settings) []Result {
	return gradeAll(t, resolve(s))
}

func gradeAll(t Tasks, c config) []Result {
	var out []Result
	for _, tk := range allTasks {
		if c.wants(tk.index) {
			out = append(out, gradeTask(t, tk, c))
		}
	}
	return out
}

// config is a resolved Settings.
type config struct {
	seed    uint64
	timeout time.Duration
	only    []int
	capture bool // record each task's standard output in Result.Output
}

func (c config) wants(i int) bool { return len(c.only) == 0 || slices.Contains(c.only, i) }

// resolve validates s and fills in defaults.
func resolve(s *Settings) config {
	c := config{seed: DefaultSeed, timeout: DefaultTimeout}
	if s == nil {
		return c
	}
	if s.Timeout < 0 {
		panic(fmt.Sprintf("lab: Grade: Timeout = %v (want ≥ 0; 0 means %v)", s.Timeout, DefaultTimeout))
	}
	for _, i := range s.Only {
		if i < 1 || i > NumTasks {
			panic(fmt.Sprintf("lab: Grade: Only lists task %d (want 1 to %d)", i, NumTasks))
		}
	}
	if s.Seed != 0 {
		c.seed = s.Seed
	}
	if s.Timeout != 0 {
		c.timeout = s.Timeout
	}
	c.only = s.Only
	return c
}

// A task is one task of the lab: how to draw its cases and grade one.
type task struct {
	index  int
	num    string
	title  string
	funcs  []string
	region string // what the extreme cases have, for hints: "|z| > 16"

	cases    func(r *rand.Rand) []*gcase     // drawn from the seed
	check    func(t Tasks, c *gcase) verdict // grades one case
	describe func(c *gcase) string           // the case's data, for reports
}

var allTasks = []*task{taskGradient, taskMSE, taskBCE, taskHessian, taskJacobian}

// A verdict is the outcome of one case.
type verdict struct {
	ok      bool
	notImpl string // the function that is not implemented yet, if any
	diag    string // the checker's message (or the grader's, for a value)
	hint    string // in the learner's terms
	rank    int    // how specific the hint is: 3 names the bug, 1 only the symptom
	worst   string // the learner's value against the expected one
}

// Ranks of hints.
const (
	rankSymptom  = 1 // "differs from the numerical one"
	rankPattern  = 2 // a pattern with more than one explanation
	rankSpecific = 3 // names the bug: a factor, a sign, a known wrong answer
)

func gradeTask(t Tasks, tk *task, c config) (r Result) {
	start := time.Now()
	r = Result{Task: tk.num, Index: tk.index, Title: tk.title, Funcs: tk.funcs, Seed: c.seed}
	defer func() { r.Elapsed = time.Since(start) }()
	if name := t.firstNil(tk.funcs); name != "" {
		r.NotImplemented = true
		r.Hint = name + " is not implemented yet (nil)"
		return r
	}
	if c.capture {
		if stop := captureStdout(); stop != nil {
			defer func() { r.Output = stop() }()
		}
	}
	var current atomic.Pointer[gcase]
	var tried atomic.Int64
	done := make(chan Result, 1)
	go func() { done <- tk.grade(t, c.seed, &current, &tried) }()
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	select {
	case r = <-done:
		return r
	case <-timer.C:
	}
	r.TimedOut = true
	r.Cases = int(tried.Load())
	r.Failed = 1
	r.Hint = fmt.Sprintf("did not finish within %v: does a loop never end (an index that never advances, a condition that never turns false)? Or is it very slow?", c.timeout)
	if cs := current.Load(); cs != nil {
		r.Case = "the case it was working on:\n" + tk.describe(cs)
	}
	r.Diagnosis = fmt.Sprintf("timeout: %s did not return within %v", strings.Join(tk.funcs, " or "), c.timeout)
	return r
}

// grade runs the task's cases, smallest first, and makes the Result: the
// most specific hint any failing case gave (the one most cases agree on),
// with the smallest case that gave it and the checker's line there.
func (tk *task) grade(t Tasks, seed uint64, current *atomic.Pointer[gcase], tried *atomic.Int64) Result {
	r := Result{Task: tk.num, Index: tk.index, Title: tk.title, Funcs: tk.funcs, Seed: seed}
	// One stream per task, so that a task's cases do not depend on which
	// other tasks are graded.
	rng := rand.New(rand.NewPCG(seed, uint64(tk.index)))
	cases := tk.cases(rng)
	slices.SortStableFunc(cases, func(a, b *gcase) int { return a.size - b.size })
	// The hint most failing cases agree on, among the most specific: a
	// single case can match a wrong answer by coincidence (at n = 1 many
	// formulas agree), a bug shows the same way in most cases.
	// Each hint keeps the smallest case that gave it: the case shown
	// and the checker's line are those of the hint chosen, so that the
	// three describe the same case.
	votes := map[string]int{}
	var hints []verdict
	var hintCase []*gcase
	moderateFailed := false
	for _, cs := range cases {
		current.Store(cs)
		v := tk.check(t, cs)
		tried.Add(1)
		r.Cases++
		if v.notImpl != "" {
			r.NotImplemented = true
			r.Failed = r.Cases
			r.Hint = v.notImpl + " is not implemented yet: replace its panic(\"not implemented yet\") with your code"
			return r
		}
		if v.ok {
			continue
		}
		r.Failed++
		if !cs.extreme {
			moderateFailed = true
		}
		k := hintKey(v.hint)
		if votes[k] == 0 {
			hints = append(hints, v)
			hintCase = append(hintCase, cs)
		}
		votes[k]++
	}
	if len(hints) == 0 {
		r.Solved = true
		return r
	}
	best, bestCase := hints[0], hintCase[0]
	for i, v := range hints[1:] {
		if v.rank > best.rank || v.rank == best.rank && votes[hintKey(v.hint)] > votes[hintKey(best.hint)] {
			best, bestCase = v, hintCase[i+1]
		}
	}
	r.Hint = best.hint
	if !moderateFailed && tk.region != "" && !strings.Contains(r.Hint, "wrong only") {
		r.Hint = "wrong only for " + tk.region + " (right on every moderate case): " + r.Hint
	}
	r.Diagnosis = best.diag
	r.Case = tk.describe(bestCase)
	if best.worst != "" {
		r.Case += "\n" + best.worst
	}
	return r
}

// hintKey is a hint without its numbers, so that the same bug seen in
// cases of different sizes ("n = 3 samples", "n = 5 samples") counts as
// one hint.
func hintKey(h string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '.' {
			return -1
		}
		return r
	}, h)
}

// Bounds of Result.Output.
const (
	// MaxOutputLines is the number of lines of a task's output kept.
	MaxOutputLines = 20
	maxLineBytes   = 200
)

// captureStdout sends standard output to a pipe until the function it
// returns is called, which restores it and returns what was printed,
// bounded: MaxOutputLines lines of at most maxLineBytes bytes, then a line
// saying how many more there were. It returns nil if no pipe can be made.
func captureStdout() func() string {
	rd, wr, err := os.Pipe()
	if err != nil {
		return nil
	}
	old := os.Stdout
	os.Stdout = wr
	got := make(chan string, 1)
	go func() {
		var b strings.Builder
		kept, more := 0, 0
		sc := bufio.NewReader(rd)
		for {
			line, err := sc.ReadString('\n')
			if line != "" {
				line = strings.TrimRight(line, "\r\n")
				if kept < MaxOutputLines {
					if len(line) > maxLineBytes {
						line = strings.ToValidUTF8(line[:maxLineBytes], "") + " …"
					}
					b.WriteString(line + "\n")
					kept++
				} else {
					more++
				}
			}
			if err != nil {
				break
			}
		}
		rd.Close()
		if more > 0 {
			fmt.Fprintf(&b, "… (%d more lines not shown)\n", more)
		}
		got <- strings.TrimRight(b.String(), "\n")
	}()
	return func() string {
		os.Stdout = old
		wr.Close()
		return <-got
	}
}
