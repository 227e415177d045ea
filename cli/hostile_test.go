package cli

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// answer is a hostile server's canned reply for requests whose path ends
// with suffix (and whose method is method, when set); the rest goes to
// the simulator.
func answer(method, suffix string, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (method == "" || r.Method == method) && strings.HasSuffix(r.URL.Path, suffix) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(body))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A C1 string introducer inside a JSON string (the repro) must
// not hide the rest of the answer: every field after it is printed.
func TestAPIC1InJSONHidesNothing(t *testing.T) {
	for _, c1 := range []string{`\u0090`, `\u0098`, `\u009d`, `\u009e`, `\u009f`} {
		body := `{"success":true,"errors":[],"messages":[],"result":{"a":"x` + c1 + `y","b":"SECRET-VISIBLE-B"}}`
		f := newFixtureWith(t, sim.Options{}, answer("GET", "/intel/asn/1", 200, body))
		r := f.run(t, "", "api", "GET", "/accounts/{account_id}/intel/asn/1")
		if r.code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", c1, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, `"b": "SECRET-VISIBLE-B"`) || !strings.Contains(r.stdout, `"success": true`) {
			t.Errorf("%s: the output stops at the control string:\n%s", c1, r.stdout)
		}
		assertNoTerminalControls(t, r.stdout)
	}
}

// spelled writes s with JSON \u escapes, as a hostile server may.
func spelled(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// echoToken answers requests whose path ends with suffix with status and
// an error that quotes the token the request carried, raw and spelled
// with escapes, and a header that repeats it.
func echoToken(suffix string, status int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, suffix) {
				next.ServeHTTP(w, r)
				return
			}
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Echo", "Bearer "+tok)
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"success":%v,"errors":[{"code":1000,"message":"rejected token %s"}],"messages":[{"code":1,"message":"%s"}],"result":{"echo":"%s"}}`,
				status < 300, tok, spelled(tok), tok)
		})
	}
}

// A token echoed back by the server is masked (… and the last four)
// wherever the data goes: stdout, stderr, --json and the audit log; the
// outcome of the reset that was sent is recorded, never refused.
func TestEchoedTokenIsMaskedAndTheOutcomeRecorded(t *testing.T) {
	mask := "…" + sim.DemoToken[len(sim.DemoToken)-4:]
	noToken := func(what string, r result) {
		t.Helper()
		if strings.Contains(r.stdout+r.stderr, sim.DemoToken) {
			t.Errorf("%s: the token is printed:\nstdout %s\nstderr %s", what, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout+r.stderr, mask) {
			t.Errorf("%s: the mask %s does not show where the token was:\nstdout %s\nstderr %s", what, mask, r.stdout, r.stderr)
		}
	}
	f := newFixtureWith(t, sim.Options{}, echoToken("/reset", http.StatusForbidden))
	for _, json := range []bool{false, true} {
		args := []string{"reset", sim.EmailFewEvents, "--reason", "INC-9", "--yes"}
		if json {
			args = append(args, "--json")
		}
		r := f.run(t, "", args...)
		if r.code != ExitAPI {
			t.Fatalf("json=%v: exit %d, want %d; stderr %q", json, r.code, ExitAPI, r.stderr)
		}
		noToken(fmt.Sprintf("reset json=%v", json), r)
	}
	recs := f.auditRecords(t)
	if len(recs) != 4 || recs[0].Phase != store.PhaseOutcome || recs[2].Phase != store.PhaseOutcome {
		t.Fatalf("want an intent and an outcome per reset, got %+v", recs)
	}
	if !strings.Contains(recs[0].ErrorMessage+fmt.Sprint(recs[0].CFErrors), mask) {
		t.Errorf("the outcome does not say what the server answered: %+v", recs[0])
	}
	f.assertNoToken(t)
	if v := f.run(t, "", "audit", "verify"); v.code != 0 {
		t.Fatalf("audit verify: exit %d\n%s", v.code, v.stdout)
	}

	// A raw call answered with the token, human and --json.
	g := newFixtureWith(t, sim.Options{}, echoToken("/intel/asn/1", http.StatusOK))
	for _, args := range [][]string{{"api", "GET", "/accounts/{account_id}/intel/asn/1"}, {"api", "GET", "/accounts/{account_id}/intel/asn/1", "--json"}} {
		r := g.run(t, "", args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		noToken(strings.Join(args, " "), r)
	}
}
