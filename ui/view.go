package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
	"cftriage/views"
)

// tabNames are the pane tabs: the investigation kinds, then the tools,
// then the ASN pane (no key: it opens from a search or an IP) while it
// is on screen.
func (m *Model) tabNames() []string {
	names := []string{"1 IP", "2 Domain", "3 User"}
	for i, t := range m.tools {
		names = append(names, fmt.Sprintf("%d %s", 4+i, t.title()))
	}
	if p := m.top(); p != nil && m.activeTool() == nil && p.Kind() == pane.KindASN {
		names = append(names, "ASN")
	}
	return names
}

func (m *Model) activeTab() int {
	if m.activeTool() != nil {
		return 3 + m.toolIdx
	}
	p := m.top()
	switch {
	case p == nil:
		return -1
	case p.Kind() == pane.KindASN:
		return 3 + len(m.tools)
	}
	return int(p.Kind())
}

// View renders the whole screen: header, tabs, omnibox, breadcrumb, the
// pane (or the welcome screen), the footer, and any dialog over it.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "cftriage"
	return v
}

func (m *Model) render() string {
	w, h := m.w, m.h
	if w <= 0 || h <= 0 {
		return ""
	}
	th := m.th
	lines := make([]string, 0, h)
	lines = append(lines, views.Header(m.headerInfo(), w, th))
	lines = append(lines, views.Tabs(m.tabNames(), m.activeTab(), w, th))
	var bodyStr string
	if t := m.activeTool(); t != nil {
		// A tool takes the search and breadcrumb rows as well.
		lines = append(lines, t.t.View(m.toolCtx(t)))
	} else {
		lines = append(lines, views.InputLine(m.omni.View(), w))
		notice := m.noticeLine(w)
		lines = append(lines, notice)
		// A long notice takes rows from the pane until the next key.
		bodyStr = m.paneBody(w, m.bodyHeight()-strings.Count(notice, "\n"))
	}
	if bodyStr != "" {
		lines = append(lines, bodyStr)
	}
	if m.status != "" && m.activeTool() != nil {
		// A tool has no notice row: its footer says it until the next key.
		lines = append(lines, views.Notice(m.status, false, w, th))
	} else {
		lines = append(lines, views.Footer(m.footerHints(), w, th))
	}
	screen := strings.Join(lines, "\n")
	if e := m.topDialog(); e != nil {
		screen = views.Overlay(screen, e.view(m), w, h)
	}
	return screen
}

func (m *Model) paneBody(w, bh int) string {
	if p := m.top(); p != nil {
		ctx := m.pageCtx(p)
		ctx.Height = bh
		return p.View(ctx)
	}
	return views.Welcome(m.s.Suggestions, m.s.Demo, w, bh, m.th)
}

// noticeLine is the breadcrumb, unless there is an inline error or a
// status to show: those take its place until the next key.
func (m *Model) noticeLine(w int) string {
	switch {
	case m.omniErr != "":
		return views.Notice(m.omniErr, true, w, m.th)
	case m.status != "":
		return views.Notice(m.status, false, w, m.th)
	}
	return views.Breadcrumb(m.crumbs(), w, m.th)
}

func (m *Model) crumbs() []string {
	out := make([]string, len(m.stack))
	for i, p := range m.stack {
		out[i] = p.Crumb()
	}
	return out
}

func (m *Model) headerInfo() views.HeaderInfo {
	hi := views.HeaderInfo{
		Profile:  m.s.Profile,
		Account:  m.s.AccountName,
		Demo:     m.s.Demo,
		ReadOnly: m.s.ReadOnly,
		Quota:    m.quotaText(),
	}
	if hi.Account == "" {
		hi.Account = m.s.AccountID
	}
	if m.busy() {
		hi.Busy = m.spin.View() + " loading"
		if w := m.quotaWait; m.quotaWaitOK {
			// Waiting for the window another cftriage process used up.
			hi.Busy = m.spin.View() + " waiting for the API quota until " + w.Until.Format("15:04:05") + " · esc cancels"
		}
	}
	return hi
}

func hint(b Binding) views.KeyHint {
	h := b.Help()
	return views.KeyHint{Key: h.Key, Desc: h.Desc, Disabled: b.Why != "" || !b.Enabled(), Why: b.Why}
}

func hintsOf(bs []Binding) []views.KeyHint {
	out := make([]views.KeyHint, 0, len(bs))
	for _, b := range bs {
		out = append(out, hint(b))
	}
	return out
}

func shown(bs []Binding) []Binding {
	out := make([]Binding, 0, len(bs))
	for _, b := range bs {
		if !b.Hide {
			out = append(out, b)
		}
	}
	return out
}

// footerHints are the keys that work right now, by focus: the same
// bindings the keys are dispatched by.
func (m *Model) footerHints() []views.KeyHint {
	k := m.keys
	if e := m.topDialog(); e != nil {
		return hintsOf(shown(e.bindings(m)))
	}
	if t := m.activeTool(); t != nil {
		own := t.t.Bindings(m.toolCtx(t))
		bs := shown(own)
		if !t.capturing() {
			// A global key the tool binds itself acts as the tool says
			// (esc in the Request pane never leaves it, nor cancels a
			// write): its global meaning is not offered.
			for _, g := range []Binding{k.Back, k.Help, k.Quit} {
				if !boundBy(g, own) {
					bs = append(bs, g)
				}
			}
		}
		return hintsOf(bs)
	}
	if m.focus == focusOmni {
		return hintsOf(m.omniBindings())
	}
	p := m.top()
	if p == nil {
		return hintsOf([]Binding{k.Omnibox, k.Help, k.Quit})
	}
	own := shown(p.Bindings(m.pageCtx(p)))
	if p.Capturing() {
		return hintsOf(own)
	}
	if _, ok := p.Page.(pane.Pinner); ok {
		own = append(own, m.pinBinding())
	}
	bs := append(own, k.Back, k.Omnibox, k.Help, k.Quit)
	return hintsOf(bs)
}

// boundBy reports that one of g's keys is bound in bs.
func boundBy(g Binding, bs []Binding) bool {
	for _, b := range bs {
		for _, k := range g.Keys() {
			if slices.Contains(b.Keys(), k) {
				return true
			}
		}
	}
	return false
}

// omniBindings are the search box's keys.
func (m *Model) omniBindings() []Binding {
	k := m.keys
	bs := []Binding{k.Submit}
	if len(m.recallList()) > 0 {
		bs = append(bs, k.Recall)
	}
	c := k.Cancel
	if m.top() != nil {
		c.SetHelp("esc", "back to results")
	} else {
		c.SetHelp("esc", "leave search (for 1-9, ?, q)")
	}
	return append(bs, c, k.ForceQuit)
}

// helpGroups is the key map for the help overlay: the global keys and
// those of what has the focus (the dialog on top, the tool, the pane or
// the search box), read from the bindings themselves. (Every pane's keys
// at once would not fit 80×24; the README has the whole map.)
func (m *Model) helpGroups() []views.HelpGroup {
	var title string
	var own []Binding
	global := true
	switch p := m.top(); {
	case m.describedDialog() != nil:
		e := m.describedDialog()
		title, own, global = m.dialogTitle(e), e.bindings(m), false
	case m.activeTool() != nil:
		t := m.activeTool()
		title = t.title() + " pane"
		own = t.t.Bindings(m.toolCtx(t))
	case m.focus == focusOmni:
		title, own = "Search box", m.omniBindings()
	case p != nil:
		title, own = kindTitles[p.Kind()]+" pane", p.Bindings(m.pageCtx(p))
	}
	var groups []views.HelpGroup
	if global {
		groups = append(groups, views.HelpGroup{Title: "Global", Keys: hintsOf(m.helpGlobals())})
	}
	// Describe what each key does, not whether it works on this very
	// row (the footer shows that) — except read-only mode, whose reason
	// is the point.
	own = append([]Binding(nil), own...)
	for i := range own {
		if !strings.HasPrefix(own[i].Why, "read-only") {
			own[i].Why = ""
		}
	}
	if len(own) > 0 {
		groups = append(groups, views.HelpGroup{Title: title, Keys: hintsOf(own)})
	}
	return groups
}

// helpGlobals are the global keys as help lists them.
func (m *Model) helpGlobals() []Binding {
	k := m.keys
	// One line for the pane keys keeps help within 80×24.
	panes := Binding{Binding: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "switch pane"))}
	if m.activeTool() != nil {
		// A tool gives /, y, esc, tab and ctrl+r meanings of its own:
		// listing the investigation meanings here would contradict it.
		return []Binding{panes, k.Help, k.Quit, k.ForceQuit}
	}
	return []Binding{k.Omnibox, k.NextFocus, k.Back, panes, k.Refresh, k.Pin, k.Help, k.Quit, k.ForceQuit}
}

// dialogTitle names a dialog in help.
func (m *Model) dialogTitle(e *dialogEntry) string {
	switch e.d.(type) {
	case *eventDialog:
		return "Event details"
	case *resetDialog:
		return "Reset review"
	case *auditDetailDialog:
		return "Audit record"
	}
	return "This screen"
}
