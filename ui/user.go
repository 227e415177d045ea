package ui

import (
	"context"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

type userBody struct {
	email string
	err   string

	candidates []cloudflare.AccessUser // several matches: the pick list
	pick       listState

	user *cloudflare.AccessUser
	risk *cloudflare.RiskScore

	// idx is the sorted, filtered view over risk.Events; it is rebuilt
	// only when the data, sort or filter change, never per key press.
	idx       []int
	times     []int64 // parsed event times, by event index
	byLevel   bool
	filter    string
	filtering bool
	list      listState
}

func newUserPage(email string) *page {
	return &page{kind: kindUser, body: &userBody{email: email}}
}

// newUserPageFor opens a user already identified (picked from several
// matches): only the risk score is read.
func newUserPageFor(u cloudflare.AccessUser) *page {
	email := u.Email
	if email == "" {
		email = u.ID
	}
	return &page{kind: kindUser, body: &userBody{email: email, user: &u}}
}

func (b *userBody) crumb() string { return "user " + b.email }

func (b *userBody) capturing() bool { return b.filtering }

func (b *userBody) start(m *Model, p *page) []tea.Cmd {
	if b.user != nil && b.user.ID != "" {
		return []tea.Cmd{b.loadRisk(m, p, *b.user)}
	}
	email := b.email
	return []tea.Cmd{m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
		res, err := actions.LookupUser(ctx, c, email)
		return func(m *Model) tea.Cmd {
			b.err, b.candidates = "", nil
			switch {
			case err != nil:
				b.risk = nil
				b.err = errText(err)
			case res.Ambiguous():
				b.risk = nil
				b.candidates = res.Candidates
				b.pick.fit(len(b.candidates), m.listHeight())
			default:
				u := res.User
				b.user = &u
				b.email = res.Email // the user's own address, as Cloudflare has it
				b.setRisk(res.Risk, m)
			}
			// Not the usual way: say so, or an analyst could believe
			// email= had found the user; and never about another user.
			if search := actions.MatchSearch.Describe(); err == nil && res.Match == actions.MatchSearch {
				m.status = search
			} else if m.status == search {
				m.status = ""
			}
			return nil
		}
	})}
}

func (b *userBody) loadRisk(m *Model, p *page, u cloudflare.AccessUser) tea.Cmd {
	b.user = &u
	return m.fetch(p, func(ctx context.Context, c *cloudflare.Client) func(*Model) tea.Cmd {
		res, err := actions.LookupUserByID(ctx, c, u.ID, u.Email)
		return func(m *Model) tea.Cmd {
			b.err = ""
			if err != nil {
				b.risk = nil
				b.err = errText(err)
				return nil
			}
			b.setRisk(res.Risk, m)
			return nil
		}
	})
}

func (b *userBody) setRisk(r cloudflare.RiskScore, m *Model) {
	b.risk = &r
	b.times = make([]int64, len(r.Events))
	for i, ev := range r.Events {
		if t, ok := cloudflare.ParseTime(ev.Timestamp); ok {
			b.times[i] = t.UnixNano()
		}
	}
	b.list = listState{}
	b.reindex(m)
}

// reindex rebuilds the sorted, filtered index of events.
func (b *userBody) reindex(m *Model) {
	if b.risk == nil {
		b.idx = nil
		return
	}
	evs := b.risk.Events
	f := strings.ToLower(b.filter)
	b.idx = b.idx[:0]
	for i := range evs {
		if f == "" || strings.Contains(strings.ToLower(evs[i].Name), f) || strings.Contains(strings.ToLower(evs[i].RiskLevel), f) {
			b.idx = append(b.idx, i)
		}
	}
	sort.SliceStable(b.idx, func(x, y int) bool {
		i, j := b.idx[x], b.idx[y]
		if b.byLevel {
			li, lj := views.LevelSeverity(evs[i].RiskLevel), views.LevelSeverity(evs[j].RiskLevel)
			if li != lj {
				return li > lj
			}
		}
		return b.times[i] > b.times[j]
	})
	b.list.fit(len(b.idx), m.listHeight())
}

// escape clears an applied filter: Esc undoes that before it means Back.
func (b *userBody) escape(m *Model) bool {
	if b.filter == "" {
		return false
	}
	b.filter = ""
	b.refilter(m)
	return true
}

// refilter applies a changed filter from the top of the matches: the
// old cursor position means nothing in a different list.
func (b *userBody) refilter(m *Model) {
	b.list = listState{}
	b.reindex(m)
}

func (b *userBody) key(m *Model, p *page, msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if b.filtering {
		switch msg.String() {
		case "enter":
			b.filtering = false
		case "esc":
			b.filtering, b.filter = false, ""
			b.refilter(m)
		case "backspace":
			if r := []rune(b.filter); len(r) > 0 {
				b.filter = string(r[:len(r)-1])
				b.refilter(m)
			}
		default:
			if t := msg.Key().Text; t != "" {
				b.filter += t
				b.refilter(m)
			}
		}
		return nil
	}
	if b.candidates != nil {
		if b.pick.move(m, msg, len(b.candidates)) {
			return nil
		}
		if key.Matches(msg, k.Open.Binding) {
			// The picked user opens as a page of its own, so Back returns
			// to this list if it was the wrong one.
			return m.push(newUserPageFor(b.candidates[b.pick.cursor]))
		}
		return nil
	}
	if b.list.move(m, msg, len(b.idx)) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Open.Binding):
		if ev, ok := b.current(); ok {
			m.pushDialog(newEventDialog(ev))
		}
	case key.Matches(msg, k.Sort.Binding):
		if b.risk != nil {
			b.byLevel = !b.byLevel
			b.reindex(m)
		}
	case key.Matches(msg, k.Filter.Binding):
		if b.risk != nil {
			b.filtering = true
		}
	case key.Matches(msg, k.Reset.Binding):
		return m.startReset(p, b)
	}
	return nil
}

func (b *userBody) current() (cloudflare.RiskEvent, bool) {
	if b.risk == nil || len(b.idx) == 0 {
		return cloudflare.RiskEvent{}, false
	}
	return b.risk.Events[b.idx[b.list.cursor]], true
}

func (b *userBody) clamp(m *Model) {
	b.list.fit(len(b.idx), m.listHeight())
	b.pick.fit(len(b.candidates), m.listHeight())
}

func (b *userBody) copyValue() string {
	if b.candidates != nil {
		return b.candidates[b.pick.cursor].Email
	}
	if ev, ok := b.current(); ok {
		return ev.ID
	}
	return b.email
}

func (b *userBody) hints(m *Model) []Binding {
	k := m.keys
	if b.candidates != nil {
		open := k.Open
		open.SetHelp("enter", "pick user")
		return []Binding{open}
	}
	open := k.Open
	open.SetHelp("enter", "event details")
	sortB, filterB := k.Sort, k.Filter
	if len(b.idx) == 0 {
		open.Why = "no events"
	}
	if b.risk == nil {
		sortB.Why, filterB.Why = "no events loaded", "no events loaded"
	}
	return []Binding{open, sortB, filterB, m.resetBinding(b)}
}

func (b *userBody) render(m *Model, p *page, w, h int) string {
	pg := views.UserPage{
		Email:     b.email,
		User:      b.user,
		Risk:      b.risk,
		Loading:   b.risk == nil && b.err == "" && p.pending > 0,
		Err:       b.err,
		Filter:    b.filter,
		Filtering: b.filtering,
		Sort:      "time ↓",
		ReadOnly:  m.s.ReadOnly,
	}
	if b.byLevel {
		pg.Sort = "level ↓"
	}
	if rb := m.resetBinding(b); rb.Why != "" {
		pg.ResetHint = "reset disabled: " + rb.Why
	} else {
		pg.ResetHint = "R reset risk"
	}
	if b.candidates != nil {
		pg.Pick = &views.UserPick{Users: b.candidates, Cursor: b.pick.cursor}
	}
	if b.risk != nil {
		evs := b.risk.Events
		pg.EventCount = len(evs)
		pg.Events = views.Table{
			Columns: views.EventColumns,
			N:       len(b.idx),
			Row:     func(i int) []string { return views.EventRow(evs[b.idx[i]]) },
			Style: func(i, col int) lipStyle {
				if col == 1 {
					return views.LevelStyle(evs[b.idx[i]].RiskLevel, m.th)
				}
				return m.th.Value
			},
			Cursor:  b.list.cursor,
			Offset:  b.list.offset,
			Focused: m.focus == focusPage,
			Empty:   "no risk events",
		}
		if b.filter != "" {
			pg.Events.Empty = "no events match the filter"
		}
	}
	return views.RenderUser(pg, w, h, m.th)
}

func (b *userBody) stopLoading() bool { return b.risk != nil || b.candidates != nil || b.err != "" }
