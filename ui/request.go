package ui

import tea "charm.land/bubbletea/v2"

// PLACEHOLDER, replaced by the Request pane implementation.
type requestTool struct{}

func newRequestTool(m *Model) *requestTool { return &requestTool{} }

func (t *requestTool) title() string                                     { return "Request" }
func (t *requestTool) activate(m *Model) tea.Cmd                         { return nil }
func (t *requestTool) key(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) { return nil, false }
func (t *requestTool) capturing() bool                                   { return false }
func (t *requestTool) render(m *Model, w, h int) string                  { return "" }
func (t *requestTool) hints(m *Model) []Binding                          { return nil }
