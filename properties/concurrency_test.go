package properties_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// kindsOf returns the kinds of the failures in err.
func kindsOf(err error) []properties.Kind {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var kinds []properties.Kind
	for _, e := range errs {
		var f *properties.Failure
		if errors.As(e, &f) {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// TestConcurrencyUnsafeKinds runs concurrencyKinds on 5 seeds;
// GRADCHECK_LONG=1 runs 100.
func TestConcurrencyUnsafeKinds(t *testing.T) {
	seeds := uint64(5)
	if os.Getenv(testenv.EnvLong) == "1" {
		seeds = misbehaveSeeds
	}
	concurrencyKinds(t, seeds)
}

// concurrencyKinds: under Settings.Workers = 4, a shared scratch buffer in
// f (CheckGradient) or in grad (CheckHessian, and CheckJacobian of grad as
// a map) is reported concurrency-unsafe, with no verdict on the
// derivative, on every seed for every kind (MSE, logistic, softmax
// cross-entropy, a two-layer net); the correct functions, the same buffer
// under a lock (SerialBufferFunc, SerialBufferVec) and a cache keyed on x
// (KeyedCache) pass.
func concurrencyKinds(t *testing.T, seeds uint64) {
	s := &properties.Settings{Workers: 4}
	type check struct {
		name string
		run  func(c subject, shared, serial bool) error
	}
	buf := func(g func(dst, x []float64), shared, serial bool) func(dst, x []float64) {
		switch {
		case shared:
			return gradtest.SharedBufferVec(g)
		case serial:
			return gradtest.SerialBufferVec(g)
		}
		return g
	}
	checks := []check{
		{"gradient", func(c subject, shared, serial bool) error {
			f := c.f
			switch {
			case shared:
				f = gradtest.SharedBufferFunc(f)
			case serial:
				f = gradtest.SerialBufferFunc(f)
			}
			return properties.CheckGradient(f, c.grad, c.x, s)
		}},
		{"hessian", func(c subject, shared, serial bool) error {
			return properties.CheckHessian(buf(c.grad, shared, serial), c.hess, c.x, s)
		}},
		{"jacobian", func(c subject, shared, serial bool) error {
			return properties.CheckJacobian(buf(c.grad, shared, serial), asJacobian(c.hess), c.x, s)
		}},
	}
	found := map[string]int{}
	alarms := 0
	for seed := uint64(1); seed <= seeds; seed++ {
		correct, _ := subjects(seed)
		for _, c := range correct {
			for _, ch := range checks {
				where := fmt.Sprintf("seed %d, %s of %s (d = %d; GRADCHECK_LONG=1 go test ./properties -run '^%s$')", seed, ch.name, c.name, len(c.x), t.Name())
				err := ch.run(c, true, false)
				switch {
				case !hasKind(err, properties.ConcurrencyUnsafe) || !strings.Contains(err.Error(), "is not safe for concurrent use"):
					t.Errorf("%s: shared buffer: %v, want concurrency-unsafe", where, err)
				case len(kindsOf(err)) != 1:
					t.Errorf("%s: shared buffer: %v beside concurrency-unsafe: %v", where, kindsOf(err), err)
				default:
					found[ch.name+" "+c.name]++
				}
				for _, serial := range []bool{false, true} {
					if err := ch.run(c, false, serial); err != nil {
						alarms++
						t.Errorf("%s: correct (serial buffer %v): %v", where, serial, err)
					}
				}
			}
			// A correct cache keyed on x, under a lock: safe too.
			f, g := gradtest.KeyedCache(c.f, c.grad)
			if err := properties.CheckGradient(f, g, c.x, s); err != nil {
				alarms++
				t.Errorf("seed %d, gradient of %s: KeyedCache under Workers = 4: %v", seed, c.name, err)
			}
		}
	}
	t.Logf("concurrency-unsafe reported (of %d seeds each): %v; %d false alarms on %d correct checks", seeds, found, alarms, (2*12+4)*seeds)
}

// TestConcurrencyPanic: a grad that panics only when two of its calls are
// in flight at once (a scratch buffer being resized under another call) is
// reported concurrency-unsafe, with the panic, not as a panic of grad; a
// grad that panics when called alone too is reported as a panic.
func TestConcurrencyPanic(t *testing.T) {
	var inFlight atomic.Int64
	grad := func(dst, x []float64) {
		defer inFlight.Add(-1)
		if inFlight.Add(1) > 1 {
			panic("scratch buffer resized by another call")
		}
		runtime.Gosched()
		rosenGrad(dst, x)
	}
	for seed := uint64(1); seed <= 10; seed++ {
		x := randomVec(rand.New(rand.NewPCG(seed, 6)), 10, 1)
		err := properties.CheckHessian(grad, rosenHess, x, &properties.Settings{Workers: 4})
		if !hasKind(err, properties.ConcurrencyUnsafe) || hasKind(err, properties.Panic) || !strings.Contains(err.Error(), "panicked") {
			t.Errorf("seed %d: %v, want concurrency-unsafe with the panic", seed, err)
		}
		if seed == 1 {
			t.Log(err)
		}
		// A grad that panics serially too, wherever x[0] > 0, x among
		// those points: a panic. (Away from x a panic is an edge of grad's
		// domain, edge_test.go.)
		panicky := func(dst, x []float64) {
			if x[0] > 0 {
				panic("log of a negative number")
			}
			rosenGrad(dst, x)
		}
		x[0] = 1e-7
		err = properties.CheckHessian(panicky, rosenHess, x, &properties.Settings{Workers: 4})
		if !hasKind(err, properties.Panic) || hasKind(err, properties.ConcurrencyUnsafe) {
			t.Errorf("seed %d: a grad that panics serially too: %v, want panic", seed, err)
		}
	}
}
