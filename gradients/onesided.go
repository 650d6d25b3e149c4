package gradients

// OneSided returns the one-sided difference quotients of f at x along each
// coordinate, right[i] = (f(x+hᵢeᵢ) − f(x))/hᵢ and left[i] = (f(x) −
// f(x−hᵢeᵢ))/hᵢ, with hᵢ = Step·max(1, |xᵢ|) made exactly representable
// (Step 0 means Central's optimal step, ε^(1/3)). It costs 2d+1
// evaluations (plus one per extra worker).
//
// Where f is smooth, right − left ≈ hᵢ·∂²f/∂xᵢ² shrinks with the step and
// (right + left)/2 is the central difference; across a kink (|x| at 0, a
// ReLU at 0) right − left stays at the difference of the slopes. The
// checker of package properties compares that gap with the one at x + hᵢ
// (from a forward difference at 2hᵢ) to tell a kink from curvature. Settings.Method plays no
// part (but is validated, as everywhere); Workers and the treatment of x
// and of a mutating or panicking f are as for Gradient.
//
// A panic of f propagates to the caller (from the caller's goroutine, as
// for Gradient), with the slice that f was handed left as it was when f
// panicked: it holds the point of that evaluation, which a caller's
// recover may read to say where f failed.
//
// OneSided panics, before calling f, if f is nil, if right or left is not
// nil and its length is not len(x), if s.Method is not a Method constant,
// or if s.Step or s.Noise is negative, NaN or infinite.
func OneSided(right, left []float64, f func(x []float64) float64, x []float64, s *Settings) (r, l []float64) {
	mustHaveFunc("OneSided", f == nil)
	c := resolve("OneSided", s, false)
	right = sized("OneSided", "right", right, len(x))
	left = sized("OneSided", "left", left, len(x))
	c.h = c.step
	if c.h == 0 {
		c.h = OptimalStep(Central)
	}
	p := getProbe(nil, f, x, 1)
	j := job{kind: jobOneSided, c: c, n: len(x), needF0: true, right: right, left: left}
	run(&j, p)
	// Not deferred: after a panic of f the probe, and the point that f
	// was handed, stay out of the pool.
	putProbe(p)
	return right, left
}
