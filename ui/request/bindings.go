package request

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/ui/pane"
	"cftriage/views"
)

// matches reports whether msg is one of b's keys.
func matches(msg tea.KeyPressMsg, b Binding) bool { return key.Matches(msg, b.Binding) }

// Bindings are the keys that act where the analyst is, in footer order,
// with their handlers and, when one does not act now, why. The root
// matches a key against them first; the keys of a pair (←/→, ↑/↓, the
// response's scrolling) have no handler and reach Update, which tells
// them apart; so does typing. The footer shows those not hidden; help
// lists them all.
func (t *Tool) Bindings(ctx *pane.Context) []Binding {
	k := t.keys
	do := func(b Binding, f func() tea.Cmd) Binding { return b.Does(t.act(ctx, f)) }
	void := func(f func()) func() tea.Cmd { return func() tea.Cmd { f(); return nil } }

	sendWhy := t.sendWhy(ctx)
	send := do(k.Send, func() tea.Cmd { return t.send(ctx) }).Disabled(sendWhy)
	sendEnter := do(k.SendEnter, func() tea.Cmd { return t.send(ctx) }).Disabled(sendWhy)
	save := do(k.Save, func() tea.Cmd { return t.openSave(ctx) })
	open := do(k.Open, func() tea.Cmd { return t.openPicker(ctx) })
	curl := do(k.Curl, func() tea.Cmd { return t.copyCurl(ctx) })
	format := do(k.Format, void(t.formatBody))
	next := do(k.NextField, void(func() { t.cycleFocus(1) }))
	// tab's mirror: help lists it, the footer has no room
	prev := do(k.PrevField, void(func() { t.cycleFocus(-1) })).Hidden()
	leave := do(k.LeaveField, void(t.stopEditing))
	atRest := do(k.AtRest, void(func() {
		t.setNotice("esc has nothing to close here: 1–3 go back to the investigation, / to the search box", false)
	})).Hidden()

	if r := t.resp; r != nil && r.searching {
		return []Binding{
			do(k.RunSearch, void(t.runSearch)),
			do(k.CancelSearch, void(func() { r.searching = false })),
		}
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		return []Binding{
			do(k.KeepRow, void(func() { ed.keep() })),
			do(k.SwitchKV, void(ed.switchField)),
			do(k.CancelRow, void(ed.cancel)),
			send,
		}
	}
	switch t.focus {
	case views.FocusMethod:
		return []Binding{k.Method, sendEnter, next, prev, open, curl, save, format, atRest}
	case views.FocusEndpoint:
		suggest := do(k.Suggest, void(func() { t.suggest(ctx) }))
		if t.offerUsersNow() {
			suggest = suggest.As("users for " + userPlaceholder)
		}
		switch {
		case t.editing && t.fillOpen:
			return []Binding{k.FillMove, do(k.FillTake, void(t.takeUser)), do(k.FillClose, void(t.closeList)), send, save, open, curl, format}
		case t.editing && t.suggOpen:
			return []Binding{k.SuggestMove, do(k.Accept, void(t.takeSuggestion)), do(k.CloseSuggest, void(t.closeList)), send, save, open, curl, format}
		case t.editing && t.held:
			held := do(k.HeldEnter, void(func() {
				t.setNotice("the list is closed: go on typing, or press enter again to send", false)
			}))
			return []Binding{held, send, suggest, next, prev, leave, open, save, curl, format}
		case t.editing:
			return []Binding{sendEnter, suggest, next, prev, leave, open, save, curl, format}
		}
		edit := do(k.EditField.As("edit path"), void(t.resumeEditing))
		return []Binding{edit, suggest, send, next, prev, open, curl, save, format, atRest}
	case views.FocusBody:
		if t.editing {
			return []Binding{send, format, next, prev, leave, curl, save, open}
		}
		edit := do(k.EditField.As("edit body"), void(t.resumeEditing))
		return []Binding{edit, format, send, next, prev, curl, save, open, atRest}
	case views.FocusQuery, views.FocusHeaders:
		ed := t.activeKV()
		edit := do(k.EditRow, void(ed.editCursor))
		del := do(k.DelRow, void(func() { ed.remove() }))
		move := k.RowMove
		n := len(ed.rows)
		edit.Hide, del.Hide, move.Hide = n == 0, n == 0, n < 2
		return []Binding{do(k.AddRow, void(func() { ed.startEdit(len(ed.rows)) })), edit, del, move, send, next, prev, open, curl, save, format, atRest}
	case views.FocusResponse:
		return t.responseBindings(ctx, do, void, send, next, prev, save, open, curl)
	}
	return []Binding{send}
}

func (t *Tool) offerUsersNow() bool {
	return len(t.users) > 0 && strings.Contains(t.endpoint.Value(), userPlaceholder)
}

func (t *Tool) responseBindings(ctx *pane.Context, do func(Binding, func() tea.Cmd) Binding, void func(func()) func() tea.Cmd,
	send, next, prev, save, open, curl Binding) []Binding {
	k := t.keys
	if t.sending {
		if t.sendingWrite {
			// A write cannot be canceled: esc only leaves the viewer.
			return []Binding{do(k.BackToEditor, void(func() { t.setFocus(t.lastEdit) })), next, prev, save, open, curl, send}
		}
		return []Binding{do(k.CancelGet, void(t.cancelSend)), next, prev, save, open, curl, send}
	}
	r := t.resp
	jump, copyB := k.Jump, do(k.CopyBody, t.copyBody)
	switch {
	case len(r.matches) > 0:
	case r.search != "":
		jump = jump.Disabled("no match for " + views.Sanitize(r.search))
	default:
		jump = jump.Disabled("no search yet (/ searches)")
	}
	if r.empty() {
		copyB = copyB.Disabled("the body is empty")
	}
	return []Binding{
		k.Scroll, k.Page,
		do(k.Search, void(t.startSearch)),
		jump, copyB,
		do(k.Headers, void(func() { r.showHeaders = !r.showHeaders })),
		k.Sideways, k.Ends, curl, next, prev,
		do(k.ToEditor, void(func() { t.setFocus(t.lastEdit) })),
		send, save, open,
	}
}

// result takes the pane's own results and what its dialogs send it.
func (t *Tool) result(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sentMsg:
		t.sent(msg)
	case sendConfirmed:
		return t.start(ctx, msg.req, msg.url)
	case sendDeclined:
		t.setNotice(msg.method+" not sent", false)
	case savedAs:
		t.setNotice("saved as "+views.Sanitize(msg.name), false)
	case historyLoaded:
		return t.showPicker(ctx, msg)
	case recallMsg:
		t.recall(msg.entry)
	case deletedMsg:
		t.setNotice("deleted "+views.Sanitize(msg.name), false)
	default:
		return t.bodyResult(ctx, msg)
	}
	return nil
}
