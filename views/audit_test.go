package views

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"cftriage/store"
)

func auditEntries() []store.AuditEntry {
	at := func(min int) time.Time { return time.Date(2026, 5, 20, 9, min, 0, 0, time.UTC) }
	op := store.Operator{OSUser: "analyst", TokenID: "f00dcafe0123456789abcdef01234567"}
	rec := func(id, email string, min int) store.AuditRecord {
		return store.AuditRecord{Seq: int64(min), Time: at(min), AttemptID: id, AccountID: "023e105f4ecef8ad9ca31a8372d0c353", Operator: op,
			Action: store.ActionRiskReset, TargetUserID: "0b9c8d7e-1a2b-4c3d-8e9f-a0b1c2d3e4f5", TargetEmail: email, Reason: "INC-" + strconv.Itoa(min),
			Before: &store.UserState{RiskLevel: "high", LastReset: "2026-04-01T10:00:00Z", EventCount: 12}}
	}
	pair := func(id, email string, min int, outcome string, status int) store.AuditEntry {
		in := rec(id, email, min)
		in.Phase = store.PhaseIntent
		out := rec(id, email, min+1)
		out.Phase, out.Outcome, out.HTTPStatus, out.Reason = store.PhaseOutcome, outcome, status, in.Reason
		return store.AuditEntry{Intent: &in, Outcome: &out}
	}
	ok := pair("1111", "alice@example.com", 1, store.OutcomeSuccess, 200)
	ok.Outcome.After = &store.UserState{LastReset: "2026-05-20T09:02:00Z"}
	fail := pair("2222", "bob@example.com", 5, store.OutcomeFailure, 403)
	fail.Outcome.CFErrors = []store.CFError{{Code: 10000, Message: "Authentication error"}}
	fail.Outcome.ErrorMessage = "The token lacks the Zero Trust Write permission."
	unk := pair("3333", "carol@example.com", 9, store.OutcomeUnknown, 0)
	dang := rec("4444", "dana@example.com", 12)
	dang.Phase = store.PhaseIntent
	call := store.AuditRecord{Seq: 14, Time: at(14), Phase: store.PhaseOutcome, AttemptID: "5555", Action: store.ActionAPICall,
		Method: "PATCH", URL: "/accounts/x/rules", Outcome: store.OutcomeSuccess, HTTPStatus: 200, Operator: op}
	return []store.AuditEntry{{Outcome: &call}, {Intent: &dang}, unk, fail, ok}
}

func auditVerifyFailed() *store.VerifyReport {
	d := auditEntries()[1].Intent
	return &store.VerifyReport{Lines: 9, HeadChecked: true, Problems: []store.Problem{
		{Line: 3, Kind: store.ProblemEdited, Msg: "line 3: edited after it was written (its hash does not match the prev_hash recorded on line 4)"},
		{Line: 8, Kind: store.ProblemDangling, Msg: "line 8: intent attempt 4444 (risk_reset dana@example.com) has no outcome"},
		{Line: 10, Kind: store.ProblemMissing, Msg: "line 10: end of log: record seq 10 is missing from the end (removed)"},
	}, Dangling: []store.AuditRecord{*d}}
}

func auditPanes() map[string]AuditPane {
	es := auditEntries()
	return map[string]AuditPane{
		"list":      {Path: "/home/analyst/.local/state/cftriage/audit.jsonl", Entries: es, Records: 9, Limit: 1000, Cursor: 1, Focused: true},
		"empty":     {Path: "audit.jsonl"},
		"loading":   {Path: "audit.jsonl", Loading: true},
		"error":     {Path: "audit.jsonl", Err: "permission denied"},
		"verifying": {Path: "audit.jsonl", Entries: es, Verifying: true},
		"ok":        {Path: "audit.jsonl", Entries: es, Verify: &store.VerifyReport{OK: true, Lines: 9, HeadChecked: true}},
		"nohead":    {Path: "audit.jsonl", Entries: es, Verify: &store.VerifyReport{OK: true, Lines: 9}},
		"uncovered": {Path: "audit.jsonl", Entries: es, Verify: &store.VerifyReport{OK: true, Lines: 9, HeadChecked: true, Warnings: []store.Problem{
			{Line: 9, Kind: store.WarningUncovered, Msg: "line 9: the last record (seq 9, outcome risk_reset bob@example.com → failure, attempt a1b2) is beyond the head file, which records seq 8"}}}},
		"failed":    {Path: "audit.jsonl", Entries: es, Verify: auditVerifyFailed(), Cursor: 4},
		"verifyerr": {Path: "audit.jsonl", Entries: es, VerifyErr: "open audit.jsonl: permission denied"},
		"limited":   {Path: "audit.jsonl", Entries: es, Records: 1000, Limit: 1000},
	}
}

func TestAuditFillsEverySize(t *testing.T) {
	es := auditEntries()
	for name, p := range auditPanes() {
		s := scene{name: "audit-" + name, exact: true, fn: func(w, h int, th Theme) string { return RenderAudit(p, w, h, th) }}
		for tn, th := range themes() {
			for _, w := range propWidths {
				for _, h := range propHeights {
					checkSize(t, s.name+"/"+tn, s, s.fn(w, h, th), w, h)
				}
			}
		}
	}
	for i, e := range es {
		s := scene{name: "audit-detail-" + strconv.Itoa(i), exact: true}
		for _, w := range propWidths {
			for _, h := range propHeights {
				for _, off := range []int{0, 3, 100} {
					checkSize(t, s.name, s, AuditDetail(e, off, w, h, NewTheme(true, false)), w, h)
				}
			}
		}
	}
}

func TestAuditListsActionsNewestFirst(t *testing.T) {
	out := plain(RenderAudit(auditPanes()["list"], 140, 20, NewTheme(true, true)))
	for _, want := range []string{
		"Audit log", "5 actions · newest first", "File /home/analyst/.local/state/cftriage/audit.jsonl",
		"Time (UTC)", "Action", "Target", "Outcome", "HTTP", "Operator", "Account",
		"2026-05-20 09:01  risk_reset alice@example.com", "success", "failure", "403", "unknown", "no outcome",
		"PATCH /accounts/x/rules", "analyst", "023e105f4ecef8ad9ca31a8372d",
		"v verifies the hash chain",
	} {
		if !strings.Contains(out, want) && !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("audit pane lacks %q:\n%s", want, out)
		}
	}
	// The order given (newest first) is the order shown.
	if i, j := strings.Index(out, "dana@"), strings.Index(out, "alice@"); i < 0 || j < 0 || i > j {
		t.Errorf("rows not in the given order:\n%s", out)
	}
	if out := plain(RenderAudit(auditPanes()["limited"], 140, 20, PlainTheme())); !strings.Contains(out, "from the latest 1,000 records") {
		t.Errorf("a cut-off read does not say so:\n%s", out)
	}
}

func TestAuditVerifyReport(t *testing.T) {
	panes := auditPanes()
	ok := plain(RenderAudit(panes["ok"], 120, 20, PlainTheme()))
	if !strings.Contains(ok, "✓ Verified: 9 records, hash chain intact") || strings.Contains(ok, "no head file") {
		t.Errorf("ok report:\n%s", ok)
	}
	if nh := plain(RenderAudit(panes["nohead"], 120, 20, PlainTheme())); !strings.Contains(nh, "no head file") {
		t.Errorf("a log without head file is not flagged:\n%s", nh)
	}
	bad := plain(RenderAudit(panes["failed"], 140, 30, PlainTheme()))
	for _, want := range []string{
		"✗ Verify FAILED at line 3 (edited), and 1 more problem(s)",
		"line 3: edited after it was written",
		"1 intent(s) without an outcome",
		"line 8: 2026-05-20 09:12:00  risk_reset dana@example.com  attempt 4444",
	} {
		if !strings.Contains(bad, want) {
			t.Errorf("failed report lacks %q:\n%s", want, bad)
		}
	}
	if strings.Contains(bad, "✓") {
		t.Errorf("a failed report shows a tick:\n%s", bad)
	}
	// The report never takes the whole pane: the list stays.
	small := plain(RenderAudit(panes["failed"], 60, 12, PlainTheme()))
	if !strings.Contains(small, "Time (UTC)") {
		t.Errorf("the report pushed the list off a small pane:\n%s", small)
	}
	if ve := plain(RenderAudit(panes["verifyerr"], 120, 20, PlainTheme())); !strings.Contains(ve, "✗ Verify could not read the log: open audit.jsonl: permission denied") {
		t.Errorf("verify error:\n%s", ve)
	}
}

func TestAuditDetailShowsEverything(t *testing.T) {
	es := auditEntries()
	fail := es[3]
	out := plain(AuditDetail(fail, 0, 100, AuditDetailHeight(fail, 100), NewTheme(true, true)))
	for _, want := range []string{
		"risk_reset bob@example.com", "Outcome       failure (HTTP 403)", "User          bob@example.com",
		"User ID       0b9c8d7e-1a2b-4c3d-8e9f-a0b1c2d3e4f5", "Reason        INC-5", "Account       023e105f4ecef8ad9ca31a8372d0c353",
		"Operator      analyst · token id f00dcafe0123456789abcdef01234567", "Intent        2026-05-20 09:05:00.000 UTC · seq 5",
		"Outcome at    2026-05-20 09:06:00.000 UTC · seq 6", "Attempt       2222",
		"Before        level high · last reset 2026-04-01 10:00 UTC · 12 events",
		"CF error      10000 Authentication error", "Error         The token lacks the Zero Trust Write permission.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("detail lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "After") {
		t.Errorf("a failure shows an after state:\n%s", out)
	}
	dang := plain(AuditDetail(es[1], 0, 100, 30, PlainTheme()))
	if !strings.Contains(dang, "no outcome — the intent has no outcome record: the result is unknown") {
		t.Errorf("dangling detail:\n%s", dang)
	}
	call := plain(AuditDetail(es[0], 0, 100, 30, PlainTheme()))
	if !strings.Contains(call, "Request       PATCH /accounts/x/rules") || !strings.Contains(call, "not among the records read") {
		t.Errorf("api call detail:\n%s", call)
	}
	// Scrolling moves the window and says where it is.
	h := 6
	top := plain(AuditDetail(fail, 0, 100, h, PlainTheme()))
	down := plain(AuditDetail(fail, 2, 100, h, PlainTheme()))
	if top == down || !strings.Contains(down, "3-6/") || strings.Contains(down, "Outcome       failure") {
		t.Errorf("scrolling:\n%s\n---\n%s", top, down)
	}
}

func TestAuditHostileRecords(t *testing.T) {
	x := func(s string) string { return hostileText(s) }
	r := store.AuditRecord{Time: time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC), Phase: store.PhaseOutcome, AttemptID: x("att"),
		AccountID: x("acct"), Operator: store.Operator{OSUser: x("os"), TokenID: x("tok")}, Action: x("act"),
		TargetUserID: x("uid"), TargetEmail: x("mail"), Reason: x("why"), Outcome: x("out"), ErrorMessage: x("err"),
		CFErrors: []store.CFError{{Code: 1, Message: x("cf")}}, Before: &store.UserState{RiskLevel: x("lvl"), LastReset: x("lr")},
		After: &store.UserState{RiskLevel: x("lvl2"), LastReset: x("lr2")}}
	call := r
	call.Method, call.URL = x("m"), x("u")
	es := []store.AuditEntry{{Outcome: &r}, {Intent: &r}, {Intent: &call, Outcome: &call}}
	rep := &store.VerifyReport{Lines: 3, Problems: []store.Problem{{Line: 1, Kind: x("kind"), Msg: x("msg")}, {Line: 2, Kind: store.ProblemDangling, Msg: x("d")}},
		Dangling: []store.AuditRecord{r, call}}
	p := AuditPane{Path: x("path"), Entries: es, Verify: rep, Err: x("e")}
	for tn, th := range themes() {
		for _, sz := range [][2]int{{20, 10}, {80, 24}, {120, 40}, {400, 60}} {
			checkEscapes(t, "audit/"+tn, RenderAudit(p, sz[0], sz[1], th), tn != "plain", th.NoColor)
			for _, e := range es {
				checkEscapes(t, "audit-detail/"+tn, AuditDetail(e, 0, sz[0], sz[1], th), tn != "plain", th.NoColor)
			}
		}
	}
	p.Verify, p.VerifyErr = nil, x("verr")
	checkEscapes(t, "audit-verifyerr", RenderAudit(p, 120, 40, NewTheme(true, false)), true, false)
}

func TestAuditGolden(t *testing.T) {
	panes := auditPanes()
	for _, name := range []string{"failed"} { // the list and its detail: ui/testdata/TestAuditPaneGolden
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			checkGolden(t, "audit_"+name+"_"+strconv.Itoa(w)+"x"+strconv.Itoa(h), RenderAudit(panes[name], w, h, NewTheme(true, true)), w, h)
		}
	}
}

// The console names a record beyond the head, as `audit verify` does.
func TestAuditVerifyShowsWarnings(t *testing.T) {
	out := strings.Join(strings.Fields(plain(RenderAudit(auditPanes()["uncovered"], 140, 30, NewTheme(true, true)))), " ")
	for _, want := range []string{"✓ Verified: 9 records", "! line 9: the last record (seq 9, outcome risk_reset bob@example.com → failure, attempt a1b2) is beyond the head file"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify result lacks %q:\n%s", want, out)
		}
	}
}
