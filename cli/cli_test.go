package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const (
	opIP     = "ip-intelligence-get-ip-overview"
	opReset  = "dlp-zt-risk-score-reset-user"
	opRisk   = "dlp-zt-risk-score-user-details"
	opUsers  = "zero-trust-users-get-users"
	opVerify = "user-api-tokens-verify-token"
)

// fixture is an in-process simulator over real HTTP with the
// environment pointing at it, private XDG directories and a mock
// keyring, so commands run exactly as from a shell.
type fixture struct {
	sim   *sim.Sim
	base  string
	state string
}

func newFixture(t *testing.T, opts sim.Options) *fixture {
	t.Helper()
	return newFixtureWith(t, opts, nil)
}

// newFixtureWith is newFixture with a server in front of the simulator:
// wrap gets the simulator's handler and returns the one served (a hostile
// server rewriting some answers). Nil serves the simulator as is.
func newFixtureWith(t *testing.T, opts sim.Options, wrap func(sim http.Handler) http.Handler) *fixture {
	t.Helper()
	keyring.MockInit()
	s := sim.New(opts)
	var h http.Handler = s
	if wrap != nil {
		h = wrap(s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	f := &fixture{sim: s, base: srv.URL + sim.BasePath, state: t.TempDir()}
	t.Setenv("XDG_STATE_HOME", f.state)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv(store.EnvToken, sim.DemoToken)
	t.Setenv(store.EnvAccountID, sim.DemoAccountID)
	t.Setenv(store.EnvBaseURL, f.base)
	clientConfigHook = func(c *cloudflare.Config) { c.BackoffBase = time.Millisecond }
	t.Cleanup(func() { clientConfigHook = nil })
	return f
}

type result struct {
	code           int
	stdout, stderr string
}

// run goes through Main, as the binary does: stdin is not a terminal.
func (f *fixture) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// runTerminal runs with stdin treated as an interactive terminal.
func (f *fixture) runTerminal(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	s := &streams{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		isTerminal: func() bool { return true },
		readSecret: func() (string, error) { return strings.TrimSpace(stdin), nil }}
	code := run(context.Background(), args, s)
	return result{code, out.String(), errb.String()}
}

func (f *fixture) auditRecords(t *testing.T) []store.AuditRecord {
	t.Helper()
	recs, err := store.ReadAudit(filepath.Join(f.state, store.AppName, store.AuditFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// assertNoToken fails t if the raw bytes of the audit log (read without
// parsing, so nothing is unescaped or dropped) contain the token.
func (f *fixture) assertNoToken(t *testing.T) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.state, store.AppName, store.AuditFile))
	if err != nil {
		t.Fatalf("reading the audit log: %v", err)
	}
	if len(b) == 0 {
		t.Fatal("the audit log is empty")
	}
	if bytes.Contains(b, []byte(sim.DemoToken)) {
		t.Fatal("the audit log contains the token")
	}
}

func decode(t *testing.T, r result) map[string]any {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	return m
}

// checkExchange asserts the three fields every connector output has.
func checkExchange(t *testing.T, m map[string]any) {
	t.Helper()
	if m["statusCode"] != float64(200) {
		t.Errorf("statusCode = %v", m["statusCode"])
	}
	h, ok := m["headers"].(map[string]any)
	if !ok || !strings.Contains(h["Content-Type"].(string), "json") {
		t.Errorf("headers = %v", m["headers"])
	}
	raw, _ := m["rawResponse"].(string)
	var env map[string]any
	if json.Unmarshal([]byte(raw), &env) != nil {
		t.Errorf("rawResponse is not the JSON body: %q", raw)
	}
}

func TestIPJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"ip", sim.IPRiskyC2, "--json"}, // flags after the positional
		{"--json", "ip", sim.IPRiskyC2},
		{"ip", "--json", "203.0.113[.]66"}, // defanged
	} {
		m := decode(t, f.run(t, "", args...))
		checkExchange(t, m)
		if m["riskFound"] != true {
			t.Fatalf("%v: riskFound = %v", args, m["riskFound"])
		}
		res := m["result"].([]any)
		first := res[0].(map[string]any)
		if first["ip"] != sim.IPRiskyC2 {
			t.Errorf("result[0].ip = %v", first["ip"])
		}
		// riskType is the first risk type of the result, verbatim.
		rt := m["riskType"].(map[string]any)
		want := first["risk_types"].([]any)[0].(map[string]any)
		if rt["id"] != want["id"] || rt["name"] != want["name"] || rt["name"] == "" {
			t.Errorf("riskType = %v, want %v", rt, want)
		}
	}

	clean := decode(t, f.run(t, "", "ip", sim.IPCleanCF, "--json"))
	if clean["riskFound"] != false || clean["riskType"] != nil {
		t.Errorf("clean IP: riskFound %v riskType %v", clean["riskFound"], clean["riskType"])
	}
	if _, present := clean["riskType"]; !present {
		t.Error("riskType must be present (null) for a clean IP")
	}
}

func TestDomainJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "domain", strings.ToUpper(strings.Replace(sim.DomainPhishing, ".", "[.]", 1))+".", "--json"))
	checkExchange(t, m)
	res := m["result"].(map[string]any)
	if res["domain"] != sim.DomainPhishing {
		t.Errorf("result.domain = %v", res["domain"])
	}
	if _, ok := m["contentCategories"].([]any); !ok {
		t.Errorf("contentCategories = %#v, want an array", m["contentCategories"])
	}
	if !strings.Contains(strings.ToLower(mustJSON(t, res["risk_types"])), "phishing") {
		t.Errorf("risk_types = %v", res["risk_types"])
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestUserJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "user", strings.ToUpper(sim.EmailFewEvents), "--json")
	m := decode(t, r)
	checkExchange(t, m)
	if m["email"] != sim.EmailFewEvents || m["name"] != "Bob Martin" || m["riskLevel"] != "high" {
		t.Errorf("email %v name %v riskLevel %v", m["email"], m["name"], m["riskLevel"])
	}
	if s, ok := m["lastResetTime"].(string); !ok || s == "" {
		t.Errorf("lastResetTime = %v", m["lastResetTime"])
	}
	events, ok := m["riskEvents"].([]any)
	if !ok || len(events) == 0 {
		t.Fatalf("riskEvents = %v", m["riskEvents"])
	}
	// The hostile event details survive decoding (the data is faithful)
	// but never appear raw in the output bytes.
	if !strings.Contains(r.stdout, `\u001b`) {
		t.Error("expected an escaped ESC from the hostile event details")
	}
	assertNoTerminalControls(t, r.stdout)
	if !strings.Contains(mustJSON(t, events), `\u001b]52`) {
		t.Error("the decoded events lost the hostile user agent")
	}

	none := decode(t, f.run(t, "", "user", sim.EmailNoEvents, "--json"))
	if none["riskLevel"] != nil || none["lastResetTime"] != nil {
		t.Errorf("user without risk: riskLevel %v lastResetTime %v, want null", none["riskLevel"], none["lastResetTime"])
	}
	if ev, ok := none["riskEvents"].([]any); !ok || len(ev) != 0 {
		t.Errorf("riskEvents = %#v, want []", none["riskEvents"])
	}
}

// assertNoTerminalControls fails on ESC, BEL, C1 controls or bidi
// overrides in s.
func assertNoTerminalControls(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("control rune %U at byte %d in output:\n%q", r, i, s)
		}
	}
}

func TestHumanOutputIsSanitized(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct {
		args []string
		want string // proves the hostile record was printed at all
	}{
		{[]string{"domain", sim.DomainC2}, "Fluxnet Privacy"},
		{[]string{"ip", sim.IPRiskyC2}, "." + sim.DomainC2},
		{[]string{"user", sim.EmailFewEvents}, "curl/8.4.0"},
	} {
		r := f.run(t, "", tc.args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d %s", tc.args, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, tc.want) {
			t.Errorf("%v: output lacks %q:\n%s", tc.args, tc.want, r.stdout)
		}
		assertNoTerminalControls(t, r.stdout)
		assertNoTerminalControls(t, r.stderr)
	}
}

func TestInvalidInputSendsNothing(t *testing.T) {
	f := newFixture(t, sim.Options{})
	bodyFile := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bodyFile, []byte("{nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"ip", "999.1.2.3"},
		{"ip", "example.com"},
		{"ip"},
		{"ip", "1.1.1.1", "2.2.2.2"},
		{"domain", "not a domain!"},
		{"domain", "https://"},
		{"user", "not-an-email"},
		{"reset", "not-an-email", "--reason", "x", "--yes"},
		{"reset", sim.EmailFewEvents, "--yes"}, // no reason
		{"api", "POST", "/accounts/{account_id}/x", "--body", "{bad", "--yes"},
		{"api", "POST", "/accounts/{account_id}/x", "--body", "@" + bodyFile, "--yes"},
		{"api", "GET", "/x", "--query", "novalue"},
		{"api", "GET", "/x", "--header", "Authorization=Bearer x"},
		{"api", "G E T", "/x"},
		{"api", "GET"},
		{"ip", "1.1.1.1", "--nope"},
		{"ip", "1.1.1.1", "--timeout", "soon"},
		{"frobnicate"},
		{"auth", "dance"},
	} {
		r := f.run(t, "", args...)
		if r.code != ExitUsage {
			t.Errorf("%q: exit %d, want %d (stderr %q)", args, r.code, ExitUsage, r.stderr)
		}
		if r.stderr == "" {
			t.Errorf("%q: no message on stderr", args)
		}
		if n := f.sim.Total(); n != 0 {
			t.Fatalf("%q: %d requests sent for invalid input", args, n)
		}
	}
}

func TestResetRefusedWithoutTerminal(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "y\n", "reset", sim.EmailFewEvents, "--reason", "INC-1")
	if r.code != ExitRefused || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stderr, "not a terminal") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if f.sim.Count(opReset) != 0 || f.sim.Total() != 0 {
		t.Fatalf("requests sent: %v", f.sim.Counts())
	}
	if len(f.auditRecords(t)) != 0 {
		t.Fatal("a refused reset was audited")
	}
}

func TestResetWithYes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-7 cleared", "--yes")
	if r.code != 0 {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if n := f.sim.Count(opReset); n != 1 {
		t.Fatalf("%d POSTs", n)
	}
	if !strings.Contains(r.stdout, "success") || !strings.Contains(r.stdout, "→") {
		t.Errorf("no before → after summary:\n%s", r.stdout)
	}
	recs := f.auditRecords(t)
	if len(recs) != 2 {
		t.Fatalf("%d audit records, want 2", len(recs))
	}
	out, in := recs[0], recs[1] // newest first
	if in.Phase != store.PhaseIntent || out.Phase != store.PhaseOutcome || out.Outcome != store.OutcomeSuccess ||
		in.Reason != "INC-7 cleared" || in.TargetEmail != sim.EmailFewEvents || in.Operator.TokenID == "" || in.Operator.TokenID == "unknown" {
		t.Fatalf("audit records: %+v / %+v", in, out)
	}
	b, err := os.ReadFile(filepath.Join(f.state, store.AppName, store.AuditFile))
	if err != nil || strings.Contains(string(b), sim.DemoToken) {
		t.Fatalf("audit log unreadable or contains the token: %v", err)
	}

	// audit lists it, audit verify accepts the chain.
	list := f.run(t, "", "audit", "--json")
	var listed []store.AuditRecord
	if list.code != 0 || json.Unmarshal([]byte(list.stdout), &listed) != nil || len(listed) != 2 {
		t.Fatalf("audit --json: exit %d %q", list.code, list.stdout)
	}
	if v := f.run(t, "", "audit", "verify"); v.code != 0 || !strings.Contains(v.stdout, "OK") {
		t.Fatalf("audit verify: exit %d %q %q", v.code, v.stdout, v.stderr)
	}
	if h := f.run(t, "", "audit", "--limit", "1"); h.code != 0 || strings.Count(h.stdout, "\n") != 1 || !strings.Contains(h.stdout, "success") {
		t.Fatalf("audit --limit 1: %q", h.stdout)
	}
}

func TestResetJSONAndExitCodes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "reset", sim.EmailManyEvents, "--reason", "r", "--yes", "--json"))
	if m["success"] != true || m["statusCode"] != float64(200) {
		t.Fatalf("reset json: %v", m)
	}
	if _, ok := m["rawResponse"].(string); !ok {
		t.Fatalf("rawResponse missing: %v", m)
	}

	f.sim.Inject(sim.Fault{Op: opReset, Status: 500, Times: 1})
	r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "r", "--yes")
	if r.code != ExitAPI || f.sim.Count(opReset) != 2 {
		t.Fatalf("500: exit %d, %d POSTs in total (want 1 and 2)", r.code, f.sim.Count(opReset))
	}
	f.assertNoToken(t)

	r = f.run(t, "", "reset", "nobody@acme-corp.example", "--reason", "r", "--yes")
	if r.code != ExitNotFound {
		t.Fatalf("unknown user: exit %d %q", r.code, r.stderr)
	}

	r = f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "r", "--yes", "--read-only")
	if r.code != ExitRefused || f.sim.Count(opReset) != 2 {
		t.Fatalf("read-only: exit %d", r.code)
	}

	f.sim.Inject(sim.Fault{Op: opReset, Latency: 3 * time.Second, Times: 1})
	r = f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "r", "--yes", "--timeout", "300ms")
	if r.code != ExitUnknown || !strings.Contains(r.stderr, "unknown") || !strings.Contains(r.stderr, "re-read the user") || f.sim.Count(opReset) != 3 {
		t.Fatalf("timeout: exit %d, %d POSTs, stderr %q", r.code, f.sim.Count(opReset), r.stderr)
	}
}

func TestResetOnTerminalAsks(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.runTerminal(t, "yes\n", "reset", sim.EmailFewEvents, "--reason", "r")
	if r.code != ExitRefused || f.sim.Count(opReset) != 0 {
		t.Fatalf("wrong confirmation: exit %d, %d POSTs", r.code, f.sim.Count(opReset))
	}
	if !strings.Contains(r.stderr, "Type the user's email") {
		t.Fatalf("no prompt: %q", r.stderr)
	}
	r = f.runTerminal(t, sim.EmailFewEvents+"\n", "reset", sim.EmailFewEvents, "--reason", "r")
	if r.code != 0 || f.sim.Count(opReset) != 1 {
		t.Fatalf("confirmed: exit %d, %d POSTs, %q", r.code, f.sim.Count(opReset), r.stderr)
	}
}

func TestUserExitCodes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "user", "nobody@acme-corp.example"); r.code != ExitNotFound {
		t.Fatalf("not found: exit %d", r.code)
	}
	r := f.run(t, "", "user", sim.EmailTwoUsers)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--user-id") {
		t.Fatalf("two users: exit %d %q", r.code, r.stderr)
	}
	// The candidates are listed; either id picks one.
	var id string
	for _, line := range strings.Split(r.stderr, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && len(f[0]) > 20 {
			id = f[0]
		}
	}
	if id == "" {
		t.Fatalf("no candidate ids listed: %q", r.stderr)
	}
	if r := f.run(t, "", "user", sim.EmailTwoUsers, "--user-id", id); r.code != 0 {
		t.Fatalf("--user-id: exit %d %q", r.code, r.stderr)
	}

	f.sim.Inject(sim.Fault{Op: opIP, Status: 500})
	r = f.run(t, "", "ip", sim.IPRiskyC2, "--json")
	if r.code != ExitAPI || r.stderr == "" {
		t.Fatalf("500: exit %d %q", r.code, r.stderr)
	}
	// With --json the failed exchange is still printed for scripts.
	var m map[string]any
	if json.Unmarshal([]byte(r.stdout), &m) != nil || m["statusCode"] != float64(500) {
		t.Fatalf("500 --json output: %q", r.stdout)
	}
}

func TestAPI(t *testing.T) {
	var writes atomic.Int64
	f := newFixtureWith(t, sim.Options{}, withWrites(&writes))
	m := decode(t, f.run(t, "", "api", "GET", "/accounts/{account_id}/intel/ip", "--query", "ipv4="+sim.IPRiskyC2, "--json"))
	checkExchange(t, m)
	if !strings.Contains(m["rawResponse"].(string), sim.IPRiskyC2) {
		t.Errorf("rawResponse: %v", m["rawResponse"])
	}
	if len(m) != 3 {
		t.Errorf("api output has extra keys: %v", m)
	}
	if len(f.auditRecords(t)) != 0 {
		t.Fatal("a GET was audited")
	}

	// POST without --yes and without a terminal: refused, nothing sent.
	f.sim.ResetCounts()
	r := f.run(t, "", "api", "POST", miscatPath, "--body", miscatBody)
	if r.code != ExitRefused || !strings.Contains(r.stderr, "refusing to send POST without --yes: stdin is not a terminal") || f.sim.Total() != 0 {
		t.Fatalf("POST without --yes: exit %d %q, %d requests", r.code, r.stderr, f.sim.Total())
	}
	r = f.run(t, "", "api", "DELETE", "/accounts/{account_id}/x", "--yes", "--read-only")
	if r.code != ExitRefused || f.sim.Total() != 0 {
		t.Fatalf("read-only DELETE: exit %d, %d requests", r.code, f.sim.Total())
	}

	// On a terminal, "n" sends nothing.
	r = f.runTerminal(t, "n\n", "api", "POST", "/accounts/{account_id}/x")
	if r.code != ExitRefused || f.sim.Total() != 0 {
		t.Fatalf("declined POST: exit %d, %d requests", r.code, f.sim.Total())
	}

	// Another host: refused before anything is sent.
	r = f.run(t, "", "api", "GET", "https://evil.example/client/v4/user/tokens/verify")
	if r.code != ExitUsage || f.sim.Total() != 0 {
		t.Fatalf("foreign host: exit %d %q, %d requests", r.code, r.stderr, f.sim.Total())
	}
	r = f.run(t, "", "api", "POST", "https://evil.example/x", "--yes")
	if r.code != ExitUsage || f.sim.Total() != 0 || len(f.auditRecords(t)) != 0 {
		t.Fatalf("foreign host POST: exit %d, %d requests", r.code, f.sim.Total())
	}

	// A confirmed POST: sent once and audited.
	f.sim.ResetCounts()
	r = f.run(t, "", "api", "post", miscatPath, "--body", miscatBody, "--yes", "--json")
	if r.code != 0 || writes.Load() != 1 {
		t.Fatalf("POST --yes: exit %d %q, %d POSTs", r.code, r.stderr, writes.Load())
	}
	recs := f.auditRecords(t)
	if len(recs) != 2 || recs[1].Action != store.ActionAPICall || recs[1].Method != "POST" || recs[0].HTTPStatus != 200 {
		t.Fatalf("audit: %+v", recs)
	}

	// A non-2xx answer is still printed for scripts. A 404 exits 3 (not
	// found), as every command does when the API finds nothing; any other
	// API error exits 1.
	r = f.run(t, "", "api", "GET", "/accounts/{account_id}/no/such/path", "--json")
	var m2 map[string]any
	if r.code != ExitNotFound || json.Unmarshal([]byte(r.stdout), &m2) != nil || m2["statusCode"] != float64(404) {
		t.Fatalf("unknown path: exit %d (want %d) stdout %q", r.code, ExitNotFound, r.stdout)
	}
	f.sim.Inject(sim.Fault{Op: opIP, Status: 403})
	r = f.run(t, "", "api", "GET", "/accounts/{account_id}/intel/ip", "--query", "ipv4="+sim.IPRiskyC2, "--json")
	var m3 map[string]any
	if r.code != ExitAPI || json.Unmarshal([]byte(r.stdout), &m3) != nil || m3["statusCode"] != float64(403) {
		t.Fatalf("403: exit %d (want %d) stdout %q", r.code, ExitAPI, r.stdout)
	}
}

func mustClient(t *testing.T, f *fixture) *cloudflare.Client {
	c, err := cloudflare.New(cloudflare.Config{BaseURL: f.base, Token: sim.DemoToken, AccountID: sim.DemoAccountID})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMissingCredentials(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	r := f.run(t, "", "ip", sim.IPRiskyC2)
	if r.code != ExitConfig || !strings.Contains(r.stderr, "no API token: set CLOUDFLARE_API_TOKEN, run `cftriage auth login`, or try --demo") {
		t.Fatalf("no token: exit %d %q", r.code, r.stderr)
	}
	t.Setenv(store.EnvToken, sim.DemoToken)
	t.Setenv(store.EnvAccountID, "")
	r = f.run(t, "", "user", sim.EmailFewEvents)
	if r.code != ExitConfig || !strings.Contains(r.stderr, "no account id") {
		t.Fatalf("no account: exit %d %q", r.code, r.stderr)
	}
	if f.sim.Total() != 0 {
		t.Fatalf("%d requests without credentials", f.sim.Total())
	}
	// --account-id supplies it.
	if r := f.run(t, "", "user", sim.EmailFewEvents, "--account-id", sim.DemoAccountID); r.code != 0 {
		t.Fatalf("--account-id: exit %d %q", r.code, r.stderr)
	}
}

func TestDemo(t *testing.T) {
	f := newFixture(t, sim.Options{})
	// --demo ignores the environment's credentials and base URL.
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvBaseURL, "https://api.invalid/client/v4")
	m := decode(t, f.run(t, "", "ip", sim.IPRiskyC2, "--demo", "--json"))
	if m["riskFound"] != true {
		t.Fatalf("demo ip: %v", m)
	}
	if f.sim.Total() != 0 {
		t.Fatal("--demo used the test simulator instead of its own")
	}
}

func TestConsoleHook(t *testing.T) {
	f := newFixture(t, sim.Options{})
	old := Console
	t.Cleanup(func() { Console = old })

	Console = nil
	r := f.run(t, "")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "console not built yet") {
		t.Fatalf("nil console: exit %d %q", r.code, r.stderr)
	}

	var got *actions.Session
	Console = func(ctx context.Context, s *actions.Session) error { got = s; return nil }
	if r := f.run(t, "", "--read-only", "--profile", "work"); r.code != 0 {
		t.Fatalf("console: exit %d %q", r.code, r.stderr)
	}
	if got == nil || got.Client == nil || !got.ReadOnly || got.Profile != "work" || got.AccountID != sim.DemoAccountID || got.Audit == nil {
		t.Fatalf("session: %+v", got)
	}

	// Nothing configured: the console still starts (first-run screen).
	t.Setenv(store.EnvToken, "")
	got = nil
	if r := f.run(t, ""); r.code != 0 || got == nil || got.Client != nil {
		t.Fatalf("first run: exit %d, session %+v", r.code, got)
	}
	c, err := got.NewClient(sim.DemoToken, sim.DemoAccountID)
	if err != nil || c == nil {
		t.Fatalf("NewClient: %v", err)
	}

	got = nil
	if r := f.run(t, "", "--demo"); r.code != 0 || got == nil || !got.Demo || got.Client == nil || len(got.Suggestions) == 0 {
		t.Fatalf("demo console: exit %d, session %+v", r.code, got)
	}
}

func TestVersionAndHelp(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "cftriage ") {
		t.Fatalf("version: %d %q", r.code, r.stdout)
	}
	r := f.run(t, "", "help")
	if r.code != 0 || !strings.Contains(r.stdout, "Exit codes") || !strings.Contains(r.stdout, "reset <email>") {
		t.Fatalf("help: %d %q", r.code, r.stdout)
	}
}
