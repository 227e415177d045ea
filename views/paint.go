package views

import (
	"image/color"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// paint is lipgloss's Render for one line of text with a text-only style
// (attributes and colours), without Render's layout machinery: tables
// call it for every visible cell on every key press. Styles with layout
// (width, padding, borders, margins, transforms, links) go through Render.
func paint(st lipgloss.Style, s string) string {
	if s == "" {
		return ""
	}
	// (Frame-size getters are slow; the individual ones are not.)
	pt, pr, pb, pl := st.GetPadding()
	mt, mr, mb, ml := st.GetMargin()
	if st.GetWidth() != 0 || st.GetHeight() != 0 || st.GetMaxWidth() != 0 || st.GetMaxHeight() != 0 ||
		pt|pr|pb|pl|mt|mr|mb|ml != 0 || st.GetTransform() != nil ||
		st.GetBorderTop() || st.GetBorderRight() || st.GetBorderBottom() || st.GetBorderLeft() ||
		st.GetBorderStyle() != (lipgloss.Border{}) {
		return st.Render(s)
	}
	if l, _ := st.GetHyperlink(); l != "" {
		return st.Render(s)
	}
	var a ansi.Style
	if st.GetBold() {
		a = a.Bold()
	}
	if st.GetItalic() {
		a = a.Italic(true)
	}
	if st.GetUnderline() {
		a = a.UnderlineStyle(st.GetUnderlineStyle())
	}
	if st.GetReverse() {
		a = a.Reverse(true)
	}
	if st.GetBlink() {
		a = a.Blink(true)
	}
	if st.GetFaint() {
		a = a.Faint()
	}
	if st.GetStrikethrough() {
		a = a.Strikethrough(true)
	}
	if c := st.GetForeground(); isColor(c) {
		a = a.ForegroundColor(c)
	}
	if c := st.GetBackground(); isColor(c) {
		a = a.BackgroundColor(c)
	}
	if c := st.GetUnderlineColor(); isColor(c) {
		a = a.UnderlineColor(c)
	}
	if len(a) == 0 {
		return s
	}
	return a.String() + s + ansi.ResetStyle
}

func isColor(c color.Color) bool {
	if c == nil {
		return false
	}
	_, none := c.(lipgloss.NoColor)
	return !none
}
