package ui

import (
	"strings"
	"testing"
)

// At 80×24 the reviews' footers say what enter does in each field, name
// "next field" once, and keep esc cancel; tab still moves between the
// fields.
func TestReviewFootersFitAt80(t *testing.T) {
	for _, tc := range []struct {
		name, send string
		open       func(h *harness)
	}{
		{"reset", "enter send reset", openReview},
		{"revoke", "enter revoke sessions", openRevoke},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, 80, 24)
			tc.open(h)
			check := func(field, enter string) {
				t.Helper()
				f := h.footer()
				if !strings.Contains(f, enter) || !strings.Contains(f, "esc cancel") || strings.Count(f, "next field") != 1 {
					t.Errorf("%s: footer %q: want %q once, and esc cancel", field, f, enter)
				}
			}
			check("reason", "enter next field")
			h.typeText("INC-1")
			h.press("tab")
			check("confirm", tc.send)
			h.press("tab")
			check("reason after tab", "enter next field")
		})
	}
}
