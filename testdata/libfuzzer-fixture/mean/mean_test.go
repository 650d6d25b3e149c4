package mean

import "testing"

func FuzzMean(f *testing.F) {
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		sum := 0
		for _, x := range b {
			sum += int(x)
		}
		want := 0
		if len(b) > 0 {
			want = sum / len(b)
		}
		if got := Mean(b); got != want {
			t.Fatalf("Mean(%v) = %d, want %d", b, got, want)
		}
	})
}

func FuzzMax(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint8(7))
	f.Fuzz(func(t *testing.T, b []byte, x uint8) {
		m := Max(append(b, x))
		if m < x {
			t.Fatalf("Max(%v, %d) = %d, want at least %d", b, x, m, x)
		}
		for _, y := range b {
			if m < y {
				t.Fatalf("Max(%v, %d) = %d, want at least %d", b, x, m, y)
			}
		}
	})
}
