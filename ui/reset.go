package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/views"
)

// resetBinding is the reset key with the reason it is disabled, if it is.
func (m *Model) resetBinding(b *userBody) Binding {
	r := m.keys.Reset
	switch {
	case m.s.ReadOnly:
		r.Why = readOnlyWhy(m)
	case b.user == nil || b.risk == nil:
		r.Why = "no user loaded"
	}
	return r
}

// startReset opens the review of a risk reset for the user on screen.
// Nothing is sent until the analyst has given a reason and typed the
// user's email; a disabled reset (read-only, nothing loaded) opens
// nothing.
func (m *Model) startReset(p *page, b *userBody) tea.Cmd {
	if r := m.resetBinding(b); r.Why != "" {
		m.status = "reset disabled: " + r.Why
		return nil
	}
	m.pushDialog(newResetDialog(b))
	return nil
}

const (
	recentEvents   = 5 // events listed on the review
	maxReasonRunes = actions.MaxReasonRunes
	maxConfirm     = 320 // longer than any email address
)

// resetDialog is the review screen of one reset. It owns one
// actions.Resetter, so however often Enter is pressed, at most one
// request is sent for this review; a new attempt needs a new review.
type resetDialog struct {
	b      *userBody
	user   cloudflare.AccessUser
	before cloudflare.RiskScore // what the analyst reviews
	email  string               // confirmed and recorded
	recent []cloudflare.RiskEvent

	reason, confirm string
	field           int
	problem         string

	state  views.ReviewState
	rs     *actions.Resetter
	result *views.ReviewResult
}

func newResetDialog(b *userBody) *resetDialog {
	d := &resetDialog{b: b, user: *b.user, before: *b.risk, rs: new(actions.Resetter)}
	d.email = strings.TrimSpace(b.user.Email)
	if d.email == "" {
		d.email = b.email
	}
	d.recent = recent(b.risk.Events, recentEvents)
	return d
}

// recent returns the n newest events, newest first (unparseable times
// last, in API order).
func recent(evs []cloudflare.RiskEvent, n int) []cloudflare.RiskEvent {
	type te struct {
		i  int
		ns int64
	}
	ts := make([]te, len(evs))
	for i, ev := range evs {
		ts[i].i = i
		if t, ok := cloudflare.ParseTime(ev.Timestamp); ok {
			ts[i].ns = t.UnixNano()
		}
	}
	sort.SliceStable(ts, func(a, b int) bool { return ts[a].ns > ts[b].ns })
	out := make([]cloudflare.RiskEvent, 0, min(n, len(ts)))
	for _, t := range ts[:min(n, len(ts))] {
		out = append(out, evs[t.i])
	}
	return out
}

func (d *resetDialog) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch d.state {
	case views.ReviewSending:
		// Locked until the answer: Enter (or anything) sends nothing more,
		// and closing now would hide an outcome the analyst must see.
		return nil, false
	case views.ReviewDone:
		switch msg.String() {
		case "enter", "esc", "q":
			return nil, true
		}
		return nil, false
	}
	switch msg.String() {
	case "esc":
		m.status = "reset canceled: nothing was sent"
		return nil, true
	case "tab", "shift+tab", "up", "down":
		d.field = 1 - d.field
	case "enter":
		return d.submit(m), false
	case "backspace":
		f := d.cur()
		if r := []rune(*f); len(r) > 0 {
			*f = string(r[:len(r)-1])
		}
	case "ctrl+u":
		*d.cur() = ""
	default:
		t := msg.Key().Text
		if t == "" {
			return nil, false
		}
		t = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, t)
		f, lim := d.cur(), maxConfirm
		if d.field == views.FieldReason {
			lim = maxReasonRunes
		}
		if len([]rune(*f))+len([]rune(t)) <= lim {
			*f += t
		}
	}
	return nil, false
}

// paste takes a bracketed paste into the reason (a ticket id, a note).
// The confirmation must be typed: pasting the email shown on the same
// screen would make it a formality.
func (d *resetDialog) paste(m *Model, msg tea.PasteMsg) tea.Cmd {
	if d.state != views.ReviewEditing {
		return nil
	}
	if d.field == views.FieldConfirm {
		d.problem = "type the email to confirm; a paste is not taken here"
		return nil
	}
	t := strings.Join(strings.Fields(views.Sanitize(msg.Content)), " ")
	n := maxReasonRunes - len([]rune(d.reason))
	if r := []rune(t); len(r) > n {
		// Said, not done silently: the analyst must know the reason on
		// record is not what was pasted.
		d.problem = fmt.Sprintf("the reason is limited to %d characters; the paste was cut to fit — check the end of it", maxReasonRunes)
		t = string(r[:max(n, 0)])
	}
	d.reason += t
	return nil
}

func (d *resetDialog) cur() *string {
	if d.field == views.FieldReason {
		return &d.reason
	}
	return &d.confirm
}

// submit moves from the reason to the confirmation, or checks both and
// sends. Anything short of a reason and the matching email sends
// nothing and says why.
func (d *resetDialog) submit(m *Model) tea.Cmd {
	reasonOK := strings.TrimSpace(d.reason) != ""
	if d.field == views.FieldReason {
		if !reasonOK {
			d.problem = "a reason is required (free text or a ticket id); it goes into the audit log"
			return nil
		}
		d.problem, d.field = "", views.FieldConfirm
		return nil
	}
	switch {
	case !reasonOK:
		d.problem, d.field = "a reason is required (free text or a ticket id); it goes into the audit log", views.FieldReason
		return nil
	case strings.TrimSpace(d.confirm) == "":
		d.problem = "type the user's email (" + views.Sanitize(d.email) + ") to confirm"
		return nil
	case !strings.EqualFold(strings.TrimSpace(d.confirm), views.Sanitize(d.email)):
		d.problem = "the email typed does not match " + views.Sanitize(d.email)
		return nil
	case m.s.ReadOnly:
		d.problem = "read-only mode: state-changing actions are disabled"
		return nil
	case m.s.Client == nil:
		d.problem = "no API client: configure a token first"
		return nil
	}
	if d.rs.Sent() {
		return nil
	}
	d.problem, d.state = "", views.ReviewSending
	c, audit, rs := m.s.Client, m.s.Audit, d.rs
	req := actions.ResetRequest{
		Email:     d.email,
		UserID:    d.user.ID,
		Name:      d.user.Name,
		Reason:    d.reason,
		Before:    d.before,
		AccountID: m.s.AccountID,
	}
	return toolCmd(func() func(*Model) tea.Cmd {
		// No cancel: once sent, the outcome must be learned, not
		// abandoned; the client's per-call timeout bounds both calls.
		ctx := context.Background()
		req.Operator = actions.OperatorFor(ctx, c)
		res := rs.Reset(ctx, c, audit, req)
		return func(m *Model) tea.Cmd {
			d.finish(m, res)
			return nil
		}
	})
}

// finish shows the result and, when the user was re-read, puts the new
// risk score on the User pane.
func (d *resetDialog) finish(m *Model, res actions.ResetResult) {
	d.state = views.ReviewDone
	rr := &views.ReviewResult{
		Outcome:   string(res.Outcome),
		After:     res.After,
		Warning:   res.Warning,
		Finding:   res.Finding,
		AttemptID: res.AttemptID,
		Err:       errText(res.Err),
		AuditErr:  errText(res.AuditErr),
	}
	if res.Exchange != nil {
		rr.HTTPStatus = res.Exchange.StatusCode
	} else if ce := (*cloudflare.Error)(nil); errors.As(res.Err, &ce) {
		rr.HTTPStatus = ce.StatusCode
	}
	d.result = rr
	if res.After != nil && d.b.user != nil && d.b.user.ID == d.user.ID {
		d.b.setRisk(*res.After, m)
	}
	switch res.Outcome {
	case actions.OutcomeSuccess:
		m.status = "risk reset: done for " + views.Sanitize(d.email)
	case actions.OutcomeFailure:
		m.status = "risk reset failed for " + views.Sanitize(d.email) + " (not retried)"
	case actions.OutcomeUnknown:
		m.status = "risk reset outcome UNKNOWN for " + views.Sanitize(d.email)
	default:
		m.status = "risk reset not sent"
	}
}

func (d *resetDialog) review(m *Model) views.Review {
	before := d.before
	return views.Review{
		Name:        d.user.Name,
		Email:       d.email,
		UserID:      d.user.ID,
		Before:      &before,
		Recent:      d.recent,
		AccountName: m.s.AccountName,
		AccountID:   m.s.AccountID,
		Reason:      d.reason,
		Confirm:     d.confirm,
		Field:       d.field,
		Problem:     d.problem,
		State:       d.state,
		Result:      d.result,
	}
}

func (d *resetDialog) render(m *Model, w, h int) string {
	r := d.review(m)
	bw, bh := min(w-2, 100), h-2
	if bw < 30 || bh < 6 {
		bw, bh = w, h // too small for a margin
	}
	bh = min(bh, views.ReviewHeight(r, bw))
	return views.RenderReview(r, bw, bh, m.th)
}

func (d *resetDialog) hints(m *Model) []Binding {
	switch d.state {
	case views.ReviewSending:
		wait := bind("close", "esc")
		wait.Why = "sending: waiting for Cloudflare's answer"
		return []Binding{wait}
	case views.ReviewDone:
		return []Binding{bind("close", "enter", "esc")}
	}
	next := bind("next field", "tab", "shift+tab")
	send := bind("send reset", "enter")
	if d.field == views.FieldReason {
		send = bind("next field", "enter")
	}
	return []Binding{send, next, bind("clear field", "ctrl+u"), bind("cancel", "esc")}
}
