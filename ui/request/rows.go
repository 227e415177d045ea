package request

import (
	"errors"
	"slices"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"cftriage/cloudflare"
	"cftriage/views"
)

// kvEditor is the query-parameter or header editor: rows, a cursor, and
// at most one row being edited with two inputs.
type kvEditor struct {
	headers bool
	rows    []views.KVRow
	cursor  int
	// editing is the row being edited (len(rows) for a new one), -1
	// when none.
	editing  int
	key, val textinput.Model
	onVal    bool
	err      string
}

func newKVEditor(headers bool) kvEditor {
	e := kvEditor{headers: headers, editing: -1}
	e.key, e.val = textinput.New(), textinput.New()
	e.key.Prompt, e.val.Prompt = "", ""
	e.key.CharLimit, e.val.CharLimit = 256, 4096
	if headers {
		e.key.Placeholder, e.val.Placeholder = "Header-Name", "value"
	} else {
		e.key.Placeholder, e.val.Placeholder = "name", "value"
	}
	return e
}

func (e *kvEditor) setStyles(st textinput.Styles) {
	e.key.SetStyles(st)
	e.val.SetStyles(st)
}

// setWidths sizes the row inputs for a table width wide: the name input
// as wide as the table's name column (grown to what is typed, up to the
// column's limit), so the edited row lines up with the others.
func (e *kvEditor) setWidths(width int) {
	editW := 0
	if e.editing >= 0 {
		// A rendered input is one cell wider than its width (the cursor),
		// and the next key lands before the width is set again: leave room
		// for it, or the input scrolls its first character out of view.
		typed := e.key.Value()
		if typed == "" {
			typed = e.key.Placeholder
		}
		editW = max(2, ansi.StringWidth(typed)+2)
	}
	kw, vw := views.KVColumns(e.rows, editW, width)
	// An input scrolls its text to the cursor for the width it had when
	// the text was set; with the new width it must scroll again, or a
	// row opened for editing shows its name without its first letters.
	e.key.SetWidth(max(1, kw-1))
	e.key.SetCursor(e.key.Position())
	e.val.SetWidth(max(1, vw-1))
	e.val.SetCursor(e.val.Position())
}

// pairs are the rows as the client takes them; a hint row still empty
// is not sent.
func (e *kvEditor) pairs() [][2]string {
	var out [][2]string
	for _, r := range e.rows {
		if r.Hint && r.Value == "" {
			continue
		}
		out = append(out, [2]string{r.Key, r.Value})
	}
	return out
}

// forPath makes the rows those of a path taking the query parameters
// names: a row for one of them stays, with its value; an empty row is
// added for each not there; every other row goes (a query for another
// path is not one for this). It returns the rows dropped (the empty
// hints left out) and the names added.
func (e *kvEditor) forPath(names []string) (dropped []views.KVRow, added []string) {
	var kept []views.KVRow
	for _, r := range e.rows {
		switch {
		case slices.Contains(names, r.Key):
			kept = append(kept, r)
		case !(r.Hint && r.Value == ""):
			dropped = append(dropped, r)
		}
	}
	e.rows = kept
	for _, n := range names {
		if e.index(n) < 0 {
			e.rows = append(e.rows, views.KVRow{Key: n, Hint: true})
			added = append(added, n)
		}
	}
	e.cursor = max(0, min(e.cursor, len(e.rows)-1))
	return dropped, added
}

// index is the first row named name, or -1.
func (e *kvEditor) index(name string) int {
	for i, r := range e.rows {
		if r.Key == name {
			return i
		}
	}
	return -1
}

// fill sets the value of an empty hint row named name, or adds a row.
func (e *kvEditor) fill(name, value string) {
	if i := e.index(name); i >= 0 && e.rows[i].Hint && e.rows[i].Value == "" {
		e.rows[i] = views.KVRow{Key: name, Value: value}
		return
	}
	e.rows = append(e.rows, views.KVRow{Key: name, Value: value})
}

func (e *kvEditor) setPairs(p [][2]string) {
	e.rows = e.rows[:0]
	for _, kv := range p {
		e.rows = append(e.rows, views.KVRow{Key: kv[0], Value: kv[1]})
	}
	e.cursor, e.editing, e.err = 0, -1, ""
}

func (e *kvEditor) view() views.KVTable {
	t := views.KVTable{Rows: e.rows, Cursor: e.cursor, Editing: e.editing, Err: e.err}
	if e.editing >= 0 {
		t.EditKey, t.EditValue = e.key.View(), e.val.View()
	}
	return t
}

// startEdit opens row i (len(rows) adds one) for editing.
func (e *kvEditor) startEdit(i int) {
	e.editing, e.err, e.onVal = i, "", false
	e.key.Reset()
	e.val.Reset()
	if i < len(e.rows) {
		e.key.SetValue(e.rows[i].Key)
		e.val.SetValue(e.rows[i].Value)
		e.key.CursorEnd()
	}
	e.key.Focus()
	e.val.Blur()
}

// editCursor is enter on the table: the row under the cursor, or a new
// one in an empty table.
func (e *kvEditor) editCursor() {
	if len(e.rows) == 0 {
		e.startEdit(0)
		return
	}
	e.startEdit(e.cursor)
}

func (e *kvEditor) switchField() {
	e.onVal = !e.onVal
	if e.onVal {
		e.key.Blur()
		e.val.Focus()
		e.val.CursorEnd()
	} else {
		e.val.Blur()
		e.key.Focus()
		e.key.CursorEnd()
	}
}

// checkHeader refuses, as the analyst types, what the client would
// refuse at send time: credential headers (the token comes only from the
// profile), headers the HTTP client sets itself, invalid names or values.
func checkHeader(name, value string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("a header needs a name")
	}
	return cloudflare.CheckHeader(name, value)
}

// commit keeps the edited row if it is acceptable; a refused row stays
// open with the reason, so nothing refused ever reaches a request.
func (e *kvEditor) commit() error {
	k, v := strings.TrimSpace(e.key.Value()), e.val.Value()
	if k == "" {
		return errors.New("a name is required")
	}
	if e.headers {
		if err := checkHeader(k, v); err != nil {
			return err
		}
	}
	row := views.KVRow{Key: k, Value: v}
	if e.editing < len(e.rows) && e.rows[e.editing].Hint && v == "" {
		row.Hint = true // still unfilled: still not sent
	}
	if e.editing >= len(e.rows) {
		e.rows = append(e.rows, row)
		e.cursor = len(e.rows) - 1
	} else {
		e.rows[e.editing] = row
		e.cursor = e.editing
	}
	e.stopEdit()
	return nil
}

// keep is enter on the row being edited.
func (e *kvEditor) keep() {
	if err := e.commit(); err != nil {
		e.err = err.Error()
	}
}

// cancel is esc on the row being edited.
func (e *kvEditor) cancel() {
	e.stopEdit()
	e.err = ""
}

func (e *kvEditor) stopEdit() {
	e.editing = -1
	e.key.Blur()
	e.val.Blur()
	// The inputs may hold a refused credential: do not keep it around.
	e.key.Reset()
	e.val.Reset()
}

func (e *kvEditor) remove() bool {
	if e.cursor < 0 || e.cursor >= len(e.rows) {
		return false
	}
	e.rows = append(e.rows[:e.cursor], e.rows[e.cursor+1:]...)
	if e.cursor >= len(e.rows) {
		e.cursor = max(0, len(e.rows)-1)
	}
	e.err = ""
	return true
}

func (e *kvEditor) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	if e.onVal {
		e.val, cmd = e.val.Update(msg)
	} else {
		e.key, cmd = e.key.Update(msg)
	}
	e.err = ""
	return cmd
}

// activeKV is the row editor with focus, or nil.
func (t *Tool) activeKV() *kvEditor {
	switch t.focus {
	case views.FocusQuery:
		return &t.query
	case views.FocusHeaders:
		return &t.headers
	}
	return nil
}

// rowMove is ↑/↓ (k/j) on a table.
func (t *Tool) rowMove(e *kvEditor, msg tea.KeyPressMsg) {
	switch {
	case matches(msg, t.keys.RowUp):
		e.cursor = max(0, e.cursor-1)
	case matches(msg, t.keys.RowDown):
		e.cursor = max(0, min(len(e.rows)-1, e.cursor+1))
	}
}
