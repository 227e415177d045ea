package actions

// How the console and the headless commands read intel data the same
// way: how severe a risk type or level is, an event's details as rows,
// timestamps, counts and an ASN's subnets as text. No styling here: the
// renderers in views paint what these say.

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"
	"cftriage/sanitize"
)

// Severity levels returned by Severity.
const (
	SevNone   = 0
	SevLow    = 1
	SevMedium = 2
	SevHigh   = 3
)

// Name fragments by severity. Cloudflare's category ids are not a stable
// public contract; the names are what analysts read, so the mapping goes
// by name.
var (
	highRisk = []string{
		"malware", "phish", "command and control", "botnet", "c2", "spam",
		"spyware", "ransomware", "cryptomin", "dga", "dns tunnel", "compromised",
		"scam", "fraud", "exploit", "trojan",
	}
	mediumRisk = []string{
		"new domain", "newly seen", "parked", "for sale", "anonymizer",
		"proxy", "potentially unwanted", "brand embedding", "typosquat",
		"suspicious", "questionable", "tor", "vpn",
	}
)

// Severity maps a risk type to SevHigh, SevMedium or SevLow: malware,
// phishing, command and control, spam and the like are high; new, newly
// seen and parked domains, anonymizers and similar are medium; anything
// else is low. An unnamed type is low.
func Severity(rt cloudflare.RiskType) int {
	n := strings.ToLower(rt.Name)
	for _, k := range highRisk {
		if containsWord(n, k) {
			return SevHigh
		}
	}
	for _, k := range mediumRisk {
		if containsWord(n, k) {
			return SevMedium
		}
	}
	return SevLow
}

// containsWord reports whether k occurs in s starting at a word boundary
// ("c2" must not match "abc2", "tor" must not match "storage").
func containsWord(s, k string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], k)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isAlnum(s[j-1])
		end := j + len(k)
		// Only short keys need a right boundary; "phish" should match
		// "phishing".
		after := len(k) > 3 || end == len(s) || !isAlnum(s[end])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// LevelSeverity maps a risk level to SevHigh/SevMedium/SevLow/SevNone,
// for colouring event rows.
func LevelSeverity(level string) int {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "high":
		return SevHigh
	case "medium":
		return SevMedium
	case "low":
		return SevLow
	}
	return SevNone
}

// LevelWord is a risk level as the console shows it: lower case, "none"
// when empty (the API's null); sanitized.
func LevelWord(level string) string {
	l := strings.ToLower(strings.TrimSpace(sanitize.Line(level)))
	if l == "" {
		return "none"
	}
	return l
}

// Detail is one row of an event's details.
type Detail struct {
	Key, Value string
	Link       bool // the value is an IP or domain the analyst can open
}

// maxDepth bounds flattening of hostile, deeply nested details.
const maxDepth = 16

// FlattenDetails flattens an event's details into sorted key/values:
// nested maps become "a.b", arrays "a[0]". Keys and values are
// sanitized; Link is set when the value is an IP or looks like a domain.
// Details that are not an object (the API allows any JSON value) are one
// row "value", or rows "[0]", "[1]"… for an array; nil gives none.
func FlattenDetails(v any) []Detail {
	var out []Detail
	if v == nil {
		return nil
	}
	flatten("", v, 0, &out)
	for i := range out {
		if out[i].Key == "" {
			out[i].Key = "value"
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func flatten(prefix string, v any, depth int, out *[]Detail) {
	add := func(val string) {
		val = sanitize.Line(val)
		*out = append(*out, Detail{Key: prefix, Value: val, Link: IsLink(val)})
	}
	if depth > maxDepth {
		*out = append(*out, Detail{Key: prefix, Value: "…"})
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 && prefix != "" {
			*out = append(*out, Detail{Key: prefix, Value: "{}"})
		}
		for k, vv := range x {
			key := sanitize.Line(k)
			if prefix != "" {
				key = prefix + "." + key
			}
			flatten(key, vv, depth+1, out)
		}
	case []any:
		if len(x) == 0 {
			*out = append(*out, Detail{Key: prefix, Value: "[]"})
		}
		for i, vv := range x {
			flatten(prefix+"["+strconv.Itoa(i)+"]", vv, depth+1, out)
		}
	case string:
		add(x)
	case float64:
		*out = append(*out, Detail{Key: prefix, Value: strconv.FormatFloat(x, 'f', -1, 64)})
	case bool:
		*out = append(*out, Detail{Key: prefix, Value: strconv.FormatBool(x)})
	case nil:
		*out = append(*out, Detail{Key: prefix, Value: "null"})
	default:
		add(fmt.Sprint(x))
	}
}

// IsLink reports whether a value is an IP address or looks like a
// domain name, i.e. something the analyst can open in a pane.
func IsLink(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 253 {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	for i := 0; i < len(tld); i++ {
		if c := tld[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && !strings.HasPrefix(tld, "xn--") {
			return false
		}
	}
	return len(tld) >= 2
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02T15:04:05.000Z0700",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
}

// ParseStamp reads the API's (not always consistent) timestamps.
func ParseStamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Date shows a timestamp as a day, or the raw (sanitized) text when it
// cannot be read.
func Date(s string) string {
	if t, ok := ParseStamp(s); ok {
		return t.UTC().Format("2006-01-02")
	}
	return sanitize.Line(s)
}

// Stamp shows a timestamp to the minute, in UTC.
func Stamp(s string) string {
	if t, ok := ParseStamp(s); ok {
		return t.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return sanitize.Line(s)
}

// Minute is Stamp without the zone, for columns titled "(UTC)".
func Minute(s string) string {
	if t, ok := ParseStamp(s); ok {
		return t.UTC().Format("2006-01-02 15:04")
	}
	return sanitize.Line(s)
}

// Thousands formats 12345 as "12,345".
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// SubnetSummary says how many subnets an ASN announces and how many
// addresses they hold: "2 (1 IPv4, 1 IPv6) · 128 IPv4 addresses". The
// API's ip_count_total counts IPv4 addresses only (an IPv6 total would
// not fit a number), so the summary says so rather than pass it off as
// every address.
func SubnetSummary(s *cloudflare.ASNSubnets) string {
	n := s.Count
	if n < len(s.Subnets) {
		n = len(s.Subnets)
	}
	out := Thousands(n)
	v4, v6 := 0, 0
	for _, sn := range s.Subnets {
		if pfx, err := netip.ParsePrefix(strings.TrimSpace(sn)); err == nil {
			if pfx.Addr().Is4() {
				v4++
			} else {
				v6++
			}
		}
	}
	if v4+v6 == n && n > 0 { // only when every subnet is listed and readable
		out += " (" + Thousands(v4) + " IPv4, " + Thousands(v6) + " IPv6)"
	}
	return out + " · " + Thousands(s.IPCountTotal) + " IPv4 addresses"
}
