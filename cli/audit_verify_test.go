package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestAuditVerifyTamperedLog edits one line of a real audit log and
// expects `audit verify` to fail (exit 1) naming that line, both for
// people and with --json.
func TestAuditVerifyTamperedLog(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, email := range []string{sim.EmailFewEvents, sim.EmailManyEvents} {
		if r := f.run(t, "", "reset", email, "--reason", "INC-9 cleared", "--yes"); r.code != 0 {
			t.Fatalf("reset %s: exit %d %q", email, r.code, r.stderr)
		}
	}
	if v := f.run(t, "", "audit", "verify"); v.code != 0 {
		t.Fatalf("untampered log: exit %d %q %q", v.code, v.stdout, v.stderr)
	}

	path := filepath.Join(f.state, store.AppName, store.AuditFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d audit lines, want 4 (two intent/outcome pairs)", len(lines))
	}
	// Line 2 is the first attempt's outcome: turn its success into a
	// failure, as someone hiding a reset might. The length is unchanged so
	// only the content (and so the chain) gives it away.
	const tamperedLine = 2
	edited := strings.Replace(lines[tamperedLine-1], `"outcome":"success"`, `"outcome":"failure"`, 1)
	if edited == lines[tamperedLine-1] {
		t.Fatalf("line %d has no success outcome to edit: %s", tamperedLine, lines[tamperedLine-1])
	}
	lines[tamperedLine-1] = edited
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	v := f.run(t, "", "audit", "verify")
	if v.code != ExitAPI {
		t.Fatalf("tampered log: exit %d, want %d; stdout %q stderr %q", v.code, ExitAPI, v.stdout, v.stderr)
	}
	if !strings.Contains(v.stdout, "line 2: "+store.ProblemEdited) {
		t.Errorf("the edited line is not named: %q", v.stdout)
	}
	if strings.Contains(v.stdout, "OK") || !strings.Contains(v.stderr, "verification failed") {
		t.Errorf("tampered log reported as fine: stdout %q stderr %q", v.stdout, v.stderr)
	}

	j := f.run(t, "", "audit", "verify", "--json")
	if j.code != ExitAPI {
		t.Fatalf("tampered log --json: exit %d, want %d", j.code, ExitAPI)
	}
	var rep store.VerifyReport
	if err := json.Unmarshal([]byte(j.stdout), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, j.stdout)
	}
	if rep.OK || len(rep.Problems) == 0 || rep.Problems[0].Line != tamperedLine || rep.Problems[0].Kind != store.ProblemEdited {
		t.Fatalf("--json report: %+v", rep)
	}
}

// TestAuditVerifyMissingLog: with no log and no head file there is
// nothing to verify. That is not a failure (exit 0), but it is not an
// intact chain either: the output says there is no log, for people and
// with --json. Once the log exists, or when only its head is left, it is
// verified as usual.
func TestAuditVerifyMissingLog(t *testing.T) {
	f := newFixture(t, sim.Options{})
	path := filepath.Join(f.state, store.AppName, store.AuditFile)

	v := f.run(t, "", "audit", "verify")
	if v.code != 0 {
		t.Fatalf("missing log: exit %d; stdout %q stderr %q", v.code, v.stdout, v.stderr)
	}
	want := "no audit log at " + path + ": nothing has been recorded here yet (if actions were recorded, the log has been removed)\n"
	if v.stdout != want {
		t.Errorf("missing log:\n got %q\nwant %q", v.stdout, want)
	}

	type out struct {
		store.VerifyReport
		Path   string `json:"path"`
		Absent *bool  `json:"absent"`
	}
	verifyJSON := func(wantCode int) out {
		t.Helper()
		j := f.run(t, "", "audit", "verify", "--json")
		if j.code != wantCode {
			t.Fatalf("--json: exit %d, want %d; stdout %q stderr %q", j.code, wantCode, j.stdout, j.stderr)
		}
		var o out
		if err := json.Unmarshal([]byte(j.stdout), &o); err != nil {
			t.Fatalf("--json output: %v\n%s", err, j.stdout)
		}
		if o.Absent == nil || o.Path != path {
			t.Fatalf("--json lacks absent or path: %s", j.stdout)
		}
		return o
	}
	if o := verifyJSON(0); !*o.Absent || !o.OK || o.Lines != 0 {
		t.Errorf("missing log --json: %+v absent=%v", o.VerifyReport, *o.Absent)
	}

	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-9 cleared", "--yes"); r.code != 0 {
		t.Fatalf("reset: exit %d %q", r.code, r.stderr)
	}
	v = f.run(t, "", "audit", "verify")
	if v.code != 0 || !strings.HasPrefix(v.stdout, "audit log OK: 2 record(s)") || strings.Contains(v.stdout, "no audit log") {
		t.Errorf("present log: exit %d %q", v.code, v.stdout)
	}
	if o := verifyJSON(0); *o.Absent || o.Lines != 2 {
		t.Errorf("present log --json: %+v absent=%v", o.VerifyReport, *o.Absent)
	}

	// The log removed, its head left behind: that is a finding, not an
	// absent log.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	v = f.run(t, "", "audit", "verify")
	if v.code != ExitAPI || strings.Contains(v.stdout, "no audit log") {
		t.Errorf("log removed, head kept: exit %d %q %q", v.code, v.stdout, v.stderr)
	}
	if o := verifyJSON(ExitAPI); *o.Absent || o.OK {
		t.Errorf("log removed, head kept --json: %+v absent=%v", o.VerifyReport, *o.Absent)
	}
}

// A single record appended beyond the head file (here a forged outcome
// that closes a dangling intent) no longer passes as "audit log OK"
// without a word: it is named as a warning, and --strict fails on it. A
// deleted head file beside the log is a failure that says what it means.
func TestAuditVerifyRecordBeyondTheHeadAndMissingHead(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-9", "--yes"); r.code != 0 {
		t.Fatalf("reset: exit %d %q", r.code, r.stderr)
	}
	path := filepath.Join(f.state, store.AppName, store.AuditFile)
	a := store.OpenAudit(path)
	id, err := a.Intent(store.AuditRecord{Action: store.ActionRiskReset, TargetEmail: sim.EmailManyEvents, Reason: "INC-10"})
	if err != nil {
		t.Fatal(err)
	}
	// The forger writes the outcome with the file's chain, not the head.
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	sum := sha256.Sum256([]byte(lines[len(lines)-1]))
	forged, _ := json.Marshal(store.AuditRecord{Seq: int64(len(lines) + 1), Phase: store.PhaseOutcome, AttemptID: id,
		Action: store.ActionRiskReset, TargetEmail: sim.EmailManyEvents, Outcome: store.OutcomeFailure, PrevHash: hex.EncodeToString(sum[:])})
	if err := os.WriteFile(path, append(b, append(forged, '\n')...), 0o600); err != nil {
		t.Fatal(err)
	}

	v := f.run(t, "", "audit", "verify")
	if v.code != 0 || !strings.Contains(v.stdout, "OK with 1 warning") || !strings.Contains(v.stdout, "line 4") ||
		!strings.Contains(v.stdout, id) || !strings.Contains(v.stdout, "beyond the head file") || !strings.Contains(v.stdout, "--strict") {
		t.Fatalf("verify: exit %d\n%s", v.code, v.stdout)
	}
	s := f.run(t, "", "audit", "verify", "--strict")
	if s.code != ExitAPI || !strings.Contains(s.stdout, "line 4: "+store.WarningUncovered) || !strings.Contains(s.stderr, store.WarningUncovered) {
		t.Fatalf("verify --strict: exit %d\n%s\n%s", s.code, s.stdout, s.stderr)
	}
	j := f.run(t, "", "audit", "verify", "--strict", "--json")
	var rep verifyOutput
	if j.code != ExitAPI || json.Unmarshal([]byte(j.stdout), &rep) != nil || rep.OK || !rep.Strict || len(rep.Problems) != 1 {
		t.Fatalf("verify --strict --json: exit %d\n%s", j.code, j.stdout)
	}

	if err := os.Remove(path + ".head"); err != nil {
		t.Fatal(err)
	}
	m := f.run(t, "", "audit", "verify")
	if m.code != ExitAPI || !strings.Contains(m.stdout, "head file") || !strings.Contains(m.stdout, "missing") ||
		!strings.Contains(m.stdout, "removed from the end cannot be detected") {
		t.Fatalf("missing head: exit %d\n%s\n%s", m.code, m.stdout, m.stderr)
	}
}
