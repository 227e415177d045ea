package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

// methods the selector offers, in order.
var requestMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// wideRequest is the width from which the response is shown beside the
// editor rather than instead of it.
const wideRequest = 110

// bodyMaxLines is the body editor's capacity (bubbles' textarea keeps
// at most 10,000 lines and drops the rest).
const bodyMaxLines = 10000

// requestTool is the Request pane: a custom API call editor and the
// response viewer. All state lives here and changes only in Update.
type requestTool struct {
	keys    requestKeyMap
	started bool

	focus views.RequestFocus
	// editing: the focused text field (endpoint, body) takes typing. It
	// starts only on enter (or e/i) on the field, never by moving to it,
	// so 1–5, ? and q keep working until the analyst chooses to type.
	editing bool
	// lastEdit is the editor field to return to from the response.
	lastEdit views.RequestFocus

	method   int
	endpoint textinput.Model
	resolved string
	endErr   string

	// completion of known paths
	sugg     []actions.KnownPath
	suggIdx  int
	suggOpen bool

	query, headers kvEditor

	body textarea.Model
	// bodyNow is the body as of its last change; bodyDirty marks a
	// change not yet read back (see syncBody). Frames and checks read
	// it rather than rebuild the text area's string each time.
	bodyNow   bodySnap
	bodyDirty bool

	// notice is the pane's one-line message; it is cleared by the next
	// key press, like the console's status line.
	notice    string
	noticeErr bool

	// send state: seq drops superseded results.
	seq          int
	sending      bool
	sendingWrite bool
	cancel       context.CancelFunc
	resp         *response

	// the pane's size and the theme the widgets are styled for, as of
	// the last resize (the root's Update); View only reads them
	w, h     int
	themed   bool
	themeKey themeKey

	// historyDir is where sent requests are kept: the session's (the demo
	// keeps its own).
	historyDir func() (string, error)
}

func newRequestTool(m *Model) *requestTool {
	t := &requestTool{
		keys:       defaultRequestKeys(),
		focus:      views.FocusEndpoint,
		lastEdit:   views.FocusEndpoint,
		suggIdx:    -1,
		historyDir: m.s.HistoryDir,
	}
	t.endpoint = textinput.New()
	t.endpoint.Prompt = ""
	t.endpoint.Placeholder = "path under the API base — ↓ lists known paths"
	t.endpoint.CharLimit = 4096
	t.query = newKVEditor(false)
	t.headers = newKVEditor(true)
	t.body = textarea.New()
	t.body.Prompt = ""
	t.body.ShowLineNumbers = true
	t.body.Placeholder = "JSON body (optional)"
	t.body.CharLimit = 0
	t.body.SetVirtualCursor(true)
	t.bodyNow = newBodySnap("")
	t.resize(m, m.w, m.bodyHeight()+2)
	return t
}

func (t *requestTool) title() string { return "Request" }

func (t *requestTool) activate(m *Model) tea.Cmd {
	if !t.started {
		t.started = true
		t.setFocus(views.FocusEndpoint)
		t.revalidate(m)
	}
	// Arriving on the tab never starts typing: the next 1–5 must still
	// switch tabs.
	t.stopEditing(m)
	t.relayout(m)
	return nil
}

func (t *requestTool) capturing() bool {
	if t.resp != nil && t.resp.searching {
		return true
	}
	switch t.focus {
	case views.FocusEndpoint, views.FocusBody:
		return t.editing
	case views.FocusQuery:
		return t.query.editing >= 0
	case views.FocusHeaders:
		return t.headers.editing >= 0
	}
	return false
}

func (t *requestTool) methodName() string { return requestMethods[t.method] }

// themeKey is what the console's theme is built from.
type themeKey struct{ dark, noColor bool }

// applyTheme styles the text widgets from the console's theme (so
// NO_COLOR holds inside them too); it does nothing when the theme is
// the one they have.
func (t *requestTool) applyTheme(m *Model) {
	k := themeKey{m.dark, m.opts.NoColor}
	if t.themed && k == t.themeKey {
		return
	}
	t.themed, t.themeKey = true, k
	th := m.th
	st := inputStyles(th)
	t.endpoint.SetStyles(st)
	t.query.setStyles(st)
	t.headers.setStyles(st)
	plain := lipgloss.NewStyle()
	ts := textarea.Styles{
		Focused: textarea.StyleState{Base: plain, Text: th.Input, LineNumber: th.LineNo, CursorLineNumber: th.Accent,
			CursorLine: plain, EndOfBuffer: th.LineNo, Placeholder: th.Placeholder, Prompt: plain, Selection: th.Match},
		Blurred: textarea.StyleState{Base: plain, Text: th.Input, LineNumber: th.LineNo, CursorLineNumber: th.LineNo,
			CursorLine: plain, EndOfBuffer: th.LineNo, Placeholder: th.Placeholder, Prompt: plain, Selection: th.Match},
	}
	ts.Cursor.Blink = false
	t.body.SetStyles(ts)
}

func inputStyles(th views.Theme) textinput.Styles {
	var st textinput.Styles
	st.Focused = textinput.StyleState{Text: th.InputFocused, Placeholder: th.Placeholder, Suggestion: th.Placeholder, Prompt: th.Muted}
	st.Blurred = textinput.StyleState{Text: th.Input, Placeholder: th.Placeholder, Suggestion: th.Placeholder, Prompt: th.Muted}
	st.Cursor.Blink = false
	return st
}

// resizer is a tool that sizes or styles its widgets for the body area
// (w×h) and the theme; the root's Update calls it when either changes
// (resizeTools), so View has nothing to set up.
type resizer interface {
	resize(m *Model, w, h int)
}

// resize takes the pane's size (w×h) and the console's theme.
func (t *requestTool) resize(m *Model, w, h int) {
	t.w, t.h = w, h
	t.applyTheme(m)
	t.relayout(m)
}

// relayout reads back a changed body and sizes the text widgets for the
// pane as it is now. The body gets the rows the rest of the editor
// leaves, and those follow its state (a notice, rows, the URL preview),
// so every Update path that changes the pane ends here; View only reads
// the result.
func (t *requestTool) relayout(m *Model) {
	t.syncBody()
	ew := t.editorWidth(t.w)
	t.endpoint.SetWidth(max(4, ew-10))
	t.query.setWidths(ew)
	t.headers.setWidths(ew)
	t.body.SetWidth(max(8, ew))
	t.body.SetHeight(views.RequestBodyRows(t.frameView(m, t.w), ew, t.h))
}

func (t *requestTool) wide(w int) bool { return w >= wideRequest }

func (t *requestTool) editorWidth(w int) int {
	if t.wide(w) {
		return w / 2
	}
	return w
}

// setFocus moves the keys to a part of the pane. A text field only
// takes typing after resumeEditing (enter on it).
func (t *requestTool) setFocus(f views.RequestFocus) {
	if f == views.FocusResponse && t.resp == nil && !t.sending {
		f = views.FocusMethod
	}
	t.focus = f
	t.editing = false
	t.suggOpen = false
	t.endpoint.Blur()
	t.body.Blur()
	if f != views.FocusResponse {
		t.lastEdit = f
	}
}

func (t *requestTool) cycleFocus(m *Model, delta int) {
	t.stopEditing(m)
	n := int(views.FocusResponse) + 1
	if t.resp == nil && !t.sending {
		n-- // no response to visit yet
	}
	f := (int(t.focus) + delta + n) % n
	t.setFocus(views.RequestFocus(f))
}

// stopEditing leaves the text field; a query typed into the endpoint
// becomes query rows on the way out.
func (t *requestTool) stopEditing(m *Model) {
	if t.focus == views.FocusEndpoint && t.editing {
		t.splitEndpointQuery(m)
	}
	t.editing = false
	t.suggOpen = false
	t.endpoint.Blur()
	t.body.Blur()
}

func (t *requestTool) resumeEditing() {
	switch t.focus {
	case views.FocusEndpoint:
		t.editing = true
		t.endpoint.Focus()
	case views.FocusBody:
		t.editing = true
		t.body.Focus()
	}
}

func (t *requestTool) setNotice(msg string, isErr bool) { t.notice, t.noticeErr = msg, isErr }

// key handles a key, then lays the pane out for what it changed.
func (t *requestTool) key(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	cmd, handled := t.routeKey(m, msg)
	t.relayout(m)
	return cmd, handled
}

// routeKey routes a key by mode: search box, row editor, text field,
// then the pane's own keys; unhandled keys go to the console (tabs,
// help).
func (t *requestTool) routeKey(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	t.notice, t.noticeErr = "", false
	k := t.keys
	if r := t.resp; r != nil && r.searching {
		return r.searchKey(m, t, msg), true
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		return t.rowEditKey(m, ed, msg), true
	}
	// Pane-wide actions work even while typing.
	switch {
	case matches(msg, k.Send):
		return t.send(m), true
	case matches(msg, k.Save):
		t.openSave(m)
		return nil, true
	case matches(msg, k.Open):
		return t.openPicker(m), true
	case matches(msg, k.Curl):
		return t.copyCurl(m), true
	case matches(msg, k.Format):
		t.formatBody(m)
		return nil, true
	}
	if t.focus == views.FocusEndpoint && t.editing {
		return t.endpointKey(m, msg), true
	}
	if t.focus == views.FocusBody && t.editing {
		return t.bodyKey(m, msg), true
	}
	switch {
	case matches(msg, k.NextField):
		t.cycleFocus(m, 1)
		return nil, true
	case matches(msg, k.PrevField):
		t.cycleFocus(m, -1)
		return nil, true
	}
	switch t.focus {
	case views.FocusMethod:
		return t.methodKey(m, msg)
	case views.FocusEndpoint, views.FocusBody:
		switch {
		case matches(msg, k.EditField):
			t.resumeEditing()
			return nil, true
		case t.focus == views.FocusEndpoint && matches(msg, k.Suggest):
			t.resumeEditing()
			t.openSuggestions(m, true)
			return nil, true
		}
	case views.FocusQuery, views.FocusHeaders:
		return t.rowNavKey(m, t.activeKV(), msg)
	case views.FocusResponse:
		return t.responseKey(m, msg)
	}
	return nil, false
}

func (t *requestTool) methodKey(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := t.keys
	switch {
	case matches(msg, k.MethodPrev):
		t.method = (t.method + len(requestMethods) - 1) % len(requestMethods)
	case matches(msg, k.MethodNext):
		t.method = (t.method + 1) % len(requestMethods)
	case matches(msg, k.SendEnter):
		return t.send(m), true
	default:
		return nil, false
	}
	return nil, true
}

func (t *requestTool) endpointKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	k := t.keys
	if t.suggOpen && len(t.sugg) > 0 {
		switch {
		case matches(msg, k.Suggest):
			t.suggIdx = (t.suggIdx + 1) % len(t.sugg)
			return nil
		case matches(msg, k.SuggestUp):
			t.suggIdx = (t.suggIdx - 1 + len(t.sugg)) % len(t.sugg)
			return nil
		case matches(msg, k.Accept):
			// The highlighted path, or the first: with the list open,
			// enter never sends the half-typed path.
			t.acceptSuggestion(m, t.sugg[max(0, t.suggIdx)])
			return nil
		case matches(msg, k.CloseSuggest):
			t.suggOpen = false
			return nil
		}
	}
	switch {
	case matches(msg, k.Suggest):
		t.openSuggestions(m, true)
		return nil
	case matches(msg, k.SendEnter):
		return t.send(m)
	case t.fieldNav(m, msg):
		return nil
	}
	before := t.endpoint.Value()
	var cmd tea.Cmd
	t.endpoint, cmd = t.endpoint.Update(msg)
	if t.endpoint.Value() != before {
		t.openSuggestions(m, false)
		t.revalidate(m)
	}
	return cmd
}

// openSuggestions recomputes the completions; all=true opens the list
// even for an empty or complete path (the analyst asked for it).
func (t *requestTool) openSuggestions(m *Model, all bool) {
	v := strings.TrimSpace(t.endpoint.Value())
	t.sugg = actions.CompletePath(v, m.s.AccountID)
	t.suggIdx = -1
	if all && len(t.sugg) > 0 {
		t.suggIdx = 0
	}
	// A path typed in full needs no list (enter then sends it).
	path, _, _ := strings.Cut(v, "?")
	exact := false
	for _, p := range t.sugg {
		exact = exact || strings.EqualFold(path, p.Path)
	}
	t.suggOpen = len(t.sugg) > 0 && (all || (v != "" && !exact))
}

func (t *requestTool) acceptSuggestion(m *Model, p actions.KnownPath) {
	t.endpoint.SetValue(p.Path)
	t.endpoint.CursorEnd()
	for i, mm := range requestMethods {
		if mm == p.Method {
			t.method = i
		}
	}
	t.suggOpen = false
	added := t.query.hintRows(p.Query)
	t.revalidate(m)
	switch {
	case strings.Contains(strings.ReplaceAll(p.Path, "{account_id}", ""), "{"):
		t.setNotice("fill in the {placeholder} in the path", false)
	case len(added) > 0:
		t.setNotice("query rows added for "+strings.Join(added, ", ")+": tab to Query, enter to fill one in (empty rows are not sent)", false)
	}
}

// splitEndpointQuery moves a query typed into the endpoint
// ("/x?ipv4=1.2.3.4") into query rows, where it can be seen and edited;
// a row left empty for the same name is filled rather than repeated. A
// query that does not decode stays where it is (the preview says why
// it would be refused).
func (t *requestTool) splitEndpointQuery(m *Model) {
	v := strings.TrimSpace(t.endpoint.Value())
	path, raw, ok := strings.Cut(v, "?")
	if !ok || strings.Contains(v, "#") {
		return
	}
	pairs, err := cloudflare.SplitQuery(raw)
	if err != nil {
		return
	}
	for _, p := range pairs {
		// A row with a blank name is refused at send time; left in the
		// path, the pair is sent as typed.
		if strings.TrimSpace(p[0]) == "" {
			return
		}
	}
	t.endpoint.SetValue(path)
	t.endpoint.CursorEnd()
	for _, p := range pairs {
		t.query.fill(p[0], p[1])
	}
	t.revalidate(m)
	if len(pairs) > 0 {
		t.setNotice(fmt.Sprintf("the query went to the Query rows (%d)", len(pairs)), false)
	}
}

// fieldNav handles the keys that leave or change the text field being
// typed in (esc, tab, shift+tab); it reports whether msg was one.
func (t *requestTool) fieldNav(m *Model, msg tea.KeyPressMsg) bool {
	k := t.keys
	switch {
	case matches(msg, k.LeaveField):
		t.stopEditing(m)
	case matches(msg, k.NextField):
		t.cycleFocus(m, 1)
	case matches(msg, k.PrevField):
		t.cycleFocus(m, -1)
	default:
		return false
	}
	return true
}

func (t *requestTool) bodyKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	if t.fieldNav(m, msg) {
		return nil
	}
	var cmd tea.Cmd
	t.body, cmd = t.body.Update(msg)
	t.bodyDirty = true // read back (and validated if changed) once, in relayout
	return cmd
}

// paste puts pasted text into the field with focus (the endpoint when
// nothing that takes text has it), then lays the pane out.
func (t *requestTool) paste(m *Model, msg tea.PasteMsg) tea.Cmd {
	cmd := t.routePaste(m, msg)
	t.relayout(m)
	return cmd
}

func (t *requestTool) routePaste(m *Model, msg tea.PasteMsg) tea.Cmd {
	if r := t.resp; r != nil && r.searching {
		var cmd tea.Cmd
		r.searchIn, cmd = r.searchIn.Update(msg)
		return cmd
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		return ed.update(msg)
	}
	var cmd tea.Cmd
	if t.focus == views.FocusBody {
		t.resumeEditing()
		t.body, cmd = t.body.Update(msg)
		t.bodyDirty = true
		return cmd
	}
	if t.focus != views.FocusEndpoint {
		t.setFocus(views.FocusEndpoint)
	}
	t.resumeEditing()
	t.endpoint, cmd = t.endpoint.Update(msg)
	t.revalidate(m)
	return cmd
}

// revalidate recomputes the URL preview and the endpoint error: the
// same ResolveURL the client sends with, so what is shown is what would
// be sent (or why nothing would be).
func (t *requestTool) revalidate(m *Model) {
	t.resolved, t.endErr = "", ""
	path := strings.TrimSpace(t.endpoint.Value())
	if m.s.Client == nil {
		t.endErr = "no API connection: set up a token or start the demo"
		return
	}
	if path == "" {
		return
	}
	full, err := m.s.Client.ResolveURL(path, t.query.pairs())
	if err != nil {
		t.endErr = errText(err)
		return
	}
	t.resolved = full
}

// bodySnap is the body's text with what the frame and the checks need
// from it, computed once per change.
type bodySnap struct {
	text  string
	lines []string // text split at line breaks; nil when empty
	blank bool     // only white space: no body is sent
	err   string   // why it is not JSON, with line:column; "" when it is or is blank
}

func newBodySnap(s string) bodySnap {
	b := bodySnap{text: s, blank: strings.TrimSpace(s) == "", err: jsonError(s)}
	if s != "" {
		b.lines = strings.Split(s, "\n")
	}
	return b
}

// syncBody reads the body back after a change: once (the text area
// rebuilds its whole string to say), and validated only when it did
// change.
func (t *requestTool) syncBody() {
	if !t.bodyDirty {
		return
	}
	t.bodyDirty = false
	if v := t.body.Value(); v != t.bodyNow.text {
		t.bodyNow = newBodySnap(v)
	}
}

// currentBody is the body now, for a check in the middle of Update.
func (t *requestTool) currentBody() bodySnap {
	t.syncBody()
	return t.bodyNow
}

// jsonError is actions.JSONError: the editor and the headless --body
// report a bad body the same way, with its line:column.
var jsonError = actions.JSONError

// formatBody pretty-prints the body when it is valid JSON.
func (t *requestTool) formatBody(m *Model) {
	b := t.currentBody()
	if b.blank {
		t.setNotice("the body is empty: nothing to format", false)
		return
	}
	if b.err != "" {
		t.setNotice("cannot format: "+b.err, true)
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(strings.TrimSpace(b.text)), "", "  "); err != nil {
		t.setNotice("cannot format: "+err.Error(), true)
		return
	}
	if strings.Count(buf.String(), "\n")+1 > bodyMaxLines {
		t.setNotice(fmt.Sprintf("formatted, the body would exceed the editor's %d lines; left as is", bodyMaxLines), true)
		return
	}
	t.body.SetValue(buf.String())
	t.bodyDirty = true
	t.setNotice("body formatted", false)
}

// setBody replaces the body text, and says so if the editor could not
// hold all of it.
func (t *requestTool) setBody(s string) bool {
	t.body.SetValue(s)
	t.body.MoveToBegin()
	t.bodyDirty = true
	return t.currentBody().text == s
}

// build turns the editor into a request, or says what is wrong with it
// (and moves the focus there). Nothing is sent from here.
func (t *requestTool) build(m *Model) (cloudflare.RawRequest, string, error) {
	// What is sent, kept in history and shown in the confirmation has its
	// query in the rows, not in the path.
	t.splitEndpointQuery(m)
	req := cloudflare.RawRequest{
		Method: t.methodName(),
		Path:   strings.TrimSpace(t.endpoint.Value()),
		Query:  t.query.pairs(),
		Header: t.headers.pairs(),
	}
	if m.s.Client == nil {
		return req, "", errors.New("no API connection: set up a token (cftriage auth login) or start the demo")
	}
	if req.Path == "" {
		t.setFocus(views.FocusEndpoint)
		return req, "", errors.New("type an endpoint first, e.g. /accounts/{account_id}/intel/ip")
	}
	for _, h := range req.Header {
		if err := checkHeader(h[0], h[1]); err != nil {
			t.setFocus(views.FocusHeaders)
			return req, "", err
		}
	}
	if b := t.currentBody(); !b.blank {
		if b.err != "" {
			t.setFocus(views.FocusBody)
			return req, "", errors.New("the body is not valid JSON (" + b.err + "); nothing was sent")
		}
		req.Body = []byte(b.text)
	}
	full, err := m.s.Client.CheckRaw(req)
	if err != nil {
		t.endErr = errText(err)
		t.setFocus(views.FocusEndpoint)
		return req, "", err
	}
	return req, full, nil
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

// sendBinding is the send key, with why it is disabled right now.
func (t *requestTool) sendBinding(m *Model) Binding {
	b := t.keys.Send
	switch {
	case m.s.Client == nil:
		b.Why = "no API connection"
	case t.sending:
		b.Why = "a request is running"
	case actions.IsWrite(t.methodName()) && m.s.ReadOnly:
		b.Why = readOnlyWhy(m)
	}
	return b
}

func readOnlyWhy(m *Model) string {
	// No parentheses: help and footers put a reason in parentheses.
	if m.s.ReadOnlyReason != "" {
		return "read-only mode: " + m.s.ReadOnlyReason
	}
	return "read-only mode"
}

// editorView is what the request editor shows in a pane w wide (the
// whole pane: the editor takes part of it when wide).
func (t *requestTool) editorView(m *Model, w int) views.RequestView {
	v := t.frameView(m, w)
	v.Body = t.bodyView(m, w)
	if t.focus == views.FocusEndpoint && t.editing {
		v.Endpoint = t.endpoint.View()
	}
	if t.suggOpen && t.focus == views.FocusEndpoint {
		for _, p := range t.sugg {
			v.Suggestions = append(v.Suggestions, views.PathSuggestion{Method: p.Method, Path: p.Path, Summary: p.Summary, Query: p.Query})
		}
	}
	return v
}

// frameView is the editor in a pane w wide (see editorView) without the
// rendered text widgets: enough to lay the pane out (RequestBodyRows)
// without drawing the body.
func (t *requestTool) frameView(m *Model, w int) views.RequestView {
	v := views.RequestView{
		Method:      t.methodName(),
		Write:       actions.IsWrite(t.methodName()),
		Focus:       t.focus,
		Editing:     t.editing,
		Path:        t.endpoint.Value(),
		EndpointErr: t.endErr,
		Resolved:    t.resolved,
		Query:       t.query.view(),
		Headers:     t.headers.view(),
		BodyErr:     t.bodyNow.err,
		Notice:      t.notice,
		NoticeErr:   t.noticeErr,
		Suggest:     t.suggIdx,
	}
	if m.s.Client != nil {
		v.BaseURL = m.s.Client.BaseURL()
	}
	switch {
	case t.bodyNow.err != "":
	case t.bodyNow.blank:
		v.BodyNote = "empty: no body is sent"
	default:
		v.BodyNote = "valid JSON"
	}
	// The footer lists the keys; only why sending is off needs saying
	// here (the footer leaves disabled keys out).
	if sb := t.sendBinding(m); sb.Why != "" {
		v.SendHint = t.methodName() + " disabled: " + sb.Why
	}
	if t.sending {
		v.Response = "sending " + t.methodName() + " …"
	} else if r := t.resp; r != nil && !t.wide(w) {
		v.Response = r.summary() + " — tab to view"
	}
	return v
}

// bodyView is the body editor: the text area's own view while the
// analyst types in it, else the same lines drawn from the snapshot (the
// text area would restyle every line of the body on every frame).
func (t *requestTool) bodyView(m *Model, w int) string {
	if t.focus == views.FocusBody && t.editing {
		return t.body.View()
	}
	b := views.RequestBody{Lines: t.bodyNow.lines, CursorLine: t.body.Line(), Placeholder: t.body.Placeholder}
	return views.RenderRequestBody(b, t.editorWidth(w), t.body.Height(), m.th)
}

// render draws the pane; it changes nothing (the widgets were sized in
// Update, by relayout).
func (t *requestTool) render(m *Model, w, h int) string {
	th := m.th
	if !t.wide(w) {
		if t.focus == views.FocusResponse {
			return views.RenderResponse(t.responseView(), w, h, th)
		}
		return views.RenderRequest(t.editorView(m, w), w, h, th)
	}
	ew := t.editorWidth(w)
	left := views.RenderRequest(t.editorView(m, w), ew, h, th)
	right := views.RenderResponse(t.responseView(), views.SideRightWidth(ew, w), h, th)
	return views.SideBySide(left, right, ew, w, h, th)
}

// hints are the keys that work right now, for the console's one footer
// line. Outside text fields the console adds esc, ? and q itself, so
// they are not repeated here.
func (t *requestTool) hints(m *Model) []Binding {
	if m.helpOpen() {
		return t.allBindings(m)
	}
	k := t.keys
	send := t.sendBinding(m)
	sendEnter := k.SendEnter
	sendEnter.Why = send.Why
	as := func(b Binding, desc string) Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	if r := t.resp; r != nil && r.searching {
		return []Binding{k.RunSearch, k.CancelSearch}
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		return []Binding{k.KeepRow, k.SwitchKV, k.CancelRow}
	}
	switch t.focus {
	case views.FocusMethod:
		return []Binding{k.Method, sendEnter, k.NextField, k.Open, k.Curl, k.Save}
	case views.FocusEndpoint:
		switch {
		case t.editing && t.suggOpen:
			return []Binding{k.SuggestMove, k.Accept, k.CloseSuggest}
		case t.editing:
			return []Binding{sendEnter, k.Suggest, k.NextField, k.LeaveField, k.Open, k.Save, k.Curl}
		}
		return []Binding{as(k.EditField, "edit path"), k.Suggest, send, k.NextField, k.Open, k.Curl, k.Save}
	case views.FocusBody:
		if t.editing {
			return []Binding{send, k.Format, k.NextField, k.LeaveField, k.Curl, k.Save}
		}
		return []Binding{as(k.EditField, "edit body"), k.Format, send, k.NextField, k.Curl}
	case views.FocusQuery, views.FocusHeaders:
		edit, del, move := k.EditRow, k.DelRow, k.RowMove
		switch n := len(t.activeKV().rows); {
		case n == 0:
			edit.Why, del.Why, move.Why = "no rows", "no rows", "no rows"
		case n == 1:
			move.Why = "one row"
		}
		return []Binding{k.AddRow, edit, del, move, send, k.NextField}
	case views.FocusResponse:
		if t.sending {
			return []Binding{k.NextField} // esc (the console's) cancels a GET
		}
		return t.responseHints(m)
	}
	return []Binding{send}
}
