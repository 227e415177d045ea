package ui

import (
	"strings"
	"testing"

	"cftriage/views"
)

// TestRequestRowShowsEveryCharacterWhileTyping: the name being typed into
// a header or query row stays whole on screen as it grows.
func TestRequestRowShowsEveryCharacterWhileTyping(t *testing.T) {
	h := newRequestHarness(t, 100, 30)
	reqTool(h).setFocus(views.FocusHeaders)
	h.keys("a")
	for i, r := range "X-Foo-Bar" {
		h.typeText(string(r))
		typed := "X-Foo-Bar"[:i+1]
		found := false
		for _, l := range strings.Split(h.screen(), "\n") {
			if strings.Contains(l, "▸") && strings.Contains(l, typed) {
				found = true
			}
		}
		if !found {
			t.Fatalf("after typing %q the row does not show it:\n%s", typed, h.screen())
		}
	}
}
