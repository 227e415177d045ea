package views

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// RequestFocus is the part of the Request pane that has the keys.
type RequestFocus int

// The Request pane's parts, in tab order.
const (
	FocusMethod RequestFocus = iota
	FocusEndpoint
	FocusQuery
	FocusHeaders
	FocusBody
	FocusResponse
)

// KVRow is one query parameter or header. A Hint row was added for a
// known path's query parameter and is still empty: it is shown, but not
// sent until it gets a value.
type KVRow struct {
	Key, Value string
	Hint       bool
}

// KVTable is the query-parameter or header editor.
type KVTable struct {
	Rows   []KVRow
	Cursor int
	// Editing is the row being edited (len(Rows) for a new one), -1 when
	// none; EditKey and EditValue are then its rendered inputs.
	Editing            int
	EditKey, EditValue string
	Err                string
}

// FillChoice is a value offered for a placeholder: Value goes into the
// path, Label says whose it is (an email).
type FillChoice struct{ Label, Value string }

// PathSuggestion is one endpoint completion.
type PathSuggestion struct {
	Method, Path, Summary string
	Query                 []string
}

// RequestView is everything the request editor shows. Rendered inputs
// (Endpoint, Body, EditKey/EditValue, SaveInput) come from the ui's text
// widgets; every other string is sanitized here.
type RequestView struct {
	Method string
	Write  bool // the method changes state
	Focus  RequestFocus
	// Editing: the focused text field takes typing (else it is only
	// selected, and enter on it starts typing).
	Editing bool

	// Endpoint is the rendered endpoint input while the analyst types in
	// it; otherwise Path (the raw value) is drawn from its start.
	Endpoint    string
	Path        string
	EndpointErr string // why the endpoint would be refused
	Resolved    string // the full URL it resolves to
	BaseURL     string

	Suggestions []PathSuggestion
	Suggest     int // highlighted suggestion, -1: none

	// Fill lists values for a placeholder of the path (FillFor, e.g.
	// "{user_id}": the users looked up this session); it drops down like
	// Suggestions. FillCursor is the highlighted one.
	Fill       []FillChoice
	FillFor    string
	FillCursor int

	Query, Headers KVTable

	Body     string // rendered body editor (BodyRows lines)
	BodyErr  string // "invalid JSON at 3:14: ..."
	BodyNote string // "valid JSON", "empty: no body is sent"

	// Notice is a transient message (copied, saved, refused); NoticeErr
	// styles it as an error.
	Notice    string
	NoticeErr bool
	// Response is a one-line summary of the last response, shown when
	// the viewer is not beside the editor.
	Response string
	// SendHint says why sending is disabled right now ("" when it is
	// not: the console's footer lists the keys).
	SendHint string
}

// Line limits of the wrapped messages: the URL preview or refusal under
// the endpoint, the notice at the bottom, a row's error.
const (
	rqPreviewMax = 6
	rqNoticeMax  = 3
	rqRowErrMax  = 2
)

// KVColumns are the widths of the name and value columns of a table
// width wide: the widest name (at most a third of the width), or editW
// (the rendered width of the name input of a row being edited) when
// wider, so an edited row lines up with the others.
func KVColumns(rows []KVRow, editW, width int) (name, value int) {
	limit := max(1, (max(2, width-5))/3)
	name = editW
	for _, r := range rows {
		name = max(name, ansi.StringWidth(Sanitize(r.Key)))
	}
	name = max(1, min(name, limit))
	return name, max(1, width-2-name-3)
}

// kvRowsShown is how many rows a table gets in a pane height rows tall.
func kvRowsShown(t KVTable, height int) int {
	n := len(t.Rows)
	if t.Editing >= len(t.Rows) {
		n++
	}
	limit := max(1, min(8, (height-9)/4))
	return max(1, min(n, limit))
}

// wrapMax wraps plain text to w cells in at most n lines, the last
// ending in … when some was left out.
func wrapMax(s string, w, n int) []string {
	return limitLines(wrap(s, max(1, w)), w, n)
}

// wrapURL cuts a URL into lines of at most w cells, breaking before a
// "/", "?", "&", ";" or "#" so that a path segment or a query parameter
// (name=value) stays whole on its line; only a part longer than a line
// is cut inside. No space is added or removed (word-wrapping at hyphens
// would leave gaps that read as spaces).
func wrapURL(s string, w int) []string {
	w = max(1, w)
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, part := range urlParts(s) {
		pw := ansi.StringWidth(part)
		if curW+pw <= w {
			cur.WriteString(part)
			curW += pw
			continue
		}
		if curW > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
		for pw > w {
			lines = append(lines, ansi.Cut(part, 0, w))
			part = ansi.Cut(part, w, pw)
			pw -= w
		}
		cur.WriteString(part)
		curW = pw
	}
	return append(lines, cur.String())
}

// urlParts splits s before each URL separator ("/", "?", "&", ";", "#").
func urlParts(s string) []string {
	var out []string
	start := 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '/', '?', '&', ';', '#':
			out = append(out, s[start:i])
			start = i
		}
	}
	return append(out, s[start:])
}

func wrapURLMax(s string, w, n int) []string { return limitLines(wrapURL(s, w), w, n) }

func limitLines(lines []string, w, n int) []string {
	if len(lines) > n {
		lines = lines[:n]
		l := lines[n-1]
		if ansi.StringWidth(l) > w-1 {
			l = ansi.Truncate(l, max(0, w-1), "")
		}
		lines[n-1] = l + ellipsis
	}
	return lines
}

// rqPreviewLines are the lines under the endpoint: the URL it resolves
// to, or why it would be refused, wrapped (never cut at the edge: it is
// what the analyst must read before sending).
func rqPreviewLines(v RequestView, width int, th Theme) []string {
	var out []string
	switch {
	case v.EndpointErr != "":
		for i, l := range wrapMax(Sanitize(v.EndpointErr), width-2, rqPreviewMax) {
			mark := "  "
			if i == 0 {
				mark = paint(th.Error, "✗ ")
			}
			out = append(out, mark+paint(th.Warn, l))
		}
	case v.Resolved != "":
		for i, l := range wrapURLMax(Sanitize(v.Resolved), width-2, rqPreviewMax) {
			mark := "  "
			if i == 0 {
				mark = paint(th.Muted, "→ ")
			}
			out = append(out, mark+paint(th.Muted, l))
		}
	default:
		out = append(out, paint(th.Muted, clip("a path under "+Sanitize(v.BaseURL), width)))
	}
	return out
}

// rqNoticeLines are the bottom lines: a notice, why sending is
// disabled, or the last response's summary.
func rqNoticeLines(v RequestView, width int, th Theme) []string {
	var mark, text string
	st := th.Value
	switch {
	case v.Notice != "" && v.NoticeErr:
		mark, text, st = paint(th.Error, "✗ "), v.Notice, th.Warn
	case v.Notice != "":
		mark, text = paint(th.OK, "✓ "), v.Notice
	case v.SendHint != "":
		mark, text, st = paint(th.Warn, "! "), v.SendHint, th.Warn
	case v.Response != "":
		return []string{paint(th.Muted, "response ") + paint(th.Value, clip(Sanitize(v.Response), width-9))}
	default:
		return []string{""}
	}
	var out []string
	for i, l := range wrapMax(Sanitize(text), width-2, rqNoticeMax) {
		if i > 0 {
			mark = "  "
		}
		out = append(out, mark+paint(st, l))
	}
	return out
}

func rqRowErrLines(t KVTable, width int, th Theme) []string {
	if t.Err == "" {
		return nil
	}
	var out []string
	for i, l := range wrapMax(Sanitize(t.Err), width-4, rqRowErrMax) {
		mark := "    "
		if i == 0 {
			mark = paint(th.Error, "  ✗ ")
		}
		out = append(out, mark+paint(th.Warn, l))
	}
	return out
}

// RequestBodyRows is how many rows the body editor gets in a pane
// width×height; the ui sizes its text area with it.
func RequestBodyRows(v RequestView, width, height int) int {
	th := PlainTheme()
	fixed := 1 + 3 // endpoint, three section titles
	fixed += len(rqPreviewLines(v, width, th)) + len(rqNoticeLines(v, width, th))
	fixed += kvRowsShown(v.Query, height) + kvRowsShown(v.Headers, height)
	fixed += len(rqRowErrLines(v.Query, width, th)) + len(rqRowErrLines(v.Headers, width, th))
	return max(1, height-fixed)
}

// RenderRequest draws the request editor, exactly width×height.
func RenderRequest(v RequestView, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := make([]string, 0, height)
	lines = append(lines, rqEndpointLine(v, width, th))
	lines = append(lines, rqPreviewLines(v, width, th)...)
	sugAt := len(lines)
	lines = append(lines, rqTable("Query", " = ", v.Query, v.Focus == FocusQuery, height, width, th)...)
	lines = append(lines, rqTable("Headers", ": ", v.Headers, v.Focus == FocusHeaders, height, width, th)...)
	lines = append(lines, rqBodyTitle(v, width, th))
	rows := RequestBodyRows(v, width, height)
	body := splitLines(v.Body)
	for i := 0; i < rows; i++ {
		if i < len(body) {
			lines = append(lines, body[i])
		} else {
			lines = append(lines, "")
		}
	}
	lines = append(lines, rqNoticeLines(v, width, th)...)
	// The completion list drops down over the tables, like a menu.
	if len(v.Suggestions) > 0 {
		for i, l := range rqSuggestions(v, height-sugAt-1, width, th) {
			lines[sugAt+i] = l
		}
	} else if len(v.Fill) > 0 {
		for i, l := range rqFill(v, height-sugAt-1, width, th) {
			lines[sugAt+i] = l
		}
	}
	return block(lines, width, height)
}

func rqMethod(v RequestView, th Theme) string {
	st := th.MethodRead
	if v.Write {
		st = th.MethodWrite
	}
	m := Sanitize(v.Method)
	m += strings.Repeat(" ", max(0, 6-len(m)))
	if v.Focus == FocusMethod {
		return paint(th.Accent, "◂") + paint(st, m) + paint(th.Accent, "▸")
	}
	return " " + paint(st, m) + " "
}

func rqEndpointLine(v RequestView, width int, th Theme) string {
	m := rqMethod(v, th) + " "
	if v.Endpoint != "" {
		return m + v.Endpoint
	}
	// At rest the path is shown from its start (an input scrolled to its
	// end would show only the tail).
	room := width - ansi.StringWidth(m)
	if v.Path == "" {
		hint := "no path yet"
		if v.Focus == FocusEndpoint {
			hint = "no path yet — enter to type one, ↓ for known paths"
		}
		return m + paint(th.Placeholder, clip(hint, room))
	}
	st := th.Input
	if v.Focus == FocusEndpoint {
		st = th.InputFocused
	}
	return m + paint(st, clip(Sanitize(v.Path), room))
}

// rqTitle is a section title; its keys are in the console's footer.
func rqTitle(name, count string, focused bool, th Theme) string {
	mark := "  "
	st := th.Title
	if focused {
		mark = paint(th.Accent, "▸ ")
		st = th.Accent
	}
	return mark + paint(st, name) + paint(th.Muted, count)
}

func rqTable(name, sep string, t KVTable, focused bool, height, width int, th Theme) []string {
	count := ""
	if len(t.Rows) > 0 {
		count = " (" + strconv.Itoa(len(t.Rows)) + ")"
	}
	out := []string{rqTitle(name, count, focused, th)}
	shown := kvRowsShown(t, height)
	n := len(t.Rows)
	total := n
	if t.Editing >= n {
		total++
	}
	if total == 0 {
		hint := "none"
		if focused {
			hint = "none — a adds one"
		}
		out = append(out, "    "+paint(th.Placeholder, hint))
	} else {
		cur := t.Cursor
		if t.Editing >= 0 {
			cur = t.Editing
		}
		off := max(0, min(cur-shown+1, total-shown))
		editW := 0
		if t.Editing >= 0 {
			editW = ansi.StringWidth(t.EditKey)
		}
		// One name column for every row, the edited one included, so
		// names and values line up: "name = value", "Name: value".
		kw, _ := KVColumns(t.Rows, editW, width)
		for i := off; i < off+shown && i < total; i++ {
			if i == t.Editing {
				out = append(out, paint(th.Accent, "▸ ")+fit(t.EditKey, kw)+paint(th.Muted, sep)+t.EditValue)
				continue
			}
			r := t.Rows[i]
			k := fit(Sanitize(r.Key), kw)
			val, vst := Sanitize(r.Value), th.Value
			if r.Hint && r.Value == "" {
				val, vst = "(empty: not sent)", th.Placeholder
			}
			line := "  " + paint(th.Label, k) + paint(th.Muted, sep) + paint(vst, val)
			if focused && i == t.Cursor && t.Editing < 0 {
				line = paint(th.Selected, fit("▸ "+k+sep+val, width))
			}
			out = append(out, line)
		}
		if total > shown {
			more := "  (" + strconv.Itoa(off+1) + "-" + strconv.Itoa(off+shown) + " of " + strconv.Itoa(total) + ")"
			last := len(out) - 1
			out[last] = fit(out[last], max(0, width-ansi.StringWidth(more))) + paint(th.Muted, more)
		}
	}
	return append(out, rqRowErrLines(t, width, th)...)
}

// RequestBody is the body editor: its lines, where the cursor is, and
// the first line shown. The ui's editor keeps the text; this draws only
// the rows on screen, so a key costs the same in a 10-line body and a
// 10,000-line one.
type RequestBody struct {
	// Lines are the body split at line breaks, nil for an empty body
	// (Placeholder is shown instead).
	Lines []string
	// CursorLine is the editor's cursor line: the window keeps it in
	// view. Top is the first line the editor scrolled to (the window
	// moves from there only as far as the cursor needs).
	CursorLine, Top int
	// Cursor draws the cursor at byte CursorCol of its line (the editor
	// takes typing); the line then scrolls sideways to keep it in view.
	Cursor      bool
	CursorCol   int
	Placeholder string
}

// BodyWindow is the first line RenderRequestBody shows of n lines in
// rows rows: top, moved just enough to show the cursor line.
func BodyWindow(n, rows, cursor, top int) int {
	rows = max(1, rows)
	if cursor < top {
		top = cursor
	}
	if cursor >= top+rows {
		top = cursor - rows + 1
	}
	return max(0, min(top, n-rows))
}

// BodyGutter is the width of the line-number column for n lines: room
// for the widest number (two digits at least) and a space either side.
func BodyGutter(n int) int { return max(2, len(strconv.Itoa(n))) + 2 }

// RenderRequestBody draws the body editor: rows numbered lines (fewer
// when the body is shorter) from BodyWindow, each sanitized and cut to
// the text column (width less the number column), the cursor line
// scrolled sideways when the cursor is past the column's end. Only the
// lines shown are styled.
func RenderRequestBody(b RequestBody, width, rows int, th Theme) string {
	rows = max(1, rows)
	if len(b.Lines) == 0 {
		line := paint(th.LineNo, "  1 ")
		if b.Cursor {
			return line + paint(th.Cursor, " ") + paint(th.Placeholder, b.Placeholder)
		}
		return line + paint(th.Placeholder, b.Placeholder)
	}
	gw := BodyGutter(len(b.Lines))
	cw := max(1, width-gw)
	start := BodyWindow(len(b.Lines), rows, b.CursorLine, b.Top)
	var sb strings.Builder
	for i := start; i < len(b.Lines) && i < start+rows; i++ {
		if i > start {
			sb.WriteByte('\n')
		}
		num := fmt.Sprintf(" %*d ", gw-2, i+1)
		if b.Cursor && i == b.CursorLine {
			sb.WriteString(paint(th.Accent, num))
			sb.WriteString(rqCursorLine(b.Lines[i], b.CursorCol, cw, th))
			continue
		}
		text := Sanitize(b.Lines[i])
		if len(text) > cw { // bytes ≥ cells: only a long line needs measuring
			text = ansi.Truncate(text, cw, ellipsis)
		}
		sb.WriteString(paint(th.LineNo, num))
		sb.WriteString(paint(th.Input, text))
	}
	return sb.String()
}

// rqCursorLine is the cursor's line in a text column cw wide: the text
// before the cursor (its start cut to "…" when it does not fit), the
// character under the cursor (a space at the end of the line), then as
// much of the rest as fits.
func rqCursorLine(line string, col, cw int, th Theme) string {
	col = max(0, min(col, len(line)))
	before := Sanitize(line[:col])
	rest := line[col:]
	under := " "
	if rest != "" {
		_, size := utf8.DecodeRuneInString(rest)
		under, rest = Sanitize(rest[:size]), rest[size:]
		if under == "" {
			under = " "
		}
	}
	after := Sanitize(rest)
	uw := max(1, ansi.StringWidth(under))
	bw := ansi.StringWidth(before)
	if bw+uw > cw {
		// Cut the start so the cursor lands on the column's last cell.
		keep := max(0, cw-uw-1)
		before = ellipsis + ansi.Cut(before, bw-keep, bw)
		bw = keep + 1
	}
	room := cw - bw - uw
	if room <= 0 {
		after = ""
	} else if len(after) > room {
		after = ansi.Truncate(after, room, ellipsis)
	}
	return paint(th.Input, before) + paint(th.Cursor, under) + paint(th.Input, after)
}

func rqBodyTitle(v RequestView, width int, th Theme) string {
	note := ""
	switch {
	case v.BodyErr != "":
		note = paint(th.Error, " ✗ ") + paint(th.Warn, Sanitize(v.BodyErr))
	case v.BodyNote != "":
		note = paint(th.Muted, " · "+Sanitize(v.BodyNote))
	}
	return clip(rqTitle("Body", "", v.Focus == FocusBody, th)+note, width)
}

func rqSuggestions(v RequestView, room, width int, th Theme) []string {
	n := min(min(len(v.Suggestions), 8), room)
	if n <= 0 {
		return nil
	}
	off := 0
	if v.Suggest >= n {
		off = v.Suggest - n + 1
	}
	pw := 0
	for _, s := range v.Suggestions {
		pw = max(pw, ansi.StringWidth(Sanitize(s.Path)))
	}
	pw = min(pw, max(10, width-30))
	out := make([]string, 0, n)
	for i := off; i < off+n; i++ {
		s := v.Suggestions[i]
		m := Sanitize(s.Method)
		m += strings.Repeat(" ", max(0, 6-len(m)))
		desc := Sanitize(s.Summary)
		if len(s.Query) > 0 {
			desc += " ?" + Sanitize(strings.Join(s.Query, "&"))
		}
		plain := "  " + m + " " + fit(Sanitize(s.Path), pw) + "  " + desc
		if i == v.Suggest {
			out = append(out, paint(th.Selected, fit(plain, width)))
			continue
		}
		st := th.MethodRead
		if m[:4] != "GET " {
			st = th.MethodWrite
		}
		out = append(out, "  "+paint(st, m)+" "+paint(th.Value, fit(Sanitize(s.Path), pw))+"  "+paint(th.Muted, desc))
	}
	return out
}

// rqFill is the placeholder list: a title line, then up to 8 choices
// (scrolled to the highlighted one), label and value in two columns.
func rqFill(v RequestView, room, width int, th Theme) []string {
	n := min(min(len(v.Fill), 8), room-1)
	if n <= 0 {
		return nil
	}
	out := []string{paint(th.Title, clip("  "+Sanitize(v.FillFor)+" — a user looked up this session:", width))}
	off := max(0, v.FillCursor-n+1)
	lw := 0
	for _, c := range v.Fill {
		lw = max(lw, ansi.StringWidth(Sanitize(c.Label)))
	}
	lw = min(lw, max(10, width/2))
	for i := off; i < off+n && i < len(v.Fill); i++ {
		c := v.Fill[i]
		label, val := fit(Sanitize(c.Label), lw), Sanitize(c.Value)
		if i == v.FillCursor {
			out = append(out, paint(th.Selected, fit("  ▸ "+label+"  "+val, width)))
			continue
		}
		out = append(out, clip("    "+paint(th.Value, label)+"  "+paint(th.Muted, val), width))
	}
	return out
}

// SideRightWidth is the width left for the right pane of SideBySide.
func SideRightWidth(leftW, width int) int { return max(0, width-leftW-2) }

// SideBySide joins two panes, the left leftW wide and the right
// SideRightWidth wide, with a vertical rule; exactly width×height.
func SideBySide(left, right string, leftW, width, height int, th Theme) string {
	ll, rl := splitLines(left), splitLines(right)
	rw := SideRightWidth(leftW, width)
	rule := paint(th.Border, "│") + " "
	var b strings.Builder
	for i := 0; i < height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		l, r := "", ""
		if i < len(ll) {
			l = ll[i]
		}
		if i < len(rl) {
			r = rl[i]
		}
		b.WriteString(fit(l, leftW))
		b.WriteString(fit(rule, min(2, width-leftW)))
		if rw > 0 {
			b.WriteString(fit(r, rw))
		}
	}
	return b.String()
}

// ConfirmSend is the confirmation of a state-changing custom call:
// everything that will be sent.
type ConfirmSend struct {
	Method, URL string
	Account     string
	Header      [][2]string // the analyst's headers, in order
	Body        string      // as it will be sent
}

// RenderConfirmSend draws the confirmation box (at most width×height).
// The URL and headers are wrapped, never cut; a long body is shortened
// first, since it can be reviewed in the editor.
func RenderConfirmSend(c ConfirmSend, width, height int, th Theme) string {
	inner := max(10, min(width-4, 100))
	const lw = 9 // label column: "headers  "
	vw := max(1, inner-lw)
	lines := []string{paint(th.MethodWrite, " "+Sanitize(c.Method)+" ") + paint(th.Title, " changes state in Cloudflare"), ""}
	field := func(label string, vals []string, st lipgloss.Style) {
		for i, l := range vals {
			lead := label
			if i > 0 {
				lead = ""
			}
			lines = append(lines, paint(th.Label, fit(lead, lw))+paint(st, l))
		}
	}
	field("URL", wrapURL(Sanitize(c.URL), vw), th.Value)
	if a := Sanitize(c.Account); a != "" {
		field("account", wrap(a, vw), th.Value)
	}
	if len(c.Header) == 0 {
		field("headers", []string{"none added (the token comes from the profile)"}, th.Muted)
	} else {
		var hl []string
		for _, h := range c.Header {
			hl = append(hl, wrap(Sanitize(h[0])+": "+Sanitize(h[1]), vw)...)
		}
		field("headers", hl, th.Value)
	}
	body := strings.TrimSpace(c.Body)
	if body == "" {
		field("body", []string{"none"}, th.Muted)
	} else {
		bl := strings.Split(SanitizeMultiline(body), "\n")
		room := max(1, height-len(lines)-8)
		if len(bl) > room {
			more := len(bl) - room + 1
			bl = append(bl[:room-1:room-1], ellipsis+" "+strconv.Itoa(more)+" more lines")
		}
		for i := range bl {
			bl[i] = clip(bl[i], vw)
		}
		field("body", bl, th.Value)
	}
	lines = append(lines, "",
		paint(th.Muted, "Sent once, never retried, recorded in the audit log."),
		paint(th.Key, "y")+paint(th.Desc, " send   ")+paint(th.Key, "esc")+paint(th.Desc, " cancel"))
	return box("Send "+Sanitize(c.Method)+"?", lines, inner+4, min(height, len(lines)+2), th)
}

// PickItem is one entry of the saved-request and history list.
type PickItem struct {
	Saved  bool   // a saved request (else a history entry)
	Name   string // saved name, or the time of a history entry
	Method string
	Path   string
	Note   string // "HTTP 200", "body not kept"
}

// RequestPicker is the list of saved requests and history.
type RequestPicker struct {
	Items   []PickItem
	Cursor  int
	Loading bool
	Err     string
}

// RenderRequestPicker draws the picker box (at most width×height).
func RenderRequestPicker(p RequestPicker, width, height int, th Theme) string {
	inner := max(20, min(width-4, 110))
	rows := max(1, min(height-6, 20))
	var lines []string
	if p.Err != "" {
		lines = append(lines, paint(th.Error, "✗ ")+paint(th.Warn, clip(Sanitize(p.Err), inner-2)))
	}
	if p.Loading {
		lines = append(lines, paint(th.Muted, "loading history …"))
	}
	if len(p.Items) == 0 && !p.Loading {
		lines = append(lines, paint(th.Muted, "No saved requests and no history yet."),
			paint(th.Muted, "ctrl+s saves the request in the editor; every request sent is kept in history."))
	}
	off := max(0, min(p.Cursor-rows+1, len(p.Items)-rows))
	nw := 0
	for _, it := range p.Items {
		nw = max(nw, ansi.StringWidth(Sanitize(it.Name)))
	}
	nw = min(nw, inner/3)
	lastSaved := true
	for i := off; i < len(p.Items) && i < off+rows; i++ {
		it := p.Items[i]
		if i == off || it.Saved != lastSaved {
			title := "Saved"
			if !it.Saved {
				title = "History (newest first)"
			}
			lines = append(lines, paint(th.Title, title))
			lastSaved = it.Saved
		}
		m := Sanitize(it.Method)
		m += strings.Repeat(" ", max(0, 6-len(m)))
		plain := fit(Sanitize(it.Name), nw) + "  " + m + " " + Sanitize(it.Path)
		if it.Note != "" {
			plain += "  · " + Sanitize(it.Note)
		}
		if i == p.Cursor {
			lines = append(lines, paint(th.Selected, fit("▸ "+plain, inner)))
		} else {
			lines = append(lines, "  "+clip(plain, inner-2))
		}
	}
	lines = append(lines, "", paint(th.Key, "enter")+paint(th.Desc, " load into the editor  ")+
		paint(th.Key, "d")+paint(th.Desc, " delete saved  ")+paint(th.Key, "esc")+paint(th.Desc, " close"))
	return box("Saved requests & history", lines, inner+4, min(height, len(lines)+2), th)
}

// RenderSaveRequest draws the "save request as" box: input is the
// rendered name field.
func RenderSaveRequest(input, note, errMsg string, width int, th Theme) string {
	inner := max(20, min(width-4, 70))
	lines := []string{paint(th.Label, "Name ") + input}
	if errMsg != "" {
		lines = append(lines, paint(th.Error, "✗ ")+paint(th.Warn, clip(Sanitize(errMsg), inner-2)))
	} else if note != "" {
		lines = append(lines, paint(th.Muted, clip(Sanitize(note), inner)))
	}
	lines = append(lines, "", paint(th.Muted, "Kept in the config file; credential headers never are."),
		paint(th.Key, "enter")+paint(th.Desc, " save  ")+paint(th.Key, "esc")+paint(th.Desc, " cancel"))
	return box("Save request", lines, inner+4, len(lines)+2, th)
}
