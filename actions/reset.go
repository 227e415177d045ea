package actions

import (
	"context"
	"fmt"
	"strings"

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

// ResetRequest is one reviewed reset. Before is the risk score the
// analyst reviewed (read fresh: ReviewRead); Operator comes from
// OperatorFor.
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
	WriteResult
	Before cloudflare.RiskScore
	After  *cloudflare.RiskScore
}

// Reset runs the audited reset flow once with a fresh Resetter.
func Reset(ctx context.Context, w Writer, r ResetRequest) ResetResult {
	return new(Resetter).Reset(ctx, w, r)
}

// Reset is the reviewed-write flow (Once.run) for a risk reset: it
// refuses in read-only mode, validates r, writes the intent, sends the
// reset exactly once, re-reads the user's risk score, and writes the
// outcome. A 2xx whose body cannot be read is an unknown outcome (the
// reset was received and probably applied): the user is re-read to find
// out, and the result says what that showed.
func (o *Once) Reset(ctx context.Context, w Writer, r ResetRequest) ResetResult {
	res := ResetResult{Before: r.Before}
	wr := o.run(ctx, w, reviewedWrite{
		what: "reset the risk score", noun: "reset", answer: "risk reset",
		check: func(*cloudflare.Client, *store.Audit) error { return validateReset(&r) },
		record: func() store.AuditRecord {
			return store.AuditRecord{
				AccountID:    r.AccountID,
				Operator:     r.Operator,
				Action:       store.ActionRiskReset,
				TargetUserID: r.UserID,
				TargetEmail:  r.Email,
				Reason:       r.Reason,
				Before:       userState(r.Before),
				Integrations: r.Integrations,
			}
		},
		send: func(ctx context.Context, c *cloudflare.Client) (*cloudflare.Exchange, error) {
			return c.ResetRisk(ctx, r.UserID)
		},
		after: func(ctx context.Context, c *cloudflare.Client, o Outcome, rec *store.AuditRecord) (string, string) {
			after, _, err := c.RiskScore(ctx, r.UserID)
			if err != nil {
				if o == OutcomeSuccess {
					return "the reset succeeded, but re-reading the user failed: " + err.Error(), ""
				}
				return "", "re-reading the user to find out also failed (" + err.Error() + "); check the user before trying again"
			}
			res.After, rec.After = &after, userState(after)
			moved := !sameReset(r.Before.LastResetTime, after.LastResetTime)
			switch {
			case o == OutcomeSuccess && !moved:
				return fmt.Sprintf("the reset succeeded, but last_reset_time did not move (still %s); Cloudflare may not have applied it yet", showTime(after.LastResetTime)), ""
			case o == OutcomeSuccess:
				return "", ""
			case moved:
				return "", fmt.Sprintf("re-read the user: last_reset_time moved from %s to %s, so the reset appears to have been applied", showTime(r.Before.LastResetTime), showTime(after.LastResetTime))
			}
			return "", fmt.Sprintf("re-read the user: last_reset_time is still %s, so the reset does not appear to have been applied (yet)", showTime(after.LastResetTime))
		},
	})
	res.WriteResult = wr
	return res
}

func validateReset(r *ResetRequest) error {
	return checkTarget(&r.Reason, &r.UserID, "the user id is required")
}

// checkTarget is what every reviewed write checks of its reason and user
// id (trimmed in place): both given (idMsg says why the id is needed), and
// the reason's length (never cut in the record).
func checkTarget(reason, userID *string, idMsg string) error {
	*reason = strings.TrimSpace(*reason)
	*userID = strings.TrimSpace(*userID)
	if *reason == "" {
		return &indicator.InputError{Field: "reason", Msg: "a reason is required (free text or a ticket id)"}
	}
	if *userID == "" {
		return &indicator.InputError{Field: "user id", Msg: idMsg}
	}
	return CheckReason(*reason)
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
