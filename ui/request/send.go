package request

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// The pane's results and the messages its dialogs send it.
type (
	// sentMsg is a send's outcome, prepared off the Update loop.
	sentMsg struct {
		req     cloudflare.RawRequest
		url     string
		ex      *cloudflare.Exchange
		body    *respBody
		err     error
		histErr error
	}
	// sendConfirmed and sendDeclined are the confirmation's answers.
	sendConfirmed struct {
		req cloudflare.RawRequest
		url string
	}
	sendDeclined struct{ method string }
)

// sendWhy is why sending is disabled right now ("" when it is not).
func (t *Tool) sendWhy(ctx *pane.Context) string {
	switch {
	case ctx.Conn.Client == nil:
		return "no API connection"
	case t.sending:
		return "a request is running"
	case actions.IsWrite(t.methodName()) && ctx.Conn.ReadOnly:
		return ctx.Conn.ReadOnlyWhy()
	case t.rowEditing():
		return "finish editing the row first (enter keeps it, esc cancels)"
	}
	return ""
}

func (t *Tool) rowEditing() bool {
	ed := t.activeKV()
	return ed != nil && ed.editing >= 0
}

// build turns the editor into a request, or says what is wrong with it
// (and moves the focus there). Nothing is sent from here.
func (t *Tool) build(ctx *pane.Context) (cloudflare.RawRequest, string, error) {
	// What is sent, kept in history and shown in the confirmation has its
	// query in the rows, not in the path.
	t.splitEndpointQuery()
	req := cloudflare.RawRequest{
		Method: t.methodName(),
		Path:   strings.TrimSpace(t.endpoint.Value()),
		Query:  t.query.pairs(),
		Header: t.headers.pairs(),
	}
	c := ctx.Conn.Client
	if c == nil {
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
	// Checked now, whatever the pause in typing: what is sent is never
	// a body whose check is still to come.
	b := t.body
	b.checkNow()
	if !b.checkBlank {
		if b.checkErr != "" {
			t.setFocus(views.FocusBody)
			return req, "", errors.New("the body is not valid JSON (" + b.checkErr + "); nothing was sent")
		}
		req.Body = []byte(b.Text())
	}
	full, err := c.CheckRaw(req)
	if err != nil {
		t.endErr = actions.Explain(err)
		t.setFocus(views.FocusEndpoint)
		return req, "", err
	}
	return req, full, nil
}

// send checks the request and sends a GET at once; a state-changing
// method is refused in read-only mode and otherwise asks first.
func (t *Tool) send(ctx *pane.Context) tea.Cmd {
	if t.sending {
		t.setNotice("a request is already running", true)
		return nil
	}
	if t.rowEditing() {
		t.setNotice("finish editing the row first (enter keeps it, esc cancels)", true)
		return nil
	}
	req, full, err := t.build(ctx)
	if err != nil {
		t.setNotice(actions.Explain(err), true)
		return nil
	}
	if actions.IsWrite(req.Method) {
		if ctx.Conn.ReadOnly {
			t.setNotice(req.Method+" refused: "+ctx.Conn.ReadOnlyWhy()+"; nothing was sent", true)
			return nil
		}
		// The write flow's own refusals (an operation only a reviewed
		// flow may perform), before the confirmation.
		if _, err := ctx.Session.Writer().Check(req); err != nil {
			var re *actions.RefusedError
			if errors.As(err, &re) && !errors.Is(err, actions.ErrReadOnly) {
				t.setNotice(req.Method+" refused as a raw call: "+re.Why+"; nothing was sent", true)
			} else {
				t.setNotice(actions.Explain(err), true)
			}
			return nil
		}
		return pane.Emit(pane.PushDialogMsg{Dialog: newConfirm(ctx, req, full), Opener: ctx.ID()})
	}
	return t.start(ctx, req, full)
}

// start sends req once through actions.Send (which audits a write:
// intent before, outcome after, never retried), then records it in the
// history and prepares the body for display, all off the Update loop.
func (t *Tool) start(ctx *pane.Context, req cloudflare.RawRequest, full string) tea.Cmd {
	write := actions.IsWrite(req.Method)
	if write && ctx.Conn.ReadOnly { // checked again: nothing may slip past the dialog
		t.setNotice(req.Method+" refused: "+ctx.Conn.ReadOnlyWhy(), true)
		return nil
	}
	if t.sending {
		t.setNotice("a request is already running", true)
		return nil
	}
	t.sending, t.sendingWrite = true, write
	own, cancel := context.WithCancel(context.Background())
	t.cancelGet = nil
	if !write {
		t.cancelGet = cancel
	}
	t.setFocus(views.FocusResponse)
	// The write flow's own view of the session (client, audit log,
	// read-only rule), taken now, on the Update loop.
	w, now, histDir, guard := ctx.Session.Writer(), ctx.Now, historyDir(ctx.Session), ctx.Session.Guard
	return ctx.Go(func(sctx context.Context, c *cloudflare.Client) tea.Msg {
		defer cancel()
		if write {
			// Nothing cancels a write once sent (not esc, not quitting,
			// not the console dropping the pane's requests): it would
			// not undo it, only lose its outcome.
			sctx = context.WithoutCancel(sctx)
		} else {
			var stop context.CancelFunc
			sctx, stop = context.WithCancel(sctx)
			defer stop()
			defer context.AfterFunc(own, stop)()
		}
		var op store.Operator
		if write {
			op = actions.OperatorFor(sctx, c)
		}
		ex, err := actions.Send(sctx, w, req, op)
		if ex == nil {
			var ce *cloudflare.Error
			if errors.As(err, &ce) {
				ex = ce.Exchange
			}
		}
		m := sentMsg{req: req, url: full, ex: ex, err: err}
		if ex != nil {
			m.body = newRespBody(ex.Body)
		}
		if wasSent(ex, err) {
			m.histErr = appendHistory(histDir, guard, req, now(), ex)
		}
		return m
	})
}

// sent takes a send's outcome.
func (t *Tool) sent(m sentMsg) {
	t.sending, t.sendingWrite, t.cancelGet = false, false, nil
	t.resp = newResponse(m.req.Method, m.url, m.ex, m.body, m.err)
	t.clampScroll()
	if m.histErr != nil {
		t.setNotice("not kept in history: "+actions.Explain(m.histErr), true)
	}
}

// cancelSend is esc while a GET runs.
func (t *Tool) cancelSend() {
	if t.cancelGet != nil {
		t.cancelGet()
		t.setNotice("canceling the request", false)
	}
}

// wasSent tells a request that reached the network from one refused
// before sending (which is not history): it got an answer, or ended
// waiting for one.
func wasSent(ex *cloudflare.Exchange, err error) bool {
	return ex != nil || actions.NoAnswer(err)
}

// historyDir is where sent requests are kept: the session's (the demo
// keeps its own).
func historyDir(s *actions.Session) func() (string, error) {
	if s == nil {
		return store.StateDir
	}
	return s.HistoryDir
}

// appendHistory keeps a sent request (auth headers are dropped by the
// store, which also refuses anything holding the token).
func appendHistory(dirFn func() (string, error), guard *store.Guard, req cloudflare.RawRequest, at time.Time, ex *cloudflare.Exchange) error {
	dir, err := dirFn()
	if err != nil {
		return err
	}
	e := store.HistoryEntry{Time: at, Method: req.Method, Path: req.Path, Query: req.Query, Header: req.Header, Body: string(req.Body)}
	if ex != nil {
		e.Status = ex.StatusCode
	}
	return store.AppendHistory(dir, guard, e)
}

// confirmDialog asks before a state-changing custom call, showing
// exactly what will be sent. Its answer goes to the pane that opened it.
type confirmDialog struct {
	opener  int
	req     cloudflare.RawRequest
	url     string
	account string
	yes, no Binding
}

func newConfirm(ctx *pane.Context, req cloudflare.RawRequest, url string) *confirmDialog {
	acct := ctx.Conn.AccountName
	if id := ctx.Conn.AccountID; id != "" {
		if acct != "" {
			acct += " (" + id + ")"
		} else {
			acct = id
		}
	}
	return &confirmDialog{opener: ctx.ID(), req: req, url: url, account: acct,
		yes: bind("send once", "y", "Y"), no: shownAs(bind("cancel", "esc", "n", "N", "q"), "esc/n")}
}

// Update takes every key while the dialog is open.
func (d *confirmDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil, false
	}
	switch {
	case key.Matches(k, d.yes.Binding):
		return pane.Emit(pane.ToMsg{ID: d.opener, Msg: sendConfirmed{req: d.req, url: d.url}}), true
	case key.Matches(k, d.no.Binding):
		return pane.Emit(pane.ToMsg{ID: d.opener, Msg: sendDeclined{method: d.req.Method}}), true
	}
	return nil, false
}

func (d *confirmDialog) View(ctx *pane.Context) string {
	return views.RenderConfirmSend(views.ConfirmSend{Method: d.req.Method, URL: d.url, Account: d.account,
		Header: d.req.Header, Body: string(d.req.Body)}, ctx.Width, ctx.Height, ctx.Theme)
}

func (d *confirmDialog) Bindings(ctx *pane.Context) []Binding { return []Binding{d.yes, d.no} }

// copyCurl copies the request as a curl command that reads the token
// from $CLOUDFLARE_API_TOKEN.
func (t *Tool) copyCurl(ctx *pane.Context) tea.Cmd {
	if t.rowEditing() {
		t.setNotice("finish editing the row first", true)
		return nil
	}
	req, full, err := t.build(ctx)
	if err != nil {
		t.setNotice("no curl: "+actions.Explain(err), true)
		return nil
	}
	req.Path, req.Query = full, nil // resolved: placeholders filled, query encoded
	cmd, err := actions.CurlCommand(ctx.Conn.Client.BaseURL(), req)
	if err != nil {
		t.setNotice(actions.Explain(err), true)
		return nil
	}
	t.setNotice("copied as curl (the token is read from $"+actions.TokenEnvVar+")", false)
	return tea.SetClipboard(views.SanitizeMultiline(cmd))
}
