package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// pathLog records the paths a test server saw.
type pathLog struct {
	mu    sync.Mutex
	paths []string
}

func (p *pathLog) add(s string) { p.mu.Lock(); p.paths = append(p.paths, s); p.mu.Unlock() }
func (p *pathLog) all() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.paths...)
}

const verifyOK = `{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0","status":"active"}}`
const invalidToken = `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}`

// TestVerifyTokenRoutesByPrefix: cfat_ tokens verify at the account
// endpoint only, cfut_ tokens at the user endpoint only; a token without
// a prefix is tried at the user endpoint, then the account one.
func TestVerifyTokenRoutesByPrefix(t *testing.T) {
	log := &pathLog{}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		log.add(r.URL.Path)
		if strings.HasSuffix(r.URL.Path, "/accounts/"+testAccount+"/tokens/verify") {
			fmt.Fprint(w, verifyOK)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, invalidToken)
	})
	user := "/client/v4/user/tokens/verify"
	acct := "/client/v4/accounts/" + testAccount + "/tokens/verify"
	for _, c := range []struct {
		token, account string
		paths          []string
		kind           string // "" = an error
	}{
		{"cfat_" + strings.Repeat("a", 40), testAccount, []string{acct}, "account"},
		{"cfut_" + strings.Repeat("b", 40), testAccount, []string{user}, ""},
		{strings.Repeat("c", 40), testAccount, []string{user, acct}, "account"},
		{strings.Repeat("c", 40), "", []string{user}, ""},
	} {
		cl, _ := newTestClient(t, srv.URL+"/client/v4", func(cfg *Config) { cfg.Token, cfg.AccountID = c.token, c.account })
		before := len(log.all())
		st, _, err := cl.VerifyToken(context.Background())
		got := log.all()[before:]
		if fmt.Sprint(got) != fmt.Sprint(c.paths) {
			t.Errorf("%s…: asked %v, want %v", c.token[:5], got, c.paths)
		}
		if (err == nil) != (c.kind != "") || st.Kind != c.kind {
			t.Errorf("%s…: %+v, %v; want kind %q", c.token[:5], st, err, c.kind)
		}
	}
	// An account token without an account id: said, and nothing sent.
	cl, _ := newTestClient(t, srv.URL+"/client/v4", func(cfg *Config) { cfg.Token, cfg.AccountID = "cfat_"+strings.Repeat("a", 40), "" })
	before := srv.Count()
	_, _, err := cl.VerifyToken(context.Background())
	e := wantKind(t, err, KindInput)
	if !strings.Contains(e.Message, "account API token (cfat_…)") || srv.Count() != before {
		t.Fatalf("%q, %d requests", e.Message, srv.Count()-before)
	}
	if TokenKind(" cfat_x") != "account" || TokenKind("cfut_x") != "user" || TokenKind("abc") != "" {
		t.Fatal("TokenKind")
	}
}

// TestIntelRefusesAccountTokens: an Intel API refusing an account-owned
// token is KindAccountToken, whether the prefix or a verify told the
// kind; with the kind unknown the refusal keeps its kind and says so.
func TestIntelRefusesAccountTokens(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/tokens/verify") && strings.Contains(r.URL.Path, "/accounts/"):
			fmt.Fprint(w, verifyOK)
		case strings.HasSuffix(r.URL.Path, "/tokens/verify"):
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, invalidToken)
		default:
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"messages":[],"result":null}`)
		}
	})
	base := srv.URL + "/client/v4"
	prefixed, _ := newTestClient(t, base, func(cfg *Config) { cfg.Token = "cfat_" + strings.Repeat("a", 40) })
	before := srv.Count()
	_, _, err := prefixed.IPOverview(context.Background(), "192.0.2.1")
	e := wantKind(t, err, KindAccountToken)
	if srv.Count()-before != 1 || e.StatusCode != 403 || !strings.Contains(e.Message, "for an account-owned API token") ||
		!strings.Contains(e.Message, "Unauthorized to access requested resource") || !e.IntelCall() {
		t.Fatalf("prefix: %d requests, %+v", srv.Count()-before, e)
	}
	_, err = prefixed.Raw(context.Background(), RawRequest{Method: "GET", Path: "/accounts/{account_id}/intel/asn/13335"})
	wantKind(t, err, KindAccountToken)

	legacy, _ := newTestClient(t, base, nil)
	_, _, err = legacy.Whois(context.Background(), "example.com")
	if e := wantKind(t, err, KindPermission); e.TokenKind != "" || !e.IntelCall() {
		t.Fatalf("unknown kind: %+v", e)
	}
	if _, _, err := legacy.VerifyToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, _, err = legacy.Whois(context.Background(), "example.com")
	wantKind(t, err, KindAccountToken)
	// Other APIs accept account tokens: their refusals stay what they are.
	_, _, err = legacy.RiskSummary(context.Background())
	wantKind(t, err, KindPermission)
}

// TestIdentityIsRememberedPerClient: the token id for the audit log is
// verified once per client and kept by it; another client asks again.
func TestIdentityIsRememberedPerClient(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, verifyOK) })
	a, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	for range 3 {
		st, err := a.Identity(context.Background())
		if err != nil || st.ID != "ed17574386854bf78a67040be0a770b0" || st.Kind != "user" {
			t.Fatalf("%+v %v", st, err)
		}
	}
	if srv.Count() != 1 {
		t.Fatalf("%d verifies for one client", srv.Count())
	}
	b, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	if _, err := b.Identity(context.Background()); err != nil || srv.Count() != 2 {
		t.Fatalf("second client: %v, %d requests", err, srv.Count())
	}
}

// TestMonthlyQuotaIsNotTheRateLimit: a 429 that speaks of a monthly quota
// is KindQuotaUsedUp — not retried, and it does not block other calls —
// while the 5-minute limit's 429 stays KindRateLimited.
func TestMonthlyQuotaIsNotTheRateLimit(t *testing.T) {
	for _, msg := range []string{
		"Monthly quota of Security Center API calls exceeded",
		"You have used up this month's quota for this API",
		"Quota exceeded: 100 requests per month",
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/intel/") {
				w.Header().Set("Retry-After", "86400")
				w.WriteHeader(http.StatusTooManyRequests)
				fmt.Fprintf(w, `{"success":false,"errors":[{"code":1015,"message":%q}],"messages":[],"result":null}`, msg)
				return
			}
			fmt.Fprint(w, `{"success":true,"errors":[],"messages":[],"result":{"users":[]}}`)
		})
		c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
		_, _, err := c.IPOverview(context.Background(), "192.0.2.1")
		e := wantKind(t, err, KindQuotaUsedUp)
		if srv.Count() != 1 || !strings.Contains(e.Message, "the Intel APIs' monthly quota is used up") || !strings.Contains(e.Message, msg) {
			t.Fatalf("%q: %d requests, %q", msg, srv.Count(), e.Message)
		}
		if c.BlockedFor() != 0 {
			t.Fatalf("%q: other calls are blocked for %s", msg, c.BlockedFor())
		}
		if _, _, err := c.RiskSummary(context.Background()); err != nil {
			t.Fatalf("%q: a call outside the Intel APIs failed: %v", msg, err)
		}
	}
	for _, body := range []string{
		`{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}]}`,
		`{"success":false,"errors":[{"code":10100,"message":"More than 1200 requests per 300 seconds reached. Please wait and consider throttling your request speed"}]}`,
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "300")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, body)
		})
		c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
		_, _, err := c.IPOverview(context.Background(), "192.0.2.1")
		wantKind(t, err, KindRateLimited)
		if c.BlockedFor() == 0 {
			t.Fatal("the 5-minute limit does not block")
		}
	}
}

func TestShareIdentityOnlyForTheSameToken(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, verifyOK) })
	a, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	if _, err := a.Identity(context.Background()); err != nil {
		t.Fatal(err)
	}
	same, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.AccountID = "" })
	other, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.Token = "another-token-0123" })
	same.ShareIdentity(a)
	other.ShareIdentity(a)
	n := srv.Count()
	if st, err := same.Identity(context.Background()); err != nil || st.ID == "" || srv.Count() != n {
		t.Fatalf("same token: %+v %v, %d requests", st, err, srv.Count()-n)
	}
	if _, err := other.Identity(context.Background()); err != nil || srv.Count() != n+1 {
		t.Fatalf("another token took the identity: %d requests", srv.Count()-n)
	}
}
