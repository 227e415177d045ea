package actions

import (
	"sort"
	"strings"

	"cftriage/cloudflare"
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

// KnownPaths are the operations of the client's one operation table
// (cloudflare.Operations), in its order: the most used first, and
// completion keeps this order among equal matches.
var KnownPaths = knownPaths()

func knownPaths() []KnownPath {
	var out []KnownPath
	for _, op := range cloudflare.Operations() {
		out = append(out, KnownPath{Method: op.Method, Path: op.Path, Summary: op.Summary, Query: op.Query})
	}
	return out
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
