package bench

import (
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// threadClock returns a clock of the CPU time of the calling OS thread
// (CLOCK_THREAD_CPUTIME_ID), with the goroutine locked to its thread until
// release is called. On a shared machine it counts the benchmark's own
// work and not the time other jobs run on its core, which wall time does.
func threadClock() (now func() time.Duration, release func()) {
	runtime.LockOSThread()
	now = func() time.Duration {
		var ts syscall.Timespec
		const clockThreadCPUTime = 3
		_, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
		if errno != 0 {
			panic("bench: clock_gettime(CLOCK_THREAD_CPUTIME_ID): " + errno.Error())
		}
		return time.Duration(ts.Nano())
	}
	return now, runtime.UnlockOSThread
}
