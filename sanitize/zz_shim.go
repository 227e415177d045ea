// Package sanitize: TEMPORARY shim until the sanitizer package lands
// from the hostile branch (delete this file at that merge).
package sanitize

import "cftriage/views"

func Line(s string) string      { return views.Sanitize(s) }
func Multiline(s string) string { return views.SanitizeMultiline(s) }
