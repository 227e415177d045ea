package actions

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"cftriage/cloudflare"
	"cftriage/store"
)

// TokenEnvVar is the variable a copied curl command reads the token from.
const TokenEnvVar = "CLOUDFLARE_API_TOKEN"

var curlMethodRE = regexp.MustCompile(`^[A-Z]{3,7}$`)

// CurlCommand renders req as a curl command line for a POSIX shell. The
// token is written as "$CLOUDFLARE_API_TOKEN", expanded by the shell when
// the command runs, never as its value (CurlCommand does not know it).
// Everything else is single-quoted, so nothing in a path, header or body
// is interpreted by the shell.
//
// req.Path is a path under baseURL or a full URL under it (the caller
// resolves placeholders first, e.g. with Client.ResolveURL); req.Query
// pairs are appended percent-encoded. A URL outside baseURL, a path with
// an unfilled {placeholder}, a credential header or control characters
// are refused.
func CurlCommand(baseURL string, req cloudflare.RawRequest) (string, error) {
	base, err := url.Parse(strings.TrimRight(strings.TrimSpace(baseURL), "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.User != nil {
		return "", errors.New("curl: the API base URL is not an http(s) URL")
	}
	method := strings.ToUpper(strings.TrimSpace(req.Method))
	if method == "" {
		method = "GET"
	}
	if !curlMethodRE.MatchString(method) {
		return "", fmt.Errorf("curl: %q is not an HTTP method", req.Method)
	}
	target, err := curlURL(base, req.Path, req.Query)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("curl -sS")
	body := strings.TrimSpace(string(req.Body))
	if method != "GET" || body != "" {
		// With a body curl would switch GET to POST on its own.
		b.WriteString(" -X " + method)
	}
	b.WriteString(" " + shellQuote(target))
	b.WriteString(" \\\n  -H \"Authorization: Bearer $" + TokenEnvVar + "\"")
	if body != "" {
		b.WriteString(" \\\n  -H " + shellQuote("Content-Type: application/json"))
	}
	for _, h := range req.Header {
		name := strings.TrimSpace(h[0])
		if store.IsAuthHeader(name) {
			return "", fmt.Errorf("curl: the %s header is refused: the token comes only from $%s", name, TokenEnvVar)
		}
		if name == "" || strings.ContainsAny(name, ": \t") || hasControl(name, false) || hasControl(h[1], false) {
			return "", fmt.Errorf("curl: the header %q is not valid", name)
		}
		if strings.EqualFold(name, "Content-Type") && body != "" {
			continue // already sent for the JSON body
		}
		b.WriteString(" \\\n  -H " + shellQuote(name+": "+h[1]))
	}
	if body != "" {
		if hasControl(body, true) {
			return "", errors.New("curl: the body contains control or invisible characters")
		}
		b.WriteString(" \\\n  --data-raw " + shellQuote(body))
	}
	return b.String(), nil
}

// curlURL joins base and path (or checks a full URL is under base) and
// appends query pairs.
func curlURL(base *url.URL, path string, query [][2]string) (string, error) {
	p := strings.TrimSpace(path)
	if p == "" {
		return "", errors.New("curl: the path is empty")
	}
	if hasControl(p, false) || strings.ContainsAny(p, "\\ ") {
		return "", errors.New("curl: the path contains spaces, backslashes, control or invisible characters")
	}
	basePath := strings.TrimRight(base.EscapedPath(), "/")
	var u *url.URL
	if strings.Contains(p, "://") || strings.HasPrefix(p, "//") {
		pu, err := url.Parse(p)
		if err != nil || !strings.EqualFold(pu.Scheme, base.Scheme) || !strings.EqualFold(pu.Host, base.Host) || pu.User != nil {
			return "", fmt.Errorf("curl: %s is not under %s", p, base.String())
		}
		u = pu
	} else {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		rawQuery := ""
		p, rawQuery, _ = strings.Cut(p, "?")
		if basePath != "" && (p == basePath || strings.HasPrefix(p, basePath+"/")) {
			p = strings.TrimPrefix(p, basePath)
		}
		u = &url.URL{Scheme: base.Scheme, Host: base.Host, RawQuery: rawQuery}
		u.Path, _ = url.PathUnescape(basePath + p)
		u.RawPath = basePath + p
	}
	ep := u.EscapedPath()
	if ep != basePath && !strings.HasPrefix(ep, basePath+"/") {
		return "", fmt.Errorf("curl: %s is not under %s", p, base.String())
	}
	for _, seg := range strings.Split(ep, "/") {
		if seg == "." || seg == ".." {
			return "", errors.New("curl: the path contains '.' or '..' segments")
		}
	}
	if strings.ContainsAny(ep, "{}") || strings.Contains(strings.ToLower(ep), "%7b") {
		return "", errors.New("curl: the path still has a {placeholder}; fill it in")
	}
	q := u.RawQuery
	for _, kv := range query {
		if strings.TrimSpace(kv[0]) == "" {
			return "", errors.New("curl: a query parameter has an empty name")
		}
		if q != "" {
			q += "&"
		}
		q += url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1])
	}
	u.RawQuery = q
	u.Fragment, u.RawFragment = "", ""
	s := u.String()
	if hasControl(s, false) {
		return "", errors.New("curl: the URL contains control characters")
	}
	return s, nil
}

// shellQuote single-quotes s for a POSIX shell: inside single quotes
// nothing is special; a single quote itself ends the quoting, is written
// backslash-escaped, and the quoting starts again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hasControl reports control characters (C0, DEL, C1) and invisible
// format characters such as bidi overrides, which could make a pasted
// command read differently from what it runs; a multi-line body may keep
// tabs and line breaks.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}
