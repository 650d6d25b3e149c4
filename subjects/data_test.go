package subjects_test

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/gradcheck/gradcheck/subjects"
)

// TestDataGoString: rapid prints a failing draw with %#v; the data must
// show its values, not the addresses of its matrices.
func TestDataGoString(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    subjects.Data
		want string
	}{
		{"MSE", subjects.Data{Subject: subjects.MSE, X: mat.NewDense(2, 1, []float64{1.5, -2}), Y: []float64{0.5, 1}, L2: 0.25, W: []float64{3}},
			`subjects.Data{Subject: subjects.MSE, X: mat.NewDense(2, 1, []float64{1.5, -2}), Y: []float64{0.5, 1}, L2: 0.25, W: []float64{3}}`},
		{"SoftmaxCrossEntropy", subjects.Data{Subject: subjects.SoftmaxCrossEntropy, X: mat.NewDense(1, 1, []float64{0.1}), T: mat.NewDense(1, 2, []float64{0, 1}), W: []float64{1, 2}},
			`subjects.Data{Subject: subjects.SoftmaxCrossEntropy, X: mat.NewDense(1, 1, []float64{0.1}), T: mat.NewDense(1, 2, []float64{0, 1}), W: []float64{1, 2}}`},
		{"Linear", subjects.Data{Subject: subjects.Linear, A: mat.NewDense(1, 2, []float64{1, -1}), W: []float64{0.3, 0.7}},
			`subjects.Data{Subject: subjects.Linear, A: mat.NewDense(1, 2, []float64{1, -1}), W: []float64{0.3, 0.7}}`},
	} {
		if got := fmt.Sprintf("%#v", tc.d); got != tc.want {
			t.Errorf("%s: %%#v = %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
