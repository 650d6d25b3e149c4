package properties_test

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/optimize/functions"

	"github.com/gradcheck/gradcheck/properties"
)

// TestGonumBealeHessBug pins a real bug this checker found in gonum v0.17.0:
// functions.Beale.Hess writes fₖ = cₖ − x[1]·tₖ where Func and Grad use
// x[0]. At points with x[0] = x[1], such as the (1, 1) that gonum's tests
// use, the two agree and the bug is silent: the lab's warning that a
// symmetric point hides index bugs. Off the diagonal the check reports it;
// the corrected Hessian passes.
func TestGonumBealeHessBug(t *testing.T) {
	b := functions.Beale{}
	if err := properties.CheckHessian(b.Grad, b.Hess, []float64{1, 1}, nil); err != nil {
		t.Errorf("at the symmetric point (1, 1) the bug should be silent, got %v", err)
	}
	x := []float64{-1.2286285441770142, 0.75634567951978748}
	err := properties.CheckHessian(b.Grad, b.Hess, x, nil)
	var f *properties.Failure
	// Three of the four entries are wrong (H₀₀ does not involve fₖ).
	if !errors.As(err, &f) || f.Kind != properties.Mismatch || f.Bad != 3 {
		t.Fatalf("gonum's Beale.Hess at %v: got %v, want a mismatch at 3 entries", x, err)
	}
	t.Log(err)
	if err := properties.CheckHessian(b.Grad, bealeHess, x, nil); err != nil {
		t.Errorf("corrected Hessian: %v", err)
	}
}
