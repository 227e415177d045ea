package ui

import ()

// requestKeyMap holds the Request pane's bindings: one key set and one
// description each. Code matches keys only through these, and the footer
// and help read them, so neither can drift from behaviour.
//
// Modes follow lazygit: tab moves between the parts of the pane; a text
// field (endpoint, body) takes typing only after enter (or e/i) on it,
// and esc stops typing. Until then single keys (1–5, ?, q) work as
// everywhere else. Actions that must work while typing use ctrl keys.
type requestKeyMap struct {
	// anywhere in the pane
	Send, Save, Open, Curl, Format, NextField, PrevField Binding
	// SendEnter is Send with enter, where enter has nothing else to do
	// (the method selector, the endpoint while typing).
	SendEnter Binding
	// method selector: MethodPrev/MethodNext match, Method is shown.
	MethodPrev, MethodNext, Method Binding
	// resting text fields, and typing in them
	EditField, LeaveField Binding
	// endpoint completion (while typing in the endpoint)
	// Suggest (↓) also opens the list; SuggestMove is shown.
	Suggest, SuggestUp, SuggestMove, Accept, CloseSuggest Binding
	// query and header rows: RowUp/RowDown match, RowMove is shown.
	RowUp, RowDown, RowMove, AddRow, EditRow, DelRow Binding
	// the row being edited
	SwitchKV, KeepRow, CancelRow Binding
	// response viewer (pairs match separately and are shown together)
	ScrollUp, ScrollDown, Scroll       Binding
	PageUp, PageDown, Page             Binding
	Top, Bottom, Ends                  Binding
	Left, Right, Sideways              Binding
	Search, NextMatch, PrevMatch, Jump Binding
	CopyBody, Headers, ToEditor        Binding
	RunSearch, CancelSearch, CancelGet Binding
}

// shownAs sets the keys a binding shows in the footer and help (the
// keys it matches stay as they are).
func shownAs(b Binding, keys string) Binding {
	b.SetHelp(keys, b.Help().Desc)
	return b
}

// pair is a display-only binding for two that mirror each other
// (previous/next, up/down): it matches what both match.
func pair(keys, desc string, a, b Binding) Binding {
	out := bind(desc, append(append([]string{}, a.Keys()...), b.Keys()...)...)
	return shownAs(out, keys)
}

func defaultRequestKeys() requestKeyMap {
	k := requestKeyMap{
		Send:      shownAs(bind("send", "ctrl+r", "alt+enter"), "ctrl+r"),
		SendEnter: shownAs(bind("send", "enter", "ctrl+r", "alt+enter"), "enter/ctrl+r"),
		Save:      bind("save request", "ctrl+s"),
		Open:      bind("saved & history", "ctrl+o"),
		Curl:      bind("copy as curl", "ctrl+y"),
		Format:    bind("format JSON", "ctrl+l"),
		NextField: bind("next part", "tab"),
		PrevField: bind("previous part", "shift+tab"),

		MethodPrev: bind("previous method", "left", "h"),
		MethodNext: bind("next method", "right", "l", "space"),

		EditField:  shownAs(bind("type here", "enter", "e", "i"), "enter/e"),
		LeaveField: bind("stop typing", "esc"),

		Suggest:      shownAs(bind("known paths", "down", "ctrl+n"), "↓"),
		SuggestUp:    bind("previous path", "up", "ctrl+p"),
		Accept:       bind("take path", "tab", "enter"),
		CloseSuggest: bind("close list", "esc"),

		RowUp:     bind("row up", "up", "k"),
		RowDown:   bind("row down", "down", "j"),
		AddRow:    bind("add row", "a", "+"),
		EditRow:   bind("edit row", "enter", "e"),
		DelRow:    shownAs(bind("delete row", "d", "x", "delete"), "d/x"),
		SwitchKV:  shownAs(bind("name ⇄ value", "tab", "shift+tab"), "tab"),
		KeepRow:   bind("keep row", "enter"),
		CancelRow: bind("cancel row edit", "esc"),

		ScrollUp:   bind("scroll up", "up", "k"),
		ScrollDown: bind("scroll down", "down", "j"),
		PageUp:     bind("page up", "pgup", "ctrl+u"),
		PageDown:   bind("page down", "pgdown", "ctrl+d", "space"),
		Top:        bind("top", "home", "g"),
		Bottom:     bind("bottom", "end", "G"),
		Left:       bind("scroll left", "left", "h"),
		Right:      bind("scroll right", "right", "l"),
		Search:     shownAs(bind("search body", "/", "ctrl+f"), "/ ctrl+f"),
		NextMatch:  bind("next match", "n"),
		PrevMatch:  bind("previous match", "N"),
		CopyBody:   bind("copy body", "y"),
		Headers:    bind("headers ⇄ body", "H"),
		ToEditor:   bind("back to editor", "esc"),

		RunSearch:    bind("find", "enter"),
		CancelSearch: bind("cancel search", "esc"),
		CancelGet:    bind("cancel GET", "esc"),
	}
	k.SuggestMove = pair("↓/↑", "choose path", k.Suggest, k.SuggestUp)
	k.Method = pair("←/→ h/l", "change method", k.MethodPrev, k.MethodNext)
	k.RowMove = pair("↑/↓ j/k", "move", k.RowUp, k.RowDown)
	k.Scroll = pair("↑/↓ j/k", "scroll", k.ScrollUp, k.ScrollDown)
	k.Page = pair("pgup/pgdn", "page up/down", k.PageUp, k.PageDown)
	k.Ends = pair("g/G", "top/bottom", k.Top, k.Bottom)
	k.Sideways = pair("←/→ h/l", "scroll sideways", k.Left, k.Right)
	k.Jump = pair("n/N", "next/previous match", k.NextMatch, k.PrevMatch)
	return k
}

// allBindings is the pane's group in the help overlay: every binding
// once, each with its own keys and a description that says where it
// works (the footer shows which work right now). Short descriptions keep
// the group beside the global one at 80 columns; the rarest keys come
// last, where a short screen cuts the list.
func (t *requestTool) allBindings(m *Model) []Binding {
	k := t.keys
	d := func(b Binding, desc string) Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	send := t.sendBinding(m)
	return []Binding{
		d(send, "send (a write asks first)"),
		d(k.NextField, "next part"),
		d(k.PrevField, "previous part"),
		d(k.Method, "change method"),
		d(pair("enter/e", "", k.EditField, k.EditRow), "edit the field or row"),
		d(pair("esc", "", k.LeaveField, k.ToEditor), "stop typing; leave the response"),
		d(k.Suggest, "known paths (on the endpoint)"),
		d(k.Accept, "take the highlighted path"),
		d(k.AddRow, "add a query or header row"),
		d(k.DelRow, "delete the row"),
		d(k.SwitchKV, "row name ⇄ value (editing)"),
		d(pair("enter/esc", "", k.KeepRow, k.CancelRow), "keep/cancel the row being edited"),
		d(k.Format, "format the JSON body"),
		d(k.Save, "save the request"),
		d(k.Open, "saved requests & history"),
		d(k.Curl, "copy as curl"),
		d(k.Scroll, "move in rows; scroll the response"),
		d(k.Search, "search the response body"),
		d(k.Jump, "next/previous match"),
		d(k.CopyBody, "copy the response body"),
		d(k.Headers, "response headers ⇄ body"),
		d(k.Page, "page the response"),
		d(k.Ends, "response top/bottom"),
		d(k.Sideways, "scroll the response sideways"),
	}
}
