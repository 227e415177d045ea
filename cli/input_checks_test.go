package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestSilentlyAcceptedValuesAreRefused: values the CLI used to take and
// quietly change are usage errors now, before any request: a zero or
// negative --timeout (it became 30s), a --reason over the limit (it was
// cut at 4,094 characters in the audit record) and a zero-width space
// inside an indicator (dropped: "exa\u200bmple.com" looked up
// example.com).
func TestSilentlyAcceptedValuesAreRefused(t *testing.T) {
	f := newFixture(t, sim.Options{})
	long := strings.Repeat("INC-1234 phishing follow-up; ", 400)[:10000]
	for _, c := range []struct {
		args []string
		frag string
	}{
		{[]string{"ip", sim.IPRiskyC2, "--timeout", "-5s"}, "--timeout -5s: the per-call timeout must be positive"},
		{[]string{"ip", sim.IPRiskyC2, "--timeout", "0s"}, "--timeout 0s"},
		{[]string{"--timeout", "0"}, "--timeout 0s"}, // the console, too
		{[]string{"reset", sim.EmailFewEvents, "--reason", long, "--yes"}, "--reason is 10000 characters long; the audit log keeps at most 1000"},
		{[]string{"domain", "exa\u200bmple.com"}, `U+200B zero width space) after "exa"`},
		{[]string{"ip", "203.0.113\u200b.66"}, "U+200B zero width space"},
		{[]string{"user", "bob.martin\u200b@acme-corp.example"}, "U+200B zero width space"},
		{[]string{"reset", "bob.martin\u200b@acme-corp.example", "--reason", "x", "--yes"}, "U+200B"},
	} {
		r := f.run(t, "", c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.frag) {
			t.Errorf("%q: exit %d, stderr %q; want %d naming %q", c.args, r.code, r.stderr, ExitUsage, c.frag)
		}
		if n := f.sim.Total(); n != 0 {
			t.Fatalf("%q: %d requests sent", c.args, n)
		}
	}
	// The longest reason allowed still goes through, whole.
	okReason := strings.Repeat("r", 1000)
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", okReason, "--yes"); r.code != 0 {
		t.Fatalf("a 1000-character reason: exit %d %q", r.code, r.stderr)
	}
	recs := f.auditRecords(t)
	if len(recs) == 0 || recs[0].Reason != okReason {
		t.Fatalf("the audit record does not hold the whole reason: %d records", len(recs))
	}
}

// TestAPIMethodsAreTheDocumentedOnes: anything but GET, POST, PUT, PATCH
// and DELETE is a usage error; nothing is sent and nothing audited.
func TestAPIMethodsAreTheDocumentedOnes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, m := range []string{"HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO", "head"} {
		r := f.run(t, "", "api", m, "/accounts/{account_id}/intel/asn/13335", "--yes")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "is not one cftriage sends: use GET, POST, PUT, PATCH, DELETE") {
			t.Errorf("api %s: exit %d, stderr %q", m, r.code, r.stderr)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if _, err := os.Stat(filepath.Join(f.state, store.AppName, store.AuditFile)); !os.IsNotExist(err) {
		t.Fatalf("something was audited: %v", err)
	}
	for _, m := range []string{"get", "DELETE"} {
		if r := f.run(t, "", "api", m, "/accounts/{account_id}/intel/asn/13335", "--yes"); r.code == ExitUsage {
			t.Errorf("api %s refused: %q", m, r.stderr)
		}
	}
}
