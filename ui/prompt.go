package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
)

// linePrompt is a one-line text prompt inside a tool (a file path, a
// case name): opened for a purpose, it takes the typed keys and pastes
// until enter submits or esc closes it.
type linePrompt struct {
	in    textinput.Model
	open  bool
	For   string // what it was opened for ("open", "export", "case")
	Label string // shown before the input ("open file:")
}

func newLinePrompt(limit int) linePrompt {
	ti := steadyInput("", "")
	ti.CharLimit = limit
	return linePrompt{in: ti}
}

// steadyInput is a text input with a steady cursor: blinking costs a
// timer per key press for nothing.
func steadyInput(prompt, placeholder string) textinput.Model {
	ti := textinput.New()
	ti.Prompt, ti.Placeholder = prompt, placeholder
	st := ti.Styles()
	st.Cursor.Blink = false
	ti.SetStyles(st)
	return ti
}

// Open opens the prompt for a purpose, with its label and a suggested
// value.
func (p *linePrompt) Open(purpose, label, value string) {
	p.open, p.For, p.Label = true, purpose, label
	p.in.SetValue(value)
	p.in.CursorEnd()
	p.in.Focus()
}

// Take closes the prompt and returns what was typed, trimmed.
func (p *linePrompt) Take() string {
	p.close()
	return strings.TrimSpace(p.in.Value())
}

func (p *linePrompt) close() {
	p.open = false
	p.in.Blur()
}

// Update takes a key or a paste while the prompt is open, in a line
// width wide (the input scrolls within what the label leaves); ok
// reports that it did.
func (p *linePrompt) Update(msg tea.Msg, width int) (tea.Cmd, bool) {
	if !p.open {
		return nil, false
	}
	p.in.SetWidth(p.inputWidth(width))
	switch msg := msg.(type) {
	case tea.PasteMsg:
		p.in.SetValue(p.in.Value() + strings.TrimSpace(msg.Content))
		p.in.CursorEnd()
		return nil, true
	case tea.KeyPressMsg:
		var cmd tea.Cmd
		p.in, cmd = p.in.Update(msg)
		return cmd, true
	}
	return nil, false
}

// Bindings are enter (labelled) and esc while the prompt is open.
func (p *linePrompt) Bindings(k *pane.KeyMap, label string, submit func() tea.Cmd) []Binding {
	return []Binding{
		k.Submit.As(label).Does(submit),
		k.Cancel.As("cancel").Does(func() tea.Cmd { p.close(); return nil }),
	}
}

func (p *linePrompt) inputWidth(width int) int { return max(10, width-len(p.Label)-2) }

// View is the input for a line width wide beside its label (drawn from
// a copy: drawing changes nothing).
func (p linePrompt) View(width int) string {
	in := p.in
	in.SetWidth(p.inputWidth(width))
	return in.View()
}
