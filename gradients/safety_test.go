package gradients

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// bitsEqual reports whether a and b are identical bit for bit (NaN payloads
// and signed zeros included).
func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// allSettings lists every method with default and custom steps, serial and
// with 3 workers.
func allSettings() []*Settings {
	var out []*Settings
	for _, m := range append([]Method{Default}, Methods()...) {
		for _, step := range []float64{0, 1e-3} {
			for _, w := range []int{0, 3} {
				out = append(out, &Settings{Method: m, Step: step, Workers: w})
			}
		}
	}
	return append(out, nil)
}

func vecFunc(dst, x []float64) {
	dst[0] = x[0]*x[1] - math.Cos(x[2])
	dst[1] = math.Exp(x[1]) * x[3]
	dst[2] = x[0] + 2*x[1] + 3*x[2]*x[2] - x[3]*x[3]*x[3]
}

// TestInputUnchanged: after every entry point and every setting, the
// caller's x is bit-identical, negative zero and NaN payload included, and
// f never saw x itself.
func TestInputUnchanged(t *testing.T) {
	x := []float64{0.3, math.Copysign(0, -1), -1.7, 2.5}
	orig := slices.Clone(x)
	f := func(v []float64) float64 {
		if &v[0] == &x[0] {
			t.Fatal("f received the caller's x")
		}
		return extendedRosenbrock(v)
	}
	for _, s := range allSettings() {
		Gradient(nil, f, x, s)
		GradientWithError(nil, nil, f, x, s)
		Jacobian(mat.NewDense(3, 4, nil), vecFunc, x, s)
		if s == nil || s.Method == Default || s.Method == Central || s.Method == Ridders {
			Hessian(nil, f, x, s)
		}
		if !bitsEqual(x, orig) {
			t.Fatalf("settings %+v: x changed to %v", s, x)
		}
	}
	GradientComplex(nil, func(v []complex128) complex128 { return v[0] * v[1] * v[2] * v[3] }, x, nil)
	if !bitsEqual(x, orig) {
		t.Fatalf("GradientComplex: x changed to %v", x)
	}
	for _, w := range []int{0, 3} {
		OneSided(nil, nil, f, x, &Settings{Workers: w})
		Noise(f, x)
		if !bitsEqual(x, orig) {
			t.Fatalf("OneSided or Noise, %d workers: x changed to %v", w, x)
		}
	}
}

// TestMutatingFunction: an f that writes to its input (here: it scales
// every entry, as an in-place normalization would) gets the same result as
// the same computation without the writes, for every method.
func TestMutatingFunction(t *testing.T) {
	x := []float64{0.3, -1.2, 0.7, 2.1}
	clean := func(v []float64) float64 { return extendedRosenbrock(v) }
	mutating := func(v []float64) float64 {
		r := extendedRosenbrock(v)
		for i := range v {
			v[i] *= 1.5
		}
		return r
	}
	vecMutating := func(dst, v []float64) {
		vecFunc(dst, v)
		v[len(v)-1] = 99
	}
	for _, s := range allSettings() {
		want := Gradient(nil, clean, x, s)
		if got := Gradient(nil, mutating, x, s); !bitsEqual(got, want) {
			t.Errorf("settings %+v: gradient of a mutating f %v, want %v", s, got, want)
		}
		jw := Jacobian(mat.NewDense(3, 4, nil), vecFunc, x, s)
		if jg := Jacobian(mat.NewDense(3, 4, nil), vecMutating, x, s); !mat.Equal(jg, jw) {
			t.Errorf("settings %+v: Jacobian of a mutating f differs", s)
		}
		if s == nil || s.Method == Default || s.Method == Central || s.Method == Ridders {
			hw := Hessian(nil, clean, x, s)
			if hg := Hessian(nil, mutating, x, s); !mat.Equal(hg, hw) {
				t.Errorf("settings %+v: Hessian of a mutating f differs", s)
			}
		}
	}
	cf := func(v []complex128) complex128 { r := v[0] * v[1] * v[2]; v[0] = 7; return r }
	cw := GradientComplex(nil, func(v []complex128) complex128 { return v[0] * v[1] * v[2] }, x, nil)
	if cg := GradientComplex(nil, cf, x, nil); !bitsEqual(cg, cw) {
		t.Errorf("GradientComplex of a mutating f %v, want %v", cg, cw)
	}
}

// TestWorkersBitIdentical: with Workers > 1 every result is bit-identical to
// the serial one, for every method, at random asymmetric points.
func TestWorkersBitIdentical(t *testing.T) {
	rnd := rand.New(rand.NewPCG(11, 12))
	for range 5 {
		x := make([]float64, 7)
		for i := range x {
			x[i] = 4*rnd.Float64() - 2
		}
		vec := func(dst, v []float64) { extendedRosenbrockGrad(dst, v) }
		for _, m := range append([]Method{Default}, Methods()...) {
			for _, w := range []int{2, 3, 16, -1} {
				serial, par := &Settings{Method: m}, &Settings{Method: m, Workers: w}
				g1, e1 := GradientWithError(nil, nil, extendedRosenbrock, x, serial)
				g2, e2 := GradientWithError(nil, nil, extendedRosenbrock, x, par)
				if !bitsEqual(g1, g2) || !bitsEqual(e1, e2) {
					t.Errorf("%v, %d workers: gradient differs from serial", m, w)
				}
				r1, l1 := OneSided(nil, nil, extendedRosenbrock, x, serial)
				r2, l2 := OneSided(nil, nil, extendedRosenbrock, x, par)
				if !bitsEqual(r1, r2) || !bitsEqual(l1, l2) {
					t.Errorf("%v, %d workers: OneSided differs from serial", m, w)
				}
				j1 := Jacobian(mat.NewDense(7, 7, nil), vec, x, serial)
				j2 := Jacobian(mat.NewDense(7, 7, nil), vec, x, par)
				if !bitsEqual(j1.RawMatrix().Data, j2.RawMatrix().Data) {
					t.Errorf("%v, %d workers: Jacobian differs from serial", m, w)
				}
				if m == Default || m == Central || m == Ridders {
					h1 := Hessian(nil, extendedRosenbrock, x, serial)
					h2 := Hessian(nil, extendedRosenbrock, x, par)
					if !bitsEqual(h1.RawSymmetric().Data, h2.RawSymmetric().Data) {
						t.Errorf("%v, %d workers: Hessian differs from serial", m, w)
					}
				}
			}
		}
	}
}

// TestPanicInWorker: a panic in f reaches the caller's goroutine, where it
// can be recovered, whatever the number of workers.
func TestPanicInWorker(t *testing.T) {
	f := func(v []float64) float64 {
		if v[3] > 2.4 {
			panic("boom")
		}
		return v[0]
	}
	x := []float64{1, 2, 3, 2.3999}
	for _, w := range []int{1, 4} {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("%d workers: recovered %v, want the panic of f", w, r)
				}
			}()
			Gradient(nil, f, x, &Settings{Method: Central, Step: 1e-3, Workers: w})
			t.Errorf("%d workers: no panic", w)
		}()
	}
}

// TestMisusePanics: every misuse listed in the doc comments panics before f
// is called, with a "gradients: " message that says what was wanted.
func TestMisusePanics(t *testing.T) {
	x := []float64{1, 2, 3}
	called := false
	f := func(v []float64) float64 { called = true; return v[0] }
	vf := func(dst, v []float64) { called = true; dst[0] = v[0] }
	tests := []struct {
		name, want string
		call       func()
	}{
		{"dst too short", "len(dst) = 2, len(x) = 3", func() { Gradient(make([]float64, 2), f, x, nil) }},
		{"errs too long", "len(errs) = 4, len(x) = 3", func() { GradientWithError(nil, make([]float64, 4), f, x, nil) }},
		{"negative step", "Step = -0.1", func() { Gradient(nil, f, x, &Settings{Step: -0.1}) }},
		{"NaN step", "Step = NaN", func() { Gradient(nil, f, x, &Settings{Step: math.NaN()}) }},
		{"infinite step", "Step = +Inf", func() { Derivative(math.Sin, 1, &Settings{Step: math.Inf(1)}) }},
		{"negative noise", "Noise = -1e-15", func() { Gradient(nil, f, x, &Settings{Noise: -1e-15}) }},
		{"NaN noise", "Noise = NaN", func() { Derivative(math.Sin, 1, &Settings{Noise: math.NaN()}) }},
		{"infinite noise", "Noise = +Inf", func() { Hessian(nil, f, x, &Settings{Noise: math.Inf(1)}) }},
		{"unknown method", "unknown method Method(42)", func() { Gradient(nil, f, x, &Settings{Method: 42}) }},
		{"negative method", "unknown method Method(-1)", func() { Jacobian(mat.NewDense(1, 3, nil), vf, x, &Settings{Method: -1}) }},
		{"nil Jacobian dst", "dst is nil or empty", func() { Jacobian(nil, vf, x, nil) }},
		{"Jacobian dst columns", "dst is 1×2, len(x) = 3 (want 1×3)", func() { Jacobian(mat.NewDense(1, 2, nil), vf, x, nil) }},
		{"Jacobian errs size", "errs is 2×3, dst is 1×3", func() { JacobianWithError(mat.NewDense(1, 3, nil), mat.NewDense(2, 3, nil), vf, x, nil) }},
		{"Hessian dst size", "dst is 2×2, len(x) = 3", func() { Hessian(mat.NewSymDense(2, nil), f, x, nil) }},
		{"Hessian method", "method Forward is not available for Hessians", func() { Hessian(nil, f, x, &Settings{Method: Forward}) }},
		{"complex dst", "GradientComplex: len(dst) = 1", func() {
			GradientComplex(make([]float64, 1), func(v []complex128) complex128 { called = true; return v[0] }, x, nil)
		}},
		{"complex step", "DerivativeComplex: Step = -1", func() {
			DerivativeComplex(func(v complex128) complex128 { called = true; return v }, 1, &Settings{Step: -1})
		}},
		{"complex method", "GradientComplex: unknown method Method(9)", func() {
			GradientComplex(nil, func(v []complex128) complex128 { called = true; return v[0] }, x, &Settings{Method: 9})
		}},
		{"Jacobian of no coordinates", "Jacobian: len(x) = 0", func() { Jacobian(&mat.Dense{}, vf, nil, nil) }},
		{"OneSided left length", "OneSided: len(left) = 2, len(x) = 3", func() { OneSided(nil, make([]float64, 2), f, x, nil) }},
		{"OneSided unknown method", "OneSided: unknown method Method(7)", func() { OneSided(nil, nil, f, x, &Settings{Method: 7}) }},
		{"nil f Gradient", "Gradient: f is nil", func() { Gradient(nil, nil, nil, nil) }},
		{"nil f GradientWithError", "GradientWithError: f is nil", func() { GradientWithError(nil, nil, nil, x, nil) }},
		{"nil f Jacobian", "Jacobian: f is nil", func() { Jacobian(mat.NewDense(1, 3, nil), nil, x, nil) }},
		{"nil f Hessian", "Hessian: f is nil", func() { Hessian(nil, nil, nil, nil) }},
		{"nil f Derivative", "Derivative: f is nil", func() { Derivative(nil, 1, nil) }},
		{"nil f GradientComplex", "GradientComplex: f is nil", func() { GradientComplex(nil, nil, x, nil) }},
		{"nil f DerivativeComplex", "DerivativeComplex: f is nil", func() { DerivativeComplex(nil, 1, nil) }},
		{"nil f OneSided", "OneSided: f is nil", func() { OneSided(nil, nil, nil, x, nil) }},
		{"nil f Noise", "Noise: f is nil", func() { Noise(nil, x) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called = false
			defer func() {
				r := recover()
				msg, _ := r.(string)
				if !strings.HasPrefix(msg, "gradients: ") || !strings.Contains(msg, tt.want) {
					t.Errorf("panic %q, want a \"gradients: \" message containing %q", r, tt.want)
				}
				if called {
					t.Error("f was called before the panic")
				}
			}()
			tt.call()
		})
	}
}

// TestAllocs pins at most 2 allocations per call when dst is given, for
// every entry point, at every dimension: the probe and its buffers come
// from a sync.Pool, and the serial path uses no closures or goroutines.
// Measured: 0 once the pool is warm.
func TestAllocs(t *testing.T) {
	f := func(v []float64) float64 {
		s := 0.0
		for _, e := range v {
			s += e * e
		}
		return s
	}
	for _, m := range append([]Method{Default}, Methods()...) {
		var counts []float64
		for _, d := range []int{10, 1000} {
			x := make([]float64, d)
			for i := range x {
				x[i] = float64(i%7) - 3.1
			}
			dst := make([]float64, d)
			s := &Settings{Method: m}
			counts = append(counts, testing.AllocsPerRun(5, func() { Gradient(dst, f, x, s) }))
		}
		if counts[0] > 2 || counts[1] > 2 {
			t.Errorf("%v: %v allocations per call at d = 10 and 1000, want ≤ 2", m, counts)
		}
	}
	// The other entry points, with their defaults (Central for the
	// Jacobian): ≤ 2 as well.
	vf := func(dst, v []float64) { dst[0], dst[1] = f(v), v[0] }
	for name, call := range map[string]func(x []float64) func(){
		"GradientWithError": func(x []float64) func() {
			g, e := make([]float64, len(x)), make([]float64, len(x))
			return func() { GradientWithError(g, e, f, x, nil) }
		},
		"JacobianWithError": func(x []float64) func() {
			j, e := mat.NewDense(2, len(x), nil), mat.NewDense(2, len(x), nil)
			return func() { JacobianWithError(j, e, vf, x, &Settings{Method: Central}) }
		},
		"Hessian": func(x []float64) func() {
			h := mat.NewSymDense(len(x), nil)
			return func() { Hessian(h, f, x, nil) }
		},
		"HessianRidders": func(x []float64) func() {
			h := mat.NewSymDense(len(x), nil)
			return func() { Hessian(h, f, x, &Settings{Method: Ridders, Step: 0.01}) }
		},
		"Jacobian": func(x []float64) func() {
			j := mat.NewDense(2, len(x), nil)
			return func() { Jacobian(j, vf, x, nil) }
		},
		"DerivativeWithError": func(x []float64) func() {
			line := func(t float64) float64 { return t * t * x[0] }
			return func() { DerivativeWithError(line, x[1], nil) }
		},
		"OneSided": func(x []float64) func() {
			r, l := make([]float64, len(x)), make([]float64, len(x))
			return func() { OneSided(r, l, f, x, nil) }
		},
	} {
		var counts []float64
		for _, d := range []int{10, 100} {
			x := make([]float64, d)
			for i := range x {
				x[i] = float64(i%7) - 3.1
			}
			counts = append(counts, testing.AllocsPerRun(2, call(x)))
		}
		if counts[0] > 2 || counts[1] > 2 {
			t.Errorf("%s: %v allocations per call at d = 10 and 100, want ≤ 2", name, counts)
		}
	}
}

// TestMaxOf: maxOf is math.Max, bit for bit, on the special values.
func TestMaxOf(t *testing.T) {
	vals := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1, -1, 1e300, math.SmallestNonzeroFloat64}
	for _, a := range vals {
		for _, b := range vals {
			if got, want := maxOf(a, b), math.Max(a, b); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("maxOf(%v, %v) = %v, math.Max %v", a, b, got, want)
			}
		}
	}
}
