package cli

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// The contract's one write without a reviewed flow is the
// miscategorization report, which the simulator does not implement:
// withWrites answers it as the contract's example does and counts it in n.
const (
	miscatPath = "/accounts/{account_id}/intel/miscategorization"
	miscatBody = `{"indicator_type":"domain","url":"cdn-update.test","content_adds":[],"content_removes":[],"security_adds":[131],"security_removes":[]}`
)

func withWrites(n *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/intel/miscategorization") {
				next.ServeHTTP(w, r)
				return
			}
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":""}`))
		})
	}
}

// A risk reset or a session revoke sent as a raw call is refused (exit 5)
// with a pointer to the reviewed flow; nothing is sent or audited.
func TestAPIRawCallToAReviewedFlowIsRefused(t *testing.T) {
	f := newFixture(t, sim.Options{})
	const bobID = "72534a63-4dfc-52fe-af05-964cef764753"
	for _, c := range []struct{ path, use string }{
		{"/accounts/{account_id}/zt_risk_scoring/" + bobID + "/reset", "cftriage reset"},
		{"/accounts/{account_id}/access/organizations/revoke_user", "cftriage revoke"},
	} {
		r := f.run(t, "", "api", "POST", c.path, "--body", `{"email":"`+sim.EmailFewEvents+`"}`, "--yes")
		if r.code != ExitRefused || !strings.Contains(r.stderr, c.use) || !strings.Contains(r.stderr, "nothing was sent") {
			t.Errorf("POST %s: exit %d, stderr %q; want %d pointing to %s", c.path, r.code, r.stderr, ExitRefused, c.use)
		}
	}
	if f.sim.Total() != 0 || len(f.auditRecords(t)) != 0 {
		t.Fatalf("%d requests sent, %d records audited", f.sim.Total(), len(f.auditRecords(t)))
	}
}

// A timeout names the call and the remedy; api prints no "→ HTTP 0" for
// an answer that never came.
func TestTimeoutsNameTheCallAndTheRemedy(t *testing.T) {
	f := newFixture(t, sim.Options{})
	f.sim.Inject(sim.Fault{Latency: time.Second})
	r := f.run(t, "", "ip", sim.IPRiskyC2, "--timeout", "100ms")
	if r.code != ExitAPI || !strings.Contains(r.stderr, "IP overview timed out after 100ms") || !strings.Contains(r.stderr, "--timeout") {
		t.Errorf("ip: exit %d, stderr %q; want the call named and --timeout", r.code, r.stderr)
	}
	r = f.run(t, "", "api", "GET", "/accounts/{account_id}/intel/asn/13335", "--timeout", "100ms")
	if r.code != ExitAPI || strings.Contains(r.stdout, "HTTP 0") || !strings.Contains(r.stderr, "API call timed out after 100ms") ||
		!strings.Contains(r.stderr, "--timeout") {
		t.Errorf("api GET: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	f.sim.ClearFaults()
	f.sim.Inject(sim.Fault{Op: opReset, Latency: time.Second})
	r = f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-5", "--yes", "--timeout", "300ms")
	if r.code != ExitUnknown || !strings.Contains(r.stderr, "risk reset timed out after") || !strings.Contains(r.stderr, "--timeout") ||
		strings.Contains(r.stderr, "Try again") {
		t.Errorf("reset: exit %d, stderr %q; want exit 6 naming the call and --timeout, never \"try again\"", r.code, r.stderr)
	}
}

// A redirect refused on a write that was sent is an API outcome (exit 1,
// with its HTTP status), not a usage error: the request did go out.
func TestRefusedRedirectOnAWriteIsAnAPIOutcome(t *testing.T) {
	redirect := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				http.Redirect(w, r, "https://evil.example/elsewhere", http.StatusTemporaryRedirect)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	f := newFixtureWith(t, sim.Options{}, redirect)
	for _, args := range [][]string{
		{"api", "POST", miscatPath, "--body", miscatBody, "--yes"},
		{"reset", sim.EmailFewEvents, "--reason", "INC-3", "--yes"},
	} {
		r := f.run(t, "", args...)
		if r.code != ExitAPI || !strings.Contains(r.stdout+r.stderr, "307") {
			t.Errorf("%v: exit %d (want %d), stdout %q stderr %q", args[:2], r.code, ExitAPI, r.stdout, r.stderr)
		}
	}
	recs := f.auditRecords(t)
	if len(recs) != 4 || recs[0].Outcome != store.OutcomeFailure || recs[0].HTTPStatus != 307 || recs[2].HTTPStatus != 307 {
		t.Fatalf("audit: %+v", recs)
	}
}

// A reset answered 200 with a truncated body was received and applied:
// exit 6 (outcome unknown), the user re-read, and said so.
func TestResetAnsweredUnreadablyIsUnknown(t *testing.T) {
	f := newFixture(t, sim.Options{})
	f.sim.Inject(sim.Fault{Op: opReset, Truncated: true})
	r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-8", "--yes")
	if r.code != ExitUnknown || !strings.Contains(r.stderr, "probably applied") || !strings.Contains(r.stderr, "re-read the user") ||
		!strings.Contains(r.stdout, "UNKNOWN") {
		t.Fatalf("exit %d (want %d)\nstdout %s\nstderr %s", r.code, ExitUnknown, r.stdout, r.stderr)
	}
	if n := f.sim.Count(opReset); n != 1 {
		t.Fatalf("%d resets sent, want 1 (never retried)", n)
	}
	if recs := f.auditRecords(t); len(recs) != 2 || recs[0].Outcome != store.OutcomeUnknown || recs[0].After == nil {
		t.Fatalf("audit: %+v", recs)
	}
}
