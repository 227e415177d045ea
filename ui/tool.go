package ui

import (
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
)

// toolEntry is a tool tab: a pane.Tool and its slot.
type toolEntry struct {
	t    pane.Tool
	slot *pane.Slot
}

func (e *toolEntry) title() string   { return e.t.Title() }
func (e *toolEntry) capturing() bool { return e.t.Capturing() }
func (e *toolEntry) shutdown()       { e.t.Shutdown() }

// registerTool adds a tool tab after IP, Domain and User. Order of
// registration is tab order (4, 5, ...).
func (m *Model) registerTool(t pane.Tool) {
	m.tools = append(m.tools, &toolEntry{t: t, slot: m.newSlot()})
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
	return t.t.Activate(m.toolCtx(t))
}

// leaveTool returns to the investigation panes.
func (m *Model) leaveTool() { m.toolIdx = -1 }

// resizeTools relayouts the tools after a size or theme change.
func (m *Model) resizeTools() {
	for _, t := range m.tools {
		t.t.Resize(m.toolCtx(t))
	}
}
