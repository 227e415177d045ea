package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func auditPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "state", "cftriage", AuditFile)
}

func resetRecord(email string) AuditRecord {
	return AuditRecord{
		AccountID: "acc-1", Operator: Operator{OSUser: "analyst", TokenID: "tokid-1"},
		Action: ActionRiskReset, TargetUserID: "uid-" + email, TargetEmail: email,
		Reason: "INC-42 investigated", Before: &UserState{RiskLevel: "high", LastReset: "2026-01-01T00:00:00Z", EventCount: 3},
	}
}

// writeAttempts appends n complete attempts (intent + outcome): 2n lines.
func writeAttempts(t *testing.T, a *Audit, n int) {
	t.Helper()
	for i := range n {
		r := resetRecord(fmt.Sprintf("user%d@corp", i))
		id, err := a.Intent(r)
		if err != nil {
			t.Fatal(err)
		}
		r.Outcome, r.HTTPStatus = OutcomeSuccess, 200
		r.After = &UserState{RiskLevel: "low", LastReset: "2026-02-02T00:00:00Z"}
		if err := a.Outcome(id, r); err != nil {
			t.Fatal(err)
		}
	}
}

func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func writeFileLines(t *testing.T, path string, lines []string, finalNewline bool) {
	t.Helper()
	s := strings.Join(lines, "\n")
	if finalNewline {
		s += "\n"
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustVerify(t *testing.T, path string) VerifyReport {
	t.Helper()
	rep, err := VerifyAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// checkChain re-derives the chain independently of VerifyAudit.
func checkChain(t *testing.T, path string, wantLines int) {
	t.Helper()
	lines := fileLines(t, path)
	if len(lines) != wantLines {
		t.Fatalf("%d lines, want %d", len(lines), wantLines)
	}
	prev := "genesis"
	for i, l := range lines {
		var r AuditRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d does not parse: %v", i+1, err)
		}
		if r.Seq != int64(i+1) || r.PrevHash != prev {
			t.Fatalf("line %d: seq %d prev_hash %s, want seq %d prev_hash %s", i+1, r.Seq, r.PrevHash, i+1, prev)
		}
		sum := sha256.Sum256([]byte(l))
		prev = hex.EncodeToString(sum[:])
	}
}

func problemsString(rep VerifyReport) string {
	var b strings.Builder
	for _, p := range rep.Problems {
		fmt.Fprintf(&b, "  [%s] %s\n", p.Kind, p.Msg)
	}
	return b.String()
}

func findProblem(rep VerifyReport, line int, kind string) *Problem {
	for i, p := range rep.Problems {
		if p.Line == line && p.Kind == kind {
			return &rep.Problems[i]
		}
	}
	return nil
}

func TestAuditChainValid(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 10)
	checkChain(t, path, 20)

	rep := mustVerify(t, path)
	if !rep.OK || rep.Lines != 20 || len(rep.Problems) != 0 || !rep.HeadChecked {
		t.Fatalf("valid log reported as %+v\n%s", rep, problemsString(rep))
	}
	assertMode(t, filepath.Dir(path), 0o700)
	for _, p := range []string{path, path + ".head", path + ".lock"} {
		assertMode(t, p, 0o600)
	}

	lines := fileLines(t, path)
	var intent, outcome AuditRecord
	json.Unmarshal([]byte(lines[0]), &intent)
	json.Unmarshal([]byte(lines[1]), &outcome)
	if intent.Phase != PhaseIntent || outcome.Phase != PhaseOutcome || intent.AttemptID == "" || intent.AttemptID != outcome.AttemptID {
		t.Errorf("intent/outcome not linked: %+v / %+v", intent, outcome)
	}
	if intent.Time.Location() != time.UTC || !strings.Contains(lines[0], `"time":"`) || !strings.Contains(lines[0], `Z"`) {
		t.Errorf("time not UTC: %s", lines[0])
	}
	if outcome.Outcome != OutcomeSuccess || outcome.After == nil || outcome.Before.RiskLevel != "high" || outcome.Operator.TokenID != "tokid-1" {
		t.Errorf("outcome fields lost: %+v", outcome)
	}
}

func TestAuditEditedLineIsNamed(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 5)
	lines := fileLines(t, path)
	lines[5] = strings.Replace(lines[5], "INC-42 investigated", "INC-43 investigated", 1) // line 6, still valid JSON
	writeFileLines(t, path, lines, true)

	rep := mustVerify(t, path)
	if rep.OK || len(rep.Problems) == 0 {
		t.Fatal("an edited line passed verification")
	}
	p := rep.Problems[0]
	if p.Line != 6 || p.Kind != ProblemEdited || !strings.HasPrefix(p.Msg, "line 6:") || !strings.Contains(p.Msg, "line 7") {
		t.Errorf("first problem = %+v\n%s", p, problemsString(rep))
	}
	if len(rep.Problems) != 1 {
		t.Errorf("one edit should be one problem:\n%s", problemsString(rep))
	}
}

func TestAuditDeletedLineIsNamed(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 5)
	lines := fileLines(t, path)
	// line 4 is the outcome of the second attempt (seq 4)
	lines = append(lines[:3:3], lines[4:]...)
	writeFileLines(t, path, lines, true)

	rep := mustVerify(t, path)
	if rep.OK {
		t.Fatal("a deleted line passed verification")
	}
	if p := findProblem(rep, 4, ProblemMissing); p == nil || !strings.Contains(p.Msg, "seq 4") || !strings.Contains(p.Msg, "deleted") {
		t.Errorf("deletion not named:\n%s", problemsString(rep))
	}
	// its intent (line 3) now has no outcome
	if p := findProblem(rep, 3, ProblemDangling); p == nil || len(rep.Dangling) != 1 || rep.Dangling[0].TargetEmail != "user1@corp" {
		t.Errorf("intent of the deleted outcome not reported:\n%s", problemsString(rep))
	}
}

func TestAuditDeletedFirstLine(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 2)
	lines := fileLines(t, path)
	writeFileLines(t, path, lines[1:], true)
	rep := mustVerify(t, path)
	if p := findProblem(rep, 1, ProblemMissing); p == nil || !strings.Contains(p.Msg, "beginning of the log") {
		t.Errorf("deleted first line:\n%s", problemsString(rep))
	}
	if findProblem(rep, 1, ProblemOrphan) == nil {
		t.Errorf("outcome without intent not reported:\n%s", problemsString(rep))
	}
}

func TestAuditTruncatedLastLine(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 3)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)-15], 0o600)

	rep := mustVerify(t, path)
	if rep.OK || rep.Lines != 6 {
		t.Fatalf("truncated log: %+v", rep)
	}
	if findProblem(rep, 6, ProblemTruncated) == nil {
		t.Errorf("truncated line 6 not reported:\n%s", problemsString(rep))
	}
	// the head knows record 6 was written completely: a cut, not a crash
	if p := findProblem(rep, 7, ProblemMissing); p == nil || !strings.Contains(p.Msg, "seq 6") {
		t.Errorf("head check did not report the lost record:\n%s", problemsString(rep))
	}
}

func TestAuditRemovedTrailingRecords(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 3)
	lines := fileLines(t, path)
	writeFileLines(t, path, lines[:4], true) // drop seq 5 and 6 cleanly

	rep := mustVerify(t, path)
	if p := findProblem(rep, 5, ProblemMissing); p == nil || !strings.Contains(p.Msg, "seq 5-6") || !strings.Contains(p.Msg, "end") {
		t.Errorf("removal of the last records not reported:\n%s", problemsString(rep))
	}
	if findProblem(rep, 3, ProblemDangling) != nil {
		t.Errorf("attempt 2 is complete in the remaining lines")
	}
	if findProblem(rep, 5, ProblemDangling) != nil || len(rep.Dangling) != 0 {
		t.Errorf("unexpected dangling:\n%s", problemsString(rep))
	}
}

func TestAuditEditedLastLine(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 2)
	lines := fileLines(t, path)
	lines[3] = strings.Replace(lines[3], `"outcome":"success"`, `"outcome":"failure"`, 1)
	writeFileLines(t, path, lines, true)
	rep := mustVerify(t, path)
	if p := findProblem(rep, 4, ProblemEdited); p == nil || !strings.Contains(p.Msg, "head") {
		t.Errorf("edit of the last line not reported:\n%s", problemsString(rep))
	}
}

// Tampering with the tail must stay visible after later appends: Append
// chains onto what it last wrote (the head), not onto the tampered tail.
func TestAuditTamperSurvivesAppend(t *testing.T) {
	t.Run("edit", func(t *testing.T) {
		path := auditPath(t)
		a := OpenAudit(path)
		writeAttempts(t, a, 2)
		lines := fileLines(t, path)
		lines[3] = strings.Replace(lines[3], `"outcome":"success"`, `"outcome":"failure"`, 1)
		writeFileLines(t, path, lines, true)
		writeAttempts(t, a, 1)
		rep := mustVerify(t, path)
		if findProblem(rep, 4, ProblemEdited) == nil || rep.Lines != 6 {
			t.Errorf("edit hidden by a later append:\n%s", problemsString(rep))
		}
	})
	t.Run("delete", func(t *testing.T) {
		path := auditPath(t)
		a := OpenAudit(path)
		writeAttempts(t, a, 2)
		writeFileLines(t, path, fileLines(t, path)[:3], true)
		writeAttempts(t, a, 1)
		rep := mustVerify(t, path)
		if p := findProblem(rep, 4, ProblemMissing); p == nil || !strings.Contains(p.Msg, "seq 4") {
			t.Errorf("deletion hidden by a later append:\n%s", problemsString(rep))
		}
	})
}

// An interrupted write (torn line, head not updated) is reported but does
// not stop the log: the next record goes on a new line and chains on.
func TestAuditTornWriteRecovery(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 1)
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":3,"time":"2026-`)
	f.Close()
	if rep := mustVerify(t, path); findProblem(rep, 3, ProblemTruncated) == nil || len(rep.Problems) != 1 {
		t.Errorf("torn tail before append:\n%s", problemsString(rep))
	}
	writeAttempts(t, a, 1)
	rep := mustVerify(t, path)
	if rep.Lines != 5 || len(rep.Problems) != 1 || findProblem(rep, 3, ProblemUnparsable) == nil {
		t.Fatalf("after recovery: lines=%d\n%s", rep.Lines, problemsString(rep))
	}
	recs, _ := ReadAudit(path, 0)
	if len(recs) != 4 || recs[0].Seq != 4 || recs[1].Seq != 3 {
		t.Errorf("seq after a torn write: %+v", recs)
	}
}

func TestAuditDanglingIntent(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 1)
	id, err := a.Intent(resetRecord("victim@corp"))
	if err != nil {
		t.Fatal(err)
	}
	writeAttempts(t, a, 1)
	rep := mustVerify(t, path)
	if rep.OK || len(rep.Dangling) != 1 || rep.Dangling[0].AttemptID != id {
		t.Fatalf("dangling intent: %+v", rep)
	}
	p := findProblem(rep, 3, ProblemDangling)
	if p == nil || !strings.Contains(p.Msg, id) || !strings.Contains(p.Msg, "risk_reset victim@corp") || !strings.Contains(p.Msg, "unknown") {
		t.Errorf("dangling message:\n%s", problemsString(rep))
	}
	if len(rep.Problems) != 1 {
		t.Errorf("only the dangling intent is wrong:\n%s", problemsString(rep))
	}

	// an api_call intent is described by method and URL
	r := AuditRecord{AccountID: "acc", Action: ActionAPICall, Method: "DELETE", URL: "https://api.example/x"}
	if _, err := a.Intent(r); err != nil {
		t.Fatal(err)
	}
	rep = mustVerify(t, path)
	if p := findProblem(rep, rep.Lines, ProblemDangling); p == nil || !strings.Contains(p.Msg, "api_call DELETE https://api.example/x") {
		t.Errorf("api_call dangling message:\n%s", problemsString(rep))
	}
}

func TestAuditConcurrentGoroutines(t *testing.T) {
	path := auditPath(t)
	const writers, each = 8, 50
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := OpenAudit(path) // separate Audit values: only the locks serialise them
			for i := range each {
				r := resetRecord(fmt.Sprintf("w%d-%d@corp", w, i))
				r.AttemptID = fmt.Sprintf("w%d-%d", w, i)
				r.Phase = PhaseIntent
				if i%2 == 1 {
					r.AttemptID = fmt.Sprintf("w%d-%d", w, i-1)
					r.Phase, r.Outcome = PhaseOutcome, OutcomeFailure
				}
				if _, err := a.Append(r); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkChain(t, path, writers*each)
	if rep := mustVerify(t, path); !rep.OK || rep.Lines != writers*each {
		t.Fatalf("after concurrent appends: %+v\n%s", rep, problemsString(rep))
	}
}

func TestAuditConcurrentProcesses(t *testing.T) {
	path := auditPath(t)
	const procs, each = 3, 50
	var wg sync.WaitGroup
	outs := make([]string, procs)
	errs := make([]error, procs)
	for p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := helperCmd(t, "TestHelperAuditWriter", helperEnv+"=audit-append",
				"STORE_AUDIT_PATH="+path, "STORE_AUDIT_N="+strconv.Itoa(each), "STORE_AUDIT_TAG=p"+strconv.Itoa(p))
			out, err := cmd.CombinedOutput()
			outs[p], errs[p] = string(out), err
		}()
	}
	wg.Wait()
	for p := range procs {
		if errs[p] != nil || !strings.Contains(outs[p], "--- PASS: TestHelperAuditWriter") {
			t.Fatalf("writer process %d: %v\n%s", p, errs[p], outs[p])
		}
	}
	checkChain(t, path, procs*each)
	rep := mustVerify(t, path)
	if !rep.OK || rep.Lines != procs*each {
		t.Fatalf("after concurrent processes: %+v\n%s", rep, problemsString(rep))
	}
	// every writer's records are all there
	recs, _ := ReadAudit(path, 0)
	per := map[string]int{}
	for _, r := range recs {
		per[strings.SplitN(r.AttemptID, "-", 2)[0]]++
	}
	for p := range procs {
		if per["p"+strconv.Itoa(p)] != each {
			t.Errorf("process %d wrote %d records, want %d", p, per["p"+strconv.Itoa(p)], each)
		}
	}
}

// A process that dies between intent and outcome leaves a dangling intent.
func TestAuditCrashBetweenIntentAndOutcome(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	writeAttempts(t, a, 1)

	cmd := helperCmd(t, "TestHelperAuditWriter", helperEnv+"=audit-intent-then-hang", "STORE_AUDIT_PATH="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	ready := false
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "INTENT-WRITTEN ") {
			ready = true
			break
		}
	}
	cmd.Process.Kill() // the "crash": no outcome will ever be written
	cmd.Wait()
	if !ready {
		t.Fatal("child never wrote its intent")
	}

	rep := mustVerify(t, path)
	if len(rep.Dangling) != 1 || rep.Dangling[0].TargetEmail != "crash@corp" || rep.OK {
		t.Fatalf("crash not reported as dangling: %+v\n%s", rep, problemsString(rep))
	}
	if p := findProblem(rep, 3, ProblemDangling); p == nil || !strings.Contains(p.Msg, "result is unknown") {
		t.Errorf("dangling message:\n%s", problemsString(rep))
	}
	if len(rep.Problems) != 1 {
		t.Errorf("the chain itself must be intact:\n%s", problemsString(rep))
	}
	// the log goes on after the crash
	writeAttempts(t, a, 1)
	checkChain(t, path, 5)
}

func TestHelperAuditWriter(t *testing.T) {
	path := os.Getenv("STORE_AUDIT_PATH")
	switch os.Getenv(helperEnv) {
	case "audit-append":
		n, _ := strconv.Atoi(os.Getenv("STORE_AUDIT_N"))
		tag := os.Getenv("STORE_AUDIT_TAG")
		a := OpenAudit(path)
		for i := range n {
			r := resetRecord(tag + "@corp")
			r.Phase, r.AttemptID = PhaseIntent, fmt.Sprintf("%s-%d", tag, i)
			if i%2 == 1 { // pairs: intent, then its outcome
				r.Phase, r.AttemptID, r.Outcome = PhaseOutcome, fmt.Sprintf("%s-%d", tag, i-1), OutcomeSuccess
			}
			if _, err := a.Append(r); err != nil {
				t.Fatal(err)
			}
		}
	case "audit-intent-then-hang":
		id, err := OpenAudit(path).Intent(resetRecord("crash@corp"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("INTENT-WRITTEN " + id)
		time.Sleep(time.Minute) // killed by the parent before this ends
	default:
		t.Skip("helper for the audit multi-process tests")
	}
}

// A record holding a forbidden token is written with the token masked,
// never refused: the outcome of a write that was sent must be on record
// whatever the server echoed back (issue 10 §4).
func TestAuditMasksTokenInsteadOfRefusing(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	const tok = "audit-token-Zx81Qw<>&93kd0mLp"
	a.SetGuard(NewGuard(tok))
	writeAttempts(t, a, 1)

	for name, r := range map[string]AuditRecord{
		"reason":      func() AuditRecord { r := resetRecord("a@corp"); r.Reason = "pasted " + tok; return r }(),
		"error":       func() AuditRecord { r := resetRecord("a@corp"); r.ErrorMessage = "bad header Bearer " + tok; return r }(),
		"url":         {AccountID: "acc", Action: ActionAPICall, Method: "POST", URL: "https://x/?t=" + tok},
		"body":        {AccountID: "acc", Action: ActionAPICall, Method: "POST", URL: "https://x/", Body: `{"t":"` + tok + `"}`},
		"operator id": func() AuditRecord { r := resetRecord("a@corp"); r.Operator.TokenID = tok; return r }(),
		"cf error": func() AuditRecord {
			r := resetRecord("a@corp")
			r.CFErrors = []CFError{{Code: 1000, Message: "token " + tok + " is invalid"}}
			return r
		}(),
	} {
		id, err := a.Intent(r)
		if err != nil {
			t.Errorf("%s: refused: %v", name, err)
			continue
		}
		out := r
		out.Outcome = OutcomeFailure
		out.ErrorMessage = "echoed " + tok
		if err := a.Outcome(id, out); err != nil {
			t.Errorf("%s: outcome refused: %v", name, err)
		}
		if r.CFErrors != nil && !strings.Contains(r.CFErrors[0].Message, tok) {
			t.Errorf("%s: the caller's record was changed", name)
		}
	}
	after, _ := os.ReadFile(path)
	if bytes.Contains(after, []byte("audit-token-Zx81Qw")) || bytes.Contains(after, []byte(`audit-token-Zx81Qw\u003c`)) {
		t.Errorf("token in the log:\n%s", after)
	}
	if n := bytes.Count(after, []byte("…0mLp")); n < 12 {
		t.Errorf("the mask (… and the last four) appears %d times, want one per record at least:\n%s", n, after)
	}
	if rep := mustVerify(t, path); !rep.OK {
		t.Errorf("log after masking:\n%s", problemsString(rep))
	}
	// A log without a guard masks nothing: the guard is passed, not global.
	plain := OpenAudit(auditPath(t))
	r := resetRecord("b@corp")
	r.Reason = "other-token-5a6b7c8d9e0f"
	got, err := plain.Append(func() AuditRecord { r.Phase, r.AttemptID = PhaseIntent, "x"; return r }())
	if err != nil || got.Reason != r.Reason {
		t.Errorf("an unguarded log changed the record: %q, %v", got.Reason, err)
	}
}

func TestAuditRejectsInvalidRecords(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	base := resetRecord("a@corp")
	bad := map[string]AuditRecord{}
	r := base
	r.Phase, r.AttemptID = "maybe", "x"
	bad["phase"] = r
	r = base
	r.Phase = PhaseIntent
	bad["no attempt id"] = r
	r = base
	r.Phase, r.AttemptID, r.Action = PhaseIntent, "x", ""
	bad["no action"] = r
	r = base
	r.Phase, r.AttemptID, r.Outcome = PhaseIntent, "x", OutcomeSuccess
	bad["intent with outcome"] = r
	r = base
	r.Phase, r.AttemptID = PhaseOutcome, "x"
	bad["outcome without result"] = r
	for name, r := range bad {
		if _, err := a.Append(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Error("invalid records created the log")
	}
}

func TestAuditOrphanOutcome(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	r := resetRecord("a@corp")
	r.Outcome = OutcomeUnknown
	if err := a.Outcome("never-started", r); err != nil {
		t.Fatal(err)
	}
	rep := mustVerify(t, path)
	if findProblem(rep, 1, ProblemOrphan) == nil {
		t.Errorf("orphan outcome:\n%s", problemsString(rep))
	}
}

func TestAuditClipsUntrustedText(t *testing.T) {
	path := auditPath(t)
	a := OpenAudit(path)
	r := resetRecord("a@corp")
	r.Phase, r.AttemptID, r.Outcome = PhaseOutcome, "x", OutcomeFailure
	r.ErrorMessage = strings.Repeat("é", 10000) // 20000 bytes, 2-byte runes
	for i := range 50 {
		r.CFErrors = append(r.CFErrors, CFError{Code: 1000 + i, Message: "m"})
	}
	got, err := a.Append(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.ErrorMessage) > maxAuditField || !strings.HasSuffix(got.ErrorMessage, "…[truncated]") || !utf8Valid(got.ErrorMessage) {
		t.Errorf("error message not clipped cleanly: %d bytes", len(got.ErrorMessage))
	}
	if len(got.CFErrors) != maxAuditCFErrors || len(r.CFErrors) != 50 {
		t.Errorf("cf errors: %d kept, caller's slice %d", len(got.CFErrors), len(r.CFErrors))
	}
	recs, _ := ReadAudit(path, 1)
	if recs[0].ErrorMessage != got.ErrorMessage {
		t.Error("Append's returned record differs from the one written")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestReadAudit(t *testing.T) {
	path := auditPath(t)
	if recs, err := ReadAudit(path, 5); err != nil || len(recs) != 0 {
		t.Fatalf("missing log: %v %v", recs, err)
	}
	if rep, err := VerifyAudit(path); err != nil || !rep.OK || rep.Lines != 0 {
		t.Fatalf("verify of a missing log: %+v %v", rep, err)
	}
	writeAttempts(t, OpenAudit(path), 4)
	recs, err := ReadAudit(path, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0].Seq != 8 || recs[2].Seq != 6 {
		t.Errorf("ReadAudit(3) seqs: %v", recs)
	}
	if all, _ := ReadAudit(path, 0); len(all) != 8 || all[7].Seq != 1 {
		t.Errorf("ReadAudit(0): %d records", len(all))
	}
}

func TestAuditMissingLogWithHead(t *testing.T) {
	path := auditPath(t)
	writeAttempts(t, OpenAudit(path), 1)
	os.Remove(path)
	rep := mustVerify(t, path)
	if p := findProblem(rep, 1, ProblemMissing); p == nil || !strings.Contains(p.Msg, "seq 1-2") {
		t.Errorf("deleted log file:\n%s", problemsString(rep))
	}
}

func BenchmarkAuditAppend(b *testing.B) {
	path := filepath.Join(b.TempDir(), AuditFile)
	a := OpenAudit(path)
	r := resetRecord("bench@corp")
	r.Phase, r.AttemptID = PhaseIntent, "bench"
	for b.Loop() {
		if _, err := a.Append(r); err != nil {
			b.Fatal(err)
		}
	}
}
