package views

import (
	"strings"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare"

	"github.com/charmbracelet/x/ansi"
)

// hostileText is every hostile string at once, the unterminated ones last.
func hostileText(name string) string {
	return name + strings.Join(hostile, "") + name
}

// scene is one renderer call; exact means the output must fill
// width×height exactly, otherwise it must fit within it.
type scene struct {
	name  string
	exact bool
	oneLn bool // one line of exactly width
	fn    func(w, h int, th Theme) string
}

func fixtureScenes() []scene {
	evs := userEvents(240)
	reset := "2026-04-01T10:00:00Z"
	return []scene{
		{"ip-risky", true, false, func(w, h int, th Theme) string {
			return RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true), PDNSNote: "page 1 of 1 · 5 records", Subnets: subnets()}, w, h, th)
		}},
		{"ip-clean-v6", true, false, func(w, h int, th Theme) string {
			return RenderIP(IPPage{Info: cleanIPv6(), PDNS: pdnsTable(nil, true), PDNSNote: "passive DNS covers IPv4 only"}, w, h, th)
		}},
		{"ip-loading", true, false, func(w, h int, th Theme) string { return RenderIP(IPPage{Loading: true}, w, h, th) }},
		{"ip-error", true, false, func(w, h int, th Theme) string {
			return RenderIP(IPPage{Err: "rate limited until 14:05:00 (1200 requests per 5 minutes)"}, w, h, th)
		}},
		{"domain-risky", true, false, func(w, h int, th Theme) string {
			d := riskyDomain()
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: newWhois(), History: riskyHistory(), Now: fixedNow}, w, h, th)
		}},
		{"domain-clean-whois", true, false, func(w, h int, th Theme) string {
			d := cleanDomain()
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: cleanWhois(), Now: fixedNow, Section: SectionWhois}, w, h, th)
		}},
		{"domain-history", true, false, func(w, h int, th Theme) string {
			d := riskyDomain()
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: newWhois(), History: riskyHistory(), Now: fixedNow, Section: SectionHistory}, w, h, th)
		}},
		{"user", true, false, func(w, h int, th Theme) string {
			return RenderUser(UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{RiskLevel: "high", LastResetTime: &reset, Events: evs},
				Events: eventsTable(evs, th, true), Sort: "time ↓", EventCount: len(evs), ResetHint: "R reset risk"}, w, h, th)
		}},
		{"user-filtering", true, false, func(w, h int, th Theme) string {
			return RenderUser(UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{RiskLevel: "medium"},
				Events: eventsTable(evs[:3], th, false), Sort: "level ↓", Filter: "gateway", Filtering: true, EventCount: len(evs), ReadOnly: true, ResetHint: "reset disabled: read-only mode"}, w, h, th)
		}},
		{"user-pick", true, false, func(w, h int, th Theme) string {
			return RenderUser(UserPage{Email: "alice@example.com", Pick: &UserPick{Users: []cloudflare.AccessUser{*alice(), {ID: "0b9c8d7e", Email: "Alice@Example.com", Name: "Alice M."}}, Cursor: 1}}, w, h, th)
		}},
		{"table", true, false, func(w, h int, th Theme) string {
			t := eventsTable(evs, th, true)
			t.Cursor = 120
			return t.Render(w, h, th)
		}},
		{"welcome", true, false, func(w, h int, th Theme) string {
			return Welcome([]string{"203.0.113.7", "evil.example", "alice@example.com"}, true, w, h, th)
		}},
		{"overlay", true, false, func(w, h int, th Theme) string {
			return Overlay(Welcome(nil, false, w, h, th), Help(helpGroups(), w, h, th), w, h)
		}},
		{"event-details", false, false, func(w, h int, th Theme) string {
			return EventDetails(evs[0], actions.FlattenDetails(evs[0].Details), nil, 3, w, h, th)
		}},
		{"help", false, false, func(w, h int, th Theme) string { return Help(helpGroups(), w, h, th) }},
		{"errorbox", false, false, func(w, h int, th Theme) string {
			return ErrorBox("Missing permission", "The token lacks Zero Trust: PII Read.\nAdd it under API Tokens.", w, th)
		}},
		{"header", false, true, func(w, h int, th Theme) string {
			return Header(HeaderInfo{Profile: "default", Account: "Acme SOC", Demo: true, ReadOnly: true, Quota: "1187/1200 · 4m12s", Busy: "⠋ looking up"}, w, th)
		}},
		{"tabs", false, true, func(w, h int, th Theme) string { return Tabs([]string{"IP", "Domain", "User"}, 1, w, th) }},
		{"breadcrumb", false, true, func(w, h int, th Theme) string {
			return Breadcrumb([]string{"ip 203.0.113.7", "domain evil.example", "ip 198.51.100.4"}, w, th)
		}},
		{"footer", false, true, func(w, h int, th Theme) string { return Footer(footerHints(), w, th) }},
	}
}

// hostileScenes put hostile text in every field that comes from the API.
func hostileScenes() []scene {
	x := hostileText
	rts := []cloudflare.RiskType{rt(83, x("Phishing")), rt(1, x("cat"))}
	ip := &cloudflare.IPInfo{IP: x("203.0.113.7"), BelongsTo: &cloudflare.ASNRef{Country: x("NL"), Description: x("NET"), Type: x("t"), Value: x("1")}, RiskTypes: rts}
	recs := []cloudflare.ReverseRecord{{Hostname: x("h"), FirstSeen: x("f"), LastSeen: x("l")}}
	d := &cloudflare.Domain{Domain: x("d"), ContentCategories: rts, InheritedContentCategories: rts, RiskTypes: rts, InheritedRiskTypes: rts,
		InheritedFrom: x("from"), Application: &cloudflare.Application{Name: x("app")}, AdditionalInformation: &cloudflare.AdditionalInfo{SuspectedMalwareFamily: x("fam")},
		ResolvesToRefs: []cloudflare.Ref{{Value: x("ip")}}}
	wh := &cloudflare.Whois{Found: true, Registrar: x("r"), Registrant: x("r"), RegistrantOrg: x("o"), RegistrantCountry: x("c"), CreatedDate: x("c"), UpdatedDate: x("u"),
		ExpirationDate: x("e"), Nameservers: []string{x("ns")}, Status: []string{x("s")}}
	hist := []cloudflare.DomainHistory{{Categorizations: []cloudflare.Categorization{{Categories: rts, Start: x("s"), End: x("e")}}}}
	reset := x("reset")
	u := &cloudflare.AccessUser{ID: x("id"), Email: x("e"), Name: x("n"), LastSuccessfulLogin: x("l")}
	ev := cloudflare.RiskEvent{ID: x("id"), Name: x("n"), RiskLevel: x("l"), Timestamp: x("t"),
		Details: map[string]any{x("k"): x("v"), "nested": map[string]any{x("k2"): []any{x("a"), 1.5, nil}}}}
	evs := []cloudflare.RiskEvent{ev, ev}
	return []scene{
		{"ip", true, false, func(w, h int, th Theme) string {
			return RenderIP(IPPage{Info: ip, PDNS: pdnsTable(recs, true), PDNSNote: x("note"),
				Subnets: &cloudflare.ASNSubnets{Subnets: []string{x("s1"), x("s2")}}, SubnetsNote: x("sn")}, w, h, th)
		}},
		{"ip-err", true, false, func(w, h int, th Theme) string { return RenderIP(IPPage{Err: x("err")}, w, h, th) }},
		{"domain-stacked", true, false, func(w, h int, th Theme) string {
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: wh, WhoisNote: x("wn"), History: hist, HistoryNote: x("hn"), Now: fixedNow}, w, h, th)
		}},
		{"domain-whois", true, false, func(w, h int, th Theme) string {
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: wh, History: hist, Now: fixedNow, Section: SectionWhois}, w, h, th)
		}},
		{"domain-history", true, false, func(w, h int, th Theme) string {
			return RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), History: hist, Now: fixedNow, Section: SectionHistory}, w, h, th)
		}},
		{"user", true, false, func(w, h int, th Theme) string {
			return RenderUser(UserPage{Email: x("e"), User: u, Risk: &cloudflare.RiskScore{Name: x("n"), RiskLevel: x("high"), LastResetTime: &reset, Events: evs},
				Events: eventsTable(evs, th, true), Sort: x("s"), Filter: x("f"), Filtering: true, EventCount: 2, ResetHint: x("r"), Err: x("err")}, w, h, th)
		}},
		{"user-pick", true, false, func(w, h int, th Theme) string {
			return RenderUser(UserPage{Email: x("e"), Pick: &UserPick{Users: []cloudflare.AccessUser{*u, *u}}}, w, h, th)
		}},
		{"event-details", false, false, func(w, h int, th Theme) string {
			return EventDetails(ev, actions.FlattenDetails(ev.Details), nil, 1, w, h, th)
		}},
		{"event-details-raw-kv", false, false, func(w, h int, th Theme) string {
			return EventDetails(ev, []actions.Detail{{Key: x("k"), Value: x("v"), Link: true}}, nil, 0, w, h, th)
		}},
		{"header", false, true, func(w, h int, th Theme) string {
			return Header(HeaderInfo{Profile: x("p"), Account: x("a"), Quota: x("q"), Busy: x("b")}, w, th)
		}},
		{"breadcrumb", false, true, func(w, h int, th Theme) string { return Breadcrumb([]string{x("a"), x("b")}, w, th) }},
		{"tabs", false, true, func(w, h int, th Theme) string { return Tabs([]string{x("a"), x("b")}, 0, w, th) }},
		{"footer", false, true, func(w, h int, th Theme) string { return Footer([]KeyHint{{Key: x("k"), Desc: x("d")}}, w, th) }},
		{"help", false, false, func(w, h int, th Theme) string {
			return Help([]HelpGroup{{Title: x("t"), Keys: []KeyHint{{Key: x("k"), Desc: x("d")}, {Key: x("k"), Desc: x("d"), Disabled: true, Why: x("w")}}}}, w, h, th)
		}},
		{"errorbox", false, false, func(w, h int, th Theme) string { return ErrorBox(x("t"), x("m"), w, th) }},
		{"welcome", true, false, func(w, h int, th Theme) string { return Welcome([]string{x("s")}, true, w, h, th) }},
		{"asn", true, false, func(w, h int, th Theme) string {
			nets := []string{x("n1"), x("n2")}
			return RenderASN(ASNPage{ASN: 64500, Subnets: &cloudflare.ASNSubnets{Subnets: nets, Count: 2},
				List: Table{Columns: []Column{{Title: "Subnet"}}, N: 2, Row: func(i int) []string { return []string{nets[i]} }}}, w, h, th)
		}},
	}
}

var (
	propWidths  = []int{1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 60, 79, 80, 100, 120, 160, 240}
	propHeights = []int{1, 2, 3, 4, 6, 10, 15, 24, 40, 60}
)

func themes() map[string]Theme {
	return map[string]Theme{
		"plain":      PlainTheme(),
		"nocolor":    NewTheme(true, true),
		"dark":       NewTheme(true, false),
		"light":      NewTheme(false, false),
		"light-mono": NewTheme(false, true),
	}
}

// checkSize asserts the output fits (or fills) width×height.
func checkSize(t *testing.T, name string, s scene, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if out == "" {
		lines = nil
	}
	switch {
	case s.oneLn:
		if len(lines) != 1 || ansi.StringWidth(lines[0]) != w {
			t.Fatalf("%s at %dx%d: want one line of width %d, got %d lines %q", name, w, h, w, len(lines), ansi.Strip(out))
		}
		return
	case s.exact:
		if len(lines) != h {
			t.Fatalf("%s at %dx%d: %d lines, want exactly %d:\n%s", name, w, h, len(lines), h, ansi.Strip(out))
		}
	default:
		if len(lines) > h && s.name != "errorbox" {
			t.Fatalf("%s at %dx%d: %d lines, more than %d:\n%s", name, w, h, len(lines), h, ansi.Strip(out))
		}
	}
	for i, l := range lines {
		lw := ansi.StringWidth(l)
		if lw > w || (s.exact && lw != w) {
			t.Fatalf("%s at %dx%d: line %d has width %d:\n%q", name, w, h, i, lw, ansi.Strip(l))
		}
	}
}

func TestRenderersFitEverySize(t *testing.T) {
	// Colour does not change layout; light and dark differ only in colour.
	all := themes()
	th := map[string]Theme{"plain": all["plain"], "nocolor": all["nocolor"], "dark": all["dark"]}
	for _, group := range []struct {
		name   string
		scenes []scene
	}{{"fixture", fixtureScenes()}, {"hostile", hostileScenes()}} {
		for _, s := range group.scenes {
			for tn, theme := range th {
				for _, w := range propWidths {
					for _, h := range propHeights {
						out := s.fn(w, h, theme)
						checkSize(t, group.name+"/"+s.name+"/"+tn, s, out, w, h)
					}
				}
			}
		}
	}
}

// checkEscapes asserts that the only escape sequences in out are SGR
// (CSI … m), and with mono that they set no colour; no other control
// character, bidi or invisible character from the data gets through.
func checkEscapes(t *testing.T, name, out string, allowSGR, mono bool) {
	t.Helper()
	var rest strings.Builder
	for i := 0; i < len(out); i++ {
		c := out[i]
		if c != 0x1b {
			rest.WriteByte(c)
			continue
		}
		if !allowSGR {
			t.Fatalf("%s: ESC at byte %d: %q", name, i, out[max(0, i-20):min(len(out), i+20)])
		}
		j := i + 1
		if j >= len(out) || out[j] != '[' {
			t.Fatalf("%s: non-CSI escape at byte %d: %q", name, i, out[i:min(len(out), i+20)])
		}
		j++
		for j < len(out) && (out[j] >= '0' && out[j] <= '9' || out[j] == ';' || out[j] == ':') {
			j++
		}
		if j >= len(out) || out[j] != 'm' {
			t.Fatalf("%s: escape other than SGR at byte %d: %q", name, i, out[i:min(len(out), j+1)])
		}
		if mono {
			for _, p := range strings.Split(out[i+2:j], ";") {
				switch {
				case p == "", p == "0", p == "1", p == "2", p == "3", p == "4", p == "7",
					p == "22", p == "23", p == "24", p == "27":
				case strings.HasPrefix(p, "4:"): // underline style
				default:
					t.Fatalf("%s: colour SGR %q in a no-colour theme", name, out[i:j+1])
				}
			}
		}
		i = j
	}
	if what, bad := dangerous(rest.String(), true); bad {
		t.Fatalf("%s: output contains %s: %q", name, what, rest.String())
	}
}

func TestHostileDataNeverReachesTerminal(t *testing.T) {
	for _, s := range hostileScenes() {
		for tn, th := range themes() {
			for _, sz := range [][2]int{{20, 10}, {80, 24}, {120, 40}, {400, 60}} {
				out := s.fn(sz[0], sz[1], th)
				name := s.name + "/" + tn
				checkEscapes(t, name, out, tn != "plain", th.NoColor)
				// The visible text of the hostile payload is still there
				// when there is room (sanitizing removes controls, not data).
				if sz[0] == 400 && s.name == "ip" && !strings.Contains(ansi.Strip(out), "203.0.113.7") {
					t.Errorf("%s: sanitized value lost: %q", name, ansi.Strip(out))
				}
			}
		}
	}
}

func TestPlainThemeEmitsNoEscapes(t *testing.T) {
	th := PlainTheme()
	for _, s := range fixtureScenes() {
		if out := s.fn(80, 24, th); strings.ContainsRune(out, 0x1b) {
			t.Errorf("%s: ESC in plain output", s.name)
		}
	}
}

func TestNoColorKeepsCursorVisible(t *testing.T) {
	th := NewTheme(true, true)
	tb := pdnsTable(pdnsRecords, true)
	tb.Cursor = 2
	out := tb.Render(80, 10, th)
	lines := strings.Split(out, "\n")
	cur := lines[3] // header + rows 0,1 + cursor row
	if !strings.Contains(cur, "\x1b[7m") {
		t.Errorf("cursor row has no reverse video in no-colour theme: %q", cur)
	}
	if !strings.HasPrefix(ansi.Strip(cur), "▸ evil.example") {
		t.Errorf("cursor row %q lacks the marker", ansi.Strip(cur))
	}
	checkEscapes(t, "nocolor table", out, true, true)
}
