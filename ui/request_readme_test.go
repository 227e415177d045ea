package ui

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// readmeSection is the README from the heading that starts with title to
// the next heading of any level.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "\n"+title)
	if start < 0 {
		t.Fatalf("README has no %q section", title)
	}
	sec := readme[start+1:]
	if end := strings.Index(sec[len(title):], "\n#"); end >= 0 {
		sec = sec[:len(title)+end]
	}
	return sec
}

// readmeKey is how the README writes a key: arrows as glyphs, in
// backquotes.
func readmeKey(k string) string {
	if glyph, ok := map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→"}[k]; ok {
		k = glyph
	}
	return "`" + k + "`"
}

// requestBindings is every binding of the Request pane's key map,
// found by reflection so a binding added later is covered too.
func requestBindings() map[string]Binding {
	k := defaultRequestKeys()
	v := reflect.ValueOf(k)
	out := map[string]Binding{}
	for i := range v.NumField() {
		if b, ok := v.Field(i).Interface().(Binding); ok {
			out[v.Type().Field(i).Name] = b
		}
	}
	return out
}

// TestReadmeRequestSectionCoversRequestKeys keeps the README's Request
// pane section honest: every key the pane binds (and so every key its
// help lists) is documented there.
func TestReadmeRequestSectionCoversRequestKeys(t *testing.T) {
	sec := readmeSection(t, "## The Request pane")
	bs := requestBindings()
	if n := reflect.TypeFor[requestKeyMap]().NumField(); len(bs) != n || n == 0 {
		t.Fatalf("%d of the key map's %d fields are bindings: teach this test the others", len(bs), n)
	}
	// The help overlay's list is built from the same bindings; check it
	// too, in case it ever gains one of its own.
	h := newRequestHarness(t, 100, 30)
	for i, b := range reqTool(h).allBindings(h.m) {
		bs[fmt.Sprintf("allBindings[%d]", i)] = b
	}
	missing := map[string][]string{} // README spelling → bindings that use it
	for name, b := range bs {
		if len(b.Keys()) == 0 {
			t.Errorf("%s binds no key", name)
		}
		for _, key := range b.Keys() {
			if k := readmeKey(key); !strings.Contains(sec, k) {
				missing[k] = append(missing[k], name+" ("+b.Help().Desc+")")
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(missing)) {
		slices.Sort(missing[k])
		t.Errorf("README's Request pane section lacks %s, bound by %s", k, strings.Join(missing[k], ", "))
	}
}
