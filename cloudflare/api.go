package cloudflare

// The operations, one method each, per ../shared/cloudflare (README and
// openapi.json). Every call validates its input before sending anything,
// returns its typed result and the raw exchange, and on failure an *Error
// (whose Exchange is set when a response arrived). The returned *Exchange
// is non-nil whenever at least one request was sent, even on failure.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"cftriage/indicator"
)

// inputError wraps an *indicator.InputError (or another validation error) into the
// client's error type, keeping it reachable with errors.As.
func inputError(op string, err error) error {
	var ie *indicator.InputError
	msg := "The input is not valid."
	if errors.As(err, &ie) {
		msg = capitalize(ie.Error())
		if !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, ".") {
			msg += "."
		}
	}
	return &Error{Kind: KindInput, Op: op, Message: msg, Err: err}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// accountPath builds /accounts/{account_id}/rest, or explains that no
// account id is configured.
func (c *Client) accountPath(op, rest string) (string, error) {
	if c.accountID == "" {
		return "", &Error{Kind: KindInput, Op: op,
			Message: "No Cloudflare account id is configured; set CLOUDFLARE_ACCOUNT_ID (the " + op + " needs one)."}
	}
	return "/accounts/" + c.accountID + rest, nil
}

// fullURL joins the base, an already-escaped path and query pairs (in
// order, repeats kept).
func (c *Client) fullURL(path string, query [][2]string) string {
	u := c.baseStr + path
	if len(query) > 0 {
		var b strings.Builder
		for i, kv := range query {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(kv[0]))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(kv[1]))
		}
		u += "?" + b.String()
	}
	return u
}

// get runs an enveloped (or bare) GET and decodes into out.
func (c *Client) get(ctx context.Context, op, path string, query [][2]string, shape bodyShape, subject string, out any) (*Exchange, error) {
	rq := &request{op: op, method: http.MethodGet, url: c.fullURL(path, query), shape: shape, subject: subject}
	ex, _, e := c.getCached(ctx, rq, query, out)
	return ex, errOrNil(e)
}

func (c *Client) intelGet(ctx context.Context, op, rest string, query [][2]string, shape bodyShape, out any) (*Exchange, error) {
	p, err := c.accountPath(op, rest)
	if err != nil {
		return nil, err
	}
	ex, err := c.get(ctx, op, p, query, shape, "", out)
	return ex, c.intelRefusal(ctx, err)
}

// IPOverview looks up an IP address (refanged and normalized first;
// IPv4 goes as ipv4=, IPv6 as ipv6=).
func (c *Client) IPOverview(ctx context.Context, ip string) ([]IPInfo, *Exchange, error) {
	a, err := indicator.NormalizeIP(indicator.Refang(ip))
	if err != nil {
		return nil, nil, inputError(OpIPOverview, err)
	}
	key := "ipv4"
	if a.Is6() {
		key = "ipv6"
	}
	var out []IPInfo
	ex, err := c.intelGet(ctx, OpIPOverview, "/intel/ip", [][2]string{{key, a.String()}}, shapeEnvelope, &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []IPInfo{}
	}
	return out, ex, nil
}

func (c *Client) domainArg(op, domain string) (string, error) {
	d, err := indicator.NormalizeDomain(indicator.Refang(domain))
	if err != nil {
		return "", inputError(op, err)
	}
	return d, nil
}

// DomainOverview looks up a domain (refanged and normalized first).
func (c *Client) DomainOverview(ctx context.Context, domain string) (Domain, *Exchange, error) {
	d, err := c.domainArg(OpDomainOverview, domain)
	if err != nil {
		return Domain{}, nil, err
	}
	var out Domain
	ex, err := c.intelGet(ctx, OpDomainOverview, "/intel/domain", [][2]string{{"domain", d}}, shapeEnvelope, &out)
	if err != nil {
		return Domain{}, ex, err
	}
	return out, ex, nil
}

// BulkDomains looks up several domains in one request (domain= repeated).
// Every domain is normalized first and duplicates are dropped; one bad
// domain fails the call before anything is sent.
func (c *Client) BulkDomains(ctx context.Context, domains []string) ([]Domain, *Exchange, error) {
	if len(domains) == 0 {
		return nil, nil, inputError(OpBulkDomains, inputErr("domain list", "", "is empty; give at least one domain"))
	}
	seen := map[string]bool{}
	var q [][2]string
	for _, raw := range domains {
		d, err := c.domainArg(OpBulkDomains, raw)
		if err != nil {
			return nil, nil, err
		}
		if !seen[d] {
			seen[d] = true
			q = append(q, [2]string{"domain", d})
		}
	}
	var out []Domain
	ex, err := c.intelGet(ctx, OpBulkDomains, "/intel/domain/bulk", q, shapeEnvelope, &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []Domain{}
	}
	return out, ex, nil
}

// PassiveDNSMaxPerPage is the largest page the client asks passive DNS
// for: fewer requests for a busy IP, and far from the monthly quota.
const PassiveDNSMaxPerPage = 1000

// PassiveDNSQuery is one page of passive DNS for an IPv4 address and,
// optionally, its date window. A zero Start or End is not sent: the API
// then ends the window today and starts it 30 days before the end.
type PassiveDNSQuery struct {
	Page    int // < 1 means 1
	PerPage int // <= 0 leaves the server's default; capped at PassiveDNSMaxPerPage
	Start   time.Time
	End     time.Time
}

// PassiveDNS returns one page of hostnames seen on an IPv4 address (the
// API covers IPv4 only) in the API's default window. page < 1 means 1;
// perPage <= 0 leaves the server's default, and is capped at 1000.
func (c *Client) PassiveDNS(ctx context.Context, ipv4 string, page, perPage int) (PassiveDNS, *Exchange, error) {
	return c.PassiveDNSRange(ctx, ipv4, PassiveDNSQuery{Page: page, PerPage: perPage})
}

// PassiveDNSRange is PassiveDNS with a date window, sent as the
// contract's start and end (dates, YYYY-MM-DD, in UTC).
func (c *Client) PassiveDNSRange(ctx context.Context, ipv4 string, pq PassiveDNSQuery) (PassiveDNS, *Exchange, error) {
	a, err := indicator.NormalizeIP(indicator.Refang(ipv4))
	if err != nil {
		return PassiveDNS{}, nil, inputError(OpPassiveDNS, err)
	}
	if !a.Is4() {
		return PassiveDNS{}, nil, inputError(OpPassiveDNS, &indicator.InputError{Field: "IP address", Input: ipv4,
			Msg: "is IPv6; passive DNS covers IPv4 addresses only (the IP overview handles IPv6)"})
	}
	start, end := dateOnly(pq.Start), dateOnly(pq.End)
	if start != "" && end != "" && start > end {
		return PassiveDNS{}, nil, inputError(OpPassiveDNS, &indicator.InputError{Field: "passive DNS window", Input: start + " .. " + end,
			Msg: "starts after it ends"})
	}
	page := max(pq.Page, 1)
	q := [][2]string{{"ipv4", a.String()}, {"page", strconv.Itoa(page)}}
	if pq.PerPage > 0 {
		q = append(q, [2]string{"per_page", strconv.Itoa(min(pq.PerPage, PassiveDNSMaxPerPage))})
	}
	if start != "" {
		q = append(q, [2]string{"start", start})
	}
	if end != "" {
		q = append(q, [2]string{"end", end})
	}
	p, err := c.accountPath(OpPassiveDNS, "/intel/dns")
	if err != nil {
		return PassiveDNS{}, nil, err
	}
	rq := &request{op: OpPassiveDNS, method: http.MethodGet, url: c.fullURL(p, q), shape: shapeEnvelope}
	var out PassiveDNS
	ex, env, e := c.getCached(ctx, rq, q, &out)
	if e != nil {
		return PassiveDNS{}, ex, e
	}
	// The docs show result_info beside count: keep it, and let it stand
	// in for count when the result has none.
	if ri := env.pagingInfo(); ri != nil {
		out.ResultInfo = ri
		if out.Count == 0 && out.ResultInfo.TotalCount > 0 {
			out.Count = out.ResultInfo.TotalCount
		}
		if out.Page == 0 {
			out.Page = out.ResultInfo.Page
		}
		if out.PerPage == 0 {
			out.PerPage = out.ResultInfo.PerPage
		}
	}
	return out, ex, nil
}

// dateOnly is t's UTC date as the contract's date format, "" for zero.
func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// ASNOverview returns what the API says about an ASN: per the contract
// just the number, per Cloudflare's docs also its name, country and type,
// per the older Go SDK also a domain count and top domains (see ASNInfo).
// An answer about another ASN is refused as malformed.
func (c *Client) ASNOverview(ctx context.Context, asn int) (ASNInfo, *Exchange, error) {
	if err := checkASN(asn); err != nil {
		return ASNInfo{}, nil, inputError(OpASNOverview, err)
	}
	var out asnOverview
	ex, err := c.intelGet(ctx, OpASNOverview, "/intel/asn/"+strconv.Itoa(asn), nil, shapeEnvelope, &out)
	if err != nil {
		return ASNInfo{}, ex, err
	}
	info, found := out.pick(asn)
	if !found {
		return ASNInfo{}, ex, &Error{Kind: KindMalformed, Op: OpASNOverview, StatusCode: ex.StatusCode, Exchange: ex,
			Message: fmt.Sprintf("Cloudflare's answer to the ASN overview of AS%d is about AS%d instead.", asn, out.items[0].ASN)}
	}
	return info, ex, nil
}

// ASNSubnets lists an ASN's subnets; this endpoint has no envelope.
func (c *Client) ASNSubnets(ctx context.Context, asn int) (ASNSubnets, *Exchange, error) {
	if err := checkASN(asn); err != nil {
		return ASNSubnets{}, nil, inputError(OpASNSubnets, err)
	}
	var out ASNSubnets
	ex, err := c.intelGet(ctx, OpASNSubnets, "/intel/asn/"+strconv.Itoa(asn)+"/subnets", nil, shapeBare, &out)
	if err != nil {
		return ASNSubnets{}, ex, err
	}
	return out, ex, nil
}

// Whois returns the WHOIS record of a domain.
func (c *Client) Whois(ctx context.Context, domain string) (Whois, *Exchange, error) {
	d, err := c.domainArg(OpWhois, domain)
	if err != nil {
		return Whois{}, nil, err
	}
	var out Whois
	ex, err := c.intelGet(ctx, OpWhois, "/intel/whois", [][2]string{{"domain", d}}, shapeEnvelope, &out)
	if err != nil {
		return Whois{}, ex, err
	}
	return out, ex, nil
}

// DomainHistory returns a domain's category history.
func (c *Client) DomainHistory(ctx context.Context, domain string) ([]DomainHistory, *Exchange, error) {
	d, err := c.domainArg(OpDomainHistory, domain)
	if err != nil {
		return nil, nil, err
	}
	var out []DomainHistory
	ex, err := c.intelGet(ctx, OpDomainHistory, "/intel/domain-history", [][2]string{{"domain", d}}, shapeEnvelope, &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []DomainHistory{}
	}
	return out, ex, nil
}

// FindUsers returns the Zero Trust users whose email is email, asking
// with email= and the address exactly as given (Cloudflare does not
// document whether email= is case-sensitive, so nothing is lowercased),
// and keeping the users indicator.SameEmail matches. No match is an empty
// slice, not an error: SearchUsers is the fallback.
func (c *Client) FindUsers(ctx context.Context, email string) ([]AccessUser, *Exchange, error) {
	return c.findUsers(ctx, "email", email, 1)
}

// SearchUsers asks with search= — a case-insensitive substring match over
// emails and names — and keeps only the users whose email is email
// (indicator.SameEmail): what a practitioner does when email= finds
// nobody. It reads up to 10 pages of 1,000; the exchange is the last
// page's, its Attempts counting every request.
func (c *Client) SearchUsers(ctx context.Context, email string) ([]AccessUser, *Exchange, error) {
	return c.findUsers(ctx, "search", email, 10)
}

const usersPerPage = 1000 // the contract's maximum

func (c *Client) findUsers(ctx context.Context, key, email string, maxPages int) ([]AccessUser, *Exchange, error) {
	e, err := indicator.NormalizeEmail(indicator.Refang(email))
	if err != nil {
		return nil, nil, inputError(OpFindUsers, err)
	}
	p, err := c.accountPath(OpFindUsers, "/access/users")
	if err != nil {
		return nil, nil, err
	}
	out := []AccessUser{}
	var last *Exchange
	attempts := 0
	start := c.clock.Now()
	for page := 1; page <= maxPages; page++ {
		q := [][2]string{{key, e}, {"per_page", strconv.Itoa(usersPerPage)}}
		if maxPages > 1 {
			q = append(q, [2]string{"page", strconv.Itoa(page)})
		}
		rq := &request{op: OpFindUsers, method: http.MethodGet, url: c.fullURL(p, q), shape: shapeEnvelope, subject: e}
		var items []AccessUser
		ex, env, ce := c.getCached(ctx, rq, q, &items) // the cache's user kind
		if ex != nil {
			attempts += ex.Attempts
			ex.Attempts = attempts
			ex.Duration = c.clock.Now().Sub(start)
			last = ex
		}
		if ce != nil {
			return nil, last, ce
		}
		for _, u := range items {
			if indicator.SameEmail(u.Email, e) {
				out = append(out, u)
			}
		}
		ri := env.info()
		if len(items) < usersPerPage || (ri.TotalPages > 0 && float64(page) >= ri.TotalPages) {
			break
		}
	}
	return out, last, nil
}

func (c *Client) userPath(op, userID, rest string) (string, string, error) {
	id, err := normalizeUserID(userID)
	if err != nil {
		return "", "", inputError(op, err)
	}
	p, err := c.accountPath(op, "/zt_risk_scoring/"+id+rest)
	return p, id, err
}

// RiskScore returns a user's risk level and events. A user that does not
// exist is KindNotFound ("no Zero Trust user with id …").
func (c *Client) RiskScore(ctx context.Context, userID string) (RiskScore, *Exchange, error) {
	p, id, err := c.userPath(OpRiskScore, userID, "")
	if err != nil {
		return RiskScore{}, nil, err
	}
	var out RiskScore
	ex, err := c.get(ctx, OpRiskScore, p, nil, shapeEnvelope, id, &out)
	if err != nil {
		return RiskScore{}, ex, err
	}
	return out, ex, nil
}

// ResetRisk clears a user's risk score: a POST with no body, never
// retried. If it times out or the connection drops after sending, the
// error says the outcome is unknown.
func (c *Client) ResetRisk(ctx context.Context, userID string) (*Exchange, error) {
	p, id, err := c.userPath(OpResetRisk, userID, "/reset")
	if err != nil {
		return nil, err
	}
	ex, _, err := c.sendWrite(ctx, c.writeRequest(OpResetRisk, p, nil, id))
	return ex, err
}

// writeRequest is a reviewed write's request: a POST of body (nil: none)
// judged by its envelope, an empty 2xx answer allowed.
func (c *Client) writeRequest(op, path string, body []byte, subject string) *request {
	return &request{op: op, method: http.MethodPost, url: c.fullURL(path, nil),
		body: body, shape: shapeEnvelope, subject: subject, allowEmpty: true}
}

// sendWrite sends a write once (send never retries a POST); the error is
// nil or an *Error.
func (c *Client) sendWrite(ctx context.Context, rq *request) (*Exchange, *envelope, error) {
	ex, env, e := c.send(ctx, rq)
	return ex, env, errOrNil(e)
}

// RiskSummary returns the risky-users summary of the account.
func (c *Client) RiskSummary(ctx context.Context) (RiskSummary, *Exchange, error) {
	p, err := c.accountPath(OpRiskSummary, "/zt_risk_scoring/summary")
	if err != nil {
		return RiskSummary{}, nil, err
	}
	var out RiskSummary
	ex, err := c.get(ctx, OpRiskSummary, p, nil, shapeEnvelope, "", &out)
	if err != nil {
		return RiskSummary{}, ex, err
	}
	return out, ex, nil
}

// accountsPerPage is the contract's maximum page size for /accounts.
const accountsPerPage = 50

// ListAccounts returns every account the token can see, paging through
// /accounts. The exchange is the last page's; its Attempts counts every
// request made and Duration covers all pages.
func (c *Client) ListAccounts(ctx context.Context) ([]Account, *Exchange, error) {
	out := []Account{}
	var last *Exchange
	attempts := 0
	start := c.clock.Now()
	for page := 1; page <= 200; page++ {
		rq := &request{op: OpListAccounts, method: http.MethodGet,
			url: c.fullURL("/accounts", [][2]string{{"page", strconv.Itoa(page)}, {"per_page", strconv.Itoa(accountsPerPage)}}), shape: shapeEnvelope}
		ex, env, e := c.send(ctx, rq)
		if ex != nil {
			attempts += ex.Attempts
			ex.Attempts = attempts
			ex.Duration = c.clock.Now().Sub(start)
			last = ex
		}
		var items []Account
		if e == nil {
			e = c.decodeInto(rq, ex, env, &items)
		}
		if e != nil {
			return nil, last, e
		}
		out = append(out, items...)
		ri := env.info()
		if len(items) == 0 || len(items) < accountsPerPage ||
			(ri.TotalPages > 0 && float64(page) >= ri.TotalPages) ||
			(ri.TotalCount > 0 && float64(len(out)) >= ri.TotalCount) {
			break
		}
	}
	return out, last, nil
}

// RawMethods are the methods a custom call may use: the ones the API
// documents. HEAD, OPTIONS, TRACE, CONNECT and made-up methods are
// refused before anything is sent or audited.
var RawMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// RawMethodAllowed reports whether method (upper case) is in RawMethods.
func RawMethodAllowed(method string) bool { return slices.Contains(RawMethods, method) }

// Raw sends a custom request: Method (default GET), Path under the base
// URL (see ResolveURL), query pairs, extra headers and an optional JSON
// body. Only GET is retried. Authorization and X-Auth-* headers are
// refused: the client adds the token itself.
func (c *Client) Raw(ctx context.Context, req RawRequest) (*Exchange, error) {
	rq, err := c.rawRequest(req)
	if err != nil {
		return nil, err
	}
	ex, _, e := c.send(ctx, rq)
	if e != nil && isIntelURL(rq.url, c.basePath) {
		return ex, c.intelRefusal(ctx, e)
	}
	return ex, errOrNil(e)
}

// CheckRaw runs every check Raw makes before sending (method, URL under
// the base, headers, JSON body) and returns the URL the request would go
// to. Callers that audit or confirm a write call it first, so bad input
// is refused before a confirmation, an audit record or any request.
func (c *Client) CheckRaw(req RawRequest) (string, error) {
	rq, err := c.rawRequest(req)
	if err != nil {
		return "", err
	}
	return rq.url, nil
}

func (c *Client) rawRequest(req RawRequest) (*request, error) {
	method := strings.ToUpper(strings.TrimSpace(req.Method))
	if method == "" {
		method = http.MethodGet
	}
	if !validToken(method) {
		return nil, &Error{Kind: KindInput, Op: OpRaw, Message: "The method " + quoteInput(req.Method) + " is not an HTTP method such as GET or POST."}
	}
	if !RawMethodAllowed(method) {
		return nil, &Error{Kind: KindInput, Op: OpRaw, Message: "The method " + quoteInput(req.Method) + " is not one cftriage sends (use " + strings.Join(RawMethods, ", ") + "); nothing was sent."}
	}
	u, err := c.ResolveURL(req.Path, req.Query)
	if err != nil {
		return nil, err
	}
	hdr, err := checkRawHeaders(req.Header)
	if err != nil {
		return nil, err
	}
	body := req.Body
	if len(strings.TrimSpace(string(body))) == 0 {
		body = nil
	} else if !jsonValid(body) {
		return nil, &Error{Kind: KindInput, Op: OpRaw, Message: "The request body is not valid JSON; nothing was sent."}
	}
	return &request{op: OpRaw, method: method, url: u, header: hdr, body: body, shape: shapeRaw, allowEmpty: true}, nil
}
