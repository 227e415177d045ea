package indicator

// Extraction of indicators from free text: an alert, an email body, log
// lines, a CSV. The rules (documented in the README, "Bulk triage"):
//
//   - The text is refanged first: 203.0.113[.]66, evil(dot)example,
//     hxxps://, user[@]corp.example, evil\.example.
//   - It is split into tokens at whitespace and at characters that never
//     occur inside an indicator (quotes, commas, semicolons, brackets,
//     pipes, angle brackets); surrounding punctuation is trimmed.
//   - A token with "://" is a URL: the URL itself (kind url) and its host
//     (an IP or a domain). A token with "@" is an email (mailto: too).
//     AS13335 / ASN13335, or AS / ASN followed by a number, is an ASN.
//     A dotted quad is an IPv4 address (a port is dropped; a CIDR network
//     is skipped, it is not an address); a token netip reads as IPv6 is
//     an IPv6 address.
//   - Anything else with a dot is a domain only when its last label is an
//     ICANN top-level domain in the public suffix list, or one of the
//     reserved names documentation and the demo use (.example, .test,
//     .invalid, .localhost). So report.pdf and setup.exe are not domains.
//     A two-label name whose top-level domain is also a common file
//     extension (.zip, .mov, .py, .sh, .rs, .pl, .md, .ps, .so, ...) is
//     taken as a file name, unless it came from a URL or an email.
//     Version strings (1.2.3, v2.4.1) never are: their last label is
//     numeric, or they start with a v and a digit.
//   - Duplicates (after the same normalization as a single lookup) are
//     merged, keeping the first position.

import (
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// Limits of one run.
const (
	MaxText       = 1 << 20 // bytes of text
	MaxIndicators = 10000
)

// Type is what an extracted indicator is, as the triage output names it.
type Type string

// The kinds, in the order the counts are shown.
const (
	TypeIP     Type = "ip"
	TypeDomain Type = "domain"
	TypeURL    Type = "url"
	TypeEmail  Type = "email"
	TypeASN    Type = "asn"
)

// Types lists the kinds in display order.
var Types = []Type{TypeIP, TypeDomain, TypeURL, TypeEmail, TypeASN}

// Found is one extracted indicator: its kind and its normalized value
// (an IP in canonical form, a punycode domain, a refanged URL, an email,
// an AS number as digits).
type Found struct {
	Type  Type
	Value string
	Addr  netip.Addr // for TypeIP
	ASN   int        // for TypeASN
}

// Skipped is a token that looked like an indicator and was left out, and
// why.
type Skipped struct {
	Text   string
	Reason string
}

// Extraction is what Extract found.
type Extraction struct {
	Found   []Found
	Skipped []Skipped // distinct texts, first seen first
	// Over is how many more distinct indicators the text held beyond
	// MaxIndicators; they were not taken.
	Over int
}

// Counts is the number found per kind.
func (e Extraction) Counts() map[Type]int {
	c := map[Type]int{}
	for _, f := range e.Found {
		c[f.Type]++
	}
	return c
}

// TooLongError is text over MaxText.
type TooLongError struct{ Size int }

func (e *TooLongError) Error() string {
	return "the text is " + strconv.FormatFloat(float64(e.Size)/(1<<20), 'f', 1, 64) +
		" MiB; one run takes at most 1 MiB — split it into several runs"
}

var (
	asnToken  = regexp.MustCompile(`^(?i)asn?(\d{1,10})$`)
	asnWord   = regexp.MustCompile(`^(?i)asn?:?$`)
	versionRe = regexp.MustCompile(`^(?i)v\d`)
)

// refangText undoes defanging across a whole text in one pass (regular
// expressions over a megabyte cost ten times as much): [.] (.) {.} [dot]
// → ".", [@] [at] → "@", [:] [://] [/], \. → ".", hxxp(s):// → http(s)://.
// Spaces around a bracketed dot or at ("evil [dot] example") go too.
func refangText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '[', '(', '{':
			if rep, n := bracketAt(s[i:]); n > 0 {
				if rep == "." || rep == "@" {
					trimTrailingSpace(&b)
					i += n
					for i < len(s) && s[i] == ' ' {
						i++
					}
				} else {
					i += n
				}
				b.WriteString(rep)
				continue
			}
		case '\\':
			if i+1 < len(s) && s[i+1] == '.' {
				b.WriteByte('.')
				i += 2
				continue
			}
		case 'h', 'H':
			if rep, n := hxxpAt(s, i); n > 0 {
				b.WriteString(rep)
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func trimTrailingSpace(b *strings.Builder) {
	t := b.String()
	if u := strings.TrimRight(t, " "); len(u) != len(t) {
		b.Reset()
		b.WriteString(u)
	}
}

// bracketAt reads a defanging bracket at the start of s: what it stands
// for and its length, or n = 0.
func bracketAt(s string) (string, int) {
	closer := map[byte]byte{'[': ']', '(': ')', '{': '}'}[s[0]]
	end := strings.IndexByte(s[1:min(len(s), 9)], closer)
	if end < 0 {
		return "", 0
	}
	switch strings.ToLower(strings.TrimSpace(s[1 : 1+end])) {
	case ".", "dot":
		return ".", end + 2
	case "@", "at":
		return "@", end + 2
	case ":":
		return ":", end + 2
	case "://":
		return "://", end + 2
	case "/":
		return "/", end + 2
	}
	return "", 0
}

// hxxpAt reads hxxp://, hxxps://, h**p://, hxtp://, htxp:// (any case,
// also with [:]) at s[i], at the start of a word.
func hxxpAt(s string, i int) (string, int) {
	if i > 0 && isWordByte(s[i-1]) || len(s)-i < 7 {
		return "", 0
	}
	mid := strings.ToLower(s[i+1 : i+3])
	if mid != "xx" && mid != "**" && mid != "xt" && mid != "tx" {
		return "", 0
	}
	j := i + 3
	if s[j] != 'p' && s[j] != 'P' {
		return "", 0
	}
	j++
	scheme := "http"
	if j < len(s) && (s[j] == 's' || s[j] == 'S') {
		scheme, j = "https", j+1
	}
	switch {
	case strings.HasPrefix(s[j:], "://"):
		return scheme + "://", j + 3 - i
	case strings.HasPrefix(s[j:], "[:]//"):
		return scheme + "://", j + 5 - i
	}
	return "", 0
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isDelim(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', ',', ';', '"', '\'', '`', '<', '>', '|', '(', ')', '{', '}', '[', ']',
		'“', '”', '‘', '’', '«', '»', '\u00a0':
		return true
	}
	return r < 0x20 || r == 0x7f || (r >= 0x200b && r <= 0x200f) || r == 0xfeff || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// trimPunct strips what punctuation ends or starts a token in prose.
// A leading ":" stays: it starts IPv6 addresses (::1, ::ffff:192.0.2.1).
func trimPunct(s string) string {
	for len(s) > 0 && isTrailPunct(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	for len(s) > 0 && s[0] != ':' && isTrailPunct(s[0]) {
		s = s[1:]
	}
	return s
}

func isTrailPunct(c byte) bool {
	switch c {
	case '.', ':', '!', '?', '*', '=', '+', '~', '^':
		return true
	}
	return false
}

// fileExts are file extensions that are also ICANN top-level domains: a
// bare name.ext with one of them is a file, not a domain.
var fileExts = map[string]bool{
	"zip": true, "mov": true, "py": true, "sh": true, "rs": true, "pl": true, "md": true,
	"ps": true, "so": true, "cc": true, "app": true, "ai": true,
}

// reservedTLDs are the names documentation and tests use (RFC 2606/6761).
var reservedTLDs = map[string]bool{"example": true, "test": true, "invalid": true, "localhost": true}

// Extract finds the indicators in text.
func Extract(text string) (Extraction, error) {
	if len(text) > MaxText {
		return Extraction{}, &TooLongError{Size: len(text)}
	}
	text = refangText(strings.ToValidUTF8(text, " "))
	// Sized for the text: a megabyte of logs holds tens of thousands of
	// distinct tokens, and growing a map that large costs more than
	// reading them.
	x := extractor{seen: make(map[foundKey]bool, len(text)/64), skipSeen: map[string]bool{}, tlds: map[string]bool{}}
	// done holds the tokens already read: a token read twice adds
	// nothing, and logs repeat most of theirs.
	done := make(map[string]bool, len(text)/32)
	prevASN := false
	for start := 0; start < len(text); {
		// The next token: runs of non-delimiters (ASCII read bytewise).
		for start < len(text) {
			r, n := rune(text[start]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(text[start:])
			}
			if !isDelim(r) {
				break
			}
			start += n
		}
		end := start
		for end < len(text) {
			r, n := rune(text[end]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(text[end:])
			}
			if isDelim(r) {
				break
			}
			end += n
		}
		tok := text[start:end]
		start = end
		t := trimPunct(tok)
		if t == "" {
			continue
		}
		if prevASN {
			prevASN = false
			if n, err := strconv.Atoi(t); err == nil {
				x.asn(t, n)
				continue
			}
		}
		if len(t) <= 4 && asnWord.MatchString(t) {
			prevASN = true
			continue
		}
		if done[t] {
			continue
		}
		done[t] = true
		x.token(t)
	}
	return x.out, nil
}

type extractor struct {
	out      Extraction
	seen     map[foundKey]bool
	skipSeen map[string]bool
	tlds     map[string]bool // isTLD, per top-level label
}

type foundKey struct {
	kind  Type
	value string
}

func (x *extractor) add(f Found) {
	key := foundKey{f.Type, f.Value}
	if x.seen[key] {
		return
	}
	x.seen[key] = true
	if len(x.out.Found) >= MaxIndicators {
		x.out.Over++
		return
	}
	x.out.Found = append(x.out.Found, f)
}

func (x *extractor) skip(text, reason string) {
	if x.skipSeen[text] {
		return
	}
	x.skipSeen[text] = true
	x.out.Skipped = append(x.out.Skipped, Skipped{Text: text, Reason: reason})
}

func (x *extractor) asn(text string, n int) {
	if n <= 0 || n > MaxASN {
		x.skip(text, "not a valid AS number")
		return
	}
	x.add(Found{Type: TypeASN, Value: strconv.Itoa(n), ASN: n})
}

func (x *extractor) token(t string) {
	switch {
	case strings.Contains(t, "://"):
		x.url(t)
	case strings.HasPrefix(strings.ToLower(t), "mailto:"):
		x.email(t[len("mailto:"):], true)
	case strings.Contains(t, "@"):
		x.email(t, false)
	case (t[0] == 'a' || t[0] == 'A') && asnToken.MatchString(t):
		n, _ := strconv.Atoi(asnToken.FindStringSubmatch(t)[1])
		x.asn(t, n)
	default:
		x.hostish(t, false)
	}
}

func (x *extractor) url(t string) {
	u, err := url.Parse(t)
	if err != nil || u.Host == "" {
		x.skip(t, "not a URL that can be read")
		return
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		x.skip(t, "a "+u.Scheme+" URL: only http and https URLs are looked up")
		x.hostish(u.Hostname(), true)
		return
	}
	host := u.Hostname()
	if !x.hostish(host, true) {
		return
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	x.add(Found{Type: TypeURL, Value: u.String()})
}

func (x *extractor) email(t string, explicit bool) {
	at := strings.LastIndexByte(t, '@')
	if at <= 0 || at == len(t)-1 {
		if explicit {
			x.skip(t, "not an email address")
		}
		return
	}
	domain := trimPunct(t[at+1:])
	if !x.isDomain(domain, true) {
		x.skip(t, "its domain is not a real or reserved domain")
		return
	}
	e, err := NormalizeEmail(t[:at] + "@" + domain)
	if err != nil {
		x.skip(t, "not a valid email address")
		return
	}
	x.add(Found{Type: TypeEmail, Value: e})
}

// hostish takes an IP or a domain; it reports whether t was one.
func (x *extractor) hostish(t string, fromURL bool) bool {
	if t == "" {
		return false
	}
	if ip, ok := x.ip(t); ok {
		if ip.IsValid() {
			x.add(Found{Type: TypeIP, Value: ip.String(), Addr: ip})
		}
		return ip.IsValid()
	}
	if !strings.Contains(t, ".") {
		return false
	}
	if !x.isDomain(t, fromURL) {
		return false
	}
	d, ok := fastDomain(t)
	var err error
	if !ok {
		d, err = NormalizeDomain(t)
	}
	if err != nil {
		x.skip(t, "not a valid domain name")
		return false
	}
	x.add(Found{Type: TypeDomain, Value: d})
	return true
}

// ip reads t as an address. ok reports that t looked like one (a dotted
// quad, a host:port, a CIDR, IPv6); the address is invalid when it was
// skipped.
func (x *extractor) ip(t string) (netip.Addr, bool) {
	host := t
	if i := strings.LastIndexByte(t, ':'); i > 0 && strings.Count(t, ":") == 1 {
		host = t[:i] // 203.0.113.66:443
	}
	if base, _, cidr := strings.Cut(host, "/"); cidr && (isDottedQuad(base) || strings.Count(base, ":") >= 2) {
		if _, err := netip.ParsePrefix(host); err == nil {
			x.skip(t, "a network (CIDR), not an address: look up an address in it")
			return netip.Addr{}, true
		}
	}
	if isDottedQuad(host) {
		a, err := netip.ParseAddr(host)
		if err != nil {
			x.skip(t, "not a valid IPv4 address (a number over 255)")
			return netip.Addr{}, true
		}
		return a, true
	}
	if strings.Count(t, ":") >= 2 {
		a, err := netip.ParseAddr(strings.Trim(t, "[]"))
		if err != nil {
			return netip.Addr{}, false
		}
		if a.Zone() != "" {
			a = a.WithZone("")
		}
		if a.Is4In6() {
			a = a.Unmap()
		}
		return a, true
	}
	return netip.Addr{}, false
}

// fastDomain normalizes a plain ASCII name the way NormalizeDomain does
// (lowercase, no trailing dot) without its IDNA passes; ok is false for
// anything it does not vouch for, which then takes the full path.
func fastDomain(t string) (string, bool) {
	name := strings.TrimSuffix(t, ".")
	if len(name) > 253 || strings.Contains(name, "xn--") {
		return "", false
	}
	label := 0
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			label++
		case c >= 'A' && c <= 'Z':
			return "", false
		case c == '-':
			if label == 0 || i+1 == len(name) || name[i+1] == '.' {
				return "", false
			}
			label++
		case c == '.':
			if label == 0 {
				return "", false
			}
			label = 0
		default:
			return "", false
		}
		if label > 63 {
			return "", false
		}
	}
	return name, label > 0
}

// isDottedQuad reports four dot-separated groups of one to three digits.
func isDottedQuad(s string) bool {
	groups, n := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			n++
			if n > 3 {
				return false
			}
		case c == '.' && n > 0:
			groups++
			n = 0
		default:
			return false
		}
	}
	return groups == 3 && n > 0
}

// isDomain applies the noise rules to a dotted name.
func (x *extractor) isDomain(t string, fromURL bool) bool {
	name := strings.ToLower(strings.TrimSuffix(t, "."))
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return false
	}
	tld := labels[len(labels)-1]
	if tld == "" || strings.Trim(tld, "0123456789") == "" || versionRe.MatchString(name) {
		if !strings.Contains(name, "..") && strings.Trim(strings.TrimPrefix(name, "v"), "0123456789.") == "" {
			x.skip(t, "a version number")
		}
		return false // 1.2.3, v2.4.1
	}
	if reservedTLDs[tld] {
		return true
	}
	known, ok := x.tlds[tld]
	if !ok {
		known = isTLD(tld)
		x.tlds[tld] = known
	}
	if !known {
		if len(labels) == 2 && len(tld) <= 5 && strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") == "" {
			x.skip(t, "looks like a file name (."+tld+" is not a top-level domain)")
		}
		return false
	}
	if !fromURL && len(labels) == 2 && fileExts[tld] {
		x.skip(t, "looks like a file name (."+tld+" is also a file extension)")
		return false
	}
	return true
}

// isTLD reports that the public suffix list knows tld as a top-level
// domain of its own (PublicSuffix's default rule makes any last label a
// suffix, so that alone does not tell).
func isTLD(tld string) bool {
	ps, icann := publicsuffix.PublicSuffix("x." + tld)
	return icann && (ps == tld || strings.HasSuffix(ps, "."+tld))
}

// PresentTypes returns the types with a count, in display order.
func PresentTypes(c map[Type]int) []Type {
	var out []Type
	for _, k := range Types {
		if c[k] > 0 {
			out = append(out, k)
		}
	}
	return out
}
