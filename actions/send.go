package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cftriage/cloudflare"
	"cftriage/store"
)

// IsWrite reports whether method changes state (anything but GET/HEAD).
func IsWrite(method string) bool {
	m := strings.ToUpper(strings.TrimSpace(method))
	return m != "GET" && m != "HEAD"
}

// Send performs a custom API call. GET and HEAD go straight to the
// client (which may retry them). Any other method is audited: an
// intent record (action "api_call", method and URL — never the token)
// is synced before sending, the request is sent once (the client never
// retries a non-GET), and the outcome record follows. If the intent
// cannot be written, or the URL leaves the API's origin, nothing is sent.
func Send(ctx context.Context, c *cloudflare.Client, audit *store.Audit, req cloudflare.RawRequest, op store.Operator) (*cloudflare.Exchange, error) {
	if c == nil {
		return nil, errors.New("no API client")
	}
	req.Method = strings.ToUpper(strings.TrimSpace(req.Method))
	if !IsWrite(req.Method) {
		return c.Raw(ctx, req)
	}
	target, err := requestURL(c, req)
	if err != nil {
		return nil, err
	}
	if audit == nil {
		return nil, fmt.Errorf("%s was not sent: no audit log (writes are never sent unaudited)", req.Method)
	}
	base := store.AuditRecord{
		AccountID: c.AccountID(),
		Operator:  op,
		Action:    store.ActionAPICall,
		Method:    req.Method,
		URL:       target,
	}
	id, err := audit.Intent(base)
	if err != nil {
		return nil, fmt.Errorf("%s was not sent: the audit log could not record it: %w", req.Method, err)
	}
	ex, sendErr := c.Raw(ctx, req)
	ex = exchangeOf(ex, sendErr)
	out := base
	fillOutcome(&out, classify(sendErr), ex, sendErr)
	if err := audit.Outcome(id, out); err != nil {
		auditErr := fmt.Errorf("the %s was sent, but its outcome could not be written to the audit log: %w", req.Method, err)
		if sendErr == nil {
			return ex, auditErr
		}
		return ex, errors.Join(sendErr, auditErr)
	}
	return ex, sendErr
}

// requestURL is the URL a raw request will go to, for the audit log. The
// client resolves it exactly as it will send it, and refuses one outside
// the base origin before anything is written or sent. The credentials
// never appear in it: they travel in headers.
func requestURL(c *cloudflare.Client, req cloudflare.RawRequest) (string, error) {
	return c.CheckRaw(req)
}
