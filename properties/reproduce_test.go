package properties_test

import (
	"errors"
	"math"
	"testing"

	"github.com/gradcheck/gradcheck/properties"
	"github.com/gradcheck/gradcheck/properties/gradtest"
)

// mapSum returns Σ cₖ·x[k mod d]² summed over a Go map, whose order of
// iteration varies from call to call, and its gradient summed likewise:
// results that differ between calls at the same x by an ulp or two.
func mapSum() (func(x []float64) float64, func(dst, x []float64)) {
	m := map[int]float64{}
	for k := range 50 {
		m[k] = float64(k)*0.37 + 0.1
	}
	f := func(x []float64) float64 {
		s := 0.0
		for k, c := range m {
			s += c * x[k%len(x)] * x[k%len(x)]
		}
		return s
	}
	grad := func(dst, x []float64) {
		clear(dst)
		for k, c := range m {
			dst[k%len(x)] += 2 * c * x[k%len(x)]
		}
	}
	return f, grad
}

// TestUlpNondeterminismIsNoise: results that differ between calls only by
// the rounding of a varying order of operations (a sum over a Go map, a
// reduction, rel ≈ 1e-15) are noise, not Nondeterministic: the verdict is
// the same in every run — a pass on a correct gradient, a bug on a 1% bug
// in one entry. A function that differs far beyond rounding (rel 1e-9, a
// stochastic estimate) is Nondeterministic in every run.
func TestUlpNondeterminismIsNoise(t *testing.T) {
	f, grad := mapSum()
	for run := range 20 {
		seed := uint64(run + 1)
		if err := properties.CheckGradient(f, grad, x5, nil); err != nil {
			t.Errorf("run %d: map sum: %v", run, err)
		}
		if err := properties.CheckGradient(f, gradtest.PerturbedVec(grad, 1, 1e-2), x5, nil); !errors.Is(err, properties.Partial) || errors.Is(err, properties.Nondeterministic) {
			t.Errorf("run %d: map sum with a 1%% bug in [1]: %v, want partial only", run, err)
		}
		noisy := gradtest.NondeterministicFunc(rosen, 1e-15, seed)
		if err := properties.CheckGradient(noisy, gradtest.NondeterministicVec(rosenGrad, 1e-15, seed), x5, nil); err != nil {
			t.Errorf("seed %d: f and grad with relative noise 1e-15: %v", seed, err)
		}
		if err := properties.CheckGradient(noisy, gradtest.PerturbedVec(rosenGrad, 2, 1e-2), x5, nil); !errors.Is(err, properties.Partial) {
			t.Errorf("seed %d: f with relative noise 1e-15, a 1%% bug in [2]: %v, want partial", seed, err)
		}
		stochastic := gradtest.NondeterministicFunc(rosen, 1e-9, seed)
		if err := properties.CheckGradient(stochastic, rosenGrad, x5, nil); !errors.Is(err, properties.Nondeterministic) {
			t.Errorf("seed %d: f with relative noise 1e-9: %v, want nondeterministic", seed, err)
		}
	}
}

// logSumExp is log Σ exp(xᵢ), computed with the largest logit subtracted;
// softmax is its exact gradient.
func logSumExp(x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	s := 0.0
	for _, v := range x {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// TestLogSumExpLargeLogits: log-sum-exp with logits offset by 5e7 and 1e8
// is smooth, and softmax is its gradient: a pass, not nondifferentiable; a
// 1% bug in one entry is a bug there.
func TestLogSumExpLargeLogits(t *testing.T) {
	for _, off := range []float64{5e7, -5e7, 1e8} {
		x := []float64{off + 0.3, off - 1.2, off + 0.7, off + 2.1, off - 0.4}
		if err := properties.CheckGradient(logSumExp, softmaxApply, x, nil); err != nil {
			t.Errorf("offset %g: %v", off, err)
		}
		if err := properties.CheckGradient(logSumExp, gradtest.PerturbedVec(softmaxApply, 3, 1e-2), x, nil); !errors.Is(err, properties.Bug) {
			t.Errorf("offset %g, a 1%% bug in [3]: %v, want a bug", off, err)
		}
	}
}
