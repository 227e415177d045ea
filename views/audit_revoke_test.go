package views

import (
	"strings"
	"testing"
	"time"

	"cftriage/store"
)

// revokeEntry is a revoke_sessions attempt: 3 sessions reviewed, devices
// too, Cloudflare answered result true, the re-read found none.
func revokeEntry(devices bool, revoked *bool, after *int) store.AuditEntry {
	at := time.Date(2026, 5, 20, 9, 20, 0, 0, time.UTC)
	three := 3
	in := store.AuditRecord{Seq: 20, Time: at, Phase: store.PhaseIntent, AttemptID: "6666", AccountID: "023e105f4ecef8ad9ca31a8372d0c353",
		Operator: store.Operator{OSUser: "analyst"}, Action: store.ActionRevokeSessions, TargetUserID: "0b9c8d7e",
		TargetEmail: "erin@example.com", Reason: "INC-20", Revoke: &store.AuditRevoke{Devices: devices, SessionsBefore: &three}}
	out := in
	out.Seq, out.Phase, out.Outcome, out.HTTPStatus = 21, store.PhaseOutcome, store.OutcomeSuccess, 200
	out.Revoke = &store.AuditRevoke{Devices: devices, Revoked: revoked, SessionsAfter: after}
	return store.AuditEntry{Intent: &in, Outcome: &out}
}

func TestAuditDetailShowsWhatARevokeDid(t *testing.T) {
	yes, no, zero := true, false, 0
	detail := func(e store.AuditEntry) string {
		return plain(AuditDetail(e, 0, 100, AuditDetailHeight(e, 100), PlainTheme()))
	}
	out := detail(revokeEntry(true, &yes, &zero))
	for _, want := range []string{"Sessions      3 → 0", "Devices       revoked too", "CF result     revoked (result true)"} {
		if !strings.Contains(out, want) {
			t.Errorf("revoke detail lacks %q:\n%s", want, out)
		}
	}
	out = detail(revokeEntry(false, &no, nil))
	for _, want := range []string{"Sessions      3 → ? (not re-read)", "Devices       not revoked", "CF result     nothing revoked (result false)"} {
		if !strings.Contains(out, want) {
			t.Errorf("revoke detail lacks %q:\n%s", want, out)
		}
	}
	dang := revokeEntry(false, nil, nil)
	dang.Outcome = nil
	out = detail(dang)
	if !strings.Contains(out, "Sessions      3 before · no outcome recorded") || strings.Contains(out, "CF result") {
		t.Errorf("a dangling revoke's detail:\n%s", out)
	}
	// A reset says nothing about sessions.
	if out := detail(auditEntries()[4]); strings.Contains(out, "Sessions") || strings.Contains(out, "Devices") {
		t.Errorf("a reset shows revoke fields:\n%s", out)
	}
}

// The Action column holds revoke_sessions where there is room, and its
// short form, never a cut name, where there is not; the operator stays.
func TestAuditListNamesARevokeReadably(t *testing.T) {
	yes, zero := true, 0
	es := append([]store.AuditEntry{revokeEntry(true, &yes, &zero)}, auditEntries()...)
	p := AuditPane{Path: "audit.jsonl", Entries: es, Focused: true}
	for _, sz := range [][3]int{{120, 40, 1}, {80, 24, 0}, {84, 24, 1}, {83, 24, 0}, {80, 8, 0}} {
		out := plain(RenderAudit(p, sz[0], sz[1], PlainTheme()))
		if strings.Contains(out, "revoke_se…") || strings.Contains(out, "risk_rese…") {
			t.Errorf("%dx%d: a cut action name:\n%s", sz[0], sz[1], out)
		}
		flat := strings.Join(strings.Fields(out), " ")
		want := "09:20 revoke erin@example.com"
		if sz[2] == 1 {
			want = "09:20 revoke_sessions erin@example.com"
		}
		if !strings.Contains(flat, want) {
			t.Errorf("%dx%d: the revoke row lacks %q:\n%s", sz[0], sz[1], want, out)
		}
		// (At 8 rows the position indicator takes the operator's room, as before.)
		if sz[1] > 8 && (!strings.Contains(out, "Operator") || !strings.Contains(flat, "risk_reset alice@example.com")) {
			t.Errorf("%dx%d: the operator column or a reset's name is gone:\n%s", sz[0], sz[1], out)
		}
	}
}
