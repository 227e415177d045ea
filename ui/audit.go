package ui

import tea "charm.land/bubbletea/v2"

// PLACEHOLDER, replaced by the Audit pane implementation.
type auditTool struct{}

func newAuditTool(m *Model) *auditTool { return &auditTool{} }

func (t *auditTool) title() string                                     { return "Audit" }
func (t *auditTool) activate(m *Model) tea.Cmd                         { return nil }
func (t *auditTool) key(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) { return nil, false }
func (t *auditTool) capturing() bool                                   { return false }
func (t *auditTool) render(m *Model, w, h int) string                  { return "" }
func (t *auditTool) hints(m *Model) []Binding                          { return nil }
