// Package indicator parses what an analyst types or pastes: IP
// addresses, domains, email addresses and ASNs, defanged or not. Detect
// tells them apart for the console's search box and `cftriage lookup`;
// the Normalize functions give each its canonical form. Everything here
// runs before any request: bad input gets an *InputError. The package
// has no dependencies in the project, so the client, the CLI and the
// console all import it.
package indicator

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Kind is what Detect recognised.
type Kind int

const (
	Unknown Kind = iota
	IP
	Domain
	Email
	ASN
)

// String names the kind for messages ("IP address", "domain", ...).
func (k Kind) String() string {
	switch k {
	case IP:
		return "IP address"
	case Domain:
		return "domain"
	case Email:
		return "email address"
	case ASN:
		return "ASN"
	}
	return "unknown"
}

// Indicator is a normalized, refanged input.
type Indicator struct {
	Kind  Kind
	Value string // canonical: IP string, punycode domain, "13335"; an email as typed
	ASN   int    // for ASN
	Addr  netip.Addr
	// URL is the refanged URL when the input was one; Value is then its
	// host, and the UI may say so ("looked up the host of the URL").
	URL string
}

// InputError is bad input caught before any request; Suggestion is a
// corrected value when one is evident ("did you mean <host>?").
type InputError struct {
	Field      string // what was expected: "IP address", "domain", ...
	Input      string // the input as given (untrusted; Error() quotes it)
	Msg        string // a predicate: "looks like a URL — did you mean example.com?"
	Suggestion string
}

// Error reads as a sentence: `domain "https://example.com/x" looks like a
// URL — did you mean example.com?`. The input is quoted and shortened so
// control characters in it cannot reach a terminal.
func (e *InputError) Error() string {
	if e == nil {
		return "invalid input"
	}
	field := e.Field
	if field == "" {
		field = "input"
	}
	msg := e.Msg
	if msg == "" {
		msg = "is not valid"
	}
	if e.Input == "" {
		return field + " " + msg
	}
	return field + " " + quoteInput(e.Input) + " " + msg
}

// quoteInput quotes untrusted input for a message: Go escapes for control
// and invisible characters, shortened to a readable length.
func quoteInput(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.QuoteToGraphic(s)
}

func inputErr(field, input, msg string) *InputError {
	return &InputError{Field: field, Input: input, Msg: msg}
}

// ---- refanging ----------------------------------------------------------

// bracketTokens maps the inside of a defanging bracket to what it stands
// for: "[.]", "(dot)", "{.}", "[@]", "[at]", "[:]", "[://]", "[/]".
var bracketTokens = map[string]string{
	".": ".", "dot": ".",
	"@": "@", "at": "@",
	":": ":", "://": "://", "/": "/",
}

var hxxpRe = regexp.MustCompile(`(?i)\bh(?:xx|\*\*|xt|tx|XX)p(s?)://`)

// Refang undoes common defanging of indicators copied from threat reports:
// `1.2.3[.]4`, `hxxps://evil[.]com/x`, `evil(.)com`, `evil[dot]com`,
// `evil{.}com`, `user[@]corp.com`, `user[at]corp.com`, `evil\.com`. It also
// trims surrounding spaces, quotes and angle brackets, and turns tabs and
// line breaks into spaces. Nothing else is dropped: control, zero-width
// and bidirectional characters stay, so Detect and the Normalize functions
// refuse the input and name the character, rather than look up something
// other than what was pasted (`exa\u200bmple.com` is not `example.com`).
// Clean input is unchanged.
func Refang(s string) string {
	s = spaceControls(s)
	s = trimWrapping(s)
	s = unbracket(s)
	s = strings.ReplaceAll(s, `\.`, ".")
	s = hxxpRe.ReplaceAllStringFunc(s, func(m string) string {
		if len(m) > 0 && (m[4] == 's' || m[4] == 'S') {
			return "https://"
		}
		return "http://"
	})
	return trimWrapping(s)
}

// spaceControls turns the whitespace controls (tab, line breaks) into
// spaces: a pasted line brings its line break along.
func spaceControls(s string) string {
	// Byte by byte: strings.Map would turn invalid UTF-8 into U+FFFD,
	// which checkVisible must still see as invalid.
	b := []byte(s)
	for i, c := range b {
		switch c {
		case '\t', '\n', '\r', '\v', '\f':
			b[i] = ' '
		}
	}
	return string(b)
}

// invisibleNames names the invisible characters an analyst may meet in a
// paste; others are described by their code point only.
var invisibleNames = map[rune]string{
	0x00ad: "soft hyphen", 0x061c: "Arabic letter mark",
	0x200b: "zero width space", 0x200c: "zero width non-joiner", 0x200d: "zero width joiner",
	0x200e: "left-to-right mark", 0x200f: "right-to-left mark",
	0x202a: "left-to-right embedding", 0x202b: "right-to-left embedding", 0x202c: "pop directional formatting",
	0x202d: "left-to-right override", 0x202e: "right-to-left override",
	0x2060: "word joiner", 0x2066: "left-to-right isolate", 0x2067: "right-to-left isolate",
	0x2068: "first strong isolate", 0x2069: "pop directional isolate", 0xfeff: "zero width no-break space (BOM)",
	0x1b: "escape",
}

// checkVisible refuses input holding a character that does not show or
// that rewrites how text is displayed, or bytes that are not UTF-8,
// naming the first one and where it is. Such a character is never dropped
// silently: it may be what makes a lookalike look right.
func checkVisible(field, in string) *InputError {
	if !utf8.ValidString(in) {
		return inputErr(field, in, "contains bytes that are not valid UTF-8; copy it again as text")
	}
	i := strings.IndexFunc(in, IsInvisible)
	if i < 0 {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(in[i:])
	what := fmt.Sprintf("U+%04X", r)
	if n, ok := invisibleNames[r]; ok {
		what += " " + n
	}
	if r < 0x20 || r >= 0x7f && r <= 0x9f {
		what += ", a control character"
	}
	where := "at the start"
	if before := strings.TrimSpace(in[:i]); before != "" {
		where = "after " + quoteInput(tail(before, 20))
	}
	return inputErr(field, in, fmt.Sprintf("contains an invisible character (%s) %s; it is not dropped, since it can make one name look like another — retype it without", what, where))
}

// tail is the last n runes of s.
func tail(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n:])
}

// IsInvisible reports control characters, zero-width characters and
// bidirectional controls: nothing an indicator may contain.
func IsInvisible(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e,
		r >= 0x2060 && r <= 0x2069, r == 0xfeff, r == 0x061c, r == 0x00ad:
		return true
	}
	return false
}

func isWrapping(r rune) bool {
	switch r {
	case '"', '\'', '`', ',', ';', '“', '”', '‘', '’', '«', '»':
		return true
	}
	return unicode.IsSpace(r)
}

// trimWrapping strips spaces, quotes and stray punctuation around an
// indicator, and angle brackets when they enclose it ("<evil.com>"), but
// not the one closing "Name <a@b.com>".
func trimWrapping(s string) string {
	for {
		t := strings.TrimFunc(s, isWrapping)
		if len(t) >= 2 && t[0] == '<' && t[len(t)-1] == '>' {
			t = t[1 : len(t)-1]
		}
		if t == s {
			return t
		}
		s = t
	}
}

// unbracket replaces bracketed defang tokens, eating spaces around a
// "[dot]" or "[at]" written as a separate word ("evil [dot] com").
func unbracket(s string) string {
	if !strings.ContainsAny(s, "[({") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '[' || c == '(' || c == '{' {
			closer := map[byte]byte{'[': ']', '(': ')', '{': '}'}[c]
			if j := strings.IndexByte(s[i+1:], closer); j >= 0 && j <= 6 {
				inner := strings.ToLower(strings.TrimSpace(s[i+1 : i+1+j]))
				if rep, ok := bracketTokens[inner]; ok {
					out := strings.TrimRight(b.String(), " ")
					b.Reset()
					b.WriteString(out)
					b.WriteString(rep)
					i += j + 2
					for i < len(s) && s[i] == ' ' {
						i++
					}
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// ---- IP -----------------------------------------------------------------

// NormalizeIP parses one IP address and returns it in canonical form
// (netip: dotted quad, or compressed lowercase IPv6). An IPv4-mapped IPv6
// address is unmapped to IPv4. Brackets ("[2001:db8::1]") are accepted;
// networks (CIDR), zones and ports are refused with a suggestion.
func NormalizeIP(s string) (netip.Addr, error) {
	const field = "IP address"
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, inputErr(field, "", "is empty; enter an address such as 192.0.2.1 or 2001:db8::1")
	}
	if e := checkVisible(field, s); e != nil {
		e.Input = in
		return netip.Addr{}, e
	}
	if strings.Contains(s, "/") {
		if p, err := netip.ParsePrefix(s); err == nil {
			a := p.Addr().Unmap().String()
			return netip.Addr{}, &InputError{Field: field, Input: in, Suggestion: a,
				Msg: "is a network (CIDR), not a single address — look up one address, e.g. " + a}
		}
		return netip.Addr{}, inputErr(field, in, "is not a valid IP address")
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		if ap, perr := netip.ParseAddrPort(s); perr == nil && ap.Addr().Zone() == "" {
			sug := ap.Addr().Unmap().String()
			return netip.Addr{}, &InputError{Field: field, Input: in, Suggestion: sug,
				Msg: "includes a port — did you mean " + sug + "?"}
		}
		return netip.Addr{}, inputErr(field, in, "is not a valid IP address")
	}
	if a.Zone() != "" {
		sug := a.WithZone("").String()
		return netip.Addr{}, &InputError{Field: field, Input: in, Suggestion: sug,
			Msg: "has an IPv6 zone (%" + a.Zone() + "), which only means something on one machine — did you mean " + sug + "?"}
	}
	return a.Unmap(), nil
}

// ---- domain -------------------------------------------------------------

// idnaProfile maps and validates internationalized names. Underscores are
// allowed (they occur in real hostnames), so STD3 is off and the ASCII
// label rules are checked by checkLabels.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.VerifyDNSLength(false),
)

// NormalizeDomain returns the canonical form of a domain name: lowercase,
// trailing dot dropped, internationalized names in punycode (xn--...).
// A pasted URL, an email address, a host:port or an IP address is refused
// with a message saying what to enter instead (Suggestion is set when the
// intended domain is evident).
func NormalizeDomain(s string) (string, error) {
	const field = "domain"
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", inputErr(field, "", "is empty; enter a domain such as example.com")
	}
	if e := checkVisible(field, s); e != nil {
		e.Input = in
		return "", e
	}
	if strings.Contains(s, "://") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "/?#\\") {
		return "", urlAsDomainError(field, in, s)
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		e := inputErr(field, in, "looks like an email address, not a domain")
		if d, err := NormalizeDomain(s[at+1:]); err == nil {
			e.Suggestion = d
			e.Msg = "looks like an email address — did you mean its domain " + d + "?"
		}
		return "", e
	}
	if _, err := NormalizeIP(s); err == nil {
		return "", inputErr(field, in, "is an IP address, not a domain — use an IP lookup")
	}
	if h, p, err := net.SplitHostPort(s); err == nil && isDigits(p) {
		e := inputErr(field, in, "includes a port")
		if d, err := NormalizeDomain(h); err == nil {
			e.Suggestion = d
			e.Msg = "includes a port — did you mean " + d + "?"
		}
		return "", e
	}
	name := strings.TrimSuffix(s, ".")
	if isASCII(name) {
		// Plain ASCII gets the precise DNS-rule message before IDNA
		// processing, whose errors are less specific.
		if msg := checkLabels(strings.ToLower(name)); msg != "" {
			return "", inputErr(field, in, msg)
		}
	}
	ascii, err := idnaProfile.ToASCII(name)
	if err != nil {
		return "", inputErr(field, in, "is not a valid domain name (invalid characters or internationalized label)")
	}
	ascii = strings.TrimSuffix(strings.ToLower(ascii), ".")
	if msg := checkLabels(ascii); msg != "" {
		return "", inputErr(field, in, msg)
	}
	// The result must be a fixed point, or callers would see one name
	// under two spellings; IDNA corner cases that are not get refused.
	if again, err := idnaProfile.ToASCII(ascii); err != nil || strings.ToLower(again) != ascii {
		return "", inputErr(field, in, "is not a valid domain name (its internationalized form does not round-trip)")
	}
	return ascii, nil
}

// urlAsDomainError explains that a URL was given where a domain belongs,
// suggesting its host.
func urlAsDomainError(field, in, s string) *InputError {
	host := urlHost(s)
	if host != "" {
		if a, err := NormalizeIP(host); err == nil {
			return &InputError{Field: field, Input: in, Suggestion: a.String(),
				Msg: "looks like a URL whose host is the IP address " + a.String() + " — use an IP lookup"}
		}
		if d, err := NormalizeDomain(host); err == nil {
			return &InputError{Field: field, Input: in, Suggestion: d,
				Msg: "looks like a URL — did you mean " + d + "?"}
		}
	}
	return inputErr(field, in, "is not a domain name (it contains '/', '?', '#' or '\\')")
}

// urlHost extracts the host of something URL-like ("https://x/y",
// "//x/y", "x.com/y", "x.com:8080/y"); "" when there is none.
func urlHost(s string) string {
	s = strings.ReplaceAll(s, "\\", "/")
	if strings.HasPrefix(s, "//") {
		s = "http:" + s
	} else if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	h := u.Hostname()
	if strings.Contains(h, "%") { // zone or escape: not a usable host
		return ""
	}
	return h
}

// checkLabels applies the DNS rules to an ASCII name; "" when it is fine.
func checkLabels(d string) string {
	if len(d) > 253 {
		return "is too long for a domain name (over 253 characters)"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "is not a full domain name; it needs at least one dot, e.g. example.com"
	}
	for _, l := range labels {
		if l == "" {
			return "has an empty label (two dots in a row, or a leading dot)"
		}
		if len(l) > 63 {
			return "has a label longer than 63 characters"
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return "has a label that starts or ends with a hyphen"
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "contains characters not allowed in a domain name"
			}
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return "is neither a valid IP address nor a domain (its last label is numeric)"
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ---- email --------------------------------------------------------------

// NormalizeEmail validates a bare email address (net/mail syntax, no
// display name, no comments, no quoted local part, a valid domain) and
// returns it as typed, only trimmed. Nothing is lowercased: Cloudflare
// does not document whether the users listing's email= is exact or
// case-sensitive, so the address goes out as the analyst wrote it, and
// matches are judged with SameEmail.
func NormalizeEmail(s string) (string, error) {
	const field = "email address"
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", inputErr(field, "", "is empty; enter an address such as jane@example.com")
	}
	if e := checkVisible(field, s); e != nil {
		e.Input = in
		return "", e
	}
	if strings.ContainsAny(s, "<>()\"") {
		e := inputErr(field, in, "has a display name, comment or quotes; enter just the address")
		if a, err := mail.ParseAddress(s); err == nil && !strings.ContainsAny(a.Address, "\" ") {
			if n, err := NormalizeEmail(a.Address); err == nil {
				e.Suggestion = n
				e.Msg = "has a display name, comment or quotes — did you mean " + n + "?"
			}
		}
		return "", e
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", inputErr(field, in, "is not a valid email address")
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 || strings.ContainsAny(local, " \\") {
		return "", inputErr(field, in, "has an invalid part before the @")
	}
	if _, err := NormalizeDomain(domain); err != nil {
		return "", inputErr(field, in, "has an invalid domain after the @")
	}
	return s, nil
}

// SameEmail reports whether two addresses name the same mailbox as Zero
// Trust users are matched: the part before the @ compared
// case-insensitively, the domains in their normalized form (so a Unicode
// domain equals its punycode). It is how the exact matches of a loose
// lookup are kept.
func SameEmail(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	i, j := strings.LastIndexByte(a, '@'), strings.LastIndexByte(b, '@')
	if i < 0 || j < 0 {
		return strings.EqualFold(a, b)
	}
	if !strings.EqualFold(a[:i], b[:j]) {
		return false
	}
	da, errA := NormalizeDomain(a[i+1:])
	db, errB := NormalizeDomain(b[j+1:])
	if errA != nil || errB != nil {
		return strings.EqualFold(a[i+1:], b[j+1:])
	}
	return da == db
}

// ---- ASN ----------------------------------------------------------------

// MaxASN is the largest assignable 32-bit AS number (4294967295 is reserved).
const MaxASN = 4294967294

var asnPrefixRe = regexp.MustCompile(`^(?i)as(?:n)?[\s:#-]*`)

// ParseASN accepts "13335", "AS13335", "as13335", "ASN 13335" and
// "AS-13335" and returns the number; 0 and numbers above MaxASN are
// refused.
func ParseASN(s string) (int, error) {
	const field = "ASN"
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, inputErr(field, "", "is empty; enter a number such as 13335 or AS13335")
	}
	if e := checkVisible(field, s); e != nil {
		e.Input = in
		return 0, e
	}
	s = asnPrefixRe.ReplaceAllString(s, "")
	if !isDigits(s) {
		return 0, inputErr(field, in, "is not an AS number; enter a number such as 13335 or AS13335")
	}
	s = strings.TrimLeft(s, "0")
	if s == "" || len(s) > 10 {
		return 0, inputErr(field, in, "is out of range (AS numbers run from 1 to 4294967294)")
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n < 1 || n > MaxASN || n > math.MaxInt {
		return 0, inputErr(field, in, "is out of range (AS numbers run from 1 to 4294967294)")
	}
	return int(n), nil
}

// ---- detection ----------------------------------------------------------

var asnLikeRe = regexp.MustCompile(`^(?i)(?:asn?[\s:#-]*)?[0-9]+$`)

// ipLike reports input made only of characters that appear in IP
// addresses, networks and zones, so IP errors (CIDR, zone, port) are
// reported as such rather than as "not a domain".
func ipLike(s string) bool {
	if !strings.ContainsAny(s, ".:") {
		return false
	}
	s = strings.Trim(s, "[]")
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	if strings.Count(s, ":") >= 2 { // IPv6-ish
		return strings.Trim(s, "0123456789abcdefABCDEF:./") == ""
	}
	return strings.Trim(s, "0123456789./:") == ""
}

// Detect tells what an omnibox input is, after refanging: an IP address, a
// domain, an email address or an ASN. A URL yields the domain (or IP) of
// its host, with Indicator.URL set. Anything else is an *InputError saying
// what was expected.
func Detect(s string) (Indicator, error) {
	r := Refang(s)
	if r == "" {
		return Indicator{}, inputErr("input", "", "is empty; enter an IP address, domain, email address or ASN")
	}
	if e := checkVisible("input", r); e != nil {
		e.Input = s
		return Indicator{}, e
	}
	if low := strings.ToLower(r); strings.HasPrefix(low, "mailto:") {
		e, err := NormalizeEmail(r[len("mailto:"):])
		if err != nil {
			return Indicator{}, err
		}
		return Indicator{Kind: Email, Value: e}, nil
	}
	if asnLikeRe.MatchString(r) {
		n, err := ParseASN(r)
		if err != nil {
			return Indicator{}, err
		}
		return Indicator{Kind: ASN, Value: strconv.Itoa(n), ASN: n}, nil
	}
	if strings.Contains(r, "://") || strings.HasPrefix(r, "//") {
		return detectURL(s, r)
	}
	if a, err := NormalizeIP(r); err == nil {
		return Indicator{Kind: IP, Value: a.String(), Addr: a}, nil
	} else if ipLike(r) {
		return Indicator{}, err
	}
	if strings.Contains(r, "@") {
		e, err := NormalizeEmail(r)
		if err != nil {
			return Indicator{}, err
		}
		return Indicator{Kind: Email, Value: e}, nil
	}
	d, err := NormalizeDomain(r)
	if err == nil {
		return Indicator{Kind: Domain, Value: d}, nil
	}
	if strings.ContainsAny(r, "/?#\\") || strings.Contains(r, ":") {
		// "evil.com/x" or "evil.com:8080": a URL without its scheme.
		if ind, uerr := detectURL(s, r); uerr == nil {
			return ind, nil
		}
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return Indicator{}, &InputError{Field: "input", Input: s, Suggestion: ie.Suggestion,
			Msg: "is not an IP address, domain, email address or ASN (as a domain, it " + ie.Msg + ")"}
	}
	return Indicator{}, inputErr("input", s, "is not an IP address, domain, email address or ASN")
}

func detectURL(orig, r string) (Indicator, error) {
	host := urlHost(r)
	if host == "" {
		return Indicator{}, inputErr("input", orig, "looks like a URL but has no host")
	}
	if a, err := NormalizeIP(host); err == nil {
		return Indicator{Kind: IP, Value: a.String(), Addr: a, URL: r}, nil
	}
	d, err := NormalizeDomain(host)
	if err != nil {
		var ie *InputError
		msg := "looks like a URL, but its host is not a valid domain"
		if errors.As(err, &ie) {
			msg = "looks like a URL, but its host " + ie.Msg
		}
		return Indicator{}, inputErr("input", orig, msg)
	}
	return Indicator{Kind: Domain, Value: d, URL: r}, nil
}
