package views

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/cloudflare"
)

// DomainPage is everything the Domain pane shows.
type DomainPage struct {
	Domain  *cloudflare.Domain
	Loading bool
	Err     string

	// Unicode is the name's Unicode form when it is an IDN (shown beside
	// the punycode); Lookalikes warn of labels that mix scripts or
	// imitate Latin letters.
	Unicode    string
	Lookalikes []string

	IPs Table // resolving IPs

	Whois     *cloudflare.Whois
	WhoisNote string

	History     []cloudflare.DomainHistory
	HistoryNote string

	// Dashboard, when set, makes the domain name an OSC 8 link to that
	// URL (see DashboardURL); only where the theme allows links.
	Dashboard string

	Now     time.Time // for "registered N days ago"
	Section int       // lower section shown when space is short: 0 IPs, 1 WHOIS, 2 history
}

// Domain sections (DomainPage.Section).
const (
	SectionIPs = iota
	SectionWhois
	SectionHistory
)

// DomainSections names the lower sections in order, for the ui's hints.
var DomainSections = []string{"Resolving IPs", "WHOIS", "Category history"}

// maxStackedIPs is how many resolving IPs show when all sections are
// stacked; more scroll.
const maxStackedIPs = 8

// NewDomainAge is how young a registration is flagged NEW.
const NewDomainAge = 30 * 24 * time.Hour

// RenderDomain draws the Domain pane into exactly width×height.
func RenderDomain(p DomainPage, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Domain == nil {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	lw := min(labelW, max(width/4, 1))
	lines := domainHead(p, width, lw, th)

	// Lower sections: stacked when they all fit, else the selected one.
	whois := whoisLines(p.Whois, p.WhoisNote, p.Now, lw, width, th)
	hist := historyLines(p.History, p.HistoryNote, width, th)
	ipsNeed := min(max(p.IPs.N, 1), maxStackedIPs) + 1
	ipTitle := sectionTitle("Resolving IPs", ipsNote(p.IPs.N), width, th)
	if stacked(len(lines), ipsNeed, len(whois), len(hist), height) {
		lines = append(lines, "", ipTitle)
		lines = append(lines, splitLines(p.IPs.Render(width, ipsNeed, th))...)
		lines = append(lines, "", sectionTitle("WHOIS", "", width, th))
		lines = append(lines, whois...)
		lines = append(lines, "", sectionTitle("Category history", "", width, th))
		lines = append(lines, hist...)
		return block(lines, width, height)
	}
	lines = append(lines, "", sectionTabs(p, width, th))
	avail := height - len(lines)
	switch p.Section {
	case SectionWhois:
		lines = append(lines, limit(whois, avail, th)...)
	case SectionHistory:
		lines = append(lines, limit(hist, avail, th)...)
	default:
		if avail > 0 {
			lines = append(lines, splitLines(p.IPs.Render(width, avail, th))...)
		}
	}
	return block(lines, width, height)
}

func ipsNote(n int) string {
	if n == 1 {
		return "1 address"
	}
	return thousands(n) + " addresses"
}

// sectionTabs shows which lower section is displayed.
func sectionTabs(p DomainPage, width int, th Theme) string {
	parts := make([]string, len(DomainSections))
	for i, n := range DomainSections {
		if i == SectionIPs {
			n += " (" + thousands(p.IPs.N) + ")"
		}
		if i == p.Section || (i == SectionIPs && (p.Section < 0 || p.Section >= len(DomainSections))) {
			parts[i] = paint(th.TabActive, "["+n+"]")
		} else {
			parts[i] = paint(th.Tab, " "+n+" ")
		}
	}
	return fit(strings.Join(parts, " "), width)
}

// whoisAge reads the creation date and whether it is younger than
// NewDomainAge.
func whoisAge(w *cloudflare.Whois, now time.Time) (time.Time, bool) {
	if w == nil || now.IsZero() {
		return time.Time{}, false
	}
	t, ok := parseTime(w.CreatedDate)
	if !ok {
		return time.Time{}, false
	}
	return t, now.Sub(t) < NewDomainAge && !t.After(now.Add(24*time.Hour))
}

// gauge draws a 0..1 score as a bar and a number, coloured by level.
func gauge(score float64, w int, th Theme) string {
	if score < 0 {
		score = 0
	}
	if score > 1 {
		score = 1
	}
	num := strconv.FormatFloat(score, 'f', 2, 64)
	st := th.SevLow
	switch {
	case score >= 0.7:
		st = th.SevHigh
	case score >= 0.4:
		st = th.SevMedium
	}
	if w < 4 {
		return paint(st, num)
	}
	full := int(score*float64(w) + 0.5)
	return paint(st, strings.Repeat("█", full)) + paint(th.GaugeEmpty, strings.Repeat("░", w-full)) + " " + paint(st, num)
}

// inheritedLines lists own types, then inherited ones with their origin.
func inheritedLines(label string, own, inh []cloudflare.RiskType, from string, risk bool, lw, width int, th Theme) []string {
	list := categoryList
	if risk {
		list = riskList
	}
	pieces := list(own, th)
	if len(inh) > 0 {
		f := Sanitize(from)
		note := "inherited"
		if f != "" {
			note = "inherited from " + f
		}
		for _, p := range list(inh, th) {
			pieces = append(pieces, p+paint(th.Muted, " ("+note+")"))
		}
	}
	if len(pieces) == 0 {
		return kv(label, paint(th.Muted, "none"), lw, width, th)
	}
	return kvLines(label, pieces, " · ", lw, width, th)
}

// whoisLines renders the WHOIS record.
func whoisLines(w *cloudflare.Whois, note string, now time.Time, lw, width int, th Theme) []string {
	if w == nil {
		if note == "" {
			note = "not loaded"
		}
		return []string{paint(th.Muted, Sanitize(note))}
	}
	if !w.Found {
		return []string{paint(th.Muted, "No WHOIS record found.")}
	}
	val := func(s string) string {
		if s = Sanitize(s); s == "" {
			return paint(th.Muted, "—")
		}
		return paint(th.Value, s)
	}
	var out []string
	out = append(out, kv("Registrar", val(w.Registrar), lw, width, th)...)
	reg := nonEmpty(Sanitize(w.RegistrantOrg), Sanitize(w.Registrant), Sanitize(w.RegistrantCountry))
	if len(reg) > 0 {
		out = append(out, kvLines("Registrant", styleAll(dedupe(reg), th), " · ", lw, width, th)...)
	}
	created := val(date(w.CreatedDate))
	if t, ok := parseTime(w.CreatedDate); ok && !now.IsZero() {
		created += " " + paint(th.Muted, "("+ago(t, now)+")")
		if _, isNew := whoisAge(w, now); isNew {
			created += " " + paint(th.New, " NEW ")
		}
	}
	out = append(out, kv("Created", created, lw, width, th)...)
	out = append(out, kv("Updated", val(date(w.UpdatedDate)), lw, width, th)...)
	exp := val(date(w.ExpirationDate))
	if t, ok := parseTime(w.ExpirationDate); ok && !now.IsZero() && t.Before(now) {
		exp += " " + paint(th.Warn, "expired")
	}
	out = append(out, kv("Expires", exp, lw, width, th)...)
	if len(w.Nameservers) > 0 {
		out = append(out, kvLines("Nameservers", styleAll(sanitizeAll(w.Nameservers), th), ", ", lw, width, th)...)
	}
	if len(w.Status) > 0 {
		out = append(out, kvLines("Status", styleAll(sanitizeAll(w.Status), th), ", ", lw, width, th)...)
	}
	dnssec := "no"
	if w.DNSSEC {
		dnssec = "yes"
	}
	out = append(out, kv("DNSSEC", paint(th.Value, dnssec), lw, width, th)...)
	return out
}

func sanitizeAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = Sanitize(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func styleAll(ss []string, th Theme) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = paint(th.Value, s)
	}
	return out
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// historyLines is the category history as a timeline, newest first.
func historyLines(h []cloudflare.DomainHistory, note string, width int, th Theme) []string {
	var cs []cloudflare.Categorization
	for _, d := range h {
		cs = append(cs, d.Categorizations...)
	}
	if len(cs) == 0 {
		if note == "" {
			note = "no category changes recorded"
		}
		return []string{paint(th.Muted, Sanitize(note))}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		ti, _ := parseTime(cs[i].Start)
		tj, _ := parseTime(cs[j].Start)
		return ti.After(tj)
	})
	const dw = 10 // a date
	var out []string
	for i, c := range cs {
		end := "now"
		if c.End != "" {
			end = date(c.End)
		}
		span := fit(date(c.Start), dw) + " → " + fit(end, dw)
		mark := "●"
		if i > 0 {
			mark = "○"
		}
		sev := maxSeverity(c.Categories)
		names := make([]string, 0, len(c.Categories))
		for _, t := range c.Categories {
			st := th.Value
			if s := actions.Severity(t); s >= SevMedium {
				st = sevStyle(s, th)
			}
			names = append(names, paint(st, riskName(t)))
		}
		if len(names) == 0 {
			names = []string{paint(th.Muted, "uncategorized")}
		}
		markSt := th.Muted
		if sev >= SevMedium {
			markSt = sevStyle(sev, th)
		}
		prefix := paint(markSt, mark) + " " + paint(th.Muted, span) + "  "
		pw := 2 + dw + 3 + dw + 2
		out = append(out, kvLinesPrefixed(prefix, pw, names, width, th)...)
	}
	return out
}

// kvLinesPrefixed wraps pieces after a styled prefix of pw cells.
func kvLinesPrefixed(prefix string, pw int, pieces []string, width int, th Theme) []string {
	if width-pw < 8 {
		return []string{prefix, "  " + strings.Join(pieces, ", ")}
	}
	return flow(prefix, pw, pieces, ", ", width)
}

// DomainStacked reports whether the Domain pane shows its three lower
// sections at once at this size (the section key then has nothing to
// switch).
func DomainStacked(p DomainPage, width, height int, th Theme) bool {
	if width <= 0 || height <= 0 || p.Domain == nil {
		return false
	}
	lw := min(labelW, max(width/4, 1))
	head := domainHead(p, width, lw, th)
	whois := whoisLines(p.Whois, p.WhoisNote, p.Now, lw, width, th)
	hist := historyLines(p.History, p.HistoryNote, width, th)
	return stacked(len(head), min(max(p.IPs.N, 1), maxStackedIPs)+1, len(whois), len(hist), height)
}

func stacked(head, ips, whois, hist, height int) bool {
	return height-head-1 >= ips+whois+hist+5
}

// domainHead is the verdict, name and facts above the lower sections.
func domainHead(p DomainPage, width, lw int, th Theme) []string {
	d := p.Domain

	all := append(append([]cloudflare.RiskType(nil), d.RiskTypes...), d.InheritedRiskTypes...)
	sev := maxSeverity(all)
	names := riskNames(d.RiskTypes)
	if len(d.InheritedRiskTypes) > 0 {
		from := ""
		if f := Sanitize(d.InheritedFrom); f != "" {
			from = " (inherited from " + f + ")"
		}
		for _, n := range riskNames(d.InheritedRiskTypes) {
			names = append(names, n+from)
		}
	}
	var v string
	if sev == SevNone && d.RiskScore >= 0.7 {
		v = paint(th.SevMedium, "! SUSPICIOUS — risk score "+strconv.FormatFloat(d.RiskScore, 'f', 2, 64))
	} else {
		v = verdict(sev, names, th)
	}
	lines := []string{clip(v, width)}

	// Name line with the NEW flag.
	name := Hyperlink(p.Dashboard, paint(th.Title, Sanitize(d.Domain)), th)
	if u := Sanitize(p.Unicode); u != "" {
		name += "  " + paint(th.Value, u)
	}
	created, isNew := whoisAge(p.Whois, p.Now)
	if isNew {
		name += "  " + paint(th.New, " NEW ") + " " + paint(th.Warn, "registered "+ago(created, p.Now))
	}
	lines = append(lines, clip(name, width))
	for _, lw := range p.Lookalikes {
		lines = append(lines, wrapStyled(paint(th.Warn, "⚠ "+Sanitize(lw)), width)...)
	}
	lines = append(lines, "")

	lines = append(lines, kv("Risk score", gauge(d.RiskScore, min(20, max(width-lw-6, 0)), th), lw, width, th)...)
	lines = append(lines, inheritedLines("Risk types", d.RiskTypes, d.InheritedRiskTypes, d.InheritedFrom, true, lw, width, th)...)
	lines = append(lines, inheritedLines("Categories", d.ContentCategories, d.InheritedContentCategories, d.InheritedFrom, false, lw, width, th)...)
	rank := paint(th.Muted, "not ranked")
	if d.PopularityRank > 0 {
		rank = paint(th.Value, "#"+thousands(d.PopularityRank))
	}
	lines = append(lines, kv("Popularity", rank, lw, width, th)...)
	if d.Application != nil && Sanitize(d.Application.Name) != "" {
		lines = append(lines, kv("Application", paint(th.Value, Sanitize(d.Application.Name)), lw, width, th)...)
	}
	if d.AdditionalInformation != nil {
		if m := Sanitize(d.AdditionalInformation.SuspectedMalwareFamily); m != "" {
			lines = append(lines, kv("Malware", paint(th.SevHigh, m), lw, width, th)...)
		}
	}

	return lines
}
