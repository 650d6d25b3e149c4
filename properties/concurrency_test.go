package properties_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
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
// cross-entropy, a two-layer net); the correct functions, and the same
// buffer under a lock (SerialBufferFunc, SerialBufferVec), pass.
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
		}
	}
	t.Logf("concurrency-unsafe reported (of %d seeds each): %v; %d false alarms on %d correct checks", seeds, found, alarms, 2*12*seeds)
}
