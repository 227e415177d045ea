package cli

import (
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// TestUserContextSaysWhatCameFromTheCache: user --context says, per
// part, which answers the cache gave and how old they are (human and
// --json), so a fresh risk level is never mixed silently with cached
// sessions; after a revoke the cached parts from before are read again.
func TestUserContextSaysWhatCameFromTheCache(t *testing.T) {
	f := newFixture(t, sim.Options{})
	cachedOf := func(m map[string]any) map[string]any {
		t.Helper()
		c, ok := m["cached"].(map[string]any)
		if !ok {
			t.Fatalf("no cached object: %v", m["cached"])
		}
		return c
	}
	if c := cachedOf(decode(t, f.run(t, "", "user", sim.EmailFewEvents, "--context", "--json"))); len(c) != 0 {
		t.Errorf("a first look says %v came from the cache", c)
	}
	before := f.sim.Total()
	c := cachedOf(decode(t, f.run(t, "", "user", sim.EmailFewEvents, "--context", "--json")))
	for _, p := range []string{"riskScore", "lastSeen", "sessions", "failedLogins", "accessRequests"} {
		obj, ok := c[p].(map[string]any)
		if !ok {
			t.Errorf("%s is not said to come from the cache: %v", p, c)
			continue
		}
		fetched, err := time.Parse(time.RFC3339Nano, obj["fetched"].(string))
		if err != nil || time.Since(fetched) > time.Minute {
			t.Errorf("%s fetched %v (%v)", p, obj["fetched"], err)
		}
		if age, ok := obj["ageSeconds"].(float64); !ok || age < 0 || age > 60 {
			t.Errorf("%s age %v", p, obj["ageSeconds"])
		}
	}
	if _, ok := c["devices"]; ok {
		t.Error("the devices (never cached) are said to come from the cache")
	}
	if n := f.sim.Total() - before; n != 1 {
		t.Errorf("the second look sent %d requests, want 1 (the devices)", n)
	}

	r := f.run(t, "", "user", sim.EmailFewEvents, "--context")
	for _, want := range []string{"risk score:      cached just now", "active sessions: 3  (cached just now)", "failed logins:   3  (cached just now)", "Access requests: latest 10  (cached just now)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("missing %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "devices:         2  (cached") {
		t.Errorf("devices said cached:\n%s", r.stdout)
	}
	if r := f.run(t, "", "user", sim.EmailFewEvents, "--context", "--no-cache"); r.code != 0 || strings.Contains(r.stdout, "cached") {
		t.Errorf("--no-cache says cached (exit %d):\n%s", r.code, r.stdout)
	}

	// A revoke: the sessions' re-read is kept (and said cached), the rest
	// is read fresh: nothing from before the write passes for current.
	if r := f.run(t, "", "revoke", sim.EmailFewEvents, "--reason", "INC-9", "--yes"); r.code != 0 {
		t.Fatalf("revoke: exit %d %s", r.code, r.stderr)
	}
	r = f.run(t, "", "user", sim.EmailFewEvents, "--context")
	if !strings.Contains(r.stdout, "active sessions: none  (cached just now)") {
		t.Errorf("the sessions after the revoke:\n%s", r.stdout)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, "risk score:") || (strings.Contains(line, "(cached") && !strings.Contains(line, "active sessions:")) {
			t.Errorf("after the revoke, served from before it: %q", line)
		}
	}
}
