package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/views"
)

// tabNames are the pane tabs: the investigation kinds, then the tools.
func (m *Model) tabNames() []string {
	names := []string{"1 IP", "2 Domain", "3 User"}
	for i, t := range m.tools {
		names = append(names, fmt.Sprintf("%d %s", 4+i, t.title()))
	}
	return names
}

func (m *Model) activeTab() int {
	if m.activeTool() != nil {
		return 3 + m.toolIdx
	}
	if p := m.top(); p != nil && p.kind <= kindUser {
		return int(p.kind)
	}
	return -1
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
		lines = append(lines, t.render(m, w, m.bodyHeight()+2))
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
	lines = append(lines, views.Footer(m.footerHints(), w, th))
	screen := strings.Join(lines, "\n")
	if n := len(m.dialogs); n > 0 {
		box := m.dialogs[n-1].render(m, w, h)
		screen = views.Overlay(screen, box, w, h)
	}
	return screen
}

func (m *Model) paneBody(w, bh int) string {
	var bodyStr string
	if p := m.top(); p != nil {
		bodyStr = p.body.render(m, p, w, bh)
	} else {
		bodyStr = views.Welcome(m.s.Suggestions, m.s.Demo, w, bh, m.th)
	}
	return bodyStr
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
		out[i] = p.body.crumb()
	}
	return out
}

func (m *Model) headerInfo() views.HeaderInfo {
	hi := views.HeaderInfo{
		Profile:  m.s.Profile,
		Account:  m.s.AccountName,
		Demo:     m.s.Demo,
		ReadOnly: m.s.ReadOnly,
	}
	if hi.Account == "" {
		hi.Account = m.s.AccountID
	}
	if q := m.quota; q.Known {
		// As of the last response: the header must not tick on its own.
		hi.Quota = fmt.Sprintf("%d/%d", q.Remaining, q.Limit)
		if q.Reset > 0 && q.Remaining < q.Limit {
			hi.Quota += " · resets in " + q.Reset.Round(time.Second).String()
		}
	}
	if m.busy() {
		hi.Busy = m.spin.View() + " loading · esc cancels"
		if w := m.quotaWait; m.quotaWaitOK {
			// Waiting for the window another cftriage process used up.
			hi.Busy = m.spin.View() + " waiting for the API quota until " + w.Until.Local().Format("15:04:05") + " · esc cancels"
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

// footerHints are the keys that work right now, by focus.
func (m *Model) footerHints() []views.KeyHint {
	k := m.keys
	if n := len(m.dialogs); n > 0 {
		return hintsOf(m.dialogs[n-1].hints(m))
	}
	if t := m.activeTool(); t != nil {
		bs := t.hints(m)
		if !t.capturing() {
			bs = append(bs, k.Back, k.Help, k.Quit)
		}
		return hintsOf(bs)
	}
	if m.focus == focusOmni {
		bs := []Binding{k.Submit}
		if len(m.recallList()) > 0 {
			bs = append(bs, k.Recall)
		}
		c := k.Cancel
		if m.top() != nil {
			c.SetHelp("esc", "back to results")
		} else {
			c.SetHelp("esc", "leave search (for 1-5, ?, q)")
		}
		bs = append(bs, c)
		fq := k.ForceQuit
		return hintsOf(append(bs, fq))
	}
	p := m.top()
	if p == nil {
		return hintsOf([]Binding{k.Omnibox, k.Help, k.Quit})
	}
	if ub, ok := p.body.(*userBody); ok && ub.filtering {
		e, c := k.Submit, k.Cancel
		e.SetHelp("enter", "keep filter")
		c.SetHelp("esc", "clear filter")
		return hintsOf([]Binding{e, c})
	}
	bs := append([]Binding{k.Up, k.Down}, p.body.hints(m)...)
	bs = append(bs, k.Copy, k.Back, k.Omnibox, k.Help, k.Quit)
	return hintsOf(bs)
}

// helpGroups is the key map for the help overlay: the global keys and
// those of what is on screen, read from the bindings themselves so help
// cannot drift from behaviour. (Every pane's keys at once would not fit
// 80×24; the README has the whole map.)
func (m *Model) helpGroups() []views.HelpGroup {
	k := m.keys
	groups := []views.HelpGroup{{Title: "Global", Keys: hintsOf(m.globalBindings())}}
	var title string
	var own []Binding
	switch p := m.top(); {
	case m.activeTool() != nil:
		title, own = m.activeTool().title()+" pane", m.activeTool().hints(m)
	case p != nil:
		groups = append(groups, views.HelpGroup{Title: "Lists", Keys: hintsOf([]Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom})})
		title, own = kindTitles[p.kind]+" pane", p.body.hints(m)
	default:
		title, own = "Search box", []Binding{k.Submit, k.Cancel, k.Recall}
	}
	// Describe what each key does, not whether it works on this very
	// row (the footer shows that) — except read-only mode, whose reason
	// is the point.
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

func (m *Model) globalBindings() []Binding {
	k := m.keys
	// One line for the pane keys keeps help within 80×24.
	panes := Binding{Binding: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "switch pane"))}
	if m.activeTool() != nil {
		// A tool gives /, y, esc, tab and ctrl+r meanings of its own:
		// listing the investigation meanings here would contradict it.
		return []Binding{panes, k.Help, k.Quit, k.ForceQuit}
	}
	return []Binding{k.Omnibox, k.NextFocus, k.Back, k.Copy, panes, k.Refresh, k.Help, k.Quit, k.ForceQuit}
}
