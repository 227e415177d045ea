package ui

import (
	"context"
	"fmt"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

// asnBody is the page an ASN typed in the omnibox opens: its subnets and
// what the ASN overview says about it (actions.LookupASN, as `cftriage
// asn`). The overview failing leaves the subnets on screen, with a note.
type asnBody struct {
	asn     int
	info    *cloudflare.ASNInfo
	infoErr string
	subnets *cloudflare.ASNSubnets
	err     string
	list    listState
}

func newASNPage(asn int) *page { return &page{kind: kindASN, body: &asnBody{asn: asn}} }

func (b *asnBody) crumb() string { return "asn AS" + strconv.Itoa(b.asn) }

func (b *asnBody) start(m *Model, p *page) []tea.Cmd {
	asn := b.asn
	return []tea.Cmd{m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
		res, err := actions.LookupASN(ctx, c, asn)
		return func(m *Model) tea.Cmd {
			b.info, b.infoErr, b.subnets, b.err = nil, "", nil, ""
			switch {
			case err != nil:
				b.err = errText(err)
			case res.InfoErr != nil:
				b.infoErr = errText(res.InfoErr)
				b.subnets = &res.Subnets
			default:
				b.info, b.subnets = &res.Info, &res.Subnets
			}
			b.clamp(m)
			return nil
		}
	})}
}

func (b *asnBody) n() int {
	if b.subnets == nil {
		return 0
	}
	return len(b.subnets.Subnets)
}

func (b *asnBody) key(m *Model, p *page, msg tea.KeyPressMsg) tea.Cmd {
	b.list.move(m, msg, b.n())
	return nil
}

func (b *asnBody) clamp(m *Model) { b.list.fit(b.n(), m.listHeight()) }

func (b *asnBody) copyValue() string {
	if b.n() > 0 {
		return b.subnets.Subnets[b.list.cursor]
	}
	return "AS" + strconv.Itoa(b.asn)
}

func (b *asnBody) hints(m *Model) []Binding { return nil }

func (b *asnBody) render(m *Model, p *page, w, h int) string {
	pg := views.ASNPage{ASN: b.asn, Info: b.info, InfoErr: b.infoErr, Subnets: b.subnets, Err: b.err,
		Loading: b.subnets == nil && b.err == "" && p.pending > 0}
	pg.List = views.Table{
		Columns: []views.Column{{Title: "Subnet", Min: 18}},
		N:       b.n(),
		Row:     func(i int) []string { return []string{b.subnets.Subnets[i]} },
		Cursor:  b.list.cursor,
		Offset:  b.list.offset,
		Focused: m.focus == focusPage,
		Empty:   fmt.Sprintf("no subnets known for AS%d", b.asn),
	}
	return views.RenderASN(pg, w, h, m.th)
}

func (b *asnBody) stopLoading() bool { return b.subnets != nil || b.err != "" }
