package cli

import (
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestUserSaysHowItWasFound: the user command says whether email= or the
// search= fallback found the user, in words and in --json, and sends the
// address as typed (under the simulator's exact reading of email=,
// lowercasing would find nobody for Bob and the wrong Dana Lee).
func TestUserSaysHowItWasFound(t *testing.T) {
	f := newFixture(t, sim.Options{EmailCaseSensitive: true})
	r := f.run(t, "", "user", "BOB.Martin@acme-corp.example")
	if r.code != 0 || !strings.Contains(r.stdout, "found by:    search= (email= found no user; only exact matches of the address, ignoring case)") ||
		!strings.Contains(r.stdout, "Bob Martin <"+sim.EmailFewEvents+">") {
		t.Fatalf("search fallback: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	m := decode(t, f.run(t, "", "user", "BOB.Martin@acme-corp.example", "--json"))
	if m["matchedBy"] != "search" || m["email"] != sim.EmailFewEvents {
		t.Fatalf("--json: matchedBy %v, email %v", m["matchedBy"], m["email"])
	}
	m = decode(t, f.run(t, "", "user", "Dana.Lee@acme-corp.example", "--json"))
	if m["matchedBy"] != "email" || m["name"] != "Dana Lee (contractor)" {
		t.Fatalf("as typed: matchedBy %v, name %v", m["matchedBy"], m["name"])
	}
	if r := f.run(t, "", "user", sim.EmailFewEvents); !strings.Contains(r.stdout, "found by:    email= (the address as typed)") {
		t.Fatalf("email=:\n%s", r.stdout)
	}
	r = f.run(t, "", "user", "DANA.LEE@acme-corp.example")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "2 users have the email") || !strings.Contains(r.stderr, "found by search=") {
		t.Fatalf("two by search: exit %d %q", r.code, r.stderr)
	}
	r = f.run(t, "", "user", "nobody@acme-corp.example")
	if r.code != ExitNotFound || !strings.Contains(r.stderr, "asked with email=, then search=") {
		t.Fatalf("nobody: exit %d %q", r.code, r.stderr)
	}
}
