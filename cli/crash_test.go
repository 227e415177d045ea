package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestResetCrashLeavesDanglingIntent builds the real binary, starts a
// headless reset against a simulator that holds the POST, and kills the
// process while the POST is in flight: the audit log must show the intent
// without an outcome (audit verify exits 1 naming it), the reset must have
// reached the API once, and the log must go on intact afterwards.
//
// The simulator runs in this process rather than as `cftriage sim`: the
// standalone simulator has no way to inject a fault, and the point here
// is the crash of the process that sends the reset.
func TestResetCrashLeavesDanglingIntent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cftriage")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".." // the module root, where main.go is
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	// A private environment: no keyring, no real state, no proxy.
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"), "XDG_STATE_HOME=" + filepath.Join(dir, "state"),
		store.EnvToken + "=" + sim.DemoToken, store.EnvAccountID + "=" + sim.DemoAccountID,
		store.EnvBaseURL + "=" + srv.URL + sim.BasePath,
	}
	// run returns the exit code and stdout; stderr follows stdout in the
	// failure messages.
	run := func(args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%v: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), stdout.String() + stderr.String()
	}
	verify := func() (int, store.VerifyReport) {
		t.Helper()
		cmd := exec.Command(bin, "audit", "verify", "--json")
		cmd.Env = env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("audit verify: %v", err)
		}
		var rep store.VerifyReport
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("audit verify --json: %v\n%s%s", err, stdout.String(), stderr.String())
		}
		return cmd.ProcessState.ExitCode(), rep
	}

	// The reset's POST is held far longer than the test will wait.
	s.Inject(sim.Fault{Op: opReset, Latency: time.Minute, Times: 1})
	cmd := exec.Command(bin, "reset", sim.EmailFewEvents, "--reason", "INC-crash", "--yes", "--timeout", "2m")
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	// Wait (bounded) for the POST to reach the simulator; the process must
	// still be waiting for the answer then.
	for deadline := time.Now().Add(30 * time.Second); s.Count(opReset) == 0; {
		select {
		case <-exited:
			t.Fatalf("reset exited before its POST reached the simulator:\n%s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-exited
			t.Fatalf("the POST never reached the simulator:\n%s", out.String())
		}
	}
	cmd.Process.Kill() // the crash: no outcome can be written now
	<-exited
	if n := s.Count(opReset); n != 1 {
		t.Fatalf("the reset reached the simulator %d times, want 1", n)
	}

	code, rep := verify()
	if code != ExitAPI || rep.OK || len(rep.Dangling) != 1 || rep.Dangling[0].TargetEmail != sim.EmailFewEvents ||
		rep.Dangling[0].Reason != "INC-crash" || len(rep.Problems) != 1 || rep.Problems[0].Kind != store.ProblemDangling {
		t.Fatalf("after the crash: exit %d, report %+v", code, rep)
	}
	if code, list := run("audit"); code != 0 || !strings.Contains(list, sim.EmailFewEvents) || strings.Contains(list, "success") {
		t.Fatalf("audit list after the crash: exit %d\n%s", code, list)
	}

	// The log goes on: a later reset is recorded after the dangling intent
	// and the chain stays intact (the dangling intent is the only problem).
	if code, o := run("reset", sim.EmailManyEvents, "--reason", "INC-after", "--yes"); code != 0 {
		t.Fatalf("reset after the crash: exit %d\n%s", code, o)
	}
	code, rep = verify()
	if code != ExitAPI || rep.Lines != 3 || len(rep.Problems) != 1 || rep.Problems[0].Kind != store.ProblemDangling {
		t.Fatalf("after a later reset: exit %d, report %+v", code, rep)
	}
	b, err := os.ReadFile(filepath.Join(dir, "state", store.AppName, store.AuditFile))
	if err != nil || bytes.Contains(b, []byte(sim.DemoToken)) {
		t.Fatalf("audit log unreadable or holding the token: %v", err)
	}
}
