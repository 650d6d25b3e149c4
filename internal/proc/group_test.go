package proc

import (
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// TestKillGroup starts a shell that starts a child, kills the group, and
// waits until no process of it is left: the child goes with the leader.
func TestKillGroup(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("no process groups")
	}
	cmd := exec.Command("sh", "-c", "sleep 600 & wait")
	NewGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Skip("no sh:", err)
	}
	pgid := cmd.Process.Pid
	if !Alive(pgid) {
		t.Fatalf("group %d not alive after Start", pgid)
	}
	if err := Kill(cmd.Process); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The orphaned sleep is reaped by init, asynchronously: poll, with a
	// deadline no loaded machine reaches.
	deadline := time.Now().Add(time.Minute)
	for Alive(pgid) {
		if time.Now().After(deadline) {
			t.Fatalf("group %d still alive a minute after SIGKILL", pgid)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := Kill(cmd.Process); err == nil {
		t.Errorf("Kill of a dead group: nil error, want os.ErrProcessDone")
	}
}
