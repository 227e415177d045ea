package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Binding is a key binding as data (lazygit style): the key, its help,
// why it is disabled right now (Why), and what it does (Do). The root
// matches a key against the bindings of what has the focus, shows Why
// instead of acting when it is set, and otherwise runs Do; the footer
// and the help overlay read the same list, so they cannot drift from
// behaviour.
type Binding struct {
	key.Binding
	Why string
	// Do runs the binding. Nil: the binding is shown but the key goes to
	// the component's Update (text fields, lists that handle it there).
	Do func() tea.Cmd
	// Hide keeps the binding out of the footer (help still lists it).
	Hide bool
}

// Bind makes a binding. Help shows every key of it ("esc/backspace"),
// arrows as glyphs; a binding that includes "/" itself is joined with
// spaces.
func Bind(desc string, keys ...string) Binding {
	shown := make([]string, len(keys))
	sep := "/"
	for i, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "/":
			sep = " "
		}
		shown[i] = k
	}
	return Binding{Binding: key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(shown, sep), desc))}
}

// As is b with another description (same keys).
func (b Binding) As(desc string) Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// Does is b bound to a handler.
func (b Binding) Does(f func() tea.Cmd) Binding {
	b.Do = f
	return b
}

// Disabled is b with a reason it does not act now ("" leaves it enabled).
func (b Binding) Disabled(why string) Binding {
	if why != "" {
		b.Why = why
	}
	return b
}

// Find returns the first binding of bs that matches msg.
func Find(bs []Binding, msg tea.KeyPressMsg) (Binding, bool) {
	for _, b := range bs {
		if b.Enabled() && key.Matches(msg, b.Binding) {
			return b, true
		}
	}
	return Binding{}, false
}

// KeyMap holds the console's shared bindings, grouped for the help view.
// Components with keys of their own keep them beside their code.
type KeyMap struct {
	// global
	Quit, ForceQuit, Help, Omnibox, NextFocus, Back, Copy, Pin, Tab1, Tab2, Tab3, Tab4, Tab5, Tab6, Tab7, Tab8, Tab9 Binding
	// lists
	Up, Down, PageUp, PageDown, Top, Bottom, Open Binding
	// panes
	Subnets, Section, Sort, Filter, Reset, Revoke, Refresh, MorePDNS, PDNSWindow Binding
	// omnibox
	Submit, Cancel, Recall Binding
}

// DefaultKeyMap is the console's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      Bind("quit", "q"),
		ForceQuit: Bind("quit now", "ctrl+c"),
		Help:      Bind("help", "?"),
		Omnibox:   Bind("search", "/", ":"),
		NextFocus: Bind("next focus", "tab", "shift+tab"),
		Back:      Bind("back / cancel", "esc", "backspace"),
		Copy:      Bind("copy value", "y"),
		Tab1:      Bind("IP pane", "1"),
		Tab2:      Bind("domain pane", "2"),
		Tab3:      Bind("user pane", "3"),
		Tab4:      Bind("request pane", "4"),
		Tab5:      Bind("audit pane", "5"),
		Tab6:      Bind("risky-users queue", "6"),
		Tab7:      Bind("triage pane", "7"),
		Tab8:      Bind("history pane", "8"),
		Tab9:      Bind("case pane", "9"),
		Pin:       Bind("pin to the active case", "c"),

		Up:       Bind("up", "up", "k"),
		Down:     Bind("down", "down", "j"),
		PageUp:   Bind("page up", "pgup", "ctrl+u"),
		PageDown: Bind("page down", "pgdown", "ctrl+d"),
		Top:      Bind("top", "home", "g"),
		Bottom:   Bind("bottom", "end", "G"),
		Open:     Bind("open", "enter"),

		Subnets:  Bind("ASN subnets", "s"),
		Section:  Bind("IPs/WHOIS/history", "w"),
		Sort:     Bind("sort time/level", "o"),
		Filter:   Bind("filter events", "f"),
		Reset:    Bind("reset risk", "R"),
		Revoke:   Bind("revoke sessions", "X"),
		Refresh:  Bind("refresh", "ctrl+r"),
		MorePDNS: Bind("more records", "n"),
		// The IP pane names the window it switches to ("90d window").
		PDNSWindow: Bind("passive DNS window", "t"),

		Submit: Bind("look up", "enter"),
		Cancel: Bind("leave search", "esc"),
		Recall: Bind("earlier lookups, suggestions", "up", "down"),
	}
}

// Hidden is b kept out of the footer (help still lists it).
func (b Binding) Hidden() Binding {
	b.Hide = true
	return b
}
