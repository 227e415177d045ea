package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/store"
	"cftriage/views"
)

// resetBob runs a whole reviewed reset of bob through the console.
func resetBob(h *harness, reason string) {
	h.t.Helper()
	openReview(h)
	fillReview(h, reason, bob)
	h.press("enter")
	h.mustSee("✓ Risk score reset")
	h.press("enter")
}

func (h *harness) auditPane() *auditTool { return h.m.tools[1].t.(*auditTool) }

// openAudit switches to the Audit tab. From the search box with nothing
// looked up yet a digit is text, so the tab is switched directly there.
func (h *harness) openAudit() {
	h.t.Helper()
	if h.m.focus == focusOmni {
		h.run(h.m.switchTool(1))
		return
	}
	h.press("5")
}

func TestAuditPaneListsAResetAndItsDetail(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-77 confirmed benign")
	h.press("5")
	h.mustSee("Audit log", "1 action · newest first", h.sess.Audit.Path(),
		"risk_reset", bob, "success", "200", sim.DemoAccountID[:8])
	if n := len(h.auditPane().entries); n != 1 {
		t.Fatalf("%d rows for one attempt, want 1 (intent and outcome paired)", n)
	}
	e := h.auditPane().entries[0]
	if e.Intent == nil || e.Outcome == nil {
		t.Fatalf("entry = %+v, want intent and outcome", e)
	}
	h.mustSee(views.Sanitize(e.Intent.Operator.OSUser))

	h.press("enter")
	h.mustSee("Reason", "INC-77 confirmed benign", "Before", "level high", "5 events",
		"After", "level none", "0 events", "Attempt", e.Intent.AttemptID, "token id")
	h.press("esc")
	if h.topDialog() != nil {
		t.Fatal("esc did not close the detail")
	}
}

func TestAuditPaneReadsInACommandAndRefreshesWhenActivated(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.openAudit()
	h.mustSee("no audited actions yet")
	h.press("esc")

	resetBob(h, "INC-1")
	// Switching to the pane returns the read as a command: nothing is
	// read inside Update.
	cmd := h.sendNoRun(kp("5"))
	if cmd == nil {
		t.Fatal("activating the Audit pane did not start a read")
	}
	if n := len(h.auditPane().entries); n != 0 {
		t.Fatalf("the pane changed before its read ran (%d rows)", n)
	}
	h.mustSee("reading")
	h.run(cmd)
	h.mustSee("risk_reset", "success")

	// A superseded read is dropped: the older answer arrives last.
	older := h.sendNoRun(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	olderMsg := older() // reads the log as it is now (one attempt)
	if _, err := h.sess.Audit.Append(store.AuditRecord{Phase: store.PhaseIntent, AttemptID: "later", Action: store.ActionRiskReset, TargetEmail: "later@acme-corp.example"}); err != nil {
		t.Fatal(err)
	}
	newer := h.sendNoRun(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	h.run(newer)
	h.send(olderMsg)
	if n := len(h.auditPane().entries); n != 2 {
		t.Fatalf("%d rows: the older read replaced the newer one", n)
	}
	h.mustSee("later@acme-corp.example", "no outcome")
}

func TestAuditVerifyOKThenEditedLine(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-100")
	// A second, failed attempt: four records in all.
	openReview(h)
	fillReview(h, "INC-101", bob)
	h.sim.Inject(sim.Fault{Op: resetOp, Status: 500, Times: 1})
	h.press("enter", "enter")
	h.press("5")
	h.mustSee("failure", "success")
	h.mustSee("v verify chain")
	h.press("v")
	h.mustSee("✓ Verified: 4 records")

	// Change the reason of the first record by hand.
	path := h.sess.Audit.Path()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(raw), "INC-100", "INC-999", 1)
	if edited == string(raw) {
		t.Fatal("fixture: reason not found in the log")
	}
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	h.press("v")
	h.mustSee("✗ Verify FAILED at line 1 (edited)", "line 1: edited after it was written")
	h.mustNotSee("✓ Verified")
}

func TestAuditVerifyShowsDanglingIntent(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-5")
	// A crash between intent and outcome leaves an intent alone.
	if _, err := h.sess.Audit.Intent(store.AuditRecord{AttemptID: "deadbeef", Action: store.ActionRiskReset,
		TargetEmail: "carol.diaz@acme-corp.example", Reason: "INC-6", AccountID: sim.DemoAccountID}); err != nil {
		t.Fatal(err)
	}
	h.press("5", "v")
	h.mustSee("1 intent(s) without an outcome", "line 3:", "carol.diaz@acme-corp.example", "attempt deadbeef")
	h.mustSee("no outcome")       // the row says so too
	h.mustNotSee("Verify FAILED") // nothing is broken, one result is unknown
	// Its detail says what that means.
	h.press("enter")
	h.mustSee("no outcome — the intent has no outcome record: the result is unknown", "Reason        INC-6") // newest first: the dangling row
}

func TestAuditHostileRecordsAreSanitized(t *testing.T) {
	h := newHarness(t, 100, 30)
	evil := "x\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202eevil"
	if _, err := h.sess.Audit.Append(store.AuditRecord{Phase: store.PhaseIntent, AttemptID: "a1", Action: store.ActionRiskReset,
		TargetEmail: evil + "@acme-corp.example", Reason: evil, Operator: store.Operator{OSUser: evil}, AccountID: evil}); err != nil {
		t.Fatal(err)
	}
	h.openAudit()
	h.press("enter")
	out := h.m.View().Content
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\u202e", "\x07"} {
		if strings.Contains(out, bad) {
			t.Fatalf("the screen carries %q from the audit log", bad)
		}
	}
	h.mustSee("xevil@acme-corp.example")
}

// auditFixture writes a small, fixed log: a session revoke, a success, a failure with a
// Cloudflare error, an unknown outcome and a dangling intent.
func auditFixture(t *testing.T, a *store.Audit) {
	t.Helper()
	at := func(min int) time.Time { return time.Date(2026, 11, 28, 9, min, 0, 0, time.UTC) }
	op := store.Operator{OSUser: "analyst", TokenID: "f00dcafe0123456789abcdef01234567"}
	base := func(id, email, reason string) store.AuditRecord {
		return store.AuditRecord{AttemptID: id, AccountID: sim.DemoAccountID, Operator: op, Action: store.ActionRiskReset,
			TargetUserID: "72534a63-4dfc-52fe-af05-964cef764753", TargetEmail: email, Reason: reason,
			Before: &store.UserState{RiskLevel: "high", LastReset: "2026-09-28T12:00:00Z", EventCount: 5}}
	}
	write := func(r store.AuditRecord) {
		if _, err := a.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	in := func(r store.AuditRecord, min int) { r.Phase, r.Time = store.PhaseIntent, at(min); write(r) }
	out := func(r store.AuditRecord, min int, outcome string, status int) store.AuditRecord {
		r.Phase, r.Time, r.Outcome, r.HTTPStatus = store.PhaseOutcome, at(min), outcome, status
		return r
	}
	// The oldest: a session revoke with the devices, 3 sessions → 0.
	three, zero, yes := 3, 0, true
	rv := base("00000000000000000000000000000000", "dave.okafor@acme-corp.example", "INC-2040 stolen laptop")
	rv.Action, rv.Before = store.ActionRevokeSessions, nil
	rv.Revoke = &store.AuditRevoke{Devices: true, SessionsBefore: &three}
	in(rv, 0)
	o := out(rv, 0, store.OutcomeSuccess, 200)
	o.Revoke = &store.AuditRevoke{Devices: true, Revoked: &yes, SessionsAfter: &zero}
	write(o)
	ok := base("11111111111111111111111111111111", bob, "INC-2041 travel confirmed")
	in(ok, 1)
	o = out(ok, 2, store.OutcomeSuccess, 200)
	o.After = &store.UserState{RiskLevel: "", LastReset: "2026-11-28T09:02:00Z", EventCount: 0}
	write(o)
	fail := base("22222222222222222222222222222222", "alice.nguyen@acme-corp.example", "INC-2042")
	in(fail, 5)
	o = out(fail, 5, store.OutcomeFailure, 403)
	o.CFErrors = []store.CFError{{Code: 10000, Message: "Authentication error"}}
	o.ErrorMessage = "The token lacks the Zero Trust Write permission."
	write(o)
	unk := base("33333333333333333333333333333333", "erin.kowalski@acme-corp.example", "INC-2043")
	in(unk, 9)
	o = out(unk, 9, store.OutcomeUnknown, 0)
	o.ErrorMessage = "The risk reset timed out after 30s."
	write(o)
	in(base("44444444444444444444444444444444", "carol.diaz@acme-corp.example", "INC-2044"), 12)
}

// auditGolden renders the pane over the fixture log. The log sits in the
// test's own directory under a relative name, so the path on screen is
// the same on every machine.
func TestAuditPaneGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		name := strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1])
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, sz[0], sz[1])
			t.Chdir(t.TempDir())
			h.sess.Audit = store.OpenAudit(store.AuditFile)
			auditFixture(t, h.sess.Audit)
			h.openAudit()
			h.golden("audit-pane_" + name)
			h.press("v")
			h.mustSee("intent(s) without an outcome", "line 9:")
			h.golden("audit-verify_" + name)
			h.press("down", "down", "enter") // the failure
			h.mustSee("CF error", "10000", "Authentication error", "Zero Trust Write permission")
			h.golden("audit-detail_" + name)
			h.press("esc", "down", "down", "enter") // the revoke
			h.mustSee("Sessions      3 → 0", "revoked too", "revoked (result true)")
			h.golden("audit-revoke-detail_" + name)
		})
	}
}

// TestAuditVerifyResultNeverOutlivesAReRead: after v, an edit of the log
// followed by a re-read (ctrl+r, or leaving the pane and coming back)
// must not leave "✓ Verified" on screen; restoring the file and
// re-reading must not leave the failure either.
func TestAuditVerifyResultNeverOutlivesAReRead(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-300")
	h.openAudit()
	h.press("v")
	h.mustSee("✓ Verified: 2 records")

	path := h.sess.Audit.Path()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(orig), "INC-300", "INC-999", 1)
	if edited == string(orig) {
		t.Fatal("fixture: reason not found in the log")
	}
	write := func(b string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctrlR := tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}

	write(edited)
	h.send(ctrlR)
	h.mustNotSee("✓ Verified")
	h.mustSee("✗ Verify FAILED at line 1 (edited)")

	write(string(orig))
	h.send(ctrlR)
	h.mustNotSee("Verify FAILED")
	h.mustSee("✓ Verified: 2 records")

	// Leaving the pane and coming back re-reads too.
	write(edited)
	h.press("1")
	h.openAudit()
	h.mustNotSee("✓ Verified")
	h.mustSee("✗ Verify FAILED at line 1 (edited)")
}

// TestAuditVerifyInFlightIsDroppedByAReRead: a verify that read the file
// before a re-read must not report on it afterwards.
func TestAuditVerifyInFlightIsDroppedByAReRead(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-301")
	h.openAudit()
	pending := h.sendNoRun(kp("v"))
	if pending == nil {
		t.Fatal("v started no verify")
	}
	stale := pending() // verifies the file as it is now: intact
	path := h.sess.Audit.Path()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(raw), "INC-301", "INC-000", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	h.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	h.send(stale)
	h.mustNotSee("✓ Verified")
	h.mustSee("✗ Verify FAILED at line 1 (edited)")
}

// TestAuditReReadWithoutVerifyShowsTheHint: with no verify asked for, a
// re-read does not verify on its own; the pane says how to.
func TestAuditReReadWithoutVerifyShowsTheHint(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-302")
	h.openAudit()
	h.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	h.mustSee("v verifies the hash chain")
	h.mustNotSee("Verified", "Verify FAILED")
}

// TestFirstRunDemoRecordsInTheDemoLog: the demo started from the
// first-run screen records a reset in the demo's own log (which the
// Audit pane then shows), never in the real one.
func TestFirstRunDemoRecordsInTheDemoLog(t *testing.T) {
	h := newFirstRunHarness(t, 120, 40, nil) // isolates XDG_STATE_HOME
	state := os.Getenv("XDG_STATE_HOME")
	realLog := h.sess.Audit.Path()
	h.press("d")
	if h.firstRun() != nil || !h.sess.Demo {
		t.Fatalf("the demo did not start:\n%s", h.screen())
	}
	demoLog := filepath.Join(state, store.AppName, store.DemoDir, store.AuditFile)
	if got := h.sess.Audit.Path(); got != demoLog {
		t.Fatalf("demo session audits to %q, want %q", got, demoLog)
	}
	resetBob(h, "INC-DEMO")
	if _, err := os.Stat(realLog); !os.IsNotExist(err) {
		t.Fatalf("the demo reset reached the real audit log (stat: %v)", err)
	}
	recs, err := store.ReadAudit(demoLog, 0)
	if err != nil || len(recs) != 2 || recs[0].Reason != "INC-DEMO" {
		t.Fatalf("demo log: %d records, %v", len(recs), err)
	}
	h.openAudit()
	h.mustSee(demoLog, "risk_reset", bob, "success")
}
