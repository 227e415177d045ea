// Package ui is the interactive console: one root Bubble Tea model that
// owns all state and routes keys by focus. Rendering is delegated to the
// views package; every request runs in a tea.Cmd, never in Update.
package ui

import (
	"context"
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

	// stack is the drill-down history; the top is what is on screen.
	// Back pops it; pages keep their data and scroll positions.
	stack  []*page
	nextID int
	// latest is the most recent page of each kind, kept after Back pops
	// it, so the tab keys can bring it back from memory.
	latest map[pageKind]*page

	spin    spinner.Model
	dialogs []dialog
	status  string // transient one-line message ("copied", "canceled")

	quota cloudflare.Quota
	// quotaWait is the client's wait for the quota shared with other
	// processes, sampled on each spinner tick so the header says why a
	// lookup has not come back.
	quotaWait   cloudflare.QuotaWait
	quotaWaitOK bool

	// tools are the Request and Audit panes; toolIdx is the active one,
	// -1 when an investigation pane (the stack) is on screen.
	tools   []tool
	toolIdx int
}

// New builds the console for a session.
func New(s *actions.Session, o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	ti := textinput.New()
	ti.Prompt = "› "
	ti.Placeholder = "IP, domain, email or ASN — paste anything, defanged is fine"
	ti.CharLimit = 2048
	// A steady cursor: blinking costs a timer per key press for nothing.
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
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
		latest:    map[pageKind]*page{},
	}
	m.th = views.NewTheme(m.dark, o.NoColor)
	m.registerTool(newRequestTool(m))
	m.registerTool(newAuditTool(m))
	if s.Client == nil {
		// Nothing configured: the first-run screen offers to set up a
		// token or to start the demo.
		m.pushDialog(newFirstRun(m))
	}
	return m
}

// Init asks the terminal for its background so the theme fits it.
func (m *Model) Init() tea.Cmd {
	return tea.RequestBackgroundColor
}

func (m *Model) top() *page {
	if len(m.stack) == 0 {
		return nil
	}
	return m.stack[len(m.stack)-1]
}

// findPage returns the page with id in the stack, or nil when it is gone
// (popped or canceled): its late results are then dropped.
func (m *Model) findPage(id int) *page {
	for _, p := range m.stack {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (m *Model) busy() bool {
	for _, p := range m.stack {
		if p.pending > 0 {
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
		m.clampAll()
		m.resizeTools()
		return m, nil
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.th = views.NewTheme(m.dark, m.opts.NoColor)
		m.resizeTools()
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
	case resultMsg:
		return m, m.applyResult(msg)
	case toolMsg:
		return m, msg.apply(m)
	case tea.PasteMsg:
		// A dialog or tool with a text field takes its own pastes
		// (routePaste, ui/request_keys.go).
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
	}
	if m.focus == focusOmni && len(m.dialogs) == 0 {
		var cmd tea.Cmd
		m.omni, cmd = m.omni.Update(msg)
		return m, cmd
	}
	return m, nil
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
		return m.updateDialog(msg)
	}
	m.status = ""
	if t := m.activeTool(); t != nil {
		if cmd, handled := t.key(m, msg); handled || t.capturing() {
			return cmd
		}
		return m.globalKey(msg, nil)
	}
	if m.focus == focusOmni {
		return m.handleOmniKey(msg)
	}
	p := m.top()
	if p != nil && p.capturesText() {
		return p.handleKey(m, msg)
	}
	if cmd, ok := m.globalKeyOK(msg, p); ok {
		return cmd
	}
	if p != nil {
		return p.handleKey(m, msg)
	}
	return nil
}

// globalKey handles the keys that work on every pane when not typing.
func (m *Model) globalKey(msg tea.KeyPressMsg, p *page) tea.Cmd {
	cmd, _ := m.globalKeyOK(msg, p)
	return cmd
}

func (m *Model) globalKeyOK(msg tea.KeyPressMsg, p *page) (tea.Cmd, bool) {
	k := m.keys
	inTool := m.activeTool() != nil
	switch {
	case key.Matches(msg, k.Quit.Binding):
		m.cancelAll()
		return tea.Quit, true
	case key.Matches(msg, k.Help.Binding):
		m.pushDialog(&helpDialog{})
		return nil, true
	case key.Matches(msg, k.Omnibox.Binding), !inTool && key.Matches(msg, k.NextFocus.Binding):
		m.leaveTool()
		m.setFocus(focusOmni)
		return nil, true
	case key.Matches(msg, k.Back.Binding):
		if inTool {
			m.leaveTool()
			return nil, true
		}
		return m.back(), true
	case key.Matches(msg, k.Tab1.Binding):
		return m.switchTab(kindIP), true
	case key.Matches(msg, k.Tab2.Binding):
		return m.switchTab(kindDomain), true
	case key.Matches(msg, k.Tab3.Binding):
		return m.switchTab(kindUser), true
	case key.Matches(msg, k.Tab4.Binding):
		return m.switchTool(0), true
	case key.Matches(msg, k.Tab5.Binding):
		return m.switchTool(1), true
	case !inTool && key.Matches(msg, k.Refresh.Binding):
		if p != nil && p.pending == 0 {
			return m.reload(p), true
		}
		return nil, true
	}
	return nil, false
}

func (m *Model) handleOmniKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Submit.Binding):
		return m.submit(m.omni.Value())
	case key.Matches(msg, k.Cancel.Binding):
		if p := m.top(); p != nil && p.pending > 0 {
			return m.back() // Esc cancels the running lookup wherever focus is
		}
		if m.omniErr != "" || m.omni.Value() != "" {
			m.omniErr = ""
			m.omni.Reset()
			return nil
		}
		// Leaving the search box (even on the empty screen) lets the
		// single-key commands work: tabs 1-5, ? and q.
		m.setFocus(focusPage)
		return nil
	case key.Matches(msg, k.NextFocus.Binding):
		m.setFocus(focusPage)
		return nil
	case key.Matches(msg, k.Recall.Binding):
		m.recall(msg.String() == "up")
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

// submit detects what was typed and opens the right pane; nothing is
// sent for input it cannot read.
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
	m.omniErr = ""
	m.omni.Reset()
	m.remember(ind.Value)
	return m.open(ind)
}

func (m *Model) remember(v string) {
	m.looked = slices.DeleteFunc(m.looked, func(s string) bool { return s == v })
	m.looked = append([]string{v}, m.looked...)
	if len(m.looked) > 50 {
		m.looked = m.looked[:50]
	}
	m.recallIdx = -1
}

// open pushes a page for an indicator and starts its lookup.
func (m *Model) open(ind indicator.Indicator) tea.Cmd {
	if m.s.Client == nil {
		m.omniErr = "no API token configured: run `cftriage auth login`, set CLOUDFLARE_API_TOKEN, or start with --demo"
		return nil
	}
	var p *page
	switch ind.Kind {
	case indicator.IP:
		p = newIPPage(ind)
	case indicator.Domain:
		p = newDomainPage(ind.Value)
	case indicator.Email:
		p = newUserPage(ind.Value)
	case indicator.ASN:
		p = newASNPage(ind.ASN)
	default:
		m.omniErr = "cannot tell what that is: try an IP, domain, email or ASN"
		return nil
	}
	return m.push(p)
}

// push puts a new page on the stack and starts its lookup.
func (m *Model) push(p *page) tea.Cmd {
	m.nextID++
	p.id = m.nextID
	m.stack = append(m.stack, p)
	m.latest[p.kind] = p
	m.trimStack()
	m.leaveTool()
	m.setFocus(focusPage)
	return tea.Batch(m.reload(p), m.spin.Tick)
}

// maxStack bounds the drill-down history: a long session must not keep
// every page (some hold 10,000 events) alive.
const maxStack = 64

// trimStack forgets the oldest pages beyond maxStack, canceling those
// that no longer appear anywhere in the stack.
func (m *Model) trimStack() {
	for len(m.stack) > maxStack {
		old := m.stack[0]
		m.stack = m.stack[1:]
		if m.findPage(old.id) == nil && old.cancel != nil {
			old.cancel()
		}
	}
}

// reload (re)starts every request of a page under a fresh context.
func (m *Model) reload(p *page) tea.Cmd {
	if p.cancel != nil {
		p.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.ctx, p.cancel = ctx, cancel
	p.gen++
	p.pending = 0
	cmds := p.start(m)
	return tea.Batch(append(cmds, m.spin.Tick)...)
}

// back cancels the top page's lookup if one runs, else pops it. The
// page below comes back from memory, with its scroll position.
func (m *Model) back() tea.Cmd {
	p := m.top()
	if p == nil {
		return nil
	}
	if p.pending > 0 {
		p.cancel()
		if p.body.stopLoading() {
			// The page has its main result: cancel only what is still
			// loading (more records, subnets) and stay.
			p.ctx, p.cancel = context.WithCancel(context.Background())
			p.gen++
			p.pending = 0
			m.status = "canceled"
			return nil
		}
		m.stack = m.stack[:len(m.stack)-1]
		if m.latest[p.kind] == p {
			delete(m.latest, p.kind) // nothing loaded: nothing to bring back
		}
		m.status = "lookup canceled"
		if m.top() == nil {
			m.setFocus(focusOmni)
		}
		return nil
	}
	if e, ok := p.body.(escaper); ok && e.escape(m) {
		return nil
	}
	if len(m.stack) == 1 {
		m.status = "this is the start of the path: / searches, q quits"
		return nil
	}
	// Nothing is in flight, so the page's context stays usable: the tab
	// keys may bring it back.
	m.stack = m.stack[:len(m.stack)-1]
	return nil
}

// escaper is a body that undoes something of its own on Esc (a filter)
// before Esc means Back.
type escaper interface{ escape(m *Model) bool }

// switchTab brings back the most recent page of a kind. It is pushed
// again rather than moved, so the breadcrumb stays the true path of the
// investigation and Back returns to where the analyst was.
func (m *Model) switchTab(k pageKind) tea.Cmd {
	m.leaveTool()
	if p := m.latest[k]; p != nil {
		if m.top() != p {
			if p.ctx == nil || p.ctx.Err() != nil {
				p.ctx, p.cancel = context.WithCancel(context.Background())
			}
			m.stack = append(m.stack, p)
			m.trimStack()
		}
		m.setFocus(focusPage)
		return nil
	}
	m.setFocus(focusOmni)
	m.status = fmt.Sprintf("no %s yet: type one in the search box", kindNames[k])
	return nil
}
func (m *Model) cancelAll() {
	for _, p := range m.stack {
		if p.cancel != nil {
			p.cancel()
		}
	}
	for _, t := range m.tools {
		if s, ok := t.(shutdowner); ok {
			s.shutdown()
		}
	}
}

func (m *Model) clampAll() {
	for _, p := range m.stack {
		p.clamp(m)
	}
}

// bodyHeight is the rows left for the pane: header, tabs, omnibox,
// breadcrumb and footer take one each.
func (m *Model) bodyHeight() int { return max(1, m.h-5) }

// listHeight is how many rows a pane's list may show; panes use it to
// keep the cursor on screen when moving by pages.
func (m *Model) listHeight() int { return max(1, m.bodyHeight()/2) }

// errText turns any error into the sentence shown inline.
func errText(err error) string { return actions.Explain(err) }
