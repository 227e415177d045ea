package request

import (
	"cftriage/ui/pane"
)

// Binding is the pane contract's key binding.
type Binding = pane.Binding

var bind = pane.Bind

// keyMap holds the Request pane's bindings: one key set and one
// description each. Code matches keys only through these (Bindings hands
// them to the root with their handlers; Update matches the rest with
// key.Matches), and the footer and help read them, so neither can drift
// from behaviour.
//
// Modes follow lazygit: tab moves between the parts of the pane; a text
// field (endpoint, body) takes typing only after enter (or e/i) on it,
// and esc stops typing. Until then single keys (1–5, ?, q) work as
// everywhere else. Actions that must work while typing use ctrl keys.
type keyMap struct {
	// anywhere in the pane
	Send, Save, Open, Curl, Format, NextField, PrevField Binding
	// SendEnter is Send with enter, where enter has nothing else to do
	// (the method selector, the endpoint while typing).
	SendEnter Binding
	// HeldEnter is enter right after the path list was closed: it keeps
	// the analyst typing instead of sending.
	HeldEnter Binding
	// method selector: MethodPrev/MethodNext match, Method is shown.
	MethodPrev, MethodNext, Method Binding
	// resting text fields, and typing in them; AtRest is esc (and
	// backspace) with nothing left to close: it never leaves the pane.
	EditField, LeaveField, AtRest Binding
	// endpoint completion (while typing in the endpoint)
	// Suggest (↓) also opens the list; SuggestMove is shown.
	Suggest, SuggestUp, SuggestMove, Accept, CloseSuggest Binding
	// the {user_id} list: the users looked up this session
	FillMove, FillTake, FillClose Binding
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
	// BackToEditor is esc while a write runs: it cannot be canceled.
	BackToEditor Binding
}

// shownAs sets the keys a binding shows in the footer and help (the
// keys it matches stay as they are).
func shownAs(b Binding, keys string) Binding {
	b.SetHelp(keys, b.Help().Desc)
	return b
}

// pair is a display-only binding for two that mirror each other
// (previous/next, up/down): it matches what both match and has no
// handler, so the key reaches Update, which tells them apart.
func pair(keys, desc string, a, b Binding) Binding {
	out := bind(desc, append(append([]string{}, a.Keys()...), b.Keys()...)...)
	return shownAs(out, keys)
}

func defaultKeys() keyMap {
	k := keyMap{
		Send:      shownAs(bind("send", "ctrl+r", "alt+enter"), "ctrl+r"),
		SendEnter: shownAs(bind("send", "enter", "ctrl+r", "alt+enter"), "enter/ctrl+r"),
		HeldEnter: bind("keep typing (enter again sends)", "enter"),
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
		AtRest:     bind("nothing to close (1–3, / leave the pane)", "esc", "backspace"),

		Suggest:      shownAs(bind("known paths", "down", "ctrl+n"), "↓"),
		SuggestUp:    bind("previous path", "up", "ctrl+p"),
		Accept:       bind("take path", "tab", "enter"),
		CloseSuggest: bind("close list", "esc"),

		FillTake:  bind("fill in the user", "tab", "enter"),
		FillClose: bind("type it instead", "esc"),

		RowUp:     bind("row up", "up", "k"),
		RowDown:   bind("row down", "down", "j"),
		AddRow:    bind("add row", "a", "+"),
		EditRow:   bind("edit row", "enter", "e"),
		DelRow:    shownAs(bind("delete row", "d", "x", "delete"), "d/x"),
		SwitchKV:  shownAs(bind("name ⇄ value", "tab", "shift+tab"), "tab"),
		KeepRow:   bind("keep row", "enter"),
		CancelRow: bind("cancel row edit", "esc"),

		ScrollUp:     bind("scroll up", "up", "k"),
		ScrollDown:   bind("scroll down", "down", "j"),
		PageUp:       bind("page up", "pgup", "ctrl+u"),
		PageDown:     bind("page down", "pgdown", "ctrl+d", "space"),
		Top:          bind("top", "home", "g"),
		Bottom:       bind("bottom", "end", "G"),
		Left:         bind("scroll left", "left", "h"),
		Right:        bind("scroll right", "right", "l"),
		Search:       shownAs(bind("search body", "/", "ctrl+f"), "/ ctrl+f"),
		NextMatch:    bind("next match", "n"),
		PrevMatch:    bind("previous match", "N"),
		CopyBody:     bind("copy body", "y"),
		Headers:      bind("headers ⇄ body", "H"),
		ToEditor:     bind("back to editor", "esc"),
		BackToEditor: bind("back to editor", "esc"),

		RunSearch:    bind("find", "enter"),
		CancelSearch: bind("cancel search", "esc"),
		CancelGet:    bind("cancel GET", "esc"),
	}
	k.SuggestMove = pair("↓/↑", "choose path", k.Suggest, k.SuggestUp)
	k.FillMove = pair("↓/↑", "choose user", k.Suggest, k.SuggestUp)
	k.Method = pair("←/→ h/l", "change method", k.MethodPrev, k.MethodNext)
	k.RowMove = pair("↑/↓ j/k", "move", k.RowUp, k.RowDown)
	k.Scroll = pair("↑/↓ j/k", "scroll", k.ScrollUp, k.ScrollDown)
	k.Page = pair("pgup/pgdn", "page up/down", k.PageUp, k.PageDown)
	k.Ends = pair("g/G", "top/bottom", k.Top, k.Bottom)
	k.Sideways = pair("←/→ h/l", "scroll sideways", k.Left, k.Right)
	k.Jump = pair("n/N", "next/previous match", k.NextMatch, k.PrevMatch)
	return k
}
