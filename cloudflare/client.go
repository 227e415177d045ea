// Package cloudflare is cftriage's client for the Cloudflare API
// operations in ../shared/cloudflare (net/http only). Every call validates
// its input first, takes a context and a per-call timeout, returns its
// typed result and the raw *Exchange, and fails with *Error, whose Message
// is a sentence a person can act on. GETs are retried (429, 5xx, network
// errors, HTML gateway pages) with backoff and jitter; nothing else ever
// is. A client-side limiter keeps under 1,200 requests per 5 minutes and a
// 429's Retry-After blocks every call until it has passed; with a
// QuotaStore (Config.SharedQuota) the quota read from the Ratelimit
// headers and the Retry-After are shared with the profile's other
// processes, which wait for the window instead of spending the last
// requests. The token is sent only to the configured base origin.
package cloudflare

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Config configures a Client. Zero values mean the defaults.
type Config struct {
	BaseURL   string // default DefaultBaseURL; plain http only for loopback hosts
	Token     string
	AccountID string
	// HTTPClient defaults to one honouring HTTPS_PROXY/NO_PROXY. A given
	// client is copied and its CheckRedirect replaced, so redirects can
	// never carry the token to another origin.
	HTTPClient *http.Client
	Timeout    time.Duration // per call, all attempts and waits included; default 30s
	MaxRetries int           // GET retries, default 3; <0 disables
	// RateLimit and RateWindow set the client-side limiter (default 1200
	// per 5 minutes): at most RateLimit requests in any RateWindow.
	// RateLimit < 0 disables the limiter (benchmarks, the simulator).
	RateLimit    int
	RateWindow   time.Duration
	MaxBodyBytes int64 // default 16 MiB
	// BackoffBase is the first retry delay (default 500ms); tests shrink it.
	BackoffBase time.Duration
	// MaxRetryWait is the longest a GET waits for a 429's Retry-After
	// before giving up with KindRateLimited (default 60s; the call's
	// deadline also bounds it).
	MaxRetryWait time.Duration
	// UserAgent defaults to "cftriage/" + Version.
	UserAgent string
	// SharedQuota, when set, shares the quota read from the Ratelimit
	// headers and a 429's Retry-After with every other process of the
	// profile: a request waits (up to MaxQuotaWait, default 6 minutes)
	// while the shared quota is used up, instead of spending the last
	// requests or earning a 429. The wait before the first attempt is not
	// part of Timeout; cancel the context to stop it.
	SharedQuota QuotaStore
	// OnQuotaWait is told before each such wait (and once when the shared
	// state cannot be used); headless commands say it on stderr.
	OnQuotaWait  func(QuotaWait)
	MaxQuotaWait time.Duration
	// Clock replaces time (tests); nil is the real clock.
	Clock Clock
	// Cache, when set, answers the typed GETs within their time-to-live
	// and keeps their successful answers (see cache.go).
	Cache Cache
	// CacheScope names the API the cached answers belong to (default:
	// the base URL). The demo's simulator listens on a new port each
	// run, so it names itself once for all runs.
	CacheScope string
}

const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// Version goes into the default User-Agent; main may set it at link time
// (-ldflags "-X cftriage/cloudflare.Version=1.2.3").
var Version = "dev"

const (
	defaultTimeout      = 30 * time.Second
	defaultMaxRetries   = 3
	defaultRateLimit    = 1200
	defaultRateWindow   = 5 * time.Minute
	defaultMaxBody      = 16 << 20
	defaultBackoffBase  = 500 * time.Millisecond
	defaultMaxRetryWait = 60 * time.Second
	maxBackoff          = 10 * time.Second
)

// Client calls the Cloudflare API. It is safe for concurrent use.
type Client struct {
	baseStr   string // scheme://host[:port]/path, no trailing slash
	basePath  string // "/client/v4"
	origin    string // scheme://host:port, port always explicit
	host      string // for messages
	token     string
	accountID string
	hc        *http.Client
	userAgent string

	timeout      time.Duration
	maxRetries   int
	maxRetryWait time.Duration
	backoffBase  time.Duration
	maxBody      int64
	limiter      *windowLimiter // nil: disabled
	rateLimit    int
	rateWindow   time.Duration
	clock        Clock

	shared       QuotaStore
	onQuotaWait  func(QuotaWait)
	maxQuotaWait time.Duration
	sharedWarned atomic.Bool
	waiting      atomic.Pointer[QuotaWait]
	cache        Cache // nil: none
	cacheScope   string

	mu           sync.Mutex
	quota        Quota
	blockedUntil time.Time
	ident        *TokenStatus // the last successful token verify
}

var accountIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func configError(msg string) error {
	return &Error{Kind: KindInput, Op: "configuration", Message: msg}
}

// New checks the configuration and returns a client. It sends nothing.
func New(cfg Config) (*Client, error) {
	c := &Client{clock: realClock{}}
	if cfg.Clock != nil {
		c.clock = cfg.Clock
	}
	tok := strings.TrimSpace(cfg.Token)
	if tok == "" {
		return nil, configError("No Cloudflare API token is configured; set CLOUDFLARE_API_TOKEN or run `cftriage auth login`.")
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] <= ' ' || tok[i] >= 0x7f {
			return nil, configError("The API token contains spaces or characters that cannot be sent in a header; copy it again.")
		}
	}
	c.token = tok

	base := strings.TrimSpace(cfg.BaseURL)
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return nil, configError(fmt.Sprintf("The base URL %s is not an http(s) URL such as %s.", quoteInput(base), DefaultBaseURL))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Contains(base, "#") {
		return nil, configError(fmt.Sprintf("The base URL %s must not carry credentials, a query or a fragment.", quoteInput(base)))
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, configError(fmt.Sprintf("Refusing to send the API token over plain http to %s; use https (plain http is allowed only for localhost).", cleanText(u.Host, 100)))
	}
	c.basePath = strings.TrimRight(u.EscapedPath(), "/")
	c.origin = originOf(u)
	c.host = u.Host
	c.baseStr = u.Scheme + "://" + u.Host + c.basePath

	acct := strings.TrimSpace(cfg.AccountID)
	if acct != "" && !accountIDRe.MatchString(acct) {
		return nil, configError(fmt.Sprintf("The account id %s is not a Cloudflare account id (32 hexadecimal characters).", quoteInput(acct)))
	}
	c.accountID = acct

	c.timeout = orDefault(cfg.Timeout, defaultTimeout)
	c.maxRetries = cfg.MaxRetries
	if c.maxRetries == 0 {
		c.maxRetries = defaultMaxRetries
	} else if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	c.backoffBase = orDefault(cfg.BackoffBase, defaultBackoffBase)
	c.maxRetryWait = orDefault(cfg.MaxRetryWait, defaultMaxRetryWait)
	c.maxBody = cfg.MaxBodyBytes
	if c.maxBody <= 0 {
		c.maxBody = defaultMaxBody
	}
	c.rateLimit = cfg.RateLimit
	c.rateWindow = orDefault(cfg.RateWindow, defaultRateWindow)
	if c.rateLimit == 0 {
		c.rateLimit = defaultRateLimit
	}
	if c.rateLimit > 0 {
		c.limiter = newWindowLimiter(c.rateLimit, c.rateWindow)
	}
	c.shared, c.onQuotaWait = cfg.SharedQuota, cfg.OnQuotaWait
	c.maxQuotaWait = orDefault(cfg.MaxQuotaWait, defaultMaxQuotaWait)
	c.cache = cfg.Cache
	c.cacheScope = cfg.CacheScope
	if c.cacheScope == "" {
		c.cacheScope = c.baseStr
	}
	c.userAgent = cfg.UserAgent
	if c.userAgent == "" {
		c.userAgent = "cftriage/" + Version
	}

	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient
		c.hc = &hc
	} else {
		c.hc = &http.Client{Transport: defaultTransport()}
	}
	c.hc.CheckRedirect = c.checkRedirect
	return c, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// defaultTransport honours HTTPS_PROXY/NO_PROXY and bounds every phase
// that can hang before the per-call deadline would notice.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = http.ProxyFromEnvironment
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.IdleConnTimeout = 90 * time.Second
	t.MaxIdleConnsPerHost = 8
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	}
	t.TLSClientConfig.MinVersion = tls.VersionTLS12
	return t
}

// originOf is scheme://host:port with the default port made explicit, so
// "https://h" and "https://h:443" compare equal.
func originOf(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

func (c *Client) sameOrigin(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Host == "" && u.Scheme == "" { // relative reference: same origin
		return !strings.HasPrefix(raw, "//")
	}
	return originOf(u) == c.origin
}

// checkRedirect follows only same-origin redirects of GETs, so neither
// the token nor a write is ever replayed elsewhere; anything else hands
// the 3xx back to classify.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 || originOf(req.URL) != c.origin || via[0].Method != http.MethodGet {
		return http.ErrUseLastResponse
	}
	return nil
}

// AccountID is the configured account id ("" when none).
func (c *Client) AccountID() string { return c.accountID }

// Cache is the cache the client was built with (nil without one): a
// reviewed write tells it to forget what it kept about the user.
func (c *Client) Cache() Cache { return c.cache }

// BaseURL is the normalized base URL, without a trailing slash.
func (c *Client) BaseURL() string { return c.baseStr }

// Quota returns the latest rate-limit state read from response headers.
func (c *Client) Quota() Quota {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.quota
}

// BlockedFor is how long calls will still fail fast after a 429 (0 when
// not blocked).
func (c *Client) BlockedFor() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.blockedUntil.Sub(c.clock.Now()); d > 0 {
		return d
	}
	return 0
}

// request is one logical call (maybe several attempts).
type request struct {
	op         string
	method     string
	url        string // full URL
	header     [][2]string
	body       []byte
	shape      bodyShape
	subject    string // what the call is about, for messages (a user id)
	allowEmpty bool   // a 2xx with an empty body is a success (reset)
}

// errOrNil keeps a nil *Error from becoming a non-nil error interface.
func errOrNil(e *Error) error {
	if e == nil {
		return nil
	}
	return e
}

// send runs a request with the limiter, the 429 floor and GET retries,
// and judges the answer. The exchange is non-nil once a request was
// attempted; the envelope is set for a 2xx JSON answer.
func (c *Client) send(parent context.Context, rq *request) (*Exchange, *envelope, *Error) {
	if parent == nil {
		parent = context.Background()
	}
	start := c.clock.Now()
	ex := &Exchange{Method: rq.method, URL: rq.url}
	finish := func(env *envelope, e *Error) (*Exchange, *envelope, *Error) {
		ex.Duration = c.clock.Now().Sub(start)
		if ex.Attempts == 0 {
			return nil, env, e
		}
		return ex, env, e
	}
	// Waiting for the quota shared with other processes comes before the
	// call's timeout starts: a loop's process waits for the window.
	if e := c.checkBlocked(rq); e != nil {
		return finish(nil, e)
	}
	if e := c.paceShared(parent, parent, rq); e != nil {
		return finish(nil, e)
	}
	start = c.clock.Now() // the exchange's duration is the call's, not the wait's
	ctx, cancel := context.WithTimeout(parent, c.timeout)
	defer cancel()
	retryable := rq.method == http.MethodGet
	var last *Error // the previous attempt's failure
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			if e := c.checkBlocked(rq); e != nil {
				return finish(nil, e)
			}
			if e := c.paceShared(ctx, parent, rq); e != nil {
				if e.Kind == KindRateLimited {
					// No time left to wait for the retry: the answer
					// already received says best what went wrong.
					return finish(nil, last)
				}
				return finish(nil, e)
			}
		}
		if e := c.waitLimiter(ctx, parent, rq); e != nil {
			return finish(nil, e)
		}
		if ctx.Err() != nil {
			return finish(nil, c.contextError(ctx, parent, rq, false))
		}
		ex.Attempts = attempt
		if n, ok := parent.Value(sentCounterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
		ex.StatusCode, ex.Header, ex.Body = 0, nil, nil // describe the last attempt only
		env, e := c.attempt(ctx, parent, rq, ex)
		if e == nil {
			return finish(env, nil)
		}
		if !retryable || attempt > c.maxRetries || !shouldRetry(e) {
			return finish(nil, e)
		}
		last = e
		wait := c.backoff(attempt)
		if e.RetryAfter > wait {
			wait = e.RetryAfter
		}
		if b := c.BlockedFor(); b > wait {
			wait = b
		}
		if e.Kind == KindRateLimited && wait > c.maxRetryWait {
			return finish(nil, e)
		}
		if dl, ok := ctx.Deadline(); ok && wait >= time.Until(dl) {
			return finish(nil, e) // waiting would only end in a timeout
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return finish(nil, c.contextError(ctx, parent, rq, false))
		}
	}
}

func shouldRetry(e *Error) bool {
	switch e.Kind {
	case KindRateLimited, KindServer, KindNetwork, KindTimeout:
		return true
	case KindGateway:
		return e.StatusCode >= 500 || e.StatusCode < 400
	}
	return false
}

// backoff is exponential with jitter: base·2^(n-1), randomized to
// [½, 1] of that so concurrent clients spread out.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.backoffBase << min(attempt-1, 16)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

// checkBlocked fails fast while a 429's Retry-After is running.
func (c *Client) checkBlocked(rq *request) *Error {
	now := c.clock.Now()
	c.mu.Lock()
	until := c.blockedUntil
	c.mu.Unlock()
	d := until.Sub(now)
	if d <= 0 {
		return nil
	}
	return &Error{Kind: KindRateLimited, Op: rq.op, RetryAfter: d,
		Message: rateLimitedMessage(d, now) + " — no request was sent meanwhile"}
}

// block holds back every call of this client for d after a 429, and of
// the profile's other processes through the shared state.
func (c *Client) block(d time.Duration) {
	until := c.clock.Now().Add(d)
	c.mu.Lock()
	if until.After(c.blockedUntil) {
		c.blockedUntil = until
	}
	c.mu.Unlock()
	c.recordShared(nil, d)
}

// waitLimiter takes a slot from the client-side limiter, waiting if the
// deadline allows; otherwise it fails without sending.
func (c *Client) waitLimiter(ctx, parent context.Context, rq *request) *Error {
	if c.limiter == nil {
		return nil
	}
	for {
		now := c.clock.Now()
		wait := c.limiter.take(now)
		if wait == 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && wait >= time.Until(dl) {
			return &Error{Kind: KindRateLimited, Op: rq.op, RetryAfter: wait,
				Message: fmt.Sprintf("cftriage holds itself to %d requests per %s to stay under Cloudflare's limit; the next slot is in %s (at %s) — nothing was sent",
					c.rateLimit, c.rateWindow, formatWait(wait), now.Add(wait).Local().Format("15:04:05"))}
		}
		if err := c.clock.Sleep(ctx, wait); err != nil {
			return c.contextError(ctx, parent, rq, false)
		}
	}
}

// attempt sends once and judges the answer.
func (c *Client) attempt(ctx, parent context.Context, rq *request, ex *Exchange) (*envelope, *Error) {
	var body io.Reader
	if len(rq.body) > 0 {
		body = bytes.NewReader(rq.body)
	}
	var wrote bool
	var wroteMu sync.Mutex
	actx := ctx
	if isWrite(rq.method) {
		// Knowing whether the request left tells "nothing was sent" from
		// "the outcome is unknown" when a write fails.
		actx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteHeaders: func() { wroteMu.Lock(); wrote = true; wroteMu.Unlock() },
		})
	}
	req, err := http.NewRequestWithContext(actx, rq.method, rq.url, body)
	if err != nil {
		return nil, &Error{Kind: KindInput, Op: rq.op, Err: err, Message: fmt.Sprintf("The %s request could not be built; check the path and query.", rq.op)}
	}
	if isWrite(rq.method) {
		// A body net/http cannot rewind: the transport then never replays
		// the request itself (HTTP/1 retry on a reused connection, HTTP/2
		// retry after RST_STREAM), whatever the method or headers. A nil
		// or NoBody body would not do: net/http replays it on a reused
		// connection when an Idempotency-Key header is present
		// (Request.isReplayable), and HTTP/2 replays it after a
		// REFUSED_STREAM or PROTOCOL_ERROR reset whatever the method
		// (http2shouldRetryRequest).
		req.Body = io.NopCloser(bytes.NewReader(rq.body))
		req.GetBody = nil
		req.ContentLength = int64(len(rq.body))
		if len(rq.body) == 0 {
			emptyBodyLength(req)
		}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if len(rq.body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range rq.header {
		req.Header.Set(h[0], h[1])
	}
	resp, err := c.hc.Do(req)
	wroteMu.Lock()
	sent := wrote
	wroteMu.Unlock()
	if err != nil {
		return nil, c.transportError(ctx, parent, rq, err, sent)
	}
	defer resp.Body.Close()
	ex.StatusCode = resp.StatusCode
	ex.Header = c.maskHeader(resp.Header)
	c.recordQuota(resp.Header)
	c.recordShared(resp.Header, 0)

	if resp.ContentLength > c.maxBody {
		return nil, c.tooLarge(rq, ex)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if int64(len(data)) > c.maxBody {
		ex.Body = c.maskBody(data[:c.maxBody])
		return nil, c.tooLarge(rq, ex)
	}
	ex.Body = c.maskBody(data)
	if err != nil {
		e := c.transportError(ctx, parent, rq, err, true)
		e.StatusCode = resp.StatusCode
		e.Exchange = ex
		return nil, e
	}
	env, e := c.classify(rq, ex)
	if e != nil && e.Kind == KindRateLimited {
		if quotaUsedUp(e.Errors) {
			// A month's quota, not the 5-minute limit: blocking every call
			// for Retry-After would stop what still works (users, risk).
			return env, quotaError(e)
		}
		c.block(e.RetryAfter)
	}
	return env, e
}

// emptyBodyLength makes an empty write carry "Content-Length: 0" over
// HTTP/1 (strict proxies answer 411 to a chunked body and a naive one
// waits for it). net/http treats a non-nil body with ContentLength 0 as
// of unknown length and sends it chunked; the "identity" encoding stops
// that, and the length goes in as a header under a key net/http does not
// recognise as its own (its writer compares keys as stored, uncanonical;
// documented for Header.WriteSubset), so it is written as given. HTTP/2
// drops a content-length header of the caller's in any case and ends the
// stream after an empty DATA frame. replay_test.go checks the bytes on
// the wire and that no write is replayed.
func emptyBodyLength(req *http.Request) {
	req.TransferEncoding = []string{"identity"}
	req.Header["content-length"] = []string{"0"}
}

func (c *Client) tooLarge(rq *request, ex *Exchange) *Error {
	return &Error{Kind: KindTooLarge, Op: rq.op, StatusCode: ex.StatusCode, Exchange: ex,
		Message: fmt.Sprintf("Cloudflare's answer to %s is larger than the %s limit and was not read further.", rq.op, formatBytes(c.maxBody))}
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

func (c *Client) recordQuota(h http.Header) {
	q := ParseQuota(h, c.clock.Now())
	if !q.Known {
		return
	}
	c.mu.Lock()
	c.quota = q
	c.mu.Unlock()
}

const unknownOutcome = " The outcome is unknown: the change may or may not have been applied — check before trying again."

// contextError reports a call that ended because its context did.
func (c *Client) contextError(ctx, parent context.Context, rq *request, sent bool) *Error {
	tail := ""
	if isWrite(rq.method) {
		if sent {
			tail = unknownOutcome
		} else {
			tail = " Nothing was sent."
		}
	}
	if errors.Is(parent.Err(), context.Canceled) {
		return &Error{Kind: KindCanceled, Op: rq.op, Err: parent.Err(), Message: fmt.Sprintf("The %s was canceled.%s", rq.op, tail)}
	}
	return &Error{Kind: KindTimeout, Op: rq.op, Err: context.DeadlineExceeded,
		Message: fmt.Sprintf("The %s timed out after %s.%s", rq.op, c.effectiveTimeout(parent), tail)}
}

// effectiveTimeout is the shorter of the configured timeout and the
// caller's deadline, rounded for display.
func (c *Client) effectiveTimeout(parent context.Context) time.Duration {
	d := c.timeout
	if dl, ok := parent.Deadline(); ok {
		if left := time.Until(dl); left < d && left > 0 {
			d = left
		}
	}
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// transportError turns a failed round trip into a sentence; the Go error
// stays in Err.
func (c *Client) transportError(ctx, parent context.Context, rq *request, err error, sent bool) *Error {
	if parent.Err() != nil || ctx.Err() != nil {
		e := c.contextError(ctx, parent, rq, sent)
		e.Err = err
		return e
	}
	kind := KindNetwork
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		kind = KindTimeout
	}
	reason := netReason(err)
	msg := fmt.Sprintf("Could not complete the %s: %s (talking to %s).", rq.op, reason, c.host)
	if isWrite(rq.method) {
		if sent {
			msg = fmt.Sprintf("The connection to Cloudflare failed during the %s: %s.%s", rq.op, reason, unknownOutcome)
		} else {
			msg += " Nothing was sent."
		}
	}
	return &Error{Kind: kind, Op: rq.op, Err: err, Message: msg}
}

// netReason names a network failure in words, without Go's error text.
func netReason(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var unkAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var opErr *net.OpError
	var ne net.Error
	switch {
	case errors.As(err, &dnsErr):
		return "the host name could not be resolved (DNS)"
	case errors.As(err, &certErr), errors.As(err, &unkAuth), errors.As(err, &hostErr):
		return "the server's TLS certificate was not accepted (an intercepting proxy?)"
	case errors.As(err, &recErr):
		return "the server did not answer with TLS"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return "the network or host is unreachable"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without a complete answer"
	case errors.As(err, &ne) && ne.Timeout():
		return "the network timed out"
	case errors.As(err, &opErr) && opErr.Op == "proxyconnect":
		return "the HTTPS proxy could not be reached"
	}
	return "a network error occurred"
}

type sentCounterKey struct{}

// CountSent returns ctx carrying n: every request a call under ctx sends
// (each attempt) adds one, so a flow that makes several calls (a bulk
// run, a user lookup with its fallback) knows what it cost exactly,
// even while other work shares the client.
func CountSent(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, sentCounterKey{}, n)
}
