package cloudflare

// The client against the simulator over real HTTP. Happy paths go through
// contracttest.WrapIfAvailable, so the client's requests and the
// simulator's answers are also checked against
// ../shared/cloudflare/openapi.json; without it only that check is skipped
// and the tests still run. Fault tests use the bare simulator: a fault's
// answer (an HTML page, broken JSON) is outside the contract on purpose.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/internal/contracttest"
)

// simServer serves s over real HTTP, validated against the contract when
// contract is true and the contract is present.
func simServer(t *testing.T, s *sim.Sim, contract bool) string {
	t.Helper()
	var h http.Handler = s
	if contract {
		h = contracttest.WrapIfAvailable(t, s)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + sim.BasePath
}

// simClient is a real-clock client for the simulator: no limiter, fast
// backoff, no connection reuse (so the transport never replays a request
// on a dropped keep-alive connection and sim counts are exact).
func simClient(t *testing.T, base string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		BaseURL: base, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		RateLimit: -1, BackoffBase: time.Millisecond, Timeout: 10 * time.Second,
		HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func userID(t *testing.T, c *Client, email string) string {
	t.Helper()
	users, _, err := c.FindUsers(context.Background(), email)
	if err != nil || len(users) != 1 {
		t.Fatalf("FindUsers(%s) = %v, %v", email, users, err)
	}
	return users[0].ID
}

func riskNames(rs []RiskType) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestSimEveryOperation(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, simServer(t, s, true), nil)
	ctx := context.Background()

	ips, ex, err := c.IPOverview(ctx, "203.0.113[.]66")
	if err != nil {
		t.Fatal(err)
	}
	if len(ips) != 1 || ips[0].IP != sim.IPRiskyC2 || ips[0].BelongsTo == nil || ips[0].BelongsTo.Value != "64500" ||
		!slices.Contains(riskNames(ips[0].RiskTypes), "Command and Control & Botnet") {
		t.Fatalf("IP overview %+v", ips)
	}
	if ex.StatusCode != 200 || len(ex.Body) == 0 || ex.Header.Get("Ratelimit") == "" {
		t.Fatalf("exchange %+v", ex)
	}
	if q := c.Quota(); !q.Known || q.Limit != 1200 || q.Window != 5*time.Minute || q.Remaining >= 1200 {
		t.Fatalf("quota %+v", q)
	}
	if ips, _, err := c.IPOverview(ctx, strings.ToUpper(sim.IPv6Risky)); err != nil || len(ips) != 1 || ips[0].IP != sim.IPv6Risky {
		t.Fatalf("IPv6 overview %+v %v", ips, err)
	}

	d, _, err := c.DomainOverview(ctx, strings.ReplaceAll(strings.ToUpper(sim.DomainPhishing), ".", "[.]")+".")
	if err != nil {
		t.Fatal(err)
	}
	if d.Domain != sim.DomainPhishing || !slices.Contains(riskNames(d.RiskTypes), "Phishing") {
		t.Fatalf("domain %+v", d)
	}

	bulk, ex, err := c.BulkDomains(ctx, []string{sim.DomainPhishing, sim.DomainClean, sim.DomainPhishing + "."})
	if err != nil {
		t.Fatal(err)
	}
	if len(bulk) != 2 || strings.Count(ex.URL, "domain=") != 2 {
		t.Fatalf("bulk %d results, URL %s", len(bulk), ex.URL)
	}

	p1, _, err := c.PassiveDNS(ctx, sim.IPParkingFarm, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	p2, _, err := c.PassiveDNS(ctx, sim.IPParkingFarm, 2, 100)
	if err != nil {
		t.Fatal(err)
	}
	if p1.Count <= 200 || len(p1.ReverseRecords) != 100 || p2.Page != 2 || len(p2.ReverseRecords) != 100 ||
		p1.ReverseRecords[0].Hostname == p2.ReverseRecords[0].Hostname {
		t.Fatalf("passive DNS pages: count %d, %d and %d records", p1.Count, len(p1.ReverseRecords), len(p2.ReverseRecords))
	}

	if n, _, err := c.ASNOverview(ctx, 64500); err != nil || n.ASN != 64500 {
		t.Fatalf("ASN overview %+v %v", n, err)
	}
	subs, _, err := c.ASNSubnets(ctx, 64500)
	if err != nil || subs.ASN != 64500 || !slices.Contains(subs.Subnets, "203.0.113.0/25") || subs.Count != len(subs.Subnets) {
		t.Fatalf("subnets %+v %v", subs, err)
	}

	w, _, err := c.Whois(ctx, sim.DomainC2)
	if err != nil || !w.Found || w.Domain != sim.DomainC2 {
		t.Fatalf("whois %+v %v", w, err)
	}
	hist, _, err := c.DomainHistory(ctx, sim.DomainPhishing)
	if err != nil || len(hist) == 0 || len(hist[0].Categorizations) == 0 {
		t.Fatalf("history %+v %v", hist, err)
	}

	users, _, err := c.FindUsers(ctx, strings.ToUpper(sim.EmailFewEvents))
	if err != nil || len(users) != 1 || !strings.EqualFold(users[0].Email, sim.EmailFewEvents) {
		t.Fatalf("find users %+v %v", users, err)
	}
	if two, _, err := c.FindUsers(ctx, sim.EmailTwoUsers); err != nil || len(two) != 2 {
		t.Fatalf("two users %+v %v", two, err)
	}
	none, ex, err := c.FindUsers(ctx, "nobody@acme-corp.example")
	if err != nil || none == nil || len(none) != 0 || ex == nil {
		t.Fatalf("no user: %#v %v", none, err)
	}
	if !strings.Contains(ex.URL, "per_page=1000") {
		t.Fatalf("find users URL %s", ex.URL)
	}

	bob := users[0].ID
	rs, _, err := c.RiskScore(ctx, bob)
	if err != nil || rs.RiskLevel != "high" || len(rs.Events) == 0 || rs.Email != sim.EmailFewEvents {
		t.Fatalf("risk score %+v %v", rs, err)
	}
	sum, _, err := c.RiskSummary(ctx)
	if err != nil || !slices.ContainsFunc(sum.Users, func(u RiskyUser) bool { return u.UserID == bob }) {
		t.Fatalf("summary %+v %v", sum, err)
	}

	ex, err = c.ResetRisk(ctx, bob)
	if err != nil || ex.StatusCode != 200 || ex.Method != "POST" {
		t.Fatalf("reset %+v %v", ex, err)
	}
	after, _, err := c.RiskScore(ctx, bob)
	if err != nil || len(after.Events) != 0 || after.LastResetTime == nil || after.RiskLevel != "" {
		t.Fatalf("after reset %+v %v", after, err)
	}
	if _, ok := ParseTime(*after.LastResetTime); !ok {
		t.Fatalf("last_reset_time %q does not parse", *after.LastResetTime)
	}

	_, _, err = c.RiskScore(ctx, "00000000-0000-4000-8000-000000000000")
	if e := wantKind(t, err, KindNotFound); !strings.Contains(e.Message, "No Zero Trust user with id 00000000-0000-4000-8000-000000000000") {
		t.Fatalf("unknown user: %q", e.Message)
	}
	_, err = c.ResetRisk(ctx, "00000000-0000-4000-8000-000000000000")
	if e := wantKind(t, err, KindNotFound); !strings.Contains(e.Message, "Nothing was reset") {
		t.Fatalf("reset unknown user: %q", e.Message)
	}

	ts, _, err := c.VerifyToken(ctx)
	if err != nil || ts.Kind != "user" || ts.Status != "active" {
		t.Fatalf("verify %+v %v", ts, err)
	}
	accts, ex, err := c.ListAccounts(ctx)
	if err != nil || len(accts) != 1 || accts[0].ID != sim.DemoAccountID || ex.Attempts != 1 {
		t.Fatalf("accounts %+v %v", accts, err)
	}

	ex, err = c.Raw(ctx, RawRequest{Path: "/accounts/{account_id}/intel/ip", Query: [][2]string{{"ipv4", sim.IPCleanCF}}})
	if err != nil || ex.StatusCode != 200 || !json.Valid(ex.Body) {
		t.Fatalf("raw %+v %v", ex, err)
	}

	for _, op := range []string{OpIPOverview, OpDomainOverview, OpBulkDomains, OpPassiveDNS, OpASNOverview, OpASNSubnets,
		OpWhois, OpDomainHistory, OpFindUsers, OpRiskScore, OpResetRisk, OpRiskSummary, OpVerifyToken, OpListAccounts} {
		if s.Count(OperationID(op)) == 0 {
			t.Errorf("%s (%s) never reached the simulator", op, OperationID(op))
		}
	}
	if n := s.Count(sim.OpRiskReset); n != 2 {
		t.Errorf("reset count %d, want 2 (one real, one for the unknown user)", n)
	}
}

func TestSimAuthAndPermissions(t *testing.T) {
	const (
		intelOnly = "intel-only-token-0123456789abcdef"
		acctTok   = "account-token-0123456789abcdef0123"
		expired   = "expired-token-0123456789abcdef0123"
	)
	s := sim.New(sim.Options{Tokens: map[string]sim.TokenSpec{
		sim.DemoToken: {Perms: sim.AllPermissions},
		intelOnly:     {Perms: []sim.Permission{sim.PermIntelRead}},
		acctTok:       {Kind: "account", Perms: sim.AllPermissions},
		expired:       {Status: "expired", Perms: sim.AllPermissions},
	}})
	base := simServer(t, s, true)
	ctx := context.Background()
	bob := userID(t, simClient(t, base, nil), sim.EmailFewEvents)

	lim := simClient(t, base, func(c *Config) { c.Token = intelOnly })
	if _, _, err := lim.IPOverview(ctx, sim.IPCleanCF); err != nil {
		t.Fatal(err)
	}
	perm := map[string]func() error{
		"Access: Audit Logs Read": func() error { _, _, err := lim.FindUsers(ctx, sim.EmailFewEvents); return err },
		"Zero Trust: PII Read":    func() error { _, _, err := lim.RiskScore(ctx, bob); return err },
		"Zero Trust Write":        func() error { _, err := lim.ResetRisk(ctx, bob); return err },
		"Account Settings Read":   func() error { _, _, err := lim.ListAccounts(ctx); return err },
	}
	for name, call := range perm {
		e := wantKind(t, call(), KindPermission)
		if !strings.Contains(e.Message, `"`+name+`" permission`) || e.StatusCode != 403 || len(e.Errors) == 0 {
			t.Errorf("403 for %s: %q", name, e.Message)
		}
	}

	bad := simClient(t, base, func(c *Config) { c.Token = "not-a-known-token" })
	_, _, err := bad.DomainOverview(ctx, sim.DomainClean)
	if e := wantKind(t, err, KindAuth); !strings.HasPrefix(e.Message, AuthMessage) {
		t.Fatalf("bad token: %q", e.Message)
	}
	_, _, err = bad.VerifyToken(ctx)
	wantKind(t, err, KindAuth)

	before := s.Count(sim.OpAccountVerify)
	at := simClient(t, base, func(c *Config) { c.Token = acctTok })
	ts, ex, err := at.VerifyToken(ctx)
	if err != nil || ts.Kind != "account" || ts.Status != "active" || !strings.Contains(ex.URL, "/accounts/"+sim.DemoAccountID+"/tokens/verify") {
		t.Fatalf("account token verify %+v %v", ts, err)
	}
	if s.Count(sim.OpAccountVerify) != before+1 {
		t.Fatalf("account verify not called")
	}
	// Without an account id there is nothing to fall back to.
	at2 := simClient(t, base, func(c *Config) { c.Token = acctTok; c.AccountID = "" })
	_, _, err = at2.VerifyToken(ctx)
	wantKind(t, err, KindAuth)

	exp := simClient(t, base, func(c *Config) { c.Token = expired })
	ts, _, err = exp.VerifyToken(ctx)
	if err != nil || ts.Status != "expired" {
		t.Fatalf("expired token verify %+v %v", ts, err)
	}
	_, _, err = exp.IPOverview(ctx, sim.IPCleanCF)
	wantKind(t, err, KindAuth)

	other := simClient(t, base, func(c *Config) { c.AccountID = "ffffffffffffffffffffffffffffffff" })
	_, _, err = other.Whois(ctx, sim.DomainClean)
	if e := wantKind(t, err, KindPermission); !strings.Contains(e.Message, "ffffffffffffffffffffffffffffffff") {
		t.Fatalf("wrong account: %q", e.Message)
	}
}

// TestSimFaultsOnGET: every fault against a GET, checking what is retried
// (HTML, 5xx, dropped connections, 429) and what is not (malformed,
// truncated), by the simulator's request count.
func TestSimFaultsOnGET(t *testing.T) {
	op := sim.OpIPOverview
	cases := []struct {
		name    string
		fault   sim.Fault
		mod     func(*Config)
		kind    ErrorKind // KindUnknown: success expected
		frag    string
		count   int
		attempt int
	}{
		{"html once, retried", sim.Fault{Op: op, HTML: true, Times: 1}, nil, KindUnknown, "", 2, 2},
		{"html always", sim.Fault{Op: op, HTML: true}, func(c *Config) { c.MaxRetries = 2 }, KindGateway, "HTML error page (HTTP 502)", 3, 3},
		{"500 twice, retried", sim.Fault{Op: op, Status: 500, Times: 2}, nil, KindUnknown, "", 3, 3},
		{"503 always", sim.Fault{Op: op, Status: 503}, func(c *Config) { c.MaxRetries = 1 }, KindServer, "HTTP 503", 2, 2},
		{"malformed", sim.Fault{Op: op, Malformed: true, Times: 1}, nil, KindMalformed, "not valid JSON", 1, 1},
		{"truncated", sim.Fault{Op: op, Truncated: true, Times: 1}, nil, KindMalformed, "cut off", 1, 1},
		{"dropped once, retried", sim.Fault{Op: op, DropConnection: true, Times: 1}, nil, KindUnknown, "", 2, 2},
		{"dropped always", sim.Fault{Op: op, DropConnection: true}, func(c *Config) { c.MaxRetries = 2 }, KindNetwork, "closed the connection", 3, 3},
		{"latency past the timeout", sim.Fault{Op: op, Latency: 5 * time.Second, Times: 1}, func(c *Config) { c.Timeout = 150 * time.Millisecond }, KindTimeout, "timed out", 1, 1},
		{"slow body past the timeout", sim.Fault{Op: op, SlowBody: 5 * time.Second, Times: 1}, func(c *Config) { c.Timeout = 300 * time.Millisecond }, KindTimeout, "timed out", 1, 1},
		{"slow body within the timeout", sim.Fault{Op: op, SlowBody: 50 * time.Millisecond, Times: 1}, nil, KindUnknown, "", 1, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(sim.Options{})
			s.Inject(tc.fault)
			c := simClient(t, simServer(t, s, false), tc.mod)
			ips, ex, err := c.IPOverview(context.Background(), sim.IPRiskyC2)
			if tc.kind == KindUnknown {
				if err != nil || len(ips) != 1 {
					t.Fatalf("want success, got %v", err)
				}
			} else {
				e := wantKind(t, err, tc.kind)
				if !strings.Contains(e.Message, tc.frag) {
					t.Fatalf("message %q, want %q", e.Message, tc.frag)
				}
			}
			if got := s.Count(op); got != tc.count {
				t.Fatalf("simulator saw %d requests, want %d", got, tc.count)
			}
			if ex == nil || ex.Attempts != tc.attempt {
				t.Fatalf("exchange %+v, want %d attempts", ex, tc.attempt)
			}
		})
	}
}

func TestSim429RetryAfterIsAFloor(t *testing.T) {
	op := sim.OpDomain
	// A deadline shorter than Retry-After: no waiting, KindRateLimited at
	// once, and the next call fails fast without a request. The client's
	// clock is fake and stands still, so the follow-up is inside the
	// Retry-After window however slowly the test runs.
	s := sim.New(sim.Options{})
	s.Inject(sim.Fault{Op: op, Status: 429, RetryAfter: 1, Times: 1})
	base := simServer(t, s, false)
	c, clk := newTestClient(t, base, func(c *Config) {
		c.Token, c.AccountID, c.RateLimit = sim.DemoToken, sim.DemoAccountID, -1
		c.Timeout = 500 * time.Millisecond
	})
	_, ex, err := c.DomainOverview(context.Background(), sim.DomainClean)
	e := wantKind(t, err, KindRateLimited)
	if e.RetryAfter != time.Second || e.StatusCode != 429 || ex.Attempts != 1 || s.Count(op) != 1 {
		t.Fatalf("RetryAfter %v status %d attempts %d count %d", e.RetryAfter, e.StatusCode, ex.Attempts, s.Count(op))
	}
	if q := c.Quota(); !q.Known || q.Remaining != 0 {
		t.Fatalf("quota after 429: %+v", q)
	}
	_, ex, err = c.DomainOverview(context.Background(), sim.DomainClean)
	if e := wantKind(t, err, KindRateLimited); ex != nil || e.Exchange != nil || s.Count(op) != 1 || e.RetryAfter != time.Second {
		t.Fatalf("follow-up was not refused locally: count %d, exchange %v, RetryAfter %v", s.Count(op), ex, e.RetryAfter)
	}
	if sl := clk.Sleeps(); len(sl) != 0 {
		t.Fatalf("the client waited %v with a deadline shorter than Retry-After", sl)
	}
	// Once Retry-After has passed, calls go out again.
	clk.Advance(time.Second)
	if _, ex, err := c.DomainOverview(context.Background(), sim.DomainClean); err != nil || ex.Attempts != 1 || s.Count(op) != 2 {
		t.Fatalf("after Retry-After: %v, count %d", err, s.Count(op))
	}

	// With time to wait, the retry goes only after Retry-After: the fake
	// clock records the wait before the second request.
	s2 := sim.New(sim.Options{})
	s2.Inject(sim.Fault{Op: op, Status: 429, RetryAfter: 1, Times: 1})
	c2, fc := newTestClient(t, simServer(t, s2, false), func(c *Config) { c.Token = sim.DemoToken; c.AccountID = sim.DemoAccountID; c.RateLimit = -1 })
	var countAtSleep atomic.Int64
	c2.clock = &observingClock{fakeClock: fc, onSleep: func() { countAtSleep.Store(int64(s2.Count(op))) }}
	d, ex, err := c2.DomainOverview(context.Background(), sim.DomainClean)
	if err != nil || d.Domain != sim.DomainClean {
		t.Fatal(err)
	}
	sl := fc.Sleeps()
	if ex.Attempts != 2 || s2.Count(op) != 2 || len(sl) != 1 || sl[0] < time.Second || countAtSleep.Load() != 1 {
		t.Fatalf("attempts %d, count %d, sleeps %v, count while waiting %d", ex.Attempts, s2.Count(op), sl, countAtSleep.Load())
	}

	// And on the real clock, end to end: one retry, after the wait.
	s3 := sim.New(sim.Options{})
	s3.Inject(sim.Fault{Op: op, Status: 429, RetryAfter: 1, Times: 1})
	c3 := simClient(t, simServer(t, s3, false), nil)
	if _, ex, err := c3.DomainOverview(context.Background(), sim.DomainClean); err != nil || ex.Attempts != 2 || s3.Count(op) != 2 {
		t.Fatalf("real clock: %v, count %d", err, s3.Count(op))
	}
}

// observingClock runs a hook before each wait, to see what the server had
// received at that moment.
type observingClock struct {
	*fakeClock
	onSleep func()
}

func (o *observingClock) Sleep(ctx context.Context, d time.Duration) error {
	o.onSleep()
	return o.fakeClock.Sleep(ctx, d)
}

// TestSimFailedResetSentOnce: a reset that fails in any way reached the
// simulator exactly once and reset nothing when the answer was a fault.
func TestSimFailedResetSentOnce(t *testing.T) {
	op := sim.OpRiskReset
	cases := []struct {
		name  string
		fault sim.Fault
		mod   func(*Config)
		kind  ErrorKind
		frag  string
	}{
		{"500", sim.Fault{Op: op, Status: 500}, nil, KindServer, "HTTP 500"},
		{"502", sim.Fault{Op: op, Status: 502}, nil, KindServer, "HTTP 502"},
		{"429", sim.Fault{Op: op, Status: 429, RetryAfter: 1}, nil, KindRateLimited, "rate limited by Cloudflare"},
		{"html", sim.Fault{Op: op, HTML: true}, nil, KindGateway, "HTML error page"},
		{"dropped connection", sim.Fault{Op: op, DropConnection: true}, nil, KindNetwork, "outcome is unknown"},
		{"timeout", sim.Fault{Op: op, Latency: 5 * time.Second}, func(c *Config) { c.Timeout = 200 * time.Millisecond }, KindTimeout, "outcome is unknown"},
		{"malformed", sim.Fault{Op: op, Malformed: true}, nil, KindMalformed, "probably applied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(sim.Options{})
			base := simServer(t, s, false)
			good := simClient(t, base, nil)
			bob := userID(t, good, sim.EmailFewEvents)
			// The default transport with keep-alive, warmed up by a GET, so
			// the reset goes over a reused connection: the case where
			// net/http itself could replay a request.
			c := simClient(t, base, func(c *Config) {
				c.MaxRetries = 5
				c.HTTPClient = nil
				if tc.mod != nil {
					tc.mod(c)
				}
			})
			if _, _, err := c.RiskScore(context.Background(), bob); err != nil {
				t.Fatal(err)
			}
			s.Inject(tc.fault)
			ex, err := c.ResetRisk(context.Background(), bob)
			e := wantKind(t, err, tc.kind)
			if !strings.Contains(e.Message, tc.frag) {
				t.Fatalf("message %q, want %q", e.Message, tc.frag)
			}
			if n := s.Count(op); n != 1 {
				t.Fatalf("the reset reached the simulator %d times, want exactly 1", n)
			}
			if ex == nil || ex.Attempts != 1 {
				t.Fatalf("exchange %+v", ex)
			}
			s.ClearFaults()
			rs, _, err := good.RiskScore(context.Background(), bob)
			if err != nil || len(rs.Events) == 0 {
				t.Fatalf("a faulted reset cleared the events (%v)", err)
			}
		})
	}
}

func TestSimLimiterKeepsUnder(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, simServer(t, s, true), func(c *Config) { c.RateLimit = 3; c.RateWindow = time.Minute })
	for i := 0; i < 3; i++ {
		if _, _, err := c.ASNOverview(context.Background(), 13335); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, ex, err := c.ASNOverview(ctx, 13335)
	e := wantKind(t, err, KindRateLimited)
	if ex != nil || e.RetryAfter <= 0 || e.RetryAfter > time.Minute || s.Count(sim.OpASN) != 3 {
		t.Fatalf("4th call: exchange %v RetryAfter %v count %d", ex, e.RetryAfter, s.Count(sim.OpASN))
	}
	// One call per 100ms, on a fake clock (so nothing depends on how fast
	// the test runs): each call after the first waits for its slot, then
	// is sent.
	c2, clk := newTestClient(t, simServer(t, s, true), func(c *Config) {
		c.Token, c.AccountID = sim.DemoToken, sim.DemoAccountID
		c.RateLimit, c.RateWindow = 1, 100*time.Millisecond
	})
	for i := 0; i < 3; i++ {
		if _, _, err := c2.ASNSubnets(context.Background(), 13335); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Count(sim.OpASNSubnets); n != 3 {
		t.Fatalf("count %d", n)
	}
	sl := clk.Sleeps()
	if len(sl) != 2 {
		t.Fatalf("waits %v, want one before each of the 2nd and 3rd calls", sl)
	}
	for _, d := range sl {
		if d <= 0 || d > 100*time.Millisecond {
			t.Fatalf("waits %v, want each in (0, 100ms]", sl)
		}
	}
	// The 4th, with a deadline before its slot, is held: refused without
	// a request.
	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	_, ex, err = c2.ASNSubnets(short, 13335)
	e = wantKind(t, err, KindRateLimited)
	if ex != nil || e.RetryAfter <= 0 || e.RetryAfter > 100*time.Millisecond || s.Count(sim.OpASNSubnets) != 3 {
		t.Fatalf("4th call: exchange %v RetryAfter %v count %d", ex, e.RetryAfter, s.Count(sim.OpASNSubnets))
	}
	// When the slot comes, it goes.
	clk.Advance(100 * time.Millisecond)
	if _, _, err := c2.ASNSubnets(context.Background(), 13335); err != nil || s.Count(sim.OpASNSubnets) != 4 {
		t.Fatalf("after the slot: %v, count %d", err, s.Count(sim.OpASNSubnets))
	}
}

func TestSimTokenStaysWithBase(t *testing.T) {
	var foreignHits atomic.Int64
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		io.WriteString(w, `{"success":true,"errors":[],"result":{}}`)
	}))
	defer foreign.Close()
	s := sim.New(sim.Options{})
	c := simClient(t, simServer(t, s, false), nil)
	fhost := strings.TrimPrefix(foreign.URL, "http://")
	_, fport, _ := strings.Cut(fhost, ":")
	for _, p := range []string{
		foreign.URL + "/client/v4/user/tokens/verify",
		"//" + fhost + "/client/v4/user/tokens/verify",
		fhost + "/client/v4/user/tokens/verify",
		"http://127.0.0.1:" + fport + "/client/v4/user/tokens/verify",
		"/..%2f..",
		"/accounts/../../x",
		"/accounts/%2e%2e/%2e%2e/user/tokens/verify",
	} {
		for _, m := range []string{"GET", "POST", "DELETE"} {
			_, err := c.Raw(context.Background(), RawRequest{Method: m, Path: p})
			wantKind(t, err, KindOrigin)
		}
	}
	for _, h := range []string{"Authorization", "X-Auth-Key", "X-Auth-Email"} {
		_, err := c.Raw(context.Background(), RawRequest{Path: "/user/tokens/verify", Header: [][2]string{{h, "x"}}})
		wantKind(t, err, KindInput)
	}
	if foreignHits.Load() != 0 || s.Total() != 0 {
		t.Fatalf("foreign got %d requests, simulator %d", foreignHits.Load(), s.Total())
	}
}

// BenchmarkLookup shows the client's overhead over a bare net/http GET of
// the same URL against the in-process simulator; the limiter is disabled
// (RateLimit: -1) so it measures the client, not the waiting.
func BenchmarkLookup(b *testing.B) {
	// The simulator's own 1200-per-5-minutes limit would stop a long run:
	// its clock advances a second per request, so no window ever fills.
	var tick atomic.Int64
	start := time.Now()
	s := sim.New(sim.Options{Now: func() time.Time { return start.Add(time.Duration(tick.Add(1)) * time.Second) }})
	srv := httptest.NewServer(s)
	defer srv.Close()
	base := srv.URL + sim.BasePath
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	c, err := New(Config{BaseURL: base, Token: sim.DemoToken, AccountID: sim.DemoAccountID, RateLimit: -1, HTTPClient: hc})
	if err != nil {
		b.Fatal(err)
	}
	url := base + "/accounts/" + sim.DemoAccountID + "/intel/ip?ipv4=" + sim.IPRiskyC2
	ctx := context.Background()

	b.Run("client", func(b *testing.B) {
		for b.Loop() {
			ips, _, err := c.IPOverview(ctx, sim.IPRiskyC2)
			if err != nil || len(ips) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+sim.DemoToken)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			var env struct {
				Success bool     `json:"success"`
				Result  []IPInfo `json:"result"`
			}
			if err := json.Unmarshal(body, &env); err != nil || !env.Success || len(env.Result) != 1 {
				b.Fatal(err)
			}
		}
	})
}
