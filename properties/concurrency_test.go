package properties_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// Hess is the Hessian of Func: (2/n)Σⱼ(∇oⱼ∇oⱼᵀ + rⱼ∇²oⱼ) with oⱼ =
// v·tanh(W xⱼ) and rⱼ = oⱼ − yⱼ. With a = tanh(z): ∂oⱼ/∂v_u = a_u,
// ∂oⱼ/∂W_uc = v_u(1−a_u²)x_c; ∂²oⱼ/∂v_u∂W_uc = (1−a_u²)x_c,
// ∂²oⱼ/∂W_uc∂W_uc' = −2v_u a_u(1−a_u²)x_c x_c', and the other second
// derivatives are zero.
func (t *twoLayer) Hess(dst *mat.SymDense, w []float64) {
	n, m := t.X.Dims()
	h, D := t.h, len(w)
	act := t.forward(w)
	v := w[h*m:]
	H := mat.NewDense(D, D, nil)
	grad := make([]float64, D)
	for j := 0; j < n; j++ {
		r := -t.Y[j]
		for u := 0; u < h; u++ {
			r += v[u] * act[j*h+u]
		}
		for u := 0; u < h; u++ {
			a := act[j*h+u]
			grad[h*m+u] = a
			for c := 0; c < m; c++ {
				grad[u*m+c] = v[u] * (1 - a*a) * t.X.At(j, c)
			}
		}
		for p := 0; p < D; p++ {
			for q := 0; q < D; q++ {
				H.Set(p, q, H.At(p, q)+grad[p]*grad[q])
			}
		}
		for u := 0; u < h; u++ {
			a := act[j*h+u]
			for c := 0; c < m; c++ {
				xc := t.X.At(j, c)
				H.Set(h*m+u, u*m+c, H.At(h*m+u, u*m+c)+r*(1-a*a)*xc)
				H.Set(u*m+c, h*m+u, H.At(u*m+c, h*m+u)+r*(1-a*a)*xc)
				for c2 := 0; c2 < m; c2++ {
					H.Set(u*m+c, u*m+c2, H.At(u*m+c, u*m+c2)-r*2*v[u]*a*(1-a*a)*xc*t.X.At(j, c2))
				}
			}
		}
	}
	for p := 0; p < D; p++ {
		for q := p; q < D; q++ {
			dst.SetSym(p, q, 2*H.At(p, q)/float64(n))
		}
	}
}

// asJacobian returns hess as the Jacobian of the map grad.
func asJacobian(hess func(dst *mat.SymDense, x []float64)) func(dst *mat.Dense, x []float64) {
	return func(dst *mat.Dense, x []float64) {
		d := len(x)
		h := mat.NewSymDense(d, nil)
		hess(h, x)
		if dst.IsEmpty() {
			dst.ReuseAs(d, d)
		}
		dst.Copy(h)
	}
}

// TestNetHess: the net's Hessian passes CheckHessian, so the net can stand
// as a correct subject of the Hessian and Jacobian checks below.
func TestNetHess(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		correct, _ := subjects(seed)
		net := correct[3]
		if err := properties.CheckHessian(net.grad, net.hess, net.x, nil); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
		if err := properties.CheckHessian(net.grad, gradtest.ScaledHess(net.hess, 1.001), net.x, nil); err == nil {
			t.Errorf("seed %d: a Hessian scaled by 1.001 passes", seed)
		}
	}
}

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
