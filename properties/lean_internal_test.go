package properties

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/gradients"
)

// screenPass runs one pass of the screen on f at x in a session of its
// own, the one-sided pass (OneSided, 2d+1 evaluations) or with forward the
// forward pass at 2h (Gradient by Forward, d+1, its quotients in right),
// with lean evaluations (quietly) or with the recover of every evaluation
// that quietly used before (guarded), and returns what the session
// recorded.
func screenPass(f func([]float64) float64, x []float64, forward, lean bool, maxEvals int64) (fails []*Failure, edge string, right, left []float64, evals int64) {
	c := resolve("CheckGradient", nil)
	c.maxEvals = maxEvals
	ss := &session{property: "gradient", x: x, c: c}
	ss.startClock()
	fw := ss.scalar(f)
	d := len(x)
	right, left = make([]float64, d), make([]float64, d)
	call := func() { gradients.OneSided(right, left, fw, x, &gradients.Settings{Step: 1e-3}) }
	n := int64(2*d + 1)
	if forward {
		call = func() { gradients.Gradient(right, fw, x, &gradients.Settings{Method: gradients.Forward, Step: 2e-3}) }
		n = int64(d + 1)
	}
	ss.guard(func() {
		if lean {
			ss.quietly(n, call)
			return
		}
		ss.misc.unwatched = true
		defer func() { ss.misc.unwatched = false }()
		call()
	})
	return ss.fails, ss.edge.String(), right, left, ss.evals.Load()
}

// panicsAt returns halfLine-like f: Σxᵢ², which panics where x₀ < edge
// (x₀ > −edge with flip) and from its call number from on (0: never).
func panicsAt(edge float64, from int, flip ...bool) func([]float64) float64 {
	n := 0
	sign := 1.0
	if len(flip) > 0 && flip[0] {
		sign = -1
	}
	return func(x []float64) float64 {
		n++
		if sign*x[0] < edge || from > 0 && n >= from {
			panic("out of the domain")
		}
		s := 0.0
		for _, v := range x {
			s += v * v
		}
		return s
	}
}

// TestLeanSameReports: the screen's passes (one-sided at h, forward at
// 2h) with lean evaluations (one recover around the pass) record what the
// recover of every evaluation records: the same Panic failure, stack
// included, for a panic at x; the same domain edge and quotients (NaN
// across the edge) for a panic away from x, for which the pass runs again
// and its first try counts; the same Stopped failure past MaxEvals;
// nothing for an f that does not panic.
func TestLeanSameReports(t *testing.T) {
	x := []float64{1e-4, 0.5, -0.3}
	for _, forward := range []bool{false, true} {
		// The one-sided pass crosses an edge below x₀ = 0 at x − h·e[0],
		// after f(x) and f(x + h·e[0]); the forward pass one above
		// x₀ = 1e-3 at x + 2h·e[0], after f(x).
		edge, flip, before := 0.0, false, int64(2)
		if forward {
			edge, flip, before = -1e-3, true, 1
		}
		for _, tc := range []struct {
			name     string
			f        func() func([]float64) float64
			maxEvals int64
			fails    bool // one failure, of kind
			kind     Kind
			edge     bool
		}{
			{"smooth", func() func([]float64) float64 { return panicsAt(-1, 0, flip) }, 0, false, 0, false},
			{"panic at x", func() func([]float64) float64 { return panicsAt(-1, 1, flip) }, 0, true, Panic, false},
			{"domain edge", func() func([]float64) float64 { return panicsAt(edge, 0, flip) }, 0, false, 0, true},
			{"budget", func() func([]float64) float64 { return panicsAt(-1, 0, flip) }, 2, true, Stopped, false},
		} {
			name := tc.name
			if forward {
				name += " (forward)"
			}
			gFails, gEdge, gR, gL, gEvals := screenPass(tc.f(), x, forward, false, tc.maxEvals)
			lFails, lEdge, lR, lL, lEvals := screenPass(tc.f(), x, forward, true, tc.maxEvals)
			if len(gFails) != len(lFails) || !tc.fails && len(lFails) != 0 || tc.fails && (len(lFails) != 1 || lFails[0].Kind != tc.kind) {
				t.Fatalf("%s: lean %v, guarded %v, want one failure (%v) of kind %v", name, lFails, gFails, tc.fails, tc.kind)
			}
			for i := range lFails {
				if lFails[i].Detail != gFails[i].Detail {
					t.Errorf("%s: lean failure\n%s\nguarded\n%s", name, lFails[i].Detail, gFails[i].Detail)
				}
			}
			if tc.fails && tc.kind == Panic && !strings.HasPrefix(lFails[0].Detail, "f panicked at x: out of the domain") {
				t.Errorf("%s: %q lacks the panic or f's frame", name, lFails[0].Detail)
			}
			if lEdge != gEdge || tc.edge != (lEdge != "") {
				t.Errorf("%s: edge %q lean, %q guarded (want one: %v)", name, lEdge, gEdge, tc.edge)
			}
			if tc.fails {
				continue
			}
			same := func(a, b []float64) bool {
				return slices.EqualFunc(a, b, func(u, v float64) bool { return math.Float64bits(u) == math.Float64bits(v) })
			}
			if !same(lR, gR) || !same(lL, gL) {
				t.Errorf("%s: lean %v %v, guarded %v %v", name, lR, lL, gR, gL)
			}
			crossed := lL[0]
			if forward {
				crossed = lR[0]
			}
			if tc.edge && !math.IsNaN(crossed) {
				t.Errorf("%s: quotient along [0] = %v, want NaN across the edge", name, crossed)
			}
			// Across the edge the pass runs again, and the first try's
			// evaluations up to its panic count too.
			want := gEvals
			if tc.edge {
				want += before + 1
			}
			if lEvals != want {
				t.Errorf("%s: %d evaluations lean, %d guarded, want %d", name, lEvals, gEvals, want)
			}
		}
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestLineWatch: along a line the check compares the point after each
// evaluation with x instead of a snapshot; a write to it is reported once,
// with its evaluation, as before, and every later evaluation still sees x
// with only coordinate i moved.
func TestLineWatch(t *testing.T) {
	x := []float64{0.3, -1.2, 0.7, 2.1}
	var seen [][]float64
	n := 0
	f := func(v []float64) float64 {
		seen = append(seen, slices.Clone(v))
		if n++; n == 2 || n == 4 {
			v[3] = 99 // a write on the second and fourth calls
		}
		return v[0] * v[1]
	}
	ss := &session{property: "gradient", x: x, c: resolve("CheckGradient", nil)}
	ss.startClock()
	line := ss.line(ss.scalar(f), 1)
	for k, tv := range []float64{-1.1, -1.3, -1.25, 5, -1.2} {
		if got, want := line(tv), x[0]*tv; got != want {
			t.Errorf("call %d: f = %v, want %v", k+1, got, want)
		}
		want := slices.Clone(x)
		want[1] = tv
		if !slices.Equal(seen[k], want) {
			t.Errorf("call %d: f saw %v, want %v", k+1, seen[k], want)
		}
	}
	if len(ss.fails) != 1 || ss.fails[0].Kind != InputMutated || !containsAll(ss.fails[0].Detail, "evaluation #2 of f", "x[3]: 2.1 → 99") {
		t.Errorf("fails %v, want one write at evaluation #2", ss.fails)
	}
}
