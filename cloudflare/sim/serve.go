package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// operationIds of the contract, the keys of Count.
const (
	OpIPOverview     = "ip-intelligence-get-ip-overview"
	OpDomain         = "domain-intelligence-get-domain-details"
	OpDomainBulk     = "domain-intelligence-get-multiple-domain-details"
	OpPassiveDNS     = "passive-dns-by-ip-get-passive-dns-by-ip"
	OpASN            = "asn-intelligence-get-asn-overview"
	OpASNSubnets     = "asn-intelligence-get-asn-subnets"
	OpWhois          = "whois-record-get-whois-record"
	OpDomainHistory  = "domain-history-get-domain-history"
	OpAccessUsers    = "zero-trust-users-get-users"
	OpRiskScore      = "dlp-zt-risk-score-user-details"
	OpRiskReset      = "dlp-zt-risk-score-reset-user"
	OpRiskSummary    = "dlp-zt-risk-score-account-summary"
	OpUserVerify     = "user-api-tokens-verify-token"
	OpAccountVerify  = "account-api-tokens-verify-token"
	OpListAccounts   = "accounts-list-accounts"
	accountSegment   = "{account_id}"
	userSegment      = "{user_id}"
	asnSegment       = "{asn}"
	contentTypeJSON  = "application/json"
	contentTypeHTML  = "text/html; charset=UTF-8"
	defaultRetryWait = 60
)

// Error codes. 10000, 1000, 9109, 7000, 7003 and 971 (the rate limit) are
// codes Cloudflare really sends for these situations; 1001 for an account
// token on /accounts, 1003 for bad parameters and 10001 for an internal
// error are the simulator's picks (the contract names none for these). The
// contract requires codes >= 1000, so the real 429 body is outside it.
const (
	codeAuth         = 10000 // Authentication error
	codeInvalidToken = 1000  // Invalid API Token (token verify)
	codeForbidden    = 9109  // Unauthorized to access requested resource
	codeNoRoute      = 7000  // No route for that URI
	codeMethod       = 7001  // Method not allowed for this endpoint
	codeBadObject    = 7003  // Could not route ..., perhaps your object identifier is invalid?
	codeAccountToken = 1001  // List accounts endpoint does not support account owned tokens
	codeBadParam     = 1003
	codeRateLimited  = 971 // "Please wait and consider throttling your request speed"
	codeInternal     = 10001
)

type route struct {
	op     string
	method string
	segs   []string
	perm   Permission // "" = any valid token (token verify)
	h      func(s *Sim, c *call) response
}

var routes = []route{
	{OpListAccounts, http.MethodGet, []string{"accounts"}, PermAccountsRead, (*Sim).listAccounts},
	{OpUserVerify, http.MethodGet, []string{"user", "tokens", "verify"}, "", (*Sim).verifyToken},
	{OpAccountVerify, http.MethodGet, []string{"accounts", accountSegment, "tokens", "verify"}, "", (*Sim).verifyToken},
	{OpIPOverview, http.MethodGet, []string{"accounts", accountSegment, "intel", "ip"}, PermIntelRead, (*Sim).ipOverview},
	{OpDomain, http.MethodGet, []string{"accounts", accountSegment, "intel", "domain"}, PermIntelRead, (*Sim).domainOverview},
	{OpDomainBulk, http.MethodGet, []string{"accounts", accountSegment, "intel", "domain", "bulk"}, PermIntelRead, (*Sim).domainBulk},
	{OpPassiveDNS, http.MethodGet, []string{"accounts", accountSegment, "intel", "dns"}, PermIntelRead, (*Sim).passiveDNS},
	{OpASN, http.MethodGet, []string{"accounts", accountSegment, "intel", "asn", asnSegment}, PermIntelRead, (*Sim).asnOverview},
	{OpASNSubnets, http.MethodGet, []string{"accounts", accountSegment, "intel", "asn", asnSegment, "subnets"}, PermIntelRead, (*Sim).asnSubnets},
	{OpWhois, http.MethodGet, []string{"accounts", accountSegment, "intel", "whois"}, PermIntelRead, (*Sim).whois},
	{OpURLIntel, http.MethodGet, []string{"accounts", accountSegment, "intel", "url"}, PermIntelRead, (*Sim).urlIntel},
	{OpDomainHistory, http.MethodGet, []string{"accounts", accountSegment, "intel", "domain-history"}, PermIntelRead, (*Sim).domainHistory},
	{OpAccessUsers, http.MethodGet, []string{"accounts", accountSegment, "access", "users"}, PermAccessUsersRead, (*Sim).accessUsers},
	// summary before {user_id}: a literal segment wins, as in the real router.
	{OpRiskSummary, http.MethodGet, []string{"accounts", accountSegment, "zt_risk_scoring", "summary"}, PermRiskRead, (*Sim).riskSummary},
	{OpRiskBehaviors, http.MethodGet, []string{"accounts", accountSegment, "zt_risk_scoring", "behaviors"}, "", (*Sim).riskBehaviors}, // Zero Trust Read or Write: checked there
	{OpRiskIntegrations, http.MethodGet, []string{"accounts", accountSegment, "zt_risk_scoring", "integrations"}, "", (*Sim).riskIntegrations},
	{OpRiskScore, http.MethodGet, []string{"accounts", accountSegment, "zt_risk_scoring", userSegment}, PermRiskRead, (*Sim).riskScore},
	{OpRiskReset, http.MethodPost, []string{"accounts", accountSegment, "zt_risk_scoring", userSegment, "reset"}, PermRiskWrite, (*Sim).riskReset},
	{OpLastSeenIdentity, http.MethodGet, []string{"accounts", accountSegment, "access", "users", userSegment, "last_seen_identity"}, PermAccessUsersRead, (*Sim).lastSeenIdentity},
	{OpActiveSessions, http.MethodGet, []string{"accounts", accountSegment, "access", "users", userSegment, "active_sessions"}, PermAccessUsersRead, (*Sim).activeSessions},
	{OpFailedLogins, http.MethodGet, []string{"accounts", accountSegment, "access", "users", userSegment, "failed_logins"}, PermAccessUsersRead, (*Sim).failedLogins},
	{OpAccessRequests, http.MethodGet, []string{"accounts", accountSegment, "access", "logs", "access_requests"}, PermAccessUsersRead, (*Sim).accessRequests},
	{OpRevokeUser, http.MethodPost, []string{"accounts", accountSegment, "access", "organizations", "revoke_user"}, PermAccessOrgsWrite, (*Sim).revokeUser},
	{OpDevices, http.MethodGet, []string{"accounts", accountSegment, "devices", "physical-devices"}, PermDevicesRead, (*Sim).devices},
}

// call is one authenticated request being served.
type call struct {
	r    *http.Request
	vars map[string]string
	tok  TokenSpec
}

type response struct {
	status int
	header http.Header
	body   []byte
}

type apiMsg struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

type envelope struct {
	Success    bool        `json:"success"`
	Errors     []apiMsg    `json:"errors"`
	Messages   []apiMsg    `json:"messages"`
	Result     any         `json:"result"`
	ResultInfo *resultInfo `json:"result_info,omitempty"`
}

func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // like the real API: '<' stays '<'
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("sim: encoding response: %v", err)) // a bug in the simulator's own data
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func ok(result any) response {
	return response{status: http.StatusOK, body: encode(envelope{Success: true, Errors: []apiMsg{}, Messages: []apiMsg{}, Result: result})}
}

func okPaged(result any, info resultInfo) response {
	return response{status: http.StatusOK, body: encode(envelope{Success: true, Errors: []apiMsg{}, Messages: []apiMsg{}, Result: result, ResultInfo: &info})}
}

func fail(status, code int, msg string) response {
	return response{status: status, body: encode(envelope{Success: false, Errors: []apiMsg{{code, msg}}, Messages: []apiMsg{}})}
}

func badParam(name, why string) response {
	return fail(http.StatusBadRequest, codeBadParam, fmt.Sprintf("Invalid or missing parameter %s: %s", name, why))
}

func tooMany(retryAfter int) response {
	r := fail(http.StatusTooManyRequests, codeRateLimited, "Please wait and consider throttling your request speed")
	r.header = http.Header{"Retry-After": {strconv.Itoa(retryAfter)}}
	return r
}

// ServeHTTP serves the API under /client/v4.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.total++
	s.mu.Unlock()

	rs := s.take(rateKey(r))
	s.setRateHeaders(w.Header(), rs)
	w.Header().Set("Server", "cloudflare")
	w.Header().Set("Cf-Ray", stableHex32(fmt.Sprint(r.Method, r.URL.String(), s.now().UnixNano()))[:16]+"-SIM")

	rt, vars, miss := match(r)
	if rt == nil {
		s.write(w, r, miss, 0)
		return
	}
	s.mu.Lock()
	s.counts[rt.op]++
	s.mu.Unlock()

	f, faulted := s.pickFault(rt.op)
	if faulted && f.Latency > 0 {
		// net/http notices a client hanging up only once the request body
		// is read; read it (bounded) so a held request ends when its
		// client gives up, and keep it for the operation (revoke takes one).
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if faulted && f.DropConnection {
		if hj, isHJ := w.(http.Hijacker); isHJ {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		// Without a hijackable connection, abort the response: net/http
		// closes the connection without completing it.
		panic(http.ErrAbortHandler)
	}

	var resp response
	switch {
	case faulted && f.HTML:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		resp = response{status: status, header: http.Header{"Content-Type": {contentTypeHTML}}, body: gatewayPage(status)}
	case faulted && f.Status == http.StatusTooManyRequests:
		wait := f.RetryAfter
		if wait <= 0 {
			wait = defaultRetryWait
		}
		s.setRateHeaders(w.Header(), rateState{remaining: 0, resetIn: wait})
		resp = tooMany(wait)
	case faulted && f.Status != 0:
		resp = fail(f.Status, codeInternal, http.StatusText(f.Status))
	case faulted && f.Malformed:
		resp = response{status: http.StatusOK, body: []byte(`{"success":true,"errors":[],"messages":[],"result":{'id': "sim-malformed",}`)}
	default:
		if rs.retryAfter > 0 {
			resp = tooMany(rs.retryAfter)
		} else {
			resp = s.dispatch(r, rt, vars)
		}
		if faulted && f.Truncated {
			resp.status = http.StatusOK
			resp.body = resp.body[:len(resp.body)/2]
		}
	}
	var slow time.Duration
	if faulted {
		slow = f.SlowBody
	}
	s.write(w, r, resp, slow)
}

func (s *Sim) write(w http.ResponseWriter, r *http.Request, resp response, slow time.Duration) {
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", contentTypeJSON)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	if slow <= 0 || len(resp.body) == 0 {
		w.Write(resp.body)
		return
	}
	const chunks = 10
	rc := http.NewResponseController(w)
	step := (len(resp.body) + chunks - 1) / chunks
	for i := 0; i < len(resp.body); i += step {
		if i > 0 {
			t := time.NewTimer(slow / chunks)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		end := min(i+step, len(resp.body))
		if _, err := w.Write(resp.body[i:end]); err != nil {
			return
		}
		rc.Flush()
	}
}

func gatewayPage(status int) []byte {
	text := http.StatusText(status)
	return fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="en-US">
<head><title>%s | %d: %s</title></head>
<body>
<div id="cf-error-details">
<h1>%s</h1><span>Error code %d</span>
<p>The web server reported a gateway error. Please try again in a few minutes.</p>
<p>Cloudflare Ray ID: 0000000000000000 &bull; Performance &amp; security by Cloudflare</p>
</div>
</body>
</html>
`, "api.cloudflare.com", status, text, text, status)
}

// match finds the route for r; when there is none it returns the error
// response to send.
func match(r *http.Request) (*route, map[string]string, response) {
	rest, found := strings.CutPrefix(r.URL.Path, BasePath+"/")
	if !found {
		return nil, nil, fail(http.StatusNotFound, codeNoRoute, "No route for that URI")
	}
	segs := strings.Split(rest, "/")
	methodMismatch := false
	for i := range routes {
		rt := &routes[i]
		vars, okPath := matchSegs(rt.segs, segs)
		if !okPath {
			continue
		}
		if rt.method != r.Method {
			methodMismatch = true
			continue
		}
		return rt, vars, response{}
	}
	if methodMismatch {
		return nil, nil, fail(http.StatusMethodNotAllowed, codeMethod, "Method not allowed for this endpoint")
	}
	return nil, nil, fail(http.StatusNotFound, codeNoRoute, "No route for that URI")
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var vars map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segs[i] == "" {
				return nil, false
			}
			if vars == nil {
				vars = map[string]string{}
			}
			vars[p] = segs[i]
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return vars, true
}

var (
	reAccountID = regexp.MustCompile(`^[0-9a-f]{32}$`)
	reUUID      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// dispatch authenticates, authorizes and runs the operation.
func (s *Sim) dispatch(r *http.Request, rt *route, vars map[string]string) response {
	verify := rt.op == OpUserVerify || rt.op == OpAccountVerify
	authz := r.Header.Get("Authorization")
	if authz == "" {
		return fail(http.StatusUnauthorized, codeAuth, "Authentication error")
	}
	raw, isBearer := strings.CutPrefix(authz, "Bearer ")
	tok, known := s.tokens[strings.TrimSpace(raw)]
	if !isBearer || !known {
		if verify {
			return fail(http.StatusUnauthorized, codeInvalidToken, "Invalid API Token")
		}
		return fail(http.StatusUnauthorized, codeAuth, "Authentication error")
	}
	tok.Status = s.tokenStatus(tok)
	if tok.Status != "active" && !verify {
		return fail(http.StatusUnauthorized, codeAuth, "Authentication error")
	}
	// A user token cannot be verified at the account endpoint and vice versa.
	if (rt.op == OpUserVerify && tok.Kind == "account") || (rt.op == OpAccountVerify && tok.Kind != "account") {
		return fail(http.StatusUnauthorized, codeInvalidToken, "Invalid API Token")
	}
	if acct, has := vars[accountSegment]; has {
		if !reAccountID.MatchString(acct) {
			return fail(http.StatusNotFound, codeBadObject,
				fmt.Sprintf("Could not route to %s, perhaps your object identifier is invalid?", r.URL.Path))
		}
		if acct != s.accountID {
			return fail(http.StatusForbidden, codeForbidden, "Unauthorized to access requested resource")
		}
	}
	if rt.op == OpListAccounts && tok.Kind == "account" {
		return fail(http.StatusBadRequest, codeAccountToken, "List accounts endpoint does not support account owned tokens.")
	}
	if rt.perm != "" && !hasPerm(tok, rt.perm) {
		return fail(http.StatusForbidden, codeForbidden, "Unauthorized to access requested resource")
	}
	return rt.h(s, &call{r: r, vars: vars, tok: tok})
}

func hasPerm(t TokenSpec, p Permission) bool {
	for _, q := range t.Perms {
		if q == p {
			return true
		}
	}
	return false
}

func (s *Sim) tokenStatus(t TokenSpec) string {
	if t.Status != "active" {
		return t.Status
	}
	if t.ExpiresOn != "" {
		if exp, err := time.Parse(time.RFC3339, t.ExpiresOn); err == nil && !s.now().Before(exp) {
			return "expired"
		}
	}
	return "active"
}
