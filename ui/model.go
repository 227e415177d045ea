// Package ui is the interactive console: one root Bubble Tea model that
// routes. Panes, tools and dialogs are components behind the contract
// in ui/pane: they get a context and return commands and typed
// messages; the root owns the stack, focus and overlays, routes every
// key and every result, and is the only place screen-wide state
// changes. Rendering is delegated to views; every request runs in a
// tea.Cmd, never in Update.
package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/ui/pane"
	"cftriage/ui/request"
	"cftriage/views"
)

type focus int

const (
	focusOmni focus = iota
	focusPage
)

// Options configures the console beyond the session.
type Options struct {
	NoColor bool
	// DarkBG is the initial background guess; the terminal's answer to a
	// background-colour query replaces it.
	DarkBG bool
	Now    func() time.Time
}

// Model is the root model of the console.
type Model struct {
	// s is the session. Components never write it; the root changes it
	// in one place (setConn) when a login or the demo replaces the
	// connection.
	s    *actions.Session
	opts Options
	keys KeyMap
	th   views.Theme
	dark bool

	w, h int

	omni    textinput.Model
	omniErr string
	focus   focus
	// looked are the indicators looked up this session, newest first;
	// ↑/↓ in the search box recall them, then the demo's suggestions.
	looked    []string
	recallIdx int // -1: the analyst's own text
	draft     string

	// stack is the current trail: the lookup typed in the search box and
	// the drill-downs from it; the top is what is on screen. A new
	// search starts a new trail; the earlier ones are kept in trails.
	stack  []*page
	trails [][]*page
	nextID int
	// latest is the most recent page of each kind, kept after Back pops
	// it, so the tab keys can bring it back from memory.
	latest map[pane.Kind]*page

	spin    spinner.Model
	dialogs []*dialogEntry
	status  string // transient one-line message ("copied", "canceled")

	quota   cloudflare.Quota
	quotaAt time.Time // when quota was read: the reset is a clock time
	// quotaWait is the client's wait for the quota shared with other
	// processes, sampled on each spinner tick so the header says why a
	// lookup has not come back.
	quotaWait   cloudflare.QuotaWait
	quotaWaitOK bool

	// tools are the Request and Audit panes; toolIdx is the active one,
	// -1 when an investigation pane (the stack) is on screen.
	tools   []*toolEntry
	toolIdx int

	// verdicts are the intel verdicts lists show beside the indicators
	// they name (ui/verdicts.go); verdictAsked those being looked up.
	verdicts     map[string]string
	verdictAsked map[string]bool
	verdictSlot  *pane.Slot
}

// New builds the console for a session.
func New(s *actions.Session, o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	ti := steadyInput("› ", "IP, domain, email or ASN — paste anything, defanged is fine")
	ti.CharLimit = 2048
	ti.Focus()
	m := &Model{
		s:     s,
		opts:  o,
		keys:  DefaultKeyMap(),
		dark:  o.DarkBG,
		omni:  ti,
		focus: focusOmni,
		spin:  spinner.New(spinner.WithSpinner(spinner.MiniDot)),
		w:     80,
		h:     24,

		toolIdx:   -1,
		recallIdx: -1,
		latest:    map[pane.Kind]*page{},
	}
	m.th = views.NewTheme(m.dark, o.NoColor)
	m.registerTool(request.New(m.ctx(nil, m.w, m.bodyHeight()+2, false)))
	m.registerTool(newAuditTool())
	m.registerTool(newQueueTool())
	m.registerTool(newTriageTool())
	m.registerTool(newHistoryTool())
	m.registerTool(newCaseTool())
	if s.Client == nil {
		// Nothing configured: the first-run screen offers to set up a
		// token or to start the demo.
		m.pushPaneDialog(newFirstRun(s), 0)
	}
	return m
}

// recentMsg is the earlier runs' lookups, read off the first frame's
// path: a slow or locked database never delays the console.
type recentMsg struct{ looked []string }

// Init asks the terminal for its background so the theme fits it, and
// reads what ↑ recalls from earlier runs.
func (m *Model) Init() tea.Cmd {
	s := m.s
	return tea.Batch(tea.RequestBackgroundColor, func() tea.Msg { return recentMsg{s.RecentIndicators(50)} })
}

// conn is the connection as components see it, read from the session.
func (m *Model) conn() pane.Conn {
	s := m.s
	return pane.Conn{
		Client: s.Client, Profile: s.Profile, AccountID: s.AccountID, AccountName: s.AccountName,
		Demo: s.Demo, ReadOnly: s.ReadOnly, ReadOnlyReason: s.ReadOnlyReason, Suggestions: s.Suggestions,
	}
}

// ctx builds the context a component is called with.
func (m *Model) ctx(slot *pane.Slot, w, h int, focused bool) *pane.Context {
	c := pane.Context{
		Theme: m.th, Keys: &m.keys, Width: w, Height: h, ListHeight: max(1, h/2),
		Focused: focused, Conn: m.conn(), Session: m.s, Now: m.opts.Now, Verdicts: m.verdicts, TrailsOf: m.trailCrumbs,
	}
	return c.WithSlot(slot)
}

// pageCtx is the context of a page in the body area.
func (m *Model) pageCtx(p *page) *pane.Context {
	return m.ctx(p.slot, m.w, m.bodyHeight(), m.focus == focusPage)
}

func (m *Model) top() *page {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

func (m *Model) busy() bool {
	for _, p := range m.stack {
		if p.slot.Pending > 0 {
			return true
		}
	}
	return false
}

// Update routes every message. It never performs I/O: lookups are
// returned as commands.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.omni.SetWidth(max(10, m.w-4))
		m.resizeAll()
		return m, nil
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.th = views.NewTheme(m.dark, m.opts.NoColor)
		m.resizeAll()
		return m, nil
	case spinner.TickMsg:
		m.quotaWaitOK = false
		if m.s.Client != nil {
			m.quotaWait, m.quotaWaitOK = m.s.Client.QuotaWaiting()
		}
		if !m.busy() {
			return m, nil // let the tick chain stop while idle
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case pane.Result:
		return m, m.route(msg)
	case loginMsg:
		return m, m.setConn(msg)
	case recentMsg:
		// This run's lookups stay first; earlier runs' follow.
		for _, v := range msg.looked {
			if !slices.Contains(m.looked, v) && len(m.looked) < 50 {
				m.looked = append(m.looked, v)
			}
		}
		return m, nil
	case tea.PasteMsg:
		if cmd, ok := m.routePaste(msg); ok {
			return m, cmd
		}
		// Elsewhere a paste lands in the omnibox: that is what an analyst
		// pasting an indicator wants.
		if len(m.dialogs) == 0 {
			m.setFocus(focusOmni)
		}
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	default:
		if cmd, ok := m.intent(msg); ok {
			return m, cmd
		}
	}
	if m.focus == focusOmni && len(m.dialogs) == 0 && m.activeTool() == nil {
		var cmd tea.Cmd
		m.omni, cmd = m.omni.Update(msg)
		return m, cmd
	}
	return m, nil
}

// intent carries out what a component asked of the root.
func (m *Model) intent(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case pane.StatusMsg:
		m.status = msg.Text
	case pane.OpenMsg:
		if msg.NewTrail {
			m.newTrail()
		}
		cmd := m.openText(msg.Text, msg.Want)
		if p := m.top(); p != nil && msg.Return != "" && len(m.stack) == 1 {
			p.returnTo = msg.Return
		}
		return cmd, true
	case pane.OpenUserMsg:
		if msg.NewTrail {
			m.newTrail()
		}
		cmd := m.push(newUserPageFor(msg.User))
		if p := m.top(); p != nil && msg.Return != "" && len(m.stack) == 1 {
			p.returnTo = msg.Return
		}
		return cmd, true
	case pane.PushDialogMsg:
		return m.pushPaneDialog(msg.Dialog, msg.Opener), true
	case pane.ToMsg:
		return m.deliver(msg.ID, msg.Msg), true
	case pane.ReloadMsg:
		if p := m.findPage(msg.ID); p != nil {
			return m.refresh(p), true
		}
	case pane.SeenUserMsg:
		var cmds []tea.Cmd
		for _, t := range m.tools {
			if t.t != nil {
				cmds = append(cmds, t.t.Update(m.toolCtx(t), msg))
			}
		}
		return tea.Batch(cmds...), true
	case pane.ConfigMsg:
		m.s.Config = msg.Config
	case pane.HelpMsg:
		m.openHelp()
	case pane.OpenTrailMsg:
		return m.openTrail(msg.Index), true
	case pane.WantVerdictsMsg:
		return m.wantVerdicts(msg.Items), true
	case pane.SwitchToolMsg:
		for i, t := range m.tools {
			if t.title() == msg.Title {
				return m.switchTool(i), true
			}
		}
	default:
		return nil, false
	}
	return nil, true
}

// setConn installs the connection a login or the demo made: the one
// place the console's session changes.
func (m *Model) setConn(l loginMsg) tea.Cmd {
	s, r := m.s, l.sess
	if l.demo {
		s.Adopt(r) // the console session's Close stops the simulator
		s.Demo, s.BaseURL, s.Suggestions = true, r.BaseURL, r.Suggestions
	} else {
		s.Config, s.Profile = r.Config, r.Profile
	}
	s.AccountID, s.AccountName = r.AccountID, r.AccountName
	s.Client, s.CredentialErr, s.TokenSource = l.client, nil, l.source
	m.status = l.status
	m.setFocus(focusOmni)
	return nil
}

// route delivers an asynchronous result to the component that asked,
// when its generation is still current: the one stale-result rule.
func (m *Model) route(r pane.Result) tea.Cmd {
	if r.Quota.Known {
		m.quota, m.quotaAt = r.Quota, m.opts.Now()
	}
	if m.verdictSlot != nil && r.ID == m.verdictSlot.ID {
		m.verdictSlot.Pending = max(0, m.verdictSlot.Pending-1)
		if v, ok := r.Msg.(verdictsMsg); ok {
			m.takeVerdicts(v)
		}
		return nil
	}
	if p := m.findPage(r.ID); p != nil {
		if p.slot.Gen != r.Gen {
			return nil
		}
		p.slot.Pending = max(0, p.slot.Pending-1)
		return p.Update(m.pageCtx(p), r.Msg)
	}
	for _, t := range m.tools {
		if t.t != nil && t.slot.ID == r.ID {
			if t.slot.Gen != r.Gen {
				return nil
			}
			t.slot.Pending = max(0, t.slot.Pending-1)
			return t.t.Update(m.toolCtx(t), r.Msg)
		}
	}
	for _, d := range m.dialogs {
		if d.d != nil && d.slot.ID == r.ID {
			if d.slot.Gen != r.Gen {
				return nil
			}
			d.slot.Pending = max(0, d.slot.Pending-1)
			return m.updateDialogEntry(d, r.Msg)
		}
	}
	return nil // its component is gone
}

// deliver gives msg to the component with slot id, whatever its
// generation (a dialog's outcome for the page that opened it).
func (m *Model) deliver(id int, msg tea.Msg) tea.Cmd {
	if p := m.findPage(id); p != nil {
		return p.Update(m.pageCtx(p), msg)
	}
	for _, t := range m.tools {
		if t.t != nil && t.slot.ID == id {
			return t.t.Update(m.toolCtx(t), msg)
		}
	}
	return nil
}

func (m *Model) newSlot() *pane.Slot {
	m.nextID++
	return pane.NewSlot(m.nextID)
}

func (m *Model) setFocus(f focus) {
	m.focus = f
	if f == focusOmni {
		m.omni.Focus()
	} else {
		m.omni.Blur()
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.ForceQuit.Binding) {
		m.cancelAll()
		return tea.Quit
	}
	if len(m.dialogs) > 0 {
		if m.activeTool() != nil {
			m.status = "" // a tool shows it in the footer, over the dialog's keys
		}
		return m.updateDialog(msg)
	}
	m.status = ""
	if t := m.activeTool(); t != nil {
		ctx := m.toolCtx(t)
		return m.dispatch(ctx, t.t, msg)
	}
	if m.focus == focusOmni {
		return m.handleOmniKey(msg)
	}
	p := m.top()
	if p == nil {
		cmd, _ := m.globalKey(msg)
		return cmd
	}
	return m.dispatch(m.pageCtx(p), p, msg)
}

// dispatch is the key rule of ui/pane for the focused component: its
// bindings first (a disabled one says why), then, unless it is taking
// text, the global keys, then its Update.
func (m *Model) dispatch(ctx *pane.Context, c pane.Component, msg tea.KeyPressMsg) tea.Cmd {
	if b, ok := pane.Find(c.Bindings(ctx), msg); ok && (b.Do != nil || b.Why != "") {
		if b.Why != "" {
			m.status = b.Help().Desc + " disabled: " + b.Why
			return nil
		}
		return b.Do()
	}
	if !c.Capturing() {
		if cmd, ok := m.globalKey(msg); ok {
			return cmd
		}
	}
	return c.Update(ctx, msg)
}

// globalBindings are the keys that work everywhere outside text fields,
// with what they do.
func (m *Model) globalBindings() []Binding {
	k := m.keys
	inTool := m.activeTool() != nil
	quit := k.Quit.Does(func() tea.Cmd { m.cancelAll(); return tea.Quit })
	help := k.Help.Does(func() tea.Cmd { m.openHelp(); return nil })
	search := k.Omnibox.Does(func() tea.Cmd { m.leaveTool(); m.setFocus(focusOmni); return nil })
	back := k.Back.Does(func() tea.Cmd {
		if inTool {
			m.leaveTool()
			return nil
		}
		return m.back()
	})
	tabs := []Binding{
		k.Tab1.Does(func() tea.Cmd { return m.switchTab(pane.KindIP) }),
		k.Tab2.Does(func() tea.Cmd { return m.switchTab(pane.KindDomain) }),
		k.Tab3.Does(func() tea.Cmd { return m.switchTab(pane.KindUser) }),
		k.Tab4.Does(func() tea.Cmd { return m.switchTool(0) }),
		k.Tab5.Does(func() tea.Cmd { return m.switchTool(1) }),
		k.Tab6.Does(func() tea.Cmd { return m.switchTool(2) }),
		k.Tab7.Does(func() tea.Cmd { return m.switchTool(3) }),
		k.Tab8.Does(func() tea.Cmd { return m.switchTool(4) }),
		k.Tab9.Does(func() tea.Cmd { return m.switchTool(5) }),
	}
	bs := []Binding{quit, help, search, back}
	bs = append(bs, tabs...)
	if !inTool {
		next := k.NextFocus.Does(func() tea.Cmd { m.setFocus(focusOmni); return nil })
		refresh := k.Refresh.Does(func() tea.Cmd {
			if p := m.top(); p != nil && p.slot.Pending == 0 {
				return m.refresh(p)
			}
			return nil
		})
		if m.top() == nil {
			refresh.Why = "nothing to refresh"
		}
		bs = append(bs, next, refresh, m.pinBinding())
	}
	return bs
}

// globalKey runs the global binding msg matches, if any.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	b, ok := pane.Find(m.globalBindings(), msg)
	if !ok {
		return nil, false
	}
	if b.Why != "" {
		m.status = b.Help().Desc + " disabled: " + b.Why
		return nil, true
	}
	return b.Do(), true
}

func (m *Model) handleOmniKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Submit.Binding):
		return m.submit(m.omni.Value())
	case key.Matches(msg, k.Cancel.Binding):
		if p := m.top(); p != nil && p.slot.Pending > 0 {
			return m.back() // Esc cancels the running lookup wherever focus is
		}
		if m.omniErr != "" || m.omni.Value() != "" {
			m.omniErr = ""
			m.omni.Reset()
			return nil
		}
		// Leaving the search box (even on the empty screen) lets the
		// single-key commands work: tabs 1-6, ? and q.
		m.setFocus(focusPage)
		return nil
	case key.Matches(msg, k.NextFocus.Binding):
		m.setFocus(focusPage)
		return nil
	case key.Matches(msg, k.Recall.Binding):
		m.recall(key.Matches(msg, k.Up.Binding))
		return nil
	}
	var cmd tea.Cmd
	m.omni, cmd = m.omni.Update(msg)
	m.omniErr = ""
	m.recallIdx = -1
	return cmd
}

// recallList is what ↑ steps through: this session's lookups, newest
// first, then the suggestions not already among them.
func (m *Model) recallList() []string {
	out := append([]string(nil), m.looked...)
	for _, s := range m.s.Suggestions {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// recall moves through earlier lookups and suggestions, like a shell's
// history; stepping back past the newest restores what was typed.
func (m *Model) recall(older bool) {
	list := m.recallList()
	if len(list) == 0 {
		return
	}
	if m.recallIdx == -1 {
		m.draft = m.omni.Value()
	}
	if older {
		m.recallIdx = min(m.recallIdx+1, len(list)-1)
	} else {
		m.recallIdx--
	}
	m.omniErr = ""
	if m.recallIdx < 0 {
		m.recallIdx = -1
		m.omni.SetValue(m.draft)
	} else {
		m.omni.SetValue(list[m.recallIdx])
	}
	m.omni.CursorEnd()
}

// submit detects what was typed and opens the right pane on a new
// trail; nothing is sent for input it cannot read.
func (m *Model) submit(input string) tea.Cmd {
	input = strings.TrimSpace(input)
	if input == "" {
		m.omniErr = "type an IP, domain, email or ASN"
		return nil
	}
	ind, err := indicator.Detect(input)
	if err != nil {
		m.omniErr = errText(err)
		return nil
	}
	p, why := m.pageFor(ind)
	if p == nil {
		m.omniErr = why
		return nil
	}
	m.omniErr = ""
	m.omni.Reset()
	m.remember(ind.Value)
	m.newTrail()
	return m.push(p)
}

func (m *Model) remember(v string) {
	m.looked = slices.DeleteFunc(m.looked, func(s string) bool { return s == v })
	m.looked = append([]string{v}, m.looked...)
	if len(m.looked) > 50 {
		m.looked = m.looked[:50]
	}
	m.recallIdx = -1
}

// pageFor makes the page for an indicator, or says why there is none.
func (m *Model) pageFor(ind indicator.Indicator) (*page, string) {
	if m.s.Client == nil {
		return nil, "no API token configured: run `cftriage auth login`, set CLOUDFLARE_API_TOKEN, or start with --demo"
	}
	var c pane.Page
	switch ind.Kind {
	case indicator.IP:
		c = newIPBody(ind)
	case indicator.Domain:
		c = newDomainBody(ind.Value)
	case indicator.Email:
		c = newUserBody(ind.Value)
	case indicator.ASN:
		c = newASNBody(ind.ASN)
	default:
		return nil, "cannot tell what that is: try an IP, domain, email or ASN"
	}
	return &page{Page: c}, ""
}

// openText opens a value taken from API data (a hostname, an IP in event
// details) on the current trail. The value is validated like typed
// input: hostile or odd data gets a message, not a request.
func (m *Model) openText(v string, want indicator.Kind) tea.Cmd {
	ind, err := indicator.Detect(v)
	if err != nil || (want != indicator.Unknown && ind.Kind != want) {
		m.status = "cannot open " + pane.Clip(views.Sanitize(v), 40) + ": not a valid " + kindWord(want)
		return nil
	}
	p, why := m.pageFor(ind)
	if p == nil {
		m.status = why
		return nil
	}
	return m.push(p)
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

func (m *Model) cancelAll() {
	if m.verdictSlot != nil {
		m.verdictSlot.Cancel()
	}
	for _, p := range m.allPages() {
		p.slot.Cancel()
	}
	for _, t := range m.tools {
		t.shutdown()
	}
}

func (m *Model) resizeAll() {
	for _, p := range m.stack {
		p.Resize(m.pageCtx(p))
	}
	m.resizeTools()
}

// bodyHeight is the rows left for the pane: header, tabs, omnibox,
// breadcrumb and footer take one each.
func (m *Model) bodyHeight() int { return max(1, m.h-5) }

// listHeight is how many rows a pane's list may show; panes use it to
// keep the cursor on screen when moving by pages.
func (m *Model) listHeight() int { return max(1, m.bodyHeight()/2) }

// errText turns any error into the sentence shown inline.
func errText(err error) string {
	if err == nil {
		return ""
	}
	t := actions.Explain(err)
	if actions.TimedOutRead(err) {
		t += " Press ctrl+r to try again." // a read: safe to repeat
	}
	return t
}

// quotaText is the header's quota: as of the last response, with the
// window's reset as a clock time, so it cannot read as a countdown that
// stopped. Once that time has passed the figure is stale and says so.
func (m *Model) quotaText() string {
	q := m.quota
	if !q.Known {
		return ""
	}
	s := fmt.Sprintf("%d/%d", q.Remaining, q.Limit)
	if q.Reset > 0 && q.Remaining < q.Limit {
		at := m.quotaAt.Add(q.Reset)
		if m.opts.Now().Before(at) {
			s += " · resets " + at.Format("15:04:05")
		} else {
			s += " · as of " + m.quotaAt.Format("15:04:05")
		}
	}
	return s
}
