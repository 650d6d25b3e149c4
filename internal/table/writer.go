package table

import "io"

// A Writer keeps the first error of the writer it wraps and drops every
// later write, so that a renderer can print freely and check Err once.
type Writer struct {
	w   io.Writer
	err error
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes p unless an earlier write failed. It always reports
// success; the first error is kept for Err.
func (e *Writer) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}

// Err returns the first error of a write, or nil.
func (e *Writer) Err() error { return e.err }
