package ui

import (
	"context"
	"errors"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/views"
)

type (
	userMsg struct {
		res actions.UserResult
		err error
	}
	riskMsg struct {
		res actions.UserResult
		err error
	}
	// riskAfterMsg is a reviewed write's re-read of the user, sent by the
	// review dialog to the page that opened it.
	riskAfterMsg struct {
		userID string
		risk   cloudflare.RiskScore
	}
	lastSeenMsg struct {
		id  cloudflare.LastSeenIdentity
		err error
	}
	// partMsg is one lower section of the identity (sessions, failed
	// logins, Access requests, devices), loaded when first shown.
	partMsg struct {
		section  int
		sessions []cloudflare.ActiveSession
		fails    []cloudflare.FailedLogin
		reqs     []cloudflare.AccessRequest
		devices  cloudflare.DeviceList
		err      error
	}
)

// The User pane's lower sections (views.UserSections).
const (
	secEvents = iota
	secSessions
	secFailed
	secRequests
	secDevices
)

type userBody struct {
	email string
	main  part

	candidates []cloudflare.AccessUser // several matches: the pick list
	pick       pane.List

	user *cloudflare.AccessUser
	risk *cloudflare.RiskScore

	// idx is the sorted, filtered view over risk.Events; it is rebuilt
	// only when the data, sort or filter change, never per key press.
	// lower holds each event's name and level lower-cased once per load.
	idx       []int
	times     []int64 // parsed event times, by event index
	lower     []string
	byLevel   bool
	filter    string
	filtering bool
	list      pane.List

	// The identity: the last seen identity loads with the user; the
	// other parts when their section is first shown. Each loads and
	// fails on its own.
	lastSeen  *cloudflare.LastSeenIdentity
	lastSeenP part
	section   int
	parts     [5]part
	loaded    [5]bool
	sessions  []cloudflare.ActiveSession
	fails     []cloudflare.FailedLogin
	reqs      []cloudflare.AccessRequest
	devices   cloudflare.DeviceList
	partList  [5]pane.List

	memo memo // cached label, changes (ui/memo.go)
	// stale: a reviewed write changed the user after its answer was read
	// (the screen shows the re-read; the kept answer is older).
	stale bool
	ex    *cloudflare.Exchange
}

func newUserBody(email string) *userBody { return &userBody{email: email} }

// newUserPageFor opens a user already identified (picked from several
// matches): only the risk score is read.
func newUserPageFor(u cloudflare.AccessUser) *page {
	email := u.Email
	if email == "" {
		email = u.ID
	}
	return &page{Page: &userBody{email: email, user: &u}}
}

func (b *userBody) Kind() pane.Kind { return pane.KindUser }
func (b *userBody) Crumb() string   { return "user " + b.email }
func (b *userBody) Capturing() bool { return b.filtering }
func (b *userBody) Failed() bool    { return b.risk == nil && b.candidates == nil && b.main.err != nil }

func (b *userBody) Start(ctx *pane.Context) tea.Cmd {
	b.main.start()
	if b.user != nil && b.user.ID != "" {
		u := *b.user
		return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
			res, err := actions.LookupUserByID(c, cl, u.ID, u.Email)
			return riskMsg{res, err}
		})
	}
	email := b.email
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		res, err := actions.LookupUser(c, cl, email)
		return userMsg{res, err}
	})
}

func (b *userBody) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case userMsg:
		b.main.finish(msg.err)
		b.candidates = nil
		switch {
		case msg.err != nil:
			b.risk = nil
		case msg.res.Ambiguous():
			b.risk = nil
			b.candidates = msg.res.Candidates
			b.pick.Fit(len(b.candidates), ctx.ListHeight)
		default:
			u := msg.res.User
			b.user = &u
			b.took(msg.res)
			b.email = msg.res.Email // the user's own address, as Cloudflare has it
			b.setRisk(msg.res.Risk, ctx)
			cmds := []tea.Cmd{seenUser(u), b.loadLastSeen(ctx)}
			// Not the usual way: say so, or an analyst could believe
			// email= had found the user.
			if msg.res.Match == actions.MatchSearch {
				cmds = append(cmds, pane.Status(actions.MatchSearch.Describe()))
			}
			return tea.Batch(cmds...)
		}
	case riskMsg:
		b.main.finish(msg.err)
		if msg.err != nil {
			b.risk = nil
			return nil
		}
		b.setRisk(msg.res.Risk, ctx)
		b.took(msg.res)
		if b.user != nil {
			return tea.Batch(seenUser(*b.user), b.loadLastSeen(ctx))
		}
	case lastSeenMsg:
		b.lastSeenP.finish(msg.err)
		if msg.err != nil {
			b.lastSeen = nil
			return nil
		}
		id := msg.id
		b.lastSeen = &id
		return b.wantVerdicts()
	case partMsg:
		b.parts[msg.section].finish(msg.err)
		if msg.err != nil {
			return nil
		}
		b.loaded[msg.section] = true
		switch msg.section {
		case secSessions:
			b.sessions = msg.sessions
		case secFailed:
			b.fails = msg.fails
		case secRequests:
			b.reqs = msg.reqs
		case secDevices:
			b.devices = msg.devices
		}
		b.Resize(ctx)
		return b.wantVerdicts()
	case riskAfterMsg:
		if b.user != nil && b.user.ID == msg.userID {
			b.setRisk(msg.risk, ctx)
			// The answer kept from before the write no longer describes
			// the user: `c` must not pin it as what the screen shows.
			b.ex = nil
			b.stale = true
		}
	case tea.KeyPressMsg:
		if b.filtering {
			if t := msg.Key().Text; t != "" && !key.Matches(msg, ctx.Keys.Back.Binding) {
				b.filter += t
				b.refilter(ctx)
			}
			return nil
		}
		if b.candidates != nil {
			b.pick.Move(ctx, msg, len(b.candidates))
			return nil
		}
		if b.section != secEvents {
			if b.partList[b.section].Move(ctx, msg, b.partLen()) && b.section == secRequests {
				return b.wantVerdicts()
			}
			return nil
		}
		b.list.Move(ctx, msg, len(b.idx))
	}
	return nil
}

func seenUser(u cloudflare.AccessUser) tea.Cmd {
	if u.ID == "" {
		return nil
	}
	return pane.Emit(pane.SeenUserMsg{ID: u.ID, Email: u.Email})
}

func (b *userBody) setRisk(r cloudflare.RiskScore, ctx *pane.Context) {
	b.risk = &r
	b.times = make([]int64, len(r.Events))
	b.lower = make([]string, len(r.Events))
	for i, ev := range r.Events {
		if t, ok := cloudflare.ParseTime(ev.Timestamp); ok {
			b.times[i] = t.UnixNano()
		}
		b.lower[i] = strings.ToLower(ev.Name) + "\x00" + strings.ToLower(ev.RiskLevel)
	}
	b.list = pane.List{}
	b.reindex(ctx)
}

// reindex rebuilds the sorted, filtered index of events.
func (b *userBody) reindex(ctx *pane.Context) {
	if b.risk == nil {
		b.idx = nil
		return
	}
	evs := b.risk.Events
	f := strings.ToLower(b.filter)
	b.idx = b.idx[:0]
	for i := range evs {
		if f == "" || strings.Contains(b.lower[i], f) {
			b.idx = append(b.idx, i)
		}
	}
	sort.SliceStable(b.idx, func(x, y int) bool {
		i, j := b.idx[x], b.idx[y]
		if b.byLevel {
			li, lj := actions.LevelSeverity(evs[i].RiskLevel), actions.LevelSeverity(evs[j].RiskLevel)
			if li != lj {
				return li > lj
			}
		}
		return b.times[i] > b.times[j]
	})
	b.list.Fit(len(b.idx), ctx.ListHeight)
}

// Escape clears an applied filter: Esc undoes that before it means Back.
func (b *userBody) Escape(ctx *pane.Context) bool {
	if b.filter == "" {
		return false
	}
	b.filter = ""
	b.refilter(ctx)
	return true
}

// refilter applies a changed filter from the top of the matches: the
// old cursor position means nothing in a different list.
func (b *userBody) refilter(ctx *pane.Context) {
	b.list = pane.List{}
	b.reindex(ctx)
}

func (b *userBody) current() (cloudflare.RiskEvent, bool) {
	if b.risk == nil || len(b.idx) == 0 {
		return cloudflare.RiskEvent{}, false
	}
	return b.risk.Events[b.idx[b.list.Cursor]], true
}

func (b *userBody) Resize(ctx *pane.Context) {
	b.list.Fit(len(b.idx), ctx.ListHeight)
	b.pick.Fit(len(b.candidates), ctx.ListHeight)
	if b.section != secEvents {
		b.partList[b.section].Fit(b.partLen(), ctx.ListHeight)
	}
}

func (b *userBody) Bindings(ctx *pane.Context) []Binding {
	k := ctx.Keys
	if b.filtering {
		keep := k.Submit.As("keep filter").Does(func() tea.Cmd { b.filtering = false; return nil })
		clear := k.Cancel.As("clear filter").Does(func() tea.Cmd {
			b.filtering, b.filter = false, ""
			b.refilter(ctx)
			return nil
		})
		del := pane.Bind("delete a letter", "backspace").Does(func() tea.Cmd {
			if r := []rune(b.filter); len(r) > 0 {
				b.filter = string(r[:len(r)-1])
				b.refilter(ctx)
			}
			return nil
		}).Hidden()
		return []Binding{keep, clear, del}
	}
	if b.candidates != nil {
		open := k.Open.As("pick user").Does(func() tea.Cmd {
			// The picked user opens as a page of its own, so Back returns
			// to this list if it was the wrong one.
			return pane.Emit(pane.OpenUserMsg{User: b.candidates[b.pick.Cursor]})
		})
		cp := k.Copy.As("copy email").Does(func() tea.Cmd { return pane.Copy(b.candidates[b.pick.Cursor].Email) })
		return append(listBindings(ctx), open, cp)
	}
	open := k.Open.As("event details").Does(func() tea.Cmd {
		ev, _ := b.current()
		return pane.Emit(pane.PushDialogMsg{Dialog: newEventDialog(ev), Opener: ctx.ID()})
	})
	if len(b.idx) == 0 {
		open.Why = "no events"
	}
	switch b.section {
	case secRequests:
		open = k.Open.As("open IP").Does(func() tea.Cmd {
			r := b.reqs[b.partList[secRequests].Cursor]
			return pane.Emit(pane.OpenMsg{Text: r.IPAddress, Want: indicator.IP})
		})
		if len(b.reqs) == 0 {
			open.Why = "no Access requests"
		}
	case secSessions, secFailed, secDevices:
		open.Why = "nothing to open on this section"
	}
	section := userKeys.Section.Does(func() tea.Cmd {
		b.section = (b.section + 1) % len(views.UserSections)
		return b.loadPart(ctx)
	})
	if b.user == nil || b.user.ID == "" {
		section.Why = "no user loaded"
	}
	pivot := userKeys.LastSeen.Does(func() tea.Cmd {
		return pane.Emit(pane.OpenMsg{Text: b.lastSeen.IP, Want: indicator.IP})
	})
	if b.lastSeen == nil || b.lastSeen.IP == "" {
		pivot.Why = "no last seen IP"
	}
	sortB := k.Sort.Does(func() tea.Cmd { b.byLevel = !b.byLevel; b.reindex(ctx); return nil })
	filterB := k.Filter.Does(func() tea.Cmd { b.filtering = true; return nil })
	if b.risk == nil {
		sortB.Why, filterB.Why = "no events loaded", "no events loaded"
	}
	reset := k.Reset.Does(func() tea.Cmd {
		return pane.Emit(pane.PushDialogMsg{Dialog: newResetDialog(b, ctx.ID()), Opener: ctx.ID()})
	}).Disabled(b.resetWhy(ctx))
	revoke := k.Revoke.Does(func() tea.Cmd {
		return pane.Emit(pane.PushDialogMsg{Dialog: newRevokeDialog(b, ctx.ID()), Opener: ctx.ID()})
	}).Disabled(revokeWhy(ctx, b))
	cp := k.Copy.As("copy event id").Does(func() tea.Cmd {
		if ev, ok := b.current(); ok {
			return pane.Copy(ev.ID)
		}
		return pane.Copy(b.email)
	})
	if _, ok := b.current(); !ok {
		cp = cp.As("copy email")
	}
	if b.section != secEvents {
		sortB.Why, filterB.Why = "on the risk events only", "on the risk events only"
	}
	return append(listBindings(ctx), open, section, pivot, sortB, filterB, reset, revoke, cp)
}

// userKeys are the User pane's own keys beside the shared ones.
var userKeys = struct{ Section, LastSeen Binding }{
	Section:  bind("events/sessions/logins/requests/devices", "i"),
	LastSeen: bind("open the last seen IP", "l"),
}

func (b *userBody) loadLastSeen(ctx *pane.Context) tea.Cmd {
	if b.user == nil || b.user.ID == "" {
		return nil
	}
	id := b.user.ID
	b.lastSeenP.start()
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		l, err := actions.LoadLastSeen(c, cl, id)
		return lastSeenMsg{l, err}
	})
}

// loadPart loads the shown section the first time it is shown (and
// again after it failed).
func (b *userBody) loadPart(ctx *pane.Context) tea.Cmd {
	sec := b.section
	if sec == secEvents || b.loaded[sec] || b.parts[sec].loading || b.user == nil {
		return nil
	}
	id, email := b.user.ID, b.user.Email
	if email == "" {
		email = b.email
	}
	b.parts[sec].start()
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		m := partMsg{section: sec}
		switch sec {
		case secSessions:
			m.sessions, m.err = actions.LoadSessions(c, cl, id)
		case secFailed:
			m.fails, m.err = actions.LoadFailedLogins(c, cl, id)
		case secRequests:
			m.reqs, m.err = actions.LoadAccessRequests(c, cl, email, actions.DefaultAccessRequests)
		case secDevices:
			m.devices, m.err = actions.LoadDevices(c, cl, email)
		}
		return m
	})
}

func (b *userBody) partLen() int {
	switch b.section {
	case secSessions:
		return len(b.sessions)
	case secFailed:
		return len(b.fails)
	case secRequests:
		return len(b.reqs)
	case secDevices:
		return len(b.devices.Devices)
	}
	return 0
}

// wantVerdicts asks for the verdicts of the IPs the identity shows: the
// last seen IP and the Access requests' on screen.
func (b *userBody) wantVerdicts() tea.Cmd {
	var items []indicator.Found
	add := func(ip string) {
		if a, err := indicator.NormalizeIP(ip); err == nil {
			items = append(items, indicator.Found{Type: indicator.TypeIP, Value: a.String(), Addr: a})
		}
	}
	if b.lastSeen != nil && b.lastSeen.IP != "" {
		add(b.lastSeen.IP)
	}
	l := b.partList[secRequests]
	for i := l.Offset; i < min(len(b.reqs), l.Offset+20); i++ {
		add(b.reqs[i].IPAddress)
	}
	if len(items) == 0 {
		return nil
	}
	return pane.Emit(pane.WantVerdictsMsg{Items: items})
}

// partTable is the shown section as a table.
func (b *userBody) partTable(ctx *pane.Context) views.Table {
	t := views.Table{Cursor: b.partList[b.section].Cursor, Offset: b.partList[b.section].Offset, Focused: ctx.Focused}
	switch b.section {
	case secSessions:
		t.Columns = []views.Column{{Title: "Application", Min: 16}, {Title: "Host", Min: 16}, {Title: "Expires (UTC)", Width: 16}}
		t.N, t.Empty = len(b.sessions), "no active Access sessions"
		t.Row = func(i int) []string {
			s := b.sessions[i]
			var names, hosts []string
			for _, a := range s.AppList() {
				names, hosts = append(names, a.Name), append(hosts, a.Hostname)
			}
			exp := ""
			if e := s.ExpiresAt(); !e.IsZero() {
				exp = e.UTC().Format("2006-01-02 15:04")
			}
			name := strings.Join(names, ", ")
			if name == "" {
				name = s.Name
			}
			return []string{name, strings.Join(hosts, ", "), exp}
		}
	case secFailed:
		t.Columns = []views.Column{{Title: "When", Width: 20}, {Title: "Application", Min: 16}, {Title: "Ray ID", Width: 16}}
		t.N, t.Empty = len(b.fails), "no failed logins"
		t.Row = func(i int) []string {
			f := b.fails[i]
			when := f.When()
			if tm, ok := cloudflare.ParseTime(when); ok {
				when = tm.UTC().Format("2006-01-02 15:04 UTC")
			}
			return []string{when, f.AppName(), f.RayID()}
		}
	case secRequests:
		t.Columns = []views.Column{{Title: "Time (UTC)", Width: 16}, {Title: "Application", Min: 14}, {Title: "IP", Min: 15}, {Title: "Intel", Width: 7}, {Title: "Result", Width: 7}}
		t.N, t.Empty = len(b.reqs), "no Access requests"
		t.Row = func(i int) []string {
			r := b.reqs[i]
			res := "blocked"
			if r.Allowed {
				res = "allowed"
			}
			v := ""
			if a, err := indicator.NormalizeIP(r.IPAddress); err == nil {
				v = ctx.Verdict(string(indicator.TypeIP), a.String())
			}
			when := r.CreatedAt
			if tm, ok := cloudflare.ParseTime(r.CreatedAt); ok {
				when = tm.UTC().Format("2006-01-02 15:04")
			}
			return []string{when, r.AppDomain, r.IPAddress, v, res}
		}
		th := ctx.Theme
		t.Style = func(i, col int) lipStyle {
			switch col {
			case 3:
				return views.VerdictStyle(t.Row(i)[3], th)
			case 4:
				if !b.reqs[i].Allowed {
					return th.Warn
				}
			}
			return th.Value
		}
	case secDevices:
		t.Columns = []views.Column{{Title: "Name", Min: 14}, {Title: "OS", Min: 10}, {Title: "Last seen (UTC)", Width: 16}}
		t.N, t.Empty = len(b.devices.Devices), "no devices"
		t.Row = func(i int) []string {
			d := b.devices.Devices[i]
			seen := d.LastSeenAt
			if tm, ok := cloudflare.ParseTime(d.LastSeenAt); ok {
				seen = tm.UTC().Format("2006-01-02 15:04")
			}
			return []string{d.Name, strings.TrimSpace(d.DeviceType + " " + d.OSVersion), seen}
		}
	}
	return t
}

// resetWhy says why a reset cannot be reviewed now, "" when it can.
func (b *userBody) resetWhy(ctx *pane.Context) string {
	switch {
	case ctx.Conn.ReadOnly:
		return ctx.Conn.ReadOnlyWhy()
	case b.user == nil || b.risk == nil:
		return "no user loaded"
	}
	return ""
}

func (b *userBody) View(ctx *pane.Context) string {
	pg := views.UserPage{
		Email:     b.email,
		User:      b.user,
		Risk:      b.risk,
		Loading:   b.risk == nil && b.main.loading,
		Err:       errText(b.main.err),
		Filter:    b.filter,
		Filtering: b.filtering,
		Sort:      "time ↓",
		ReadOnly:  ctx.Conn.ReadOnly,
	}
	if b.byLevel {
		pg.Sort = "level ↓"
	}
	if why := b.resetWhy(ctx); why != "" {
		pg.ResetHint = "reset disabled: " + why
	} else {
		pg.ResetHint = "R reset risk"
	}
	if b.candidates != nil {
		pg.Pick = &views.UserPick{Users: b.candidates, Cursor: b.pick.Cursor}
	}
	pg.LastSeen = b.lastSeen
	if b.lastSeen == nil {
		switch {
		case b.lastSeenP.loading:
			pg.LastSeenNote = "loading…"
		case b.lastSeenP.err != nil:
			pg.LastSeenNote = "unavailable: " + partErrText(b.lastSeenP.err)
		}
	} else if a, err := indicator.NormalizeIP(b.lastSeen.IP); err == nil {
		pg.LastSeenVerdict = ctx.Verdict(string(indicator.TypeIP), a.String())
	}
	pg.Section = b.section
	if b.section != secEvents {
		pg.Part = b.partTable(ctx)
		switch p := b.parts[b.section]; {
		case p.loading:
			pg.SectionNote = "loading…"
		case p.err != nil:
			pg.SectionNote = "unavailable: " + partErrText(p.err)
		}
	}
	if b.risk != nil {
		evs := b.risk.Events
		th := ctx.Theme
		pg.EventCount = len(evs)
		pg.Events = views.Table{
			Columns: views.EventColumns,
			N:       len(b.idx),
			Row:     func(i int) []string { return views.EventRow(evs[b.idx[i]]) },
			Style: func(i, col int) lipStyle {
				if col == 1 {
					return views.LevelStyle(evs[b.idx[i]].RiskLevel, th)
				}
				return th.Value
			},
			Cursor:  b.list.Cursor,
			Offset:  b.list.Offset,
			Focused: ctx.Focused,
			Empty:   "no risk events",
		}
		if b.filter != "" {
			pg.Events.Empty = "no events match the filter"
		}
	}
	return b.memo.view(ctx, func(h int) string { return views.RenderUser(pg, ctx.Width, h, ctx.Theme) })
}

// took keeps the risk score's exchange: its age and what changed.
func (b *userBody) took(res actions.UserResult) {
	b.ex, b.stale = res.Exchange, false
	b.memo.took(res.Exchange)
	b.memo.reports[0] = actions.UserLookupChanges(res)
}

// Pin is the user's risk score on screen (c).
func (b *userBody) Pin() (pane.Pin, string) {
	if b.stale {
		return pane.Pin{}, "the user changed since it was read: ctrl+r reads it again, then c pins it"
	}
	if b.risk == nil || b.ex == nil {
		return pane.Pin{}, "no user on screen yet"
	}
	return pane.Pin{Kind: actions.KindUser, Indicator: b.email, Answers: answered(b.ex)}, ""
}

func (b *userBody) StopLoading() bool {
	b.main.stop()
	return b.risk != nil || b.candidates != nil || (b.main.err != nil && !errors.Is(b.main.err, errCanceled))
}

// partErrText explains a part that failed, naming the permission a 403
// lacks.
func partErrText(err error) string {
	if perm := actions.PartPermission(err); perm != "" {
		return "the token lacks " + perm
	}
	return errText(err)
}
