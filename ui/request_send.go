package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
	"cftriage/views"
)

// send checks the request and sends a GET at once; a state-changing
// method is refused in read-only mode and otherwise asks first.
func (t *requestTool) send(m *Model) tea.Cmd {
	if t.sending {
		t.setNotice("a request is already running", true)
		return nil
	}
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		t.setNotice("finish editing the row first (enter keeps it, esc cancels)", true)
		return nil
	}
	req, full, err := t.build(m)
	if err != nil {
		t.setNotice(errText(err), true)
		return nil
	}
	if actions.IsWrite(req.Method) {
		if m.s.ReadOnly {
			t.setNotice(req.Method+" refused: "+readOnlyWhy(m)+"; nothing was sent", true)
			return nil
		}
		m.pushDialog(&confirmSendDialog{t: t, req: req, url: full})
		return nil
	}
	return t.start(m, req, full)
}

// start sends req once through actions.Send (which audits a write:
// intent before, outcome after, never retried), then records it in the
// history and prepares the body for display, all off the Update loop.
func (t *requestTool) start(m *Model, req cloudflare.RawRequest, full string) tea.Cmd {
	write := actions.IsWrite(req.Method)
	if write && m.s.ReadOnly { // checked again: nothing may slip past the dialog
		t.setNotice(req.Method+" refused: "+readOnlyWhy(m), true)
		return nil
	}
	t.seq++
	seq := t.seq
	t.sending, t.sendingWrite = true, write
	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	t.setFocus(views.FocusResponse)
	// Captured here: the command must not read the session, whose
	// client the first-run screen may replace meanwhile.
	c, audit := m.s.Client, m.s.Audit
	now := m.opts.Now
	histDir := t.historyDir
	return toolCmd(func() func(*Model) tea.Cmd {
		var op store.Operator
		if write {
			op = actions.OperatorFor(ctx, c)
		}
		ex, err := actions.Send(ctx, c, audit, req, op)
		if ex == nil {
			var ce *cloudflare.Error
			if errors.As(err, &ce) {
				ex = ce.Exchange
			}
		}
		var body *views.Body
		if ex != nil {
			body = views.NewBody(ex.Body)
		}
		var histErr error
		if wasSent(ex, err) {
			histErr = appendHistory(histDir, req, now(), ex)
		}
		quota := c.Quota()
		return func(m *Model) tea.Cmd {
			cancel()
			if seq != t.seq {
				return nil
			}
			t.sending, t.sendingWrite, t.cancel = false, false, nil
			if quota.Known {
				m.quota = quota
			}
			t.resp = newResponse(req.Method, full, ex, body, err)
			t.clampScroll()
			if histErr != nil {
				t.setNotice("not kept in history: "+errText(histErr), true)
			}
			t.relayout(m)
			return nil
		}
	})
}

// shutdowner is a tool with work in flight to stop when the console
// quits (Model.cancelAll).
type shutdowner interface{ shutdown() }

// shutdown cancels a GET in flight. A write is left to finish, as esc
// leaves it: canceling would not undo it, only lose its outcome.
func (t *requestTool) shutdown() {
	if t.sending && !t.sendingWrite && t.cancel != nil {
		t.cancel()
	}
}

// wasSent tells a request that reached the network from one refused
// before sending (which is not history): it got an answer, or ended
// waiting for one.
func wasSent(ex *cloudflare.Exchange, err error) bool {
	return ex != nil || actions.NoAnswer(err)
}

// appendHistory keeps a sent request (auth headers are dropped by the
// store, which also refuses anything holding the token).
func appendHistory(dirFn func() (string, error), req cloudflare.RawRequest, at time.Time, ex *cloudflare.Exchange) error {
	dir, err := dirFn()
	if err != nil {
		return err
	}
	e := store.HistoryEntry{Time: at, Method: req.Method, Path: req.Path, Query: req.Query, Header: req.Header, Body: string(req.Body)}
	if ex != nil {
		e.Status = ex.StatusCode
	}
	return store.AppendHistory(dir, e)
}

// confirmSendDialog asks before a state-changing custom call, showing
// exactly what will be sent.
type confirmSendDialog struct {
	t   *requestTool
	req cloudflare.RawRequest
	url string
}

func (d *confirmSendDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	defer d.t.relayout(m) // sent or not, the editor says so
	switch msg.String() {
	case "y", "Y":
		return d.t.start(m, d.req, d.url), true
	case "esc", "n", "N", "q":
		d.t.setNotice(d.req.Method+" not sent", false)
		return nil, true
	}
	return nil, false
}

func (d *confirmSendDialog) render(m *Model, w, h int) string {
	acct := m.s.AccountName
	if m.s.AccountID != "" {
		if acct != "" {
			acct += " (" + m.s.AccountID + ")"
		} else {
			acct = m.s.AccountID
		}
	}
	return views.RenderConfirmSend(views.ConfirmSend{Method: d.req.Method, URL: d.url, Account: acct, Header: d.req.Header, Body: string(d.req.Body)}, w, h, m.th)
}

func (d *confirmSendDialog) hints(m *Model) []Binding {
	return []Binding{bind("send once", "y"), bind("cancel", "esc", "n")}
}

// copyCurl copies the request as a curl command that reads the token
// from $CLOUDFLARE_API_TOKEN.
func (t *requestTool) copyCurl(m *Model) tea.Cmd {
	if ed := t.activeKV(); ed != nil && ed.editing >= 0 {
		t.setNotice("finish editing the row first", true)
		return nil
	}
	req, full, err := t.build(m)
	if err != nil {
		t.setNotice("no curl: "+errText(err), true)
		return nil
	}
	req.Path, req.Query = full, nil // resolved: placeholders filled, query encoded
	cmd, err := actions.CurlCommand(m.s.Client.BaseURL(), req)
	if err != nil {
		t.setNotice(errText(err), true)
		return nil
	}
	t.setNotice("copied as curl (the token is read from $"+actions.TokenEnvVar+")", false)
	return copyCmd(cmd)
}
