package bench

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gradcheck/gradcheck/gradients"
)

// Size of the plots that WritePlots writes.
const (
	plotWidth  = 8 * vg.Inch
	plotHeight = 5.5 * vg.Inch
)

// PlotStudy returns the log-log plot of relative error against eps of every
// method swept on function: one line per method, a ring at the optimum that
// theory predicts (TheoryOptimalEps, TheoryBestError; not drawn when it lies
// outside the sweep, as the complex step's 1e-20 does) and a dot at the
// measured one. It returns an error if res has no rows for function.
func PlotStudy(res StudyResult, function string) (*plot.Plot, error) {
	var info *FunctionInfo
	for i := range res.Functions {
		if res.Functions[i].Name == function {
			info = &res.Functions[i]
		}
	}
	if info == nil {
		return nil, fmt.Errorf("bench: PlotStudy: no function %q in the result", function)
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: error of f′ against the step, x = %g ± %g\n%s", info.Name, info.X, sampleSpread, info.About)
	p.X.Label.Text = "eps (step)"
	p.Y.Label.Text = "relative error"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = decadeTicks{every: 2}, decadeTicks{every: 2}
	p.Y.Min, p.Y.Max = ErrorFloor, ErrorCeiling
	p.Add(plotter.NewGrid())

	var theoryPts, measuredPts plotter.XYs
	var theoryColors, measuredColors []color.Color
	n := 0
	for _, s := range res.Summaries {
		if s.Function != function {
			continue
		}
		rows := res.Sweep(function, s.Method)
		xys := make(plotter.XYs, len(rows))
		for i, r := range rows {
			xys[i] = plotter.XY{X: r.Eps, Y: r.Error}
		}
		if len(xys) > 0 {
			p.X.Min, p.X.Max = xys[0].X, xys[len(xys)-1].X
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("bench: PlotStudy: %s: %w", s.Method, err)
		}
		c := plotutil.Color(n)
		line.Color = c
		line.Width = vg.Points(1.5)
		if s.Method == FD(gradients.Backward) || s.Method == ComplexStep {
			// Backward lies on Forward; dashes keep both visible.
			line.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(line)
		p.Legend.Add(string(s.Method), line)
		if inside(s.TheoryOptimalEps, p.X.Min, p.X.Max) && !math.IsNaN(s.TheoryBestError) {
			theoryPts = append(theoryPts, plotter.XY{X: s.TheoryOptimalEps, Y: s.TheoryBestError})
			theoryColors = append(theoryColors, c)
		}
		measuredPts = append(measuredPts, plotter.XY{X: s.OptimalEps, Y: s.BestError})
		measuredColors = append(measuredColors, c)
		n++
	}
	for _, m := range []struct {
		name   string
		pts    plotter.XYs
		colors []color.Color
		glyph  draw.GlyphDrawer
		radius vg.Length
	}{
		{"theory optimum (NUMERICS.md)", theoryPts, theoryColors, draw.RingGlyph{}, vg.Points(6)},
		{"measured optimum", measuredPts, measuredColors, draw.CircleGlyph{}, vg.Points(3.5)},
	} {
		if len(m.pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(m.pts)
		if err != nil {
			return nil, fmt.Errorf("bench: PlotStudy: %w", err)
		}
		sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: m.colors[i], Radius: m.radius, Shape: m.glyph}
		}
		p.Add(sc)
		p.Legend.Add(m.name, glyphThumb{draw.GlyphStyle{Color: color.Black, Radius: m.radius, Shape: m.glyph}})
	}
	// Small steps and small errors exclude each other except for the
	// complex step, which runs along the floor: the bottom left, above the
	// floor, is empty on every such plot.
	p.Legend.Top = false
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(10)
	p.Legend.YOffs = vg.Points(40)
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Padding = vg.Points(1)
	return p, nil
}

func inside(v, lo, hi float64) bool {
	return v >= lo && v <= hi
}

// glyphThumb draws a glyph in the legend.
type glyphThumb struct{ style draw.GlyphStyle }

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(g.style, c.Center())
}

// decadeTicks marks every power of ten and labels one in every.
type decadeTicks struct{ every int }

func (t decadeTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := int(math.Floor(math.Log10(lo))); e <= int(math.Ceil(math.Log10(hi))); e++ {
		tk := plot.Tick{Value: math.Pow(10, float64(e))}
		if e%t.every == 0 {
			tk.Label = fmt.Sprintf("1e%d", e)
			if e == 0 {
				tk.Label = "1"
			}
		}
		ticks = append(ticks, tk)
	}
	return ticks
}

// WritePlots writes the plot of every function of res to dir as
// eps-<function>.svg and eps-<function>.png, creating dir if needed, and
// returns the paths written. It stops at the first error.
func WritePlots(res StudyResult, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("bench: WritePlots: %w", err)
	}
	var paths []string
	for _, fn := range res.Functions {
		p, err := PlotStudy(res, fn.Name)
		if err != nil {
			return paths, err
		}
		for _, ext := range []string{"svg", "png"} {
			path := filepath.Join(dir, "eps-"+fn.Name+"."+ext)
			if err := p.Save(plotWidth, plotHeight, path); err != nil {
				return paths, fmt.Errorf("bench: WritePlots: %w", err)
			}
			paths = append(paths, path)
		}
	}
	if len(paths) == 0 {
		return nil, errors.New("bench: WritePlots: the result has no functions")
	}
	return paths, nil
}
