package views

import (
	"net/netip"
	"strconv"
	"strings"

	"cftriage/cloudflare"
)

// IPPage is everything the IP pane shows.
type IPPage struct {
	Info    *cloudflare.IPInfo // nil while loading
	Loading bool
	Err     string // the client's explanation

	PDNS     Table  // associated domains (hostname, first seen, last seen)
	PDNSNote string // "passive DNS covers IPv4 only", "page 1 of 3 · 250 records", loading/error text

	// Special, when set, says the address is private, loopback, … and
	// that Cloudflare's intel cannot know it: the verdict is then no
	// verdict.
	Special string

	Subnets     *cloudflare.ASNSubnets // shown when non-nil
	SubnetsNote string                 // shown when non-empty (loading, error)

	// Dashboard, when set, makes the IP an OSC 8 link to that URL
	// (see DashboardURL); only where the theme allows links.
	Dashboard string
}

const labelW = 12

// RenderIP draws the IP pane into exactly width×height: verdict, the
// IP's network, its risk types, passive DNS and (on demand) the ASN's
// subnets.
func RenderIP(p IPPage, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Info == nil {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	in := p.Info
	lw := min(labelW, max(width/4, 1))
	var lines []string
	if sev := maxSeverity(in.RiskTypes); sev == SevNone && p.Special != "" {
		// "No known risk" would read as a verdict on an address the
		// intel cannot know.
		lines = append(lines, clip(paint(th.Warn, "? NO VERDICT"), width))
	} else {
		lines = append(lines, clip(verdict(sev, riskNames(in.RiskTypes), th), width))
	}
	if p.Special != "" {
		lines = append(lines, wrapMuted(Sanitize(p.Special), width, th)...)
	}
	lines = append(lines, "")

	ip := Sanitize(in.IP)
	ver := ""
	if a, err := netip.ParseAddr(strings.TrimSpace(in.IP)); err == nil {
		ver = "IPv4"
		if a.Is6() && !a.Is4In6() {
			ver = "IPv6"
		}
	}
	lines = append(lines, kvLines("IP", []string{Hyperlink(p.Dashboard, paint(th.Title, ip), th), paint(th.Muted, ver)}, "  ", lw, width, th)...)
	if b := in.BelongsTo; b != nil {
		asn := Sanitize(b.Value)
		if asn != "" && !strings.HasPrefix(strings.ToUpper(asn), "AS") {
			asn = "AS" + asn
		}
		lines = append(lines, kvLines("ASN", nonEmpty(paint(th.Value, asn), paint(th.Value, Sanitize(b.Description))), "  ", lw, width, th)...)
		var more []string
		if c := Sanitize(b.Country); c != "" {
			more = append(more, paint(th.Value, c))
		}
		if t := Sanitize(b.Type); t != "" {
			more = append(more, paint(th.Muted, "type ")+paint(th.Value, t))
		}
		if len(more) > 0 {
			lines = append(lines, kvLines("Country", more, "  ", lw, width, th)...)
		}
	} else {
		lines = append(lines, kv("ASN", paint(th.Muted, "unknown"), lw, width, th)...)
	}
	if len(in.RiskTypes) > 0 {
		lines = append(lines, kvLines("Risk types", riskList(in.RiskTypes, th), " · ", lw, width, th)...)
	} else {
		lines = append(lines, kv("Risk types", paint(th.Muted, "none"), lw, width, th)...)
	}

	// Subnets go at the bottom, at most a quarter of the height.
	var sub []string
	if p.Subnets != nil || p.SubnetsNote != "" {
		sub = subnetLines(p.Subnets, p.SubnetsNote, width, max(2, height/4), th)
	}

	lines = append(lines, "", sectionTitle("Associated domains", pdnsNote(p), width, th))
	tableH := height - len(lines) - len(sub)
	if tableH < 2 && len(sub) > 0 {
		// Not enough room for both: the table wins.
		sub = nil
		tableH = height - len(lines)
	}
	if tableH > 0 {
		lines = append(lines, splitLines(p.PDNS.Render(width, tableH, th))...)
	}
	lines = append(lines, sub...)
	return block(lines, width, height)
}

// wrapMuted wraps plain text to width, each line muted.
func wrapMuted(s string, width int, th Theme) []string {
	lines := wrap(s, width)
	for i, l := range lines {
		lines[i] = paint(th.Muted, l)
	}
	return lines
}

func pdnsNote(p IPPage) string {
	if p.PDNSNote != "" {
		return p.PDNSNote
	}
	return "passive DNS"
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// subnetLines is the ASN subnets section, at most maxLines lines.
func subnetLines(s *cloudflare.ASNSubnets, note string, width, maxLines int, th Theme) []string {
	title := "ASN subnets"
	var info []string
	if s != nil {
		title = "AS" + strconv.Itoa(s.ASN) + " subnets"
		info = append(info, thousands(s.Count)+" prefixes", thousands(s.IPCountTotal)+" IPs")
	}
	if note != "" {
		info = append(info, note)
	}
	out := []string{"", sectionTitle(title, strings.Join(info, " · "), width, th)}
	if s == nil || len(s.Subnets) == 0 {
		if s != nil {
			out = append(out, paint(th.Muted, "no subnets"))
		}
		return out
	}
	// Pack prefixes into lines; only what fits is formatted.
	var cur []string
	curW := 0
	shown := 0
	for _, n := range s.Subnets {
		n = Sanitize(n)
		w := len([]rune(n))
		if curW > 0 && curW+2+w > width {
			out = append(out, strings.Join(cur, "  "))
			cur, curW = nil, 0
			if len(out) >= maxLines {
				break
			}
		}
		if curW > 0 {
			curW += 2
		}
		cur = append(cur, n)
		curW += w
		shown++
	}
	if len(cur) > 0 && len(out) < maxLines {
		out = append(out, strings.Join(cur, "  "))
	} else if len(cur) > 0 {
		shown -= len(cur)
	}
	if shown < len(s.Subnets) && len(out) > 2 {
		more := paint(th.Muted, "+"+thousands(len(s.Subnets)-shown)+" more")
		last := out[len(out)-1]
		out[len(out)-1] = clip(last, max(0, width-len("+"+thousands(len(s.Subnets)-shown)+" more")-2)) + "  " + more
	}
	return out
}
