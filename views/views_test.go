package views

import (
	"strings"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare"

	"github.com/charmbracelet/x/ansi"
)

func plain(s string) string { return ansi.Strip(s) }

func TestIPVerdict(t *testing.T) {
	th := PlainTheme()
	risky := plain(RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true)}, 100, 20, th))
	first := strings.SplitN(risky, "\n", 2)[0]
	// High-severity names come first, medium after, whatever the API order.
	if !strings.HasPrefix(first, "✗ RISKY — Phishing, Command and Control & Botnet, New Domains") {
		t.Errorf("risky verdict = %q", first)
	}
	if !strings.Contains(risky, "AS64500  BULLETPROOF-HOSTING-EXAMPLE") || !strings.Contains(risky, "IPv4") {
		t.Errorf("ASN or version missing:\n%s", risky)
	}
	clean := plain(RenderIP(IPPage{Info: cleanIPv6(), PDNSNote: "passive DNS covers IPv4 only"}, 100, 20, th))
	if !strings.HasPrefix(clean, "✓ No known risk") || !strings.Contains(clean, "IPv6") || !strings.Contains(clean, "passive DNS covers IPv4 only") {
		t.Errorf("clean IPv6 pane:\n%s", clean)
	}
	medium := plain(RenderIP(IPPage{Info: &cloudflare.IPInfo{IP: "192.0.2.1", RiskTypes: []cloudflare.RiskType{rt(1, "Anonymizer")}}}, 60, 5, th))
	if !strings.HasPrefix(medium, "! SUSPICIOUS — Anonymizer") {
		t.Errorf("medium verdict = %q", strings.SplitN(medium, "\n", 2)[0])
	}
}

func TestIPStates(t *testing.T) {
	th := PlainTheme()
	if out := plain(RenderIP(IPPage{Loading: true}, 60, 5, th)); !strings.Contains(out, "Looking up") {
		t.Errorf("loading state:\n%s", out)
	}
	out := plain(RenderIP(IPPage{Err: "token lacks Intel Read"}, 60, 8, th))
	if !strings.Contains(out, "token lacks Intel Read") {
		t.Errorf("error state:\n%s", out)
	}
}

func TestIPSubnetsOnDemand(t *testing.T) {
	th := PlainTheme()
	without := plain(RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true)}, 80, 24, th))
	if strings.Contains(without, "subnets") {
		t.Errorf("subnets shown without being asked for:\n%s", without)
	}
	with := plain(RenderIP(IPPage{Info: riskyIP(), PDNS: pdnsTable(pdnsRecords, true), Subnets: subnets()}, 80, 24, th))
	if !strings.Contains(with, "AS64500 subnets  6 prefixes · 2,816 IPs") || !strings.Contains(with, "203.0.113.0/24") {
		t.Errorf("subnets missing:\n%s", with)
	}
	loading := plain(RenderIP(IPPage{Info: riskyIP(), SubnetsNote: "loading…"}, 80, 24, th))
	if !strings.Contains(loading, "ASN subnets  loading…") {
		t.Errorf("subnets note missing:\n%s", loading)
	}
	// Many subnets: bounded, with a count of the rest.
	many := subnets()
	many.Subnets = nil
	for i := 0; i < 500; i++ {
		many.Subnets = append(many.Subnets, "10.0.0.0/24")
	}
	out := plain(RenderIP(IPPage{Info: riskyIP(), Subnets: many}, 80, 24, th))
	if !strings.Contains(out, "more") {
		t.Errorf("500 subnets without a 'more' count:\n%s", out)
	}
}

func TestDomainNewAndInherited(t *testing.T) {
	th := PlainTheme()
	d := riskyDomain()
	out := plain(RenderDomain(DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: newWhois(), History: riskyHistory(), Now: fixedNow}, 120, 40, th))
	for _, want := range []string{
		"✗ RISKY — Phishing, New Domains, Malware (inherited from evil.example)",
		"NEW  registered 12 days ago",
		"Malware (inherited from evil.example)",
		"Business (inherited from evil.example)",
		"0.93",
		"Lumma Stealer",
		"2026-05-10 → now",
		"2026-05-08 → 2026-05-10",
		"198.51.100.4",
		"Example Registrar, LLC",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("domain pane lacks %q:\n%s", want, out)
		}
	}
	// Newest period first in the timeline.
	if strings.Index(out, "2026-05-10 → now") > strings.Index(out, "2026-05-08 → 2026-05-10") {
		t.Errorf("timeline not newest first:\n%s", out)
	}
	// 31 days old: not new.
	w := newWhois()
	w.CreatedDate = "2026-04-19T11:00:00Z"
	old := plain(RenderDomain(DomainPage{Domain: d, Whois: w, Now: fixedNow}, 120, 40, th))
	if strings.Contains(old, "NEW") {
		t.Errorf("31-day-old domain flagged NEW:\n%s", old)
	}
	// Without a clock nothing is flagged (no guessing with time.Now).
	if out := plain(RenderDomain(DomainPage{Domain: d, Whois: newWhois()}, 120, 40, th)); strings.Contains(out, "NEW") {
		t.Errorf("flagged NEW without Now")
	}
}

func TestDomainSections(t *testing.T) {
	th := PlainTheme()
	d := cleanDomain()
	base := DomainPage{Domain: d, IPs: ipsTable(d.ResolvesToRefs, true), Whois: cleanWhois(), History: riskyHistory(), Now: fixedNow}
	// 80×24 is too short for all three: only the selected one shows.
	for sec, want := range map[int]string{SectionIPs: "93.184.215.14", SectionWhois: "a.iana-servers.net", SectionHistory: "2026-05-10 → now"} {
		p := base
		p.Section = sec
		out := plain(RenderDomain(p, 80, 24, th))
		if !strings.Contains(out, want) {
			t.Errorf("section %d lacks %q:\n%s", sec, want, out)
		}
		if !strings.Contains(out, "["+DomainSections[sec]) {
			t.Errorf("section %d not marked active:\n%s", sec, out)
		}
		for other, otherWant := range map[int]string{SectionIPs: "93.184.215.14", SectionWhois: "a.iana-servers.net", SectionHistory: "2026-05-10 → now"} {
			if other != sec && strings.Contains(out, otherWant) {
				t.Errorf("section %d also shows section %d", sec, other)
			}
		}
	}
	// Tall enough: all stacked.
	out := plain(RenderDomain(base, 120, 60, th))
	for _, want := range []string{"93.184.215.14", "a.iana-servers.net", "2026-05-10 → now"} {
		if !strings.Contains(out, want) {
			t.Errorf("stacked layout lacks %q:\n%s", want, out)
		}
	}
}

func TestGauge(t *testing.T) {
	th := PlainTheme()
	for _, c := range []struct {
		score float64
		want  string
	}{
		{0, "░░░░░░░░░░ 0.00"},
		{0.5, "█████░░░░░ 0.50"},
		{0.93, "█████████░ 0.93"},
		{1, "██████████ 1.00"},
		{7, "██████████ 1.00"}, // out-of-range input is clamped
		{-1, "░░░░░░░░░░ 0.00"},
	} {
		if got := plain(gauge(c.score, 10, th)); got != c.want {
			t.Errorf("gauge(%v) = %q, want %q", c.score, got, c.want)
		}
	}
}

func TestUserPane(t *testing.T) {
	th := PlainTheme()
	evs := userEvents(240)
	reset := "2026-04-01T10:00:00Z"
	p := UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{RiskLevel: "high", LastResetTime: &reset},
		Events: eventsTable(evs, th, true), Sort: "time ↓", EventCount: len(evs), ResetHint: "R reset risk"}
	out := plain(RenderUser(p, 80, 24, th))
	for _, want := range []string{" HIGH ", "Alice Martin", "2026-04-01 10:00 UTC", "240", "R reset risk", "sort time ↓", "1/240", "Impossible travel"} {
		if !strings.Contains(out, want) {
			t.Errorf("user pane lacks %q:\n%s", want, out)
		}
	}
	// Never reset; filtered.
	p.Risk = &cloudflare.RiskScore{RiskLevel: "low"}
	p.Filter, p.Events = "dlp", eventsTable(evs[3:4], th, true)
	out = plain(RenderUser(p, 80, 24, th))
	if !strings.Contains(out, "never") || !strings.Contains(out, "1 of 240") || !strings.Contains(out, "filter: dlp") {
		t.Errorf("filtered / never reset:\n%s", out)
	}
	p.Events.N = 0
	if out := plain(RenderUser(p, 80, 24, th)); !strings.Contains(out, "no event matches the filter") {
		t.Errorf("empty filter result:\n%s", out)
	}
}

func TestRiskBadge(t *testing.T) {
	th := PlainTheme()
	for level, want := range map[string]string{"high": " HIGH ", "HIGH": " HIGH ", "medium": " MEDIUM ", "low": " LOW ", "": " NONE ", "weird": " NONE "} {
		if got := RiskBadge(level, th); got != want {
			t.Errorf("RiskBadge(%q) = %q, want %q", level, got, want)
		}
	}
}

func TestEventDetailsCursorAndLinks(t *testing.T) {
	th := PlainTheme()
	ev := userEvents(1)[0]
	kvs := actions.FlattenDetails(ev.Details)
	out := plain(EventDetails(ev, kvs, nil, 3, 80, 24, th))
	var cur string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "▸") {
			cur = l
		}
	}
	if !strings.Contains(cur, "domain") || !strings.Contains(cur, "login-micros0ft.evil.example ↗") {
		t.Errorf("cursor row = %q", cur)
	}
	if !strings.Contains(out, "Impossible travel") || !strings.Contains(out, " HIGH ") {
		t.Errorf("event header missing:\n%s", out)
	}
	// Many keys, small box: the cursor row stays visible.
	var many []actions.Detail
	for i := 0; i < 100; i++ {
		many = append(many, actions.Detail{Key: "k" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Value: "v"})
	}
	small := plain(EventDetails(ev, many, nil, 77, 60, 12, th))
	if !strings.Contains(small, "78/100") || strings.Count(small, "▸") != 1 {
		t.Errorf("scrolled details:\n%s", small)
	}
}

func TestHeaderDropsLeastImportantFirst(t *testing.T) {
	th := PlainTheme()
	h := HeaderInfo{Profile: "work-profile", Account: "Acme SOC", Demo: true, ReadOnly: true, Quota: "1187/1200 · 4m12s", Busy: "⠋ looking up"}
	wide := Header(h, 140, th)
	for _, want := range []string{"profile work-profile", "account Acme SOC", " DEMO ", " READ-ONLY ", "quota 1187/1200", "looking up"} {
		if !strings.Contains(wide, want) {
			t.Errorf("wide header lacks %q: %q", want, wide)
		}
	}
	// The quota and the account go before the profile, which says whose
	// credentials are in use.
	mid := Header(h, 80, th)
	if strings.Contains(mid, "quota") || strings.Contains(mid, "Acme SOC") || !strings.Contains(mid, "work-profile") ||
		!strings.Contains(mid, "READ-ONLY") || !strings.Contains(mid, "looking up") {
		t.Errorf("80-cell header: %q", mid)
	}
	narrow := Header(h, 40, th)
	if !strings.Contains(narrow, "READ-ONLY") {
		t.Errorf("40-cell header lost the read-only badge: %q", narrow)
	}
}

func TestBreadcrumbKeepsCurrent(t *testing.T) {
	th := PlainTheme()
	items := []string{"ip 203.0.113.7", "domain evil.example", "ip 198.51.100.4"}
	full := strings.TrimRight(Breadcrumb(items, 80, th), " ")
	if full != "ip 203.0.113.7 › domain evil.example › ip 198.51.100.4" {
		t.Errorf("breadcrumb = %q", full)
	}
	short := Breadcrumb(items, 30, th)
	if !strings.HasPrefix(short, "…") || !strings.HasSuffix(short, "ip 198.51.100.4") || ansi.StringWidth(short) != 30 {
		t.Errorf("truncated breadcrumb = %q", short)
	}
}

func TestFooter(t *testing.T) {
	th := PlainTheme()
	full := Footer(footerHints(), 200, th)
	if strings.Contains(full, "reset risk") {
		t.Errorf("disabled key shown in footer: %q", full)
	}
	narrow := strings.TrimRight(Footer(footerHints(), 30, th), " ")
	if !strings.HasSuffix(narrow, "? help") || !strings.HasPrefix(narrow, "enter open") {
		t.Errorf("narrow footer = %q", narrow)
	}
}

func TestHelpShowsDisabledWithReason(t *testing.T) {
	out := plain(Help(helpGroups(), 100, 30, PlainTheme()))
	if !strings.Contains(out, "R      reset risk (read-only mode)") && !strings.Contains(out, "R  reset risk (read-only mode)") {
		t.Errorf("disabled key reason missing:\n%s", out)
	}
	for _, g := range helpGroups() {
		if !strings.Contains(out, g.Title) {
			t.Errorf("group %q missing", g.Title)
		}
	}
}

func TestHelpScrollsWhenShort(t *testing.T) {
	th := PlainTheme()
	top, maxOff := HelpScroll(helpGroups(), 30, 8, 0, th)
	if n := len(strings.Split(top, "\n")); n != 8 || maxOff == 0 || !strings.Contains(top, "↓ more") {
		t.Fatalf("short help (%d lines, max offset %d) not marked as scrollable:\n%s", n, maxOff, top)
	}
	bottom, _ := HelpScroll(helpGroups(), 30, 8, maxOff+5, th) // clamped
	if !strings.Contains(bottom, "↑ more above") || bottom == top {
		t.Fatalf("scrolled help:\n%s", bottom)
	}
	// Every line of the full help is reachable by scrolling (long lines
	// are cut at the box's width, so compare their starts).
	start := func(l string) string {
		r := []rune(strings.TrimSpace(l))
		return string(r[:min(len(r), 12)])
	}
	seen := map[string]bool{}
	for off := 0; off <= maxOff; off++ {
		page, _ := HelpScroll(helpGroups(), 30, 8, off, th)
		for _, l := range strings.Split(plain(page), "\n") {
			seen[start(strings.Trim(strings.TrimSpace(l), "│"))] = true
		}
	}
	for _, l := range helpLines(helpGroups(), 30, th) {
		if t2 := start(plain(l)); t2 != "" && !seen[t2] {
			page, _ := HelpScroll(helpGroups(), 30, 8, maxOff, th)
			t.Errorf("help line %q never shown while scrolling; last page:\n%s", t2, page)
		}
	}
}

func TestWelcome(t *testing.T) {
	th := PlainTheme()
	demo := Welcome([]string{"203.0.113.7", "evil.example"}, true, 80, 24, th)
	if !strings.Contains(demo, "try one of these") || !strings.Contains(demo, "203.0.113.7") {
		t.Errorf("demo welcome:\n%s", demo)
	}
	if real := Welcome(nil, false, 80, 24, th); strings.Contains(real, "try one of these") {
		t.Errorf("demo suggestions outside demo mode")
	}
}

func TestOverlay(t *testing.T) {
	base := strings.TrimSuffix(strings.Repeat(strings.Repeat(".", 10)+"\n", 5), "\n")
	got := Overlay(base, "ab\ncd", 10, 5)
	// 3 spare rows: 1 above, 2 below (centring rounds up).
	want := "..........\n....ab....\n....cd....\n..........\n.........."
	if got != want {
		t.Errorf("Overlay =\n%s\nwant\n%s", got, want)
	}
	// Styled base: the box is not painted with the base's style.
	th := NewTheme(true, false)
	styled := th.Error.Render(strings.Repeat("x", 10))
	out := Overlay(styled, "ab", 10, 1)
	if plain(out) != "xxxxabxxxx" {
		t.Errorf("styled overlay = %q", plain(out))
	}
	i := strings.Index(out, "ab")
	if !strings.Contains(out[:i], ansi.ResetStyle) {
		t.Errorf("base style not reset before the box: %q", out)
	}
}

func TestHyperlink(t *testing.T) {
	th := NewTheme(true, false)
	got := Hyperlink("https://dash.cloudflare.com/x\x1b]52;c;evil\x07 y", "open", th)
	if !strings.HasPrefix(got, "\x1b]8;;https://dash.cloudflare.com/x%1B]52;c;evil%07%20y") || !strings.HasSuffix(got, "open\x1b]8;;\x07") {
		t.Errorf("Hyperlink = %q", got)
	}
	if strings.Count(got, "\x1b") != 2 || strings.Count(got, "\x07") != 2 {
		t.Errorf("hostile URL broke out of the sequence: %q", got)
	}
	if got := Hyperlink("https://dash.cloudflare.com/", "open", NewTheme(true, true)); got != "open" {
		t.Errorf("no-colour Hyperlink = %q", got)
	}
	off := NewTheme(true, false)
	off.Links = false
	if got := Hyperlink("https://dash.cloudflare.com/", "open", off); got != "open" {
		t.Errorf("Links=false Hyperlink = %q", got)
	}
}

func TestDashboardURL(t *testing.T) {
	id := "0123456789abcdef0123456789abcdef"
	if got := DashboardURL(id); got != "https://dash.cloudflare.com/"+id+"/security-center/investigate" {
		t.Errorf("DashboardURL = %q", got)
	}
	for _, bad := range []string{"", "short", "0123456789abcdef0123456789abcdeg", "../../../evil.example/x/y/z/abcde"} {
		if got := DashboardURL(bad); got != "" {
			t.Errorf("DashboardURL(%q) = %q, want empty", bad, got)
		}
	}
}

func TestPaneDashboardLinks(t *testing.T) {
	url := DashboardURL("0123456789abcdef0123456789abcdef")
	d := riskyDomain()
	render := func(th Theme) []string {
		return []string{
			RenderIP(IPPage{Info: riskyIP(), Dashboard: url}, 80, 24, th),
			RenderDomain(DomainPage{Domain: d, Dashboard: url, Now: fixedNow}, 80, 24, th),
		}
	}
	for _, out := range render(NewTheme(true, false)) {
		open := "\x1b]8;;" + url + "\x07"
		if strings.Count(out, open) != 1 || strings.Count(out, "\x1b]8;;\x07") != 1 {
			t.Errorf("want one OSC 8 link to %s, got %q", url, out)
		}
	}
	for _, out := range render(NewTheme(true, true)) {
		if strings.Contains(out, "\x1b]8;") {
			t.Errorf("OSC 8 in a no-colour theme")
		}
	}
	// Narrow: the link text is truncated but the link is still closed.
	out := RenderDomain(DomainPage{Domain: d, Dashboard: url}, 12, 5, NewTheme(true, false))
	if strings.Count(out, "\x1b]8;;"+url) != strings.Count(out, "\x1b]8;;\x07") {
		t.Errorf("unbalanced hyperlink when truncated: %q", out)
	}
}

func TestOverlayClosesBaseHyperlink(t *testing.T) {
	th := NewTheme(true, false)
	base := Hyperlink("https://dash.cloudflare.com/", strings.Repeat("x", 10), th)
	out := Overlay(base, "ab", 10, 1)
	i := strings.Index(out, "ab")
	if strings.LastIndex(out[:i], "\x1b]8;;\x07") < strings.LastIndex(out[:i], "\x1b]8;;https") {
		t.Errorf("box drawn inside the base's hyperlink: %q", out)
	}
}
