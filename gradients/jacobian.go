package gradients

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Jacobian returns the Jacobian of f: ℝᵈ→ℝᵏ at x, estimated by finite
// differences, in dst, a k×d matrix: dst[r][c] = ∂fᵣ/∂x_c. f writes its k
// outputs into its first argument, which has length k.
//
// Applied to a gradient function it returns the Hessian of the underlying
// scalar function without symmetrizing it, which is how the symmetry of a
// Hessian (that grad is a true gradient field) is checked.
//
// dst must not be nil: its number of rows tells Jacobian the number of
// outputs k, which cannot be inferred from f. Settings and the treatment of
// x and of a mutating or panicking f are as for Gradient.
//
// Jacobian panics, before calling f, if:
//   - f is nil;
//   - len(x) is 0 (gonum has no k×0 matrix to hold the result);
//   - dst is nil or empty (want mat.NewDense(k, len(x), nil));
//   - dst has a number of columns other than len(x);
//   - s.Method is not a Method constant;
//   - s.Step or s.Noise is negative, NaN or infinite.
func Jacobian(dst *mat.Dense, f func(dst, x []float64), x []float64, s *Settings) *mat.Dense {
	dst, _ = jacobian("Jacobian", dst, nil, false, f, x, s)
	return dst
}

// JacobianWithError returns the Jacobian like Jacobian, and in errs (k×d,
// allocated if nil) an estimate of the absolute error of each entry, as
// GradientWithError does.
//
// JacobianWithError panics as Jacobian does, and if errs is not nil and not
// of the size of dst.
func JacobianWithError(dst, errs *mat.Dense, f func(dst, x []float64), x []float64, s *Settings) (jac, errEst *mat.Dense) {
	return jacobian("JacobianWithError", dst, errs, true, f, x, s)
}

func jacobian(caller string, dst, errs *mat.Dense, withErr bool, f func(dst, x []float64), x []float64, s *Settings) (*mat.Dense, *mat.Dense) {
	mustHaveFunc(caller, f == nil)
	c := resolve(caller, s, false)
	if len(x) == 0 {
		panic(fmt.Sprintf("gradients: %s: len(x) = 0 (want at least one coordinate: gonum has no k×0 matrix)", caller))
	}
	if dst == nil || dst.IsEmpty() {
		panic(fmt.Sprintf("gradients: %s: dst is nil or empty (want mat.NewDense(k, %d, nil) for f with k outputs; k cannot be inferred from f)", caller, len(x)))
	}
	k, d := dst.Dims()
	if d != len(x) {
		panic(fmt.Sprintf("gradients: %s: dst is %d×%d, len(x) = %d (want %d×%d)", caller, k, d, len(x), k, len(x)))
	}
	var errData []float64
	var errStride int
	if withErr {
		if errs == nil {
			errs = mat.NewDense(k, d, nil)
		}
		if r, cc := errs.Dims(); r != k || cc != d {
			panic(fmt.Sprintf("gradients: %s: errs is %d×%d, dst is %d×%d (want equal sizes)", caller, r, cc, k, d))
		}
		raw := errs.RawMatrix()
		errData, errStride = raw.Data, raw.Stride
	}
	raw := dst.RawMatrix()
	p := getProbe(f, nil, x, k)
	defer putProbe(p)
	differentiate(p, raw.Data, raw.Stride, errData, errStride, c)
	return dst, errs
}
