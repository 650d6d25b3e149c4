package generators

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

// panicMessage runs f and returns the message it panicked with, or "" if it
// did not panic.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// TestConstructorsPanic checks every documented misuse: each constructor
// panics before returning a generator, with a "generators: " message naming
// the argument and what was wanted.
func TestConstructorsPanic(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"ShapeRange minN < 1", func() { ShapeRange(0, 5, 1, 5) }, "ShapeRange: minN = 0, want minN ≥ 1"},
		{"ShapeRange minN > maxN", func() { ShapeRange(5, 4, 1, 5) }, "ShapeRange: minN = 5 > maxN = 4, want minN ≤ maxN"},
		{"ShapeRange minD < 1", func() { ShapeRange(1, 5, -1, 5) }, "ShapeRange: minD = -1, want minD ≥ 1"},
		{"ShapeRange minD > maxD", func() { ShapeRange(1, 5, 3, 2) }, "ShapeRange: minD = 3 > maxD = 2, want minD ≤ maxD"},
		{"Float64Decades empty", func() { Float64Decades(3, 3) }, "Float64Decades: minExp = 3, maxExp = 3, want minExp < maxExp"},
		{"Float64Decades subnormal", func() { Float64Decades(-308, 0) }, "Float64Decades: minExp = -308, want minExp ≥ -307"},
		{"Float64Decades overflow", func() { Float64Decades(0, 309) }, "Float64Decades: maxExp = 309, want maxExp ≤ 308"},
		{"Vector n < 0", func() { Vector(-1) }, "Vector: n = -1, want n ≥ 0"},
		{"VectorOf n < 0", func() { VectorOf(Float64(), -2) }, "VectorOf: n = -2, want n ≥ 0"},
		{"VectorOf nil", func() { VectorOf(nil, 2) }, "VectorOf: elem is nil"},
		{"Matrix no rows", func() { Matrix(0, 3) }, "Matrix: r×c = 0×3, want r ≥ 1 and c ≥ 1"},
		{"Matrix negative columns", func() { Matrix(2, -1) }, "Matrix: r×c = 2×-1, want r ≥ 1 and c ≥ 1"},
		{"MatrixOf nil", func() { MatrixOf(nil, 2, 2) }, "MatrixOf: elem is nil"},
		{"Point d < 1", func() { Point(0) }, "Point: d = 0, want d ≥ 1"},
		{"IllConditionedMatrix empty", func() { IllConditionedMatrix(0, 2, 10) }, "IllConditionedMatrix: r×c = 0×2, want r ≥ 1 and c ≥ 1"},
		{"IllConditionedMatrix cond < 1", func() { IllConditionedMatrix(2, 2, 0.5) }, "IllConditionedMatrix: cond = 0.5, want finite cond ≥ 1"},
		{"IllConditionedMatrix cond NaN", func() { IllConditionedMatrix(2, 2, math.NaN()) }, "IllConditionedMatrix: cond = NaN, want finite cond ≥ 1"},
		{"IllConditionedMatrix cond Inf", func() { IllConditionedMatrix(2, 2, math.Inf(1)) }, "IllConditionedMatrix: cond = +Inf, want finite cond ≥ 1"},
		{"IllConditionedMatrix one singular value", func() { IllConditionedMatrix(1, 3, 10) }, "IllConditionedMatrix: cond = 10 with r×c = 1×3, want cond = 1"},
		{"Labels01 n < 0", func() { Labels01(-1) }, "Labels01: n = -1, want n ≥ 0"},
		{"OneHot n < 1", func() { OneHot(0, 2) }, "OneHot: n = 0, want n ≥ 1"},
		{"OneHot k < 1", func() { OneHot(2, 0) }, "OneHot: k = 0, want k ≥ 1 classes"},
		{"ProbabilityRows n < 1", func() { ProbabilityRows(0, 2) }, "ProbabilityRows: n = 0, want n ≥ 1"},
		{"ProbabilityRows k < 1", func() { ProbabilityRows(2, -3) }, "ProbabilityRows: k = -3, want k ≥ 1 classes"},
		{"Logits n < 0", func() { Logits(-1) }, "Logits: n = -1, want n ≥ 0"},
		{"RegressionDataOf nil", func() { RegressionDataOf(nil) }, "RegressionDataOf: shape is nil"},
		{"ClassificationDataOf nil shape", func() { ClassificationDataOf(nil, Logit()) }, "ClassificationDataOf: shape is nil"},
		{"ClassificationDataOf nil logit", func() { ClassificationDataOf(Shape(), nil) }, "ClassificationDataOf: logit is nil"},
		{"MulticlassDataOf nil shape", func() { MulticlassDataOf(nil, rapid.Just(2), OneHot) }, "MulticlassDataOf: shape is nil"},
		{"MulticlassDataOf nil classes", func() { MulticlassDataOf(Shape(), nil, OneHot) }, "MulticlassDataOf: classes is nil"},
		{"MulticlassDataOf nil targets", func() { MulticlassDataOf(Shape(), rapid.Just(2), nil) }, "MulticlassDataOf: targets is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := panicMessage(tt.f)
			if !strings.HasPrefix(msg, "generators: "+tt.want) {
				t.Errorf("panic = %q, want %q", msg, "generators: "+tt.want+"…")
			}
		})
	}
}

// TestDrawnArgumentsPanic checks the arguments only known when drawn: a bad
// one panics inside the property (here inside Example, which retries and
// then reports the last panic).
func TestDrawnArgumentsPanic(t *testing.T) {
	tests := []struct {
		name string
		f    func()
		want string
	}{
		{"shape with N = 0", func() { RegressionDataOf(rapid.Just(Dims{N: 0, D: 3})).Example(1) },
			"generators: RegressionDataOf: shape drew N×D = 0×3, want N ≥ 1 and D ≥ 1"},
		{"k = 0", func() { MulticlassDataOf(Shape(), rapid.Just(0), OneHot).Example(1) },
			"generators: MulticlassDataOf: classes drew k = 0, want k ≥ 1"},
		{"targets of the wrong shape", func() {
			MulticlassDataOf(ShapeRange(2, 2, 1, 1), rapid.Just(3), func(n, k int) *rapid.Generator[*mat.Dense] { return OneHot(n, k+1) }).Example(1)
		}, "generators: MulticlassDataOf: targets(2, 3) drew a 2×4 matrix, want 2×3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(tt.f); !strings.Contains(msg, tt.want) {
				t.Errorf("panic = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}
