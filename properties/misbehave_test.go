package properties_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// x50 is a point in 50 dimensions for the concurrency case of TestKinds:
// enough evaluations that the engine's workers overlap.
var x50 = func() []float64 {
	rnd := rand.New(rand.NewPCG(50, 50))
	return randomVec(rnd, 50, 1)
}()

// twoLayer is the loss (1/n)Σⱼ(v·tanh(W xⱼ) − yⱼ)² of a net with h hidden
// units, parameters w = [W (h×m, row by row), v (h)]. Func caches the
// hidden activations of its last call, and Grad reads them when stale is
// set: the forward/backward split done wrong. Otherwise Grad recomputes.
type twoLayer struct {
	X     *mat.Dense // n×m
	Y     []float64
	h     int
	stale bool
	act   []float64 // n×h activations of the last Func
}

func (t *twoLayer) forward(w []float64) []float64 {
	n, m := t.X.Dims()
	act := make([]float64, n*t.h)
	for j := 0; j < n; j++ {
		for u := 0; u < t.h; u++ {
			z := 0.0
			for c := 0; c < m; c++ {
				z += w[u*m+c] * t.X.At(j, c)
			}
			act[j*t.h+u] = math.Tanh(z)
		}
	}
	return act
}

// Func caches its activations only when stale is set: the correct net
// keeps no state, and is safe for concurrent use.
func (t *twoLayer) Func(w []float64) float64 {
	n, m := t.X.Dims()
	act := t.forward(w)
	if t.stale {
		t.act = act
	}
	v := w[t.h*m:]
	s := 0.0
	for j := 0; j < n; j++ {
		o := -t.Y[j]
		for u := 0; u < t.h; u++ {
			o += v[u] * act[j*t.h+u]
		}
		s += o * o
	}
	return s / float64(n)
}

func (t *twoLayer) Grad(dst, w []float64) {
	n, m := t.X.Dims()
	act := t.act
	if !t.stale || act == nil {
		act = t.forward(w)
	}
	v := w[t.h*m:]
	clear(dst)
	for j := 0; j < n; j++ {
		o := -t.Y[j]
		for u := 0; u < t.h; u++ {
			o += v[u] * act[j*t.h+u]
		}
		g := 2 * o / float64(n)
		for u := 0; u < t.h; u++ {
			a := act[j*t.h+u]
			dst[t.h*m+u] += g * a
			back := g * v[u] * (1 - a*a)
			for c := 0; c < m; c++ {
				dst[u*m+c] += back * t.X.At(j, c)
			}
		}
	}
}

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

// subject is a correct function, gradient and Hessian at a point (hess is
// nil where not needed).
type subject struct {
	name string
	f    func([]float64) float64
	grad func(dst, x []float64)
	x    []float64
	hess func(dst *mat.SymDense, x []float64)
}

// subjects draws four subjects from seed: MSE, logistic,
// softmax cross-entropy (d = 6…12) and a two-layer net (correct, and with
// stale cached activations in stale).
func subjects(seed uint64) (correct []subject, staleNet subject) {
	rnd := rand.New(rand.NewPCG(seed, 12))
	n, d := 20, 6+rnd.IntN(7)
	X := mat.NewDense(n, d, randomVec(rnd, n*d, 1))
	y := randomVec(rnd, n, 1)
	labels := make([]float64, n)
	for i := range labels {
		labels[i] = float64(rnd.IntN(2))
	}
	k := 3
	P := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		P.Set(i, rnd.IntN(k), 1)
	}
	mse := &functions.MSE{X: X, Y: y}
	lg := &functions.Logistic{X: X, Y: labels, L2: 0.1}
	sm := &functions.SoftmaxCrossEntropy{X: X, Y: P}
	m, h := 3, 4
	Xn := mat.NewDense(n, m, randomVec(rnd, n*m, 1))
	net := &twoLayer{X: Xn, Y: y, h: h}
	bad := &twoLayer{X: Xn, Y: y, h: h, stale: true}
	wNet := randomVec(rnd, h*m+h, 0.7)
	correct = []subject{
		{"mse", mse.Func, mse.Grad, randomVec(rnd, d, 1), mse.Hess},
		{"logistic", lg.Func, lg.Grad, randomVec(rnd, d, 1), lg.Hess},
		{"softmax", sm.Func, sm.Grad, randomVec(rnd, d*k, 1), sm.Hess},
		{"net", net.Func, net.Grad, wNet, net.Hess},
	}
	return correct, subject{"net with stale activations", bad.Func, bad.Grad, wNet, nil}
}

const misbehaveSeeds = 100

// hasKind reports whether err holds a failure of kind.
func hasKind(err error, kind properties.Kind) bool { return errors.Is(err, kind) }

// TestStaleState: every stale subject is reported stale-state, on every
// seed; the correct ones and a correct cache keyed on x pass.
func TestStaleState(t *testing.T) {
	found, total, alarms := 0, 0, 0
	for seed := uint64(1); seed <= misbehaveSeeds; seed++ {
		correct, staleNet := subjects(seed)
		cases := []subject{staleNet}
		for _, c := range correct {
			f, g := gradtest.StaleCache(c.f, c.grad)
			cases = append(cases, subject{c.name + " StaleCache", f, g, c.x, nil})
		}
		for _, c := range cases {
			total++
			err := properties.CheckGradient(c.f, c.grad, c.x, nil)
			if hasKind(err, properties.StaleState) && strings.Contains(err.Error(), "depends on the last call of") {
				found++
			} else {
				t.Errorf("seed %d, %s: %v, want stale-state", seed, c.name, err)
			}
		}
		for _, c := range correct {
			f, g := gradtest.KeyedCache(c.f, c.grad)
			for _, cc := range []subject{c, {c.name + " KeyedCache", f, g, c.x, nil}} {
				if err := properties.CheckGradient(cc.f, cc.grad, cc.x, nil); err != nil {
					alarms++
					t.Errorf("seed %d, correct %s: %v", seed, cc.name, err)
				}
			}
		}
	}
	t.Logf("stale-state: %d of %d reported; %d false alarms on %d correct checks", found, total, alarms, 8*misbehaveSeeds)
}

// TestStaleHessianJacobian: hess that reads grad's cache, jac that reads
// f's, are reported.
func TestStaleHessianJacobian(t *testing.T) {
	var last []float64
	grad := func(g, x []float64) { last = append(last[:0], x...); rosenGrad(g, x) }
	hess := func(h *mat.SymDense, x []float64) { rosenHess(h, last) }
	if err := properties.CheckHessian(grad, hess, x5, nil); !hasKind(err, properties.StaleState) || !strings.Contains(err.Error(), "hess(x) depends on the last call of grad") {
		t.Errorf("stale hess: %v", err)
	}
	if err := properties.CheckHessian(rosenGrad, rosenHess, x5, nil); err != nil {
		t.Errorf("correct hess: %v", err)
	}
	var lastF []float64
	f := func(dst, x []float64) { lastF = append(lastF[:0], x...); softmaxApply(dst, x) }
	jac := func(j *mat.Dense, x []float64) {
		if lastF == nil {
			softmaxJac(j, x) // asked for k before any call of f
			return
		}
		softmaxJac(j, lastF)
	}
	if err := properties.CheckJacobian(f, jac, x5, nil); !hasKind(err, properties.StaleState) {
		t.Errorf("stale jac: %v", err)
	}
}

// TestAccumulatedDst: a grad that adds into dst is reported as such, never
// as a shape bug, on every seed.
func TestAccumulatedDst(t *testing.T) {
	found, total := 0, 0
	for seed := uint64(1); seed <= misbehaveSeeds; seed++ {
		correct, _ := subjects(seed)
		for _, c := range correct {
			total++
			err := properties.CheckGradient(c.f, gradtest.AccumulatingVec(c.grad), c.x, nil)
			var fl *properties.Failure
			if errors.As(err, &fl) && fl.Kind == properties.AccumulatedDst && !hasKind(err, properties.Shape) {
				found++
			} else {
				t.Errorf("seed %d, %s: %v, want accumulated-dst", seed, c.name, err)
			}
		}
	}
	t.Logf("accumulated-dst: %d of %d reported", found, total)
}

// TestLateMutation: writes to x after the first calls, or an in-place
// clamp, are reported with the call; the verdict on the derivative is
// still given.
func TestLateMutation(t *testing.T) {
	found, total := 0, 0
	for seed := uint64(1); seed <= misbehaveSeeds; seed++ {
		correct, _ := subjects(seed)
		for _, c := range correct {
			total++
			f := gradtest.LateMutatingFunc(c.f, 2+int(seed%40))
			err := properties.CheckGradient(f, gradtest.ScaledVec(c.grad, 2), c.x, nil)
			if hasKind(err, properties.InputMutated) && hasKind(err, properties.ConstantFactor) && strings.Contains(err.Error(), "f wrote to its input on evaluation #") {
				found++
			} else {
				t.Errorf("seed %d, %s: %v, want input-mutated and constant-factor", seed, c.name, err)
			}
		}
	}
	t.Logf("late mutation: %d of %d reported with the verdict on the derivative", found, total)
	// An in-place clamp at 0.05 with x[4] = 0.04 below it: reported on the
	// first call, and the verdict is on f(clamp(x)), which grad does not
	// match.
	x := []float64{0.3, 1.2, 0.7, 2.1, 0.04}
	err := properties.CheckGradient(gradtest.ClampingFunc(rosen, 0.05), rosenGrad, x, nil)
	if !hasKind(err, properties.InputMutated) {
		t.Errorf("clamping f: %v, want input-mutated", err)
	}
	t.Log(err)
}

// TestConcurrencyUnsafe: f with a shared scratch buffer under Workers = 4
// is reported on every seed; correct subjects under Workers = 4 pass.
func TestConcurrencyUnsafe(t *testing.T) {
	found, total, alarms := 0, 0, 0
	for seed := uint64(1); seed <= misbehaveSeeds; seed++ {
		rnd := rand.New(rand.NewPCG(seed, 4))
		x := randomVec(rnd, 50, 1)
		total++
		s := &properties.Settings{Workers: 4}
		err := properties.CheckGradient(gradtest.SharedBufferFunc(rosen), rosenGrad, x, s)
		if hasKind(err, properties.ConcurrencyUnsafe) {
			found++
		} else {
			t.Errorf("seed %d: f with a shared buffer under Workers = 4: %v, want concurrency-unsafe", seed, err)
		}
		if err := properties.CheckGradient(rosen, rosenGrad, x, s); err != nil {
			alarms++
			t.Errorf("seed %d: correct f under Workers = 4: %v", seed, err)
		}
		// The losses of package functions take their scratch memory from
		// a sync.Pool: safe for concurrent use.
		correct, _ := subjects(seed)
		for _, c := range correct[:3] {
			if err := properties.CheckGradient(c.f, c.grad, c.x, s); err != nil {
				alarms++
				t.Errorf("seed %d: correct %s under Workers = 4: %v", seed, c.name, err)
			}
		}
	}
	t.Logf("concurrency-unsafe: %d of %d reported; %d false alarms on %d correct checks", found, total, alarms, 4*total)
}

// TestBudget: MaxEvals and Timeout stop a check with Kind stopped.
func TestBudget(t *testing.T) {
	err := properties.CheckGradient(rosen, rosenGrad, x50, &properties.Settings{MaxEvals: 50})
	if !hasKind(err, properties.Stopped) || !strings.Contains(err.Error(), "neither a pass nor a verdict") {
		t.Errorf("MaxEvals: %v", err)
	}
	// A stopped check is no verdict: Run and Verify log it, and it is no bug.
	if !errors.Is(err, properties.NoVerdict) || errors.Is(err, properties.Bug) {
		t.Errorf("MaxEvals: errors.Is(err, NoVerdict) = %v, errors.Is(err, Bug) = %v; want true, false", errors.Is(err, properties.NoVerdict), errors.Is(err, properties.Bug))
	}
	// The full check needs hundreds of evaluations of 1 ms each, far
	// beyond the 30 ms box, however fast or slow the machine.
	err = properties.CheckGradient(gradtest.SlowFunc(rosen, time.Millisecond), rosenGrad, x50, &properties.Settings{Timeout: 30 * time.Millisecond})
	if !hasKind(err, properties.Stopped) {
		t.Errorf("Timeout: %v", err)
	}
	err = properties.CheckGradient(gradtest.SlowFunc(rosen, time.Millisecond), rosenGrad, x50, &properties.Settings{Timeout: 30 * time.Millisecond, Workers: 4})
	if !hasKind(err, properties.Stopped) {
		t.Errorf("Timeout with workers: %v", err)
	}
	if err := properties.CheckGradient(rosen, rosenGrad, x50, &properties.Settings{MaxEvals: 1000}); err != nil {
		t.Errorf("within budget: %v", err)
	}
	// Quick evaluations, where the clock is read every few of them: the
	// check at d = 10 000 needs 40 000 evaluations of 10 000 terms each,
	// 4·10⁸ terms, far beyond 1 ms on any machine.
	x := make([]float64, 10_000)
	for i := range x {
		x[i] = math.Sin(float64(i))
	}
	err = properties.CheckGradient(rosen, rosenGrad, x, &properties.Settings{Timeout: time.Millisecond})
	if !hasKind(err, properties.Stopped) {
		t.Errorf("Timeout with quick evaluations: %v", err)
	}
}

// TestMaxEvalsBoundsEvals: Report.Evals never exceeds Settings.MaxEvals,
// the probes after the comparison included, and a check passes under a
// bound only if its unbounded run needs no more. The evaluation that would
// cross the bound is not made (it was counted, and f at x and the stale
// probe were not bounded: MaxEvals 28 passed with 29 evaluations).
func TestMaxEvalsBoundsEvals(t *testing.T) {
	x := []float64{0.3, -0.2, 0.1}
	for _, workers := range []int{1, 4} {
		s := &properties.Settings{Workers: workers}
		full := properties.GradientReport(rosen, rosenGrad, x, s)
		if full.Err != nil {
			t.Fatalf("Workers %d: unbounded: %v", workers, full.Err)
		}
		for m := 1; m <= full.Evals+2; m++ {
			r := properties.GradientReport(rosen, rosenGrad, x, &properties.Settings{Workers: workers, MaxEvals: m})
			if r.Evals > m {
				t.Errorf("Workers %d, MaxEvals %d: Report.Evals = %d", workers, m, r.Evals)
			}
			switch {
			case m < full.Evals && !hasKind(r.Err, properties.Stopped):
				t.Errorf("Workers %d, MaxEvals %d below the %d the check needs: %v, want stopped", workers, m, full.Evals, r.Err)
			case m >= full.Evals && r.Err != nil:
				t.Errorf("Workers %d, MaxEvals %d, the check needs %d: %v, want a pass", workers, m, full.Evals, r.Err)
			}
		}
	}
}

// TestStaleProbeOutsideDomain: a correct f that panics outside its domain
// (x > 0) is not reported because of the probe's other point.
func TestStaleProbeOutsideDomain(t *testing.T) {
	f := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			if v <= 0 {
				panic("log of a non-positive number")
			}
			s += math.Log(v)
		}
		return s
	}
	grad := func(g, x []float64) {
		for i, v := range x {
			if v <= 0 {
				panic("log of a non-positive number")
			}
			g[i] = 1 / v
		}
	}
	x := []float64{0.05, 0.08, 0.06}
	if err := properties.CheckGradient(f, grad, x, nil); err != nil {
		t.Errorf("correct f near the edge of its domain: %v", err)
	}
}

// TestConcurrencyUnsafeVec: a grad (CheckHessian, CheckSymmetric) or map
// (CheckJacobian) with a shared scratch buffer under Workers = 4 is
// reported on every seed (20; 100 with GRADCHECK_LONG=1); the correct ones
// pass.
func TestConcurrencyUnsafeVec(t *testing.T) {
	foundH, foundJ, foundS, alarms := 0, 0, 0, 0
	seeds := uint64(20)
	if os.Getenv(testenv.EnvLong) == "1" {
		seeds = 100
	}
	s := &properties.Settings{Workers: 4}
	found := func(n *int, seed uint64, check string, err error) {
		if hasKind(err, properties.ConcurrencyUnsafe) {
			*n++
			return
		}
		t.Errorf("seed %d: %s with a shared buffer under Workers = 4: %v, want concurrency-unsafe", seed, check, err)
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		rnd := rand.New(rand.NewPCG(seed, 5))
		x := randomVec(rnd, 30, 1)
		found(&foundH, seed, "CheckHessian", properties.CheckHessian(gradtest.SharedBufferVec(rosenGrad), rosenHess, x, s))
		found(&foundJ, seed, "CheckJacobian", properties.CheckJacobian(gradtest.SharedBufferVec(softmaxApply), softmaxJac, x, s))
		found(&foundS, seed, "CheckSymmetric", properties.CheckSymmetric(gradtest.SharedBufferVec(rosenGrad), x, s))
		if err := properties.CheckSymmetric(rosenGrad, x, s); err != nil {
			alarms++
			t.Errorf("seed %d: correct grad, symmetry under Workers = 4: %v", seed, err)
		}
		if err := properties.CheckHessian(rosenGrad, rosenHess, x, s); err != nil {
			alarms++
			t.Errorf("seed %d: correct hess under Workers = 4: %v", seed, err)
		}
		if err := properties.CheckJacobian(softmaxApply, softmaxJac, x, s); err != nil {
			alarms++
			t.Errorf("seed %d: correct jac under Workers = 4: %v", seed, err)
		}
	}
	t.Logf("concurrency-unsafe: hessian %d of %d, jacobian %d of %d, symmetry %d of %d reported; %d false alarms on %d correct checks",
		foundH, seeds, foundJ, seeds, foundS, seeds, alarms, 3*seeds)
}

// TestAccumulatedDstMatrices: hess and jac that add into dst are reported
// as such, not as entries left unwritten.
func TestAccumulatedDstMatrices(t *testing.T) {
	hess := func(h *mat.SymDense, x []float64) {
		tmp := mat.NewSymDense(len(x), nil)
		rosenHess(tmp, x)
		for i := range len(x) {
			for j := i; j < len(x); j++ {
				h.SetSym(i, j, h.At(i, j)+tmp.At(i, j))
			}
		}
	}
	err := properties.CheckHessian(rosenGrad, hess, x5, nil)
	var fl *properties.Failure
	if !errors.As(err, &fl) || fl.Kind != properties.AccumulatedDst || !strings.Contains(err.Error(), "hess reads dst before writing it") {
		t.Errorf("accumulating hess: %v", err)
	}
	jac := func(j *mat.Dense, x []float64) {
		var tmp mat.Dense
		softmaxJac(&tmp, x)
		if j.IsEmpty() {
			j.ReuseAs(tmp.Dims())
		}
		j.Add(j, &tmp)
	}
	err = properties.CheckJacobian(softmaxApply, jac, x5, nil)
	if !errors.As(err, &fl) || fl.Kind != properties.AccumulatedDst || !strings.Contains(err.Error(), "jac reads dst before writing it: with dst prefilled with 1, entry [0,0]") {
		t.Errorf("accumulating jac: %v", err)
	}
	t.Log(err)
}

// TestLateMutationGrad: a grad that writes to x from its second call on is
// reported, with the call; the verdict on the gradient stands.
func TestLateMutationGrad(t *testing.T) {
	calls := 0
	grad := func(g, x []float64) {
		rosenGrad(g, x)
		if calls++; calls > 1 {
			x[2] = -9
		}
	}
	err := properties.CheckGradient(rosen, grad, x5, nil)
	if !hasKind(err, properties.InputMutated) || !strings.Contains(err.Error(), "grad wrote to its input on call #") {
		t.Errorf("late-mutating grad: %v", err)
	}
	var fl *properties.Failure
	if errors.As(err, &fl) && fl.Row != 2 {
		t.Errorf("Row = %d, want 2", fl.Row)
	}
	t.Log(err)
}

// TestMisbehaviourKinds runs misbehaviourKinds on 5 seeds;
// GRADCHECK_LONG=1 runs 100.
func TestMisbehaviourKinds(t *testing.T) {
	seeds := uint64(5)
	if os.Getenv(testenv.EnvLong) == "1" {
		seeds = misbehaveSeeds
	}
	misbehaviourKinds(t, seeds)
}

// misbehaviourKinds: in CheckHessian (grad, hess) and CheckJacobian (grad
// as a map, hess as its Jacobian), for every kind (MSE, logistic, softmax
// cross-entropy, a two-layer net): a second derivative that reads the
// point of grad's last call is stale-state (not on MSE, whose Hessian is
// constant), one that adds into dst is
// accumulated-dst (not shape), a grad that writes to x from its 3rd call on
// is input-mutated with the verdict on a Hessian scaled by 2 still given;
// the correct ones pass. (The same misbehaviours of grad in CheckGradient:
// TestStaleState, TestAccumulatedDst, TestLateMutation.)
func misbehaviourKinds(t *testing.T, seeds uint64) {
	type hessFunc = func(dst *mat.SymDense, x []float64)
	stale := func(grad func(dst, x []float64), hess hessFunc) (func(dst, x []float64), hessFunc) {
		var last []float64
		return func(dst, x []float64) {
				last = append(last[:0], x...)
				grad(dst, x)
			}, func(dst *mat.SymDense, x []float64) {
				if len(last) == len(x) {
					x = last
				}
				hess(dst, x)
			}
	}
	type check struct {
		name string
		run  func(grad func(dst, x []float64), hess hessFunc, x []float64) error
		// accumulating runs the check with a second derivative that adds
		// into dst.
		accumulating func(grad func(dst, x []float64), hess hessFunc, x []float64) error
	}
	checks := []check{
		{"hessian", func(grad func(dst, x []float64), hess hessFunc, x []float64) error {
			return properties.CheckHessian(grad, hess, x, nil)
		}, func(grad func(dst, x []float64), hess hessFunc, x []float64) error {
			return properties.CheckHessian(grad, func(dst *mat.SymDense, x []float64) {
				d := len(x)
				tmp := mat.NewSymDense(d, nil)
				hess(tmp, x)
				for i := range d {
					for j := i; j < d; j++ {
						dst.SetSym(i, j, dst.At(i, j)+tmp.At(i, j))
					}
				}
			}, x, nil)
		}},
		{"jacobian", func(grad func(dst, x []float64), hess hessFunc, x []float64) error {
			return properties.CheckJacobian(grad, asJacobian(hess), x, nil)
		}, func(grad func(dst, x []float64), hess hessFunc, x []float64) error {
			jac := asJacobian(hess)
			return properties.CheckJacobian(grad, func(dst *mat.Dense, x []float64) {
				var tmp mat.Dense
				jac(&tmp, x)
				if dst.IsEmpty() {
					dst.ReuseAs(tmp.Dims())
				}
				dst.Add(dst, &tmp)
			}, x, nil)
		}},
	}
	found := map[string]int{}
	for seed := uint64(1); seed <= seeds; seed++ {
		correct, _ := subjects(seed)
		for _, c := range correct {
			for _, ch := range checks {
				where := fmt.Sprintf("seed %d, %s of %s (d = %d; GRADCHECK_LONG=1 go test ./properties -run '^%s$')", seed, ch.name, c.name, len(c.x), t.Name())
				second := map[string]string{"hessian": "hess", "jacobian": "jac"}[ch.name]
				first := map[string]string{"hessian": "grad", "jacobian": "f"}[ch.name]
				if err := ch.run(c.grad, c.hess, c.x); err != nil {
					t.Errorf("%s: correct: %v", where, err)
				}
				// MSE's Hessian does not depend on x: no state can be stale.
				if c.name != "mse" {
					g, h := stale(c.grad, c.hess)
					err := ch.run(g, h, c.x)
					if hasKind(err, properties.StaleState) && strings.Contains(err.Error(), second+"(x) depends on the last call of "+first) {
						found[ch.name+" stale-state"]++
					} else {
						t.Errorf("%s: %s reads grad's last point: %v, want stale-state", where, second, err)
					}
				}
				err := ch.accumulating(c.grad, c.hess, c.x)
				var fl *properties.Failure
				if errors.As(err, &fl) && fl.Kind == properties.AccumulatedDst && !hasKind(err, properties.Shape) {
					found[ch.name+" accumulated-dst"]++
				} else {
					t.Errorf("%s: %s adds into dst: %v, want accumulated-dst", where, second, err)
				}
				err = ch.run(gradtest.LateMutatingVec(c.grad, 2), gradtest.ScaledHess(c.hess, 2), c.x)
				if hasKind(err, properties.InputMutated) && hasKind(err, properties.ConstantFactor) && strings.Contains(err.Error(), first+" wrote to its input") {
					found[ch.name+" input-mutated"]++
				} else {
					t.Errorf("%s: %s writes to x from its 3rd call on, %s scaled by 2: %v, want input-mutated and constant-factor", where, first, second, err)
				}
			}
		}
	}
	t.Logf("reported (of %d seeds × 4 kinds each; stale-state: × 3, not MSE): %v", seeds, found)
}

// TestWriteOnce: f that writes to its input on one call only, during the
// screen's central differences (which do not watch each evaluation), is
// reported with the evaluations the write happened within, and nothing
// else is reported of a correct gradient; the same f writing on one
// call of the noise measurement (watched) is reported with the call. A
// grad scaled by 2 still gets its verdict.
func TestWriteOnce(t *testing.T) {
	writeOn := func(call int64) func([]float64) float64 {
		var n int64
		return func(x []float64) float64 {
			v := rosen(x)
			if n++; n == call {
				x[3] = 99
			}
			return v
		}
	}
	// x5 has d = 5: evaluations 1–2 are f(x), 3–17 the noise, 18–28 and
	// 29–39 the one-sided differences at h and 2h.
	for _, tc := range []struct {
		call int64
		want string
	}{
		{25, "f wrote to its input during evaluations #18 to #"},
		{10, "f wrote to its input on evaluation #10"},
	} {
		err := properties.CheckGradient(writeOn(tc.call), rosenGrad, x5, nil)
		var fl *properties.Failure
		if !errors.As(err, &fl) || fl.Kind != properties.InputMutated || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("write on call %d: %v, want %q", tc.call, err, tc.want)
		}
		if errs, ok := err.(interface{ Unwrap() []error }); ok && len(errs.Unwrap()) > 1 {
			t.Errorf("write on call %d: %v, want one failure", tc.call, err)
		}
		err = properties.CheckGradient(writeOn(tc.call), gradtest.ScaledVec(rosenGrad, 2), x5, nil)
		if !hasKind(err, properties.InputMutated) || !hasKind(err, properties.ConstantFactor) {
			t.Errorf("write on call %d, grad scaled by 2: %v, want input-mutated and constant-factor", tc.call, err)
		}
		t.Log(err)
	}
}
