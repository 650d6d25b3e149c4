// Package mean is a fixture for .ci/libfuzzer: Mean has a bug that
// libFuzzer finds in a fraction of a second, Max has none.
package mean

// Mean returns the mean of b, rounded down, or 0 for no bytes. Its bug:
// it sums in a byte, which wraps around once the sum reaches 256.
func Mean(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	var sum byte
	for _, x := range b {
		sum += x
	}
	return int(sum) / len(b)
}

// Max returns the largest of b, or 0 for no bytes.
func Max(b []byte) byte {
	var m byte
	for _, x := range b {
		m = max(m, x)
	}
	return m
}
