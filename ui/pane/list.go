package pane

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// List is a cursor and scroll offset; it lives in the component so Back
// restores both.
type List struct{ Cursor, Offset int }

// Move handles the list keys; it reports whether the key was one.
func (l *List) Move(ctx *Context, msg tea.KeyPressMsg, n int) bool {
	k := ctx.Keys
	h := max(1, ctx.ListHeight)
	switch {
	case key.Matches(msg, k.Up.Binding):
		l.Cursor--
	case key.Matches(msg, k.Down.Binding):
		l.Cursor++
	case key.Matches(msg, k.PageUp.Binding):
		l.Cursor -= h
	case key.Matches(msg, k.PageDown.Binding):
		l.Cursor += h
	case key.Matches(msg, k.Top.Binding):
		l.Cursor = 0
	case key.Matches(msg, k.Bottom.Binding):
		l.Cursor = n - 1
	default:
		return false
	}
	l.Fit(n, h)
	return true
}

// Fit keeps the cursor inside n rows and on screen in h rows.
func (l *List) Fit(n, h int) {
	l.Cursor = max(0, min(l.Cursor, n-1))
	if l.Cursor < l.Offset {
		l.Offset = l.Cursor
	}
	if l.Cursor >= l.Offset+h {
		l.Offset = l.Cursor - h + 1
	}
	l.Offset = max(0, min(l.Offset, n-1))
}

// AtEnd reports the cursor on the last of n rows.
func (l *List) AtEnd(n int) bool { return n > 0 && l.Cursor >= n-1 }

// ListKeys are the list movement bindings, for help.
func ListKeys(k *KeyMap) []Binding {
	return []Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}
