package views

import "strings"

// InputLine is the search box row: the text input, fitted to width.
func InputLine(input string, width int) string { return fit(input, width) }

// Notice is the row under the search box when there is something to say:
// an inline error (bad input, nothing sent) or a short status. It takes
// the whole width, and up to two more rows when the reason would not fit, so
// the reason can be read.
func Notice(msg string, isErr bool, width int, th Theme) string {
	st, text := th.Muted, Sanitize(msg)
	if isErr {
		st, text = th.Error, "✗ "+text
	}
	lines := limitLines(wrap(text, max(1, width)), width, 3)
	for i, l := range lines {
		lines[i] = fit(paint(st, l), width)
	}
	return strings.Join(lines, "\n")
}
