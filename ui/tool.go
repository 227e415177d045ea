package ui

import (
	tea "charm.land/bubbletea/v2"
)

// tool is a pane that is not part of the drill-down stack: the Request
// editor and the Audit log. A tool owns the body area while its tab is
// active (the search box and breadcrumb rows are given to it too).
type tool interface {
	// title is the tab name, e.g. "Request".
	title() string
	// activate is called when the tab is switched to (e.g. to refresh).
	activate(m *Model) tea.Cmd
	// key handles a key while the tool is active. handled=false lets the
	// global keys (tabs, help, quit) act on it.
	key(m *Model, msg tea.KeyPressMsg) (cmd tea.Cmd, handled bool)
	// capturing reports that the tool is taking typed text, so global
	// single-letter keys must not fire.
	capturing() bool
	render(m *Model, w, h int) string
	hints(m *Model) []Binding
}

// toolMsg carries an asynchronous result to a tool; tools keep their own
// sequence numbers to drop superseded results.
type toolMsg struct {
	apply func(m *Model) tea.Cmd
}

// toolCmd runs work off the Update loop and applies its result later.
func toolCmd(work func() func(m *Model) tea.Cmd) tea.Cmd {
	return func() tea.Msg { return toolMsg{apply: work()} }
}

// RegisterTool adds a tool tab after IP, Domain and User. Order of
// registration is tab order (4, 5, ...).
func (m *Model) registerTool(t tool) { m.tools = append(m.tools, t) }

func (m *Model) activeTool() tool {
	if m.toolIdx < 0 || m.toolIdx >= len(m.tools) {
		return nil
	}
	return m.tools[m.toolIdx]
}

func (m *Model) switchTool(i int) tea.Cmd {
	if i < 0 || i >= len(m.tools) {
		return nil
	}
	m.toolIdx = i
	m.omni.Blur()
	m.focus = focusPage
	return m.tools[i].activate(m)
}

// leaveTool returns to the investigation panes.
func (m *Model) leaveTool() { m.toolIdx = -1 }
