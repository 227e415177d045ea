package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/ui/pane"
	"cftriage/views"
)

// asnMsg is the ASN lookup: subnets, and the overview apart.
type asnMsg struct {
	res actions.ASNResult
	err error
}

// asnBody is the page an ASN typed in the omnibox opens: its subnets and
// what the ASN overview says about it (actions.LookupASN, as `cftriage
// asn`). The overview failing leaves the subnets on screen, with a note.
type asnBody struct {
	asn     int
	info    *cloudflare.ASNInfo
	infoErr error
	subnets *cloudflare.ASNSubnets
	main    part
	list    pane.List

	memo memo // cached label (ui/memo.go)
	exs  []*cloudflare.Exchange
}

func newASNBody(asn int) *asnBody { return &asnBody{asn: asn} }

func (b *asnBody) Kind() pane.Kind           { return pane.KindASN }
func (b *asnBody) Crumb() string             { return "asn AS" + strconv.Itoa(b.asn) }
func (b *asnBody) Capturing() bool           { return false }
func (b *asnBody) Escape(*pane.Context) bool { return false }
func (b *asnBody) Failed() bool              { return b.subnets == nil && b.main.err != nil }

func (b *asnBody) Start(ctx *pane.Context) tea.Cmd {
	asn := b.asn
	b.main.start()
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		res, err := actions.LookupASN(c, cl, asn)
		return asnMsg{res, err}
	})
}

func (b *asnBody) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case asnMsg:
		b.info, b.infoErr, b.subnets = nil, nil, nil
		b.main.finish(msg.err)
		b.memo.took(msg.res.Exchange)
		b.exs = answered(msg.res.InfoExchange, msg.res.Exchange)
		if msg.err == nil {
			b.subnets = &msg.res.Subnets
			if msg.res.InfoErr != nil {
				b.infoErr = msg.res.InfoErr
			} else {
				b.info = &msg.res.Info
			}
		}
		b.Resize(ctx)
	case tea.KeyPressMsg:
		b.list.Move(ctx, msg, b.n())
	}
	return nil
}

func (b *asnBody) n() int {
	if b.subnets == nil {
		return 0
	}
	return len(b.subnets.Subnets)
}

func (b *asnBody) Resize(ctx *pane.Context) { b.list.Fit(b.n(), ctx.ListHeight) }

func (b *asnBody) Bindings(ctx *pane.Context) []Binding {
	cp := ctx.Keys.Copy.As("copy subnet").Does(func() tea.Cmd {
		if b.n() > 0 {
			return pane.Copy(b.subnets.Subnets[b.list.Cursor])
		}
		return pane.Copy("AS" + strconv.Itoa(b.asn))
	})
	if b.n() == 0 {
		cp = cp.As("copy ASN")
	}
	return append(listBindings(ctx), cp)
}

func (b *asnBody) View(ctx *pane.Context) string {
	pg := views.ASNPage{ASN: b.asn, Info: b.info, InfoErr: errText(b.infoErr), Subnets: b.subnets,
		Err: errText(b.main.err), Loading: b.subnets == nil && b.main.loading}
	pg.List = views.Table{
		Columns: []views.Column{{Title: "Subnet", Min: 18}},
		N:       b.n(),
		Row:     func(i int) []string { return []string{b.subnets.Subnets[i]} },
		Cursor:  b.list.Cursor,
		Offset:  b.list.Offset,
		Focused: ctx.Focused,
		Empty:   fmt.Sprintf("no subnets known for AS%d", b.asn),
	}
	return b.memo.view(ctx, func(h int) string { return views.RenderASN(pg, ctx.Width, h, ctx.Theme) })
}

// Pin is the ASN overview and subnets on screen (c).
func (b *asnBody) Pin() (pane.Pin, string) {
	if b.subnets == nil {
		return pane.Pin{}, "no answer on screen yet"
	}
	return pane.Pin{Kind: actions.KindASN, Indicator: strconv.Itoa(b.asn), Answers: b.exs}, ""
}

func (b *asnBody) StopLoading() bool {
	b.main.stop()
	return b.subnets != nil || (b.main.err != nil && !errors.Is(b.main.err, errCanceled))
}
