package ui

import (
	"context"
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

// revokeDialog is the review of one session revoke: the user's identity
// and active sessions (read fresh when it opens), a reason, the email
// typed to confirm. It owns one actions.Revoker, so however often Enter
// is pressed at most one request is sent for this review.
type revokeDialog struct {
	user  cloudflare.AccessUser
	email string

	loaded      bool
	lastSeen    *cloudflare.LastSeenIdentity
	lastSeenErr error
	sessions    []cloudflare.ActiveSession
	sessionsErr error
	devices     bool

	reviewForm
	rv     *actions.Revoker
	result *views.RevokeOutcome
	opener int
}

func newRevokeDialog(b *userBody, opener int) *revokeDialog {
	d := &revokeDialog{user: *b.user, rv: new(actions.Revoker), opener: opener}
	d.email = b.user.Email
	if d.email == "" {
		d.email = b.email
	}
	return d
}

type (
	// revokeReadMsg is the review's fresh read of the identity and
	// the active sessions, each of which may fail alone.
	revokeReadMsg struct {
		lastSeen    cloudflare.LastSeenIdentity
		lastSeenErr error
		sessions    []cloudflare.ActiveSession
		sessionsErr error
	}
	revokeDoneMsg struct{ res actions.RevokeResult }
)

// Start reads what the review shows, fresh, off the Update loop.
func (d *revokeDialog) Start(ctx *pane.Context) tea.Cmd {
	id := d.user.ID
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		if cl == nil {
			err := errors.New("no API client: configure a token first")
			return revokeReadMsg{lastSeenErr: err, sessionsErr: err}
		}
		var m revokeReadMsg
		m.lastSeen, m.lastSeenErr = actions.ReviewLastSeen(c, cl, id)
		m.sessions, m.sessionsErr = actions.ReviewSessions(c, cl, id)
		return m
	})
}

func (d *revokeDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case revokeReadMsg:
		d.loaded = true
		if msg.lastSeenErr == nil {
			l := msg.lastSeen
			d.lastSeen = &l
		}
		d.lastSeenErr, d.sessions, d.sessionsErr = msg.lastSeenErr, msg.sessions, msg.sessionsErr
	case revokeDoneMsg:
		return d.finish(msg.res), false
	case tea.PasteMsg:
		d.paste(msg)
	case tea.KeyPressMsg:
		if cmd, done, ok := d.reviewForm.key(msg); ok {
			return cmd, done
		}
		switch {
		case key.Matches(msg, revokeKeys.Cancel.Binding):
			return pane.Status("revoke canceled: nothing was sent"), true
		case key.Matches(msg, revokeKeys.Devices.Binding):
			d.devices = !d.devices
		case key.Matches(msg, revokeKeys.Send.Binding):
			return d.submit(ctx), false
		}
	}
	return nil, false
}

func (d *revokeDialog) submit(ctx *pane.Context) tea.Cmd {
	if !d.ready(ctx, d.email) {
		return nil
	}
	if !d.loaded {
		d.problem = "still reading the user's sessions; press Enter again once they show"
		return nil
	}
	if d.rv.Sent() {
		return nil
	}
	d.problem, d.state = "", views.ReviewSending
	rv := d.rv
	req := actions.RevokeRequest{
		Email:       d.email,
		UserID:      d.user.ID,
		Name:        d.user.Name,
		Reason:      d.reason,
		Devices:     d.devices,
		Before:      d.sessions,
		BeforeKnown: d.sessionsErr == nil,
		AccountID:   ctx.Conn.AccountID,
	}
	return sendWrite(ctx, func(bg context.Context, w actions.Writer, op store.Operator) tea.Msg {
		req.Operator = op
		return revokeDoneMsg{rv.Revoke(bg, w, req)}
	})
}

func (d *revokeDialog) finish(res actions.RevokeResult) tea.Cmd {
	d.state = views.ReviewDone
	o := &views.RevokeOutcome{
		Outcome:     string(res.Outcome),
		Err:         errText(res.Err),
		After:       res.After,
		Reread:      res.After != nil,
		BeforeKnown: d.sessionsErr == nil,
		Before:      len(d.sessions),
		Warning:     res.Warning,
		Finding:     res.Finding,
		AuditErr:    errText(res.AuditErr),
		AttemptID:   res.AttemptID,
		HTTPStatus:  writeStatus(res.Exchange, res.Err),
	}
	d.result = o
	var cmds []tea.Cmd
	if res.After != nil {
		// The User pane's sessions section shows the re-read, as if it
		// had loaded it: no request more, and no stale list behind.
		cmds = append(cmds, pane.Emit(pane.ToMsg{ID: d.opener, Msg: partMsg{section: secSessions, sessions: res.After}}))
	}
	email := views.Sanitize(d.email)
	var status string
	switch res.Outcome {
	case actions.OutcomeSuccess:
		status = "sessions revoked for " + email
	case actions.OutcomeFailure:
		status = "session revoke failed for " + email + " (not retried)"
	case actions.OutcomeUnknown:
		status = "session revoke outcome UNKNOWN for " + email
	default:
		status = "session revoke not sent"
	}
	return tea.Batch(append(cmds, pane.Status(status))...)
}

func (d *revokeDialog) review(ctx *pane.Context) views.RevokeReview {
	r := views.RevokeReview{
		Name: d.user.Name, Email: d.email, UserID: d.user.ID,
		AccountName: ctx.Conn.AccountName, AccountID: ctx.Conn.AccountID,
		LastSeen: d.lastSeen, Sessions: d.sessions, Devices: d.devices,
		Explain: actions.RevokeNote,
		Reason:  d.reason, Confirm: d.confirm, Field: d.field, Problem: d.problem,
		State: d.state, Result: d.result,
	}
	if d.devices {
		r.Explain += " " + actions.RevokeDevicesNote
	}
	switch {
	case !d.loaded:
		r.LastSeenNote, r.SessionsNote = "reading…", "reading…"
	default:
		if d.lastSeenErr != nil {
			r.LastSeenNote = "unavailable: " + partErrText(d.lastSeenErr)
		}
		if d.sessionsErr != nil {
			r.SessionsNote = "unavailable: " + partErrText(d.sessionsErr) + " (the revoke can still go ahead)"
		}
	}
	return r
}

func (d *revokeDialog) View(ctx *pane.Context) string {
	r := d.review(ctx)
	return reviewView(ctx, func(w int) int { return views.RevokeReviewHeight(r, w) },
		func(w, h int, th views.Theme) string { return views.RenderRevokeReview(r, w, h, th) })
}

// revokeKeys are the revoke review's own keys.
var revokeKeys = struct{ Send, Devices, Cancel Binding }{
	Send:    bind("revoke sessions", "enter"),
	Devices: bind("also revoke devices (toggle)", "ctrl+d"),
	Cancel:  bind("cancel", "esc"),
}

func (d *revokeDialog) Bindings(ctx *pane.Context) []Binding {
	// ctrl+d, which the review's Devices line names, comes last.
	return d.bindings(revokeKeys.Send, revokeKeys.Devices)
}

// revokeWhy says why a revoke cannot be reviewed now, "" when it can.
func revokeWhy(ctx *pane.Context, b *userBody) string {
	switch {
	case ctx.Conn.ReadOnly:
		return ctx.Conn.ReadOnlyWhy()
	case b.user == nil || b.user.ID == "":
		return "no user loaded"
	}
	return ""
}
