package indicator

import "strings"

// Defang makes an indicator safe to paste into a ticket or a chat: no
// client turns it into a link, and Extract (or any search box here)
// reads it back. The last dot of an address or a name becomes [.], @
// becomes [@], and a URL's scheme http(s) becomes hxxp(s):
// 203.0.113[.]66, www.evil[.]example, hxxps://evil[.]example/x,
// user[@]corp[.]example. IPv6 addresses and AS numbers are left as they
// are.
func Defang(kind Type, v string) string {
	switch kind {
	case TypeIP:
		if strings.Contains(v, ":") {
			return v
		}
		return lastDot(v)
	case TypeDomain:
		return lastDot(v)
	case TypeEmail:
		local, domain, ok := strings.Cut(v, "@")
		if !ok {
			return v
		}
		return local + "[@]" + lastDot(domain)
	case TypeURL:
		scheme, rest, ok := strings.Cut(v, "://")
		if !ok {
			return v
		}
		host, path, _ := strings.Cut(rest, "/")
		if strings.HasPrefix(strings.ToLower(scheme), "http") {
			scheme = "hxxp" + scheme[4:]
		}
		out := scheme + "://" + lastDot(host)
		if path != "" || strings.Contains(rest, "/") {
			out += "/" + path
		}
		return out
	}
	return v
}

func lastDot(s string) string {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[:i] + "[.]" + s[i+1:]
	}
	return s
}
