package cloudflare

import (
	"bytes"
	"context"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// Cache kinds: each has its own time-to-live (the store's config sets
// them). An operation without a kind is never cached.
const (
	CacheIP     = "ip"     // IP overview, passive DNS
	CacheDomain = "domain" // domain overview, bulk domains, category history
	CacheWhois  = "whois"
	CacheASN    = "asn"  // ASN overview and subnets
	CacheUser   = "user" // user search, risk score, risk summary, a user's context
)

// CacheKinds lists the kinds, for stats and config.
var CacheKinds = []string{CacheIP, CacheDomain, CacheWhois, CacheASN, CacheUser}

// CacheKindOf is the cache kind of an operation; "" for one never cached
// (token verify, account lists, raw calls, every write).
func CacheKindOf(op string) string {
	switch op {
	case OpIPOverview, OpPassiveDNS:
		return CacheIP
	case OpDomainOverview, OpBulkDomains, OpDomainHistory, OpURLIntel:
		return CacheDomain
	case OpWhois:
		return CacheWhois
	case OpASNOverview, OpASNSubnets:
		return CacheASN
	case OpFindUsers, OpRiskScore, OpRiskSummary, OpLastSeenIdentity, OpActiveSessions, OpFailedLogins, OpAccessRequests, OpDevices:
		return CacheUser
	}
	return ""
}

// CacheKey names one kept answer. Account and Request (the GET's URL,
// its base replaced by Config.CacheScope; never the token) identify it,
// so switching accounts or APIs never serves another's data; the rest
// describe it.
type CacheKey struct {
	Account   string
	Request   string
	Operation string
	Kind      string
	Indicator string // the IP, domain, ASN, email or user id asked about
}

// CachedAnswer is a successful answer as it was received. Only the
// status, the content type and the body are kept: never a header that
// could carry credentials.
type CachedAnswer struct {
	Status      int
	ContentType string
	Body        []byte
	Fetched     time.Time
}

// Cache is the client's memory of successful GET answers; the store
// implements it (the client never imports the store). Only the typed GET
// calls consult it, and only for operations with a CacheKindOf.
type Cache interface {
	// Get returns the answer kept for key if it is fresh: at most maxAge
	// old, or when maxAge < 0 within the kind's own time-to-live.
	Get(key CacheKey, maxAge time.Duration) (CachedAnswer, bool)
	// Put keeps a fresh answer and returns the one it replaced (what
	// change detection compares with).
	Put(key CacheKey, a CachedAnswer) (previous CachedAnswer, replaced bool)
}

// Observer, when the Cache also implements it, is told of every answer
// a cacheable typed GET returns, fresh or cached (the lookup history).
type Observer interface {
	Observe(key CacheKey, a CachedAnswer, fromCache bool)
}

// CacheInfo is an exchange's relation to the cache, set on the exchange
// of every cacheable typed GET that succeeded.
type CacheInfo struct {
	Operation string
	Hit       bool      // answered from the cache: no request was sent
	Fetched   time.Time // when the answer came from the API
	// Previous is the answer a fresh one replaced (nil on a hit, or when
	// nothing was kept before).
	Previous *CachedAnswer
}

// Age is how old the answer is at now.
func (ci CacheInfo) Age(now time.Time) time.Duration {
	if ci.Fetched.IsZero() {
		return 0
	}
	return now.Sub(ci.Fetched)
}

type cachePolicy struct {
	fresh, off bool
	quiet      bool          // not a lookup of the analyst's: no history
	maxAge     time.Duration // <0: the kind's TTL
}

type cachePolicyKey struct{}

func policyOf(ctx context.Context) cachePolicy {
	if ctx != nil {
		if p, ok := ctx.Value(cachePolicyKey{}).(cachePolicy); ok {
			return p
		}
	}
	return cachePolicy{maxAge: -1}
}

func withPolicy(ctx context.Context, f func(*cachePolicy)) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	p := policyOf(ctx)
	f(&p)
	return context.WithValue(ctx, cachePolicyKey{}, p)
}

// WithFresh makes the calls under ctx fetch from the API (and keep the
// answer): ctrl+r, and what a reviewed write shows before and after it
// sends.
func WithFresh(ctx context.Context) context.Context {
	return withPolicy(ctx, func(p *cachePolicy) { p.fresh = true })
}

// WithoutCache makes the calls under ctx neither read nor keep cached
// answers (--no-cache). The history still hears of them.
func WithoutCache(ctx context.Context) context.Context {
	return withPolicy(ctx, func(p *cachePolicy) { p.off = true })
}

// WithoutHistory marks the calls under ctx as background work (the
// verdicts lists show beside their rows): cached and kept as usual, but
// not recorded as lookups in the history.
func WithoutHistory(ctx context.Context) context.Context {
	return withPolicy(ctx, func(p *cachePolicy) { p.quiet = true })
}

// WithMaxAge serves cached answers at most d old, in place of each
// kind's time-to-live (--max-age); d <= 0 always fetches.
func WithMaxAge(ctx context.Context, d time.Duration) context.Context {
	return withPolicy(ctx, func(p *cachePolicy) {
		if d <= 0 {
			p.fresh = true
			return
		}
		p.maxAge = d
	})
}

// IsFresh reports whether ctx asks for fresh answers (WithFresh).
func IsFresh(ctx context.Context) bool { return policyOf(ctx).fresh }

// cacheKey describes a typed GET for the cache; ok is false when the
// operation is never cached or no cache is configured.
func (c *Client) cacheKey(rq *request, query [][2]string) (CacheKey, bool) {
	kind := CacheKindOf(rq.op)
	if c.cache == nil || kind == "" || rq.method != http.MethodGet {
		return CacheKey{}, false
	}
	req := c.cacheScope + strings.TrimPrefix(rq.url, c.baseStr)
	return CacheKey{Account: c.accountID, Request: req, Operation: rq.op, Kind: kind, Indicator: indicatorOf(rq, query)}, true
}

// indicatorOf is what a GET asks about: its subject (a user), else the
// first query value naming an indicator, else the ASN in the path.
func indicatorOf(rq *request, query [][2]string) string {
	if rq.subject != "" {
		return rq.subject
	}
	for _, kv := range query {
		switch kv[0] {
		case "ipv4", "ipv6", "domain", "email":
			return kv[1]
		}
	}
	if i := strings.Index(rq.url, "/intel/asn/"); i >= 0 {
		rest := rq.url[i+len("/intel/asn/"):]
		if j := strings.IndexAny(rest, "/?"); j >= 0 {
			rest = rest[:j]
		}
		return rest
	}
	return ""
}

// fromCache answers rq from the cache when the policy allows and a fresh
// enough answer decodes; out is only touched on success.
func (c *Client) fromCache(ctx context.Context, rq *request, key CacheKey, out any) (*Exchange, *envelope, bool) {
	p := policyOf(ctx)
	if p.fresh || p.off {
		return nil, nil, false
	}
	a, ok := c.cache.Get(key, p.maxAge)
	if !ok {
		return nil, nil, false
	}
	ex := &Exchange{Method: rq.method, URL: rq.url, StatusCode: a.Status, Body: a.Body,
		Header: http.Header{}, Cache: CacheInfo{Operation: rq.op, Hit: true, Fetched: a.Fetched}}
	if a.ContentType != "" {
		ex.Header.Set("Content-Type", a.ContentType)
	}
	env, err := decodeFresh(c, rq, ex, out)
	if err != nil {
		return nil, nil, false // an unreadable kept answer is fetched again
	}
	c.observe(ctx, key, a, true)
	return ex, env, true
}

// getCached is a typed GET through the cache: answered from it within
// the time-to-live, else sent, decoded into out and kept. The envelope
// is returned for callers that read more than the result (paging).
func (c *Client) getCached(ctx context.Context, rq *request, query [][2]string, out any) (*Exchange, *envelope, *Error) {
	key, cacheable := c.cacheKey(rq, query)
	if cacheable {
		if ex, env, ok := c.fromCache(ctx, rq, key, out); ok {
			return ex, env, nil
		}
	}
	ex, env, e := c.send(ctx, rq)
	if e == nil {
		e = c.decodeInto(rq, ex, env, out)
	}
	if e == nil && cacheable {
		c.keep(ctx, key, ex)
	}
	return ex, env, e
}

// decodeFresh judges and decodes ex into a new value of out's type and
// copies it to out only when everything succeeded.
func decodeFresh(c *Client, rq *request, ex *Exchange, out any) (*envelope, *Error) {
	env, e := c.classify(rq, ex)
	if e != nil || out == nil {
		return env, e
	}
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return env, c.decodeInto(rq, ex, env, out)
	}
	tmp := reflect.New(rv.Elem().Type())
	if e := c.decodeInto(rq, ex, env, tmp.Interface()); e != nil {
		return nil, e
	}
	rv.Elem().Set(tmp.Elem())
	return env, nil
}

// keep stores a fresh, decoded answer and notes on ex what it replaced.
// An answer that echoes the token is never kept.
func (c *Client) keep(ctx context.Context, key CacheKey, ex *Exchange) {
	now := c.clock.Now()
	ex.Cache = CacheInfo{Operation: key.Operation, Fetched: now}
	if ex.StatusCode < 200 || ex.StatusCode >= 300 {
		return
	}
	a := CachedAnswer{Status: ex.StatusCode, ContentType: ex.Header.Get("Content-Type"), Body: ex.Body, Fetched: now}
	if c.token != "" && bytes.Contains(ex.Body, []byte(c.token)) {
		a.Body = nil
		c.observe(ctx, key, a, false)
		return
	}
	if !policyOf(ctx).off {
		if prev, ok := c.cache.Put(key, a); ok {
			ex.Cache.Previous = &prev
		}
	}
	c.observe(ctx, key, a, false)
}

func (c *Client) observe(ctx context.Context, key CacheKey, a CachedAnswer, hit bool) {
	if policyOf(ctx).quiet {
		return
	}
	if o, ok := c.cache.(Observer); ok {
		o.Observe(key, a, hit)
	}
}

// DecodeAnswer judges and decodes a kept answer of op as the call itself
// would (change detection decodes the previous answer with it).
func DecodeAnswer(op string, a CachedAnswer, out any) error {
	rq := &request{op: op, method: http.MethodGet, shape: shapeEnvelope}
	if op == OpASNSubnets {
		rq.shape = shapeBare
	}
	ex := &Exchange{Method: rq.method, StatusCode: a.Status, Header: http.Header{}, Body: a.Body}
	if a.ContentType != "" {
		ex.Header.Set("Content-Type", a.ContentType)
	}
	c := &Client{clock: realClock{}}
	if _, e := decodeFresh(c, rq, ex, out); e != nil {
		return e
	}
	return nil
}
