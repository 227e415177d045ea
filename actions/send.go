package actions

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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

// requestURL is the URL a raw request will go to, for the audit log, and
// refuses one outside the client's base origin before anything is
// written or sent. Query values are kept (they are the request), the
// credentials never appear here: they travel in headers.
func requestURL(c *cloudflare.Client, req cloudflare.RawRequest) (string, error) {
	baseURL := c.BaseURL()
	b, err := url.Parse(baseURL)
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(req.Path)
	var u *url.URL
	if strings.Contains(p, "://") {
		u, err = url.Parse(p)
		if err != nil {
			return "", &cloudflare.InputError{Field: "path", Input: p, Msg: "not a valid URL"}
		}
		if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) {
			return "", &cloudflare.Error{Kind: cloudflare.KindOrigin, Op: "API call",
				Message: fmt.Sprintf("refusing to send the request to %s://%s: the token is only sent to %s://%s", u.Scheme, u.Host, b.Scheme, b.Host)}
		}
	} else {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		u, err = url.Parse(strings.TrimRight(baseURL, "/") + p)
		if err != nil {
			return "", &cloudflare.InputError{Field: "path", Input: p, Msg: "not a valid path"}
		}
	}
	u.Path = strings.ReplaceAll(u.Path, "{account_id}", c.AccountID())
	u.RawPath = ""
	if len(req.Query) > 0 {
		q := u.Query()
		for _, kv := range req.Query {
			q.Add(kv[0], kv[1])
		}
		u.RawQuery = q.Encode()
	}
	u.User = nil
	return u.String(), nil
}
