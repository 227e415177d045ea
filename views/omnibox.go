package views

// InputLine is the search box row: the text input, fitted to width.
func InputLine(input string, width int) string { return fit(input, width) }

// Notice is the row under the search box when there is something to say:
// an inline error (bad input, nothing sent) or a short status. It takes
// the whole width so the reason can be read.
func Notice(msg string, isErr bool, width int, th Theme) string {
	if isErr {
		return fit(paint(th.Error, "✗ "+Sanitize(msg)), width)
	}
	return fit(paint(th.Muted, Sanitize(msg)), width)
}
