package contracttest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cftriage/internal/contracttest"
)

// recordingTB captures what Wrap reports instead of failing the test.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
	logs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprint(args...))
}

func (r *recordingTB) Logf(format string, args ...any) { r.Log(fmt.Sprintf(format, args...)) }

func (r *recordingTB) reports() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

const acctPath = "/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353"

// fixed answers every request with the given status and body.
func fixed(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	})
}

// exchange sends one request through Wrap(h) and returns what was reported
// and the body the client received.
func exchange(t *testing.T, h http.Handler, method, path, token string, opts ...contracttest.Option) ([]string, string) {
	t.Helper()
	rec := &recordingTB{TB: t}
	srv := httptest.NewServer(contracttest.Wrap(rec, h, opts...))
	defer srv.Close()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return rec.reports(), string(b)
}

func TestSpecPath(t *testing.T) {
	p, found := contracttest.SpecPath()
	if !found {
		t.Skip(contracttest.SkipMessage)
	}
	if filepath.Base(p) != "openapi.json" || filepath.Base(filepath.Dir(filepath.Dir(p))) != "shared" {
		t.Errorf("SpecPath() = %s", p)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(p))), "main", "go.mod")); err != nil {
		// The checkout may not be called main; the spec must at least sit
		// beside a directory holding go.mod.
		t.Logf("repo root is not named main: %v", err)
	}
	doc := contracttest.Load(t)
	if doc.Paths.Find("/accounts/{account_id}/intel/ip") == nil {
		t.Error("loaded contract lacks the IP overview")
	}
}

const okIP = `{"success":true,"errors":[],"messages":[],"result":[{"ip":"192.0.2.1","belongs_to_ref":{"id":"x","country":"US","description":"X","type":"isp","value":"64501"},"risk_types":[]}]}`

func TestWrapAcceptsConformingExchange(t *testing.T) {
	contracttest.Load(t)
	errs, body := exchange(t, fixed(200, okIP), "GET", acctPath+"/intel/ip?ipv4=192.0.2.1", "tok")
	if len(errs) != 0 {
		t.Errorf("reported %v", errs)
	}
	if body != okIP {
		t.Errorf("client got %q", body)
	}
}

func TestWrapReportsBadResponses(t *testing.T) {
	contracttest.Load(t)
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"result not an array":  {200, `{"success":true,"errors":[],"messages":[],"result":{"ip":"192.0.2.1"}}`},
		"missing errors":       {200, `{"success":true,"messages":[],"result":[]}`},
		"bad ip type":          {200, `{"success":true,"errors":[],"messages":[],"result":[{"ip":"not-an-ip"}]}`},
		"4xx claiming success": {400, `{"success":true,"errors":[],"messages":[],"result":null}`},
		"4xx without errors":   {403, `{"success":false,"messages":[],"result":null}`},
		"4xx with a low code":  {429, `{"success":false,"errors":[{"code":971,"message":"slow down"}],"messages":[],"result":null}`},
	} {
		t.Run(name, func(t *testing.T) {
			errs, _ := exchange(t, fixed(tc.status, tc.body), "GET", acctPath+"/intel/ip?ipv4=192.0.2.1", "tok")
			if len(errs) != 1 || !strings.Contains(errs[0], "response violates ip-intelligence-get-ip-overview") {
				t.Errorf("reported %q", errs)
			}
		})
	}
}

// The intel and WHOIS 4XX schemas can only be met by their failure branch.
func TestWrapAcceptsErrorEnvelopes(t *testing.T) {
	contracttest.Load(t)
	const e = `{"success":false,"errors":[{"code":1003,"message":"bad"}],"messages":[],"result":null}`
	for _, p := range []string{
		"/intel/ip?ipv4=x", "/intel/whois?domain=x", "/intel/asn/1/subnets", "/access/users", "/zt_risk_scoring/summary",
	} {
		if errs, _ := exchange(t, fixed(400, e), "GET", acctPath+p, "tok"); len(errs) != 0 {
			t.Errorf("%s: reported %v", p, errs)
		}
	}
	// No schema for 5xx: anything goes.
	if errs, _ := exchange(t, fixed(502, "<html>"), "GET", acctPath+"/intel/ip?ipv4=x", "tok"); len(errs) != 0 {
		t.Errorf("502 reported %v", errs)
	}
}

func TestWrapReportsBadRequests(t *testing.T) {
	contracttest.Load(t)
	h := fixed(200, `{"success":true,"errors":[],"messages":[],"result":[]}`)
	errs, _ := exchange(t, h, "GET", "/client/v4/accounts?per_page=100", "tok")
	if len(errs) != 1 || !strings.Contains(errs[0], "request violates accounts-list-accounts") {
		t.Errorf("per_page=100: reported %q", errs)
	}
	errs, _ = exchange(t, h, "GET", "/client/v4/accounts", "")
	if len(errs) != 1 || !strings.Contains(errs[0], "request violates") {
		t.Errorf("no credentials: reported %q", errs)
	}
	if errs, _ := exchange(t, h, "GET", "/client/v4/accounts?per_page=100", "", contracttest.AllowInvalidRequests()); len(errs) != 0 {
		t.Errorf("AllowInvalidRequests still reported %q", errs)
	}
	errs, _ = exchange(t, h, "GET", "/client/v4/zones", "tok")
	if len(errs) != 1 || !strings.Contains(errs[0], "not an operation of the contract") {
		t.Errorf("unknown path: reported %q", errs)
	}
	errs, _ = exchange(t, h, "DELETE", "/client/v4/accounts", "tok")
	if len(errs) != 1 {
		t.Errorf("wrong method: reported %q", errs)
	}
	if errs, _ := exchange(t, h, "GET", "/client/v4/zones", "tok", contracttest.AllowUnknownPaths()); len(errs) != 0 {
		t.Errorf("AllowUnknownPaths still reported %q", errs)
	}
}

// summary is a literal segment beside {user_id}: it must route to the
// summary operation, whose answer has a users list.
func TestWrapRoutesSummaryBeforeUserID(t *testing.T) {
	contracttest.Load(t)
	summary := `{"success":true,"errors":[],"messages":[],"result":{"users":[]}}`
	if errs, _ := exchange(t, fixed(200, summary), "GET", acctPath+"/zt_risk_scoring/summary", "tok"); len(errs) != 0 {
		t.Errorf("summary reported %v", errs)
	}
}

func TestWrapPassesRequestBody(t *testing.T) {
	contracttest.Load(t)
	var got string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"success":true,"errors":[],"messages":[],"result":{}}`)
	})
	rec := &recordingTB{TB: t}
	srv := httptest.NewServer(contracttest.Wrap(rec, h))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+acctPath+"/zt_risk_scoring/f2108713-1206-4e84-8b80-0e71a6a1c67b/reset", strings.NewReader("x"))
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "x" {
		t.Errorf("handler read body %q", got)
	}
	if errs := rec.reports(); len(errs) != 0 {
		t.Errorf("reported %v", errs)
	}
}

// get sends one GET with a token to h over real HTTP and returns the body.
func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// badIP is an IP overview answer that breaks the contract.
const badIP = `{"success":true,"errors":[],"messages":[],"result":{"ip":"192.0.2.1"}}`

// With the contract present, WrapIfAvailable validates like Wrap.
func TestWrapIfAvailableValidates(t *testing.T) {
	contracttest.Load(t)
	rec := &recordingTB{TB: t}
	get(t, contracttest.WrapIfAvailable(rec, fixed(200, badIP)), acctPath+"/intel/ip?ipv4=192.0.2.1")
	if errs := rec.reports(); len(errs) != 1 || !strings.Contains(errs[0], "response violates") {
		t.Errorf("reported %q", errs)
	}
}

// passThrough is a comparable handler, so the test can tell whether
// WrapIfAvailable returned it unchanged.
type passThrough struct{ h http.Handler }

func (p *passThrough) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.h.ServeHTTP(w, r) }

// Without the contract, WrapIfAvailable returns the handler itself and
// says why, and the test goes on (Wrap would skip it). The contract is
// found from the working directory, so the check runs in a child process
// started outside the module, where there is no ../shared to find.
func TestWrapIfAvailableWithoutContract(t *testing.T) {
	if os.Getenv("CONTRACTTEST_CHILD") == "absent" {
		if p, found := contracttest.SpecPath(); found {
			t.Fatalf("the child found the contract at %s", p)
		}
		rec := &recordingTB{TB: t}
		h := &passThrough{fixed(200, badIP)}
		got := contracttest.WrapIfAvailable(rec, h)
		if got != http.Handler(h) {
			t.Fatalf("WrapIfAvailable wrapped the handler (%T) without a contract", got)
		}
		if body := get(t, got, acctPath+"/intel/ip?ipv4=192.0.2.1"); body != badIP {
			t.Errorf("client got %q", body)
		}
		if errs := rec.reports(); len(errs) != 0 {
			t.Errorf("reported %q", errs)
		}
		if len(rec.logs) != 1 || !strings.Contains(rec.logs[0], contracttest.SkipMessage) {
			t.Errorf("logged %q, want the skip message", rec.logs)
		}
		return
	}
	exe, err := filepath.Abs(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestWrapIfAvailableWithoutContract$", "-test.count=1", "-test.v")
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "CONTRACTTEST_CHILD=absent")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestWrapIfAvailableWithoutContract") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}
