package store

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// appendForged appends r to the log the way someone with write access to
// the file could: chained onto the last line, seq one up, the head file
// left alone.
func appendForged(t *testing.T, path string, r AuditRecord) {
	t.Helper()
	lines := fileLines(t, path)
	var last AuditRecord
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	r.Seq, r.PrevHash = last.Seq+1, lineHash([]byte(lines[len(lines)-1]))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	writeFileLines(t, path, append(lines, string(b)), true)
}

// One appended record beyond the head (a forged outcome closing a dangling
// intent, or a crash before the head was updated) is named: a warning, and
// a failure with Strict.
func TestAuditRecordBeyondTheHeadIsNamed(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 1)
	r := resetRecord("victim@corp")
	id, err := a.Intent(r)
	if err != nil {
		t.Fatal(err)
	}
	if rep := mustVerify(t, path); rep.OK || len(rep.Dangling) != 1 {
		t.Fatalf("the intent is not dangling: %+v", rep)
	}
	forged := r
	forged.Phase, forged.AttemptID, forged.Outcome = PhaseOutcome, id, OutcomeFailure
	appendForged(t, path, forged)

	rep := mustVerify(t, path)
	if !rep.OK || len(rep.Dangling) != 0 {
		t.Fatalf("want the chain accepted (a crash looks the same), got:\n%s", problemsString(rep))
	}
	if len(rep.Warnings) != 1 || rep.Warnings[0].Kind != WarningUncovered || rep.Warnings[0].Line != 4 {
		t.Fatalf("warnings %+v, want one %q on line 4", rep.Warnings, WarningUncovered)
	}
	for _, want := range []string{"line 4", "seq 4", "risk_reset victim@corp", "failure", id, "head file"} {
		if !strings.Contains(rep.Warnings[0].Msg, want) {
			t.Errorf("the warning %q does not name %q", rep.Warnings[0].Msg, want)
		}
	}
	strict := rep.Strict()
	if strict.OK || findProblem(strict, 4, WarningUncovered) == nil || len(strict.Warnings) != 0 {
		t.Fatalf("strict: %+v", strict)
	}
	// cftriage's next append covers it again: no warning once the head
	// has moved past it.
	writeAttempts(t, a, 1)
	if rep := mustVerify(t, path); !rep.OK || len(rep.Warnings) != 0 {
		t.Fatalf("after an append: %+v", rep)
	}
}

// A missing head beside a log with records fails verify, and the records
// appended afterwards keep saying so: a new head must not make a truncated
// log look whole.
func TestAuditMissingHeadBesideALog(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 3)
	lines := fileLines(t, path)
	writeFileLines(t, path, lines[:4], true)          // the last attempt removed ...
	if err := os.Remove(path + ".head"); err != nil { // ... and its evidence
		t.Fatal(err)
	}
	rep := mustVerify(t, path)
	p := findProblem(rep, 5, ProblemHead)
	if rep.OK || p == nil || !strings.Contains(p.Msg, "missing") || !strings.Contains(p.Msg, "copy both files") {
		t.Fatalf("missing head:\n%s", problemsString(rep))
	}
	writeAttempts(t, a, 1)
	rep = mustVerify(t, path)
	if rep.OK || !rep.HeadChecked || findProblem(rep, 5, ProblemHead) == nil {
		t.Fatalf("after an append recreated the head, the gap is no longer reported:\n%s", problemsString(rep))
	}
	if recs, _ := ReadAudit(path, 0); !recs[1].HeadLost || recs[0].HeadLost {
		t.Fatalf("head_lost should mark the first record written without a head only: %+v", recs[:2])
	}
	// An empty log without a head is an empty log.
	empty := auditPath(t)
	if err := os.MkdirAll(strings.TrimSuffix(empty, AuditFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if rep := mustVerify(t, empty); !rep.OK {
		t.Fatalf("empty log: %s", problemsString(rep))
	}
}
