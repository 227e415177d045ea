package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cftriage/cloudflare"
	"cftriage/views"
)

type lipStyle = lipgloss.Style

// dialog is an overlay that takes every key while it is open. Dialogs
// stack; Esc closes the top one.
type dialog interface {
	// update handles a key; done closes the dialog.
	update(m *Model, msg tea.KeyPressMsg) (cmd tea.Cmd, done bool)
	render(m *Model, w, h int) string
	hints(m *Model) []Binding
}

func (m *Model) pushDialog(d dialog) { m.dialogs = append(m.dialogs, d) }

func (m *Model) updateDialog(msg tea.KeyPressMsg) tea.Cmd {
	d := m.dialogs[len(m.dialogs)-1]
	cmd, done := d.update(m, msg)
	if done {
		// The dialog may have pushed another (or opened a page); remove
		// this one wherever it now sits.
		m.closeDialog(d)
	}
	return cmd
}

// helpDialog is the full key map, generated from the bindings.
type helpDialog struct{}

func (helpDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if key.Matches(msg, m.keys.Quit.Binding) {
		return nil, true
	}
	return nil, true // any key closes help
}

func (helpDialog) render(m *Model, w, h int) string {
	return views.Help(m.helpGroups(), w, h, m.th)
}

func (helpDialog) hints(m *Model) []Binding {
	b := m.keys.Back
	b.SetHelp("any key", "close help")
	return []Binding{b}
}

// eventDialog shows one risk event's details; a domain or IP inside can
// be opened.
type eventDialog struct {
	ev     cloudflare.RiskEvent
	kvs    []views.KV
	cursor int
}

func newEventDialog(ev cloudflare.RiskEvent) *eventDialog {
	return &eventDialog{ev: ev, kvs: views.FlattenDetails(ev.Details)}
}

func (d *eventDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Back.Binding), key.Matches(msg, k.Quit.Binding):
		return nil, true
	case key.Matches(msg, k.Up.Binding):
		d.cursor = max(0, d.cursor-1)
	case key.Matches(msg, k.Down.Binding):
		d.cursor = max(0, min(len(d.kvs)-1, d.cursor+1))
	case key.Matches(msg, k.Copy.Binding):
		if d.cursor < len(d.kvs) {
			v := d.kvs[d.cursor].Value
			m.status = "copied " + clip(views.Sanitize(v), 40)
			return copyCmd(v), false
		}
	case key.Matches(msg, k.Open.Binding):
		if d.cursor < len(d.kvs) && d.kvs[d.cursor].Link {
			return m.openText(d.kvs[d.cursor].Value, cloudflare.IndicatorUnknown), true
		}
	}
	return nil, false
}

func (d *eventDialog) render(m *Model, w, h int) string {
	return views.EventDetails(d.ev, d.kvs, d.cursor, w, h, m.th)
}

func (d *eventDialog) hints(m *Model) []Binding {
	open := m.keys.Open
	open.SetHelp("enter", "open domain/IP")
	if d.cursor >= len(d.kvs) || !d.kvs[d.cursor].Link {
		open.Why = "this value is not a domain or IP"
	}
	back := m.keys.Back
	back.SetHelp("esc", "close")
	return []Binding{m.keys.Up, m.keys.Down, open, m.keys.Copy, back}
}
