package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// rewriteKept replaces the result of every kept answer of op with result
// and dates it back, as if an earlier look had seen that.
func rewriteKept(t *testing.T, f *fixture, op string, result any) {
	t.Helper()
	db := store.OpenDB(f.dbPath(), store.DBOptions{})
	defer db.Close()
	for _, req := range keptRequests(t, f, op) {
		e, ok := db.CacheGet(sim.DemoAccountID, req)
		if !ok {
			t.Fatalf("nothing kept for %s", req)
		}
		var env map[string]any
		if err := json.Unmarshal(e.Body, &env); err != nil {
			t.Fatal(err)
		}
		env["result"] = result
		e.Body, _ = json.Marshal(env)
		e.Fetched = time.Now().Add(-26 * time.Hour)
		if _, _, err := db.CachePut(e); err != nil {
			t.Fatal(err)
		}
	}
}

func keptRequests(t *testing.T, f *fixture, op string) []string {
	t.Helper()
	raw, err := sqlOpen(f.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT request FROM cache WHERE operation = ?", op)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		out = append(out, r)
	}
	return out
}

func TestChangedSince(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "domain", "--json", sim.DomainPhishing)
	if m := decode(t, r); m["changes"] != nil {
		t.Fatalf("a first look has changes: %v", m["changes"])
	}
	if r := f.run(t, "", "domain", sim.DomainPhishing); strings.Contains(r.stdout, "since") {
		t.Errorf("a cached answer prints a changes block:\n%s", r.stdout)
	}
	rewriteKept(t, f, "domain overview", map[string]any{"domain": sim.DomainPhishing, "risk_score": 0.01, "risk_types": []any{}, "content_categories": []any{}})
	rewriteKept(t, f, "WHOIS", map[string]any{"domain": sim.DomainPhishing, "found": true, "registrar": "Old Registrar", "nameservers": []any{"ns1.old.example"}})

	r = f.run(t, "", "domain", "--max-age", "0", sim.DomainPhishing)
	if r.code != 0 {
		t.Fatal(r.stderr)
	}
	for _, want := range []string{"changed since", "(26h ago)", "risk types: + ", "risk score up: 0.01 → ", "WHOIS registrar: Old Registrar → ", "WHOIS nameservers: + "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("human output lacks %q:\n%s", want, r.stdout)
		}
	}
	rewriteKept(t, f, "domain overview", map[string]any{"domain": sim.DomainPhishing, "risk_score": 0.01, "risk_types": []any{}})
	m := decode(t, f.run(t, "", "domain", "--json", "--max-age", "0", sim.DomainPhishing))
	checkExchange(t, m)
	changes, ok := m["changes"].([]any)
	if !ok || len(changes) == 0 {
		t.Fatalf("--json changes = %v", m["changes"])
	}
	first := changes[0].(map[string]any)
	if first["field"] != "risk_types" || first["before"] == nil || first["after"] == nil {
		t.Errorf("first change = %v", first)
	}
	// Fetched again at once: unchanged since the last look.
	r = f.run(t, "", "domain", "--max-age", "0", sim.DomainPhishing)
	if !strings.Contains(r.stdout, "unchanged since") {
		t.Errorf("no 'unchanged since':\n%s", r.stdout)
	}
}

func TestUserChangedSince(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "user", sim.EmailFewEvents); r.code != 0 {
		t.Fatal(r.stderr)
	}
	rewriteKept(t, f, "risk score", map[string]any{"email": sim.EmailFewEvents, "name": "Bob", "risk_level": "low", "events": []any{}})
	r := f.run(t, "", "user", "--max-age", "0", sim.EmailFewEvents)
	if !strings.Contains(r.stdout, "changed since") || !strings.Contains(r.stdout, "risk level: low → ") || !strings.Contains(r.stdout, "new event(s)") {
		t.Errorf("user changes:\n%s", r.stdout)
	}
}
