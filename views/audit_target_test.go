package views

import (
	"strings"
	"testing"

	"cftriage/store"
)

// TestAuditTargetShowsThePath: an api_call row names the path, so rows
// on one host are told apart, with the record's own account id as
// {account_id} and, when the column is narrow, the middle elided so the
// operation at the end stays; the detail keeps the full URL.
func TestAuditTargetShowsThePath(t *testing.T) {
	const acct = "023e105f4ecef8ad9ca31a8372d0c353"
	const full = "http://127.0.0.1:41327/client/v4/accounts/" + acct + "/zt_risk_scoring/72534a63-4dfc-52fe-af05-964cef764753/reset"
	rec := store.AuditRecord{Seq: 2, Phase: store.PhaseOutcome, AttemptID: "a", Action: store.ActionAPICall,
		Method: "POST", URL: full, Outcome: store.OutcomeSuccess, HTTPStatus: 200, AccountID: acct}
	e := store.AuditEntry{Outcome: &rec}
	want := "POST /accounts/{account_id}/zt_risk_scoring/72534a63-4dfc-52fe-af05-964cef764753/reset"
	if got := AuditTarget(e); got != want {
		t.Fatalf("Target = %q, want %q", got, want)
	}
	// Another account's id is not the record's: it stays.
	other := rec
	other.AccountID = "ffff"
	if got := AuditTarget(store.AuditEntry{Outcome: &other}); !strings.Contains(got, "/accounts/"+acct+"/") {
		t.Fatalf("Target with another account = %q", got)
	}

	for _, w := range []int{80, 120, 200} {
		pane := plain(RenderAudit(AuditPane{Path: "audit.jsonl", Entries: []store.AuditEntry{e}}, w, 10, PlainTheme()))
		flat := strings.Join(strings.Fields(pane), " ")
		if strings.Contains(pane, "127.0.0.1") || !strings.Contains(flat, "api_call POST ") || !strings.Contains(pane, "/reset ") {
			t.Errorf("%d columns: the row does not show the method and the end of the path:\n%s", w, pane)
		}
	}
	detail := plain(AuditDetail(e, 0, 200, 30, PlainTheme()))
	if !strings.Contains(detail, "POST "+full) {
		t.Fatalf("the detail lacks the full URL:\n%s", detail)
	}
}

func TestElideMiddle(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    int
		want string
	}{
		{"POST /a/b", 20, "POST /a/b"},
		// The method stays; the rest of the room goes to the path's end.
		{"POST /accounts/{account_id}/intel/asn/13335/subnets", 34, "POST …_id}/intel/asn/13335/subnets"},
		{"PATCH /accounts/x/rules", 21, "PATCH …counts/x/rules"},
		// No method: two fifths of the room for the start (13 + … + 20).
		{"/accounts/{account_id}/intel/asn/13335/subnets", 34, "/accounts/{ac…el/asn/13335/subnets"},
		{"abcdefghij", 5, "abcd…"},
	} {
		got := elideMiddle(tc.s, tc.w)
		if got != tc.want || len([]rune(got)) > tc.w {
			t.Errorf("elideMiddle(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}
