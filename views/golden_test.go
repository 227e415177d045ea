package views

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare"

	"github.com/charmbracelet/x/ansi"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// goldenScenes are the screens the README shows; rendered without colour
// and compared after stripping the remaining attributes (bold, reverse).
func goldenScenes() []scene {
	th := NewTheme(true, true)
	evs := userEvents(240)
	reset := "2026-04-01T10:00:00Z"
	user := func(w, h int) string {
		return RenderUser(UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{RiskLevel: "high", LastResetTime: &reset},
			Events: eventsTable(evs, th, true), Sort: "time ↓", EventCount: len(evs), ResetHint: "R reset risk"}, w, h, th)
	}
	chrome := func(w int, crumbs []string, tab int) []string {
		return []string{
			Header(HeaderInfo{Profile: "default", Account: "Acme SOC", Demo: true, Quota: "1187/1200 · 4m12s"}, w, th),
			Tabs([]string{"IP", "Domain", "User"}, tab, w, th),
			Breadcrumb(crumbs, w, th),
		}
	}
	screen := func(w, h int, crumbs []string, tab int, pane func(w, h int) string) string {
		lines := chrome(w, crumbs, tab)
		lines = append(lines, pane(w, h-4))
		lines = append(lines, Footer(footerHints(), w, th))
		return strings.Join(lines, "\n")
	}
	return []scene{
		{"ip-risky", true, false, func(w, h int, _ Theme) string {
			return screen(w, h, []string{"ip 203.0.113.7"}, 0, func(w, h int) string {
				return RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true), PDNSNote: "page 1 of 1 · 5 records", Subnets: subnets()}, w, h, th)
			})
		}},
		{"ip-clean-ipv6", true, false, func(w, h int, _ Theme) string {
			return RenderIP(IPPage{Info: cleanIPv6(), PDNS: pdnsTable(nil, false), PDNSNote: "passive DNS covers IPv4 only"}, w, h, th)
		}},
		{"domain-risky-new", true, false, func(w, h int, _ Theme) string {
			return screen(w, h, []string{"ip 203.0.113.7", "domain login-micros0ft.evil.example"}, 1, func(w, h int) string {
				d := riskyDomain()
				return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: newWhois(), History: riskyHistory(), Now: fixedNow}, w, h, th)
			})
		}},
		{"domain-clean", true, false, func(w, h int, _ Theme) string {
			d := cleanDomain()
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, false), Whois: cleanWhois(), Now: fixedNow, Section: SectionWhois,
				HistoryNote: "no category changes in the last year"}, w, h, th)
		}},
		{"user-events", true, false, func(w, h int, _ Theme) string {
			return screen(w, h, []string{"user alice@example.com"}, 2, user)
		}},
		{"user-pick", true, false, func(w, h int, _ Theme) string {
			return RenderUser(UserPage{Email: "alice@example.com", Pick: &UserPick{Users: []cloudflare.AccessUser{*alice(),
				{ID: "0b9c8d7e-1a2b-4c3d-8e9f-a0b1c2d3e4f5", Email: "Alice@Example.com", Name: "Alice Martin (contractor)", LastSuccessfulLogin: "2026-02-03T17:20:00Z"},
				{ID: "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b", Email: "alice@example.com", Name: "alice"}}, Cursor: 1}}, w, h, th)
		}},
		{"event-details", true, false, func(w, h int, _ Theme) string {
			ev := evs[0]
			return Overlay(user(w, h), EventDetails(ev, actions.FlattenDetails(ev.Details), 3, w-8, h-4, th), w, h)
		}},
		{"help", true, false, func(w, h int, _ Theme) string {
			return Overlay(Welcome(nil, false, w, h, th), Help(helpGroups(), w-4, h-2, th), w, h)
		}},
		{"welcome", true, false, func(w, h int, _ Theme) string {
			return Welcome([]string{"203.0.113.7", "login-micros0ft.evil.example", "alice@example.com", "AS64500"}, true, w, h, th)
		}},
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
				compareGolden(t, name, out)
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
// spaces trimmed) with testdata/<name>.golden, or rewrites the file
// under -update.
func compareGolden(t *testing.T, name, out string) {
	t.Helper()
	got := stripTrailing(ansi.Strip(out))
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./views -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (go test ./views -update rewrites it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}
