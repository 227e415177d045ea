package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// Binding is a key binding as data: the help view and the footer read
// these, and Why says why a binding is disabled right now (lazygit style).
type Binding struct {
	key.Binding
	Why string
}

func bind(desc string, keys ...string) Binding {
	// Help shows every key of a binding ("esc/backspace"), arrows as
	// glyphs; a binding that includes "/" itself is joined with spaces.
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

// KeyMap holds every binding of the console, grouped for the help view.
type KeyMap struct {
	// global
	Quit, ForceQuit, Help, Omnibox, NextFocus, Back, Copy, Tab1, Tab2, Tab3, Tab4, Tab5 Binding
	// lists
	Up, Down, PageUp, PageDown, Top, Bottom, Open Binding
	// panes
	Subnets, Section, Sort, Filter, Reset, Refresh, MorePDNS Binding
	// omnibox
	Submit, Cancel, Recall Binding
}

// DefaultKeyMap is the console's key map.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Quit:      bind("quit", "q"),
		ForceQuit: bind("quit now", "ctrl+c"),
		Help:      bind("help", "?"),
		Omnibox:   bind("search", "/", ":"),
		NextFocus: bind("next focus", "tab", "shift+tab"),
		Back:      bind("back / cancel", "esc", "backspace"),
		Copy:      bind("copy value", "y"),
		Tab1:      bind("IP pane", "1"),
		Tab2:      bind("domain pane", "2"),
		Tab3:      bind("user pane", "3"),
		Tab4:      bind("request pane", "4"),
		Tab5:      bind("audit pane", "5"),

		Up:       bind("up", "up", "k"),
		Down:     bind("down", "down", "j"),
		PageUp:   bind("page up", "pgup", "ctrl+u"),
		PageDown: bind("page down", "pgdown", "ctrl+d"),
		Top:      bind("top", "home", "g"),
		Bottom:   bind("bottom", "end", "G"),
		Open:     bind("open", "enter"),

		Subnets:  bind("ASN subnets", "s"),
		Section:  bind("IPs/WHOIS/history", "w"),
		Sort:     bind("sort time/level", "o"),
		Filter:   bind("filter events", "f"),
		Reset:    bind("reset risk", "R"),
		Refresh:  bind("refresh", "ctrl+r"),
		MorePDNS: bind("more records", "n"),

		Submit: bind("look up", "enter"),
		Cancel: bind("leave search", "esc"),
		Recall: bind("earlier lookups, suggestions", "up", "down"),
	}
}
