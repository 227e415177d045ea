package ui

import (
	"context"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/ui/pane"
	"cftriage/views"
)

// queueMsg is the risky-users summary, read.
type queueMsg struct {
	sum cloudflare.RiskSummary
	at  time.Time
	err error
}

// queue orders: the first is the default (the analyst's triage order).
var queueSorts = []string{"severity", "recent", "events", "name"}

// queueTool is the risky-users queue: every user with a risk level, most
// severe first, then most recent. It is read when the tab is first
// opened and on ctrl+r; Enter opens the user on a trail of its own.
type queueTool struct {
	users []cloudflare.RiskyUser
	// Per load: each user's level severity, last-event time and the
	// lower-cased text the filter matches, so a key press never redoes
	// them for 10,000 users.
	sev   []int
	times []int64
	text  []string

	shown  []int
	sortBy int
	filter filterText
	list   pane.List

	loaded  bool
	main    part
	fetched time.Time
}

func newQueueTool() *queueTool { return &queueTool{} }

func (t *queueTool) Title() string          { return "Risky users" }
func (t *queueTool) Capturing() bool        { return t.filter.editing }
func (t *queueTool) Shutdown()              {}
func (t *queueTool) Resize(c *pane.Context) { t.list.Fit(len(t.shown), listRows(c)) }

// listRows is the rows the queue's table shows (title, hint, header).
func listRows(c *pane.Context) int { return max(1, c.Height-4) }

// Activate reads the queue the first time; afterwards the list stays as
// read until ctrl+r.
func (t *queueTool) Activate(c *pane.Context) tea.Cmd {
	if t.loaded || t.main.loading {
		return nil
	}
	return t.load(c)
}

func (t *queueTool) load(c *pane.Context) tea.Cmd {
	if c.Conn.Client == nil {
		return nil
	}
	t.main.start()
	now := c.Now
	return c.Go(func(ctx context.Context, cl *cloudflare.Client) tea.Msg {
		sum, _, err := cl.RiskSummary(ctx)
		return queueMsg{sum: sum, at: now(), err: err}
	})
}

func (t *queueTool) Update(c *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case queueMsg:
		t.main.finish(msg.err)
		if msg.err != nil {
			return nil
		}
		t.loaded, t.fetched = true, msg.at
		t.setUsers(msg.sum.Users, c)
	case tea.KeyPressMsg:
		if t.filter.editing {
			return t.filter.typed(msg, func() tea.Cmd { t.refilter(c); return nil })
		}
		t.list.Move(t.listCtx(c), msg, len(t.shown))
	}
	return nil
}

// listCtx pages the list by the rows it shows.
func (t *queueTool) listCtx(c *pane.Context) *pane.Context {
	lc := *c
	lc.ListHeight = listRows(c)
	return &lc
}

func (t *queueTool) setUsers(us []cloudflare.RiskyUser, c *pane.Context) {
	t.users = us
	t.sev = make([]int, len(us))
	t.times = make([]int64, len(us))
	t.text = make([]string, len(us))
	for i, u := range us {
		t.sev[i] = actions.LevelSeverity(u.MaxRiskLevel)
		if tm, ok := cloudflare.ParseTime(u.LastEvent); ok {
			t.times[i] = tm.UnixNano()
		}
		t.text[i] = strings.ToLower(u.Name + "\x00" + u.Email + "\x00" + u.MaxRiskLevel)
	}
	t.reindex(c)
}

// reindex rebuilds the sorted, filtered view: on a load, a sort or a
// filter change, never on a cursor move.
func (t *queueTool) reindex(c *pane.Context) {
	f := strings.ToLower(t.filter.text)
	t.shown = t.shown[:0]
	for i := range t.users {
		if f == "" || strings.Contains(t.text[i], f) {
			t.shown = append(t.shown, i)
		}
	}
	us, by := t.users, queueSorts[t.sortBy]
	sort.SliceStable(t.shown, func(x, y int) bool {
		i, j := t.shown[x], t.shown[y]
		switch by {
		case "recent":
			if t.times[i] != t.times[j] {
				return t.times[i] > t.times[j]
			}
		case "events":
			if us[i].EventCount != us[j].EventCount {
				return us[i].EventCount > us[j].EventCount
			}
		case "name":
			a, b := strings.ToLower(us[i].Name), strings.ToLower(us[j].Name)
			if a != b {
				return a < b
			}
			return strings.ToLower(us[i].Email) < strings.ToLower(us[j].Email)
		}
		if t.sev[i] != t.sev[j] {
			return t.sev[i] > t.sev[j]
		}
		return t.times[i] > t.times[j]
	})
	t.list.Fit(len(t.shown), listRows(c))
}

func (t *queueTool) refilter(c *pane.Context) {
	t.list = pane.List{}
	t.reindex(c)
}

func (t *queueTool) current() (cloudflare.RiskyUser, bool) {
	if len(t.shown) == 0 {
		return cloudflare.RiskyUser{}, false
	}
	return t.users[t.shown[t.list.Cursor]], true
}

// queueKeys are the queue's own bindings.
var queueKeys = struct{ Filter, Sort Binding }{
	Filter: bind("filter", "/"),
	Sort:   bind("sort", "s"),
}

func (t *queueTool) Bindings(c *pane.Context) []Binding {
	k := c.Keys
	refilter := func() tea.Cmd { t.refilter(c); return nil }
	if t.filter.editing {
		return t.filter.bindings(k, refilter)
	}
	open := k.Open.As("open user").Does(func() tea.Cmd {
		u, _ := t.current()
		return pane.Emit(pane.OpenUserMsg{User: cloudflare.AccessUser{ID: u.UserID, Email: u.Email, Name: u.Name}, NewTrail: true, Return: t.Title()})
	})
	if _, ok := t.current(); !ok {
		open.Why = "no user here"
	}
	filter := t.filter.start(queueKeys.Filter)
	next := queueSorts[(t.sortBy+1)%len(queueSorts)]
	srt := queueKeys.Sort.As("sort by " + next).Does(func() tea.Cmd {
		t.sortBy = (t.sortBy + 1) % len(queueSorts)
		t.reindex(c)
		return nil
	})
	if len(t.users) == 0 {
		filter.Why, srt.Why = "no users loaded", "no users loaded"
	}
	refresh := k.Refresh.Does(func() tea.Cmd {
		c.Restart()
		c.Fresh = true // from the API, not the cache
		return t.load(c)
	})
	cp := k.Copy.As("copy email").Does(func() tea.Cmd {
		u, _ := t.current()
		return pane.Copy(u.Email)
	})
	if _, ok := t.current(); !ok {
		cp.Why = "no user here"
	}
	// esc clears an applied filter before it leaves the pane.
	bs := []Binding{k.Up, k.Down, k.PageUp.Hidden(), k.PageDown.Hidden(), k.Top.Hidden(), k.Bottom.Hidden(), open, filter, srt, refresh, cp}
	if t.filter.text != "" {
		bs = append(bs, t.filter.clear(k, refilter))
	}
	return bs
}

func (t *queueTool) View(c *pane.Context) string {
	p := views.QueuePane{
		Shown:   t.shown,
		Sort:    queueSorts[t.sortBy] + " ↓",
		Filter:  t.filter.text,
		Editing: t.filter.editing,
		Cursor:  t.list.Cursor,
		Offset:  t.list.Offset,
		Focused: true,
		Loading: t.main.loading,
		Err:     errText(t.main.err),
	}
	if t.loaded {
		p.Users = t.users
		if p.Users == nil {
			p.Users = []cloudflare.RiskyUser{}
		}
		p.Fetched = t.fetched.Format("15:04:05")
	}
	if queueSorts[t.sortBy] == "name" {
		p.Sort = "name ↑"
	}
	if c.Conn.Client == nil {
		p.Err = "no API token configured"
	}
	return views.RenderQueue(p, c.Width, c.Height, c.Theme)
}
