package cloudflare

// The Intel APIs' own refusals: account-owned tokens, which they do not
// accept, and their monthly quota.

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

var intelPathRe = regexp.MustCompile(`^/accounts/[^/]+/intel(/|$)`)

// isIntelURL reports a URL under the base that is one of the Intel APIs
// (/accounts/{account_id}/intel/…).
func isIntelURL(raw, basePath string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	p, ok := strings.CutPrefix(u.EscapedPath(), basePath)
	return ok && intelPathRe.MatchString(p)
}

// IntelCall reports whether the failed call was one of the Intel APIs.
func (e *Error) IntelCall() bool {
	if e == nil || e.Exchange == nil {
		return false
	}
	u, err := url.Parse(e.Exchange.URL)
	return err == nil && intelPathAnywhere.MatchString(u.EscapedPath())
}

var intelPathAnywhere = regexp.MustCompile(`/accounts/[^/]+/intel(/|$)`)

// intelRefusal turns an Intel API's 401/403 for an account-owned token
// into KindAccountToken: Cloudflare's account-token compatibility list
// marks the Intel APIs unsupported, so the permission advice of a plain
// 403 would send the analyst the wrong way. The kind is known from the
// token's prefix or a verify this client made; otherwise the error keeps
// its kind and says, in TokenKind, that the kind is unknown. No request is
// made to find out.
func (c *Client) intelRefusal(_ context.Context, err error) error {
	var e *Error
	if !errors.As(err, &e) || (e.Kind != KindAuth && e.Kind != KindPermission) {
		return err
	}
	kind := c.TokenKind()
	if kind != "account" {
		e.TokenKind = kind
		return e
	}
	return &Error{Kind: KindAccountToken, Op: e.Op, StatusCode: e.StatusCode, Errors: e.Errors, Exchange: e.Exchange, Err: e.Err,
		TokenKind: kind, Message: fmt.Sprintf("Cloudflare refused the %s (HTTP %d) for an account-owned API token.%s", e.Op, e.StatusCode, said(e.Errors))}
}

// monthlyWords recognise a 429 about a monthly quota. Cloudflare's docs
// state the Intel APIs' quota (100 calls a month on Free, Pro and
// Business, 2,500 on Enterprise, 10,000 on Cloudforce One Core, 50,000 on
// Premier) but not what the API answers when it is used up; this reading
// assumes a 429 whose errors[].message speaks of a month ("monthly",
// "per month", "this month") or of a quota being exceeded, used up or
// exhausted. The 5-minute rate limit's answers ("More than 1200 requests
// per 300 seconds reached", code 10100; "Please wait and consider
// throttling your request speed", code 971) say neither.
var monthlyWords = regexp.MustCompile(`(?i)\bmonth(ly)?\b|\bquota\b.*\b(exceed|exhaust|used|reach|limit)|\b(exceed|exhaust|used|reach)\w*\b.*\bquota\b`)

// quotaUsedUp reports a 429 whose message is about a monthly quota.
func quotaUsedUp(items []APIErrorItem) bool {
	for _, it := range items {
		m := it.Message
		if monthlyWords.MatchString(m) && !strings.Contains(strings.ToLower(m), "second") {
			return true
		}
	}
	return false
}

// quotaError is KindQuotaUsedUp for a 429 about a monthly quota.
func quotaError(e *Error) *Error {
	what := "a monthly quota"
	if e.IntelCall() {
		what = "the Intel APIs' monthly quota"
	}
	return &Error{Kind: KindQuotaUsedUp, Op: e.Op, StatusCode: e.StatusCode, Errors: e.Errors, Exchange: e.Exchange, Err: e.Err,
		Message: fmt.Sprintf("Cloudflare refused the %s (HTTP %d): %s is used up.%s", e.Op, e.StatusCode, what, said(e.Errors))}
}
