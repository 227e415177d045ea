package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// mapCache is an in-memory Cache and Observer that records its calls
// (the real one is actions.Memory over the store).
type mapCache struct {
	mu       sync.Mutex
	m        map[string]CachedAnswer
	puts     []CacheKey
	maxAges  []time.Duration
	observed []string // "op indicator hit|fresh"
}

func newMapCache() *mapCache { return &mapCache{m: map[string]CachedAnswer{}} }

func (c *mapCache) key(k CacheKey) string { return k.Account + " " + k.Request }

func (c *mapCache) Get(k CacheKey, maxAge time.Duration) (CachedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxAges = append(c.maxAges, maxAge)
	a, ok := c.m[c.key(k)]
	return a, ok
}

func (c *mapCache) Put(k CacheKey, a CachedAnswer) (CachedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.puts = append(c.puts, k)
	prev, ok := c.m[c.key(k)]
	c.m[c.key(k)] = a
	return prev, ok
}

func (c *mapCache) Observe(k CacheKey, a CachedAnswer, hit bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	how := "fresh"
	if hit {
		how = "hit"
	}
	c.observed = append(c.observed, k.Operation+" "+k.Indicator+" "+how)
}

func (c *mapCache) snapshot() (puts []CacheKey, observed []string, maxAges []time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]CacheKey(nil), c.puts...), append([]string(nil), c.observed...), append([]time.Duration(nil), c.maxAges...)
}

func cachedSimClient(t *testing.T, s *sim.Sim, cache Cache) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: simServer(t, s, true), Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		RateLimit: -1, BackoffBase: time.Millisecond, Cache: cache,
		HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCacheAnswersTheSecondLookup(t *testing.T) {
	s := sim.New(sim.Options{})
	mc := newMapCache()
	c := cachedSimClient(t, s, mc)
	ctx := context.Background()
	first, ex1, err := c.IPOverview(ctx, sim.IPRiskyC2)
	if err != nil {
		t.Fatal(err)
	}
	if ex1.Cache.Hit || ex1.Cache.Fetched.IsZero() || ex1.Cache.Previous != nil || ex1.Cache.Operation != OpIPOverview {
		t.Errorf("first exchange cache info = %+v", ex1.Cache)
	}
	second, ex2, err := c.IPOverview(ctx, sim.IPRiskyC2)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Count("ip-intelligence-get-ip-overview"); n != 1 {
		t.Fatalf("two lookups of the same IP sent %d requests, want 1", n)
	}
	if !ex2.Cache.Hit || !ex2.Cache.Fetched.Equal(ex1.Cache.Fetched) || ex2.Attempts != 0 || ex2.StatusCode != 200 {
		t.Errorf("cached exchange = %+v", ex2)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("the cached answer differs:\n%v\n%v", first, second)
	}
	if ex2.Header.Get("Content-Type") == "" || string(ex2.Body) != string(ex1.Body) {
		t.Errorf("cached exchange lost the content type or body")
	}
	if age := ex2.Cache.Age(ex2.Cache.Fetched.Add(4 * time.Minute)); age != 4*time.Minute {
		t.Errorf("Age = %s", age)
	}
	puts, observed, maxAges := mc.snapshot()
	if len(puts) != 1 || puts[0].Kind != CacheIP || puts[0].Indicator != sim.IPRiskyC2 || puts[0].Account != sim.DemoAccountID {
		t.Errorf("puts = %+v", puts)
	}
	if fmt.Sprint(observed) != fmt.Sprintf("[IP overview %s fresh IP overview %s hit]", sim.IPRiskyC2, sim.IPRiskyC2) {
		t.Errorf("observed = %v", observed)
	}
	if len(maxAges) != 2 || maxAges[0] >= 0 {
		t.Errorf("default max age passed = %v, want <0 (the kind's TTL)", maxAges)
	}
}

func TestCacheFreshMaxAgeAndOff(t *testing.T) {
	s := sim.New(sim.Options{})
	mc := newMapCache()
	c := cachedSimClient(t, s, mc)
	ctx := context.Background()
	if _, _, err := c.DomainOverview(ctx, sim.DomainPhishing); err != nil {
		t.Fatal(err)
	}
	_, ex, err := c.DomainOverview(WithFresh(ctx), sim.DomainPhishing)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Cache.Hit || ex.Cache.Previous == nil || len(ex.Cache.Previous.Body) == 0 {
		t.Errorf("fresh fetch: %+v", ex.Cache)
	}
	if n := s.Count("domain-intelligence-get-domain-details"); n != 2 {
		t.Errorf("WithFresh sent %d requests in all, want 2", n)
	}
	if _, _, err := c.DomainOverview(WithMaxAge(ctx, 90*time.Second), sim.DomainPhishing); err != nil {
		t.Fatal(err)
	}
	_, _, maxAges := mc.snapshot()
	if got := maxAges[len(maxAges)-1]; got != 90*time.Second {
		t.Errorf("WithMaxAge passed %s", got)
	}
	if !IsFresh(WithMaxAge(ctx, 0)) {
		t.Error("WithMaxAge(0) must always fetch")
	}
	before := len(mc.puts)
	for i := 0; i < 2; i++ {
		if _, _, err := c.DomainOverview(WithoutCache(ctx), sim.DomainPhishing); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Count("domain-intelligence-get-domain-details"); n != 4 {
		t.Errorf("WithoutCache: %d requests in all, want 4", n)
	}
	if puts, _, _ := mc.snapshot(); len(puts) != before {
		t.Error("WithoutCache kept an answer")
	}
}

func TestCacheNeverKeepsErrorsWritesOrUncacheable(t *testing.T) {
	s := sim.New(sim.Options{})
	mc := newMapCache()
	// The bare simulator: a fault's answer is outside the contract.
	c, err := New(Config{BaseURL: simServer(t, s, false), Token: sim.DemoToken, AccountID: sim.DemoAccountID, RateLimit: -1, Cache: mc})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, st := range []int{500, 429, 403} {
		s.ClearFaults()
		s.Inject(sim.Fault{Op: "ip-intelligence-get-ip-overview", Status: st, RetryAfter: 1})
		c2, _ := New(Config{BaseURL: c.BaseURL(), Token: sim.DemoToken, AccountID: sim.DemoAccountID, RateLimit: -1,
			MaxRetries: -1, Cache: mc, HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}})
		if _, _, err := c2.IPOverview(ctx, sim.IPCleanCF); err == nil {
			t.Fatalf("HTTP %d was not an error", st)
		}
	}
	s.ClearFaults()
	if _, err := c.ResetRisk(ctx, "5ec02e5e-0000-4000-8000-000000000000"); err == nil {
		t.Log("reset of an unknown user succeeded")
	}
	if _, _, err := c.VerifyToken(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Raw(ctx, RawRequest{Method: "GET", Path: "/accounts/{account_id}/intel/ip", Query: [][2]string{{"ipv4", sim.IPCleanCF}}}); err != nil {
		t.Fatal(err)
	}
	if puts, _, _ := mc.snapshot(); len(puts) != 0 {
		t.Errorf("kept %+v; errors, writes, token verify and raw calls are never cached", puts)
	}
}

func TestCacheKeyedByAccountAndNoToken(t *testing.T) {
	const tok = "cache-test-token-0123456789abcdef"
	echo := false
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Set-Cookie", "session="+tok)
		name := "clean"
		if echo {
			name = r.Header.Get("Authorization") // a hostile server echoing the token
		}
		fmt.Fprintf(w, `{"success":true,"errors":[],"messages":[],"result":[{"ip":"192.0.2.1","risk_types":[{"id":1,"name":%q}]}]}`, name)
	})
	mc := newMapCache()
	mk := func(acct string) *Client {
		c, err := New(Config{BaseURL: srv.URL + "/client/v4", Token: tok, AccountID: acct, RateLimit: -1, Cache: mc})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ctx := context.Background()
	a, b := mk(testAccount), mk("11111111111111111111111111111111")
	if _, _, err := a.IPOverview(ctx, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	_, ex, err := b.IPOverview(ctx, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Cache.Hit || srv.Count() != 2 {
		t.Errorf("another account's answer was served (hit=%v, requests=%d)", ex.Cache.Hit, srv.Count())
	}
	echo = true
	if _, _, err := a.IPOverview(WithFresh(ctx), "192.0.2.2"); err != nil {
		t.Fatal(err)
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	for k, v := range mc.m {
		if strings.Contains(k, tok) || strings.Contains(string(v.Body), tok) || strings.Contains(v.ContentType, tok) {
			t.Errorf("the token is in the cache: %s %s", k, v.Body)
		}
	}
	// The echoing answer reaches the cache with the token already masked
	// by the client (… and the last four), so it may be kept: what
	// matters is that the token itself is nowhere in it (checked above).
	if len(mc.m) != 3 {
		t.Errorf("%d answers kept, want 3", len(mc.m))
	}
}

func TestCacheUnreadableAnswerIsFetchedAgain(t *testing.T) {
	s := sim.New(sim.Options{})
	mc := newMapCache()
	c := cachedSimClient(t, s, mc)
	ctx := context.Background()
	if _, _, err := c.Whois(ctx, sim.DomainPhishing); err != nil {
		t.Fatal(err)
	}
	mc.mu.Lock()
	for k, v := range mc.m {
		v.Body = []byte(`{"success":true,"result":{"found":"not a bool"`)
		mc.m[k] = v
	}
	mc.mu.Unlock()
	who, ex, err := c.Whois(ctx, sim.DomainPhishing)
	if err != nil || ex.Cache.Hit || !who.Found {
		t.Fatalf("a broken kept answer: %v hit=%v found=%v", err, ex.Cache.Hit, who.Found)
	}
	if n := s.Count("whois-record-get-whois-record"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestCacheKinds(t *testing.T) {
	for op, want := range map[string]string{
		OpIPOverview: CacheIP, OpPassiveDNS: CacheIP, OpDomainOverview: CacheDomain, OpWhois: CacheWhois,
		OpASNSubnets: CacheASN, OpRiskScore: CacheUser, OpFindUsers: CacheUser,
		OpVerifyToken: "", OpListAccounts: "", OpResetRisk: "", OpRevokeSessions: "", OpRaw: "", OpMiscategorize: "",
	} {
		if got := CacheKindOf(op); got != want {
			t.Errorf("CacheKindOf(%q) = %q, want %q", op, got, want)
		}
	}
}

func TestDecodeAnswer(t *testing.T) {
	var infos []IPInfo
	if err := DecodeAnswer(OpIPOverview, CachedAnswer{Status: 200, ContentType: "application/json", Body: []byte(okIP)}, &infos); err != nil || len(infos) != 1 || infos[0].IP != "192.0.2.1" {
		t.Fatalf("DecodeAnswer = %v %v", infos, err)
	}
	if err := DecodeAnswer(OpIPOverview, CachedAnswer{Status: 200, Body: []byte(`{"success":false}`)}, &infos); err == nil {
		t.Error("a failure envelope decoded")
	}
}

// Background lookups (the verdicts beside a list's rows) are cached like
// any other but kept out of the analyst's lookup history.
func TestCacheWithoutHistory(t *testing.T) {
	s := sim.New(sim.Options{})
	mc := newMapCache()
	c := cachedSimClient(t, s, mc)
	quiet := WithoutHistory(context.Background())
	if _, _, err := c.IPOverview(quiet, sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.IPOverview(quiet, sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	puts, observed, _ := mc.snapshot()
	if len(puts) != 1 || len(observed) != 0 {
		t.Fatalf("quiet lookups: %d kept, observed %v (want 1 kept, none observed)", len(puts), observed)
	}
	if n := s.Count(OperationID(OpIPOverview)); n != 1 {
		t.Fatalf("the second quiet lookup sent a request (%d)", n)
	}
	if _, _, err := c.IPOverview(context.Background(), sim.IPRiskyC2); err != nil {
		t.Fatal(err)
	}
	if _, observed, _ := mc.snapshot(); len(observed) != 1 {
		t.Fatalf("an analyst's lookup was not observed: %v", observed)
	}
}
