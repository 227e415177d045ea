package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/views"
)

// pdnsPerPage is how many passive-DNS records one request brings (the
// shared flow's page size); more pages load as the cursor reaches the end.
const pdnsPerPage = actions.PDNSPerPage

// pdnsWindows are the passive-DNS windows `t` cycles through, in days; 0
// is the API's default (the last 30 days).
var pdnsWindows = []int{0, 90, 365}

// errCanceled marks a part the analyst stopped loading.
var errCanceled = errors.New("canceled")

// part is one separately loaded part of a pane: loading, an error
// (typed, explained only when rendered), or done.
type part struct {
	loading bool
	err     error
}

func (p *part) start()         { p.loading, p.err = true, nil }
func (p *part) finish(e error) { p.loading, p.err = false, e }

// note is the part's state as a sentence, "" when it is done.
func (p part) note() string {
	switch {
	case p.loading:
		return "loading…"
	case p.err != nil:
		return errText(p.err)
	}
	return ""
}

// stop marks a loading part canceled.
func (p *part) stop() {
	if p.loading {
		p.finish(errCanceled)
	}
}

type (
	ipOverviewMsg struct {
		ov  actions.IPOverview
		chg *actions.ChangeReport
		err error
	}
	pdnsMsg struct {
		seq int // the window it was asked for (ipBody.pdnsSeq)
		res actions.PDNSPage
		chg *actions.ChangeReport // the first page's, against the one kept
		err error
	}
	subnetsMsg struct {
		res cloudflare.ASNSubnets
		err error
	}
)

// errNoOverview is an empty answer to an IP overview.
type errNoOverview struct{ ip string }

func (e errNoOverview) Error() string { return "Cloudflare returned no overview for " + e.ip }

type ipBody struct {
	ind     indicator.Indicator
	info    *cloudflare.IPInfo
	main    part
	special *actions.SpecialAddress // private, loopback, …: the intel cannot know it

	window    int // index into pdnsWindows
	pdnsSeq   int // bumped when the window changes: pages of the old one are dropped
	recs      []cloudflare.ReverseRecord
	pdnsTotal int
	pdnsPage  int  // last page loaded
	pdnsNext  bool // the API has a further page
	pdns      part
	list      pane.List

	subnets  *cloudflare.ASNSubnets
	subnetsP part

	memo       memo // cached label, changes (ui/memo.go)
	ex, pdnsEx *cloudflare.Exchange
}

func newIPBody(ind indicator.Indicator) *ipBody {
	b := &ipBody{ind: ind}
	if sp, ok := actions.SpecialPurpose(ind.Addr); ok {
		b.special = &sp
	}
	return b
}

func (b *ipBody) Kind() pane.Kind           { return pane.KindIP }
func (b *ipBody) Crumb() string             { return "ip " + b.ind.Value }
func (b *ipBody) Capturing() bool           { return false }
func (b *ipBody) Escape(*pane.Context) bool { return false }
func (b *ipBody) Failed() bool              { return b.info == nil && b.main.err != nil }

func (b *ipBody) v4() bool { return b.ind.Addr.Is4() || b.ind.Addr.Is4In6() }

func (b *ipBody) Start(ctx *pane.Context) tea.Cmd {
	// A refresh keeps what is on screen until the new answers replace it.
	addr := b.ind.Addr
	b.main.start()
	cmds := []tea.Cmd{ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		ov, err := actions.LookupIPOverview(c, cl, addr)
		return ipOverviewMsg{ov, actions.ChangesOf(ov.Exchange, ov.Infos, actions.IPChanges), err}
	})}
	if b.v4() {
		cmds = append(cmds, b.loadPDNS(ctx, 1))
	}
	return tea.Batch(cmds...)
}

func (b *ipBody) loadPDNS(ctx *pane.Context, pageNo int) tea.Cmd {
	b.pdns.start()
	addr, w, seq := b.ind.Addr.Unmap(), b.pdnsWindow(ctx), b.pdnsSeq
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		res, err := actions.PassiveDNSPage(c, cl, addr, w, pageNo)
		var chg *actions.ChangeReport
		if pageNo == 1 && err == nil {
			chg = actions.ChangesOf(res.Exchange, cloudflare.PassiveDNS{Count: res.Total, Page: 1, ReverseRecords: res.Records}, actions.PassiveDNSChanges)
		}
		return pdnsMsg{seq, res, chg, err}
	})
}

func (b *ipBody) pdnsWindow(ctx *pane.Context) actions.PDNSWindow {
	if d := pdnsWindows[b.window]; d > 0 {
		return actions.LastDays(d, ctx.Now())
	}
	return actions.PDNSWindow{}
}

// windowDays is the shown window's length in days.
func (b *ipBody) windowDays() int {
	if d := pdnsWindows[b.window]; d > 0 {
		return d
	}
	return actions.PDNSDefaultDays
}

func (b *ipBody) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ipOverviewMsg:
		b.info = nil
		b.ex, b.memo.reports[0] = msg.ov.Exchange, msg.chg
		b.memo.took(msg.ov.Exchange)
		switch {
		case msg.err != nil:
			b.main.finish(msg.err)
		case len(msg.ov.Infos) == 0:
			b.main.finish(errNoOverview{b.ind.Value})
		default:
			b.main.finish(nil)
			b.info = &msg.ov.Infos[0]
		}
	case pdnsMsg:
		if msg.seq != b.pdnsSeq {
			return nil // a page of the window before `t`
		}
		if msg.err != nil {
			b.pdns.finish(msg.err)
			return nil
		}
		b.pdns.finish(nil)
		if msg.res.Page == 1 {
			b.recs = nil // a refresh starts the list again
			b.pdnsEx, b.memo.reports[1] = msg.res.Exchange, msg.chg
		}
		b.pdnsPage = msg.res.Page
		b.pdnsTotal = msg.res.Total
		b.pdnsNext = msg.res.More
		b.recs = append(b.recs, msg.res.Records...)
		b.Resize(ctx)
		return b.wantVerdicts(ctx)
	case subnetsMsg:
		if msg.err != nil {
			b.subnetsP.finish(msg.err)
			return nil
		}
		b.subnetsP.finish(nil)
		b.subnets = &msg.res
	case tea.KeyPressMsg:
		if b.list.Move(ctx, msg, len(b.recs)) {
			if b.list.AtEnd(len(b.recs)) && b.morePDNS() {
				return tea.Batch(b.loadPDNS(ctx, b.pdnsPage+1), b.wantVerdicts(ctx))
			}
			return b.wantVerdicts(ctx)
		}
	}
	return nil
}

// wantVerdicts asks for the intel verdicts of the hostnames on screen
// (the root looks them up in bulk, within its per-screen budget).
func (b *ipBody) wantVerdicts(ctx *pane.Context) tea.Cmd {
	var items []indicator.Found
	for i := b.list.Offset; i < min(len(b.recs), b.list.Offset+ctx.ListHeight+2); i++ {
		h := b.recs[i].Hostname
		if ctx.Verdict(string(indicator.TypeDomain), h) != "" {
			continue
		}
		if d, err := indicator.NormalizeDomain(h); err == nil && d == h {
			items = append(items, indicator.Found{Type: indicator.TypeDomain, Value: d})
		}
	}
	if len(items) == 0 {
		return nil
	}
	return pane.Emit(pane.WantVerdictsMsg{Items: items})
}

func (b *ipBody) morePDNS() bool {
	return b.v4() && !b.pdns.loading && b.pdns.err == nil && b.pdnsPage > 0 && b.pdnsNext
}

func (b *ipBody) asn() (int, bool) {
	if b.info == nil || b.info.BelongsTo == nil {
		return 0, false
	}
	n, err := indicator.ParseASN(b.info.BelongsTo.Value)
	return n, err == nil
}

func (b *ipBody) Resize(ctx *pane.Context) { b.list.Fit(len(b.recs), ctx.ListHeight) }

func (b *ipBody) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	open := k.Open.As("open domain").Does(func() tea.Cmd {
		return pane.Emit(pane.OpenMsg{Text: b.recs[b.list.Cursor].Hostname, Want: indicator.Domain})
	})
	switch {
	case !b.v4():
		open.Why = "passive DNS covers IPv4 only"
	case len(b.recs) == 0:
		open.Why = "no associated domains"
	}
	sub := k.Subnets.Does(func() tea.Cmd {
		asn, _ := b.asn()
		b.subnetsP.start()
		return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
			res, _, err := cl.ASNSubnets(c, asn)
			return subnetsMsg{res, err}
		})
	})
	switch _, ok := b.asn(); {
	case !ok:
		sub.Why = "no ASN known for this IP"
	case b.subnets != nil:
		sub.Why = "the subnets are on screen"
	case b.subnetsP.loading:
		sub.Why = "loading the subnets"
	}
	more := k.MorePDNS.Does(func() tea.Cmd { return b.loadPDNS(ctx, b.pdnsPage+1) })
	switch {
	case !b.v4():
		more.Why = actions.PDNSIPv4Only
	case b.pdns.loading:
		more.Why = "passive DNS records are loading"
	case !b.morePDNS():
		more.Why = "all passive DNS records of the window are loaded"
	}
	// The window key's help names the window it switches to.
	next := pdnsWindows[(b.window+1)%len(pdnsWindows)]
	if next == 0 {
		next = actions.PDNSDefaultDays
	}
	win := k.PDNSWindow.As(fmt.Sprintf("%dd window", next)).Does(func() tea.Cmd {
		// Another window is another list: start it again from page 1.
		b.window = (b.window + 1) % len(pdnsWindows)
		b.pdnsSeq++
		b.recs, b.pdnsTotal, b.pdnsPage, b.pdnsNext = nil, 0, 0, false
		b.list = pane.List{}
		return b.loadPDNS(ctx, 1)
	})
	if !b.v4() {
		win.Why = actions.PDNSIPv4Only
	}
	cp := k.Copy.As("copy hostname").Does(func() tea.Cmd {
		if len(b.recs) > 0 {
			return pane.Copy(b.recs[b.list.Cursor].Hostname)
		}
		return pane.Copy(b.ind.Value)
	})
	if len(b.recs) == 0 {
		cp = cp.As("copy IP")
	}
	return append(listBindings(ctx), open, sub, more, cp, win)
}

// listBindings are the movement keys as help lists them (Update moves
// the list); the footer shows ↑/↓ only.
func listBindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	return []Binding{k.Up, k.Down, k.PageUp.Hidden(), k.PageDown.Hidden(), k.Top.Hidden(), k.Bottom.Hidden()}
}

func (b *ipBody) View(ctx *pane.Context) string {
	pg := views.IPPage{
		Info:    b.info,
		Loading: b.info == nil && b.main.loading,
		Err:     errText(b.main.err),
		PDNS: views.Table{
			Columns: []views.Column{{Title: "Hostname", Min: 20}, {Title: "Intel", Width: 7}, {Title: "First seen", Width: 10}, {Title: "Last seen", Width: 10}},
			N:       len(b.recs),
			Row: func(i int) []string {
				r := b.recs[i]
				return []string{r.Hostname, ctx.Verdict(string(indicator.TypeDomain), r.Hostname), shortDate(r.FirstSeen), shortDate(r.LastSeen)}
			},
			Style: func(i, col int) lipStyle {
				if col == 1 {
					return views.VerdictStyle(ctx.Verdict(string(indicator.TypeDomain), b.recs[i].Hostname), ctx.Theme)
				}
				return ctx.Theme.Value
			},
			Cursor:  b.list.Cursor,
			Offset:  b.list.Offset,
			Focused: ctx.Focused,
		},
		Subnets:   b.subnets,
		Dashboard: dashboardURL(ctx),
	}
	if b.special != nil {
		pg.Special = b.ind.Value + " is " + b.special.Note()
	}
	if b.subnetsP.loading {
		if asn, ok := b.asn(); ok {
			pg.SubnetsNote = "loading subnets of AS" + strconv.Itoa(asn) + "…"
		}
	} else if b.subnetsP.err != nil && !errors.Is(b.subnetsP.err, errCanceled) {
		pg.SubnetsNote = errText(b.subnetsP.err)
	}
	span := fmt.Sprintf("last %d days", b.windowDays())
	switch {
	case !b.v4():
		pg.PDNS.Empty = actions.PDNSIPv4Only
	case b.pdns.err != nil && (b.pdnsPage == 0 || !errors.Is(b.pdns.err, errCanceled)):
		pg.PDNSNote = pdnsErrText(b.pdns.err)
		if len(b.recs) > 0 {
			pg.PDNSNote = fmt.Sprintf("%d of %d records · %s · %s", len(b.recs), b.pdnsTotal, span, pg.PDNSNote)
		}
		pg.PDNS.Empty = pdnsErrText(b.pdns.err)
	case b.pdns.loading && len(b.recs) == 0:
		pg.PDNSNote = "loading… · " + span
		pg.PDNS.Empty = "loading passive DNS (" + b.pdnsWindow(ctx).String() + ")…"
	default:
		pg.PDNSNote = fmt.Sprintf("%d of %d records · %s", len(b.recs), max(b.pdnsTotal, len(b.recs)), span)
		pg.PDNS.Empty = "no hostnames seen on this IP in the " + span
		if b.pdns.loading {
			pg.PDNSNote += " · loading more…"
		}
	}
	return b.memo.view(ctx, func(h int) string { return views.RenderIP(pg, ctx.Width, h, ctx.Theme) })
}

// Pin is the overview and the first passive-DNS page on screen (c).
func (b *ipBody) Pin() (pane.Pin, string) {
	if b.info == nil {
		return pane.Pin{}, "no answer on screen yet"
	}
	return pane.Pin{Kind: actions.KindIP, Indicator: b.ind.Value, Answers: answered(b.ex, b.pdnsEx)}, ""
}

func pdnsErrText(err error) string {
	if errors.Is(err, errCanceled) {
		return "passive DNS lookup canceled"
	}
	return errText(err)
}

// shortDate keeps the date part of an API timestamp.
func shortDate(s string) string {
	if t, ok := cloudflare.ParseTime(s); ok {
		return t.UTC().Format("2006-01-02")
	}
	if i := strings.IndexByte(s, 'T'); i > 0 {
		return s[:i]
	}
	return s
}

// dashboardURL is the account's investigate page in the Cloudflare
// dashboard, linked (OSC 8) from the IP and domain names. The demo's
// account does not exist there, so it gets no link.
func dashboardURL(ctx *pane.Context) string {
	if ctx.Conn.Demo {
		return ""
	}
	return views.DashboardURL(ctx.Conn.AccountID)
}

func (b *ipBody) StopLoading() bool {
	b.pdns.stop()
	b.subnetsP.stop()
	b.main.stop()
	return b.info != nil || (b.main.err != nil && !errors.Is(b.main.err, errCanceled))
}
