package generators

import (
	"testing"

	"pgregory.net/rapid"
)

func TestShapeSquareShare(t *testing.T) {
	const draws = 4000
	square := 0
	seen := map[string]bool{}
	for _, s := range examples(Shape(), draws) {
		if s.N < 1 || s.N > 12 || s.D < 1 || s.D > 12 {
			t.Fatalf("drew %+v, want N and D in 1…12", s)
		}
		if s.N == s.D {
			square++
		}
		seen["N = 1"] = seen["N = 1"] || s.N == 1
		seen["D = 1"] = seen["D = 1"] || s.D == 1
		seen["N = D = 1"] = seen["N = D = 1"] || s.N == 1 && s.D == 1
		seen["N = D ≥ 2"] = seen["N = D ≥ 2"] || s.N == s.D && s.N >= 2
		seen["N < D"] = seen["N < D"] || s.N < s.D
		seen["N > D"] = seen["N > D"] || s.N > s.D
		seen["N = 12"] = seen["N = 12"] || s.N == 12
		seen["D = 12"] = seen["D = 12"] || s.D == 12
	}
	// Every N in 1…12 is an allowed D, so N == D with probability exactly
	// 1/4 (two unbiased bits); 5σ at 4000 draws is ±0.034.
	checkShare(t, "square shapes", square, draws, 0.25)
	t.Logf("square shapes: %d of %d = %.4f", square, draws, float64(square)/draws)
	for _, what := range []string{"N = 1", "D = 1", "N = D = 1", "N = D ≥ 2", "N < D", "N > D", "N = 12", "D = 12"} {
		if !seen[what] {
			t.Errorf("no shape with %s in %d draws", what, draws)
		}
	}
}

func TestShapeRange(t *testing.T) {
	tests := []struct {
		name                   string
		minN, maxN, minD, maxD int
		squareShare            float64 // exact share of N == D; -1 when not 1/4
	}{
		{"default", 1, 12, 1, 12, 0.25},
		{"single shape", 3, 3, 3, 3, 1},
		{"D fixed at N", 4, 4, 4, 4, 1},
		{"D fixed, N varies", 1, 6, 3, 3, -1},
		{"disjoint: n > d", 20, 30, 1, 5, 0},
		{"disjoint: n < d", 1, 5, 20, 30, 0},
		{"overlap", 5, 10, 8, 20, -1},
		{"two values", 1, 2, 1, 2, 0.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const draws = 2000
			square := 0
			for _, s := range examples(ShapeRange(tt.minN, tt.maxN, tt.minD, tt.maxD), draws) {
				if s.N < tt.minN || s.N > tt.maxN || s.D < tt.minD || s.D > tt.maxD {
					t.Fatalf("drew %+v, want N in %d…%d and D in %d…%d", s, tt.minN, tt.maxN, tt.minD, tt.maxD)
				}
				if s.N == s.D {
					square++
				}
			}
			switch tt.squareShare {
			case -1:
			case 0, 1:
				if want := int(tt.squareShare) * draws; square != want {
					t.Errorf("square shapes: %d of %d, want %d", square, draws, want)
				}
			default:
				checkShare(t, "square shapes", square, draws, tt.squareShare)
			}
		})
	}
}

// TestShapeDrawsInProperty checks the generator inside rapid.Check, where a
// user calls it, with the label in the report.
func TestShapeDrawsInProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := ShapeRange(2, 5, 1, 3).Draw(t, "shape")
		if s.N < 2 || s.N > 5 || s.D < 1 || s.D > 3 {
			t.Fatalf("drew %+v, want N in 2…5, D in 1…3", s)
		}
	})
}
