package ui

import tea "charm.land/bubbletea/v2"

// PLACEHOLDER, replaced by the first-run setup screen.
type firstRun struct{}

func newFirstRun(m *Model) dialog { return &firstRun{} }

func (f *firstRun) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) { return nil, true }
func (f *firstRun) render(m *Model, w, h int) string                     { return "" }
func (f *firstRun) hints(m *Model) []Binding                             { return nil }
