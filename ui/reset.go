package ui

import tea "charm.land/bubbletea/v2"

// resetBinding is the reset key with the reason it is disabled, if it is.
func (m *Model) resetBinding(b *userBody) Binding {
	r := m.keys.Reset
	switch {
	case m.s.ReadOnly:
		r.Why = "read-only mode"
		if m.s.ReadOnlyReason != "" {
			r.Why = "read-only mode (" + m.s.ReadOnlyReason + ")"
		}
	case b.user == nil || b.risk == nil:
		r.Why = "no user loaded"
	}
	return r
}

func (m *Model) startReset(p *page, b *userBody) tea.Cmd {
	if r := m.resetBinding(b); r.Why != "" {
		m.status = "reset disabled: " + r.Why
		return nil
	}
	m.status = "risk reset is not available in the console yet; use `cftriage reset`"
	return nil
}
