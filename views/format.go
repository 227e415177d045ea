package views

import (
	"strconv"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Severity levels, as actions.Severity ranks them (named here for the
// renderers and the theme).
const (
	SevNone   = actions.SevNone
	SevLow    = actions.SevLow
	SevMedium = actions.SevMedium
	SevHigh   = actions.SevHigh
)

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
			m = max(m, actions.Severity(t))
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
			if actions.Severity(t) == sev {
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
			if actions.Severity(t) == sev {
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

func parseTime(s string) (time.Time, bool) { return actions.ParseStamp(s) }
func date(s string) string                 { return actions.Date(s) }
func stamp(s string) string                { return actions.Stamp(s) }
func minute(s string) string               { return actions.Minute(s) }

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

func thousands(n int) string { return actions.Thousands(n) }

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

// SectionLine is a section title with a muted note, one line wide.
func SectionLine(title, note string, width int, th Theme) string {
	return sectionTitle(title, note, width, th)
}
