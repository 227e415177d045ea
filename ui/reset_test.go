package ui

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const (
	resetOp = "dlp-zt-risk-score-reset-user"
	riskOp  = "dlp-zt-risk-score-user-details"
)

// bob is the demo user with a few events and a high risk level.
const bob = sim.EmailFewEvents

// openReview looks bob up and opens the reset review.
func openReview(h *harness) {
	h.t.Helper()
	h.lookup(bob)
	h.mustSee("Bob Martin", "R reset risk")
	h.press("R")
	if _, ok := h.topDialog().(*resetDialog); !ok {
		h.t.Fatalf("R did not open the review:\n%s", h.screen())
	}
}

// fillReview types a reason, moves to the confirmation and types email.
func fillReview(h *harness, reason, email string) {
	h.t.Helper()
	h.typeText(reason)
	h.press("enter")
	h.typeText(email)
}

// clearField presses ctrl+u (kp does not know it).
func (h *harness) clearField() {
	h.t.Helper()
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
}

// topDialog is the dialog on top, or nil.
func (h *harness) topDialog() any {
	if e := h.m.topDialog(); e != nil {
		return e.d
	}
	return nil
}

func (h *harness) auditRecords() []store.AuditRecord {
	h.t.Helper()
	recs, err := store.ReadAudit(h.sess.Audit.Path(), 0)
	if err != nil {
		h.t.Fatal(err)
	}
	return recs
}

// shortTimeout swaps the session's client for one that gives up after d.
func (h *harness) shortTimeout(d time.Duration) {
	h.t.Helper()
	c, err := cloudflare.New(cloudflare.Config{
		BaseURL: h.srv.URL + "/client/v4", Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: d, BackoffBase: time.Millisecond,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.sess.Client = c
}

func TestResetReviewShowsUserStateAndAccount(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	u := h.m.top().Page.(*userBody)
	h.mustSee("Reset risk score", "Bob Martin", bob, u.user.ID,
		"Risk level  high", "Last reset", "Events      5", "most recent:", "Impossible travel",
		"clear this user's risk history", "Zero Trust Write",
		"Demo account (simulator)", sim.DemoAccountID,
		"Reason", "Confirm", "type "+bob+" to confirm")
	// Most recent first: the newest event is listed before an older one.
	sc := h.screen()
	if i, j := strings.Index(sc, "• Impossible travel"), strings.Index(sc, "• Unusual user agent"); i < 0 || j < 0 || i > j {
		t.Fatalf("recent events not newest first:\n%s", sc)
	}
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("opening the review sent %d resets", n)
	}
	h.press("esc")
	if h.topDialog() != nil {
		t.Fatal("esc did not close the review")
	}
	h.mustSee("reset canceled: nothing was sent")
}

func TestResetWrongEmailSendsNothing(t *testing.T) {
	h := newHarness(t, 100, 30)
	openReview(h)
	for _, typed := range []string{"alice.nguyen@acme-corp.example", "bob.martin@acme-corp.exampl", "bob"} {
		fillReview(h, "INC-42", typed)
		h.press("enter")
		h.mustSee("Not sent: the email typed does not match " + bob)
		h.clearField()
		h.press("tab")
		h.clearField() // both fields empty, back on the reason
		if h.m.dialogs[0].d.(*resetDialog).field != 0 {
			t.Fatal("tab did not move back to the reason")
		}
	}
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("%d resets sent for a wrong confirmation, want 0", n)
	}
	if _, err := os.Stat(h.sess.Audit.Path()); !os.IsNotExist(err) {
		t.Fatalf("the audit log was written although nothing was sent (%v)", err)
	}
}

func TestResetEmptyReasonSendsNothing(t *testing.T) {
	h := newHarness(t, 100, 30)
	openReview(h)
	h.press("enter") // no reason: stays on the reason
	h.mustSee("Not sent: a reason is required")
	if d := h.topDialog().(*resetDialog); d.field != 0 {
		t.Fatal("Enter on an empty reason moved on")
	}
	// Only spaces, then the right email typed in the other field.
	h.typeText("   ")
	h.press("tab")
	h.typeText(bob)
	h.press("enter")
	h.mustSee("Not sent: a reason is required")
	if d := h.topDialog().(*resetDialog); d.field != 0 {
		t.Fatal("the missing reason did not take the analyst back to it")
	}
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("%d resets sent without a reason, want 0", n)
	}
	if recs := h.auditRecords(); len(recs) != 0 {
		t.Fatalf("%d audit records for a reset never sent", len(recs))
	}
}

func TestResetDoubleSubmitSendsOnce(t *testing.T) {
	h := newHarness(t, 100, 30)
	openReview(h)
	fillReview(h, "INC-7 false positive", bob)
	send := h.sendNoRun(kp("enter"))
	if send == nil {
		t.Fatal("confirming sent nothing")
	}
	// Before the answer: the review is locked and says so.
	h.mustSee("Sending the reset…")
	for i := 0; i < 3; i++ {
		if cmd := h.sendNoRun(kp("enter")); cmd != nil {
			t.Fatalf("Enter #%d while sending returned a command", i+2)
		}
	}
	if cmd := h.sendNoRun(kp("esc")); cmd != nil || h.topDialog() == nil {
		t.Fatal("esc while sending closed the review or did something")
	}
	h.run(send)
	h.press("enter") // closes the result
	h.press("enter") // on the user pane: opens nothing that sends
	if n := h.sim.Count(resetOp); n != 1 {
		t.Fatalf("%d resets sent, want exactly 1", n)
	}
	recs := h.auditRecords()
	if len(recs) != 2 || recs[1].Phase != store.PhaseIntent || recs[0].Phase != store.PhaseOutcome || recs[0].AttemptID != recs[1].AttemptID {
		t.Fatalf("audit records = %+v, want one intent and its outcome", recs)
	}
}

func TestResetSuccessShowsBeforeAfterAndUpdatesPane(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	// The confirmation is case-insensitive.
	fillReview(h, "TICKET-981: travel confirmed with the user", strings.ToUpper(bob))
	risks := h.sim.Count(riskOp)
	h.press("enter")
	h.mustSee("✓ Risk score reset (HTTP 200)", "Risk level  high → none", "Events      5 → 0",
		"Last reset  2026-09-28 12:00 UTC → 2026-11-29 12:00 UTC", "Reason      TICKET-981")
	h.mustNotSee("did not move")
	if got := h.sim.Count(riskOp) - risks; got != 1 {
		t.Fatalf("re-read the risk score %d times after the reset, want 1", got)
	}
	h.press("enter")
	if h.topDialog() != nil {
		t.Fatal("enter did not close the result")
	}
	// The User pane shows the re-read state without another request.
	h.mustSee("NONE", "Last reset  2026-11-29 12:00 UTC", "Events      0", "no risk events", "risk reset: done for "+bob)
	if got := h.sim.Count(riskOp) - risks; got != 1 {
		t.Fatalf("the pane re-read the user again (%d reads)", got)
	}

	recs := h.auditRecords()
	if len(recs) != 2 {
		t.Fatalf("%d audit records, want 2", len(recs))
	}
	out, in := recs[0], recs[1]
	if in.Reason != "TICKET-981: travel confirmed with the user" || in.TargetEmail != bob || in.AccountID != sim.DemoAccountID {
		t.Fatalf("intent = %+v", in)
	}
	if in.Before == nil || in.Before.RiskLevel != "high" || in.Before.EventCount != 5 {
		t.Fatalf("intent before = %+v", in.Before)
	}
	if out.Outcome != store.OutcomeSuccess || out.HTTPStatus != 200 || out.After == nil || out.After.EventCount != 0 {
		t.Fatalf("outcome = %+v", out)
	}
	if in.Operator.OSUser == "" || in.Operator.TokenID == "" || in.Operator.TokenID == "unknown" {
		t.Fatalf("operator = %+v, want the OS user and the token's id", in.Operator)
	}
	raw, err := os.ReadFile(h.sess.Audit.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), sim.DemoToken) {
		t.Fatal("the audit log contains the token")
	}
}

func TestResetWarnsWhenTheReReadFails(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	fillReview(h, "INC-5", bob)
	// Every later risk read fails: the reset succeeds, the re-read does not.
	h.sim.Inject(sim.Fault{Op: riskOp, Status: 500})
	h.press("enter")
	h.mustSee("✓ Risk score reset (HTTP 200)", "! the reset succeeded, but re-reading the user failed",
		"could not be re-read")
	h.press("enter")
	// The pane keeps what it knew rather than inventing an "after".
	h.mustSee("HIGH", "Events      5")
}

func TestResetFailureIsShownAndNotRetried(t *testing.T) {
	for _, status := range []int{500, 429, 403} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			h := newHarness(t, 120, 40)
			openReview(h)
			fillReview(h, "INC-9", bob)
			h.sim.Inject(sim.Fault{Op: resetOp, Status: status, Times: 1})
			h.press("enter")
			h.mustSee("✗ Reset failed (HTTP "+strconv.Itoa(status)+") — not retried", "audit attempt")
			recs := h.auditRecords()
			if len(recs) != 2 || recs[0].Outcome != store.OutcomeFailure || recs[0].HTTPStatus != status || recs[1].Phase != store.PhaseIntent {
				t.Fatalf("audit = %+v, want intent + failure outcome with HTTP %d", recs, status)
			}
			// The client's explanation is on screen (its first words).
			msg := recs[0].ErrorMessage
			if msg == "" {
				t.Fatal("no error message recorded")
			}
			h.mustSee(strings.Join(strings.Fields(msg)[:3], " "))
			// Enter closes; nothing is sent again.
			h.press("enter")
			h.mustSee("risk reset failed for "+bob, "HIGH", "Events      5")
			if n := h.sim.Count(resetOp); n != 1 {
				t.Fatalf("%d resets sent, want 1 (never retried)", n)
			}
		})
	}
}

func TestResetTimeoutIsUnknown(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	fillReview(h, "INC-11", bob)
	h.shortTimeout(300 * time.Millisecond)
	// The simulator answers too late: the client gives up, so nobody
	// knows whether the reset happened.
	h.sim.Inject(sim.Fault{Op: resetOp, Latency: 5 * time.Second, Times: 1})
	h.press("enter")
	h.mustSee("? Outcome UNKNOWN — not retried", "re-read the user: last_reset_time is still",
		"Risk level  high → high", "Events      5 → 5")
	h.mustNotSee("✓ Risk score reset", "Reset failed")
	if n := h.sim.Count(resetOp); n != 1 {
		t.Fatalf("%d resets sent, want 1", n)
	}
	recs := h.auditRecords()
	if len(recs) != 2 || recs[0].Outcome != store.OutcomeUnknown {
		t.Fatalf("audit = %+v, want intent + unknown outcome", recs)
	}
	h.press("enter")
	h.mustSee("risk reset outcome UNKNOWN for " + bob)
}

func TestResetLostConnectionIsUnknown(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	fillReview(h, "INC-12", bob)
	h.sim.Inject(sim.Fault{Op: resetOp, DropConnection: true, Times: 1})
	h.press("enter")
	h.mustSee("? Outcome UNKNOWN", "re-read the user")
	if n := h.sim.Count(resetOp); n != 1 {
		t.Fatalf("%d resets sent, want 1", n)
	}
	if recs := h.auditRecords(); len(recs) != 2 || recs[0].Outcome != store.OutcomeUnknown {
		t.Fatalf("audit = %+v, want an unknown outcome", recs)
	}
}

func TestResetDisabledInReadOnly(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sess.ReadOnly, h.sess.ReadOnlyReason = true, "--read-only"
	h.lookup(bob)
	h.mustSee("Bob Martin", "reset disabled: read-only mode: --read-only")
	h.press("R")
	if h.topDialog() != nil {
		t.Fatalf("R opened a dialog in read-only mode:\n%s", h.screen())
	}
	h.mustSee("reset disabled: read-only mode: --read-only")
	// Even a review opened before read-only took effect sends nothing.
	h.sess.ReadOnly = false
	h.press("R")
	h.sess.ReadOnly = true
	fillReview(h, "INC-1", bob)
	h.press("enter", "enter")
	h.mustSee("Not sent: read-only mode")
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("%d resets sent in read-only mode", n)
	}
	if _, err := os.Stat(h.sess.Audit.Path()); !os.IsNotExist(err) {
		t.Fatal("the audit log was written in read-only mode")
	}
}

func TestResetNeedsALoadedUser(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sim.Inject(sim.Fault{Op: riskOp, Status: 404})
	h.lookup(bob)
	h.press("R")
	if h.topDialog() != nil {
		t.Fatal("R opened a review without a risk score")
	}
	h.mustSee("reset risk disabled: no user loaded")
}

func TestResetReviewGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(strconv.Itoa(sz[0])+"x"+strconv.Itoa(sz[1]), func(t *testing.T) {
			h := newHarness(t, sz[0], sz[1])
			openReview(h)
			fillReview(h, "INC-2041 travel confirmed", "bob.martin@acme")
			h.golden("reset-review_" + strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1]))
			h.press("enter")
			h.golden("reset-review-mismatch_" + strconv.Itoa(sz[0]) + "x" + strconv.Itoa(sz[1]))
		})
	}
}

func TestResetReviewFitsSmallScreens(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	fillReview(h, "INC-1", "bob")
	h.press("enter")
	for _, sz := range [][2]int{{40, 12}, {60, 16}, {80, 24}, {30, 8}} {
		h.send(teaSize(sz[0], sz[1]))
		lines := strings.Split(h.screen(), "\n")
		if len(lines) != sz[1] {
			t.Fatalf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for i, l := range lines {
			if w := displayWidth(l); w > sz[0] {
				t.Fatalf("%dx%d: line %d is %d wide", sz[0], sz[1], i, w)
			}
		}
		// What must never be cut: the fields and why nothing was sent.
		if sz[1] >= 12 {
			h.mustSee("Reason", "Confirm", "Not sent")
		}
	}
}

func TestResetPasteGoesToTheReasonOnly(t *testing.T) {
	h := newHarness(t, 100, 30)
	openReview(h)
	h.send(tea.PasteMsg{Content: "INC-3141\r\nline two\x1b[2J"})
	d := h.topDialog().(*resetDialog)
	if d.reason != "INC-3141 line two" {
		t.Fatalf("reason after paste = %q", d.reason)
	}
	h.press("enter")
	h.send(tea.PasteMsg{Content: bob})
	if d.confirm != "" {
		t.Fatalf("the confirmation took a paste: %q", d.confirm)
	}
	h.mustSee("type the email to confirm; a paste is not taken here")
	if h.m.omni.Value() != "" {
		t.Fatal("the paste leaked into the search box behind the dialog")
	}
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("%d resets sent", n)
	}
}
