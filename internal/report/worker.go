package report

import (
	"cmp"
	"context"
	"encoding/gob"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gradcheck/gradcheck/internal/proc"
	"github.com/gradcheck/gradcheck/internal/rapidrun"
)

// A run runs its items in worker processes: copies of the running
// executable started with workerEnv set, each running one item at a time on
// request. A Go program cannot stop a goroutine that hangs, nor survive a
// fatal error (a stack overflow in a recursive gradient, a concurrent map
// write); a process can be killed, and a new one started for the next
// item. Workers also spread the items over the cores.
//
// The protocol is gob over the worker's stdin and stdout: the parent sends
// a workerHello, then item indexes one at a time; the worker answers each
// with a workerReply and exits when its stdin ends. The worker's os.Stdout
// is its stderr, so that what an item prints cannot break the protocol.

// workerEnv, set in a process's environment, makes it a worker.
const workerEnv = "GRADCHECK_FUZZREPORT_WORKER"

// IsWorker reports whether this process was started as a worker: the
// command's main function (and a test binary's TestMain) must then call
// WorkerMain and exit with its code, before anything else.
func IsWorker() bool { return os.Getenv(workerEnv) != "" }

// workerHello configures a worker.
type workerHello struct {
	// Harness names the harness in harnesses that lists the items, Run
	// the -run pattern that selects some: the parent sends indexes into
	// the list they make.
	Harness string
	Seed    uint64
	Checks  int
	Run     string
}

// workerReply is a worker's answer to an item index.
type workerReply struct {
	ID      string // the item's id, to check that both sides agree
	Outcome outcome
	// Panic is the message and stack of a panic the item raised, which
	// the worker recovered.
	Panic string
}

// Bounds of a worker's life.
const (
	// quitGrace is how long a worker gets to print its goroutines after
	// SIGQUIT, and to exit after its stdin closed, before it is killed.
	quitGrace = 3 * time.Second
	// workerOutputBytes bounds what is kept of a worker's stderr.
	workerOutputBytes = 256 << 10
	// stackLines bounds the lines of a stack in a report.
	stackLines = 40
)

// workerMain runs the worker: it returns the process's exit code.
func WorkerMain() int {
	// rapid's Check calls testing.Short, which panics unless the test
	// flags are registered (testing.Init) and parsed: they are parsed
	// empty, so that rapid's flags keep their defaults (RAPID_CHECKS,
	// RAPID_SEED) until rapidrun.Set sets them.
	testing.Init()
	flag.CommandLine.Parse(nil)
	protocol := os.Stdout
	os.Stdout = os.Stderr
	dec := gob.NewDecoder(os.Stdin)
	enc := gob.NewEncoder(protocol)
	var hello workerHello
	if err := dec.Decode(&hello); err != nil {
		fmt.Fprintf(os.Stderr, "fuzzreport worker: reading the hello: %v\n", err)
		return 2
	}
	h, ok := harnesses[hello.Harness]
	if !ok {
		fmt.Fprintf(os.Stderr, "fuzzreport worker: no harness %q\n", hello.Harness)
		return 2
	}
	items, err := selectItems(h(hello.Seed), hello.Run)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fuzzreport worker: %v\n", err)
		return 2
	}
	rapidrun.Set(hello.Checks, hello.Seed)
	for {
		var k int
		if err := dec.Decode(&k); err != nil {
			if errors.Is(err, io.EOF) {
				return 0
			}
			fmt.Fprintf(os.Stderr, "fuzzreport worker: reading a request: %v\n", err)
			return 2
		}
		if k < 0 || k >= len(items) {
			fmt.Fprintf(os.Stderr, "fuzzreport worker: item %d of %d\n", k, len(items))
			return 2
		}
		if err := enc.Encode(runItem(items[k])); err != nil {
			fmt.Fprintf(os.Stderr, "fuzzreport worker: writing a reply: %v\n", err)
			return 2
		}
	}
}

// initRapid makes rapid usable outside of a test binary. rapid (v1.3)
// reads its settings only from the -rapid.* flags it registers on the
// command line, and its Check calls testing.Short, which panics unless
// the test flags are registered (testing.Init) and parsed. They are parsed
// empty, so that rapid's flags keep their defaults (RAPID_CHECKS,
// RAPID_SEED) until rapidrun.Set sets them. A test binary has done all
// this already.
func initRapid() {
	if flag.Lookup("test.short") == nil {
		testing.Init()
	}
	if !flag.Parsed() {
		flag.CommandLine.Parse(nil)
	}
}

// runItem runs it, recovering a panic.
func runItem(it item) (r workerReply) {
	r.ID = it.id()
	defer func() {
		if v := recover(); v != nil {
			r.Outcome = outcome{}
			r.Panic = fmt.Sprintf("panic: %v\n\n%s", v, panicFrames(string(debug.Stack())))
		}
	}()
	r.Outcome = it.run()
	return r
}

// panicFrames returns the frames of a stack from runItem's deferred
// function that lie between the panic and runItem: the code that panicked.
func panicFrames(stack string) string {
	lines := strings.Split(strings.TrimRight(stack, "\n"), "\n")
	start, end := 0, len(lines)
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "panic(") && start == 0:
			start = min(i+2, len(lines)) // the call and its file:line
		case strings.Contains(l, "/internal/report.runItem("):
			end = i
		}
	}
	if start >= end {
		return stack
	}
	return strings.Join(lines[start:end], "\n")
}

// pool runs items in worker processes, at most parallel at a time, and
// keeps its workers from one call of run to the next.
type pool struct {
	exe      string // the worker's executable: this command
	hello    workerHello
	timeout  time.Duration // per item
	parallel int
	items    []item

	procs []*workerProc // by slot; nil until needed, or after a worker ended
}

// workerProc is a running worker.
type workerProc struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	enc     *gob.Encoder
	replies chan workerReply // closed when the worker's stdout ends
	stderr  *lastBytes
}

// testHookItemStarted, if set, is called with an item's id as it is sent
// to a worker.
var testHookItemStarted func(id string)

// run runs the items at the indexes idx and calls done with each index and
// outcome as it ends, from one goroutine at a time. It returns when every
// item has ended; when ctx is cancelled, the running items end
// interrupted and the others not run.
func (p *pool) run(ctx context.Context, idx []int, done func(k int, o outcome)) {
	if p.procs == nil {
		p.procs = make([]*workerProc, max(p.parallel, 1))
	}
	queue := make(chan int)
	go func() {
		defer close(queue)
		for _, k := range idx {
			queue <- k
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for slot := range p.procs {
		wg.Go(func() {
			for k := range queue {
				var o outcome
				if ctx.Err() != nil {
					o = unfinished(p.items[k], verdictNotRun, problem{})
				} else {
					o = p.runOne(ctx, slot, k)
				}
				mu.Lock()
				done(k, o)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// runOne runs item k on the worker of slot, starting one if needed.
func (p *pool) runOne(ctx context.Context, slot, k int) outcome {
	it := p.items[k]
	w := p.procs[slot]
	if w == nil {
		var err error
		if w, err = p.start(); err != nil {
			return unfinished(it, verdictCrash, problem{Note: "could not start a worker process: " + err.Error()})
		}
		p.procs[slot] = w
	}
	if testHookItemStarted != nil {
		testHookItemStarted(it.id())
	}
	start := w.stderr.offset()
	// An error means that the worker died after its last item: its
	// replies channel is closed, and the select below tells.
	w.enc.Encode(k)
	timeout := cmp.Or(it.timeout, p.timeout)
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r, ok := <-w.replies:
		if !ok {
			status := p.end(slot)
			if ctx.Err() != nil {
				return unfinished(it, verdictInterrupted, problem{})
			}
			return unfinished(it, verdictCrash, problem{
				Note:       "the worker process running it died (" + status + ")",
				OutputTail: firstLines(w.stderr.since(start), stackLines),
			})
		}
		switch {
		case r.ID != it.id():
			p.end(slot)
			return unfinished(it, verdictCrash, problem{Note: fmt.Sprintf("the worker ran %s instead: the harness differs between processes", r.ID)})
		case r.Panic != "":
			msg, _, _ := strings.Cut(r.Panic, "\n")
			return unfinished(it, verdictCrash, problem{Note: "it panicked: " + strings.TrimPrefix(msg, "panic: "), OutputTail: firstLines(r.Panic, stackLines)})
		}
		return r.Outcome
	case <-timer.C:
		proc.Quit(w.cmd.Process)
		p.end(slot)
		return unfinished(it, verdictTimeout, problem{
			Note:       fmt.Sprintf("it ran longer than -timeout %v; its worker was stopped (its goroutines below)", timeout),
			OutputTail: itemStack(w.stderr.since(start)),
		})
	case <-ctx.Done():
		proc.Kill(w.cmd.Process)
		p.end(slot)
		return unfinished(it, verdictInterrupted, problem{})
	}
}

// start starts a worker and sends it the hello.
func (p *pool) start() (*workerProc, error) {
	cmd := exec.Command(p.exe)
	// GOTRACEBACK=all makes the dump after SIGQUIT show the item's
	// goroutine; a GOTRACEBACK of the user's environment comes later and
	// wins.
	cmd.Env = append(append([]string{"GOTRACEBACK=all"}, os.Environ()...), workerEnv+"=1")
	proc.NewGroup(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w := &workerProc{cmd: cmd, stdin: stdin, enc: gob.NewEncoder(stdin), replies: make(chan workerReply), stderr: &lastBytes{max: workerOutputBytes}}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(w.replies)
		dec := gob.NewDecoder(stdout)
		for {
			var r workerReply
			if err := dec.Decode(&r); err != nil {
				return
			}
			w.replies <- r
		}
	}()
	if err := w.enc.Encode(p.hello); err != nil {
		proc.Kill(cmd.Process)
		p.wait(w)
		return nil, fmt.Errorf("sending the hello: %v", err)
	}
	return w, nil
}

// end ends the worker of slot: it closes its stdin, which makes it exit
// after its item, kills it if it has not after quitGrace, and returns how
// it ended.
func (p *pool) end(slot int) string {
	w := p.procs[slot]
	p.procs[slot] = nil
	w.stdin.Close()
	t := time.AfterFunc(quitGrace, func() { proc.Kill(w.cmd.Process) })
	defer t.Stop()
	return p.wait(w)
}

// wait drains w's replies, waits for it to exit and returns its status.
func (p *pool) wait(w *workerProc) string {
	for range w.replies {
	}
	err := w.cmd.Wait()
	if err == nil {
		return "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ProcessState.String()
	}
	return err.Error()
}

// close ends every worker: each exits when its stdin closes, or is killed
// after quitGrace.
func (p *pool) close() {
	var wg sync.WaitGroup
	for slot, w := range p.procs {
		if w == nil {
			continue
		}
		wg.Go(func() {
			w.stdin.Close()
			t := time.AfterFunc(quitGrace, func() { proc.Kill(w.cmd.Process) })
			defer t.Stop()
			p.wait(w)
		})
		p.procs[slot] = nil
	}
	wg.Wait()
}

// lastBytes is an io.Writer that keeps the last max bytes written, safe
// for concurrent use.
type lastBytes struct {
	mu      sync.Mutex
	max     int
	buf     []byte
	dropped int // bytes dropped from the front
}

func (b *lastBytes) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
		b.dropped += over
	}
	return len(p), nil
}

// String returns what is kept.
func (b *lastBytes) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// offset is the number of bytes written so far.
func (b *lastBytes) offset() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dropped + len(b.buf)
}

// since returns what was written after the first n bytes (an offset), or
// all that is kept if some of it was dropped.
func (b *lastBytes) since(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	n -= b.dropped
	if n < 0 || n > len(b.buf) {
		return string(b.buf)
	}
	return string(b.buf[n:])
}

// firstLines returns the first n lines of s, without a trailing newline:
// the message of a crash and the innermost frames of its stack.
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

// itemStack picks, from the goroutine dump of a worker stopped by SIGQUIT,
// the stack of the goroutine that ran the item: the worker's main
// goroutine, goroutine 1. Without one (no SIGQUIT on this system), it
// returns the start of the output.
func itemStack(out string) string {
	start := -1
	if strings.HasPrefix(out, "goroutine 1 [") {
		start = 0
	} else if i := strings.Index(out, "\ngoroutine 1 ["); i >= 0 {
		start = i + 1
	}
	if start < 0 {
		return firstLines(out, stackLines)
	}
	block := out[start:]
	if j := strings.Index(block, "\n\n"); j >= 0 {
		block = block[:j]
	}
	return firstLines(block, stackLines)
}
