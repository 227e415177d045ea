package cli

import "cftriage/sanitize"

// clean is the one door for API strings into human output: one line,
// no escape sequences, control or bidi characters.
func clean(s string) string { return sanitize.Line(s) }

// sanitizeMultiline is clean but keeps line breaks (response bodies).
func sanitizeMultiline(s string) string { return sanitize.Multiline(s) }
