package bench

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gradcheck/gradcheck/internal/testenv"
	"github.com/gradcheck/gradcheck/properties"
)

// rosenbrock32 is the extended Rosenbrock function computed in float32, as
// ML code computes its losses; rosenbrock.Grad, in float64, is its gradient.
func rosenbrock32(x []float64) float64 {
	var sum float32
	for i := 0; i < len(x)-1; i++ {
		xi, xn := float32(x[i]), float32(x[i+1])
		a := 1 - xi
		b := xn - xi*xi
		sum += a*a + 100*b*b
	}
	return float64(sum)
}

// costCase is a column of the cost table: a function and a gradient,
// correct or with a bug, made for a dimension.
type costCase struct {
	name string
	f    func([]float64) float64
	grad func(d int) func(dst, x []float64)
	s    *properties.Settings // nil: the defaults
}

// oneEntryOff returns the Rosenbrock gradient with entry d/2 off by rel.
func oneEntryOff(rel float64) func(d int) func(dst, x []float64) {
	return func(d int) func(dst, x []float64) {
		return func(dst, x []float64) {
			rosenbrock.Grad(dst, x)
			dst[d/2] *= 1 + rel
		}
	}
}

var costCases = []costCase{
	{"correct", rosenbrock.Func, func(int) func(dst, x []float64) { return rosenbrock.Grad }, nil},
	{"one entry 1e-6 off", rosenbrock.Func, oneEntryOff(1e-6), nil},
	{"one entry 1% off", rosenbrock.Func, oneEntryOff(0.01), nil},
	{"every entry 2×", rosenbrock.Func, func(int) func(dst, x []float64) {
		return func(dst, x []float64) {
			rosenbrock.Grad(dst, x)
			for i := range dst {
				dst[i] *= 2
			}
		}
	}, nil},
	{"float32 f, correct", rosenbrock32, func(int) func(dst, x []float64) { return rosenbrock.Grad }, nil},
	{"float32 f, one entry 1% off", rosenbrock32, oneEntryOff(0.01), nil},
	// Every loose entry computed again, not the 64 loosest.
	{"float32 f, correct, SecondOpinions −1", rosenbrock32, func(int) func(dst, x []float64) { return rosenbrock.Grad }, everyLoose},
	{"float32 f, one entry 1% off, SecondOpinions −1", rosenbrock32, oneEntryOff(0.01), everyLoose},
}

// everyLoose gives every loose entry a second opinion.
var everyLoose = &properties.Settings{SecondOpinions: -1}

// costDims are the rows of the cost table; the last one runs only with
// GRADCHECK_LONG, and the committed table is compared row by row.
var costDims = []int{10, 100, 1000, 10_000}

// costRow returns the cost table's row for dimension d: for each case the
// evaluations of f by the default CheckGradient at checkerPoint(d), as a
// multiple of a central difference's 2d, and the outcome.
func costRow(d int) string {
	x := checkerPoint(d)
	cells := []string{fmt.Sprint(d)}
	for _, c := range costCases {
		r := properties.GradientReport(c.f, c.grad(d), x, c.s)
		outcome := "pass"
		switch {
		case errors.Is(r.Err, properties.Bug):
			outcome = "bug"
		case r.Err != nil:
			outcome = "no verdict"
		}
		cells = append(cells, fmt.Sprintf("%d (%.2f×) %s", r.Evals, float64(r.Evals)/float64(2*d), outcome))
	}
	return "| " + strings.Join(cells, " | ") + " |"
}

// costHeader returns the cost table's two header lines.
func costHeader() string {
	head := []string{"d"}
	rule := []string{"---"}
	for _, c := range costCases {
		head = append(head, c.name)
		rule = append(rule, "---")
	}
	return "| " + strings.Join(head, " | ") + " |\n|" + strings.Join(rule, "|") + "|\n"
}

// TestCostTable measures what the default CheckGradient costs, in
// evaluations of f, on correct and wrong gradients of the extended
// Rosenbrock function, in float64 and computed in float32, at d = 10 to
// 10 000, and checks the table of testdata/costs.md and its copy in
// README.md against the measurement: the counts are deterministic (a serial
// check, fixed points). The row d = 10 000 runs with GRADCHECK_LONG=1.
// After a change to the checker, refresh the table with
// GRADCHECK_LONG=1 go test ./bench/ -run TestCostTable -update and paste
// testdata/costs.md into README.md.
func TestCostTable(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("testdata", "costs.md"))
	if err != nil && !*update {
		t.Fatal(err)
	}
	want := strings.Split(string(committed), "\n")
	rows := make([]string, len(costDims))
	for k, d := range costDims {
		t.Run(fmt.Sprintf("d=%d", d), func(t *testing.T) {
			if d > 1000 {
				testenv.Long(t)
			}
			rows[k] = costRow(d)
			if !*update && (2+k >= len(want) || want[2+k] != rows[k]) {
				t.Errorf("testdata/costs.md is stale at d = %d (run GRADCHECK_LONG=1 go test ./bench/ -run TestCostTable -update and paste the file into README.md); measured:\n%s", d, rows[k])
			}
		})
	}
	if *update {
		if slices.Contains(rows, "") {
			t.Fatal("-update needs every row: run it with GRADCHECK_LONG=1")
		}
		table := costHeader() + strings.Join(rows, "\n") + "\n"
		if err := os.WriteFile(filepath.Join("testdata", "costs.md"), []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !strings.HasPrefix(string(committed), costHeader()) {
		t.Errorf("testdata/costs.md's header is not the cases': run with -update")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(committed)) {
		t.Errorf("README.md's cost table is not testdata/costs.md: paste the file into it")
	}
}
