package views

import (
	"strconv"
	"strings"

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

// KVRow is one query parameter or header.
type KVRow struct{ Key, Value string }

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
	// selected, and Enter or typing resumes editing).
	Editing bool

	Endpoint    string // rendered endpoint input
	EndpointErr string // why the endpoint would be refused
	Resolved    string // the full URL it resolves to
	BaseURL     string

	Suggestions []PathSuggestion
	Suggest     int // highlighted suggestion, -1: none

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
	// SendHint says how to send, or why sending is disabled.
	SendHint string
}

// KVInputWidths are the widths of the key and value inputs of an edited
// row in a pane width wide.
func KVInputWidths(width int) (kw, vw int) {
	inner := max(2, width-5)
	kw = max(1, inner/3)
	return kw, max(1, inner-kw)
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

// RequestBodyRows is how many rows the body editor gets in a pane
// height rows tall; the ui sizes its text area with it.
func RequestBodyRows(v RequestView, height int) int {
	fixed := 2 + 3 + 1 // endpoint, resolved, three section titles, notice
	fixed += kvRowsShown(v.Query, height) + kvRowsShown(v.Headers, height)
	if v.Query.Err != "" {
		fixed++
	}
	if v.Headers.Err != "" {
		fixed++
	}
	return max(1, height-fixed)
}

// RenderRequest draws the request editor, exactly width×height.
func RenderRequest(v RequestView, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := make([]string, 0, height)
	lines = append(lines, rqEndpointLine(v, width, th))
	switch {
	case v.EndpointErr != "":
		lines = append(lines, paint(th.Error, "✗ ")+paint(th.Warn, clip(Sanitize(v.EndpointErr), width-2)))
	case v.Resolved != "":
		lines = append(lines, paint(th.Muted, "→ ")+paint(th.Muted, clip(Sanitize(v.Resolved), width-2)))
	default:
		lines = append(lines, paint(th.Muted, clip("a path under "+Sanitize(v.BaseURL)+" · ↓ known paths", width)))
	}
	sugAt := len(lines)
	lines = append(lines, rqTable("Query", "=", v.Query, v.Focus == FocusQuery, height, width, th)...)
	lines = append(lines, rqTable("Headers", ":", v.Headers, v.Focus == FocusHeaders, height, width, th)...)
	lines = append(lines, rqBodyTitle(v, width, th))
	rows := RequestBodyRows(v, height)
	body := splitLines(v.Body)
	for i := 0; i < rows; i++ {
		if i < len(body) {
			lines = append(lines, body[i])
		} else {
			lines = append(lines, "")
		}
	}
	lines = append(lines, rqNoticeLine(v, width, th))
	// The completion list drops down over the tables, like a menu.
	if len(v.Suggestions) > 0 {
		for i, l := range rqSuggestions(v, height-sugAt-1, width, th) {
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
	m := rqMethod(v, th)
	return m + " " + v.Endpoint
}

func rqTitle(name, count string, focused bool, right string, width int, th Theme) string {
	mark := "  "
	st := th.Title
	if focused {
		mark = paint(th.Accent, "▸ ")
		st = th.Accent
	}
	left := mark + paint(st, name) + paint(th.Muted, count)
	if right == "" {
		return left
	}
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

func rqTable(name, sep string, t KVTable, focused bool, height, width int, th Theme) []string {
	count := ""
	if len(t.Rows) > 0 {
		count = " (" + strconv.Itoa(len(t.Rows)) + ")"
	}
	right := ""
	if focused && t.Editing < 0 {
		right = paint(th.Muted, "a add · enter edit · d delete")
	} else if t.Editing >= 0 {
		right = paint(th.Muted, "tab key/value · enter keep · esc cancel")
	}
	out := []string{rqTitle(name, count, focused, right, width, th)}
	shown := kvRowsShown(t, height)
	n := len(t.Rows)
	total := n
	if t.Editing >= n {
		total++
	}
	if total == 0 {
		hint := "none"
		if focused {
			hint = "none — press a to add"
		}
		out = append(out, "    "+paint(th.Placeholder, hint))
	} else {
		cur := t.Cursor
		if t.Editing >= 0 {
			cur = t.Editing
		}
		off := max(0, min(cur-shown+1, total-shown))
		kw0, _ := KVInputWidths(width)
		kw := 0
		for _, r := range t.Rows {
			kw = max(kw, ansi.StringWidth(Sanitize(r.Key)))
		}
		kw = min(kw, kw0)
		for i := off; i < off+shown && i < total; i++ {
			if i == t.Editing {
				s := " " + sep + " "
				if sep == ":" {
					s = ": "
				}
				out = append(out, paint(th.Accent, "▸ ")+t.EditKey+paint(th.Muted, s)+t.EditValue)
				continue
			}
			r := t.Rows[i]
			// "name = value" for query parameters, "Name: value" for headers.
			k, s := fit(Sanitize(r.Key), kw), " "+sep+" "
			if sep == ":" {
				k, s = fit(Sanitize(r.Key)+":", kw+1), " "
			}
			line := "  " + paint(th.Label, k) + paint(th.Muted, s) + paint(th.Value, Sanitize(r.Value))
			if focused && i == t.Cursor && t.Editing < 0 {
				line = paint(th.Selected, fit("▸ "+k+s+Sanitize(r.Value), width))
			}
			out = append(out, line)
		}
		if total > shown {
			more := "  (" + strconv.Itoa(off+1) + "-" + strconv.Itoa(off+shown) + " of " + strconv.Itoa(total) + ")"
			last := len(out) - 1
			out[last] = fit(out[last], max(0, width-ansi.StringWidth(more))) + paint(th.Muted, more)
		}
	}
	if t.Err != "" {
		out = append(out, paint(th.Error, "  ✗ ")+paint(th.Warn, clip(Sanitize(t.Err), width-4)))
	}
	return out
}

func rqBodyTitle(v RequestView, width int, th Theme) string {
	note := ""
	switch {
	case v.BodyErr != "":
		note = paint(th.Error, " ✗ ") + paint(th.Warn, Sanitize(v.BodyErr))
	case v.BodyNote != "":
		note = paint(th.Muted, " · "+Sanitize(v.BodyNote))
	}
	right := ""
	if v.Focus == FocusBody {
		right = paint(th.Muted, "ctrl+l format")
	}
	left := rqTitle("Body", "", v.Focus == FocusBody, "", width, th) + note
	if right != "" {
		if gap := width - ansi.StringWidth(left) - ansi.StringWidth(right); gap >= 2 {
			return left + strings.Repeat(" ", gap) + right
		}
	}
	return clip(left, width)
}

func rqNoticeLine(v RequestView, width int, th Theme) string {
	switch {
	case v.Notice != "" && v.NoticeErr:
		return paint(th.Error, "✗ ") + paint(th.Warn, clip(Sanitize(v.Notice), width-2))
	case v.Notice != "":
		return paint(th.OK, "✓ ") + paint(th.Value, clip(Sanitize(v.Notice), width-2))
	case v.Response != "":
		return paint(th.Muted, "response ") + paint(th.Value, clip(Sanitize(v.Response), width-9))
	}
	return paint(th.Muted, clip(Sanitize(v.SendHint), width))
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

// ConfirmSend is the confirmation of a state-changing custom call.
type ConfirmSend struct {
	Method, URL string
	Account     string
	Body        string // as it will be sent
}

// RenderConfirmSend draws the confirmation box (at most width×height).
func RenderConfirmSend(c ConfirmSend, width, height int, th Theme) string {
	inner := max(10, min(width-4, 100))
	lines := []string{paint(th.MethodWrite, " "+Sanitize(c.Method)+" ") + paint(th.Title, " changes state in Cloudflare")}
	lines = append(lines, "")
	for i, l := range wrap(Sanitize(c.URL), inner-5) {
		lead := "URL  "
		if i > 0 {
			lead = "     "
		}
		lines = append(lines, paint(th.Label, lead)+paint(th.Value, l))
	}
	if a := Sanitize(c.Account); a != "" {
		lines = append(lines, paint(th.Label, "for  ")+paint(th.Value, a))
	}
	body := strings.TrimSpace(c.Body)
	if body == "" {
		lines = append(lines, paint(th.Label, "body ")+paint(th.Muted, "none"))
	} else {
		bl := strings.Split(SanitizeMultiline(body), "\n")
		room := max(1, height-len(lines)-8)
		if len(bl) > room {
			more := len(bl) - room + 1
			bl = append(bl[:room-1:room-1], ellipsis+" "+strconv.Itoa(more)+" more lines")
		}
		for i, l := range bl {
			lead := "body "
			if i > 0 {
				lead = "     "
			}
			lines = append(lines, paint(th.Label, lead)+paint(th.Value, clip(l, inner-5)))
		}
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
