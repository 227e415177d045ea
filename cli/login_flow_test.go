package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestConsoleSessionCarriesTheLoginBaseURL: the console's first-run
// screen stores what --base-url gave, as `auth login` does; the
// environment's base URL is not the profile's.
func TestConsoleSessionCarriesTheLoginBaseURL(t *testing.T) {
	f := newFixture(t, sim.Options{})
	old := Console
	t.Cleanup(func() { Console = old })
	var got *actions.Session
	Console = func(ctx context.Context, s *actions.Session) error { got = s; return nil }
	t.Setenv(store.EnvToken, "")
	if r := f.run(t, "", "--base-url", f.base); r.code != 0 || got == nil || got.LoginBaseURL != f.base {
		t.Fatalf("exit %d, session %+v", r.code, got)
	}
	if r := f.run(t, ""); r.code != 0 || got.LoginBaseURL != "" {
		t.Fatalf("from the environment: exit %d, LoginBaseURL %q", r.code, got.LoginBaseURL)
	}
}

// TestAuthLoginPrefixedAccountTokenNeedsItsAccount: a cfat_ token is an
// account API token; without an account id nothing is sent.
func TestAuthLoginPrefixedAccountTokenNeedsItsAccount(t *testing.T) {
	f := newFixture(t, sim.Options{})
	t.Setenv(store.EnvToken, "")
	t.Setenv(store.EnvAccountID, "")
	r := f.run(t, "cfat_0123456789abcdef0123456789abcdef0123\n", "auth", "login", "--with-token")
	if r.code != ExitConfig || !strings.Contains(r.stderr, "account API token (cfat_…)") || !strings.Contains(r.stderr, "--account-id") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests", n)
	}
}

// intelServer answers every Intel call with status and body, and the
// rest with success; it counts the Intel calls.
func intelServer(t *testing.T, status int, retryAfter, body string) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "/intel/") {
			n.Add(1)
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			fmt.Fprint(w, body)
			return
		}
		fmt.Fprint(w, `{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0","status":"active"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + sim.BasePath, &n
}

// TestIntelRefusalsSayWhatTheyAre: an Intel API refusing an
// account-owned token says exactly that (no permission can fix it), and
// a used-up monthly quota is named as such, not as "rate limited".
func TestIntelRefusalsSayWhatTheyAre(t *testing.T) {
	newFixture(t, sim.Options{})
	base, n := intelServer(t, http.StatusForbidden, "",
		`{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}`)
	t.Setenv(store.EnvBaseURL, base)
	t.Setenv(store.EnvToken, "cfat_0123456789abcdef0123456789abcdef0123")
	var out, errb strings.Builder
	code := Main([]string{"ip", "192.0.2.1"}, strings.NewReader(""), &out, &errb)
	if code != ExitAPI || !strings.Contains(errb.String(), "for an account-owned API token") ||
		!strings.Contains(errb.String(), "Intel APIs do not accept account-owned API tokens") || strings.Contains(errb.String(), "lacks the") {
		t.Fatalf("account token: exit %d %q", code, errb.String())
	}
	if n.Load() != 1 {
		t.Fatalf("%d intel calls", n.Load())
	}

	base, n = intelServer(t, http.StatusTooManyRequests, "86400",
		`{"success":false,"errors":[{"code":1015,"message":"Monthly quota of Security Center API calls exceeded"}],"messages":[],"result":null}`)
	t.Setenv(store.EnvBaseURL, base)
	t.Setenv(store.EnvToken, sim.DemoToken)
	out.Reset()
	errb.Reset()
	code = Main([]string{"domain", "example.com"}, strings.NewReader(""), &out, &errb)
	msg := errb.String()
	if code != ExitAPI || !strings.Contains(msg, "the Intel APIs' monthly quota is used up") || !strings.Contains(msg, "not the 5-minute rate limit") ||
		!strings.Contains(msg, "100 calls a month") || strings.Contains(msg, "rate limited by Cloudflare") {
		t.Fatalf("quota: exit %d %q", code, msg)
	}
	if n.Load() != 1 {
		t.Fatalf("a used-up quota was retried: %d intel calls", n.Load())
	}
}
