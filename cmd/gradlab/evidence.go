package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/gradcheck/gradcheck/functions"
	"github.com/gradcheck/gradcheck/gradients"
)

func runEvidence(args []string, stdout, stderr io.Writer) int {
	fset := newFlagSet("evidence", stderr)
	dir := fset.String("dir", ".", "the lab's folder, whose mse_data.csv is used")
	data := fset.String("data", "", "a CSV `FILE` of MSE data, columns x1 … xd, y (default DIR/mse_data.csv, else a built-in dataset)")
	if code, done := parseFlags(fset, args, stdout); done {
		return code
	}
	X, y, name, err := loadData(*dir, *data)
	if err != nil {
		return errorf(stderr, "evidence: %v", err)
	}
	c, err := curvature(X, y)
	if err != nil {
		return errorf(stderr, "evidence: %s: %v", name, err)
	}
	var b bytes.Buffer
	writeSweep(&b, epsSweep())
	fmt.Fprintln(&b)
	writeCurvature(&b, name, c)
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "3. How to debug an autodiff bug in production")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "   See PLAYBOOK.md in your lab (gradlab playbook prints it): check at random asymmetric")
	fmt.Fprintln(&b, "   points, run the Taylor test, check the Hessian's symmetry, bisect by coordinates, and")
	fmt.Fprintln(&b, "   read the checker's diagnosis.")
	stdout.Write(b.Bytes())
	return exitOK
}

// Why central beats forward: an eps sweep.

// sweepX is the point of the sweep and sweepF the function: smooth, with
// derivatives of every order of the order of f, so that the error model of
// NUMERICS.md applies as it is.
const sweepX = 0.7

func sweepF(x float64) float64  { return math.Exp(x) * math.Sin(x) }
func sweepDF(x float64) float64 { return math.Exp(x) * (math.Sin(x) + math.Cos(x)) }

// sweepMethods are the methods compared, with the slopes the error model
// predicts on the truncation side (the order p: error ∝ hᵖ) and the round-off
// side (−1: error ∝ ε/h).
var sweepMethods = []struct {
	m      gradients.Method
	name   string
	order  float64
	theory string
}{
	{gradients.Forward, "forward", 1, "h* ≈ √ε ≈ 1.5e-8, error ≈ 1e-8"},
	{gradients.Central, "central", 2, "h* ≈ ε^(1/3) ≈ 6e-6, error ≈ 1e-11"},
	{gradients.FivePoint, "five-point", 4, "h* ≈ ε^(1/5) ≈ 7e-4, error ≈ 1e-13"},
}

// A sweep is the relative error of each method at each step.
type sweep struct {
	steps []float64
	errs  [][]float64 // [method][step]
	best  []int       // index of the best step per method
	right []float64   // fitted slope for steps above the best (truncation)
	left  []float64   // fitted slope for steps below the best (round-off)
}

func epsSweep() sweep {
	var s sweep
	for k := 1; k <= 13; k++ { // h = 1e-1 … 1e-13
		s.steps = append(s.steps, math.Pow(10, -float64(k)))
	}
	want := sweepDF(sweepX)
	for _, m := range sweepMethods {
		errs := make([]float64, len(s.steps))
		best := 0
		for i, h := range s.steps {
			d := gradients.Derivative(sweepF, sweepX, &gradients.Settings{Method: m.m, Step: h})
			errs[i] = math.Abs(d-want) / math.Abs(want)
			if errs[i] < errs[best] {
				best = i
			}
		}
		s.errs = append(s.errs, errs)
		s.best = append(s.best, best)
		s.right = append(s.right, fitSlope(s.steps, errs, 0, best-1, errs[best]))
		s.left = append(s.left, fitSlope(s.steps, errs, best+1, len(errs)-1, errs[best]))
	}
	return s
}

// fitSlope returns the least-squares slope of log err against log h over
// the steps lo … hi whose error is clear of the best error (10× it): the
// straight parts of the V, away from its bottom. NaN if fewer than 2.
func fitSlope(h, err []float64, lo, hi int, best float64) float64 {
	var xs, ys []float64
	for i := max(lo, 0); i <= hi && i < len(h); i++ {
		if err[i] > 10*best && err[i] > 0 {
			xs = append(xs, math.Log10(h[i]))
			ys = append(ys, math.Log10(err[i]))
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	_, slope := stat.LinearRegression(xs, ys, nil, false)
	return slope
}

func writeSweep(w io.Writer, s sweep) {
	fmt.Fprintln(w, "1. Why central beats forward — measured on this machine")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "   f(x) = eˣ·sin x at x = %g, f′(x) = %.15g; relative error of f′ by step h:\n\n", sweepX, sweepDF(sweepX))
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "   h\t")
	for _, m := range sweepMethods {
		fmt.Fprintf(tw, "%s\t", m.name)
	}
	fmt.Fprintln(tw)
	for i, h := range s.steps {
		fmt.Fprintf(tw, "   %.0e\t", h)
		for j := range sweepMethods {
			mark := " "
			if s.best[j] == i {
				mark = "*"
			}
			fmt.Fprintf(tw, "%.1e%s\t", s.errs[j][i], mark)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w, "\n   (* the best step of each method)")
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "   method\tbest h\tbest error\tslope, large h\tslope, small h\ttheory (NUMERICS.md)")
	for j, m := range sweepMethods {
		fmt.Fprintf(tw, "   %s\t%.0e\t%.1e\t%.2f (want %g)\t%.2f (want -1)\t%s\n", m.name, s.steps[s.best[j]], s.errs[j][s.best[j]], s.right[j], m.order, s.left[j], m.theory)
	}
	tw.Flush()
	fmt.Fprintln(w, `
   Reading: for large h the error is truncation, falling as hᵖ — the slope on the right is the
   order p: 1 for forward, 2 for central, 4 for five-point. For small h it is round-off, ε·|f|/h,
   rising with slope −1 whatever the method. The best step balances the two, so a higher order
   allows a larger best step and reaches a smaller best error: central differences gain about
   three digits over forward ones for one more evaluation per coordinate.`)
}

// What the Hessian says about curvature.

// A curvatureReport is the Hessian (2/n)XᵀX of the MSE loss and gradient
// descent just below and above its largest stable step.
type curvatureReport struct {
	n, d      int
	eig       []float64 // ascending
	cond      float64
	stable    float64 // 2/λmax
	minLoss   float64
	iters     []int
	below     []float64 // loss − min at iters, step 0.9·stable
	above     []float64 // the same, step 1.1·stable
	rateBelow float64   // max |1 − ηλ| per step
	rateAbove float64
}

func curvature(X *mat.Dense, y []float64) (curvatureReport, error) {
	n, d := X.Dims()
	l := &functions.MSE{X: X, Y: y}
	H := mat.NewSymDense(d, nil)
	l.Hess(H, make([]float64, d))
	eig, err := eigenvalues(H)
	if err != nil {
		return curvatureReport{}, err
	}
	c := curvatureReport{n: n, d: d, eig: eig}
	lmin, lmax := eig[0], eig[len(eig)-1]
	if lmax <= 0 {
		return curvatureReport{}, fmt.Errorf("every feature is 0: the Hessian (2/n)XᵀX is 0, the loss flat (want a nonzero column of x's)")
	}
	c.cond = lmax / lmin
	c.stable = 2 / lmax
	// The minimum: the least-squares solution of Xw = y, by the SVD so that
	// collinear features (many minima, λmin = 0) still have one.
	var svd mat.SVD
	var wStar mat.VecDense
	if svd.Factorize(X, mat.SVDThin) {
		svd.SolveVecTo(&wStar, mat.NewVecDense(n, y), svd.Rank(float64(max(n, d))*0x1p-52))
		c.minLoss = l.Func(wStar.RawVector().Data)
	} else {
		c.minLoss = math.NaN()
	}
	c.iters = []int{0, 1, 2, 5, 10, 20, 50, 100, 200}
	run := func(eta float64) []float64 {
		w, g := make([]float64, d), make([]float64, d)
		var out []float64
		for t := 0; t <= c.iters[len(c.iters)-1]; t++ {
			for _, it := range c.iters {
				if it == t {
					out = append(out, l.Func(w)-c.minLoss)
				}
			}
			l.Grad(g, w)
			for i := range w {
				w[i] -= eta * g[i]
			}
		}
		return out
	}
	rate := func(eta float64) float64 { return math.Max(math.Abs(1-eta*lmin), math.Abs(1-eta*lmax)) }
	c.below, c.above = run(0.9*c.stable), run(1.1*c.stable)
	c.rateBelow, c.rateAbove = rate(0.9*c.stable), rate(1.1*c.stable)
	return c, nil
}

// eigenvalues returns the eigenvalues of H, ascending. H is scaled to a
// largest entry of 1 first: gonum v0.17.0's symmetric eigensolver rescales
// a matrix of tiny or huge norm itself and panics doing so ("lapack:
// insufficient length of a", from entries below about 1e-150), and the
// eigenvalues scale with the matrix.
func eigenvalues(H *mat.SymDense) ([]float64, error) {
	d := H.SymmetricDim()
	big := 0.0
	for i := range d {
		for j := i; j < d; j++ {
			big = math.Max(big, math.Abs(H.At(i, j)))
		}
	}
	switch {
	case math.IsInf(big, 0) || math.IsNaN(big):
		return nil, fmt.Errorf("the Hessian (2/n)XᵀX overflows float64: scale the data down")
	case big == 0:
		return make([]float64, d), nil
	}
	scaled := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			scaled.SetSym(i, j, H.At(i, j)/big) // not ×(1/big): 1/big overflows for a subnormal big
		}
	}
	var es mat.EigenSym
	if !es.Factorize(scaled, false) {
		return nil, fmt.Errorf("the eigendecomposition of the Hessian did not converge")
	}
	eig := es.Values(nil)
	for i := range eig {
		eig[i] *= big
	}
	return eig, nil
}

func writeCurvature(w io.Writer, name string, c curvatureReport) {
	fmt.Fprintln(w, "2. What the Hessian says about curvature — the MSE loss on", name)
	fmt.Fprintln(w)
	fmt.Fprintf(w, "   n = %d samples, d = %d features. The Hessian of L(w) = (1/n)‖Xw − y‖² is H = (2/n)XᵀX,\n", c.n, c.d)
	fmt.Fprintln(w, "   the same at every w: the loss is a quadratic bowl, and H's eigenvalues are its curvatures")
	fmt.Fprintln(w, "   along its principal axes.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "   eigenvalues of H:        %s\n", fmtFloats(c.eig))
	switch {
	case c.eig[0] > 0:
		fmt.Fprintln(w, "                            all > 0: strictly convex, one minimum")
	default:
		fmt.Fprintln(w, "                            one is ≤ 0 (up to round-off): a flat direction — collinear features, many minima")
	}
	fmt.Fprintf(w, "   condition number:        λmax/λmin = %.4g (the bowl is that many times steeper one way than another)\n", c.cond)
	fmt.Fprintf(w, "   largest stable GD step:  η < 2/λmax = %.4g\n", c.stable)
	fmt.Fprintf(w, "   minimum loss:            %.6g (least squares)\n\n", c.minLoss)
	fmt.Fprintln(w, "   Gradient descent w ← w − η∇L from w = 0; loss − minimum:")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "   iteration\tη = 0.9·2/λmax = %.4g\tη = 1.1·2/λmax = %.4g\t\n", 0.9*c.stable, 1.1*c.stable)
	for i, it := range c.iters {
		fmt.Fprintf(tw, "   %d\t%.3e\t%.3e\t\n", it, c.below[i], c.above[i])
	}
	tw.Flush()
	verdict := func(first, last float64) string {
		if last < first {
			return "converges"
		}
		return "diverges"
	}
	fmt.Fprintf(w, `
   Along the eigenvector of λ, one step multiplies the error by 1 − ηλ. Below 2/λmax every factor
   is under 1 in size (the worst is %.3g here): gradient descent %s, at last as slowly as
   1 − ηλmin allows — the condition number is how slow. Above it, the steepest direction's factor
   is %.3g, over 1: each step overshoots the valley by more than the last, and gradient descent
   %s. The Hessian's largest eigenvalue sets the largest step; its smallest, the pace.
`, c.rateBelow, verdict(c.below[0], c.below[len(c.below)-1]), c.rateAbove, verdict(c.above[0], c.above[len(c.above)-1]))
}

func fmtFloats(v []float64) string {
	s := make([]string, len(v))
	for i, e := range v {
		s[i] = strconv.FormatFloat(e, 'g', 4, 64)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// The data.

// defaultData is the lab's MSE dataset, written to mse_data.csv by init:
// 40 samples, 3 features, two of them correlated (x2 ≈ x1), so that the
// Hessian is noticeably ill-conditioned, and a third off-centre; y is
// linear in them plus a little noise. Fixed seed: every lab has the same.
func defaultData() (*mat.Dense, []float64) {
	r := rand.New(rand.NewPCG(2026, 5))
	const n, d = 40, 3
	X := mat.NewDense(n, d, nil)
	y := make([]float64, n)
	for i := range n {
		x1 := r.NormFloat64()
		x2 := x1 + 0.4*r.NormFloat64()
		x3 := 1 + 0.5*r.NormFloat64()
		X.SetRow(i, []float64{round3(x1), round3(x2), round3(x3)})
		y[i] = round3(1.5*x1 - 2*x2 + 0.5*x3 + 0.1*r.NormFloat64())
	}
	return X, y
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func writeCSV(w io.Writer, X *mat.Dense, y []float64) {
	n, d := X.Dims()
	cw := csv.NewWriter(w)
	head := make([]string, 0, d+1)
	for j := range d {
		head = append(head, fmt.Sprintf("x%d", j+1))
	}
	cw.Write(append(head, "y"))
	for i := range n {
		row := make([]string, 0, d+1)
		for j := range d {
			row = append(row, strconv.FormatFloat(X.At(i, j), 'g', -1, 64))
		}
		cw.Write(append(row, strconv.FormatFloat(y[i], 'g', -1, 64)))
	}
	cw.Flush()
}

// loadData reads the MSE data: file if given, else dir/mse_data.csv if it
// exists, else the built-in dataset. name says which, for the report.
func loadData(dir, file string) (X *mat.Dense, y []float64, name string, err error) {
	if file == "" {
		file = filepath.Join(dir, "mse_data.csv")
		if _, err := os.Stat(file); err != nil {
			X, y = defaultData()
			return X, y, "the built-in dataset (no mse_data.csv here)", nil
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, nil, "", err
	}
	defer f.Close()
	X, y, err = parseCSV(f)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %v (want a CSV with columns x1 … xd, y; a header row is optional)", file, err)
	}
	return X, y, file, nil
}

func parseCSV(r io.Reader) (*mat.Dense, []float64, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	if len(rows) > 0 {
		if _, err := strconv.ParseFloat(rows[0][0], 64); err != nil {
			rows = rows[1:] // a header
		}
	}
	if len(rows) < 2 || len(rows[0]) < 2 {
		cols := 0
		if len(rows) > 0 {
			cols = len(rows[0])
		}
		return nil, nil, fmt.Errorf("%d rows of %d columns: want at least 2 rows of a feature and y", len(rows), cols)
	}
	n, d := len(rows), len(rows[0])-1
	X := mat.NewDense(n, d, nil)
	y := make([]float64, n)
	for i, row := range rows {
		for j, s := range row {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("row %d, column %d: %q is not a finite number", i+1, j+1, s)
			}
			if j == d {
				y[i] = v
			} else {
				X.Set(i, j, v)
			}
		}
	}
	return X, y, nil
}
