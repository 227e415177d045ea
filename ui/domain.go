package ui

import (
	"context"
	"errors"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/views"
)

type (
	domainMsg struct {
		ov  actions.DomainOverview
		chg *actions.ChangeReport
		err error
	}
	whoisMsg struct {
		part actions.WhoisPart
		chg  *actions.ChangeReport
	}
	historyMsg struct{ part actions.HistoryPart }
)

type domainBody struct {
	name string
	idn  actions.IDN // the name's Unicode form and lookalike labels
	d    *cloudflare.Domain
	main part

	whois   *cloudflare.Whois // nil: no record (or not loaded)
	whoisP  part
	history []cloudflare.DomainHistory
	histP   part

	list    pane.List // resolving IPs
	section int

	memo      memo // cached label, changes (ui/memo.go)
	ex, whoEx *cloudflare.Exchange
}

func newDomainBody(name string) *domainBody {
	return &domainBody{name: name, idn: actions.DomainIDN(name)}
}

func (b *domainBody) Kind() pane.Kind           { return pane.KindDomain }
func (b *domainBody) Crumb() string             { return "domain " + b.name }
func (b *domainBody) Capturing() bool           { return false }
func (b *domainBody) Escape(*pane.Context) bool { return false }
func (b *domainBody) Failed() bool              { return b.d == nil && b.main.err != nil }

func (b *domainBody) Start(ctx *pane.Context) tea.Cmd {
	// A refresh keeps what is on screen until the new answers replace it.
	name := b.name
	b.main.start()
	b.whoisP.start()
	b.histP.start()
	return tea.Batch(
		ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
			ov, err := actions.LookupDomainOverview(c, cl, name)
			return domainMsg{ov, actions.ChangesOf(ov.Exchange, ov.Domain, actions.DomainChanges), err}
		}),
		ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
			p := actions.LookupWhois(c, cl, name)
			return whoisMsg{p, actions.DomainResult{Whois: &p}.Changes()}
		}),
		ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
			return historyMsg{actions.LookupHistory(c, cl, name)}
		}),
	)
}

func (b *domainBody) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case domainMsg:
		b.d = nil
		b.ex, b.memo.reports[0] = msg.ov.Exchange, msg.chg
		b.memo.took(msg.ov.Exchange)
		b.main.finish(msg.err)
		if msg.err == nil {
			b.d = &msg.ov.Domain
		}
		b.Resize(ctx)
		return b.wantVerdicts(ctx)
	case whoisMsg:
		b.whoEx, b.memo.reports[1] = msg.part.Exchange, msg.chg
		b.whoisP.finish(msg.part.Err)
		b.whois = msg.part.Record
	case historyMsg:
		b.histP.finish(msg.part.Err)
		b.history = msg.part.History
	case tea.KeyPressMsg:
		if b.list.Move(ctx, msg, len(b.ips())) {
			b.section = views.SectionIPs // moving in the list shows it
			return b.wantVerdicts(ctx)
		}
	}
	return nil
}

// wantVerdicts asks for the intel verdicts of the resolving IPs on screen.
func (b *domainBody) wantVerdicts(ctx *pane.Context) tea.Cmd {
	var items []indicator.Found
	ips := b.ips()
	for i := b.list.Offset; i < min(len(ips), b.list.Offset+ctx.ListHeight+2); i++ {
		if a, err := indicator.NormalizeIP(ips[i].Value); err == nil && ctx.Verdict(string(indicator.TypeIP), a.String()) == "" {
			items = append(items, indicator.Found{Type: indicator.TypeIP, Value: a.String(), Addr: a})
		}
	}
	if len(items) == 0 {
		return nil
	}
	return pane.Emit(pane.WantVerdictsMsg{Items: items})
}

func ipVerdict(ctx *pane.Context, v string) string {
	if a, err := indicator.NormalizeIP(v); err == nil {
		return ctx.Verdict(string(indicator.TypeIP), a.String())
	}
	return ""
}

func (b *domainBody) ips() []cloudflare.Ref {
	if b.d == nil {
		return nil
	}
	return b.d.ResolvesToRefs
}

func (b *domainBody) Resize(ctx *pane.Context) { b.list.Fit(len(b.ips()), ctx.ListHeight) }

func (b *domainBody) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	ips := b.ips()
	stacked := views.DomainStacked(b.page(ctx), ctx.Width, ctx.Height, ctx.Theme)
	open := k.Open.As("open IP").Does(func() tea.Cmd {
		if b.section != views.SectionIPs && !stacked {
			// The list is hidden behind WHOIS or history: show it rather
			// than open an IP the analyst cannot see.
			b.section = views.SectionIPs
			return nil
		}
		return pane.Emit(pane.OpenMsg{Text: ips[b.list.Cursor].Value, Want: indicator.IP})
	})
	switch {
	case len(ips) == 0:
		open.Why = "no resolving IPs"
	case b.section != views.SectionIPs && !stacked:
		open = open.As("show IPs")
	}
	section := k.Section.Does(func() tea.Cmd {
		b.section = (b.section + 1) % len(views.DomainSections)
		return nil
	})
	if stacked {
		section.Why = "all sections are on screen"
	}
	cp := k.Copy.As("copy IP").Does(func() tea.Cmd {
		if len(ips) > 0 && (b.section == views.SectionIPs || stacked) {
			return pane.Copy(ips[b.list.Cursor].Value)
		}
		return pane.Copy(b.name)
	})
	if len(ips) == 0 || (b.section != views.SectionIPs && !stacked) {
		cp = cp.As("copy domain")
	}
	return append(listBindings(ctx), open, section, cp)
}

func (b *domainBody) page(ctx *pane.Context) views.DomainPage {
	ips := b.ips()
	pg := views.DomainPage{
		Domain:  b.d,
		Loading: b.d == nil && b.main.loading,
		Err:     errText(b.main.err),
		Unicode: b.idn.Unicode,
		IPs: views.Table{
			Columns: []views.Column{{Title: "Resolving IP", Min: 15}, {Title: "Intel", Width: 7}},
			N:       len(ips),
			Row:     func(i int) []string { return []string{ips[i].Value, ipVerdict(ctx, ips[i].Value)} },
			Style: func(i, col int) lipStyle {
				if col == 1 {
					return views.VerdictStyle(ipVerdict(ctx, ips[i].Value), ctx.Theme)
				}
				return ctx.Theme.Value
			},
			Cursor:  b.list.Cursor,
			Offset:  b.list.Offset,
			Focused: ctx.Focused,
			Empty:   "no resolving IPs known",
		},
		Whois:       b.whois,
		WhoisNote:   b.whoisNote(),
		History:     b.history,
		HistoryNote: b.histNote(),
		Now:         ctx.Now(),
		Section:     b.section,
		Dashboard:   dashboardURL(ctx),
	}
	for _, lw := range b.idn.Warnings {
		pg.Lookalikes = append(pg.Lookalikes, lw.Text())
	}
	return pg
}

func (b *domainBody) whoisNote() string {
	switch {
	case b.whoisP.loading || b.whoisP.err != nil:
		return b.whoisP.note()
	case b.whois == nil:
		return "no WHOIS record found" // the shared flow's one rule
	}
	return ""
}

func (b *domainBody) histNote() string {
	if b.histP.loading || b.histP.err != nil {
		return b.histP.note()
	}
	if len(b.history) == 0 {
		return "no category history"
	}
	return ""
}

func (b *domainBody) View(ctx *pane.Context) string {
	p := b.page(ctx)
	if p.WhoisNote != "" {
		p.Whois = nil // the note says why there is no record to show
	}
	return b.memo.view(ctx, func(h int) string { return views.RenderDomain(p, ctx.Width, h, ctx.Theme) })
}

// Pin is the overview and the WHOIS record on screen (c).
func (b *domainBody) Pin() (pane.Pin, string) {
	if b.d == nil {
		return pane.Pin{}, "no answer on screen yet"
	}
	return pane.Pin{Kind: actions.KindDomain, Indicator: b.name, Answers: answered(b.ex, b.whoEx)}, ""
}

func (b *domainBody) StopLoading() bool {
	b.whoisP.stop()
	b.histP.stop()
	b.main.stop()
	return b.d != nil || (b.main.err != nil && !errors.Is(b.main.err, errCanceled))
}
