package cli

import (
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const (
	opRevoke   = sim.OpRevokeUser
	opSessions = sim.OpActiveSessions
)

func TestRevokeRefusedWithoutTerminalOrInReadOnly(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, sim.EmailFewEvents+"\n", "revoke", sim.EmailFewEvents, "--reason", "INC-1")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stderr, "not a terminal") {
		t.Fatalf("no terminal: exit %d stderr %q", r.code, r.stderr)
	}
	r = f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "INC-1", "--yes", "--read-only")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "read-only") {
		t.Fatalf("read-only: exit %d stderr %q", r.code, r.stderr)
	}
	if f.sim.Total() != 0 || len(f.auditRecords(t)) != 0 {
		t.Fatalf("a refused revoke sent %v or was audited", f.sim.Counts())
	}
}

func TestRevokeNeedsAReason(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"revoke", sim.EmailFewEvents, "--yes"},
		{"revoke", sim.EmailFewEvents, "--reason", "   ", "--yes"},
		{"revoke", sim.EmailFewEvents, "--reason", strings.Repeat("x", 1001), "--yes"},
		{"revoke", "not-an-email", "--reason", "r", "--yes"},
		{"revoke", "--reason", "r", "--yes"},
	} {
		if r := f.run(t, "", args...); r.code != ExitUsage {
			t.Errorf("%q: exit %d, want %d (%q)", args, r.code, ExitUsage, r.stderr)
		}
	}
	if f.sim.Total() != 0 {
		t.Fatalf("invalid input sent %v", f.sim.Counts())
	}
}

func TestRevokeWithYesShowsTheReviewAndSendsOnce(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "INC-8 token theft", "--yes")
	if r.code != ExitOK {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"Revoke the Access sessions of Bob Martin", "last seen:", "203.0.113.66", "active sessions: 3",
		"until", "can sign in again unless the identity provider blocks them"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("review lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, "revoke: success (HTTP 200)") || !strings.Contains(r.stdout, "active sessions: 3 → 0") {
		t.Errorf("result:\n%s", r.stdout)
	}
	if n := f.sim.Count(opRevoke); n != 1 {
		t.Fatalf("%d revokes sent", n)
	}
	recs := f.auditRecords(t) // newest first
	if len(recs) != 2 || recs[1].Action != store.ActionRevokeSessions || recs[1].Reason != "INC-8 token theft" ||
		recs[0].Outcome != store.OutcomeSuccess || recs[0].Revoke == nil || recs[0].Revoke.Devices {
		t.Fatalf("audit: %+v", recs)
	}
	if l := f.run(t, "", "audit", "--limit", "1"); !strings.Contains(l.stdout, "revoke_sessions") || !strings.Contains(l.stdout, "sessions 3 → 0") {
		t.Fatalf("audit line: %q", l.stdout)
	}
	if v := f.run(t, "", "audit", "verify"); v.code != 0 {
		t.Fatalf("audit verify: %d %q", v.code, v.stdout)
	}
	f.assertNoToken(t)
}

func TestRevokeJSONAndExitCodes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "r", "--yes", "--devices", "--json"))
	if m["success"] != true || m["statusCode"] != float64(200) || !strings.Contains(m["rawResponse"].(string), "true") {
		t.Fatalf("revoke json: %v", m)
	}
	if _, ok := m["headers"].(map[string]any); !ok {
		t.Fatalf("headers missing: %v", m)
	}
	if recs := f.auditRecords(t); recs[0].Revoke == nil || !recs[0].Revoke.Devices {
		t.Fatalf("--devices not on record: %+v", recs[0])
	}

	f.sim.Inject(sim.Fault{Op: opRevoke, Status: 500, Times: 1})
	r := f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "r", "--yes")
	if r.code != ExitAPI || f.sim.Count(opRevoke) != 2 || !strings.Contains(r.stdout, "FAILED (HTTP 500)") {
		t.Fatalf("500: exit %d, %d POSTs (want 2 in total), %q", r.code, f.sim.Count(opRevoke), r.stdout)
	}

	if r := f.run(t, "", "revoke", "nobody@acme-corp.example", "--reason", "r", "--yes"); r.code != ExitNotFound || f.sim.Count(opRevoke) != 2 {
		t.Fatalf("unknown user: exit %d", r.code)
	}

	f.sim.Inject(sim.Fault{Op: opRevoke, Latency: 3 * time.Second, Times: 1})
	r = f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "r", "--yes", "--timeout", "300ms")
	if r.code != ExitUnknown || !strings.Contains(r.stderr, "outcome unknown") || !strings.Contains(r.stderr, "re-read the sessions") ||
		!strings.Contains(r.stderr, "not retried") || f.sim.Count(opRevoke) != 3 {
		t.Fatalf("timeout: exit %d, %d POSTs, stderr %q", r.code, f.sim.Count(opRevoke), r.stderr)
	}
}

func TestRevokeOnTerminalAsksForTheEmail(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.runTerminal(t, "yes\n", "revoke", sim.EmailFewEvents, "--reason", "r")
	if r.code != ExitRefused || f.sim.Count(opRevoke) != 0 || !strings.Contains(r.stderr, "Type the user's email") {
		t.Fatalf("wrong confirmation: exit %d, %d POSTs, %q", r.code, f.sim.Count(opRevoke), r.stderr)
	}
	if len(f.auditRecords(t)) != 0 {
		t.Fatal("an unconfirmed revoke was audited")
	}
	r = f.runTerminal(t, strings.ToUpper(sim.EmailFewEvents)+"\n", "revoke", sim.EmailFewEvents, "--reason", "r")
	if r.code != ExitOK || f.sim.Count(opRevoke) != 1 {
		t.Fatalf("confirmed: exit %d, %d POSTs, %q", r.code, f.sim.Count(opRevoke), r.stderr)
	}
}

func TestRawRevokeIsRefusedWithAPointer(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "api", "POST", "/accounts/{account_id}/access/organizations/revoke_user", "--body", `{"email":"`+sim.EmailFewEvents+`"}`, "--yes")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "cftriage revoke") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if f.sim.Count(opRevoke) != 0 {
		t.Fatal("the raw revoke was sent")
	}
}
