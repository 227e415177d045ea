package ui

import (
	"strings"
	"testing"

	"cftriage/store"
)

// y on a single value copies it as the screen shows it, on one line: a
// line break the screen does not show would run a command when the value
// is pasted into a shell.
func TestCopiedSingleValueHasNoLineBreak(t *testing.T) {
	h := newHarness(t, 120, 40)
	// The audit log is a file anyone with access could have edited.
	if _, err := h.sess.Audit.Intent(store.AuditRecord{AttemptID: "id-one\nrm -rf ~\r\nid-two", Action: store.ActionRiskReset, TargetEmail: "x@corp.example"}); err != nil {
		t.Fatal(err)
	}
	h.openAudit()
	h.mustSee("risk_reset")
	h.press("enter")
	h.press("y")
	if h.clipboard == "" {
		t.Fatal("y in the audit detail copied nothing")
	}
	if strings.ContainsAny(h.clipboard, "\r\n") {
		t.Fatalf("the copied attempt id has a line break: %q", h.clipboard)
	}
	if want := "id-one rm -rf ~ id-two"; h.clipboard != want {
		t.Fatalf("copied %q, want %q", h.clipboard, want)
	}
}
