package views

import "cftriage/sanitize/sanitizetest"

// The hostile strings and the check the renderers' tests share with the
// sanitizer's own.
var (
	hostile   = sanitizetest.Hostile
	dangerous = sanitizetest.Dangerous
)
