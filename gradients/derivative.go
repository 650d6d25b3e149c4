package gradients

// Derivative returns the derivative of the scalar function f at x, estimated
// by finite differences with the settings s (nil means defaults; Workers is
// ignored). It is Gradient in one dimension: the step is relative to
// max(1, |x|), made exactly representable.
//
// Derivative panics, before calling f, if f is nil, s.Method is not a
// Method constant or s.Step or s.Noise is negative, NaN or infinite.
func Derivative(f func(x float64) float64, x float64, s *Settings) float64 {
	d, _ := derivative1("Derivative", false, f, x, s)
	return d
}

// DerivativeWithError returns the derivative like Derivative and an estimate
// of its absolute error, as GradientWithError does. It panics as Derivative
// does.
func DerivativeWithError(f func(x float64) float64, x float64, s *Settings) (deriv, errEst float64) {
	return derivative1("DerivativeWithError", true, f, x, s)
}

func derivative1(caller string, withErr bool, f func(x float64) float64, x float64, s *Settings) (float64, float64) {
	mustHaveFunc(caller, f == nil)
	c := resolve(caller, s, false)
	c.workers = 1
	p := getProbe1(f, x)
	defer putProbe(p)
	// The results go to the probe's res: arrays on the stack would escape
	// with the job (runParallel's goroutines may hold it).
	p.res = [2]float64{}
	var errData []float64
	if withErr {
		errData = p.res[1:2]
	}
	differentiate(p, p.res[0:1], 1, errData, 1, c)
	return p.res[0], p.res[1]
}
