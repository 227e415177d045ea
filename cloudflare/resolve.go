package cloudflare

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/http/httpguts"
)

var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// ResolveURL turns a custom call's path and query into the full URL that
// would be requested, or refuses it before anything is sent. path must be
// a path under the base URL ("/accounts/{account_id}/intel/ip?ipv4=1.1.1.1";
// {account_id} is filled from the configuration; a leading base path such
// as "/client/v4" is tolerated). An absolute URL is accepted only when it
// is under the base URL itself. Refused with KindOrigin: another origin,
// "//host", a host name in place of the path, "." or ".." segments (also
// percent-encoded, e.g. %2e%2e or ..%2f), backslashes, control
// characters. Query pairs are appended in order.
func (c *Client) ResolveURL(path string, query [][2]string) (string, error) {
	in := path
	originErr := func(reason string) error {
		return &Error{Kind: KindOrigin, Op: OpRaw, Message: fmt.Sprintf(
			"Refusing the path %s: %s. A custom call must be a path under %s; nothing was sent.", quoteInput(in), reason, c.baseStr)}
	}
	inputErr := func(reason string) error {
		return &Error{Kind: KindInput, Op: OpRaw, Message: fmt.Sprintf("The path %s %s; nothing was sent.", quoteInput(in), reason)}
	}
	p := strings.TrimSpace(path)
	if p == "" {
		return "", &Error{Kind: KindInput, Op: OpRaw, Message: "The path is empty; give one such as /accounts/{account_id}/intel/ip?ipv4=1.1.1.1."}
	}
	if strings.ContainsFunc(p, isInvisible) {
		return "", originErr("it contains control or invisible characters")
	}
	if strings.Contains(p, `\`) {
		return "", originErr("it contains a backslash")
	}
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i] // a fragment is never sent anyway
	}
	if strings.HasPrefix(p, "//") {
		return "", originErr("it starts with // and so names another host")
	}
	var rawQuery string
	if schemeRe.MatchString(p) {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", originErr("only a path, or an http(s) URL under the base, is accepted")
		}
		if u.User != nil {
			return "", originErr("it carries credentials")
		}
		if originOf(u) != c.origin {
			return "", originErr(fmt.Sprintf("it points to another origin (%s://%s); the token is only sent to %s",
				cleanText(u.Scheme, 10), cleanText(u.Host, 100), c.origin))
		}
		ep := u.EscapedPath()
		if ep != c.basePath && !strings.HasPrefix(ep, c.basePath+"/") {
			return "", originErr("it is on the API host but not under " + c.basePath)
		}
		p = ep[len(c.basePath):]
		if p == "" {
			p = "/"
		}
		rawQuery = u.RawQuery
	} else {
		p, rawQuery, _ = strings.Cut(p, "?")
		if !strings.HasPrefix(p, "/") {
			first, _, _ := strings.Cut(p, "/")
			if strings.ContainsAny(first, ".:@") {
				return "", originErr(fmt.Sprintf("it starts with a host name (%s); give a path such as /accounts/{account_id}/intel/ip", cleanText(first, 100)))
			}
			p = "/" + p
		}
		if c.basePath != "" && (p == c.basePath || strings.HasPrefix(p, c.basePath+"/")) {
			p = strings.TrimPrefix(p, c.basePath) // "/client/v4/accounts" meant "/accounts"
			if p == "" {
				p = "/"
			}
		}
	}

	p = replaceFold(replaceFold(p, "{account_id}", "\x00"), "%7Baccount_id%7D", "\x00")
	if strings.Contains(p, "\x00") {
		if c.accountID == "" {
			return "", inputErr("uses {account_id} but no account id is configured (set CLOUDFLARE_ACCOUNT_ID)")
		}
		p = strings.ReplaceAll(p, "\x00", c.accountID)
	}
	if i := strings.IndexAny(p, "{}"); i >= 0 || strings.Contains(strings.ToLower(p), "%7b") {
		return "", inputErr("still has a {placeholder}; fill it in")
	}
	for i := 0; i < len(p); i++ {
		b := p[i]
		if b == '%' {
			if i+2 >= len(p) || !isHex(p[i+1]) || !isHex(p[i+2]) {
				return "", inputErr("has a malformed percent-escape")
			}
			continue
		}
		if !isPathByte(b) {
			return "", inputErr(fmt.Sprintf("contains %s, which must be percent-encoded", quoteInput(string(rune(b)))))
		}
	}
	// Check every decoding layer, so "..%2f" and "%252e%252e" are caught
	// whichever layer a server or proxy decodes. Decoding until nothing
	// changes ends: each decoding that changes the string shortens it.
	check := p
	for {
		segs := strings.Split(check, "/")
		for i, s := range segs {
			if s == "." || s == ".." {
				return "", originErr("it contains '.' or '..' segments (possibly percent-encoded) that could leave the API base")
			}
			if s == "" && i > 0 && i < len(segs)-1 {
				return "", originErr("it contains an empty segment (// or an encoded slash)")
			}
		}
		if strings.Contains(check, `\`) {
			return "", originErr("it contains an encoded backslash")
		}
		if strings.ContainsFunc(check, isInvisible) {
			return "", originErr("it contains encoded control characters")
		}
		dec, err := url.PathUnescape(check)
		if err != nil {
			return "", inputErr("has a malformed percent-escape")
		}
		if dec == check {
			break
		}
		check = dec
	}

	pairs, err := SplitQuery(rawQuery)
	if err != nil {
		return "", inputErr("has a malformed query string")
	}
	for _, kv := range query {
		if strings.TrimSpace(kv[0]) == "" {
			return "", &Error{Kind: KindInput, Op: OpRaw, Message: "A query parameter has an empty name; nothing was sent."}
		}
		pairs = append(pairs, kv)
	}
	full := c.fullURL(p, pairs)
	// Belt and braces: whatever the checks above missed, the result must
	// still be under the base.
	u, err := url.Parse(full)
	if err != nil || originOf(u) != c.origin || u.User != nil ||
		(u.EscapedPath() != c.basePath && !strings.HasPrefix(u.EscapedPath(), c.basePath+"/")) {
		return "", originErr("it does not resolve to a URL under the base")
	}
	return full, nil
}

// errMalformedQuery is SplitQuery's refusal.
var errMalformedQuery = errors.New("malformed query string")

// SplitQuery decodes a raw query string ("a=1&b=x%20y", no leading ?)
// into its pairs, in order, the way ResolveURL reads a query typed into
// a path: empty parts are skipped, a part without = has an empty value,
// and a bad percent-escape or an empty name refuses the whole query.
func SplitQuery(raw string) ([][2]string, error) {
	var pairs [][2]string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err1 := url.QueryUnescape(k)
		dv, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || dk == "" {
			return nil, errMalformedQuery
		}
		pairs = append(pairs, [2]string{dk, dv})
	}
	return pairs, nil
}

// replaceFold replaces old case-insensitively (ASCII folding only, so
// byte offsets in s and its folded copy agree).
func replaceFold(s, old, repl string) string {
	lo, lold := asciiLower(s), asciiLower(old)
	if !strings.Contains(lo, lold) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(lo, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lo = s[i+len(old):], lo[i+len(old):]
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

// isPathByte is RFC 3986 pchar plus "/", without "%" (checked apart).
func isPathByte(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", b) >= 0
}

func validToken(s string) bool { return httpguts.ValidHeaderFieldName(s) }

func jsonValid(b []byte) bool { return json.Valid(b) }

// checkRawHeaders refuses credential headers (the client adds the token
// itself; a custom one could replace or leak it) and headers the HTTP
// client owns, and validates the rest.
func checkRawHeaders(h [][2]string) ([][2]string, error) {
	var out [][2]string
	for _, kv := range h {
		if err := CheckHeader(kv[0], kv[1]); err != nil {
			return nil, err
		}
		out = append(out, [2]string{strings.TrimSpace(kv[0]), kv[1]})
	}
	return out, nil
}

// CheckHeader refuses a custom header a raw call must not carry: an
// invalid name or value, a credential header (the token comes only from
// the profile) or one the HTTP client sets itself. The editor calls it
// as the analyst types, Raw before sending.
func CheckHeader(name, value string) error {
	name = strings.TrimSpace(name)
	if !httpguts.ValidHeaderFieldName(name) {
		return &Error{Kind: KindInput, Op: OpRaw, Message: fmt.Sprintf("The header name %s is not valid; nothing was sent.", quoteInput(name))}
	}
	l := strings.ToLower(name)
	switch {
	case l == "authorization" || l == "proxy-authorization" || strings.HasPrefix(l, "x-auth-"):
		return &Error{Kind: KindInput, Op: OpRaw, Message: fmt.Sprintf(
			"The %s header is refused: cftriage sends the API token itself, and a custom credential header could replace or leak it. Nothing was sent.", name)}
	case l == "host" || l == "content-length" || l == "transfer-encoding" || l == "connection" ||
		l == "te" || l == "upgrade" || l == "keep-alive" || l == "trailer":
		return &Error{Kind: KindInput, Op: OpRaw, Message: fmt.Sprintf("The %s header is set by the HTTP client and cannot be given. Nothing was sent.", name)}
	}
	if !httpguts.ValidHeaderFieldValue(value) {
		return &Error{Kind: KindInput, Op: OpRaw, Message: fmt.Sprintf("The value of the %s header contains characters not allowed in a header. Nothing was sent.", name)}
	}
	return nil
}
