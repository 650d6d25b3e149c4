package properties

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// maxNamed bounds the entries whose names indexName keeps: a check of a
// gradient names every entry in its Report (EntryStatus.Entry), and for
// d up to maxNamed the names are made once per process, not once per check.
const maxNamed = 4096

var (
	// names holds "[0]", "[1]", … for the entries named so far; namesMu
	// serializes its growth.
	names   atomic.Pointer[[]string]
	namesMu sync.Mutex
)

// indexName returns the name of entry i of a vector in messages, "[i]".
func indexName(i int) string {
	if p := names.Load(); p != nil && i < len(*p) {
		return (*p)[i]
	}
	if i >= maxNamed || i < 0 {
		return "[" + strconv.Itoa(i) + "]"
	}
	namesMu.Lock()
	defer namesMu.Unlock()
	var old []string
	if p := names.Load(); p != nil {
		old = *p
	}
	if i < len(old) {
		return old[i]
	}
	grown := make([]string, min(maxNamed, max(2*len(old), i+1, 16)))
	n := copy(grown, old)
	for j := n; j < len(grown); j++ {
		grown[j] = "[" + strconv.Itoa(j) + "]"
	}
	names.Store(&grown)
	return grown[i]
}
