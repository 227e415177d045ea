package ui

import (
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
)

// filterText is a list's filter: its text and whether it is being typed.
// The queue, triage and history panes share its keys so that a filter
// edits the same way everywhere.
type filterText struct {
	text    string
	editing bool
}

// start is the binding that opens the filter for typing.
func (f *filterText) start(b Binding) Binding {
	return b.Does(func() tea.Cmd { f.editing = true; return nil })
}

// typed takes a key's text while the filter is being typed; changed runs
// when the text grew.
func (f *filterText) typed(msg tea.KeyPressMsg, changed func() tea.Cmd) tea.Cmd {
	if s := msg.Key().Text; s != "" {
		f.text += s
		return changed()
	}
	return nil
}

// bindings are the keys while the filter is typed: keep it, clear it,
// delete a letter. changed runs after each change of the text.
func (f *filterText) bindings(k *pane.KeyMap, changed func() tea.Cmd) []Binding {
	keep := k.Submit.As("keep filter").Does(func() tea.Cmd { f.editing = false; return nil })
	clear := k.Cancel.As("clear filter").Does(func() tea.Cmd {
		f.editing, f.text = false, ""
		return changed()
	})
	del := bind("delete a letter", "backspace").Does(func() tea.Cmd {
		if r := []rune(f.text); len(r) > 0 {
			f.text = string(r[:len(r)-1])
			return changed()
		}
		return nil
	}).Hidden()
	return []Binding{keep, clear, del}
}

// clear is esc on an applied filter: it clears the filter before esc
// leaves the pane.
func (f *filterText) clear(k *pane.KeyMap, changed func() tea.Cmd) Binding {
	return k.Cancel.As("clear filter").Does(func() tea.Cmd {
		f.text = ""
		return changed()
	})
}
