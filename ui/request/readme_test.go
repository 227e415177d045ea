package request

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"cftriage/cloudflare/sim"
	"cftriage/ui/pane"
	"cftriage/views"
)

// readmeSection is the README from the heading that starts with title to
// the next heading of any level.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
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

// fieldBindings are the bindings among v's fields, by field name, found
// by reflection so a binding added later is covered too.
func fieldBindings(t *testing.T, v any) map[string][]string {
	t.Helper()
	rv := reflect.ValueOf(v)
	out := map[string][]string{}
	for i := range rv.NumField() {
		switch b := rv.Field(i).Interface().(type) {
		case pane.Binding:
			out[rv.Type().Field(i).Name] = b.Keys()
		case key.Binding:
			out[rv.Type().Field(i).Name] = b.Keys()
		default:
			t.Fatalf("%s.%s is not a binding: teach this test about it", rv.Type().Name(), rv.Type().Field(i).Name)
		}
	}
	return out
}

// everyMode drives the pane through each of its modes and calls f with
// its bindings there.
func everyMode(t *testing.T, f func(mode string, bs []pane.Binding)) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	at := func(mode string) { t.Helper(); f(mode, tl.Bindings(h.ctx())) }
	for _, fc := range []views.RequestFocus{views.FocusMethod, views.FocusEndpoint, views.FocusQuery, views.FocusHeaders, views.FocusBody} {
		tl.setFocus(fc)
		at(fmt.Sprintf("focus %d at rest", fc))
	}
	h.addRow(views.FocusQuery, "a", "1")
	h.addRow(views.FocusQuery, "b", "2")
	at("rows")
	h.keys("e")
	at("row editing")
	h.keys("esc")
	h.editBody()
	at("body typing")
	h.keys("esc")
	tl.setFocus(views.FocusEndpoint)
	h.keys("enter")
	at("endpoint typing")
	h.keys("down")
	at("path list")
	h.keys("esc")
	at("list just closed")
	tl.sawUser(pane.SeenUserMsg{ID: "u1", Email: "a@example.com"})
	h.keys("ctrl+u")
	h.typeText("/accounts/{account_id}/zt_risk_scoring/{user_id}")
	h.keys("esc", "enter", "down")
	at("user list")
	h.keys("esc")
	h.setEndpoint("/accounts/{account_id}/intel/ip?ipv4=" + sim.IPRiskyC2)
	h.keys("ctrl+r")
	at("response")
	h.keys("/")
	at("response search")
}

// TestReadmeRequestSectionCoversRequestKeys keeps the README's Request
// pane section honest: every key the pane binds, in every mode (and so
// every key its footer and help list), and the body editor's keys, are
// documented there.
func TestReadmeRequestSectionCoversRequestKeys(t *testing.T) {
	sec := readmeSection(t, "## The Request pane")
	keys := fieldBindings(t, defaultKeys())
	for name, ks := range fieldBindings(t, defaultEditorKeys()) {
		keys["editor "+name] = ks
	}
	everyMode(t, func(mode string, bs []pane.Binding) {
		for i, b := range bs {
			keys[fmt.Sprintf("%s [%d] %s", mode, i, b.Help().Desc)] = b.Keys()
		}
	})
	missing := map[string][]string{} // README spelling → bindings that use it
	for name, ks := range keys {
		if len(ks) == 0 {
			t.Errorf("%s binds no key", name)
		}
		for _, k := range ks {
			if rk := readmeKey(k); !strings.Contains(sec, rk) {
				missing[rk] = append(missing[rk], name)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(missing)) {
		slices.Sort(missing[k])
		t.Errorf("README's Request pane section lacks %s, bound by %s", k, strings.Join(missing[k], ", "))
	}
}
