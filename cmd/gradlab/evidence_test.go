package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestEpsSweep: the sweep shows what NUMERICS.md predicts — the slopes of
// the error model's V, and the best errors in the order of the methods.
func TestEpsSweep(t *testing.T) {
	s := epsSweep()
	bestErr := func(j int) float64 { return s.errs[j][s.best[j]] }
	for j, m := range sweepMethods {
		if math.Abs(s.right[j]-m.order) > 0.3 {
			t.Errorf("%s: slope for large h = %.2f, want %g", m.name, s.right[j], m.order)
		}
		if math.Abs(s.left[j]+1) > 0.4 {
			t.Errorf("%s: slope for small h = %.2f, want -1", m.name, s.left[j])
		}
	}
	if !(bestErr(1) < bestErr(0)/100 && bestErr(2) < bestErr(1)) {
		t.Errorf("best errors forward %.1e, central %.1e, five-point %.1e: want each far below the one before", bestErr(0), bestErr(1), bestErr(2))
	}
	if !(s.steps[s.best[0]] < s.steps[s.best[1]] && s.steps[s.best[1]] < s.steps[s.best[2]]) {
		t.Errorf("best steps %g, %g, %g: want them growing with the order", s.steps[s.best[0]], s.steps[s.best[1]], s.steps[s.best[2]])
	}
}

// TestCurvature: on the lab's dataset, gradient descent converges just
// below 2/λmax and diverges just above it.
func TestCurvature(t *testing.T) {
	X, y := defaultData()
	c, err := curvature(X, y)
	if err != nil {
		t.Fatal(err)
	}
	if c.eig[0] <= 0 || c.cond < 10 {
		t.Errorf("eigenvalues %v, condition %.3g: want positive and a condition number ≥ 10 (the dataset is built ill-conditioned)", c.eig, c.cond)
	}
	last := len(c.iters) - 1
	if !(c.below[last] < 1e-3*c.below[0]) {
		t.Errorf("η = 0.9·2/λmax: loss − min from %.3g to %.3g, want convergence", c.below[0], c.below[last])
	}
	if !(c.above[last] > 1e3*c.above[0]) {
		t.Errorf("η = 1.1·2/λmax: loss − min from %.3g to %.3g, want divergence", c.above[0], c.above[last])
	}
	if !(c.rateBelow < 1 && c.rateAbove > 1) {
		t.Errorf("rates %.3g and %.3g, want below and above 1", c.rateBelow, c.rateAbove)
	}
}

func TestEvidenceCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// No mse_data.csv: the built-in dataset.
	code, out, errOut := gradlab(t, "evidence", "-dir", dir)
	if code != exitOK {
		t.Fatalf("evidence: exit %d\n%s", code, errOut)
	}
	wantIn(t, "evidence", out, "1. Why central beats forward", "slope, large h", "2. What the Hessian says",
		"largest stable GD step", "converges", "diverges", "built-in dataset", "3. How to debug", "PLAYBOOK.md")

	// The learner's own data.
	data := filepath.Join(dir, "mse_data.csv")
	os.WriteFile(data, []byte("a,b,y\n1,0,1\n0,2,2\n1,1,0.5\n"), 0o644)
	code, out, _ = gradlab(t, "evidence", "-dir", dir)
	if code != exitOK || !strings.Contains(out, "n = 3 samples, d = 2 features") {
		t.Errorf("evidence on mse_data.csv: exit %d\n%s", code, out)
	}
	os.WriteFile(data, []byte("x,y\n1,2\n3,oops\n"), 0o644)
	code, _, errOut = gradlab(t, "evidence", "-dir", dir)
	if code != exitError || !strings.Contains(errOut, `row 2, column 2: "oops" is not a finite number`) {
		t.Errorf("evidence on a bad CSV: exit %d, %q", code, errOut)
	}
	os.WriteFile(data, []byte("x1,y\n"), 0o644) // a header only: it panicked
	code, _, errOut = gradlab(t, "evidence", "-dir", dir)
	if code != exitError || !strings.Contains(errOut, "0 rows of 0 columns: want at least 2 rows") {
		t.Errorf("evidence on a CSV without data: exit %d, %q", code, errOut)
	}
	os.WriteFile(data, []byte("x1,x2,y\n1e300,1,1\n1,2,0\n"), 0o644)
	code, _, errOut = gradlab(t, "evidence", "-dir", dir)
	if code != exitError || !strings.Contains(errOut, "overflows float64: scale the data down") {
		t.Errorf("evidence on data whose XᵀX overflows: exit %d, %q", code, errOut)
	}
}

// TestCurvatureScales: tiny data (gonum's eigensolver panicked on a
// Hessian of norm 1e-160) and collinear features (the minimum loss was
// NaN, and every gradient descent row with it) get a full report.
func TestCurvatureScales(t *testing.T) {
	for _, tc := range []struct {
		name    string
		X, y    []float64
		n, d    int
		flat    bool
		minLoss float64 // NaN: any finite value ≥ 0
	}{
		{"tiny", []float64{1e-80, 2e-80, 3e-80, -1e-80, 2e-80, 5e-80}, []float64{1, 2, 0}, 3, 2, false, math.NaN()},
		// x₂ = 2x₁: the fit is y ≈ (5/14)·x₁, residuals (9, 18, −15)/14,
		// loss (81 + 324 + 225)/(3·196) = 15/14.
		{"collinear", []float64{1, 2, 2, 4, 3, 6}, []float64{1, 2, 0}, 3, 2, true, 15.0 / 14},
	} {
		t.Run(tc.name, func(t *testing.T) {
			X := mat.NewDense(tc.n, tc.d, tc.X)
			c, err := curvature(X, tc.y)
			if err != nil {
				t.Fatal(err)
			}
			if lmin, lmax := c.eig[0], c.eig[len(c.eig)-1]; !(lmax > 0) || tc.flat != (lmin < 1e-12*lmax) {
				t.Errorf("eigenvalues %v: want λmax > 0 and, flat = %v, λmin ≈ 0", c.eig, tc.flat)
			}
			if ok := c.minLoss >= 0 && !math.IsInf(c.minLoss, 0); !ok || !math.IsNaN(tc.minLoss) && math.Abs(c.minLoss-tc.minLoss) > 1e-12 {
				t.Errorf("minimum loss %v, want %v", c.minLoss, tc.minLoss)
			}
			last := len(c.iters) - 1
			if !(c.below[last] <= c.below[0]) {
				t.Errorf("η = 0.9·2/λmax: loss − min from %.3g to %.3g, want it not to grow", c.below[0], c.below[last])
			}
		})
	}
}

// TestDefaultDataRoundTrip: the dataset init writes reads back the same.
func TestDefaultDataRoundTrip(t *testing.T) {
	X, y := defaultData()
	var b strings.Builder
	writeCSV(&b, X, y)
	X2, y2, err := parseCSV(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	n, d := X.Dims()
	for i := range n {
		for j := range d {
			if X.At(i, j) != X2.At(i, j) {
				t.Fatalf("X[%d,%d] = %v, read back %v", i, j, X.At(i, j), X2.At(i, j))
			}
		}
		if y[i] != y2[i] {
			t.Fatalf("y[%d] = %v, read back %v", i, y[i], y2[i])
		}
	}
}
