package cloudflare

// SKELETON: signatures agreed between layers; bodies are filled in by the
// client implementation. Keep the signatures stable.

import (
	"context"
	"net/http"
	"time"
)

// Config configures a Client.
type Config struct {
	BaseURL   string // default DefaultBaseURL
	Token     string
	AccountID string
	// HTTPClient defaults to one honouring HTTPS_PROXY/NO_PROXY.
	HTTPClient *http.Client
	Timeout    time.Duration // per call, default 30s
	MaxRetries int           // GET retries, default 3; <0 disables
	// RateLimit and RateWindow set the client-side limiter
	// (default 1200 per 5 minutes).
	RateLimit    int
	RateWindow   time.Duration
	MaxBodyBytes int64 // default 16 MiB
	// BackoffBase is the first retry delay (default 500ms); tests shrink it.
	BackoffBase time.Duration
}

const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

type Client struct{}

func New(cfg Config) (*Client, error) { panic("todo") }

func (c *Client) AccountID() string { panic("todo") }
func (c *Client) BaseURL() string   { panic("todo") }
func (c *Client) Quota() Quota      { panic("todo") }

// Every call returns its typed result and the raw exchange; on error the
// exchange is also in the *Error when a response arrived.

func (c *Client) IPOverview(ctx context.Context, ip string) ([]IPInfo, *Exchange, error) {
	panic("todo")
}
func (c *Client) DomainOverview(ctx context.Context, domain string) (Domain, *Exchange, error) {
	panic("todo")
}
func (c *Client) BulkDomains(ctx context.Context, domains []string) ([]Domain, *Exchange, error) {
	panic("todo")
}
func (c *Client) PassiveDNS(ctx context.Context, ipv4 string, page, perPage int) (PassiveDNS, *Exchange, error) {
	panic("todo")
}
func (c *Client) ASNOverview(ctx context.Context, asn int) (int, *Exchange, error) { panic("todo") }
func (c *Client) ASNSubnets(ctx context.Context, asn int) (ASNSubnets, *Exchange, error) {
	panic("todo")
}
func (c *Client) Whois(ctx context.Context, domain string) (Whois, *Exchange, error) {
	panic("todo")
}
func (c *Client) DomainHistory(ctx context.Context, domain string) ([]DomainHistory, *Exchange, error) {
	panic("todo")
}
func (c *Client) FindUsers(ctx context.Context, email string) ([]AccessUser, *Exchange, error) {
	panic("todo")
}
func (c *Client) RiskScore(ctx context.Context, userID string) (RiskScore, *Exchange, error) {
	panic("todo")
}
func (c *Client) ResetRisk(ctx context.Context, userID string) (*Exchange, error) { panic("todo") }
func (c *Client) RiskSummary(ctx context.Context) (RiskSummary, *Exchange, error) {
	panic("todo")
}
func (c *Client) VerifyToken(ctx context.Context) (TokenStatus, *Exchange, error) {
	panic("todo")
}
func (c *Client) ListAccounts(ctx context.Context) ([]Account, *Exchange, error) {
	panic("todo")
}
func (c *Client) Raw(ctx context.Context, req RawRequest) (*Exchange, error) { panic("todo") }
