package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/store"
	"cftriage/ui/pane"
	"cftriage/views"
)

const (
	recentEvents   = 5 // events listed on the review
	maxReasonRunes = actions.MaxReasonRunes
	maxConfirm     = 320 // longer than any email address
)

// resetDialog is the review screen of one reset. It owns one
// actions.Resetter, so however often Enter is pressed, at most one
// request is sent for this review; a new attempt needs a new review.
type resetDialog struct {
	user cloudflare.AccessUser
	// before is what the analyst reviews: read fresh when the review
	// opens (actions.ReviewRead), never the page's (maybe cached) data.
	// Nil until read; beforeErr when the read failed (nothing can then
	// be sent: a reset is reviewed against the state it changes).
	before    *cloudflare.RiskScore
	beforeErr error
	email     string // confirmed and recorded
	recent    []cloudflare.RiskEvent
	// blast is what the reset touches, loaded with the fresh read; each
	// part may fail alone and the reset still goes ahead.
	blast *actions.BlastRadius

	reviewForm
	rs     *actions.Resetter
	result *views.ReviewResult
	opener int // the User pane's slot: the re-read goes back to it
}

func newResetDialog(b *userBody, opener int) *resetDialog {
	d := &resetDialog{user: *b.user, rs: new(actions.Resetter), opener: opener}
	d.email = strings.TrimSpace(b.user.Email)
	if d.email == "" {
		d.email = b.email
	}
	return d
}

// resetReadMsg is the review's fresh read: the risk score and what the
// reset touches.
type resetReadMsg struct {
	risk  cloudflare.RiskScore
	err   error
	blast actions.BlastRadius
}

// Start reads, fresh and off the Update loop, the state the review shows
// and the blast radius.
func (d *resetDialog) Start(ctx *pane.Context) tea.Cmd {
	id := d.user.ID
	return ctx.Go(func(c context.Context, cl *cloudflare.Client) tea.Msg {
		if cl == nil {
			return resetReadMsg{err: errors.New("no API client: configure a token first")}
		}
		// The behaviors and integrations (read side by side) first, the
		// risk score after: the quota the header shows is then always
		// the last read's.
		b := actions.LoadBlastRadius(cloudflare.WithFresh(c), cl, id, &cloudflare.RiskScore{})
		rs, _, err := actions.ReviewRead(c, cl, id)
		if err != nil {
			// The events part fails with the read; the other parts
			// still show.
			b.Events, b.EventsErr = actions.EventsCleared{}, err
			return resetReadMsg{err: err, blast: b}
		}
		b.Events = actions.EventsOf(rs)
		return resetReadMsg{risk: rs, blast: b}
	})
}

func (d *resetDialog) read(msg resetReadMsg) {
	d.blast = &msg.blast
	if msg.err != nil {
		d.beforeErr = msg.err
		return
	}
	r := msg.risk
	d.before, d.beforeErr = &r, nil
	d.recent = recent(r.Events, recentEvents)
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

// resetDoneMsg is the reset's outcome, back from its command.
type resetDoneMsg struct{ res actions.ResetResult }

func (d *resetDialog) Update(ctx *pane.Context, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case resetDoneMsg:
		return d.finish(ctx, msg.res), false
	case resetReadMsg:
		d.read(msg)
		return nil, false
	case tea.PasteMsg:
		d.paste(msg)
		return nil, false
	case tea.KeyPressMsg:
		return d.key(ctx, msg)
	}
	return nil, false
}

func (d *resetDialog) key(ctx *pane.Context, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if cmd, done, ok := d.reviewForm.key(msg); ok {
		return cmd, done
	}
	if key.Matches(msg, resetKeys.Cancel.Binding) {
		return pane.Status("reset canceled: nothing was sent"), true
	}
	if key.Matches(msg, resetKeys.Send.Binding) {
		return d.submit(ctx), false
	}
	return nil, false
}

// reviewForm is a reviewed write's form: the reason, the typed
// confirmation, why the last Enter did not send, and where the review
// is. The reset and the revoke reviews share it.
type reviewForm struct {
	reason, confirm string
	field           int
	problem         string
	state           views.ReviewState
}

// key handles the keys every review handles the same way: locked while
// sending, closing once done, the fields' editing. ok is false for the
// keys the review handles itself (send, cancel, its own toggles).
func (f *reviewForm) key(msg tea.KeyPressMsg) (cmd tea.Cmd, done, ok bool) {
	k := resetKeys
	is := func(b Binding) bool { return key.Matches(msg, b.Binding) }
	switch f.state {
	case views.ReviewSending:
		// Locked until the answer: Enter (or anything) sends nothing more,
		// and closing now would hide an outcome the analyst must see.
		return nil, false, true
	case views.ReviewDone:
		return nil, is(k.Close), true
	}
	switch {
	case is(k.Cancel), is(k.Send):
		return nil, false, false
	case is(k.Next):
		f.field = 1 - f.field
	case is(k.Delete):
		p := f.cur()
		if r := []rune(*p); len(r) > 0 {
			*p = string(r[:len(r)-1])
		}
	case is(k.Clear):
		*f.cur() = ""
	default:
		t := msg.Key().Text
		if t == "" {
			return nil, false, false
		}
		t = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, t)
		p, lim := f.cur(), maxConfirm
		if f.field == views.FieldReason {
			lim = maxReasonRunes
		}
		if len([]rune(*p))+len([]rune(t)) <= lim {
			*p += t
		}
	}
	return nil, false, true
}

// paste takes a bracketed paste into the reason (a ticket id, a note).
// The confirmation must be typed: pasting the email shown on the same
// screen would make it a formality.
func (f *reviewForm) paste(msg tea.PasteMsg) {
	if f.state != views.ReviewEditing {
		return
	}
	if f.field == views.FieldConfirm {
		f.problem = "type the email to confirm; a paste is not taken here"
		return
	}
	t := strings.Join(strings.Fields(views.Sanitize(msg.Content)), " ")
	n := maxReasonRunes - len([]rune(f.reason))
	if r := []rune(t); len(r) > n {
		// Said, not done silently: the analyst must know the reason on
		// record is not what was pasted.
		f.problem = fmt.Sprintf("the reason is limited to %d characters; the paste was cut to fit — check the end of it", maxReasonRunes)
		t = string(r[:max(n, 0)])
	}
	f.reason += t
}

// bindings are the review's footer: only esc while sending, close once
// done; while editing, send (which in the reason moves to the
// confirmation: tab, doing the same, stays out of the footer, help lists
// it), clear, cancel, then the review's own keys (extra), so esc cancel
// fits at 80 columns.
func (f *reviewForm) bindings(send Binding, extra ...Binding) []Binding {
	k := resetKeys
	switch f.state {
	case views.ReviewSending:
		wait := bind("close", "esc")
		wait.Why = "sending: waiting for Cloudflare's answer"
		return []Binding{wait}
	case views.ReviewDone:
		return []Binding{k.Close}
	}
	next := bind("next field", "tab", "shift+tab")
	if f.field == views.FieldReason {
		send, next = send.As("next field"), next.Hidden()
	}
	bs := append([]Binding{send, next, k.Clear, k.Cancel}, extra...)
	return append(bs, k.Delete.Hidden())
}

// writeStatus is the HTTP status a write came back with, 0 when none is
// known.
func writeStatus(ex *cloudflare.Exchange, err error) int {
	if ex != nil {
		return ex.StatusCode
	}
	if ce := (*cloudflare.Error)(nil); errors.As(err, &ce) {
		return ce.StatusCode
	}
	return 0
}

// reviewView sizes a review's box on the screen (a margin when there is
// room, no taller than its content) and draws it.
func reviewView(ctx *pane.Context, height func(w int) int, render func(w, h int, th views.Theme) string) string {
	w, h := ctx.Width, ctx.Height
	bw, bh := min(w-2, 100), h-2
	if bw < 30 || bh < 6 {
		bw, bh = w, h // too small for a margin
	}
	return render(bw, min(bh, height(bw)), ctx.Theme)
}

// sendWrite runs a reviewed write off the Update loop. The write flow's
// own view of the session (its client, audit log and read-only rule) is
// taken now, on the Update loop. No cancel: once sent, the outcome must
// be learned, not abandoned; the client's per-call timeout bounds it.
func sendWrite(ctx *pane.Context, send func(bg context.Context, w actions.Writer, op store.Operator) tea.Msg) tea.Cmd {
	w := ctx.Session.Writer()
	return ctx.Go(func(context.Context, *cloudflare.Client) tea.Msg {
		bg := context.Background()
		return send(bg, w, actions.OperatorFor(bg, w.Client()))
	})
}

func (f *reviewForm) cur() *string {
	if f.field == views.FieldReason {
		return &f.reason
	}
	return &f.confirm
}

// ready moves from the reason to the confirmation, or checks both: it
// reports whether the form may send, and otherwise says why (problem).
// Read-only mode is checked here for the screen; the write flow refuses
// it again on its own.
func (f *reviewForm) ready(ctx *pane.Context, email string) bool {
	reasonOK := strings.TrimSpace(f.reason) != ""
	if f.field == views.FieldReason {
		if !reasonOK {
			f.problem = "a reason is required (free text or a ticket id); it goes into the audit log"
			return false
		}
		f.problem, f.field = "", views.FieldConfirm
		return false
	}
	switch {
	case !reasonOK:
		f.problem, f.field = "a reason is required (free text or a ticket id); it goes into the audit log", views.FieldReason
		return false
	case strings.TrimSpace(f.confirm) == "":
		f.problem = "type the user's email (" + views.Sanitize(email) + ") to confirm"
		return false
	case !strings.EqualFold(strings.TrimSpace(f.confirm), views.Sanitize(email)):
		f.problem = "the email typed does not match " + views.Sanitize(email)
		return false
	case ctx.Conn.ReadOnly:
		f.problem = ctx.Conn.ReadOnlyWhy() + ": state-changing actions are disabled"
		return false
	case ctx.Conn.Client == nil:
		f.problem = "no API client: configure a token first"
		return false
	}
	return true
}

// submit moves from the reason to the confirmation, or checks both and
// sends. Anything short of a reason and the matching email sends
// nothing and says why.
func (d *resetDialog) submit(ctx *pane.Context) tea.Cmd {
	if !d.ready(ctx, d.email) {
		return nil
	}
	switch {
	case d.before == nil && d.beforeErr == nil:
		d.problem = "still reading the user's current state; press Enter again once it shows"
		return nil
	case d.before == nil:
		d.problem = "the user's current state could not be read, and a reset is reviewed against it: close the review (Esc) and press R to read it again"
		return nil
	}
	if d.rs.Sent() {
		return nil
	}
	d.problem, d.state = "", views.ReviewSending
	rs := d.rs
	req := actions.ResetRequest{
		Email:     d.email,
		UserID:    d.user.ID,
		Name:      d.user.Name,
		Reason:    d.reason,
		Before:    *d.before,
		AccountID: ctx.Conn.AccountID,
	}
	if d.blast != nil {
		// The integrations that were active go on record.
		req.Integrations = d.blast.Audit()
	}
	return sendWrite(ctx, func(bg context.Context, w actions.Writer, op store.Operator) tea.Msg {
		req.Operator = op
		return resetDoneMsg{rs.Reset(bg, w, req)}
	})
}

// finish shows the result and, when the user was re-read, puts the new
// risk score on the User pane.
func (d *resetDialog) finish(ctx *pane.Context, res actions.ResetResult) tea.Cmd {
	d.state = views.ReviewDone
	rr := &views.ReviewResult{
		Outcome:    string(res.Outcome),
		After:      res.After,
		Warning:    res.Warning,
		Finding:    res.Finding,
		AttemptID:  res.AttemptID,
		Err:        errText(res.Err),
		AuditErr:   errText(res.AuditErr),
		HTTPStatus: writeStatus(res.Exchange, res.Err),
	}
	d.result = rr
	var cmds []tea.Cmd
	if res.After != nil {
		cmds = append(cmds, pane.Emit(pane.ToMsg{ID: d.opener, Msg: riskAfterMsg{userID: d.user.ID, risk: *res.After}}))
	}
	var status string
	switch res.Outcome {
	case actions.OutcomeSuccess:
		status = "risk reset: done for " + views.Sanitize(d.email)
	case actions.OutcomeFailure:
		status = "risk reset failed for " + views.Sanitize(d.email) + " (not retried)"
	case actions.OutcomeUnknown:
		status = "risk reset outcome UNKNOWN for " + views.Sanitize(d.email)
	default:
		status = "risk reset not sent"
	}
	return tea.Batch(append(cmds, pane.Status(status))...)
}

func (d *resetDialog) review(ctx *pane.Context) views.Review {
	r := views.Review{
		Name:        d.user.Name,
		Email:       d.email,
		UserID:      d.user.ID,
		Before:      d.before,
		Recent:      d.recent,
		AccountName: ctx.Conn.AccountName,
		AccountID:   ctx.Conn.AccountID,
		Reason:      d.reason,
		Confirm:     d.confirm,
		Field:       d.field,
		Problem:     d.problem,
		State:       d.state,
		Result:      d.result,
	}
	switch {
	case d.beforeErr != nil:
		r.BeforeNote = "the current state could not be read: " + partErrText(d.beforeErr)
	case d.before == nil:
		r.BeforeNote = "reading the user's current state…"
	}
	if d.blast == nil {
		r.BlastNote = "reading the risk behaviors and integrations…"
	} else {
		r.Blast = d.blast.Lines()
	}
	return r
}

func (d *resetDialog) View(ctx *pane.Context) string {
	r := d.review(ctx)
	return reviewView(ctx, func(w int) int { return views.ReviewHeight(r, w) },
		func(w, h int, th views.Theme) string { return views.RenderReview(r, w, h, th) })
}

// resetKeys are the review's own keys: its text fields take letters,
// so the console's single-letter keys do not apply.
var resetKeys = struct{ Send, Next, Delete, Clear, Cancel, Close Binding }{
	Send:   bind("send reset", "enter"),
	Next:   bind("next field", "tab", "shift+tab", "up", "down"),
	Delete: bind("delete a letter", "backspace"),
	Clear:  bind("clear field", "ctrl+u"),
	Cancel: bind("cancel", "esc"),
	Close:  bind("close", "enter", "esc", "q"),
}

func (d *resetDialog) Bindings(ctx *pane.Context) []Binding {
	return d.bindings(resetKeys.Send)
}
