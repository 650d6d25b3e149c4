package bench

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWritePlots writes every plot and checks that each file is there: the
// PNGs decode to images of the plot's size and the SVGs are SVG.
func TestWritePlots(t *testing.T) {
	res := defaultStudy()
	dir := filepath.Join(t.TempDir(), "plots")
	paths, err := WritePlots(res, dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * len(res.Functions); len(paths) != want {
		t.Errorf("%d files, want %d (SVG and PNG per function)", len(paths), want)
	}
	for _, fn := range res.Functions {
		for _, ext := range []string{"svg", "png"} {
			path := filepath.Join(dir, "eps-"+fn.Name+"."+ext)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Error(err)
				continue
			}
			switch ext {
			case "png":
				img, err := png.Decode(bytes.NewReader(data))
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 300 {
					t.Errorf("%s: %d×%d pixels, want at least 500×300", path, b.Dx(), b.Dy())
				}
			case "svg":
				if !bytes.Contains(data, []byte("<svg")) || !bytes.Contains(data, []byte("relative error")) {
					t.Errorf("%s: %d bytes without <svg or the axis label", path, len(data))
				}
			}
		}
	}
}

func TestPlotStudyUnknownFunction(t *testing.T) {
	if _, err := PlotStudy(defaultStudy(), "tan"); err == nil || !strings.Contains(err.Error(), `"tan"`) {
		t.Errorf("PlotStudy of an unknown function: err = %v, want one naming it", err)
	}
	if _, err := WritePlots(StudyResult{}, t.TempDir()); err == nil {
		t.Error("WritePlots of an empty result: no error")
	}
}
