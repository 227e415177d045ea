package ui

import (
	"context"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/views"
)

type domainBody struct {
	name string
	d    *cloudflare.Domain
	err  string

	whois     *cloudflare.Whois
	whoisNote string
	history   []cloudflare.DomainHistory
	histNote  string

	list    listState // resolving IPs
	section int
}

func newDomainPage(name string) *page {
	return &page{kind: kindDomain, body: &domainBody{name: name}}
}

func (b *domainBody) crumb() string { return "domain " + b.name }

func (b *domainBody) start(m *Model, p *page) []tea.Cmd {
	// A refresh keeps what is on screen until the new answers replace it.
	if b.whois == nil {
		b.whoisNote = "loading…"
	}
	if b.history == nil {
		b.histNote = "loading…"
	}
	name := b.name
	return []tea.Cmd{
		m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
			d, _, err := c.DomainOverview(ctx, name)
			return func(m *Model) tea.Cmd {
				b.d, b.err = nil, ""
				if err != nil {
					b.err = errText(err)
				} else {
					b.d = &d
				}
				b.clamp(m)
				return nil
			}
		}),
		m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
			w, _, err := c.Whois(ctx, name)
			return func(*Model) tea.Cmd {
				b.whois = nil
				switch {
				case err != nil:
					b.whoisNote = errText(err)
				case !w.Found && w.Registrar == "" && w.CreatedDate == "":
					b.whoisNote = "no WHOIS record found"
				default:
					b.whoisNote = ""
					b.whois = &w
				}
				return nil
			}
		}),
		m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
			h, _, err := c.DomainHistory(ctx, name)
			return func(*Model) tea.Cmd {
				b.history = nil
				switch {
				case err != nil:
					b.histNote = errText(err)
				case len(h) == 0:
					b.histNote = "no category history"
				default:
					b.histNote = ""
					b.history = h
				}
				return nil
			}
		}),
	}
}

func (b *domainBody) ips() []cloudflare.Ref {
	if b.d == nil {
		return nil
	}
	return b.d.ResolvesToRefs
}

func (b *domainBody) key(m *Model, p *page, msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	ips := b.ips()
	if b.list.move(m, msg, len(ips)) {
		b.section = views.SectionIPs // moving in the list shows it
		return nil
	}
	switch {
	case key.Matches(msg, k.Section.Binding):
		b.section = (b.section + 1) % len(views.DomainSections)
	case key.Matches(msg, k.Open.Binding):
		if b.section != views.SectionIPs {
			// The list may be hidden behind WHOIS or history: show it
			// rather than open an IP the analyst cannot see.
			b.section = views.SectionIPs
			return nil
		}
		if len(ips) > 0 {
			return m.openText(ips[b.list.cursor].Value, indicator.IP)
		}
	}
	return nil
}

func (b *domainBody) clamp(m *Model) { b.list.fit(len(b.ips()), m.listHeight()) }

func (b *domainBody) copyValue() string {
	if ips := b.ips(); len(ips) > 0 && b.section == views.SectionIPs {
		return ips[b.list.cursor].Value
	}
	return b.name
}

func (b *domainBody) hints(m *Model) []Binding {
	open := m.keys.Open
	open.SetHelp("enter", "open IP")
	switch {
	case len(b.ips()) == 0:
		open.Why = "no resolving IPs"
	case b.section != views.SectionIPs:
		open.SetHelp("enter", "show resolving IPs")
	}
	return []Binding{open, m.keys.Section}
}

func (b *domainBody) render(m *Model, p *page, w, h int) string {
	ips := b.ips()
	return views.RenderDomain(views.DomainPage{
		Domain:  b.d,
		Loading: b.d == nil && b.err == "" && p.pending > 0,
		Err:     b.err,
		IPs: views.Table{
			Columns: []views.Column{{Title: "Resolving IP", Min: 15}},
			N:       len(ips),
			Row:     func(i int) []string { return []string{ips[i].Value} },
			Cursor:  b.list.cursor,
			Offset:  b.list.offset,
			Focused: m.focus == focusPage,
			Empty:   "no resolving IPs known",
		},
		Whois:       b.whois,
		WhoisNote:   b.whoisNote,
		History:     b.history,
		HistoryNote: b.histNote,
		Now:         m.opts.Now(),
		Section:     b.section,
		Dashboard:   m.dashboardURL(),
	}, w, h, m.th)
}

func (b *domainBody) stopLoading() bool {
	if b.whois == nil && b.whoisNote == "loading…" {
		b.whoisNote = "canceled"
	}
	if b.history == nil && b.histNote == "loading…" {
		b.histNote = "canceled"
	}
	return b.d != nil || b.err != ""
}
