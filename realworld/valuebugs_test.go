package realworld

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// A valueBug is an upstream bug no derivative check can see — a wrong
// value at an edge of the support — pinned: its test fails the day the
// library is fixed (then move it out of README.md's table).
type valueBug struct {
	name  string
	still func() string // what is still wrong, "" if fixed
}

// panics returns the value f panicked with, or nil.
func panics(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

var valueBugs = []valueBug{
	{"ChiSquared.CDF.negative", func() string {
		if p := panics(func() { distuv.ChiSquared{K: 3}.CDF(-1) }); p != nil {
			return fmt.Sprintf("ChiSquared{K: 3}.CDF(-1) panics (%v), want 0", p)
		}
		return ""
	}},
	{"F.CDF.negative", func() string {
		if p := panics(func() { distuv.F{D1: 2, D2: 3}.CDF(-1) }); p != nil {
			return fmt.Sprintf("F{D1: 2, D2: 3}.CDF(-1) panics (%v), want 0 (Survival(-1) too, want 1)", p)
		}
		return ""
	}},
	{"F.Prob.negative", func() string {
		if v := (distuv.F{D1: 2, D2: 3}).Prob(-1); math.IsNaN(v) {
			return "F{D1: 2, D2: 3}.Prob(-1) = NaN, want 0"
		}
		return ""
	}},
	{"LogNormal.CDF.negative", func() string {
		d := distuv.LogNormal{Mu: 0, Sigma: 1}
		if c, s := d.CDF(-1), d.Survival(-1); math.IsNaN(c) || math.IsNaN(s) {
			return fmt.Sprintf("LogNormal{0, 1}.CDF(-1) = %v, Survival(-1) = %v, want 0 and 1", c, s)
		}
		return ""
	}},
	{"Chi.CDF.negative", func() string {
		if v := (distuv.Chi{K: 3}).CDF(-1); v != 0 {
			return fmt.Sprintf("Chi{K: 3}.CDF(-1) = %g, want 0 (it is CDF(+1): x enters squared)", v)
		}
		return ""
	}},
	{"Beta.Survival.tiny", func() string {
		// Survival = I_{1−x}(β, α) loses x in 1 − x; 1 − CDF(x) does not
		// cancel here, where CDF(x) ≈ 0.011.
		d := distuv.Beta{Alpha: 0.1, Beta: 2}
		if got, want := d.Survival(1e-20), 1-d.CDF(1e-20); relDiff(got, want) > 1e-6 {
			return fmt.Sprintf("Beta{0.1, 2}.Survival(1e-20) = %.17g, 1 − CDF = %.17g", got, want)
		}
		return ""
	}},
}

func init() {
	valueBugs = append(valueBugs, valueBug{"gorgonia.LogSumExp", func() string {
		x := []float64{0.7, -2.5, 1.3, 4.1, -0.2}
		var lse gorgoniaOp
		for _, o := range gorgoniaOps {
			if o.name == "LogSumExp" {
				lse = o
			}
		}
		got, _, err := gorgoniaEval(lse, tape, x, false)
		if err != nil {
			return ""
		}
		var s float64
		for _, v := range x {
			s += math.Exp(v - 4.1)
		}
		if want := math.Log(s) + 4.1; relDiff(got, want) > 1e-12 {
			return fmt.Sprintf("LogSumExp(%v, 0) = %.10g, log Σ exp = %.10g: it builds log(Σ exp(x − max) + max)", x, got, want)
		}
		return ""
	}})
}

// TestValueBugs pins the upstream value bugs listed in README.md.
func TestValueBugs(t *testing.T) {
	for _, b := range valueBugs {
		t.Run(b.name, func(t *testing.T) {
			still := b.still()
			if still == "" {
				t.Fatal("fixed upstream: unpin it and move it out of README.md")
			}
			t.Log(still)
		})
	}
}
