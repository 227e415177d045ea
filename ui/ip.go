package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/views"
)

// pdnsPerPage is how many passive-DNS records one request brings; more
// pages load as the cursor reaches the end.
const pdnsPerPage = 100

type ipBody struct {
	ind  indicator.Indicator
	info *cloudflare.IPInfo
	err  string

	recs        []cloudflare.ReverseRecord
	pdnsTotal   int
	pdnsPage    int // last page loaded
	pdnsLoading bool
	pdnsErr     string
	list        listState

	subnets     *cloudflare.ASNSubnets
	subnetsNote string
}

func newIPPage(ind indicator.Indicator) *page {
	return &page{kind: kindIP, body: &ipBody{ind: ind}}
}

func (b *ipBody) v4() bool { return b.ind.Addr.Is4() || b.ind.Addr.Is4In6() }

func (b *ipBody) crumb() string { return "ip " + b.ind.Value }

func (b *ipBody) start(m *Model, p *page) []tea.Cmd {
	// A refresh keeps what is on screen until the new answers replace it.
	ip := b.ind.Value
	cmds := []tea.Cmd{m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
		infos, _, err := c.IPOverview(ctx, ip)
		return func(m *Model) tea.Cmd {
			b.info, b.err = nil, ""
			switch {
			case err != nil:
				b.err = errText(err)
			case len(infos) == 0:
				b.err = "Cloudflare returned no overview for " + ip
			default:
				b.info = &infos[0]
			}
			return nil
		}
	})}
	if b.v4() {
		cmds = append(cmds, b.loadPDNS(m, p, 1))
	}
	return cmds
}

func (b *ipBody) loadPDNS(m *Model, p *page, pageNo int) tea.Cmd {
	b.pdnsLoading = true
	ip := b.ind.Value
	return m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
		res, _, err := c.PassiveDNS(ctx, ip, pageNo, pdnsPerPage)
		return func(m *Model) tea.Cmd {
			b.pdnsLoading = false
			if err != nil {
				b.pdnsErr = errText(err)
				return nil
			}
			b.pdnsErr = ""
			if pageNo == 1 {
				b.recs = nil // a refresh starts the list again
			}
			b.pdnsPage = pageNo
			b.pdnsTotal = res.Count
			b.recs = append(b.recs, res.ReverseRecords...)
			b.clamp(m)
			return nil
		}
	})
}

func (b *ipBody) morePDNS() bool {
	return b.v4() && !b.pdnsLoading && b.pdnsErr == "" && b.pdnsPage > 0 && len(b.recs) < b.pdnsTotal
}

func (b *ipBody) asn() (int, bool) {
	if b.info == nil || b.info.BelongsTo == nil {
		return 0, false
	}
	n, err := indicator.ParseASN(b.info.BelongsTo.Value)
	return n, err == nil
}

func (b *ipBody) key(m *Model, p *page, msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if b.list.move(m, msg, len(b.recs)) {
		if b.list.atEnd(len(b.recs)) && b.morePDNS() {
			return b.loadPDNS(m, p, b.pdnsPage+1)
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Open.Binding):
		if len(b.recs) == 0 {
			return nil
		}
		return m.openText(b.recs[b.list.cursor].Hostname, indicator.Domain)
	case key.Matches(msg, k.MorePDNS.Binding):
		if b.morePDNS() {
			return b.loadPDNS(m, p, b.pdnsPage+1)
		}
	case key.Matches(msg, k.Subnets.Binding):
		asn, ok := b.asn()
		if !ok || b.subnets != nil {
			return nil
		}
		b.subnetsNote = "loading subnets of AS" + strconv.Itoa(asn) + "…"
		return tea.Batch(m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
			res, _, err := c.ASNSubnets(ctx, asn)
			return func(m *Model) tea.Cmd {
				if err != nil {
					b.subnetsNote = errText(err)
					return nil
				}
				b.subnetsNote = ""
				b.subnets = &res
				return nil
			}
		}), m.spin.Tick)
	}
	return nil
}

func (b *ipBody) clamp(m *Model) { b.list.fit(len(b.recs), m.listHeight()) }

func (b *ipBody) copyValue() string {
	if len(b.recs) > 0 {
		return b.recs[b.list.cursor].Hostname
	}
	return b.ind.Value
}

func (b *ipBody) hints(m *Model) []Binding {
	k := m.keys
	open := k.Open
	open.SetHelp("enter", "open domain")
	switch {
	case !b.v4():
		open.Why = "passive DNS covers IPv4 only"
	case len(b.recs) == 0:
		open.Why = "no associated domains"
	}
	sub := k.Subnets
	if _, ok := b.asn(); !ok {
		sub.Why = "no ASN known for this IP"
	}
	more := k.MorePDNS
	if !b.morePDNS() {
		more.Why = "all passive DNS records are loaded"
	}
	return []Binding{open, sub, more}
}

func (b *ipBody) render(m *Model, p *page, w, h int) string {
	pg := views.IPPage{
		Info:    b.info,
		Loading: b.info == nil && b.err == "" && p.pending > 0,
		Err:     b.err,
		PDNS: views.Table{
			Columns: []views.Column{{Title: "Hostname", Min: 20}, {Title: "First seen", Width: 10}, {Title: "Last seen", Width: 10}},
			N:       len(b.recs),
			Row: func(i int) []string {
				r := b.recs[i]
				return []string{r.Hostname, shortDate(r.FirstSeen), shortDate(r.LastSeen)}
			},
			Cursor:  b.list.cursor,
			Offset:  b.list.offset,
			Focused: m.focus == focusPage,
			Empty:   "no hostnames seen on this IP in the last 30 days",
		},
		Subnets:     b.subnets,
		SubnetsNote: b.subnetsNote,
		Dashboard:   m.dashboardURL(),
	}
	switch {
	case !b.v4():
		pg.PDNS.Empty = "passive DNS covers IPv4 only"
	case b.pdnsErr != "":
		pg.PDNSNote = b.pdnsErr
		pg.PDNS.Empty = b.pdnsErr
	case b.pdnsLoading && len(b.recs) == 0:
		pg.PDNSNote = "loading…"
		pg.PDNS.Empty = "loading passive DNS…"
	default:
		pg.PDNSNote = fmt.Sprintf("%d of %d records", len(b.recs), b.pdnsTotal)
		if b.pdnsLoading {
			pg.PDNSNote += " · loading more…"
		}
	}
	return views.RenderIP(pg, w, h, m.th)
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

// openText opens a value taken from API data (a hostname, an IP in event
// details). The value is validated like typed input: hostile or odd data
// gets a message, not a request.
func (m *Model) openText(v string, want indicator.Kind) tea.Cmd {
	ind, err := indicator.Detect(v)
	if err != nil || (want != indicator.Unknown && ind.Kind != want) {
		m.status = "cannot open " + clip(views.Sanitize(v), 40) + ": not a valid " + kindWord(want)
		return nil
	}
	return m.open(ind)
}

func kindWord(k indicator.Kind) string {
	switch k {
	case indicator.IP:
		return "IP address"
	case indicator.Domain:
		return "domain"
	case indicator.Email:
		return "email"
	case indicator.ASN:
		return "ASN"
	}
	return "indicator"
}

// dashboardURL is the account's investigate page in the Cloudflare
// dashboard, linked (OSC 8) from the IP and domain names. The demo's
// account does not exist there, so it gets no link.
func (m *Model) dashboardURL() string {
	if m.s.Demo {
		return ""
	}
	return views.DashboardURL(m.s.AccountID)
}

func (b *ipBody) stopLoading() bool {
	if b.pdnsLoading {
		b.pdnsLoading = false
		if b.pdnsPage == 0 {
			b.pdnsErr = "passive DNS lookup canceled"
		}
	}
	if strings.HasPrefix(b.subnetsNote, "loading") {
		b.subnetsNote = ""
	}
	return b.info != nil || b.err != ""
}
