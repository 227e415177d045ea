package views

import "cftriage/sanitize"

// Sanitize is sanitize.Line, the renderers' door for API text: one line,
// nothing a terminal could act on, nothing hidden.
func Sanitize(s string) string { return sanitize.Line(s) }

// SanitizeMultiline is sanitize.Multiline: Sanitize keeping line breaks.
func SanitizeMultiline(s string) string { return sanitize.Multiline(s) }
