package ui

import (
	"context"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// The review shows what the reset touches, read when it opens.
func TestResetReviewShowsTheBlastRadius(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(bob)
	beh, integ := h.sim.Count(sim.OpRiskBehaviors), h.sim.Count(sim.OpRiskIntegrations)
	h.press("R")
	h.mustSee("What the reset touches", "Events cleared: 5, highest level high.",
		"Enabled risk behaviors (they will score the user again): Impossible Travel (high)",
		"The new level is pushed to Okta at https://acme-corp.okta.example.")
	if h.sim.Count(sim.OpRiskBehaviors) != beh+1 || h.sim.Count(sim.OpRiskIntegrations) != integ+1 {
		t.Fatal("the blast radius was not read when the review opened")
	}
	fillReview(h, "INC-3 travel", bob)
	h.press("enter")
	h.mustSee("✓ Risk score reset")
	in := h.auditRecords()[1]
	if in.Integrations == nil || len(in.Integrations.Active) != 1 || in.Integrations.Active[0].Type != "Okta" {
		t.Fatalf("intent integrations = %+v", in.Integrations)
	}
}

// A part that cannot be read says so, the others show, and the reset
// still goes ahead; the audit record says the integrations are unknown.
func TestResetReviewBlastRadiusPartFailsAlone(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(bob)
	h.sim.Inject(sim.Fault{Op: sim.OpRiskIntegrations, Status: 403, Times: 1})
	h.press("R")
	h.mustSee("Risk-score integrations: unknown — they could not be read",
		"Events cleared: 5, highest level high.", "Enabled risk behaviors")
	h.mustNotSee("pushed to Okta")
	fillReview(h, "INC-4", bob)
	h.press("enter")
	h.mustSee("✓ Risk score reset")
	if n := h.sim.Count(resetOp); n != 1 {
		t.Fatalf("%d resets sent", n)
	}
	in := h.auditRecords()[1]
	if in.Integrations == nil || in.Integrations.Unknown == "" || len(in.Integrations.Active) != 0 {
		t.Fatalf("intent integrations = %+v, want unknown", in.Integrations)
	}
}

// The review's "before" is a fresh read, not the User pane's data: a
// change made since the pane loaded shows on the review.
func TestResetReviewReadsTheUserFresh(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(bob)
	h.mustSee("Events      5")
	u := h.m.top().Page.(*userBody)
	// Someone else resets bob meanwhile.
	if r := actions.Reset(context.Background(), h.sess.Writer(), actions.ResetRequest{
		Email: bob, UserID: u.user.ID, Reason: "elsewhere", Before: *u.risk,
	}); r.Outcome != actions.OutcomeSuccess {
		t.Fatalf("setup reset: %s %v", r.Outcome, r.Err)
	}
	reads := h.sim.Count(riskOp)
	h.press("R")
	if h.sim.Count(riskOp) != reads+1 {
		t.Fatalf("opening the review read the risk score %d times, want 1", h.sim.Count(riskOp)-reads)
	}
	h.mustSee("Risk level  none", "Events      0", "Events cleared: none")
	h.mustNotSee("most recent:")
}

// When the fresh read fails, the review says so and sends nothing.
func TestResetReviewFreshReadFailingSendsNothing(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(bob)
	h.sim.Inject(sim.Fault{Op: riskOp, Status: 403}) // a read is retried on a 5xx, not on a 403
	h.press("R")
	h.mustSee("the current state could not be read", "Events cleared: unknown", "Enabled risk behaviors")
	fillReview(h, "INC-5", bob)
	h.press("enter")
	h.mustSee("Not sent: the user's current state could not be read")
	if n := h.sim.Count(resetOp); n != 0 {
		t.Fatalf("%d resets sent without a fresh state", n)
	}
	if recs, _ := store.ReadAudit(h.sess.Audit.Path(), 0); len(recs) != 0 {
		t.Fatal("audited a reset never sent")
	}
}
