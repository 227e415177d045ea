package views

import (
	"strconv"

	"cftriage/actions"
	"cftriage/cloudflare"
)

// ASNPage is the pane an ASN lookup opens: what the ASN overview says
// (name, country, type, domains — when the answer carries them) and the
// ASN's announced subnets.
type ASNPage struct {
	ASN     int
	Info    *cloudflare.ASNInfo // the overview; nil while loading or when it failed
	InfoErr string              // why the overview is missing; the subnets stay
	Subnets *cloudflare.ASNSubnets
	Loading bool   // the subnets are loading
	Err     string // why the subnets are missing
	List    Table  // the subnets
}

// topDomainLines caps the top domains at two lines (the API lists up to
// ten; the rest is said, not cut silently).
const topDomainLines = 2

// RenderASN draws the ASN pane into exactly width×height.
func RenderASN(p ASNPage, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Subnets == nil && (p.Info == nil || p.Err != "") {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	lw := min(labelW, max(width/4, 1))
	title := paint(th.Title, "AS"+strconv.Itoa(p.ASN))
	if in := p.Info; in != nil && Sanitize(in.Description) != "" {
		title += "  " + paint(th.Value, Sanitize(in.Description))
	}
	lines := []string{clip(title, width)}
	if in := p.Info; in != nil {
		var more []string
		if c := Sanitize(in.Country); c != "" {
			more = append(more, paint(th.Value, c))
		}
		if t := Sanitize(in.Type); t != "" {
			more = append(more, paint(th.Muted, "type ")+paint(th.Value, t))
		}
		if len(more) > 0 {
			lines = append(lines, kvLines("Country", more, "  ", lw, width, th)...)
		}
		if in.DomainCount != nil || len(in.TopDomains) > 0 {
			lines = append(lines, domainLines(in, lw, width, th)...)
		}
	}
	if p.InfoErr != "" {
		lines = append(lines, kv("Overview", paint(th.Muted, "unavailable: "+Sanitize(p.InfoErr)), lw, width, th)...)
	}
	if p.Subnets == nil {
		lines = append(lines, kv("Subnets", paint(th.Muted, "loading…"), lw, width, th)...)
		return block(lines, width, height)
	}
	lines = append(lines, kv("Subnets", paint(th.Value, actions.SubnetSummary(p.Subnets)), lw, width, th)...)
	lines = append(lines, "")
	lines = append(lines, splitLines(p.List.Render(width, height-len(lines), th))...)
	return block(lines, width, height)
}

// domainLines is "Domains  291 · top: a.example, b.example, +8 more", the
// top domains cut to topDomainLines lines with the rest counted.
func domainLines(in *cloudflare.ASNInfo, lw, width int, th Theme) []string {
	head := ""
	if in.DomainCount != nil {
		head = paint(th.Value, thousands(*in.DomainCount))
	}
	top := make([]string, 0, len(in.TopDomains))
	for _, d := range in.TopDomains {
		top = append(top, paint(th.Value, Sanitize(d)))
	}
	build := func(n int) []string {
		pieces := []string{head}
		if n > 0 {
			lead := paint(th.Muted, "top: ") + top[0]
			if head != "" {
				lead = head + paint(th.Muted, " · top: ") + top[0]
			}
			pieces = append([]string{lead}, top[1:n]...)
		}
		if n < len(top) {
			pieces = append(pieces, paint(th.Muted, "+"+thousands(len(top)-n)+" more"))
		}
		if pieces[0] == "" {
			pieces = pieces[1:]
		}
		return kvLines("Domains", pieces, paint(th.Muted, ", "), lw, width, th)
	}
	for n := len(top); n > 0; n-- {
		if out := build(n); len(out) <= topDomainLines {
			return out
		}
	}
	return limit(build(0), topDomainLines, th)
}
