package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// decodeAny decodes stdout as one JSON object whatever the exit code.
func decodeAny(t *testing.T, args []string, r result) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("%q (exit %d): stdout is not one JSON object: %v\n%q\nstderr %q", args, r.code, err, r.stdout, r.stderr)
	}
	return m
}

// TestJSONForEveryFailure: with --json every failure prints one JSON
// object on stdout, with the error's kind, message and exit code, and the
// exchange when a response arrived.
func TestJSONForEveryFailure(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct {
		name     string
		setup    func()
		args     []string
		code     int
		kind     string
		exchange int // status of the exchange; 0 = none
	}{
		{"unknown user", nil, []string{"user", "nobody@acme-corp.example"}, ExitNotFound, "not_found", 200},
		{"several users", nil, []string{"user", sim.EmailTwoUsers}, ExitUsage, "usage", 200},
		{"user id mismatch", nil, []string{"user", sim.EmailFewEvents, "--user-id", "nope"}, ExitNotFound, "not_found", 200},
		{"timeout", func() { f.sim.Inject(sim.Fault{Op: opIP, Latency: 2 * time.Second}) }, []string{"ip", sim.IPRiskyC2, "--timeout", "100ms"}, ExitAPI, "timeout", 0},
		{"permission", func() { f.sim.Inject(sim.Fault{Op: sim.OpDomain, Status: 403}) }, []string{"domain", sim.DomainC2}, ExitAPI, "permission", 403},
		{"server", func() { f.sim.Inject(sim.Fault{Op: opIP, Status: 500}) }, []string{"ip", sim.IPRiskyC2}, ExitAPI, "server", 500},
		{"api 404", nil, []string{"api", "GET", "/accounts/{account_id}/no/such/thing"}, ExitNotFound, "not_found", 404},
		{"reset fails", func() { f.sim.Inject(sim.Fault{Op: opReset, Status: 400}) }, []string{"reset", sim.EmailFewEvents, "--reason", "INC-9", "--yes"}, ExitAPI, "bad_request", 400},
		{"invalid ip", nil, []string{"ip", "300.1.2.3"}, ExitUsage, "input", 0},
		{"bad flag", nil, []string{"ip", sim.IPRiskyC2, "--nope"}, ExitUsage, "usage", 0},
		{"bad window", nil, []string{"ip", sim.IPRiskyC2, "--since", "last week"}, ExitUsage, "input", 0},
		{"unknown command", nil, []string{"frobnicate"}, ExitUsage, "usage", 0},
		{"read-only reset", nil, []string{"reset", sim.EmailFewEvents, "--reason", "x", "--yes", "--read-only"}, ExitRefused, "refused", 0},
		{"no token", func() { t.Setenv(store.EnvToken, "") }, []string{"ip", sim.IPRiskyC2}, ExitConfig, "config", 0},
		{"auth status without token", func() { t.Setenv(store.EnvToken, "") }, []string{"auth", "status"}, ExitConfig, "config", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.sim.ClearFaults()
			t.Setenv(store.EnvToken, sim.DemoToken)
			if tc.setup != nil {
				tc.setup()
			}
			// --no-cache: a fault must meet a request, not a cached answer.
			args := append(append([]string(nil), tc.args...), "--json", "--no-cache")
			r := f.run(t, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tc.code, r.stderr)
			}
			m := decodeAny(t, args, r)
			e, ok := m["error"].(map[string]any)
			if !ok {
				t.Fatalf("no error object: %v", m)
			}
			if e["kind"] != tc.kind || e["exitCode"] != float64(tc.code) || e["message"] == "" {
				t.Errorf("error = %v, want kind %s, exit code %d", e, tc.kind, tc.code)
			}
			// The message is the one stderr has.
			if msg, _ := e["message"].(string); !strings.Contains(r.stderr, strings.SplitN(msg, "\n", 2)[0]) {
				t.Errorf("message %q is not the stderr's %q", msg, r.stderr)
			}
			switch {
			case tc.exchange != 0 && m["statusCode"] != float64(tc.exchange):
				t.Errorf("statusCode = %v, want %d", m["statusCode"], tc.exchange)
			case tc.exchange != 0 && m["rawResponse"] == "":
				t.Error("rawResponse is empty")
			case tc.exchange == 0 && m["statusCode"] != nil && tc.kind != "config":
				t.Errorf("an exchange without a response: %v", m["statusCode"])
			}
		})
	}
}

// TestJSONCandidates: several users with the email are listed for a
// script to pick with --user-id.
func TestJSONCandidates(t *testing.T) {
	f := newFixture(t, sim.Options{})
	args := []string{"user", sim.EmailTwoUsers, "--json"}
	m := decodeAny(t, args, f.run(t, "", args...))
	c, ok := m["candidates"].([]any)
	if !ok || len(c) != 2 {
		t.Fatalf("candidates = %v", m["candidates"])
	}
	id := c[1].(map[string]any)["id"].(string)
	if r := f.run(t, "", "user", sim.EmailTwoUsers, "--user-id", id, "--json"); r.code != 0 {
		t.Fatalf("the listed id does not pick: exit %d %q", r.code, r.stderr)
	}
}

// TestJSONForEverySuccess: the commands that printed text print an
// object with --json.
func TestJSONForEverySuccess(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"version"}, {"help"}, {"help", "ip"}, {"ip", "--help"}, {"--help"}, {"auth", "logout"}, {"auth", "status"},
	} {
		args = append(args, "--json")
		r := f.run(t, "", args...)
		if r.code != 0 {
			t.Fatalf("%q: exit %d %q", args, r.code, r.stderr)
		}
		decodeAny(t, args, r)
	}
	if m := decodeAny(t, nil, f.run(t, "", "ip", "--help", "--json")); !strings.Contains(m["help"].(string), "--no-pdns") {
		t.Errorf("ip help = %v", m["help"])
	}
	// Without --json nothing changes.
	if r := f.run(t, "", "version"); !strings.HasPrefix(r.stdout, "cftriage ") {
		t.Errorf("version: %q", r.stdout)
	}
}
