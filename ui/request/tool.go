// Package request is the console's Request pane: a custom API call
// editor (method, endpoint with known-path completion, query and header
// rows, a JSON body editor) and the response viewer. It is a pane.Tool:
// it sees the console only through a pane.Context and answers with
// commands and pane messages, never the root model.
//
// The parts: tool.go (state, focus, layout, the frame), keys.go and
// bindings.go (its keys as data), endpoint.go (the path, completion and
// placeholders), rows.go (query and header rows), editor.go (the body),
// response.go (the viewer), send.go (building, confirming and sending),
// store.go (saved requests and history).
package request

import (
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/ui/pane"
	"cftriage/views"
)

// methods the selector offers, in order.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// wideRequest is the width from which the response is shown beside the
// editor rather than instead of it.
const wideRequest = 110

// Title is the tab's name.
const Title = "Request"

// Tool is the Request pane. All state lives here and changes only in
// Update (and the binding handlers the root runs from a key).
type Tool struct {
	keys    keyMap
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
	// held: the path list was just closed with esc; the next enter keeps
	// the analyst typing instead of sending (they meant to edit).
	held bool

	// users looked up this session, newest first, offered for a
	// {user_id} placeholder (fillOpen: the list is down).
	users    []pane.SeenUserMsg
	fillOpen bool
	fillIdx  int

	query, headers kvEditor

	body *editor
	// checking: a JSON check of a big body is waiting for a pause in the
	// typing or running; checkPause is that pause.
	checking   bool
	checkPause time.Duration

	// notice is the pane's one-line message; it is cleared by the next
	// key press, like the console's status line.
	notice    string
	noticeErr bool

	sending      bool
	sendingWrite bool
	cancelGet    func()
	resp         *response

	// the pane's size and the input styles, as of the last Resize; View
	// only reads them
	w, h int
	st   textinput.Styles
}

// New builds the Request pane for the console's context.
func New(ctx *pane.Context) *Tool {
	t := &Tool{
		keys:       defaultKeys(),
		focus:      views.FocusEndpoint,
		lastEdit:   views.FocusEndpoint,
		suggIdx:    -1,
		body:       newEditor(),
		checkPause: 250 * time.Millisecond,
	}
	t.endpoint = textinput.New()
	t.endpoint.Prompt = ""
	t.endpoint.Placeholder = "path under the API base — ↓ lists known paths"
	t.endpoint.CharLimit = 4096
	t.query = newKVEditor(false)
	t.headers = newKVEditor(true)
	t.Resize(ctx)
	return t
}

// Title is the tab name.
func (t *Tool) Title() string { return Title }

// Activate is called when the tab is switched to: arriving never starts
// typing, so the next 1–5 still switches tabs.
func (t *Tool) Activate(ctx *pane.Context) tea.Cmd {
	if !t.started {
		t.started = true
		t.setFocus(views.FocusEndpoint)
	}
	t.stopEditing()
	return t.relayout(ctx)
}

// Capturing reports that the pane takes typed text.
func (t *Tool) Capturing() bool {
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

// Shutdown cancels a GET in flight. A write is left to finish, as esc
// leaves it: canceling would not undo it, only lose its outcome.
func (t *Tool) Shutdown() {
	if t.sending && !t.sendingWrite && t.cancelGet != nil {
		t.cancelGet()
	}
}

func (t *Tool) methodName() string { return methods[t.method] }

func inputStyles(th views.Theme) textinput.Styles {
	var st textinput.Styles
	st.Focused = textinput.StyleState{Text: th.InputFocused, Placeholder: th.Placeholder, Suggestion: th.Placeholder, Prompt: th.Muted}
	st.Blurred = textinput.StyleState{Text: th.Input, Placeholder: th.Placeholder, Suggestion: th.Placeholder, Prompt: th.Muted}
	st.Cursor.Blink = false
	return st
}

// Resize takes the pane's size and the console's theme (the root calls
// it when either changes), so View has nothing to set up.
func (t *Tool) Resize(ctx *pane.Context) {
	t.w, t.h = ctx.Width, ctx.Height
	t.st = inputStyles(ctx.Theme)
	t.endpoint.SetStyles(t.st)
	t.query.setStyles(t.st)
	t.headers.setStyles(t.st)
	if r := t.resp; r != nil && r.searching {
		r.searchIn.SetStyles(t.st)
	}
	t.relayout(ctx)
	t.clampScroll()
}

// relayout validates the path and sizes the text widgets for the pane
// as it is now. The body gets the rows the rest of the editor leaves,
// and those follow its state (a notice, rows, the URL preview), so every
// Update path that changes the pane ends here; View only reads the
// result. Its command is the JSON check of a big body, when one is due.
func (t *Tool) relayout(ctx *pane.Context) tea.Cmd {
	t.revalidate(ctx)
	cmd := t.checkBody(ctx)
	ew := t.editorWidth(t.w)
	t.endpoint.SetWidth(max(4, ew-10))
	t.query.setWidths(ew)
	t.headers.setWidths(ew)
	t.body.fit(views.RequestBodyRows(t.frameView(ctx, t.w), ew, t.h))
	if r := t.resp; r != nil && r.searching {
		w, _ := t.responseSize()
		r.searchIn.SetWidth(max(8, w-2))
	}
	return cmd
}

func (t *Tool) wide(w int) bool { return w >= wideRequest }

func (t *Tool) editorWidth(w int) int {
	if t.wide(w) {
		return w / 2
	}
	return w
}

// setFocus moves the keys to a part of the pane. A text field only
// takes typing after resumeEditing (enter on it).
func (t *Tool) setFocus(f views.RequestFocus) {
	if f == views.FocusResponse && t.resp == nil && !t.sending {
		f = views.FocusMethod
	}
	t.focus = f
	t.editing = false
	t.suggOpen, t.fillOpen = false, false
	t.endpoint.Blur()
	if f != views.FocusResponse {
		t.lastEdit = f
	}
}

func (t *Tool) cycleFocus(delta int) {
	t.stopEditing()
	n := int(views.FocusResponse) + 1
	if t.resp == nil && !t.sending {
		n-- // no response to visit yet
	}
	f := (int(t.focus) + delta + n) % n
	t.setFocus(views.RequestFocus(f))
}

// stopEditing leaves the text field; a query typed into the endpoint
// becomes query rows on the way out.
func (t *Tool) stopEditing() {
	if t.focus == views.FocusEndpoint && t.editing {
		t.splitEndpointQuery()
	}
	t.editing = false
	t.suggOpen, t.fillOpen = false, false
	t.endpoint.Blur()
}

func (t *Tool) resumeEditing() {
	switch t.focus {
	case views.FocusEndpoint:
		t.editing = true
		t.endpoint.Focus()
	case views.FocusBody:
		t.editing = true
	}
}

func (t *Tool) setNotice(msg string, isErr bool) { t.notice, t.noticeErr = msg, isErr }

// Update takes the keys no binding took, pastes, the pane's own results
// and what the console tells every tool (users looked up). It lays the
// pane out at the end of every path.
func (t *Tool) Update(ctx *pane.Context, msg tea.Msg) tea.Cmd {
	if ctx.Width != t.w || ctx.Height != t.h {
		t.w, t.h = ctx.Width, ctx.Height
	}
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		t.beginKey()
		cmd = t.key(ctx, msg)
	case tea.PasteMsg:
		t.beginKey()
		cmd = t.paste(ctx, msg.Content)
	case pane.SeenUserMsg:
		t.sawUser(msg)
	default:
		cmd = t.result(ctx, msg)
	}
	return tea.Batch(cmd, t.relayout(ctx))
}

// beginKey clears what lasts only until the next key.
func (t *Tool) beginKey() {
	t.notice, t.noticeErr = "", false
	t.held = false
}

// act wraps a binding's handler: the key clears the notice first, and
// the pane is laid out after.
func (t *Tool) act(ctx *pane.Context, f func() tea.Cmd) func() tea.Cmd {
	return func() tea.Cmd {
		t.beginKey()
		cmd := f()
		return tea.Batch(cmd, t.relayout(ctx))
	}
}

// key handles a key no binding took: typing into the field being edited,
// and the pairs of keys shown as one binding (←/→ on the method, ↑/↓ in
// rows and lists, the response's scrolling).
func (t *Tool) key(ctx *pane.Context, msg tea.KeyPressMsg) tea.Cmd {
	if r := t.resp; r != nil && r.searching {
		var cmd tea.Cmd
		r.searchIn, cmd = r.searchIn.Update(msg)
		return cmd
	}
	if ed := t.activeKV(); ed != nil {
		if ed.editing >= 0 {
			return ed.update(msg)
		}
		t.rowMove(ed, msg)
		return nil
	}
	switch t.focus {
	case views.FocusMethod:
		t.methodKey(msg)
	case views.FocusEndpoint:
		if t.editing {
			return t.endpointKey(ctx, msg)
		}
	case views.FocusBody:
		if t.editing {
			return t.bodyKey(ctx, msg)
		}
	case views.FocusResponse:
		t.responseKey(msg)
	}
	return nil
}

func (t *Tool) methodKey(msg tea.KeyPressMsg) {
	switch {
	case matches(msg, t.keys.MethodPrev):
		t.method = (t.method + len(methods) - 1) % len(methods)
	case matches(msg, t.keys.MethodNext):
		t.method = (t.method + 1) % len(methods)
	}
}

// bodyKey is a key typed into the body.
func (t *Tool) bodyKey(ctx *pane.Context, msg tea.KeyPressMsg) tea.Cmd {
	paste, full := t.body.update(msg)
	if !full {
		t.setNotice("the body is at the editor's 10,000 lines: no more lines fit", true)
	}
	if paste {
		return t.readClipboard(ctx)
	}
	return nil
}

// paste puts pasted text into the field with focus (the endpoint when
// nothing that takes text has it).
func (t *Tool) paste(ctx *pane.Context, text string) tea.Cmd {
	if r := t.resp; r != nil && r.searching {
		var cmd tea.Cmd
		r.searchIn, cmd = r.searchIn.Update(tea.PasteMsg{Content: text})
		return cmd
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		return ed.update(tea.PasteMsg{Content: text})
	}
	if t.focus == views.FocusBody {
		t.resumeEditing()
		if !t.body.insert(text) {
			t.setNotice("the paste was cut to the editor's 10,000 lines", true)
		}
		return nil
	}
	if t.focus != views.FocusEndpoint {
		t.setFocus(views.FocusEndpoint)
	}
	t.resumeEditing()
	var cmd tea.Cmd
	t.endpoint, cmd = t.endpoint.Update(tea.PasteMsg{Content: text})
	return cmd
}

// sawUser remembers a user looked up this session, newest first.
func (t *Tool) sawUser(u pane.SeenUserMsg) {
	if u.ID == "" {
		return
	}
	out := []pane.SeenUserMsg{u}
	for _, o := range t.users {
		if o.ID != u.ID && len(out) < 20 {
			out = append(out, o)
		}
	}
	t.users = out
}

// frameView is the editor in a pane w wide without the rendered text
// widgets: enough to lay the pane out (RequestBodyRows) without drawing
// the body.
func (t *Tool) frameView(ctx *pane.Context, w int) views.RequestView {
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
		Notice:      t.notice,
		NoticeErr:   t.noticeErr,
		Suggest:     t.suggIdx,
	}
	if c := ctx.Conn.Client; c != nil {
		v.BaseURL = c.BaseURL()
	}
	b := t.body
	switch {
	case !b.checked():
		v.BodyNote = "checking JSON …"
	case b.checkErr != "":
		v.BodyErr = b.checkErr
	case b.checkBlank:
		v.BodyNote = "empty: no body is sent"
	default:
		v.BodyNote = "valid JSON"
	}
	// The footer lists the keys; only why sending is off needs saying
	// here (the footer leaves disabled keys out). While a request runs,
	// the line says so instead.
	if why := t.sendWhy(ctx); why != "" && !t.sending {
		v.SendHint = t.methodName() + " disabled: " + why
	}
	switch {
	case t.sending && t.sendingWrite:
		v.Response = "sending " + t.methodName() + " … (a write cannot be canceled)"
	case t.sending:
		v.Response = "sending " + t.methodName() + " …"
	case t.resp != nil && !t.wide(w):
		v.Response = t.resp.summary() + " — tab to view"
	}
	return v
}

// editorView is what the request editor shows in a pane w wide.
func (t *Tool) editorView(ctx *pane.Context, w int) views.RequestView {
	v := t.frameView(ctx, w)
	typing := t.focus == views.FocusBody && t.editing
	v.Body = views.RenderRequestBody(t.body.view(typing), t.editorWidth(w), t.body.rows, ctx.Theme)
	if t.focus == views.FocusEndpoint && t.editing {
		v.Endpoint = t.endpoint.View()
	}
	if t.focus == views.FocusEndpoint {
		switch {
		case t.suggOpen:
			for _, p := range t.sugg {
				v.Suggestions = append(v.Suggestions, views.PathSuggestion{Method: p.Method, Path: p.Path, Summary: p.Summary, Query: p.Query})
			}
		case t.fillOpen:
			v.FillFor, v.FillCursor = userPlaceholder, t.fillIdx
			for _, u := range t.users {
				v.Fill = append(v.Fill, views.FillChoice{Label: u.Email, Value: u.ID})
			}
		}
	}
	return v
}

// View draws the pane; it changes nothing (the widgets were sized in
// Update, by relayout).
func (t *Tool) View(ctx *pane.Context) string {
	w, h, th := ctx.Width, ctx.Height, ctx.Theme
	if !t.wide(w) {
		if t.focus == views.FocusResponse {
			return views.RenderResponse(t.responseView(), w, h, th)
		}
		return views.RenderRequest(t.editorView(ctx, w), w, h, th)
	}
	ew := t.editorWidth(w)
	left := views.RenderRequest(t.editorView(ctx, w), ew, h, th)
	right := views.RenderResponse(t.responseView(), views.SideRightWidth(ew, w), h, th)
	return views.SideBySide(left, right, ew, w, h, th)
}
