// Package views renders cftriage's screens: data in, string out. It holds
// no state and does no I/O; the ui package owns the state and calls these
// functions from View(). Every string that came from the API is passed
// through Sanitize before it reaches the terminal.
package views

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Theme is the only place colours live. Every renderer takes one.
type Theme struct {
	// NoColor is set when colours are disabled (NO_COLOR); styles then
	// carry only attributes such as bold and reverse.
	NoColor bool
	// Links allows OSC 8 hyperlinks.
	Links bool
	// BorderColor colours box borders (nil with NoColor).
	BorderColor color.Color

	// Text.
	Title, Subtle, Muted, Accent, Value, Label lipgloss.Style
	// Key hints: the key and its description.
	Key, Desc lipgloss.Style
	// Outcomes.
	Error, Warn, OK lipgloss.Style
	// Risk severity (text) and risk-level badges.
	SevHigh, SevMedium, SevLow           lipgloss.Style
	BadgeHigh, BadgeMedium, BadgeLow     lipgloss.Style
	Badge, BadgeDemo, BadgeReadOnly, New lipgloss.Style
	// Lists: the cursor row when the list has focus / not.
	Selected, SelectedBlur, TableHeader lipgloss.Style
	// Chrome. Header is for the ui's own text in the header row.
	Header, Tab, TabActive, Border, Link, Cursor lipgloss.Style
	GaugeEmpty                                   lipgloss.Style
	// Review screen (before → after), request editor and response viewer.
	Added, Removed, Input, InputFocused, Placeholder, Match, LineNo lipgloss.Style
	JSONKey, JSONString, JSONNumber, JSONBool, JSONNull, JSONPunct  lipgloss.Style
	MethodRead, MethodWrite                                         lipgloss.Style
}

// NewTheme builds the theme for a dark or light background; noColor drops
// every colour but keeps bold/reverse so the cursor stays visible.
func NewTheme(hasDarkBG, noColor bool) Theme {
	s := lipgloss.NewStyle
	if noColor {
		bold, rev := s().Bold(true), s().Reverse(true)
		return Theme{
			NoColor: true,
			Title:   bold, Subtle: s(), Muted: s(), Accent: bold, Value: s(), Label: s(),
			Key: bold, Desc: s(),
			Error: bold, Warn: bold, OK: s(),
			SevHigh: bold, SevMedium: s(), SevLow: s(),
			BadgeHigh: rev.Bold(true), BadgeMedium: rev, BadgeLow: rev,
			Badge: rev, BadgeDemo: rev, BadgeReadOnly: rev, New: rev,
			Selected: rev, SelectedBlur: bold, TableHeader: bold,
			Header: s(), Tab: s(), TabActive: rev, Border: s(), Link: s().Underline(true), Cursor: rev,
			GaugeEmpty: s(),
			Added:      bold, Removed: s(), Input: s(), InputFocused: bold, Placeholder: s(), Match: rev, LineNo: s(),
			JSONKey: bold, JSONString: s(), JSONNumber: s(), JSONBool: s(), JSONNull: s(), JSONPunct: s(),
			MethodRead: bold, MethodWrite: rev.Bold(true),
		}
	}
	ld := lipgloss.LightDark(hasDarkBG)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	var (
		fg      = c("#1f2328", "#e6edf3")
		muted   = c("#59636e", "#8b949e")
		subtle  = c("#818b98", "#6e7681")
		accent  = c("#0550ae", "#79c0ff")
		red     = c("#cf222e", "#ff7b72")
		orange  = c("#9a6700", "#e3b341")
		yellow  = c("#7d4e00", "#d29922")
		green   = c("#1a7f37", "#3fb950")
		purple  = c("#8250df", "#d2a8ff")
		selBG   = c("#ddf4ff", "#1f3a5f")
		blurBG  = c("#eaeef2", "#30363d")
		badgeFG = c("#ffffff", "#0d1117")
		border  = c("#d0d7de", "#484f58")
	)
	t := Theme{
		Links:         true,
		BorderColor:   border,
		Title:         s().Bold(true).Foreground(fg),
		Subtle:        s().Foreground(subtle),
		Muted:         s().Foreground(muted),
		Accent:        s().Foreground(accent).Bold(true),
		Key:           s().Foreground(accent).Bold(true),
		Desc:          s().Foreground(muted),
		Error:         s().Foreground(red).Bold(true),
		Warn:          s().Foreground(orange).Bold(true),
		OK:            s().Foreground(green).Bold(true),
		SevHigh:       s().Foreground(red).Bold(true),
		SevMedium:     s().Foreground(orange),
		SevLow:        s().Foreground(yellow),
		Selected:      s().Background(selBG).Foreground(fg).Bold(true),
		SelectedBlur:  s().Background(blurBG).Foreground(fg),
		Header:        s().Foreground(fg),
		Badge:         s().Background(muted).Foreground(badgeFG).Bold(true),
		BadgeHigh:     s().Background(red).Foreground(badgeFG).Bold(true),
		BadgeMedium:   s().Background(orange).Foreground(badgeFG).Bold(true),
		BadgeLow:      s().Background(yellow).Foreground(badgeFG),
		BadgeDemo:     s().Background(purple).Foreground(badgeFG).Bold(true),
		BadgeReadOnly: s().Background(orange).Foreground(badgeFG).Bold(true),
		Tab:           s().Foreground(muted),
		TabActive:     s().Foreground(accent).Bold(true).Underline(true),
		Border:        s().Foreground(border),
		Label:         s().Foreground(muted),
		Value:         s().Foreground(fg),
		Link:          s().Foreground(accent).Underline(true),
		New:           s().Background(red).Foreground(badgeFG).Bold(true),
		Cursor:        s().Reverse(true),
		GaugeEmpty:    s().Foreground(subtle),
		Added:         s().Foreground(green),
		Removed:       s().Foreground(red),
		Input:         s().Foreground(fg),
		InputFocused:  s().Foreground(fg).Bold(true),
		Placeholder:   s().Foreground(subtle),
		Match:         s().Background(c("#fff8c5", "#5a4a00")).Foreground(fg),
		LineNo:        s().Foreground(subtle),
		JSONKey:       s().Foreground(accent),
		JSONString:    s().Foreground(green),
		JSONNumber:    s().Foreground(purple),
		JSONBool:      s().Foreground(orange),
		JSONNull:      s().Foreground(subtle),
		JSONPunct:     s().Foreground(muted),
		MethodRead:    s().Foreground(green).Bold(true),
		MethodWrite:   s().Foreground(red).Bold(true),
	}
	return t
}

// PlainTheme has no styling at all: its output carries no escape
// sequence whatsoever (for logs, tests and dumb terminals).
func PlainTheme() Theme {
	return Theme{NoColor: true}
}
