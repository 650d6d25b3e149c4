package lab

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// A learnerPanic is a panic in the learner's code, with where it happened.
// Wrappers re-panic with it so that the checker, which recovers every panic
// of the functions it checks, hands it back in Failure.PanicValue.
type learnerPanic struct {
	fn    string // the learner's function called
	value any
	where string // "tasks.go:57"
}

// String is what the checker prints for the panic.
func (p learnerPanic) String() string { return fmt.Sprint(p.value) }

func (p learnerPanic) notImplemented() bool {
	return strings.Contains(fmt.Sprint(p.value), "not implemented yet")
}

// A shapeError is a result of the wrong size, found by a wrapper.
type shapeError struct {
	fn         string
	rows, cols int // what the learner returned; cols is 0 for a vector
	wantRows   int
	wantCols   int
	isNil      bool
}

func (e shapeError) String() string {
	switch {
	case e.isNil:
		return fmt.Sprintf("%s returned nil", e.fn)
	case e.wantCols == 0 && e.rows == 1:
		return fmt.Sprintf("%s returned 1 value, want %d", e.fn, e.wantRows)
	case e.wantCols == 0:
		return fmt.Sprintf("%s returned %d values, want %d", e.fn, e.rows, e.wantRows)
	}
	return fmt.Sprintf("%s returned a %d×%d matrix, want %d×%d", e.fn, e.rows, e.cols, e.wantRows, e.wantCols)
}

// guard, deferred around a call of the learner's function fn, turns its
// panic into a learnerPanic.
func guard(fn string) {
	r := recover()
	if r == nil {
		return
	}
	switch r.(type) {
	case learnerPanic, shapeError:
		panic(r)
	}
	panic(learnerPanic{fn: fn, value: r, where: learnerFrame(debug.Stack())})
}

// call runs body, which calls the learner's function fn, and returns its
// panic, if any, as a learnerPanic or shapeError.
func call(fn string, body func()) (p any) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	func() {
		defer guard(fn)
		body()
	}()
	return nil
}

// learnerFrame returns the innermost frame of a panic's stack that is not
// the runtime's, the standard library's or this module's: the learner's
// line ("tasks.go:57"), with the gonum function it called if the panic
// came from there ("tasks.go:57 (in mat.(*VecDense).MulVec)").
func learnerFrame(stack []byte) string {
	lines := strings.Split(strings.TrimSpace(string(stack)), "\n")
	var outside string
	for i := 1; i+1 < len(lines); i += 2 {
		fn, file := strings.TrimSpace(lines[i]), strings.TrimSpace(lines[i+1])
		if strings.HasPrefix(fn, "panic(") || strings.HasPrefix(fn, "runtime") || !strings.Contains(fn, ".") ||
			containsAny(fn, "gradcheck/gradcheck/lab.", "gradcheck/gradcheck/properties.", "gradcheck/gradcheck/gradients.") {
			continue
		}
		if j := strings.LastIndex(file, " +0x"); j >= 0 {
			file = file[:j]
		}
		if goroot != "" && strings.HasPrefix(file, goroot) {
			continue // the standard library: os.Exit, fmt.Println
		}
		name := fn
		if j := strings.LastIndex(name, "("); j > 0 {
			name = name[:j]
		}
		if strings.HasPrefix(name, "gonum.org/") {
			if outside == "" {
				outside = name[strings.LastIndex(name, "/")+1:]
			}
			continue
		}
		loc := filepath.Base(file)
		if outside != "" {
			return loc + " (in " + outside + ")"
		}
		return loc
	}
	return outside
}

// goroot is the standard library's source folder, whose frames
// learnerFrame skips, or "" if unknown (a binary built with -trimpath).
var goroot = func() string {
	if r := runtime.GOROOT(); r != "" {
		return filepath.Join(r, "src") + string(filepath.Separator)
	}
	return ""
}()

// putVec copies the learner's result g into dst, or panics with a
// shapeError if it has another length.
func putVec(fn string, dst, g []float64) {
	if g == nil || len(g) != len(dst) {
		panic(shapeError{fn: fn, rows: len(g), wantRows: len(dst), isNil: g == nil})
	}
	copy(dst, g)
}

// putMat copies the learner's result m into dst, or panics with a
// shapeError if it is nil or of another size.
func putMat(fn string, dst *mat.Dense, m *mat.Dense) {
	wr, wc := dst.Dims()
	if m == nil || m.IsEmpty() {
		panic(shapeError{fn: fn, wantRows: wr, wantCols: wc, isNil: true})
	}
	if r, c := m.Dims(); r != wr || c != wc {
		panic(shapeError{fn: fn, rows: r, cols: c, wantRows: wr, wantCols: wc})
	}
	dst.Copy(m)
}
