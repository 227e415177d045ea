package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
	"cftriage/views"
)

// noteDialog is the note editor: a multi-line Markdown text for the
// active case. ctrl+s saves (the Case pane adds it and reopens the
// editor with the text when that fails); esc with text asks once more,
// so a stray key never throws a note away.
type noteDialog struct {
	caseName string
	ta       textarea.Model
	opener   int
	confirm  bool // esc pressed once with text
}

var noteKeys = struct{ Save, Cancel Binding }{
	Save:   bind("save the note", "ctrl+s"),
	Cancel: bind("discard", "esc"),
}

func newNoteDialog(caseName, text string, opener int) *noteDialog {
	ta := textarea.New()
	ta.Placeholder = "Markdown: what you found, why it matters, what was done…"
	ta.ShowLineNumbers = false
	ta.CharLimit = 64 * 1024
	ta.MaxHeight = 0
	st := ta.Styles()
	st.Cursor.Blink = false
	ta.SetStyles(st)
	ta.SetValue(text)
	ta.Focus()
	return &noteDialog{caseName: caseName, ta: ta, opener: opener}
}

func (d *noteDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		d.ta.InsertString(msg.Content)
		return nil, false
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, noteKeys.Save.Binding):
			text := d.ta.Value()
			if strings.TrimSpace(text) == "" {
				return pane.Status("the note is empty: type it first, esc discards"), false
			}
			return pane.Emit(pane.ToMsg{ID: d.opener, Msg: noteSaveMsg{text: text}}), true
		case key.Matches(msg, noteKeys.Cancel.Binding):
			if strings.TrimSpace(d.ta.Value()) != "" && !d.confirm {
				d.confirm = true
				return nil, false
			}
			return pane.Status("note discarded"), true
		}
		d.confirm = false
		var cmd tea.Cmd
		d.ta, cmd = d.ta.Update(msg)
		return cmd, false
	}
	return nil, false
}

func (d *noteDialog) View(ctx *pane.Context) string {
	w := max(20, min(ctx.Width-4, 100))
	h := max(5, min(ctx.Height-8, 20))
	d.ta.SetWidth(w - 4)
	d.ta.SetHeight(h)
	hint := "ctrl+s saves · esc discards"
	if d.confirm {
		hint = "esc again discards this note · ctrl+s saves it"
	}
	return views.NoteEditor(d.caseName, d.ta.View(), hint, d.confirm, w, ctx.Theme)
}

func (d *noteDialog) Bindings(ctx *pane.Context) []Binding {
	return []Binding{noteKeys.Save, noteKeys.Cancel}
}
