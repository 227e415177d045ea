package views

import (
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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

// sevStyle is the style of a severity level.
func sevStyle(sev int, th Theme) lipgloss.Style {
	switch sev {
	case SevHigh:
		return th.SevHigh
	case SevMedium:
		return th.SevMedium
	case SevLow:
		return th.SevLow
	}
	return th.Value
}

// maxSeverity is the highest severity among types (SevNone for none).
func maxSeverity(types ...[]cloudflare.RiskType) int {
	m := SevNone
	for _, ts := range types {
		for _, t := range ts {
			m = max(m, Severity(t))
		}
	}
	return m
}

// verdict is the one-second line: the worst severity and the names.
func verdict(sev int, names []string, th Theme) string {
	if sev == SevNone {
		return paint(th.OK, "✓ No known risk")
	}
	label := "✗ RISKY"
	switch sev {
	case SevMedium:
		label = "! SUSPICIOUS"
	case SevLow:
		label = "• LOW RISK"
	}
	s := label
	if len(names) > 0 {
		s += " — " + strings.Join(names, ", ")
	}
	return paint(sevStyle(sev, th), s)
}

// riskNames returns sanitized names ordered by severity (stable).
func riskNames(types []cloudflare.RiskType) []string {
	out := make([]string, 0, len(types))
	for sev := SevHigh; sev >= SevLow; sev-- {
		for _, t := range types {
			if Severity(t) == sev {
				out = append(out, riskName(t))
			}
		}
	}
	return out
}

func riskName(t cloudflare.RiskType) string {
	if n := Sanitize(t.Name); n != "" {
		return n
	}
	return "category " + strconv.Itoa(t.ID)
}

// riskList renders risk types coloured by severity, most severe first.
func riskList(types []cloudflare.RiskType, th Theme) []string {
	out := make([]string, 0, len(types))
	for sev := SevHigh; sev >= SevLow; sev-- {
		for _, t := range types {
			if Severity(t) == sev {
				out = append(out, paint(sevStyle(sev, th), riskName(t)))
			}
		}
	}
	return out
}

// categoryList renders content categories without severity colouring.
func categoryList(types []cloudflare.RiskType, th Theme) []string {
	out := make([]string, 0, len(types))
	for _, t := range types {
		out = append(out, paint(th.Value, riskName(t)))
	}
	return out
}

// kvLines renders "label  value" with the value wrapped (styled pieces
// are kept whole where possible) under a label column of lw cells.
func kvLines(label string, pieces []string, sep string, lw, width int, th Theme) []string {
	if width-lw < 4 {
		// Too narrow for two columns: label on its own line.
		out := []string{paint(th.Label, label)}
		for _, p := range pieces {
			out = append(out, wrapStyled(p, width)...)
		}
		return out
	}
	return flow(paint(th.Label, fit(label, lw)), lw, pieces, sep, width)
}

// flow lays pieces out after first (a styled prefix of indent cells),
// continuing on lines indented by indent; a piece wider than a line is
// hard-wrapped.
func flow(first string, indent int, pieces []string, sep string, width int) []string {
	vw := width - indent
	pad := strings.Repeat(" ", indent)
	var out []string
	cur := ""
	curW := 0
	flush := func() {
		prefix := pad
		if len(out) == 0 {
			prefix = first
		}
		out = append(out, prefix+cur)
		cur, curW = "", 0
	}
	sepW := ansi.StringWidth(sep)
	for _, p := range pieces {
		pw := ansi.StringWidth(p)
		if curW > 0 && curW+sepW+pw > vw {
			flush()
		}
		if pw > vw {
			for _, part := range wrapStyled(p, vw) {
				if curW > 0 {
					flush()
				}
				cur, curW = part, ansi.StringWidth(part)
			}
			continue
		}
		if curW > 0 {
			cur += sep
			curW += sepW
		}
		cur += p
		curW += pw
	}
	if curW > 0 || len(out) == 0 {
		flush()
	}
	return out
}

// wrapStyled hard-wraps a styled string to w cells.
func wrapStyled(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// kv renders one label/value pair (value already styled).
func kv(label, value string, lw, width int, th Theme) []string {
	return kvLines(label, []string{value}, "", lw, width, th)
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

// parseTime reads the API's (not always consistent) timestamps.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// date shows a timestamp as a day, or the raw (sanitized) text when it
// cannot be read.
func date(s string) string {
	if t, ok := parseTime(s); ok {
		return t.UTC().Format("2006-01-02")
	}
	return Sanitize(s)
}

// stamp shows a timestamp to the minute, in UTC.
func stamp(s string) string {
	if t, ok := parseTime(s); ok {
		return t.UTC().Format("2006-01-02 15:04") + " UTC"
	}
	return Sanitize(s)
}

// minute is stamp without the zone, for columns titled "(UTC)".
func minute(s string) string {
	if t, ok := parseTime(s); ok {
		return t.UTC().Format("2006-01-02 15:04")
	}
	return Sanitize(s)
}

// ago is "3 days ago" style text.
func ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in the future"
	}
	days := int(d.Hours() / 24)
	switch {
	case days == 0:
		return "today"
	case days == 1:
		return "1 day ago"
	case days < 60:
		return strconv.Itoa(days) + " days ago"
	case days < 730:
		return strconv.Itoa(days/30) + " months ago"
	}
	return strconv.Itoa(days/365) + " years ago"
}

// thousands formats 12345 as "12,345".
func thousands(n int) string {
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

// sectionTitle is a titled rule with an optional note on the right.
func sectionTitle(title, note string, width int, th Theme) string {
	s := paint(th.Title, title)
	if note != "" {
		s += "  " + paint(th.Muted, Sanitize(note))
	}
	return fit(s, width)
}

// message renders a loading/error/empty placeholder for a pane area.
func paneMessage(loading bool, err string, width, height int, th Theme) string {
	var lines []string
	switch {
	case err != "":
		lines = splitLines(ErrorBox("Lookup failed", err, width, th))
	case loading:
		lines = []string{paint(th.Muted, "Looking up…")}
	default:
		lines = []string{paint(th.Muted, "No data.")}
	}
	return block(lines, width, height)
}
