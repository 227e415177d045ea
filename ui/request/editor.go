package request

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/views"
)

// bodyMaxLines is the body editor's capacity: what the console's text
// area held, kept so a recalled or formatted body is cut the same way
// (and said so).
const bodyMaxLines = 10000

// editorKeys are the body editor's own keys (those of bubbles'
// textarea, which the editor replaces): matched in Update while the
// analyst types in the body, none of them a pane binding.
type editorKeys struct {
	CharForward, CharBackward, WordForward, WordBackward key.Binding
	LineNext, LinePrev, LineStart, LineEnd               key.Binding
	PageUp, PageDown, InputBegin, InputEnd               key.Binding
	DeleteCharBackward, DeleteCharForward                key.Binding
	DeleteWordBackward, DeleteWordForward                key.Binding
	DeleteBeforeCursor, DeleteAfterCursor, InsertNewline key.Binding
	Paste                                                key.Binding
}

func defaultEditorKeys() editorKeys {
	k := func(keys ...string) key.Binding { return key.NewBinding(key.WithKeys(keys...)) }
	return editorKeys{
		CharForward:        k("right", "ctrl+f"),
		CharBackward:       k("left", "ctrl+b"),
		WordForward:        k("alt+right", "ctrl+right", "alt+f"),
		WordBackward:       k("alt+left", "ctrl+left", "alt+b"),
		LineNext:           k("down", "ctrl+n"),
		LinePrev:           k("up", "ctrl+p"),
		LineStart:          k("home", "ctrl+a"),
		LineEnd:            k("end", "ctrl+e"),
		PageUp:             k("pgup"),
		PageDown:           k("pgdown"),
		InputBegin:         k("alt+<", "ctrl+home"),
		InputEnd:           k("alt+>", "ctrl+end"),
		DeleteCharBackward: k("backspace", "ctrl+h"),
		DeleteCharForward:  k("delete", "ctrl+d"),
		DeleteWordBackward: k("alt+backspace", "ctrl+w", "ctrl+backspace"),
		DeleteWordForward:  k("alt+delete", "alt+d", "ctrl+delete"),
		DeleteBeforeCursor: k("ctrl+u"),
		DeleteAfterCursor:  k("ctrl+k"),
		InsertNewline:      k("enter", "ctrl+m"),
		Paste:              k("ctrl+v"),
	}
}

// editor is the JSON body editor: the text as lines, a cursor, and the
// first line on screen. A key changes the cursor's line (or, for a line
// break, the list of lines) and nothing else, and only the rows on
// screen are drawn, so typing costs the same in a 10-line body and a
// 10,000-line one. The text is joined, and checked as JSON, per change
// and only when asked (see Tool.checkBody).
type editor struct {
	keys  editorKeys
	lines []string // never empty: an empty body is one empty line
	// row, col: the cursor (line; byte offset in it, on a rune boundary).
	// goal is the rune column ↑/↓ aim for, -1 for col's own.
	row, col, goal int
	top, rows      int // first line shown; rows on screen (from the layout)
	size           int // bytes of the text: the lines joined with "\n"

	// rev counts changes; the JSON check is of checkedRev.
	rev, checkedRev int
	checkErr        string // why it is not JSON, with line:column
	checkBlank      bool   // only white space: no body is sent
	text            string // the joined text as of textRev
	textRev         int

	placeholder string
}

func newEditor() *editor {
	return &editor{keys: defaultEditorKeys(), lines: []string{""}, goal: -1, rows: 1,
		placeholder: "JSON body (optional)", checkBlank: true}
}

// jsonError is actions.JSONError: the editor and the headless --body
// report a bad body the same way, with its line:column. A variable so a
// test can count the checks.
var jsonError = actions.JSONError

// Text is the body as typed.
func (e *editor) Text() string {
	if e.textRev != e.rev {
		e.text, e.textRev = strings.Join(e.lines, "\n"), e.rev
	}
	return e.text
}

// checked reports the JSON check is of the text as it is now.
func (e *editor) checked() bool { return e.checkedRev == e.rev }

// checkNow checks the text as it is now, if not yet done.
func (e *editor) checkNow() {
	if e.checked() {
		return
	}
	s := e.Text()
	e.setCheck(e.rev, jsonError(s), strings.TrimSpace(s) == "")
}

func (e *editor) setCheck(rev int, err string, blank bool) {
	e.checkedRev, e.checkErr, e.checkBlank = rev, err, blank
}

func (e *editor) changed() { e.rev++ }

// SetText replaces the body, cursor at the start. It reports false when
// the editor could not hold all of it (bodyMaxLines).
func (e *editor) SetText(s string) bool {
	lines := strings.Split(s, "\n")
	full := len(lines) <= bodyMaxLines
	if !full {
		lines = lines[:bodyMaxLines]
	}
	e.lines = lines
	e.size = len(s)
	if !full {
		e.size = 0
		for _, l := range lines {
			e.size += len(l) + 1
		}
		e.size--
	}
	e.row, e.col, e.goal, e.top = 0, 0, -1, 0
	e.changed()
	return full
}

// Line is the cursor line (0-based), Lines the number of lines.
func (e *editor) Line() int  { return e.row }
func (e *editor) Lines() int { return len(e.lines) }

// empty reports a body with no text at all.
func (e *editor) empty() bool { return len(e.lines) == 1 && e.lines[0] == "" }

// sanitizeInput is what typed or pasted text becomes in the body, as
// the text area had it: a tab is four spaces, CR LF and lone CRs are
// line breaks, other control characters and invalid bytes are dropped.
func sanitizeInput(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\r':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteString("    ")
		case r == '\n':
			b.WriteByte('\n')
		case r == utf8.RuneError, unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// insert puts s at the cursor and moves the cursor past it. It reports
// false when the line limit cut it.
func (e *editor) insert(s string) bool {
	s = sanitizeInput(s)
	if s == "" {
		return true
	}
	line := e.lines[e.row]
	if !strings.Contains(s, "\n") {
		e.lines[e.row] = line[:e.col] + s + line[e.col:]
		e.col += len(s)
		e.size += len(s)
		e.goal = -1
		e.changed()
		return true
	}
	parts := strings.Split(s, "\n")
	full := true
	if room := bodyMaxLines - len(e.lines) + 1; len(parts) > room {
		parts, full = parts[:max(1, room)], false
	}
	head, tail := line[:e.col], line[e.col:]
	n := len(parts)
	last := parts[n-1]
	ins := make([]string, n)
	ins[0] = head + parts[0]
	copy(ins[1:], parts[1:])
	ins[n-1] += tail
	e.lines = append(e.lines[:e.row], append(ins, e.lines[e.row+1:]...)...)
	for _, p := range parts {
		e.size += len(p) + 1
	}
	e.size--
	e.row += n - 1
	if n == 1 {
		e.col = len(head) + len(last)
	} else {
		e.col = len(last)
	}
	e.goal = -1
	e.changed()
	return full
}

// newline breaks the line at the cursor.
func (e *editor) newline() bool {
	if len(e.lines) >= bodyMaxLines {
		return false
	}
	line := e.lines[e.row]
	e.lines = append(e.lines, "")
	copy(e.lines[e.row+2:], e.lines[e.row+1:])
	e.lines[e.row], e.lines[e.row+1] = line[:e.col], line[e.col:]
	e.row++
	e.col, e.goal = 0, -1
	e.size++
	e.changed()
	return true
}

// join merges line i+1 into line i.
func (e *editor) join(i int) {
	if i < 0 || i+1 >= len(e.lines) {
		return
	}
	e.lines[i] += e.lines[i+1]
	e.lines = append(e.lines[:i+1], e.lines[i+2:]...)
	e.size--
	e.changed()
}

// cut removes bytes [from, to) of the cursor line and puts the cursor at
// from.
func (e *editor) cut(from, to int) {
	if from >= to {
		return
	}
	line := e.lines[e.row]
	e.lines[e.row] = line[:from] + line[to:]
	e.size -= to - from
	e.col, e.goal = from, -1
	e.changed()
}

func (e *editor) prevRune(line string, col int) int {
	_, size := utf8.DecodeLastRuneInString(line[:col])
	return col - size
}

func (e *editor) nextRune(line string, col int) int {
	_, size := utf8.DecodeRuneInString(line[col:])
	return col + size
}

// wordLeft is the start of the word before col (spaces skipped first).
func wordLeft(line string, col int) int {
	for col > 0 {
		r, size := utf8.DecodeLastRuneInString(line[:col])
		if !unicode.IsSpace(r) {
			break
		}
		col -= size
	}
	for col > 0 {
		r, size := utf8.DecodeLastRuneInString(line[:col])
		if unicode.IsSpace(r) {
			break
		}
		col -= size
	}
	return col
}

// wordRight is the end of the word after col (spaces skipped first).
func wordRight(line string, col int) int {
	for col < len(line) {
		r, size := utf8.DecodeRuneInString(line[col:])
		if !unicode.IsSpace(r) {
			break
		}
		col += size
	}
	for col < len(line) {
		r, size := utf8.DecodeRuneInString(line[col:])
		if unicode.IsSpace(r) {
			break
		}
		col += size
	}
	return col
}

// moveRow puts the cursor on row r at the goal column.
func (e *editor) moveRow(r int) {
	r = max(0, min(r, len(e.lines)-1))
	if e.goal < 0 {
		e.goal = utf8.RuneCountInString(e.lines[e.row][:e.col])
	}
	e.row = r
	line := e.lines[r]
	col, n := 0, 0
	for col < len(line) && n < e.goal {
		col = e.nextRune(line, col)
		n++
	}
	e.col = col
}

// update handles a key typed into the body; it reports whether a paste
// from the clipboard is asked, and false for full when the line limit
// stopped the key.
func (e *editor) update(msg tea.KeyPressMsg) (paste, full bool) {
	k := e.keys
	line := e.lines[e.row]
	full = true
	switch {
	case key.Matches(msg, k.InsertNewline):
		full = e.newline()
	case key.Matches(msg, k.DeleteCharBackward):
		if e.col > 0 {
			e.cut(e.prevRune(line, e.col), e.col)
		} else if e.row > 0 {
			e.row--
			e.col, e.goal = len(e.lines[e.row]), -1
			e.join(e.row)
		}
	case key.Matches(msg, k.DeleteCharForward):
		if e.col < len(line) {
			e.cut(e.col, e.nextRune(line, e.col))
		} else {
			e.join(e.row)
		}
	case key.Matches(msg, k.DeleteWordBackward):
		if e.col == 0 {
			if e.row > 0 {
				e.row--
				e.col, e.goal = len(e.lines[e.row]), -1
				e.join(e.row)
			}
		} else {
			e.cut(wordLeft(line, e.col), e.col)
		}
	case key.Matches(msg, k.DeleteWordForward):
		if e.col == len(line) {
			e.join(e.row)
		} else {
			e.cut(e.col, wordRight(line, e.col))
		}
	case key.Matches(msg, k.DeleteBeforeCursor):
		if e.col == 0 {
			if e.row > 0 {
				e.row--
				e.col, e.goal = len(e.lines[e.row]), -1
				e.join(e.row)
			}
		} else {
			e.cut(0, e.col)
		}
	case key.Matches(msg, k.DeleteAfterCursor):
		if e.col == len(line) {
			e.join(e.row)
		} else {
			e.cut(e.col, len(line))
		}
	case key.Matches(msg, k.CharBackward):
		e.goal = -1
		if e.col > 0 {
			e.col = e.prevRune(line, e.col)
		} else if e.row > 0 {
			e.row--
			e.col = len(e.lines[e.row])
		}
	case key.Matches(msg, k.CharForward):
		e.goal = -1
		if e.col < len(line) {
			e.col = e.nextRune(line, e.col)
		} else if e.row+1 < len(e.lines) {
			e.row++
			e.col = 0
		}
	case key.Matches(msg, k.WordBackward):
		e.goal = -1
		if e.col == 0 && e.row > 0 {
			e.row--
			e.col = len(e.lines[e.row])
		}
		e.col = wordLeft(e.lines[e.row], e.col)
	case key.Matches(msg, k.WordForward):
		e.goal = -1
		if e.col == len(line) && e.row+1 < len(e.lines) {
			e.row++
			e.col = 0
		}
		e.col = wordRight(e.lines[e.row], e.col)
	case key.Matches(msg, k.LineNext):
		e.moveRow(e.row + 1)
	case key.Matches(msg, k.LinePrev):
		e.moveRow(e.row - 1)
	case key.Matches(msg, k.PageDown):
		e.moveRow(e.row + max(1, e.rows))
	case key.Matches(msg, k.PageUp):
		e.moveRow(e.row - max(1, e.rows))
	case key.Matches(msg, k.LineStart):
		e.col, e.goal = 0, -1
	case key.Matches(msg, k.LineEnd):
		e.col, e.goal = len(line), -1
	case key.Matches(msg, k.InputBegin):
		e.row, e.col, e.goal = 0, 0, -1
	case key.Matches(msg, k.InputEnd):
		e.row = len(e.lines) - 1
		e.col, e.goal = len(e.lines[e.row]), -1
	case key.Matches(msg, k.Paste):
		return true, true
	case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper) == 0:
		full = e.insert(msg.Text)
	}
	return false, full
}

// fit keeps the window on the cursor for rows rows.
func (e *editor) fit(rows int) {
	e.rows = max(1, rows)
	e.top = views.BodyWindow(len(e.lines), e.rows, e.row, e.top)
}

// view is the body for the renderer: cursor drawn while typing.
func (e *editor) view(typing bool) views.RequestBody {
	b := views.RequestBody{CursorLine: e.row, Top: e.top, Cursor: typing, CursorCol: e.col, Placeholder: e.placeholder}
	if !e.empty() {
		b.Lines = e.lines
	}
	return b
}
