package request

import (
	"testing"

	"cftriage/store"
)

// A risk reset sent as a raw call from the Request pane would bypass the
// review: the shared write flow refuses it, and the pane says where the
// reviewed reset is, before any confirmation; nothing is sent or audited.
func TestRequestRawResetIsRefused(t *testing.T) {
	h := newHarness(t, 120, 40)
	u := knownUser(h)
	h.sim.ResetCounts()
	h.setEndpoint("/accounts/{account_id}/zt_risk_scoring/" + u.ID + "/reset")
	h.keys("shift+tab", "right", "ctrl+r") // POST
	h.mustSee("as a raw call", "R on the User pane")
	if len(h.dialogs) != 0 {
		t.Fatalf("a confirmation opened for a raw reset:\n%s", h.screen())
	}
	if h.sim.Total() != 0 {
		t.Fatalf("%d requests sent", h.sim.Total())
	}
	if recs, _ := store.ReadAudit(h.sess.Audit.Path(), 0); len(recs) != 0 {
		t.Fatalf("audited: %+v", recs)
	}
}

// A write answered 200 with a body that cannot be read was received and
// probably applied: the Request pane says the outcome is unknown.
func TestRequestWriteAnsweredUnreadablyIsUnknown(t *testing.T) {
	h := newHarness(t, 120, 40)
	cut := `{"success":true,"errors":[],"mes`
	h.stub.body.Store(&cut)
	h.setEndpoint(writePath)
	h.keys("shift+tab", "right", "ctrl+r", "y")
	h.mustSee("OUTCOME UNKNOWN", "answered the POST with HTTP 200")
	recs, _ := store.ReadAudit(h.sess.Audit.Path(), 0)
	if len(recs) != 2 || recs[0].Outcome != store.OutcomeUnknown || recs[0].HTTPStatus != 200 {
		t.Fatalf("audit: %+v", recs)
	}
}
