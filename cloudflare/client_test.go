package cloudflare

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cftriage/indicator"
)

func TestNewValidatesConfig(t *testing.T) {
	cases := []struct {
		cfg  Config
		frag string
	}{
		{Config{}, "No Cloudflare API token"},
		{Config{Token: "  \n"}, "No Cloudflare API token"},
		{Config{Token: "a b"}, "cannot be sent in a header"},
		{Config{Token: "t", BaseURL: "ftp://x/y"}, "not an http(s) URL"},
		{Config{Token: "t", BaseURL: "http://api.example.com/client/v4"}, "plain http"},
		{Config{Token: "t", BaseURL: "https://u:p@api.example.com/"}, "credentials"},
		{Config{Token: "t", BaseURL: "https://api.example.com/?x=1"}, "query"},
		{Config{Token: "t", AccountID: "../../x"}, "not a Cloudflare account id"},
	}
	for _, tc := range cases {
		_, err := New(tc.cfg)
		e := wantKind(t, err, KindInput)
		if !strings.Contains(e.Message, tc.frag) {
			t.Errorf("New(%+v): %q, want %q", tc.cfg, e.Message, tc.frag)
		}
		if tc.cfg.Token != "" && strings.Contains(e.Message, tc.cfg.Token) && len(tc.cfg.Token) > 2 {
			t.Errorf("message leaks the token: %q", e.Message)
		}
	}
	c, err := New(Config{Token: "t", BaseURL: "http://127.0.0.1:8787/client/v4/"})
	if err != nil || c.BaseURL() != "http://127.0.0.1:8787/client/v4" {
		t.Fatalf("loopback http base: %v %v", c, err)
	}
	c, err = New(Config{Token: "t"})
	if err != nil || c.BaseURL() != DefaultBaseURL || c.AccountID() != "" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
}

func TestRequestHeadersAndExchange(t *testing.T) {
	var got *http.Request
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		w.Header().Set("Ratelimit", `"default";r=1199;t=300`)
		w.Header().Set("Ratelimit-Policy", `"default";q=1200;w=300`)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, okIP)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	res, ex, err := c.IPOverview(context.Background(), " 192.0.2[.]1 ")
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].IP != "192.0.2.1" {
		t.Fatalf("result %+v", res)
	}
	if got.Header.Get("Authorization") != "Bearer test-token-secret" {
		t.Errorf("Authorization = %q", got.Header.Get("Authorization"))
	}
	if !strings.HasPrefix(got.Header.Get("User-Agent"), "cftriage/") {
		t.Errorf("User-Agent = %q", got.Header.Get("User-Agent"))
	}
	if got.URL.Path != "/client/v4/accounts/"+testAccount+"/intel/ip" || got.URL.RawQuery != "ipv4=192.0.2.1" {
		t.Errorf("request %s?%s", got.URL.Path, got.URL.RawQuery)
	}
	if ex.Method != "GET" || ex.StatusCode != 200 || string(ex.Body) != okIP || ex.Attempts != 1 ||
		ex.Header.Get("Ratelimit") == "" || !strings.HasSuffix(ex.URL, "/intel/ip?ipv4=192.0.2.1") {
		t.Errorf("exchange %+v", ex)
	}
	if strings.Contains(ex.URL, "test-token-secret") {
		t.Errorf("exchange URL carries the token")
	}
	q := c.Quota()
	if !q.Known || q.Remaining != 1199 || q.Limit != 1200 || q.Window != 5*time.Minute {
		t.Errorf("quota %+v", q)
	}

	// IPv6 goes as ipv6=.
	if _, _, err := c.IPOverview(context.Background(), "2001:DB8::1"); err != nil {
		t.Fatal(err)
	}
	if got.URL.RawQuery != "ipv6=2001%3Adb8%3A%3A1" {
		t.Errorf("IPv6 query %q", got.URL.RawQuery)
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	ctx := context.Background()
	var errs []error
	_, _, err := c.IPOverview(ctx, "10.0.0.0/8")
	errs = append(errs, err)
	_, _, err = c.DomainOverview(ctx, "https://evil.example/x")
	errs = append(errs, err)
	_, _, err = c.BulkDomains(ctx, []string{"ok.example", "not a domain"})
	errs = append(errs, err)
	_, _, err = c.BulkDomains(ctx, nil)
	errs = append(errs, err)
	_, _, err = c.PassiveDNS(ctx, "2001:db8::1", 1, 10)
	errs = append(errs, err)
	_, _, err = c.ASNOverview(ctx, 0)
	errs = append(errs, err)
	_, _, err = c.ASNSubnets(ctx, -5)
	errs = append(errs, err)
	_, _, err = c.Whois(ctx, "1.2.3.4")
	errs = append(errs, err)
	_, _, err = c.DomainHistory(ctx, "")
	errs = append(errs, err)
	_, _, err = c.FindUsers(ctx, "Jane <jane@corp.example>")
	errs = append(errs, err)
	_, _, err = c.RiskScore(ctx, "summary")
	errs = append(errs, err)
	_, err = c.ResetRisk(ctx, "../../accounts")
	errs = append(errs, err)
	for i, err := range errs {
		e := wantKind(t, err, KindInput)
		var ie *indicator.InputError
		if !errors.As(e, &ie) && i != 3 {
			t.Errorf("error %d (%q) does not wrap an *indicator.InputError", i, e.Message)
		}
		if e.Message == "" || e.Exchange != nil {
			t.Errorf("error %d: %+v", i, e)
		}
	}
	if !strings.Contains(errs[4].Error(), "IPv4 addresses only") {
		t.Errorf("passive DNS IPv6 message: %q", errs[4])
	}
	if !strings.Contains(errs[1].Error(), "did you mean evil.example?") {
		t.Errorf("URL as domain: %q", errs[1])
	}
	if srv.Count() != 0 {
		t.Fatalf("%d requests sent for bad input", srv.Count())
	}

	// No account id configured: a clear message, nothing sent.
	c2, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.AccountID = "" })
	_, _, err = c2.IPOverview(ctx, "1.1.1.1")
	if e := wantKind(t, err, KindInput); !strings.Contains(e.Message, "CLOUDFLARE_ACCOUNT_ID") {
		t.Errorf("no account: %q", e.Message)
	}
	if srv.Count() != 0 {
		t.Fatalf("%d requests sent without an account id", srv.Count())
	}
}

func TestGETRetriesThenSucceeds(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if srvCount(r) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":10001,"message":"down"}]}`)
			return
		}
		fmt.Fprint(w, okIP)
	})
	c, fc := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.BackoffBase = 400 * time.Millisecond })
	_, ex, err := c.IPOverview(context.Background(), "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Attempts != 3 || srv.Count() != 3 {
		t.Fatalf("attempts %d, server saw %d; want 3 and 3", ex.Attempts, srv.Count())
	}
	s := fc.Sleeps()
	if len(s) != 2 || s[0] < 200*time.Millisecond || s[0] > 400*time.Millisecond || s[1] < 400*time.Millisecond || s[1] > 800*time.Millisecond {
		t.Fatalf("backoff sleeps %v; want ~[200-400ms, 400-800ms] (exponential with jitter)", s)
	}
}

// srvCount is the request's sequence number on its test server (1-based).
func srvCount(r *http.Request) int { return int(r.Context().Value(countKey{}).(int64)) }

type countKey struct{}

func TestRetriesAreBounded(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"success":false,"errors":[{"code":10001,"message":"boom"}]}`)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.MaxRetries = 2 })
	_, ex, err := c.DomainOverview(context.Background(), "example.com")
	e := wantKind(t, err, KindServer)
	if ex == nil || ex.Attempts != 3 || srv.Count() != 3 || e.StatusCode != 500 {
		t.Fatalf("attempts %v, server saw %d", ex, srv.Count())
	}
	if !strings.Contains(e.Message, `"boom" (code 10001)`) {
		t.Errorf("message %q", e.Message)
	}

	c2, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.MaxRetries = -1 })
	before := srv.Count()
	_, _, err = c2.DomainOverview(context.Background(), "example.com")
	wantKind(t, err, KindServer)
	if srv.Count()-before != 1 {
		t.Fatalf("MaxRetries<0 sent %d requests", srv.Count()-before)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":1003,"message":"x"}]}`)
		})
		c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
		_, _, err := c.Whois(context.Background(), "example.com")
		asError(t, err)
		if srv.Count() != 1 {
			t.Errorf("HTTP %d: %d requests", status, srv.Count())
		}
	}
	// Malformed JSON is not retried either.
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"success":tru`) })
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	_, _, err := c.Whois(context.Background(), "example.com")
	wantKind(t, err, KindMalformed)
	if srv.Count() != 1 {
		t.Errorf("malformed: %d requests", srv.Count())
	}
}

// TestWritesAreNeverRetried sends a reset into every failure a GET would
// retry and checks exactly one POST reached the server each time.
func TestWritesAreNeverRetried(t *testing.T) {
	const uid = "f2108713-1206-4e84-8b80-0e71a6a1c67b"
	cases := []struct {
		name string
		h    http.HandlerFunc
		kind ErrorKind
		frag string
	}{
		{"500", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":10001,"message":"x"}]}`)
		}, KindServer, "HTTP 500"},
		{"429", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":10429,"message":"slow"}]}`)
		}, KindRateLimited, "rate limited"},
		{"html", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, `<html>bad gateway</html>`)
		}, KindGateway, "HTML error page"},
		{"drop", func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, KindNetwork, "outcome is unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, tc.h)
			c, fc := newTestClient(t, srv.URL+"/client/v4", nil)
			ex, err := c.ResetRisk(context.Background(), uid)
			e := wantKind(t, err, tc.kind)
			if !strings.Contains(e.Message, tc.frag) {
				t.Errorf("message %q, want %q", e.Message, tc.frag)
			}
			if srv.posts.Load() != 1 || srv.Count() != 1 {
				t.Fatalf("server saw %d POSTs (%d requests), want exactly 1", srv.posts.Load(), srv.Count())
			}
			if ex == nil || ex.Attempts != 1 || len(fc.Sleeps()) != 0 {
				t.Fatalf("exchange %+v, sleeps %v", ex, fc.Sleeps())
			}
		})
	}
}

func TestWriteTimeoutSaysOutcomeUnknown(t *testing.T) {
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.Timeout = 100 * time.Millisecond })
	_, err := c.ResetRisk(context.Background(), "f2108713-1206-4e84-8b80-0e71a6a1c67b")
	e := wantKind(t, err, KindTimeout)
	if !strings.Contains(e.Message, "outcome is unknown") || !strings.Contains(e.Message, "timed out") {
		t.Fatalf("message %q", e.Message)
	}
	if srv.posts.Load() != 1 {
		t.Fatalf("%d POSTs", srv.posts.Load())
	}
}

func TestNetworkErrorsAreWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c, fc := newTestClient(t, "http://"+addr+"/client/v4", func(c *Config) { c.MaxRetries = 2 })
	_, ex, err := c.IPOverview(context.Background(), "1.1.1.1")
	e := wantKind(t, err, KindNetwork)
	if strings.Contains(e.Message, "dial tcp") || strings.Contains(e.Message, "127.0.0.1:") && !strings.Contains(e.Message, "talking to") {
		t.Errorf("raw Go error in message: %q", e.Message)
	}
	if !strings.Contains(e.Message, "refused") || e.Err == nil {
		t.Errorf("message %q err %v", e.Message, e.Err)
	}
	if ex == nil || ex.Attempts != 3 || ex.StatusCode != 0 || e.Exchange != nil || len(fc.Sleeps()) != 2 {
		t.Errorf("a GET network error is retried: exchange %+v sleeps %v", ex, fc.Sleeps())
	}
	// A write that never left says so.
	_, err = c.ResetRisk(context.Background(), "f2108713-1206-4e84-8b80-0e71a6a1c67b")
	if e := wantKind(t, err, KindNetwork); !strings.Contains(e.Message, "Nothing was sent") {
		t.Errorf("reset on refused connection: %q", e.Message)
	}
}

func TestCanceledContext(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, ex, err := c.IPOverview(ctx, "1.1.1.1")
	wantKind(t, err, KindCanceled)
	if srv.Count() != 0 || ex != nil {
		t.Fatalf("a canceled call sent %d requests", srv.Count())
	}
}

func TestBodyCap(t *testing.T) {
	big := `{"success":true,"errors":[],"result":[` + strings.Repeat(`{"ip":"1.1.1.1"},`, 200) + `{"ip":"1.1.1.1"}]}`
	for _, chunked := range []bool{false, true} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if !chunked {
				w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			}
			io.WriteString(w, big[:len(big)/2])
			w.(http.Flusher).Flush()
			io.WriteString(w, big[len(big)/2:])
		})
		c, _ := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.MaxBodyBytes = 1024 })
		_, _, err := c.IPOverview(context.Background(), "1.1.1.1")
		e := wantKind(t, err, KindTooLarge)
		if !strings.Contains(e.Message, "1 KiB limit") || srv.Count() != 1 {
			t.Errorf("chunked=%v: %q, %d requests", chunked, e.Message, srv.Count())
		}
	}
}

func TestSuccessFalseWith200IsAnError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"success":false,"errors":[{"code":1234,"message":"nope"}],"messages":[],"result":null}`)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	_, ex, err := c.RiskSummary(context.Background())
	e := asError(t, err)
	if e.StatusCode != 200 || len(e.Errors) != 1 || e.Errors[0].Code != 1234 || ex == nil || e.Exchange != ex {
		t.Fatalf("%+v", e)
	}
}

func TestRedirectToAnotherOriginIsNotFollowed(t *testing.T) {
	foreign := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, foreign.URL+"/client/v4/steal", http.StatusFound)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	_, _, err := c.IPOverview(context.Background(), "1.1.1.1")
	e := wantKind(t, err, KindOrigin)
	if !strings.Contains(e.Message, "not followed") {
		t.Errorf("message %q", e.Message)
	}
	if foreign.Count() != 0 {
		t.Fatalf("the foreign origin received %d requests", foreign.Count())
	}
}

func TestSameOriginRedirectOfGETIsFollowed(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/intel/ip") {
			http.Redirect(w, r, "/client/v4/moved?"+r.URL.RawQuery, http.StatusFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-token-secret" {
			w.WriteHeader(401)
			return
		}
		fmt.Fprint(w, okIP)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	if _, _, err := c.IPOverview(context.Background(), "1.1.1.1"); err != nil {
		t.Fatal(err)
	}
	// A write is never redirected, not even on the same origin.
	_, err := c.Raw(context.Background(), RawRequest{Method: "POST", Path: "/accounts/{account_id}/intel/ip"})
	wantKind(t, err, KindBadRequest)
	if srv.posts.Load() != 1 {
		t.Fatalf("%d POSTs", srv.posts.Load())
	}
}

func Test429FloorAndFailFast(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if srvCount(r) == 1 {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":10429,"message":"slow down"}]}`)
			return
		}
		fmt.Fprint(w, okIP)
	})
	c, fc := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.BackoffBase = time.Millisecond })
	_, ex, err := c.IPOverview(context.Background(), "1.1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	s := fc.Sleeps()
	if ex.Attempts != 2 || srv.Count() != 2 || len(s) != 1 || s[0] < 3*time.Second {
		t.Fatalf("attempts %d, server %d, sleeps %v: the retry must wait at least Retry-After (3s)", ex.Attempts, srv.Count(), s)
	}

	// A Retry-After beyond MaxRetryWait: no sleeping, KindRateLimited with
	// RetryAfter, and calls fail fast until it has passed.
	srv2 := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "100")
		w.WriteHeader(429)
		fmt.Fprint(w, `{"success":false,"errors":[{"code":10429,"message":"slow down"}]}`)
	})
	c2, fc2 := newTestClient(t, srv2.URL+"/client/v4", nil)
	_, _, err = c2.IPOverview(context.Background(), "1.1.1.1")
	e := wantKind(t, err, KindRateLimited)
	if e.RetryAfter != 100*time.Second || !strings.HasPrefix(e.Message, "rate limited by Cloudflare; retry in 1m40s (at ") {
		t.Fatalf("%v %q", e.RetryAfter, e.Message)
	}
	if srv2.Count() != 1 || len(fc2.Sleeps()) != 0 {
		t.Fatalf("server %d, sleeps %v", srv2.Count(), fc2.Sleeps())
	}
	fc2.Advance(40 * time.Second)
	for _, call := range []func() error{
		func() error { _, _, err := c2.DomainOverview(context.Background(), "example.com"); return err },
		func() error {
			_, err := c2.ResetRisk(context.Background(), "f2108713-1206-4e84-8b80-0e71a6a1c67b")
			return err
		},
		func() error {
			_, err := c2.Raw(context.Background(), RawRequest{Path: "/user/tokens/verify"})
			return err
		},
	} {
		e := wantKind(t, call(), KindRateLimited)
		if e.RetryAfter != 60*time.Second || e.Exchange != nil || !strings.Contains(e.Message, "retry in 1m0s") {
			t.Fatalf("fail fast: %v %q", e.RetryAfter, e.Message)
		}
	}
	if srv2.Count() != 1 {
		t.Fatalf("calls while blocked reached the server: %d", srv2.Count())
	}
	if b := c2.BlockedFor(); b != 60*time.Second {
		t.Fatalf("BlockedFor = %v", b)
	}
	fc2.Advance(60 * time.Second)
	_, _, err = c2.IPOverview(context.Background(), "1.1.1.1")
	wantKind(t, err, KindRateLimited)
	if srv2.Count() != 2 {
		t.Fatalf("after the block the call should be sent: server %d", srv2.Count())
	}
}

func TestLimiterHoldsRequests(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	// 3 per minute, and a timeout shorter than the wait: the 4th fails
	// without sending.
	c, fc := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.RateLimit = 3; c.RateWindow = time.Minute })
	for i := 0; i < 3; i++ {
		if _, _, err := c.IPOverview(context.Background(), "1.1.1.1"); err != nil {
			t.Fatal(err)
		}
	}
	_, ex, err := c.IPOverview(context.Background(), "1.1.1.1")
	e := wantKind(t, err, KindRateLimited)
	if ex != nil || srv.Count() != 3 || e.RetryAfter != time.Minute || !strings.Contains(e.Message, "nothing was sent") {
		t.Fatalf("4th call: server %d, exchange %v, %v %q", srv.Count(), ex, e.RetryAfter, e.Message)
	}
	// With time to wait, the 4th waits for a slot and then goes.
	fc.Advance(30 * time.Second)
	c.timeout = 2 * time.Minute
	_, ex, err = c.IPOverview(context.Background(), "1.1.1.1")
	if err != nil {
		t.Fatal(err)
	}
	if s := fc.Sleeps(); len(s) != 1 || s[0] != 30*time.Second || srv.Count() != 4 || ex.Attempts != 1 {
		t.Fatalf("sleeps %v, server %d", s, srv.Count())
	}

	// RateLimit < 0 disables it.
	c3, fc3 := newTestClient(t, srv.URL+"/client/v4", func(c *Config) { c.RateLimit = -1 })
	for i := 0; i < 50; i++ {
		if _, _, err := c3.IPOverview(context.Background(), "1.1.1.1"); err != nil {
			t.Fatal(err)
		}
	}
	if len(fc3.Sleeps()) != 0 || c3.limiter != nil {
		t.Fatalf("unlimited client waited: %v", fc3.Sleeps())
	}
}

func TestResolveURL(t *testing.T) {
	c, err := New(Config{Token: "t", AccountID: testAccount, BaseURL: "https://api.cloudflare.com/client/v4"})
	if err != nil {
		t.Fatal(err)
	}
	good := []struct {
		path  string
		query [][2]string
		want  string
	}{
		{"/accounts/{account_id}/intel/ip", [][2]string{{"ipv4", "1.1.1.1"}}, "https://api.cloudflare.com/client/v4/accounts/" + testAccount + "/intel/ip?ipv4=1.1.1.1"},
		{"accounts/{ACCOUNT_ID}/intel/ip?ipv4=1.1.1.1", nil, "https://api.cloudflare.com/client/v4/accounts/" + testAccount + "/intel/ip?ipv4=1.1.1.1"},
		{"/accounts/%7Baccount_id%7D/tokens/verify", nil, "https://api.cloudflare.com/client/v4/accounts/" + testAccount + "/tokens/verify"},
		{"https://api.cloudflare.com/client/v4/user/tokens/verify?a=b", [][2]string{{"c", "d e"}}, "https://api.cloudflare.com/client/v4/user/tokens/verify?a=b&c=d+e"},
		{"https://API.cloudflare.com:443/client/v4/accounts", nil, "https://api.cloudflare.com/client/v4/accounts"},
		{"/client/v4/accounts", nil, "https://api.cloudflare.com/client/v4/accounts"},
		{"/accounts/x/intel/domain/bulk", [][2]string{{"domain", "a.com"}, {"domain", "b.com"}}, "https://api.cloudflare.com/client/v4/accounts/x/intel/domain/bulk?domain=a.com&domain=b.com"},
		{"/user/tokens/verify#frag", nil, "https://api.cloudflare.com/client/v4/user/tokens/verify"},
	}
	for _, g := range good {
		got, err := c.ResolveURL(g.path, g.query)
		if err != nil || got != g.want {
			t.Errorf("ResolveURL(%q) = %q, %v; want %q", g.path, got, err, g.want)
		}
	}
	refused := map[string]ErrorKind{
		"https://evil.example/client/v4/accounts":    KindOrigin,
		"http://api.cloudflare.com/client/v4/x":      KindOrigin,
		"https://api.cloudflare.com:8443/client/v4/": KindOrigin,
		"https://api.cloudflare.com/other":           KindOrigin,
		"https://u:p@api.cloudflare.com/client/v4/x": KindOrigin,
		"//evil.example/x":                           KindOrigin,
		"evil.example/x":                             KindOrigin,
		"/..%2f..":                                   KindOrigin,
		"/accounts/../../x":                          KindOrigin,
		"/accounts/%2e%2e/%2E%2E/x":                  KindOrigin,
		"/accounts/%252e%252e/x":                     KindOrigin,
		"/accounts/%2525252e%2525252e/x":             KindOrigin, // ".." after four decodings
		"/./accounts":                                KindOrigin,
		`/accounts\..\x`:                             KindOrigin,
		"/accounts/%5c/x":                            KindOrigin,
		"/accounts/\r\nHost: evil":                   KindOrigin,
		"/accounts/%0d%0a":                           KindOrigin,
		"/accounts//x":                               KindOrigin,
		"javascript:alert(1)":                        KindOrigin,
		"":                                           KindInput,
		"/accounts/{user_id}/x":                      KindInput,
		"/accounts/a b":                              KindInput,
		"/accounts/%zz":                              KindInput,
		"/accounts/ü":                                KindInput,
	}
	for p, kind := range refused {
		_, err := c.ResolveURL(p, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != kind {
			t.Errorf("ResolveURL(%q) = %v, want kind %v", p, err, kind)
			continue
		}
		if strings.ContainsAny(e.Message, "\r\n") {
			t.Errorf("message has raw control characters: %q", e.Message)
		}
	}
	if _, err := c.ResolveURL("/x", [][2]string{{"", "v"}}); err == nil {
		t.Errorf("empty query name accepted")
	}
	noAcct, _ := New(Config{Token: "t"})
	_, err = noAcct.ResolveURL("/accounts/{account_id}/intel/ip", nil)
	if e := wantKind(t, err, KindInput); !strings.Contains(e.Message, "no account id") {
		t.Errorf("%q", e.Message)
	}
}

func TestRawRefusesCredentialHeadersAndBadInput(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"success":true,"errors":[],"result":{}}`)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	ctx := context.Background()
	bad := []RawRequest{
		{Path: "/user/tokens/verify", Header: [][2]string{{"Authorization", "Bearer other"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"authorization", "x"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"X-Auth-Key", "k"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"X-Auth-Email", "a@b.c"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"Proxy-Authorization", "x"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"Host", "evil.example"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"X-Ok", "a\r\nInjected: 1"}}},
		{Path: "/user/tokens/verify", Header: [][2]string{{"Bad Name", "v"}}},
		{Method: "GE T", Path: "/user/tokens/verify"},
		{Method: "POST", Path: "/accounts", Body: []byte(`{"a":`)},
	}
	for _, rq := range bad {
		_, err := c.Raw(ctx, rq)
		e := wantKind(t, err, KindInput)
		if strings.Contains(e.Message, "Bearer other") || strings.Contains(e.Message, "test-token-secret") {
			t.Errorf("message echoes a credential: %q", e.Message)
		}
	}
	if srv.Count() != 0 {
		t.Fatalf("refused raw calls sent %d requests", srv.Count())
	}

	var gotBody, gotCT, gotCustom string
	srv2 := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotCT, gotCustom = string(b), r.Header.Get("Content-Type"), r.Header.Get("X-Custom")
		fmt.Fprint(w, `{"success":true,"errors":[],"result":{"ok":1}}`)
	})
	c2, _ := newTestClient(t, srv2.URL+"/client/v4", nil)
	ex, err := c2.Raw(ctx, RawRequest{Method: "patch", Path: "/accounts/{account_id}/x", Query: [][2]string{{"k", "v"}},
		Header: [][2]string{{"X-Custom", "1"}}, Body: []byte(`{"a":1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Method != "PATCH" || gotBody != `{"a":1}` || gotCT != "application/json" || gotCustom != "1" || !strings.HasSuffix(ex.URL, "/accounts/"+testAccount+"/x?k=v") {
		t.Fatalf("exchange %+v body %q ct %q", ex, gotBody, gotCT)
	}
}

func TestRawTokenOnlyToBaseOrigin(t *testing.T) {
	foreign := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, okIP) })
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	fu, _ := url.Parse(foreign.URL)
	su, _ := url.Parse(srv.URL)
	paths := []string{
		foreign.URL + "/client/v4/user/tokens/verify",
		"//" + fu.Host + "/client/v4/user/tokens/verify",
		fu.Host + "/client/v4/user/tokens/verify",
		"http://" + su.Hostname() + ":" + fu.Port() + "/client/v4/user/tokens/verify",
		"/..%2f..",
		"/accounts/../../x",
		`\\` + fu.Host + `\x`,
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST"} {
			_, err := c.Raw(context.Background(), RawRequest{Method: m, Path: p})
			wantKind(t, err, KindOrigin)
		}
	}
	if foreign.Count() != 0 || srv.Count() != 0 {
		t.Fatalf("foreign received %d, base %d requests", foreign.Count(), srv.Count())
	}
	// An absolute URL under the base itself is fine.
	if _, err := c.Raw(context.Background(), RawRequest{Path: srv.URL + "/client/v4/user/tokens/verify"}); err != nil {
		t.Fatal(err)
	}
	if srv.Count() != 1 {
		t.Fatalf("base received %d", srv.Count())
	}
}

func TestListAccountsPages(t *testing.T) {
	const total = 120
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		var page, per int
		fmt.Sscan(r.URL.Query().Get("page"), &page)
		fmt.Sscan(r.URL.Query().Get("per_page"), &per)
		var items []string
		for i := (page - 1) * per; i < min(page*per, total); i++ {
			items = append(items, fmt.Sprintf(`{"id":"acct%03d","name":"A%d","type":"standard"}`, i, i))
		}
		fmt.Fprintf(w, `{"success":true,"errors":[],"result":[%s],"result_info":{"page":%d,"per_page":%d,"count":%d,"total_count":%d,"total_pages":%d}}`,
			strings.Join(items, ","), page, per, len(items), total, (total+per-1)/per)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	accts, ex, err := c.ListAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(accts) != total || accts[0].ID != "acct000" || accts[total-1].ID != "acct119" {
		t.Fatalf("%d accounts", len(accts))
	}
	if srv.Count() != 3 || ex.Attempts != 3 || !strings.Contains(ex.URL, "page=3&per_page=50") {
		t.Fatalf("server %d, exchange %+v", srv.Count(), ex)
	}
}

func TestConcurrentCalls(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Ratelimit", fmt.Sprintf(`"default";r=%d;t=300`, 1200-srvCount(r)))
		fmt.Fprint(w, okIP)
	})
	c, err := New(Config{BaseURL: srv.URL + "/client/v4", Token: "t", AccountID: testAccount, RateLimit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 80)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 10; i++ {
				_, _, err := c.IPOverview(context.Background(), "1.1.1.1")
				_ = c.Quota()
				errs <- err
			}
		}()
	}
	for i := 0; i < 80; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if q := c.Quota(); !q.Known || q.Remaining < 1120 || q.Remaining > 1199 || srv.Count() != 80 {
		t.Fatalf("quota %+v, server %d", q, srv.Count())
	}
}
