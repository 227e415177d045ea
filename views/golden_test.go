package views

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// goldenScenes are views-level screens the console's goldens (ui/testdata)
// do not cover: the chrome's variants side by side. Whole panes are
// golden-tested once, as the console shows them, in ui.
func goldenScenes() []scene {
	th := NewTheme(true, true)
	chrome := func(w int, crumbs []string, tab int) []string {
		return []string{
			Header(HeaderInfo{Profile: "default", Account: "Acme SOC", Demo: true, Quota: "1187/1200 · 4m12s"}, w, th),
			Tabs([]string{"IP", "Domain", "User"}, tab, w, th),
			Breadcrumb(crumbs, w, th),
		}
	}
	return []scene{
		{"header-footer", false, false, func(w, h int, _ Theme) string {
			lines := chrome(w, []string{"ip 203.0.113.7", "domain evil.example", "ip 198.51.100.4"}, 0)
			lines = append(lines,
				Header(HeaderInfo{Profile: "prod", Account: "Acme SOC", ReadOnly: true, Quota: "12/1200 · 4m12s", Busy: "⠋ looking up evil.example"}, w, th),
				ErrorBox("Rate limited", "Cloudflare answered 429: every call is blocked until 14:05:00 UTC (1,200 requests per 5 minutes per token).", w, th),
				Footer(footerHints(), w, th))
			return strings.Join(lines, "\n")
		}},
	}
}

func TestGolden(t *testing.T) {
	for _, s := range goldenScenes() {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			name := s.name + "_" + strconv.Itoa(w) + "x" + strconv.Itoa(h)
			t.Run(name, func(t *testing.T) {
				out := s.fn(w, h, Theme{})
				checkSize(t, name, s, out, w, h)
				compareGolden(t, out)
			})
		}
	}
}

// stripTrailing removes the padding at line ends, so golden files diff
// and display well; the exact width is asserted separately.
func stripTrailing(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// compareGolden compares a rendered screen (ANSI stripped, trailing
// spaces trimmed) with testdata/<test name>.golden; go test ./views
// -update rewrites it. The colour goldens (paint_golden_test.go) keep
// the escapes.
func compareGolden(t *testing.T, out string) {
	t.Helper()
	golden.RequireEqual(t, stripTrailing(ansi.Strip(out)))
}

// checkGolden compares a w×h screen with testdata/<test name>/<name>.golden.
func checkGolden(t *testing.T, name, out string, w, h int) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		checkSize(t, name, scene{name: name, exact: true}, out, w, h)
		compareGolden(t, out)
	})
}
