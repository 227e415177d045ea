package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cftriage/cloudflare"
	"cftriage/indicator"
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

// helpDialog is the key map, generated from the bindings. It scrolls
// when it does not fit (80×24); any other key closes it.
type helpDialog struct{ offset int }

func (d *helpDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	_, maxOff := views.HelpScroll(m.helpGroups(), m.w, m.h, 0, m.th)
	switch {
	case maxOff > 0 && key.Matches(msg, k.Down.Binding):
		d.offset = min(maxOff, d.offset+1)
	case maxOff > 0 && key.Matches(msg, k.Up.Binding):
		d.offset = max(0, d.offset-1)
	case maxOff > 0 && key.Matches(msg, k.PageDown.Binding):
		d.offset = min(maxOff, d.offset+m.h/2)
	case maxOff > 0 && key.Matches(msg, k.PageUp.Binding):
		d.offset = max(0, d.offset-m.h/2)
	default:
		return nil, true
	}
	return nil, false
}

func (d *helpDialog) render(m *Model, w, h int) string {
	s, _ := views.HelpScroll(m.helpGroups(), w, h, d.offset, m.th)
	return s
}

func (d *helpDialog) hints(m *Model) []Binding {
	b := m.keys.Back
	b.SetHelp("any other key", "close help")
	if _, maxOff := views.HelpScroll(m.helpGroups(), m.w, m.h, 0, m.th); maxOff > 0 {
		return []Binding{m.keys.Up, m.keys.Down, b}
	}
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
	case key.Matches(msg, k.Help.Binding):
		m.pushDialog(&helpDialog{})
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
			return m.openText(d.kvs[d.cursor].Value, indicator.Unknown), true
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
	return []Binding{m.keys.Up, m.keys.Down, open, m.keys.Copy, back, m.keys.Help}
}
