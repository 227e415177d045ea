package ui

import "cftriage/ui/pane"

// The key map and bindings live in the pane contract so every component
// package reads the same ones.
type (
	Binding = pane.Binding
	KeyMap  = pane.KeyMap
)

func bind(desc string, keys ...string) Binding { return pane.Bind(desc, keys...) }

// DefaultKeyMap is the console's key map.
func DefaultKeyMap() KeyMap { return pane.DefaultKeyMap() }
