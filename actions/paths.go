package actions

import (
	"sort"
	"strings"
)

// KnownPath is an API operation the console knows, offered as a
// completion in the request editor. Path is relative to the API base and
// keeps its placeholders: {account_id} is filled from the active account;
// others ({asn}, {user_id}) are for the analyst to fill in.
type KnownPath struct {
	Method  string
	Path    string
	Summary string
	// Query names the query parameters worth knowing about (a hint, not
	// a requirement).
	Query []string
}

// KnownPaths is the project's own list of the operations in the API
// contract (a test checks it against ../shared/cloudflare/openapi.json:
// every entry exists there and every GET there is listed here). The most
// used come first; completion keeps this order among equal matches.
var KnownPaths = []KnownPath{
	{"GET", "/accounts/{account_id}/intel/ip", "IP overview", []string{"ipv4", "ipv6"}},
	{"GET", "/accounts/{account_id}/intel/domain", "domain overview", []string{"domain", "skip_dns", "skip_ranking"}},
	{"GET", "/accounts/{account_id}/intel/dns", "passive DNS by IPv4", []string{"ipv4", "page", "per_page"}},
	{"GET", "/accounts/{account_id}/intel/whois", "WHOIS record", []string{"domain"}},
	{"GET", "/accounts/{account_id}/intel/domain-history", "domain category history", []string{"domain"}},
	{"GET", "/accounts/{account_id}/intel/domain/bulk", "several domains (repeat domain=)", []string{"domain", "include_ranking"}},
	{"GET", "/accounts/{account_id}/intel/asn/{asn}", "ASN overview", nil},
	{"GET", "/accounts/{account_id}/intel/asn/{asn}/subnets", "ASN subnets", nil},
	{"GET", "/accounts/{account_id}/access/users", "Zero Trust users", []string{"email", "name", "search", "page", "per_page"}},
	{"GET", "/accounts/{account_id}/zt_risk_scoring/summary", "risky users summary", nil},
	{"GET", "/accounts/{account_id}/zt_risk_scoring/{user_id}", "user risk details", nil},
	{"POST", "/accounts/{account_id}/zt_risk_scoring/{user_id}/reset", "reset a user's risk score", nil},
	{"GET", "/accounts/{account_id}/tokens/verify", "verify an account token", nil},
	{"GET", "/user/tokens/verify", "verify a user token", nil},
	{"GET", "/accounts", "accounts the token can see", []string{"name", "page", "per_page", "direction"}},
}

// CompletePath returns the known paths matching what was typed, best
// first: paths that start with it, then paths containing it (both
// case-insensitive, ignoring any query string typed after "?"). The
// account id may be typed literally in place of {account_id}. An empty
// input matches everything.
func CompletePath(typed, accountID string) []KnownPath {
	typed, _, _ = strings.Cut(strings.TrimSpace(typed), "?")
	q := strings.ToLower(typed)
	if accountID != "" {
		q = strings.ReplaceAll(q, strings.ToLower(accountID), "{account_id}")
	}
	if q != "" && !strings.HasPrefix(q, "/") {
		q = "/" + q
	}
	type scored struct {
		p    KnownPath
		rank int
		i    int
	}
	var out []scored
	for i, p := range KnownPaths {
		lp := strings.ToLower(p.Path)
		switch {
		case q == "" || strings.HasPrefix(lp, q):
			out = append(out, scored{p, 0, i})
		case strings.Contains(lp, strings.TrimPrefix(q, "/")):
			out = append(out, scored{p, 1, i})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].rank < out[b].rank })
	res := make([]KnownPath, len(out))
	for i, s := range out {
		res[i] = s.p
	}
	return res
}
