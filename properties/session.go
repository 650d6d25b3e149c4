package properties

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
)

// A session is one run of a check: it calls the user's functions safely,
// collects failures, and counts evaluations.
type session struct {
	property string
	x        []float64 // the caller's point: never written, never handed to user code
	c        config
	fails    []*Failure
	evals    counter      // evaluations of the scalar or vector function (f may run on several goroutines)
	calls    int          // calls of grad, hess or jac
	after    []func()     // probes that follow the check proper (stale.go)
	afterBuf [2]func()    // after's first backing array: a check has at most two
	misc     misbehaviour // writes to inputs, budget, concurrency samples (mutation.go, budget.go)
	block    []float64    // the unused rest of the block that floats carves slices from
	pooled   *[]float64   // the check's first block, from blocks (release)
	edge     domainEdge   // the first panic of a user function away from x

	// gradAfter holds what CheckGradient's probes that follow the check
	// read (runAfter), in place of two closures in after.
	gradAfter struct {
		f    func([]float64) float64
		grad func(dst, x []float64)
		a    []float64
	}
	// f is the user's f that wrap evaluates (scalar); wrap is made once
	// per session and kept with it in sessions (newSession).
	f    func([]float64) float64
	wrap func([]float64) float64

	// The screen's (gradient.go): seen records the values of its noise
	// measurement through record, the wrapper of recorded that recording
	// makes once per session as scalar makes wrap; cmp is its comparison
	// and jumps the buffer of its kink flags, kept with the session too,
	// so that a check allocates none of them.
	seen     oneValueBits
	recorded func([]float64) float64
	record   func([]float64) float64
	cmp      comparison
	jumps    []bool
	// sums is the block sums' probe (blocksums.go), whose buffers and
	// bound function are kept with the session too.
	sums blockProbe
}

// A domainEdge records the first panic of a user function at a point away
// from x: an edge of its domain, which the numerical derivative treats as
// NaN (see offX).
type domainEdge struct {
	mu  sync.Mutex
	msg string
}

// note records the panic of name at v, if it is the first.
func (e *domainEdge) note(msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.msg == "" {
		e.msg = msg
	}
}

// String returns the first panic recorded, or "".
func (e *domainEdge) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.msg
}

// floats returns a zeroed slice of n values of its own: carved from a
// block shared by the check's copies of x and buffers, so a check makes a
// few allocations instead of one per call of a user function, and a check
// that passes hands its block on to the next check (release). Only the
// check's own goroutine calls it.
func (s *session) floats(n int) []float64 {
	v := s.carve(n)
	clear(v)
	return v
}

// carve returns a slice of n values of its own, as floats does, holding
// whatever a previous check left there: for a caller that overwrites
// every value (copyOf, a fill).
func (s *session) carve(n int) []float64 {
	if len(s.block) < n {
		s.newBlock(n)
	}
	v := s.block[:n:n]
	s.block = s.block[n:]
	return v
}

// blocks holds the blocks of passed checks for the next checks.
var blocks sync.Pool

// newBlock starts a block of at least n values: at the first call, one
// from blocks if it is large enough for the calls at x of a check (the
// copies and dst of the first calls, the probes, the screen's buffers).
func (s *session) newBlock(n int) {
	want := max(n, 32*len(s.x))
	if s.pooled == nil {
		p, _ := blocks.Get().(*[]float64)
		if p == nil || cap(*p) < want {
			b := make([]float64, want)
			p = &b
		}
		s.pooled, s.block = p, (*p)[:cap(*p)]
		return
	}
	s.block = make([]float64, want)
}

// release hands the check's first block to the next check, unless the
// check failed: a failure may carry a value that points into it (a panic
// value).
func (s *session) release() {
	if len(s.fails) > 0 {
		s.pooled, s.block = nil, nil
		return
	}
	if s.pooled != nil {
		blocks.Put(s.pooled)
	}
	s.pooled, s.block = nil, nil
	sessions.Put(s)
}

// sessions holds the sessions of passed checks for the next checks (see
// release), so that a check allocates neither its session nor the wrapper
// of f.
var sessions sync.Pool

// newSession returns a session for a check of property at x with the
// settings c: a new one, or one of sessions made as new but for the
// wrapper of f that it keeps (scalar).
func newSession(property string, x []float64, c config) *session {
	s, _ := sessions.Get().(*session)
	if s == nil {
		s = new(session)
	}
	*s = session{property: property, x: x, c: c, wrap: s.wrap, record: s.record, jumps: s.jumps,
		sums: blockProbe{buf: s.sums.buf, entries: s.sums.entries, nominated: s.sums.nominated, phi: s.sums.phi}}
	s.after = s.afterBuf[:0]
	return s
}

// copyOf returns a copy of v from the check's block (carve).
func (s *session) copyOf(v []float64) []float64 {
	c := s.carve(len(v))
	copy(c, v)
	return c
}

// A counter counts evaluations. Add and Load are atomic, for the engine's
// goroutines; bump is a plain increment for a serial check, where no other
// goroutine runs and an atomic one would cost as much as a cheap f.
type counter struct{ n int64 }

func (c *counter) Add(d int64) int64 { return atomic.AddInt64(&c.n, d) }
func (c *counter) Load() int64       { return atomic.LoadInt64(&c.n) }
func (c *counter) bump() int64       { c.n++; return c.n }

// serial reports whether the engine runs the user's functions on the
// check's own goroutine only.
func (s *session) serial() bool { return s.c.workers == 0 || s.c.workers == 1 }

// count counts an evaluation and returns the count.
func (s *session) count() int64 {
	if s.serial() {
		return s.evals.bump()
	}
	return s.evals.Add(1)
}

// userPanic unwinds a check when a user function panicked; the check's
// top-level recover turns it into the failure it carries.
type userPanic struct{ fail *Failure }

// The fills of dst before a user function writes it: NaNs with payloads
// that arithmetic does not produce (Go's NaN is 0x7FF8000000000001), so an
// entry that still holds one was not written.
var (
	fillA = math.Float64frombits(0x7FF8_DEAD_BEEF_0001)
	fillB = math.Float64frombits(0x7FF8_DEAD_BEEF_0002)
)

func isFill(v, fill float64) bool { return math.Float64bits(v) == math.Float64bits(fill) }

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// add records a failure of the session's property.
func (s *session) add(f *Failure) {
	f.Property = s.property
	s.fails = append(s.fails, f)
}

// noEntry returns a failure without an entry to point at.
func noEntry(kind Kind, detail string) *Failure {
	return &Failure{Kind: kind, Row: -1, Col: -1, Detail: detail, Analytic: math.NaN(), Numeric: math.NaN()}
}

// err returns the failures joined, most telling first, or nil.
func (s *session) err() error {
	if len(s.fails) == 0 {
		return nil
	}
	slices.SortStableFunc(s.fails, func(a, b *Failure) int { return severity(a.Kind) - severity(b.Kind) })
	errs := make([]error, len(s.fails))
	for i, f := range s.fails {
		errs[i] = f
	}
	return joinErrors(errs)
}

// check runs body, the check of property at x with the settings c, in a
// session of its own: its clock started, panics turned into failures, the
// probes that come after run, and r filled with the session's counts and
// its error. The session's buffers go back to the pool after.
func check(property string, x []float64, c config, r *Report, body func(ss *session, r *Report)) *Report {
	ss := newSession(property, x, c)
	ss.startClock()
	ss.guard(func() { body(ss, r) })
	ss.guard(ss.runAfter)
	r.Evals, r.Calls, r.Err = int(ss.evals.Load()), ss.calls, ss.err()
	ss.release()
	return r
}

// guard runs body, turning a panic into a failure: a userPanic carries its
// own, anything else (a bug in this package or in gonum called on the
// user's data) becomes a Panic failure too, so no panic escapes a check.
func (s *session) guard(body func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if up, ok := r.(userPanic); ok {
			s.add(up.fail)
			return
		}
		f := noEntry(Panic, fmt.Sprintf("unexpected panic while checking: %v", r))
		f.PanicValue = r
		s.add(f)
	}()
	body()
}

// where describes the point v relative to x for messages: "x", "x + 1e-05·e[3]".
func (s *session) where(v []float64) string {
	var moved []int
	for i := range v {
		if i < len(s.x) && math.Float64bits(v[i]) != math.Float64bits(s.x[i]) {
			moved = append(moved, i)
		}
	}
	switch {
	case len(moved) == 0:
		return "x"
	case len(moved) == 1:
		i := moved[0]
		return fmt.Sprintf("x + %.3g·e[%d]", v[i]-s.x[i], i)
	case len(moved) == 2:
		return fmt.Sprintf("x moved along [%d] and [%d]", moved[0], moved[1])
	}
	return fmt.Sprintf("x moved along %d coordinates", len(moved))
}

// catch converts a panic of the user's function name at point v into a
// userPanic.
func (s *session) catch(name string, v []float64) {
	if r := recover(); r != nil {
		s.panicked(name, v, r)
	}
}

// offX reports whether a panic r of the user's function name at v is an
// edge of its domain: v is not x, and r is the user's own panic (not a
// check stopped by its budget). The numerical derivative probes points up
// to a step away from x, and a function defined on part of the line (gonum's
// ChiSquared.CDF panics at x < 0, a constructor checks its parameters'
// order) may panic there as it may return NaN: the difference retreats to
// steps that stay inside (kink.go's ladder), and where none resolves the
// derivative the verdict is no verdict. A panic at x itself is the user's
// bug, and a Panic failure. The panic is recorded for messages.
func (s *session) offX(name string, v []float64, r any) bool {
	if _, ok := r.(userPanic); ok || s.where(v) == "x" {
		return false
	}
	s.edge.note(fmt.Sprintf("%s panicked at %s: %v", name, s.where(v), r))
	return true
}

// panicked converts the panic r of the user's function name at point v
// into a userPanic.
func (s *session) panicked(name string, v []float64, r any) {
	if _, ok := r.(userPanic); ok {
		panic(r)
	}
	msg := fmt.Sprint(r)
	hint := ""
	if strings.Contains(msg, "index out of range") || strings.Contains(msg, "dimension mismatch") {
		hint = " (an index or dimension error: a shape bug?)"
	}
	f := noEntry(Panic, fmt.Sprintf("%s panicked at %s: %s%s\n%s", name, s.where(v), msg, hint, trimStack(debug.Stack())))
	f.PanicValue = r
	f.Property = s.property
	panic(userPanic{f})
}

// trimStack keeps the frames of a panic's stack that are the user's code,
// dropping the runtime's and this package's, and the argument words and
// program-counter offsets of each frame ("f(0xc000…)", "file.go:19 +0xec"):
// they vary from run to run and would make the same failure read
// differently each time.
func trimStack(stack []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	var keep []string
	for i := 1; i+1 < len(lines); i += 2 {
		fn, file := lines[i], lines[i+1]
		if strings.HasPrefix(fn, "runtime") || strings.HasPrefix(fn, "panic(") ||
			strings.Contains(fn, "gradcheck/properties.") || strings.Contains(fn, "gradcheck/gradients.") ||
			strings.HasPrefix(fn, "runtime/debug") {
			continue
		}
		fn, file = strings.TrimSpace(fn), strings.TrimSpace(file)
		if i := strings.LastIndexByte(fn, '('); i > 0 && strings.HasSuffix(fn, ")") {
			fn = fn[:i]
		}
		if i := strings.LastIndex(file, " +0x"); i > 0 {
			file = file[:i]
		}
		keep = append(keep, "\t"+fn, "\t\t"+file)
		if len(keep) >= 8 {
			break
		}
	}
	return strings.Join(keep, "\n")
}

// scalar wraps the user's f for the engine: panics become userPanics. The
// engine hands it private copies, so writes to its input cannot corrupt
// the result (mutation is reported by valueAt). During a pass of quietly
// it only counts the evaluation, keeps the budget and notes the point (a
// lean evaluation); quietly's own recover then stands in for the one per
// evaluation.
//
// A session wraps one f: the wrapper reads it from s.f, and is made once
// and kept with the session (newSession).
func (s *session) scalar(f func([]float64) float64) func([]float64) float64 {
	s.f = f
	if s.wrap == nil {
		s.wrap = func(v []float64) float64 {
			if !s.misc.lean {
				return s.evalF(v)
			}
			// A lean evaluation (quietly): counted and within the
			// budget like every other, v noted for quietly's recover,
			// and no recover of its own — a deferred recover at every
			// evaluation costs about as much as a cheap f, and so does
			// a call more (this is not a method of its own).
			m := &s.misc
			if n := s.evals.bump(); s.c.maxEvals > 0 && n > s.c.maxEvals || n >= m.nextClock.Load() {
				s.spend()
			}
			if len(m.at) != len(v) || len(v) > 0 && &m.at[0] != &v[0] {
				m.at = v // the engine hands f the same slice at every evaluation of a pass
			}
			m.inF = true
			out := s.f(v)
			m.inF = false
			return out
		}
	}
	return s.wrap
}

// recording returns f recording its values in s.seen, for one goroutine
// (oneValueBits). A session records one f at a time: the wrapper reads it
// from s.recorded, and is made once and kept with the session.
func (s *session) recording(f func([]float64) float64) func([]float64) float64 {
	s.recorded = f
	if s.record == nil {
		s.record = func(v []float64) float64 {
			y := s.recorded(v)
			s.seen.see(y)
			return y
		}
	}
	return s.record
}

// bools returns a slice of n false values, in the session's one buffer of
// bools: for one user at a time (the screen's jumps).
func (s *session) bools(n int) []bool {
	if cap(s.jumps) < n {
		s.jumps = make([]bool, n)
	}
	s.jumps = s.jumps[:n]
	clear(s.jumps)
	return s.jumps
}

// evalF is an evaluation of s.f at v through the wrapper of scalar, but
// for a lean one.
func (s *session) evalF(v []float64) (out float64) {
	f := s.f
	defer func() {
		if r := recover(); r != nil {
			if s.offX("f", v, r) {
				out = math.NaN()
				return
			}
			s.panicked("f", v, r)
		}
	}()
	n := s.count()
	s.spend()
	switch {
	case s.misc.unwatched:
		out = f(v)
	case s.serial() && !s.misc.line.on:
		// watched's common case, without its closure.
		s.snapSerial(v)
		out = f(v)
		s.noteSerial("f", v)
	default:
		s.watched("f", v, func() { out = f(v) })
	}
	if s.keeps(n) {
		s.keep(v, out, n)
	}
	return out
}

// vector wraps a user's vector function (a gradient or a map) likewise.
func (s *session) vector(name string, f func(dst, x []float64)) func(dst, x []float64) {
	return func(dst, v []float64) {
		defer func() {
			if r := recover(); r != nil {
				if s.offX(name, v, r) {
					for i := range dst {
						dst[i] = math.NaN()
					}
					return
				}
				s.panicked(name, v, r)
			}
		}()
		n := s.count()
		s.spend()
		s.watched(name, v, func() { f(dst, v) })
		s.keepVec(v, dst, n)
	}
}

// mutation returns a failure if the user's function name changed its
// input: work was a copy of x.
func (s *session) mutation(name string, work []float64) *Failure {
	if sameBits(work, s.x) {
		return nil // the common case, without a branch per entry
	}
	for i := range work {
		if math.Float64bits(work[i]) != math.Float64bits(s.x[i]) {
			return &Failure{Kind: InputMutated, Row: i, Col: 0, Analytic: work[i], Numeric: s.x[i], AbsErr: math.Abs(work[i] - s.x[i]),
				RelErr: relErr(work[i], s.x[i]),
				Detail: fmt.Sprintf("%s wrote to its input: x[%d] was %.6g and is %.6g after the call; a function must not modify x (callers reuse it)", name, i, s.x[i], work[i])}
		}
	}
	return nil
}

// valueAt calls the user's f on a fresh copy of x.
func (s *session) valueAt(f func([]float64) float64) (v float64, mutated *Failure) {
	work := s.copyOf(s.x)
	s.afford(1)
	func() {
		defer s.catch("f", work)
		v = f(work)
	}()
	s.evals.Add(1)
	return v, s.mutation("f", work)
}

// vectorAt calls the user's vector function on a fresh copy of x, with dst
// of length n prefilled with fill.
func (s *session) vectorAt(name string, f func(dst, x []float64), n int, fill float64) (dst []float64, mutated *Failure) {
	work := s.copyOf(s.x)
	dst = s.carve(n)
	for i := range dst {
		dst[i] = fill
	}
	func() {
		defer s.catch(name, work)
		f(dst, work)
	}()
	s.calls++
	return dst, s.mutation(name, work)
}

// checkX reports a non-finite point: no derivative can be checked there.
func (s *session) checkX() bool {
	for i, v := range s.x {
		if !isFinite(v) {
			f := noEntry(NotFinite, fmt.Sprintf("x[%d] = %v: a check needs a finite point", i, v))
			f.Row, f.Col = i, 0
			s.add(f)
			return false
		}
	}
	return true
}

// reproduced reports whether a and b, the results of two calls at the same
// x, are the same value up to the rounding of an order of operations that
// varies between calls (a sum over a Go map, a parallel reduction): they
// differ by at most ulpsOf(max(|a|, |b|), norm), the round-off floor that
// every comparison's tolerance holds (compare.go), with norm the largest
// entry of the result. Such differences are noise that the check measures
// and absorbs (docs/NUMERICS.md), not a verdict; bit-identical values,
// NaNs included, are reproduced. A stochastic function (a minibatch, dropout)
// differs far beyond it.
func reproduced(a, b, norm float64) bool {
	if math.Float64bits(a) == math.Float64bits(b) {
		return true
	}
	return math.Abs(a-b) <= ulpsOf(math.Max(math.Abs(a), math.Abs(b)), norm)
}

// maxAbs returns the largest finite |v| of vs.
func maxAbs(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		if isFinite(v) {
			m = math.Max(m, math.Abs(v))
		}
	}
	return m
}

// checkValue calls f twice at x and records mutation, nondeterminism and a
// non-finite value. It returns f(x) and whether the checks can go on.
func (s *session) checkValue(f func([]float64) float64) (float64, bool) {
	v1, m1 := s.valueAt(f)
	v2, _ := s.valueAt(f)
	if m1 != nil {
		s.add(m1)
	}
	if !reproduced(v1, v2, 0) {
		s.add(&Failure{Kind: Nondeterministic, Row: -1, Col: -1, Analytic: v1, Numeric: v2, AbsErr: math.Abs(v1 - v2), RelErr: relErr(v1, v2),
			Detail: fmt.Sprintf("f(x) returned %.17g, then %.17g at the same x: finite differences of a nondeterministic f are noise", v1, v2)})
	}
	if !isFinite(v1) {
		s.add(noEntry(NotFinite, fmt.Sprintf("f(x) = %v", v1)))
		return v1, false
	}
	return v1, true
}

// checkVector calls the vector function name twice at x with dst of length
// n, prefilled with NaNs of two payloads, and records mutation, unwritten
// entries, non-finite entries and nondeterminism. It returns the values and
// whether the checks can go on.
func (s *session) checkVector(name string, f func(dst, x []float64), n int) ([]float64, bool) {
	a, m1 := s.vectorAt(name, f, n, fillA)
	b, _ := s.vectorAt(name, f, n, fillB)
	if m1 != nil {
		s.add(m1)
	}
	if s.accumulates(name, f, n) {
		return a, false
	}
	var unwritten []int
	for i := range a {
		if isFill(a[i], fillA) && isFill(b[i], fillB) {
			unwritten = append(unwritten, i)
		}
	}
	if len(unwritten) > 0 {
		f := noEntry(Shape, fmt.Sprintf("%s left %d of %d entries of dst unwritten (%s): does it use the right length or index?",
			name, len(unwritten), n, indexList(unwritten)))
		f.Row, f.Col, f.Bad, f.Total = unwritten[0], 0, len(unwritten), n
		s.add(f)
		return a, false
	}
	norm := maxAbs(a)
	for i := range a {
		if !reproduced(a[i], b[i], norm) {
			s.add(&Failure{Kind: Nondeterministic, Row: i, Col: 0, Analytic: a[i], Numeric: b[i], AbsErr: math.Abs(a[i] - b[i]), RelErr: relErr(a[i], b[i]),
				Detail: fmt.Sprintf("%s returned %.17g, then %.17g for entry [%d] at the same x (or it reads dst before writing it)", name, a[i], b[i], i)})
			break
		}
	}
	for i, v := range a {
		if !isFinite(v) {
			f := noEntry(NotFinite, fmt.Sprintf("%s(x)[%d] = %v", name, i, v))
			f.Row, f.Col, f.Analytic = i, 0, v
			s.add(f)
			return a, false
		}
	}
	return a, true
}

// callHess calls hess once at a copy of x with a d×d dst whose entries are
// all fill, recovering a panic, and returns dst and the copy.
func (s *session) callHess(hess func(dst *mat.SymDense, x []float64), fill float64) (*mat.SymDense, []float64) {
	d := len(s.x)
	work := slices.Clone(s.x)
	dst := mat.NewSymDense(d, nil)
	raw := dst.RawSymmetric()
	for i := range raw.Data {
		raw.Data[i] = fill
	}
	func() {
		defer s.catch("hess", work)
		hess(dst, work)
	}()
	s.calls++
	return dst, work
}

// checkHess calls hess twice at x with a d×d dst prefilled like
// checkVector's, and records the same failures.
func (s *session) checkHess(hess func(dst *mat.SymDense, x []float64)) (*mat.SymDense, bool) {
	d := len(s.x)
	call := func(fill float64) (*mat.SymDense, *Failure) {
		dst, work := s.callHess(hess, fill)
		return dst, s.mutation("hess", work)
	}
	a, m1 := call(fillA)
	b, _ := call(fillB)
	if m1 != nil {
		s.add(m1)
	}
	if n := a.SymmetricDim(); n != d {
		s.add(noEntry(Shape, fmt.Sprintf("hess resized dst to %d×%d (want %d×%d)", n, n, d, d)))
		return a, false
	}
	if s.accumulatesHess(hess) {
		return a, false
	}
	var unwritten [][2]int
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			if isFill(a.At(i, j), fillA) && isFill(b.At(i, j), fillB) {
				unwritten = append(unwritten, [2]int{i, j})
			}
		}
	}
	if len(unwritten) > 0 {
		u := unwritten[0]
		f := noEntry(Shape, fmt.Sprintf("hess left %d of %d entries of the upper triangle unwritten (first [%d,%d]): does it fill the whole d×d matrix?",
			len(unwritten), d*(d+1)/2, u[0], u[1]))
		f.Row, f.Col, f.Bad, f.Total = u[0], u[1], len(unwritten), d*(d+1)/2
		s.add(f)
		return a, false
	}
	norm := maxAbs(a.RawSymmetric().Data)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			if !reproduced(a.At(i, j), b.At(i, j), norm) {
				s.add(&Failure{Kind: Nondeterministic, Row: i, Col: j, Analytic: a.At(i, j), Numeric: b.At(i, j),
					AbsErr: math.Abs(a.At(i, j) - b.At(i, j)), RelErr: relErr(a.At(i, j), b.At(i, j)),
					Detail: fmt.Sprintf("hess returned %.17g, then %.17g for entry [%d,%d] at the same x", a.At(i, j), b.At(i, j), i, j)})
				i = d
				break
			}
		}
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			if v := a.At(i, j); !isFinite(v) {
				f := noEntry(NotFinite, fmt.Sprintf("hess(x)[%d,%d] = %v", i, j, v))
				f.Row, f.Col, f.Analytic = i, j, v
				s.add(f)
				return a, false
			}
		}
	}
	return a, true
}

// indexList formats up to 5 indices: "[0] [3] [7] …".
func indexList(idx []int) string {
	var b strings.Builder
	for n, i := range idx {
		if n == 5 {
			b.WriteString(" …")
			break
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "[%d]", i)
	}
	return b.String()
}

// joinErrors joins errs, or returns nil if there are none, or the error
// itself if there is one.
func joinErrors(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}
