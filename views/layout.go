package views

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"cftriage/sanitize"
)

const ellipsis = "…"

// width is ansi.StringWidth with a fast path for printable ASCII, which
// most API text is (grapheme segmentation dominates table rendering).
func width(s string) int {
	if sanitize.Plain(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// fit truncates a (possibly styled) line to w cells and pads it with
// spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if strings.ContainsRune(s, '\n') {
		s = s[:strings.IndexByte(s, '\n')]
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// clip truncates to w cells without padding.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) > w {
		return ansi.Truncate(s, w, ellipsis)
	}
	return s
}

// block lays lines out as exactly h lines of exactly w cells.
func block(lines []string, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	var b strings.Builder
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// limit keeps at most h lines; when some are cut, the last kept line
// says how many more there are.
func limit(lines []string, h int, th Theme) []string {
	if len(lines) <= h || h <= 0 {
		return lines
	}
	more := len(lines) - h + 1
	out := append(lines[:h-1:h-1], paint(th.Muted, "… "+strconv.Itoa(more)+" more lines"))
	return out
}

// splitLines splits a rendered block into its lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// wrap word-wraps plain text to w cells (hard-wrapping long words).
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	if s == "" {
		return []string{""}
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// filterLine is a list's line under its title: the filter being typed
// (with a cursor), the filter applied (and what it leaves, in applied),
// or, with no filter, the hint.
func filterLine(filter string, editing bool, applied, hint string, width int, th Theme) string {
	switch {
	case editing:
		return fit(paint(th.Key, "filter ")+paint(th.Value, Sanitize(filter))+paint(th.Accent, "▏"), width)
	case filter != "":
		return fit(paint(th.Muted, "filter ")+paint(th.Value, Sanitize(filter))+paint(th.Muted, applied), width)
	}
	return fit(paint(th.Muted, hint), width)
}
