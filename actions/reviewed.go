package actions

// The reviewed-write flow every remediation goes through (the risk reset,
// the session revoke): the read-only rule, validation, one send per
// review, the audit intent before and the outcome after whatever happens,
// the outcome classified (a 2xx whose body cannot be read is unknown), and
// a fresh re-read to show what the write did. Each remediation supplies
// only what differs: its record, its request and its re-read.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"cftriage/cloudflare"
	"cftriage/store"
)

// ErrAlreadySent is the Err of a second send through the same Once.
var ErrAlreadySent = errors.New("this write was already sent; start a new review to try again")

// Once is a one-shot reviewed write: the first call that passes the
// read-only rule and validation consumes it, and every later call returns
// OutcomeNotSent with ErrAlreadySent without sending. Use one per reviewed
// attempt (the console keeps it on the review screen, so a double Enter
// sends once). The zero value is ready.
type Once struct {
	sent atomic.Bool
}

// Sent reports whether this Once has been used.
func (o *Once) Sent() bool { return o.sent.Load() }

// Resetter and Revoker are the Once of a reset review and of a revoke
// review: the same guard.
type (
	Resetter = Once
	Revoker  = Once
)

// reviewedWrite is what one remediation gives the shared flow.
type reviewedWrite struct {
	what   string // the refusal's "refusing to <what>": "reset the risk score"
	noun   string // in messages: "reset", "revoke"
	answer string // an unreadable answer's "the <answer>": "risk reset"
	// check validates the request before anything is written or sent.
	check func(c *cloudflare.Client, a *store.Audit) error
	// record is the intent record (action, target, reason, state before);
	// it is called after check, which may normalize the request.
	record func() store.AuditRecord
	// send sends the request once.
	send func(ctx context.Context, c *cloudflare.Client) (*cloudflare.Exchange, error)
	// after re-reads what the write changed, after a success or an
	// unknown outcome (ctx is detached from the send's deadline), and
	// fills the outcome record with it. It returns a warning (a success
	// whose re-read looks wrong) or a finding (what an unknown outcome's
	// re-read showed).
	after func(ctx context.Context, c *cloudflare.Client, o Outcome, rec *store.AuditRecord) (warning, finding string)
	// answered reads the answer of a success into the outcome record, and
	// may turn it into a failure the API said in its result (a revoke
	// that revoked nothing); nil keeps it.
	answered func(rec *store.AuditRecord) error
}

// WriteResult is what the shared flow returns: the part of every reviewed
// write's result (ResetResult, RevokeResult) that is the same.
type WriteResult struct {
	Outcome   Outcome
	AttemptID string
	Exchange  *cloudflare.Exchange
	Warning   string
	Finding   string
	Err       error
	AuditErr  error
}

// run is the reviewed-write flow. In order: refuse in read-only mode,
// validate, take the Once (a second call sends nothing), write the intent
// record (synced; if it cannot be written nothing is sent), send exactly
// once (never retried), classify the outcome, re-read after a success or
// an unknown outcome, and write the outcome record whatever happened.
func (o *Once) run(ctx context.Context, w Writer, f reviewedWrite) WriteResult {
	var res WriteResult
	c, audit := w.client, w.audit
	if err := w.CanWrite(f.what); err != nil {
		res.Outcome, res.Err = OutcomeNotSent, err
		return res
	}
	switch {
	case c == nil:
		res.Outcome, res.Err = OutcomeNotSent, errors.New("no API client")
		return res
	case audit == nil:
		res.Outcome, res.Err = OutcomeNotSent, fmt.Errorf("no audit log: a %s is never sent unaudited", f.noun)
		return res
	}
	if err := f.check(c, audit); err != nil {
		res.Outcome, res.Err = OutcomeNotSent, err
		return res
	}
	if !o.sent.CompareAndSwap(false, true) {
		res.Outcome, res.Err = OutcomeNotSent, ErrAlreadySent
		return res
	}
	base := f.record()
	id, err := audit.Intent(base)
	if err != nil {
		res.Outcome = OutcomeNotSent
		res.Err = fmt.Errorf("the %s was not sent: the audit log could not record it: %w", f.noun, err)
		return res
	}
	res.AttemptID = id

	ex, sendErr := f.send(ctx, c)
	// Sent: whatever the outcome (an unknown one may have applied), the
	// user's state may have changed, so nothing kept about the user from
	// before may be served as current. The fresh re-read below is kept.
	forgetUser(c, base.TargetUserID, base.TargetEmail)
	res.Exchange = exchangeOf(ex, sendErr)
	res.Outcome = OutcomeOf(sendErr)
	if ce, ok := unreadable2xx(sendErr); ok {
		sendErr = &UnreadableAnswerError{What: f.answer, Err: ce}
	}
	out := base
	if res.Outcome == OutcomeSuccess && f.answered != nil {
		if err := f.answered(&out); err != nil {
			res.Outcome, sendErr = OutcomeFailure, err
		}
	}
	res.Err = sendErr

	if res.Outcome == OutcomeSuccess || res.Outcome == OutcomeUnknown {
		res.Warning, res.Finding = f.after(afterCtx(ctx), c, res.Outcome, &out)
	}
	fillOutcome(&out, res.Outcome, res.Exchange, sendErr)
	if res.Finding != "" {
		out.ErrorMessage = strings.TrimSpace(strings.TrimPrefix(out.ErrorMessage+"; "+res.Finding, "; "))
	}
	if err := audit.Outcome(id, out); err != nil {
		res.AuditErr = fmt.Errorf("the %s was sent, but its outcome could not be written to the audit log (audit verify will show a dangling intent): %w", f.noun, err)
	}
	return res
}

// afterCtx is the context of the re-read after a send. It does not
// inherit the caller's deadline (a timed-out send has used it up) but
// keeps its values, and it reads fresh: what the write did must come from
// the API, never the cache. The client's per-call timeout bounds it. A
// caller that canceled keeps its cancel: the re-read fails at once and
// says so.
func afterCtx(ctx context.Context) context.Context {
	if errors.Is(ctx.Err(), context.Canceled) {
		return cloudflare.WithFresh(ctx)
	}
	return cloudflare.WithFresh(context.WithoutCancel(ctx))
}

func exchangeOf(ex *cloudflare.Exchange, err error) *cloudflare.Exchange {
	if ex != nil {
		return ex
	}
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		return ce.Exchange
	}
	return nil
}

// fillOutcome sets the outcome fields of an audit record.
func fillOutcome(rec *store.AuditRecord, o Outcome, ex *cloudflare.Exchange, err error) {
	rec.Outcome = string(o)
	if ex != nil {
		rec.HTTPStatus = ex.StatusCode
	}
	if err == nil {
		return
	}
	rec.ErrorMessage = err.Error()
	var ce *cloudflare.Error
	if errors.As(err, &ce) {
		if rec.HTTPStatus == 0 {
			rec.HTTPStatus = ce.StatusCode
		}
		for _, e := range ce.Errors {
			rec.CFErrors = append(rec.CFErrors, store.CFError{Code: e.Code, Message: e.Message})
		}
	}
}
