package views

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// StatusLine is the omnibox row: the input on the left and a short
// status on the right when there is room.
func StatusLine(input, status string, width int, th Theme) string {
	return omniRow(input, th.Muted.Render(Sanitize(status)), width)
}

// ErrorLine is the omnibox row with an inline error (bad input, nothing
// sent) on the right, or after the input when narrow.
func ErrorLine(input, msg string, width int, th Theme) string {
	return omniRow(input, th.Error.Render("✗ "+Sanitize(msg)), width)
}

func omniRow(input, right string, width int) string {
	if width <= 0 {
		return ""
	}
	iw := ansi.StringWidth(input)
	rw := ansi.StringWidth(right)
	if right == "" || rw == 0 {
		return fit(input, width)
	}
	// The message wins over the placeholder/input tail: the analyst must
	// see why nothing happened.
	avail := width - rw - 2
	if avail < 12 {
		return fit(ansi.Truncate(right, width, "…"), width)
	}
	if iw > avail {
		input = ansi.Truncate(input, avail, "…")
		iw = ansi.StringWidth(input)
	}
	return fit(input+strings.Repeat(" ", max(0, width-iw-rw))+right, width)
}
