package ui

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const revokeOp = sim.OpRevokeUser

// openRevoke opens bob's revoke review from the risky-users queue, by
// way of the last seen IP and back.
func openRevoke(h *harness) {
	h.t.Helper()
	h.press("esc", "6")
	h.mustSee("Bob Martin")
	h.press("down", "down", "enter") // bob is third in the queue
	h.mustSee("user "+bob, "Last seen", sim.IPRiskyC2)
	h.press("l")
	h.mustSee("ip " + sim.IPRiskyC2)
	h.press("esc")
	h.mustSee("user " + bob)
	h.press("X")
	if _, ok := h.topDialog().(*revokeDialog); !ok {
		h.t.Fatalf("X did not open the revoke review:\n%s", h.screen())
	}
}

func TestRevokeReviewShowsIdentityAndSessions(t *testing.T) {
	h := newHarness(t, 120, 40)
	sessions := h.sim.Count(opSessions)
	openRevoke(h)
	if h.sim.Count(opSessions) != sessions+1 {
		t.Fatal("the review did not read the sessions fresh")
	}
	h.mustSee("Revoke Access sessions", "Bob Martin", bob, "Demo account (simulator)",
		"Last seen", sim.IPRiskyC2, "Sessions    3 active", "Admin console (admin.acme-corp.example)", "until",
		"can sign in again unless the identity provider blocks them", "Access: Organizations, Identity Providers, and Groups Write",
		"Reason", "type "+bob+" to confirm")
	if n := h.sim.Count(revokeOp); n != 0 {
		t.Fatalf("opening the review sent %d revokes", n)
	}
	h.press("esc")
	if h.topDialog() != nil {
		t.Fatal("esc did not close the review")
	}
	h.mustSee("revoke canceled: nothing was sent")
}

// queue → user → last seen IP → back → revoke review → sent once, under a
// double Enter; the result shows the re-read, and the User pane's
// sessions section too.
func TestRevokeSentOnceUnderDoubleSubmit(t *testing.T) {
	h := newHarness(t, 120, 40)
	openRevoke(h)
	fillReview(h, "INC-9 token theft", bob)
	send := h.sendNoRun(kp("enter"))
	if send == nil {
		t.Fatal("confirming sent nothing")
	}
	h.mustSee("Revoking the sessions… (sent once; never retried)")
	for i := 0; i < 3; i++ {
		if cmd := h.sendNoRun(kp("enter")); cmd != nil {
			t.Fatalf("Enter #%d while sending returned a command", i+2)
		}
	}
	if cmd := h.sendNoRun(kp("esc")); cmd != nil || h.topDialog() == nil {
		t.Fatal("esc while sending closed the review or did something")
	}
	h.run(send)
	h.mustSee("✓ Sessions revoked (HTTP 200)", "Sessions    3 → 0", "can sign in again unless the identity provider blocks them", "audit attempt")
	h.press("enter")
	if h.topDialog() != nil {
		t.Fatal("enter did not close the result")
	}
	h.mustSee("sessions revoked for " + bob)
	reads := h.sim.Count(opSessions)
	h.press("i") // the sessions section: the re-read, no request more
	h.mustSee("[Sessions]", "no active Access sessions")
	if h.sim.Count(opSessions) != reads {
		t.Fatal("the User pane read the sessions again after the revoke")
	}
	if n := h.sim.Count(revokeOp); n != 1 {
		t.Fatalf("%d revokes sent, want exactly 1", n)
	}
	recs := h.auditRecords() // newest first
	if len(recs) != 2 || recs[1].Phase != store.PhaseIntent || recs[0].Outcome != store.OutcomeSuccess ||
		recs[1].Action != store.ActionRevokeSessions || recs[1].Reason != "INC-9 token theft" || recs[1].TargetEmail != bob {
		t.Fatalf("audit = %+v", recs)
	}
}

func TestRevokeDevicesToggle(t *testing.T) {
	h := newHarness(t, 120, 40)
	openRevoke(h)
	h.send(tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl})
	h.mustSee("yes: the user's WARP devices are revoked too", "must enroll again")
	fillReview(h, "INC-10", bob)
	h.press("enter")
	h.mustSee("✓ Sessions revoked")
	if in := h.auditRecords()[1]; in.Revoke == nil || !in.Revoke.Devices {
		t.Fatalf("intent = %+v", in)
	}
}

func TestRevokeFailureIsShownAndNotRetried(t *testing.T) {
	for _, status := range []int{500, 403} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			h := newHarness(t, 120, 40)
			openRevoke(h)
			fillReview(h, "INC-11", bob)
			h.sim.Inject(sim.Fault{Op: revokeOp, Status: status, Times: 1})
			h.press("enter")
			h.mustSee("✗ Revoke failed (HTTP "+strconv.Itoa(status)+") — not retried", "audit attempt")
			h.mustNotSee("Sessions    3 → 0")
			h.press("enter")
			h.mustSee("session revoke failed for " + bob)
			if n := h.sim.Count(revokeOp); n != 1 {
				t.Fatalf("%d revokes sent, want 1", n)
			}
			if recs := h.auditRecords(); len(recs) != 2 || recs[0].Outcome != store.OutcomeFailure || recs[0].HTTPStatus != status {
				t.Fatalf("audit = %+v", recs)
			}
		})
	}
}

func TestRevokeTimeoutIsUnknown(t *testing.T) {
	h := newHarness(t, 120, 40)
	openRevoke(h)
	fillReview(h, "INC-12", bob)
	h.shortTimeout(300 * time.Millisecond)
	h.sim.Inject(sim.Fault{Op: revokeOp, Latency: 5 * time.Second, Times: 1})
	h.press("enter")
	h.mustSee("? Outcome UNKNOWN — not retried", "re-read the sessions")
	h.mustNotSee("✓ Sessions revoked", "Revoke failed")
	if n := h.sim.Count(revokeOp); n != 1 {
		t.Fatalf("%d revokes sent, want 1", n)
	}
	if recs := h.auditRecords(); len(recs) != 2 || recs[0].Outcome != store.OutcomeUnknown {
		t.Fatalf("audit = %+v", recs)
	}
	h.press("enter")
	h.mustSee("session revoke outcome UNKNOWN for " + bob)
}

func TestRevokeWrongEmailOrNoReasonSendsNothing(t *testing.T) {
	h := newHarness(t, 120, 40)
	openRevoke(h)
	h.press("enter")
	h.mustSee("Not sent: a reason is required")
	fillReview(h, "INC-13", "alice.nguyen@acme-corp.example")
	h.press("enter")
	h.mustSee("Not sent: the email typed does not match " + bob)
	h.send(tea.PasteMsg{Content: bob})
	h.mustSee("a paste is not taken here")
	if n := h.sim.Count(revokeOp); n != 0 {
		t.Fatalf("%d revokes sent", n)
	}
	if _, err := os.Stat(h.sess.Audit.Path()); !os.IsNotExist(err) {
		t.Fatal("the audit log was written although nothing was sent")
	}
}

func TestRevokeDisabledInReadOnly(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sess.ReadOnly, h.sess.ReadOnlyReason = true, "--read-only"
	h.lookup(bob)
	h.mustSee("Bob Martin")
	h.press("X")
	if h.topDialog() != nil {
		t.Fatal("X opened a dialog in read-only mode")
	}
	h.mustSee("revoke sessions disabled: read-only mode: --read-only")
	// A review opened before read-only took effect sends nothing.
	h.sess.ReadOnly = false
	h.press("X")
	h.sess.ReadOnly = true
	fillReview(h, "INC-14", bob)
	h.press("enter")
	h.mustSee("Not sent: read-only mode")
	if n := h.sim.Count(revokeOp); n != 0 {
		t.Fatalf("%d revokes sent in read-only mode", n)
	}
}

// The sessions failing to load is said, and the revoke still goes ahead.
func TestRevokeReviewSessionsFailAlone(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(bob)
	h.mustSee("Bob Martin")
	h.sim.Inject(sim.Fault{Op: opSessions, Status: 403, Times: 1})
	h.press("X")
	h.mustSee("Sessions    unavailable: the token lacks Access: Audit Logs Read", "Last seen", sim.IPRiskyC2)
	fillReview(h, "INC-15", bob)
	h.press("enter")
	h.mustSee("✓ Sessions revoked", "Sessions    unknown → 0")
	if in := h.auditRecords()[1]; in.Revoke == nil || in.Revoke.SessionsBefore != nil {
		t.Fatalf("intent = %+v: the sessions before are unknown", in.Revoke)
	}
}

func TestRevokeReviewFitsSmallScreens(t *testing.T) {
	h := newHarness(t, 120, 40)
	openRevoke(h)
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
		if sz[1] >= 12 {
			h.mustSee("Reason", "Confirm", "Not sent")
		}
	}
}
