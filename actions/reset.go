package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"cftriage/cloudflare"
	"cftriage/indicator"
	"cftriage/store"
)

// Outcome of an audited write. The first three are the audit log's.
type Outcome string

const (
	OutcomeSuccess Outcome = store.OutcomeSuccess
	OutcomeFailure Outcome = store.OutcomeFailure
	// OutcomeUnknown: a timeout or lost connection; the server may have
	// acted. Never retried automatically.
	OutcomeUnknown Outcome = store.OutcomeUnknown
	// OutcomeNotSent: refused before sending (invalid request, audit
	// intent not written, already sent); nothing reached the API.
	OutcomeNotSent Outcome = "not_sent"
)

// ErrAlreadySent is the Err of a second Reset on the same Resetter.
var ErrAlreadySent = errors.New("this reset was already sent; start a new one to try again")

// ResetRequest is one reviewed reset. Before is the risk score the
// analyst reviewed; Operator comes from OperatorFor.
type ResetRequest struct {
	Email     string
	UserID    string
	Name      string
	Reason    string
	Before    cloudflare.RiskScore
	AccountID string
	Operator  store.Operator
	// Integrations (BlastRadius.Audit) go into the audit records.
	Integrations *store.AuditIntegrations
}

// ResetResult is what happened. After is nil when the user was not
// re-read (nothing sent, or the re-read failed). Warning is set after a
// success whose re-read looks wrong (last_reset_time did not move, or
// the re-read failed): the reset itself succeeded. Finding says what the
// re-read showed after an unknown outcome. AuditErr is set when the
// request was sent but its outcome record could not be written.
type ResetResult struct {
	Outcome   Outcome
	AttemptID string
	Exchange  *cloudflare.Exchange
	Before    cloudflare.RiskScore
	After     *cloudflare.RiskScore
	Warning   string
	Finding   string
	Err       error
	AuditErr  error
}

// Resetter is a one-shot reset: the first Reset that passes validation
// consumes it, and every later call returns OutcomeNotSent with
// ErrAlreadySent without sending. Use one per reviewed attempt (the
// console keeps it on the review screen, so a double Enter sends once).
// The zero value is ready.
type Resetter struct {
	sent atomic.Bool
}

// Sent reports whether this Resetter has been used.
func (r *Resetter) Sent() bool { return r.sent.Load() }

// Reset runs the audited reset flow once with a fresh Resetter.
func Reset(ctx context.Context, w Writer, r ResetRequest) ResetResult {
	return new(Resetter).Reset(ctx, w, r)
}

// Reset refuses in read-only mode, validates r, writes the intent record
// (synced) to the audit log, sends the reset exactly once, re-reads the
// user, and writes the outcome record. If the intent cannot be written
// nothing is sent. A 2xx whose body cannot be read is an unknown outcome
// (the reset was received and probably applied): the user is re-read to
// find out, and the result says what that showed.
func (rs *Resetter) Reset(ctx context.Context, w Writer, r ResetRequest) ResetResult {
	res := ResetResult{Before: r.Before}
	c, audit := w.client, w.audit
	if err := w.CanWrite("reset the risk score"); err != nil {
		res.Outcome, res.Err = OutcomeNotSent, err
		return res
	}
	if err := validateReset(c, audit, &r); err != nil {
		res.Outcome, res.Err = OutcomeNotSent, err
		return res
	}
	if !rs.sent.CompareAndSwap(false, true) {
		res.Outcome, res.Err = OutcomeNotSent, ErrAlreadySent
		return res
	}
	base := store.AuditRecord{
		AccountID:    r.AccountID,
		Operator:     r.Operator,
		Action:       store.ActionRiskReset,
		TargetUserID: r.UserID,
		TargetEmail:  r.Email,
		Reason:       r.Reason,
		Before:       userState(r.Before),
		Integrations: r.Integrations,
	}
	id, err := audit.Intent(base)
	if err != nil {
		res.Outcome = OutcomeNotSent
		res.Err = fmt.Errorf("the reset was not sent: the audit log could not record it: %w", err)
		return res
	}
	res.AttemptID = id

	ex, sendErr := c.ResetRisk(ctx, r.UserID)
	res.Exchange = exchangeOf(ex, sendErr)
	res.Outcome = OutcomeOf(sendErr)
	if ce, ok := unreadable2xx(sendErr); ok {
		sendErr = &UnreadableAnswerError{What: "risk reset", Err: ce}
	}
	res.Err = sendErr

	switch res.Outcome {
	case OutcomeSuccess:
		after, err := reread(ctx, c, r.UserID)
		if err != nil {
			res.Warning = "the reset succeeded, but re-reading the user failed: " + err.Error()
			break
		}
		res.After = &after
		if sameReset(r.Before.LastResetTime, after.LastResetTime) {
			res.Warning = fmt.Sprintf("the reset succeeded, but last_reset_time did not move (still %s); Cloudflare may not have applied it yet", showTime(after.LastResetTime))
		}
	case OutcomeUnknown:
		after, err := reread(ctx, c, r.UserID)
		if err != nil {
			res.Finding = "re-reading the user to find out also failed (" + err.Error() + "); check the user before trying again"
			break
		}
		res.After = &after
		if !sameReset(r.Before.LastResetTime, after.LastResetTime) {
			res.Finding = fmt.Sprintf("re-read the user: last_reset_time moved from %s to %s, so the reset appears to have been applied", showTime(r.Before.LastResetTime), showTime(after.LastResetTime))
		} else {
			res.Finding = fmt.Sprintf("re-read the user: last_reset_time is still %s, so the reset does not appear to have been applied (yet)", showTime(after.LastResetTime))
		}
	}

	out := base
	fillOutcome(&out, res.Outcome, res.Exchange, sendErr)
	if res.After != nil {
		out.After = userState(*res.After)
	}
	if res.Finding != "" {
		out.ErrorMessage = strings.TrimSpace(out.ErrorMessage + "; " + res.Finding)
	}
	if err := audit.Outcome(id, out); err != nil {
		res.AuditErr = fmt.Errorf("the reset was sent, but its outcome could not be written to the audit log (audit verify will show a dangling intent): %w", err)
	}
	return res
}

func validateReset(c *cloudflare.Client, audit *store.Audit, r *ResetRequest) error {
	r.Reason = strings.TrimSpace(r.Reason)
	r.UserID = strings.TrimSpace(r.UserID)
	switch {
	case c == nil:
		return errors.New("no API client")
	case audit == nil:
		return errors.New("no audit log: a reset is never sent unaudited")
	case r.Reason == "":
		return &indicator.InputError{Field: "reason", Msg: "a reason is required (free text or a ticket id)"}
	case r.UserID == "":
		return &indicator.InputError{Field: "user id", Msg: "the user id is required"}
	}
	return CheckReason(r.Reason) // its length: never cut in the record
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

// reread reads the risk score after a send. It does not inherit the
// caller's deadline (a timed-out send has used it up) but keeps its
// values; the client's per-call timeout bounds it.
func reread(ctx context.Context, c *cloudflare.Client, userID string) (cloudflare.RiskScore, error) {
	if errors.Is(ctx.Err(), context.Canceled) {
		return cloudflare.RiskScore{}, errors.New("canceled")
	}
	// Fresh: what the write did must come from the API, never the cache.
	rs, _, err := c.RiskScore(cloudflare.WithFresh(context.WithoutCancel(ctx)), userID)
	return rs, err
}

func userState(r cloudflare.RiskScore) *store.UserState {
	st := &store.UserState{RiskLevel: r.RiskLevel, EventCount: len(r.Events)}
	if r.LastResetTime != nil {
		st.LastReset = *r.LastResetTime
	}
	return st
}

func sameReset(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func showTime(t *string) string {
	if t == nil || *t == "" {
		return "never"
	}
	return *t
}
