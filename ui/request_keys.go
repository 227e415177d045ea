package ui

import (
	tea "charm.land/bubbletea/v2"
)

// requestKeyMap holds the Request pane's bindings. Actions that must work
// while the analyst types (send, save, open, curl, format) use ctrl
// keys; the rest are single keys that only act outside text fields.
type requestKeyMap struct {
	// anywhere in the pane
	Send, Save, Open, Curl, Format, NextField, PrevField Binding
	// method selector and resting text fields
	Method, EditField, LeaveField Binding
	// endpoint completion
	Suggest, Accept, CloseSuggest Binding
	// query and header rows
	RowUp, RowDown, AddRow, EditRow, DelRow, SwitchKV, KeepRow, CancelRow Binding
	// response viewer
	ScrollUp, ScrollDown, PageUp, PageDown, Top, Bottom, Left, Right Binding
	Search, NextMatch, PrevMatch, CopyBody, Headers, ToEditor        Binding
	RunSearch, CancelSearch, CancelSend                              Binding
}

func defaultRequestKeys() requestKeyMap {
	k := requestKeyMap{
		Send:      bind("send", "ctrl+r", "alt+enter"),
		Save:      bind("save request", "ctrl+s"),
		Open:      bind("saved & history", "ctrl+o"),
		Curl:      bind("copy as curl", "ctrl+y"),
		Format:    bind("format JSON body", "ctrl+l"),
		NextField: bind("next field", "tab"),
		PrevField: bind("previous field", "shift+tab"),

		Method:     bind("change method", "left", "right", "space"),
		EditField:  bind("edit field", "enter", "i"),
		LeaveField: bind("stop typing", "esc"),

		Suggest:      bind("known paths", "down", "up"),
		Accept:       bind("use path", "tab", "enter"),
		CloseSuggest: bind("close list", "esc"),

		RowUp:     bind("up", "up", "k"),
		RowDown:   bind("down", "down", "j"),
		AddRow:    bind("add row", "a", "+"),
		EditRow:   bind("edit row", "enter", "e"),
		DelRow:    bind("delete row", "d", "x", "delete"),
		SwitchKV:  bind("key ⇄ value", "tab", "shift+tab"),
		KeepRow:   bind("keep row", "enter"),
		CancelRow: bind("cancel edit", "esc"),

		ScrollUp:   bind("up", "up", "k"),
		ScrollDown: bind("down", "down", "j"),
		PageUp:     bind("page up", "pgup", "ctrl+u"),
		PageDown:   bind("page down", "pgdown", "ctrl+d", "space"),
		Top:        bind("top", "home", "g"),
		Bottom:     bind("bottom", "end", "G"),
		Left:       bind("scroll left", "left", "h"),
		Right:      bind("scroll right", "right", "l"),
		Search:     bind("search body", "/", "ctrl+f"),
		NextMatch:  bind("next match", "n"),
		PrevMatch:  bind("previous match", "N"),
		CopyBody:   bind("copy body", "y"),
		Headers:    bind("headers/body", "H"),
		ToEditor:   bind("back to editor", "esc"),

		RunSearch:    bind("find", "enter"),
		CancelSearch: bind("cancel search", "esc"),
		CancelSend:   bind("cancel GET", "esc"),
	}
	// In text fields j/k are letters: show only the arrows there.
	k.Suggest.SetHelp("↓/↑", "known paths")
	k.Method.SetHelp("←/→", "change method")
	k.EditField.SetHelp("enter", "edit field")
	return k
}

// allBindings is the pane's key list for the help overlay: five lines
// (related keys share one) so every pane's group still fits on an
// 80×24 or 100×30 screen; the footer lists the live keys in detail.
func (t *requestTool) allBindings(m *Model) []Binding {
	k := t.keys
	line := func(keys, desc string, b ...Binding) Binding {
		var ks []string
		for _, x := range b {
			ks = append(ks, x.Keys()...)
		}
		out := bind(desc, ks...)
		out.SetHelp(keys, desc)
		return out
	}
	return []Binding{
		line("ctrl+r", "send (writes ask first)", k.Send),
		line("ctrl+s/o", "save · saved & history", k.Save, k.Open),
		line("ctrl+y/l", "copy as curl · format JSON", k.Curl, k.Format),
		line("tab a e d", "next field · add/edit/del row", k.NextField, k.AddRow, k.EditRow, k.DelRow),
		line("/ n N y H", "search · copy body · headers", k.Search, k.NextMatch, k.PrevMatch, k.CopyBody, k.Headers),
	}
}

// helpOpen reports that the help overlay is on top.
func (m *Model) helpOpen() bool {
	if n := len(m.dialogs); n > 0 {
		_, ok := m.dialogs[n-1].(*helpDialog)
		return ok
	}
	return false
}

// pasteTaker is a tool or dialog that takes pasted text into one of its
// fields (the JSON body, the endpoint, a row, a name).
type pasteTaker interface {
	paste(m *Model, msg tea.PasteMsg) tea.Cmd
}

// routePaste gives a paste to the top dialog or the active tool when it
// takes pastes; ok=false leaves it to the omnibox.
func (m *Model) routePaste(msg tea.PasteMsg) (tea.Cmd, bool) {
	if n := len(m.dialogs); n > 0 {
		if p, ok := m.dialogs[n-1].(pasteTaker); ok {
			return p.paste(m, msg), true
		}
		return nil, false
	}
	if p, ok := m.activeTool().(pasteTaker); ok {
		return p.paste(m, msg), true
	}
	return nil, false
}
