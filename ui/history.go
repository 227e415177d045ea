package ui

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/indicator"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// historyPage is how many lookups one read brings: the pane holds what
// was scrolled through, never the whole history (100,000 rows).
const historyPage = 200

type (
	// historyRowsMsg is a page of the history; after is the ID it
	// continues from (0: the first page).
	historyRowsMsg struct {
		rows  []store.Lookup
		after int64
		err   error
	}
	historyCountMsg struct {
		n   int
		err error
	}
)

// historyTool is the History pane: every lookup kept across runs,
// newest first, read a page at a time by cursor (the row ID) as the
// list scrolls; typing after / filters in the database. Enter re-opens
// the lookup on a trail of its own: from the cache while it is fresh.
type historyTool struct {
	rows   []store.Lookup
	total  int  // -1 until counted
	more   bool // the last page was full: there may be older rows
	moreP  part
	filter filterText
	list   pane.List
	main   part

	// trails shows this session's earlier trails of drill-downs instead
	// of the lookups (t toggles).
	trails    bool
	trailList pane.List
}

func newHistoryTool() *historyTool { return &historyTool{total: -1} }

func (t *historyTool) Title() string          { return "History" }
func (t *historyTool) Capturing() bool        { return t.filter.editing }
func (t *historyTool) Shutdown()              {}
func (t *historyTool) Resize(c *pane.Context) { t.list.Fit(len(t.rows), listRows(c)) }

// Activate reads the newest page again: lookups made since the pane was
// last shown come first.
func (t *historyTool) Activate(c *pane.Context) tea.Cmd { return t.reload(c) }

// reload reads the first page and the count under a new generation, so
// pages of an earlier filter are dropped when they arrive.
func (t *historyTool) reload(c *pane.Context) tea.Cmd {
	db := historyDB(c)
	if db == nil {
		return nil
	}
	c.Restart()
	t.main.start()
	t.moreP = part{}
	q := store.LookupQuery{Text: t.filter.text, Limit: historyPage}
	return tea.Batch(
		c.Do(func(context.Context) tea.Msg {
			rows, err := db.Lookups(q)
			return historyRowsMsg{rows: rows, err: err}
		}),
		c.Do(func(context.Context) tea.Msg {
			n, err := db.LookupCount(q)
			return historyCountMsg{n, err}
		}),
	)
}

// loadMore reads the page older than the last row loaded.
func (t *historyTool) loadMore(c *pane.Context) tea.Cmd {
	db := historyDB(c)
	if db == nil || !t.more || t.moreP.loading || t.main.loading || len(t.rows) == 0 {
		return nil
	}
	t.moreP.start()
	after := t.rows[len(t.rows)-1].ID
	q := store.LookupQuery{Text: t.filter.text, Limit: historyPage, Before: after}
	return c.Do(func(context.Context) tea.Msg {
		rows, err := db.Lookups(q)
		return historyRowsMsg{rows: rows, after: after, err: err}
	})
}

func historyDB(c *pane.Context) *store.DB {
	if c.Session == nil || c.Session.DB == nil {
		return nil
	}
	return c.Session.DB
}

func (t *historyTool) Update(c *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case historyRowsMsg:
		if msg.after == 0 {
			t.main.finish(msg.err)
			if msg.err == nil {
				t.rows = msg.rows
				t.more = len(msg.rows) == historyPage
			}
		} else {
			t.moreP.finish(msg.err)
			if msg.err == nil && len(t.rows) > 0 && t.rows[len(t.rows)-1].ID == msg.after {
				t.rows = append(t.rows, msg.rows...)
				t.more = len(msg.rows) == historyPage
			}
		}
		t.list.Fit(len(t.rows), listRows(c))
	case historyCountMsg:
		if msg.err == nil {
			t.total = msg.n
		}
	case tea.KeyPressMsg:
		if t.trails {
			t.trailList.Move(c, msg, len(c.Trails()))
			return nil
		}
		if t.filter.editing {
			return t.filter.typed(msg, func() tea.Cmd { return t.refilter(c) })
		}
		if t.list.Move(t.listCtx(c), msg, len(t.rows)) && t.list.Cursor >= len(t.rows)-listRows(c) {
			return t.loadMore(c)
		}
	}
	return nil
}

func (t *historyTool) listCtx(c *pane.Context) *pane.Context {
	lc := *c
	lc.ListHeight = listRows(c)
	return &lc
}

// refilter reads the history again for a changed filter, from the top.
func (t *historyTool) refilter(c *pane.Context) tea.Cmd {
	t.list = pane.List{}
	return t.reload(c)
}

func (t *historyTool) current() (store.Lookup, bool) {
	if len(t.rows) == 0 {
		return store.Lookup{}, false
	}
	return t.rows[t.list.Cursor], true
}

// historyText is what re-opens a lookup: the indicator as typed.
func historyText(l store.Lookup) (string, indicator.Kind) {
	switch l.Kind {
	case actions.KindIP:
		return l.Indicator, indicator.IP
	case actions.KindDomain:
		return l.Indicator, indicator.Domain
	case actions.KindUser:
		return l.Indicator, indicator.Email
	case actions.KindASN:
		return "AS" + l.Indicator, indicator.ASN
	}
	return l.Indicator, indicator.Unknown
}

var historyKeys = struct{ Filter, Trails Binding }{Filter: bind("filter", "/"), Trails: bind("lookups / trails", "t")}

func (t *historyTool) Bindings(c *pane.Context) []Binding {
	k := c.Keys
	refilter := func() tea.Cmd { return t.refilter(c) }
	if t.filter.editing {
		return t.filter.bindings(k, refilter)
	}
	toggle := historyKeys.Trails.Does(func() tea.Cmd { t.trails = !t.trails; return nil })
	if t.trails {
		open := k.Open.As("bring the trail back").Does(func() tea.Cmd {
			return pane.Emit(pane.OpenTrailMsg{Index: t.trailList.Cursor})
		})
		if len(c.Trails()) == 0 {
			open.Why = "no earlier trail this session"
		}
		return []Binding{k.Up, k.Down, open, toggle.As("show the lookups")}
	}
	open := k.Open.As("re-open").Does(func() tea.Cmd {
		l, _ := t.current()
		text, want := historyText(l)
		return pane.Emit(pane.OpenMsg{Text: text, Want: want, NewTrail: true, Return: t.Title()})
	})
	cp := k.Copy.As("copy indicator").Does(func() tea.Cmd {
		l, _ := t.current()
		text, _ := historyText(l)
		return pane.Copy(text)
	})
	if _, ok := t.current(); !ok {
		open.Why, cp.Why = "no lookup here", "no lookup here"
	}
	if c.Conn.Client == nil {
		open.Why = "no API token configured"
	}
	filter := t.filter.start(historyKeys.Filter)
	refresh := k.Refresh.As("read again").Does(func() tea.Cmd { return t.reload(c) })
	if historyDB(c) == nil {
		filter.Why, refresh.Why = "no local database", "no local database"
	}
	bs := []Binding{k.Up, k.Down, k.PageUp.Hidden(), k.PageDown.Hidden(), k.Top.Hidden(), k.Bottom.Hidden(), open, filter, refresh, cp, toggle.As("show this session's trails")}
	if t.filter.text != "" {
		// esc clears an applied filter before it leaves the pane.
		bs = append(bs, t.filter.clear(k, refilter))
	}
	return bs
}

func (t *historyTool) View(c *pane.Context) string {
	if t.trails {
		return t.trailsView(c)
	}
	p := views.HistoryPane{Total: t.total, More: t.more, Filter: t.filter.text, Editing: t.filter.editing,
		Cursor: t.list.Cursor, Offset: t.list.Offset, Loading: t.main.loading || t.moreP.loading}
	if db := historyDB(c); db == nil {
		p.NoDB = "no local database: the history is not kept"
	} else if why := db.Problem(); why != "" && len(t.rows) == 0 {
		p.NoDB = "the local database is not available: " + why
	}
	if err := errors.Join(t.main.err, t.moreP.err); err != nil {
		p.Err = errText(err)
	}
	// Row is called for the rows on screen only: a key press costs the
	// same however much was scrolled through.
	p.N = len(t.rows)
	p.Row = func(i int) views.HistoryRow {
		l := t.rows[i]
		return views.HistoryRow{Time: l.Time, Kind: l.Kind, Indicator: l.Indicator, Verdict: l.Verdict, Account: l.Account, Cached: l.Cached}
	}
	return views.RenderHistory(p, c.Width, c.Height, c.Theme)
}

// trailsView lists this session's earlier trails of drill-downs.
func (t *historyTool) trailsView(c *pane.Context) string {
	trails := c.Trails()
	title := views.SectionLine("Earlier trails", fmt.Sprintf("%d this session · enter brings one back · t shows the lookups", len(trails)), c.Width, c.Theme)
	tb := views.Table{
		Columns: []views.Column{{Title: "Trail (newest first)", Min: 20}},
		N:       len(trails),
		Row:     func(i int) []string { return []string{trails[i]} },
		Cursor:  t.trailList.Cursor,
		Offset:  t.trailList.Offset,
		Focused: true,
		Empty:   "no earlier trail: a lookup typed in the search box starts a new one",
	}
	return title + "\n" + tb.Render(c.Width, max(1, c.Height-1), c.Theme)
}
