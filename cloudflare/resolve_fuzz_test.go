package cloudflare

import (
	"net/url"
	"strings"
	"testing"
)

// fuzzBases are the bases FuzzResolveURL resolves against: the real API
// (default port) and a simulator-like one with an explicit port.
var fuzzBases = []string{
	"https://api.cloudflare.com/client/v4",
	"http://127.0.0.1:8787/client/v4",
}

// FuzzResolveURL: whatever the path and query, ResolveURL either refuses
// or returns a URL on the base's scheme, host and port, under its path,
// with no "." or ".." segment however many times the path is decoded,
// no credentials, no fragment, and the given query pair intact.
func FuzzResolveURL(f *testing.F) {
	for _, p := range []string{
		"/accounts/{account_id}/intel/ip?ipv4=1.1.1.1", "accounts/x", "/client/v4/accounts",
		"https://api.cloudflare.com/client/v4/user/tokens/verify?a=b", "https://api.cloudflare.com:443/client/v4/x",
		"http://127.0.0.1:8787/client/v4/accounts", "//evil.example/x", "evil.example/x", "/..%2f..",
		"/accounts/%2e%2e/x", "/accounts/%252e%252e/x", "/accounts/%2525252e%2525252e/x", "/a/%2F/b",
		`/a\..\b`, "/a/\r\nHost: x", "/a#/../../x", "/a?b=c#d", "https://u:p@api.cloudflare.com/client/v4/x",
		"/client/v4/../x", "/client/v4", "https://api.cloudflare.com/client/v4", "/%7Baccount_id%7D/x",
		"HTTPS://API.CLOUDFLARE.COM/client/v4/x", "/a;b=../c", "/a/%2e", "/a/.%2e/b",
	} {
		f.Add(p, "ipv4", "1.1.1.1", uint8(0))
		f.Add(p, "q", "a&b=c#d", uint8(1))
	}
	f.Fuzz(func(t *testing.T, path, key, value string, which uint8) {
		baseStr := fuzzBases[int(which)%len(fuzzBases)]
		base, err := url.Parse(baseStr)
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(Config{Token: "t", AccountID: testAccount, BaseURL: baseStr})
		if err != nil {
			t.Fatal(err)
		}
		var query [][2]string
		if strings.TrimSpace(key) != "" {
			query = [][2]string{{key, value}}
		}
		full, err := c.ResolveURL(path, query)
		if err != nil {
			return
		}
		u, err := url.Parse(full)
		if err != nil {
			t.Fatalf("ResolveURL(%q) = %q, which does not parse: %v", path, full, err)
		}
		if u.Scheme != base.Scheme || u.Hostname() != base.Hostname() || u.Port() != base.Port() {
			t.Fatalf("ResolveURL(%q) = %q: %s://%s:%s, want the base's %s://%s:%s",
				path, full, u.Scheme, u.Hostname(), u.Port(), base.Scheme, base.Hostname(), base.Port())
		}
		if u.User != nil || u.Fragment != "" || strings.Contains(full, "#") {
			t.Fatalf("ResolveURL(%q) = %q carries credentials or a fragment", path, full)
		}
		ep := u.EscapedPath()
		if ep != base.Path && !strings.HasPrefix(ep, base.Path+"/") {
			t.Fatalf("ResolveURL(%q) = %q: path %q is not under %q", path, full, ep, base.Path)
		}
		// Decode until nothing changes (each change shortens the path, so
		// this ends) or the path no longer decodes: no layer may walk out.
		for p := ep; ; {
			for _, seg := range strings.Split(p, "/") {
				if seg == "." || seg == ".." {
					t.Fatalf("ResolveURL(%q) = %q: path %q has a %q segment", path, full, p, seg)
				}
			}
			dec, err := url.PathUnescape(p)
			if err != nil || dec == p {
				break
			}
			p = dec
		}
		if len(query) > 0 {
			got := u.Query()[key]
			if len(got) == 0 || got[len(got)-1] != value {
				t.Fatalf("ResolveURL(%q, %q=%q) = %q: the query pair became %q", path, key, value, full, got)
			}
		}
	})
}
