package ui

import (
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
	"cftriage/views"
)

// tool is the old interface of a pane outside the stack, still spoken
// by the Request pane until it moves to ui/request behind pane.Tool.
type tool interface {
	title() string
	activate(m *Model) tea.Cmd
	key(m *Model, msg tea.KeyPressMsg) (cmd tea.Cmd, handled bool)
	capturing() bool
	render(m *Model, w, h int) string
	hints(m *Model) []Binding
}

// toolMsg carries an asynchronous result to a legacy tool or dialog.
type toolMsg struct {
	apply func(m *Model) tea.Cmd
}

// toolCmd runs work off the Update loop and applies its result later.
func toolCmd(work func() func(m *Model) tea.Cmd) tea.Cmd {
	return func() tea.Msg { return toolMsg{apply: work()} }
}

// toolEntry is a tool tab: a pane.Tool and its slot (or, for now, a
// legacy tool).
type toolEntry struct {
	t      pane.Tool
	legacy tool
	slot   *pane.Slot
}

func (e *toolEntry) title() string {
	if e.t != nil {
		return e.t.Title()
	}
	return e.legacy.title()
}

func (e *toolEntry) capturing() bool {
	if e.t != nil {
		return e.t.Capturing()
	}
	return e.legacy.capturing()
}

func (e *toolEntry) shutdown() {
	if e.t != nil {
		e.t.Shutdown()
		return
	}
	if s, ok := e.legacy.(interface{ shutdown() }); ok {
		s.shutdown()
	}
}

// registerTool adds a tool tab after IP, Domain and User. Order of
// registration is tab order (4, 5, ...).
func (m *Model) registerTool(t pane.Tool) {
	m.tools = append(m.tools, &toolEntry{t: t, slot: m.newSlot()})
}

func (m *Model) registerLegacyTool(t tool) {
	m.tools = append(m.tools, &toolEntry{legacy: t, slot: m.newSlot()})
}

// toolCtx is a tool's context: the body area plus the search and
// breadcrumb rows, which a tool takes too.
func (m *Model) toolCtx(t *toolEntry) *pane.Context {
	return m.ctx(t.slot, m.w, m.bodyHeight()+2, len(m.dialogs) == 0)
}

func (m *Model) activeTool() *toolEntry {
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
	t := m.tools[i]
	if t.t != nil {
		return t.t.Activate(m.toolCtx(t))
	}
	return t.legacy.activate(m)
}

// leaveTool returns to the investigation panes.
func (m *Model) leaveTool() { m.toolIdx = -1 }

// resizeTools relayouts the tools after a size or theme change.
func (m *Model) resizeTools() {
	for _, t := range m.tools {
		if t.t != nil {
			t.t.Resize(m.toolCtx(t))
		} else if r, ok := t.legacy.(interface{ resize(m *Model, w, h int) }); ok {
			r.resize(m, m.w, m.bodyHeight()+2)
		}
	}
}

// copyCmd is the old copy the Request pane still uses.
func copyCmd(v string) tea.Cmd { return tea.SetClipboard(views.SanitizeMultiline(v)) }
