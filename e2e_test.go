package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConsoleInTmux drives the built binary in a real terminal: tmux runs
// `cftriage --demo`, the test types an IP, sees its risk, drills to a
// domain and back, and quits.
func TestConsoleInTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("end-to-end test skipped: tmux is not installed (apt-get install tmux; .ci/run installs it)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cftriage")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	sock := filepath.Join(dir, "tmux.sock")
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	// A private HOME/XDG so the run leaves nothing behind.
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir + "/config", "XDG_STATE_HOME=" + dir + "/state", "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	status := filepath.Join(dir, "exit-status")
	cmd := bin + " --demo; echo $? > " + status + "; sleep 60"
	args := []string{"new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	tm(append(args, cmd)...)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", sock, "kill-server").Run() })

	screen := func() string { return tm("capture-pane", "-p", "-t", "e2e") }
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			s := screen()
			if ok(s) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("waiting for %s; screen:\n%s", what, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	has := func(parts ...string) func(string) bool {
		return func(s string) bool {
			for _, p := range parts {
				if !strings.Contains(s, p) {
					return false
				}
			}
			return true
		}
	}
	keys := func(k ...string) { tm(append([]string{"send-keys", "-t", "e2e"}, k...)...) }

	waitFor("the welcome screen", has("Investigate an indicator", "203.0.113.66"))
	keys("-l", "203.0.113[.]66") // defanged, as pasted from a report
	keys("Enter")
	waitFor("the IP verdict", has("RISKY", "Command and Control", "ip 203.0.113.66", "cdn-update.test"))
	keys("Enter") // first associated domain
	waitFor("the domain pane", has("ip 203.0.113.66 › domain cdn-update.test", "Risk score"))
	keys("Escape")
	s := waitFor("back on the IP", func(s string) bool {
		return strings.Contains(s, "Associated domains") && !strings.Contains(s, "› domain")
	})
	if !strings.Contains(s, "RISKY") {
		t.Fatalf("IP pane lost its verdict after back:\n%s", s)
	}
	keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(status)
		if err == nil {
			if got := strings.TrimSpace(string(b)); got != "0" {
				t.Fatalf("console exited with status %s", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("console did not exit after q; screen:\n%s", screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The terminal is restored: the alternate screen is gone.
	if s := screen(); strings.Contains(s, "Associated domains") {
		t.Fatalf("screen not restored after quit:\n%s", s)
	}
}
