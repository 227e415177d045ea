package store

import (
	"strconv"
	"strings"
	"testing"
)

func TestAPIPath(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.cloudflare.com/client/v4/accounts/abc/intel/ip?ipv4=1.2.3.4": "/accounts/abc/intel/ip?ipv4=1.2.3.4",
		"http://127.0.0.1:41327/client/v4/accounts/abc/zt_risk_scoring/u1/reset":  "/accounts/abc/zt_risk_scoring/u1/reset",
		"https://proxy.corp.example/cf/client/v4/user/tokens/verify":              "/user/tokens/verify",
		"https://api.cloudflare.com/client/v4":                                    "/",
		"https://api.cloudflare.com/client/v4x/y":                                 "/client/v4x/y", // not the base path
		"https://gw.example/api/accounts/x":                                       "/api/accounts/x",
		"/accounts/x/rules":                                                       "/accounts/x/rules", // no host: as recorded
		"%zz":                                                                     "%zz",
	} {
		if got := APIPath(in); got != want {
			t.Errorf("APIPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAuditTargetNamesTheEndpointWithoutItsQuery(t *testing.T) {
	r := AuditRecord{Phase: PhaseIntent, AttemptID: "a1", Method: "GET", AccountID: "023e105f4ecef8ad9ca31a8372d0c353",
		URL: "http://127.0.0.1:8787/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/ip?ipv4=203.0.113.66"}
	got := AuditEntry{Intent: &r}.Target()
	if got != "GET /accounts/{account_id}/intel/ip" {
		t.Fatalf("target %q", got)
	}
}

func TestGroupAuditPairsAttempts(t *testing.T) {
	rec := func(seq int64, phase, id string) AuditRecord {
		r := AuditRecord{Seq: seq, Phase: phase, AttemptID: id, Action: ActionRiskReset}
		if phase == PhaseOutcome {
			r.Outcome = OutcomeSuccess
		}
		return r
	}
	// Newest first, two writers interleaved, one dangling intent, one
	// outcome whose intent is beyond the read limit, one duplicate.
	recs := []AuditRecord{
		rec(7, PhaseOutcome, "b"),
		rec(6, PhaseOutcome, "a"),
		rec(5, PhaseIntent, "c"),
		rec(4, PhaseIntent, "b"),
		rec(3, PhaseIntent, "a"),
		rec(2, PhaseOutcome, "z"),
		rec(1, PhaseOutcome, "z"),
	}
	got := GroupAudit(recs)
	var desc []string
	for _, e := range got {
		s := ""
		if e.Intent != nil {
			s += "i" + strconv.FormatInt(e.Intent.Seq, 10)
		}
		if e.Outcome != nil {
			s += "o" + strconv.FormatInt(e.Outcome.Seq, 10)
		}
		desc = append(desc, s)
	}
	want := "i4o7 i3o6 i5 o2 o1"
	if strings.Join(desc, " ") != want {
		t.Fatalf("groups = %v, want %s", desc, want)
	}
}
