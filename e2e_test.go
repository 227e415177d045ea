package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestConsoleInTmux drives the built binary in a real terminal: tmux runs
// `cftriage --demo`, the test types an IP, sees its risk, drills to a
// domain and back, and quits.
func TestConsoleInTmux(t *testing.T) {
	c := startConsole(t)
	c.waitFor("the welcome screen", has("Investigate an indicator", "203.0.113.66"))
	c.keys("-l", "203.0.113[.]66") // defanged, as pasted from a report
	c.keys("Enter")
	c.waitFor("the IP verdict", has("RISKY", "Command and Control", "ip 203.0.113.66", "cdn-update.test"))
	c.keys("Enter") // first associated domain
	c.waitFor("the domain pane", has("ip 203.0.113.66 › domain cdn-update.test", "Risk score"))
	c.keys("Escape")
	s := c.waitFor("back on the IP", func(s string) bool {
		return strings.Contains(s, "Associated domains") && !strings.Contains(s, "› domain")
	})
	if !strings.Contains(s, "RISKY") {
		t.Fatalf("IP pane lost its verdict after back:\n%s", s)
	}
	c.quit("Associated domains")
}

// TestConsoleUserSideInTmux: the risky-users queue (6), its top user,
// the pivot to the IP the user was last seen from (l), back, quit.
func TestConsoleUserSideInTmux(t *testing.T) {
	c := startConsole(t)
	c.waitFor("the welcome screen", has("Investigate an indicator"))
	c.leaveSearch()
	c.keys("6")
	c.waitFor("the queue", has("[6 Risky users]", "4 users with a risk level", "sort severity ↓", "Carol"))
	c.keys("Enter") // the most severe, most recent: Carol
	c.waitFor("the user pane", has("user carol.diaz@", "Last seen", "203.0.113.80"))
	c.keys("l")
	c.waitFor("the last seen IP", has("› ip 203.0.113.80", "RISKY", "Phishing"))
	c.keys("Escape")
	c.waitFor("back on the user", func(s string) bool {
		return strings.Contains(s, "user carol.diaz@") && strings.Contains(s, "Last seen") && !strings.Contains(s, "› ip 203.0.113.80")
	})
	c.quit("Last seen")
}

// TestConsoleTriageInTmux: indicators pasted into the Triage tool (7) as
// a terminal pastes them (bracketed), r runs them, verdicts show.
func TestConsoleTriageInTmux(t *testing.T) {
	c := startConsole(t)
	c.waitFor("the welcome screen", has("Investigate an indicator"))
	c.leaveSearch()
	c.keys("7")
	c.waitFor("the triage tool", has("Bulk triage", "Paste an alert"))
	c.paste("beacon 203.0.113[.]66:443 and 192.0.2.10\nmail from bob.martin[@]acme-corp.example\n")
	c.waitFor("the extracted indicators", has("found 2 ip, 1 email"))
	c.keys("r")
	s := c.waitFor("the verdicts", has("3 looked up with", "2 risky, 0 failed", "Results"))
	for ind, verdict := range map[string]string{"203.0.113.66": "risky", "192.0.2.10": "clean", "bob.martin@acme-corp.example": "risky"} {
		if !rowHas(s, ind, verdict) {
			t.Errorf("no %s row for %s:\n%s", verdict, ind, s)
		}
	}
	c.quit("Bulk triage")
}

// console is cftriage --demo in a tmux session of 100×30.
type console struct {
	t      *testing.T
	tmux   string
	sock   string
	status string
}

// startConsole builds the binary and starts it in a private tmux server,
// or skips the test where tmux is absent.
func startConsole(t *testing.T) *console {
	t.Helper()
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
	c := &console{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock"), status: filepath.Join(dir, "exit-status")}
	// A private HOME/XDG so the run leaves nothing behind.
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + dir + "/config", "XDG_STATE_HOME=" + dir + "/state", "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	cmd := bin + " --demo; echo $? > " + c.status + "; sleep 60"
	args := []string{"new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30"}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	c.tm(append(args, cmd)...)
	t.Cleanup(func() { _ = exec.Command(tmux, "-S", c.sock, "kill-server").Run() })
	return c
}

func (c *console) tm(args ...string) string {
	c.t.Helper()
	out, err := exec.Command(c.tmux, append([]string{"-S", c.sock}, args...)...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (c *console) screen() string { return c.tm("capture-pane", "-p", "-t", "e2e") }

func (c *console) keys(k ...string) { c.tm(append([]string{"send-keys", "-t", "e2e"}, k...)...) }

// paste puts text in a tmux buffer and pastes it, bracketed when the
// console asked for bracketed paste (it does), as a terminal would.
func (c *console) paste(text string) {
	c.tm("set-buffer", "-b", "e2e", "--", text)
	c.tm("paste-buffer", "-p", "-d", "-b", "e2e", "-t", "e2e")
}

// leaveSearch presses Esc in the search box and waits for it to take
// effect: an Esc followed at once by a key reads as Alt+key.
func (c *console) leaveSearch() {
	c.t.Helper()
	c.keys("Escape")
	c.waitFor("the search box to let go", func(s string) bool { return !strings.Contains(s, "esc leave search") })
}

func (c *console) waitFor(what string, ok func(string) bool) string {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := c.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// quit presses q, expects exit status 0 and the terminal restored (gone
// is the alternate screen, where gone names text it showed).
func (c *console) quit(gone string) {
	c.t.Helper()
	c.keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(c.status)
		if err == nil {
			if got := strings.TrimSpace(string(b)); got != "0" {
				c.t.Fatalf("console exited with status %s", got)
			}
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("console did not exit after q; screen:\n%s", c.screen())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if s := c.screen(); strings.Contains(s, gone) {
		c.t.Fatalf("screen not restored after quit:\n%s", s)
	}
}

// rowHas reports a screen line showing both the indicator and the word.
func rowHas(screen, indicator, word string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, indicator) && slices.Contains(strings.Fields(l), word) {
			return true
		}
	}
	return false
}

func has(parts ...string) func(string) bool {
	return func(s string) bool {
		for _, p := range parts {
			if !strings.Contains(s, p) {
				return false
			}
		}
		return true
	}
}
