package ui

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeKeyMapCoversBindings keeps the README's key map honest: every
// key the console binds must be documented there.
func TestReadmeKeyMapCoversBindings(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	k := DefaultKeyMap()
	all := []Binding{k.Quit, k.ForceQuit, k.Help, k.Omnibox, k.NextFocus, k.Back, k.Copy, k.Tab1, k.Tab2, k.Tab3, k.Tab4, k.Tab5, k.Tab6, k.Tab7, k.Tab8, k.Tab9, k.Pin,
		k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Subnets, k.Section, k.Sort, k.Filter, k.Reset, k.Revoke, k.Refresh, k.MorePDNS, k.PDNSWindow}
	for _, b := range all {
		for _, key := range b.Keys() {
			if arrow, ok := map[string]string{"up": "↑", "down": "↓"}[key]; ok {
				key = arrow
			}
			if !strings.Contains(readme, "`"+key+"`") {
				t.Errorf("README key map lacks %q (%s)", key, b.Help().Desc)
			}
		}
	}
}
