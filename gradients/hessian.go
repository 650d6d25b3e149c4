package gradients

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Hessian returns the Hessian of f at x, estimated from values of f alone,
// in dst (allocated if nil). The diagonal uses the second central difference
// (f(x+hᵢ) − 2f(x) + f(x−hᵢ))/hᵢ², the off-diagonal entries the four-point
// formula (f(+hᵢ,+hⱼ) − f(+hᵢ,−hⱼ) − f(−hᵢ,+hⱼ) + f(−hᵢ,−hⱼ))/4hᵢhⱼ, both
// O(h²), with the optimal step ε^(1/4)·max(1,|xᵢ|) ≈ 1.2e-4·max(1,|xᵢ|).
// That costs 2d²+1 evaluations and is accurate to about 1e-8 relative
// (NUMERICS.md). When an analytic gradient is available, Jacobian of the
// gradient is far more accurate (about 1e-11 with Central).
//
// For Hessian, the Default method is Central; Ridders extrapolates both
// formulas to step zero (about 10× the evaluations, error ≈ 1e-11 or
// better). Other methods panic. Step, Workers and the treatment of x and of
// a mutating or panicking f are as for Gradient.
//
// An empty x gives an empty matrix (&mat.SymDense{}, gonum's 0×0) if dst
// is nil, and dst itself if it is empty.
//
// Hessian panics, before calling f, if:
//   - f is nil;
//   - dst is not nil and not of size len(x)×len(x);
//   - s.Method is not Default, Central or Ridders;
//   - s.Step or s.Noise is negative, NaN or infinite.
func Hessian(dst *mat.SymDense, f func(x []float64) float64, x []float64, s *Settings) *mat.SymDense {
	mustHaveFunc("Hessian", f == nil)
	c := resolve("Hessian", s, true)
	d := len(x)
	switch {
	case dst == nil && d == 0:
		return &mat.SymDense{} // mat.NewSymDense(0, nil) panics
	case dst == nil:
		dst = mat.NewSymDense(d, nil)
	}
	if n := dst.SymmetricDim(); n != d {
		panic(fmt.Sprintf("gradients: Hessian: dst is %d×%d, len(x) = %d (want %d×%d)", n, n, d, d, d))
	}
	if d == 0 {
		return dst
	}
	p := getProbe(nil, f, x, 1)
	defer putProbe(p)
	if c.method == Ridders {
		p.setNoise(c)
	}
	raw := dst.RawSymmetric()
	j := job{
		kind: jobHessian, c: c, n: d * d, d: d,
		needF0: true,
		noRf:   c.method != Ridders, // only Ridders' error estimates read it
		data:   raw.Data, stride: raw.Stride,
	}
	run(&j, p)
	return dst
}
