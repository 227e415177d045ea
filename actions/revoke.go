package actions

import (
	"context"
	"fmt"

	"cftriage/cloudflare"
	"cftriage/store"
)

// RevokeNote is what a revoke does and does not do, said on every review
// (console and headless).
const RevokeNote = "Revoking ends the user's Access sessions in every application now: each must sign in again. " +
	"It does not lock the user out: the user can sign in again unless the identity provider blocks them. " +
	"The API token needs Access: Organizations, Identity Providers, and Groups Write (or Access: Organizations Revoke). " +
	"The attempt is recorded in the audit log."

// RevokeDevicesNote is added when the devices are revoked too.
const RevokeDevicesNote = "With devices: the user's WARP device registrations are revoked as well; each device must enroll again."

// RevokeRequest is one reviewed revoke of a user's Access sessions.
// Before are the active sessions the analyst reviewed (read fresh:
// LoadReviewSessions); BeforeKnown is false when they could not be read
// (the revoke can still go ahead). Operator comes from OperatorFor.
type RevokeRequest struct {
	Email       string
	UserID      string
	Name        string
	Reason      string
	Devices     bool
	Before      []cloudflare.ActiveSession
	BeforeKnown bool
	AccountID   string
	Operator    store.Operator
}

// RevokeResult is what happened. Revoked is Cloudflare's result (nil
// without an answer); false means it answered but revoked nothing, which
// is a failure. After are the active sessions re-read after a success or
// an unknown outcome (nil when not re-read); Warning is set after a
// success whose re-read failed or still lists sessions; Finding says what
// the re-read showed after an unknown outcome.
type RevokeResult struct {
	WriteResult
	Revoked *bool
	Before  []cloudflare.ActiveSession
	After   []cloudflare.ActiveSession
}

// Revoke runs the audited revoke flow once with a fresh Revoker.
func Revoke(ctx context.Context, w Writer, r RevokeRequest) RevokeResult {
	return new(Revoker).Revoke(ctx, w, r)
}

// Revoke is the reviewed-write flow (Once.run) for a session revoke:
// refused in read-only mode, validated, the intent audited (action
// revoke_sessions: reason, target email and user id, devices, sessions
// before), sent exactly once (never retried), the active sessions re-read
// after a success or an unknown outcome, and the outcome audited (result,
// sessions after) whatever happens.
func (o *Once) Revoke(ctx context.Context, w Writer, r RevokeRequest) RevokeResult {
	res := RevokeResult{Before: r.Before}
	var revoked bool
	wr := o.run(ctx, w, reviewedWrite{
		what: "revoke the user's sessions", noun: "revoke", answer: "session revoke",
		check: func(c *cloudflare.Client, _ *store.Audit) error { return validateRevoke(c, &r) },
		record: func() store.AuditRecord {
			rv := &store.AuditRevoke{Devices: r.Devices}
			if r.BeforeKnown {
				n := len(r.Before)
				rv.SessionsBefore = &n
			}
			return store.AuditRecord{
				AccountID:    r.AccountID,
				Operator:     r.Operator,
				Action:       store.ActionRevokeSessions,
				TargetUserID: r.UserID,
				TargetEmail:  r.Email,
				Reason:       r.Reason,
				Revoke:       rv,
			}
		},
		send: func(ctx context.Context, c *cloudflare.Client) (*cloudflare.Exchange, error) {
			ok, ex, err := c.RevokeUser(ctx, cloudflare.RevokeRequest{Email: r.Email, Devices: r.Devices, UserUID: r.UserID})
			if err == nil {
				revoked = ok
				res.Revoked = &revoked
			}
			return ex, err
		},
		answered: func(rec *store.AuditRecord) error {
			rv := *rec.Revoke
			rv.Revoked, rec.Revoke = res.Revoked, &rv
			if revoked {
				return nil
			}
			return fmt.Errorf("Cloudflare answered that nothing was revoked (result false): no Access user with the email %s and id %s was found", r.Email, r.UserID)
		},
		after: func(ctx context.Context, c *cloudflare.Client, o Outcome, rec *store.AuditRecord) (string, string) {
			after, err := LoadSessions(ctx, c, r.UserID)
			if err != nil {
				if o == OutcomeSuccess {
					return "the revoke succeeded, but re-reading the active sessions failed: " + Explain(err), ""
				}
				return "", "re-reading the active sessions to find out also failed (" + Explain(err) + "); check the user before trying again"
			}
			n := len(after)
			rv := *rec.Revoke
			rv.SessionsAfter, rec.Revoke = &n, &rv
			res.After = after
			before := "unknown"
			if r.BeforeKnown {
				before = fmt.Sprint(len(r.Before))
			}
			switch {
			case o == OutcomeSuccess && n > 0:
				return fmt.Sprintf("the revoke succeeded, but the re-read still lists %d active session(s) (before: %s); Cloudflare may not have applied it yet, or the user signed in again", n, before), ""
			case o == OutcomeSuccess:
				return "", ""
			case n == 0 && r.BeforeKnown && len(r.Before) > 0:
				return "", fmt.Sprintf("re-read the sessions: %d before, none now, so the revoke appears to have been applied", len(r.Before))
			case n == 0:
				return "", "re-read the sessions: none active now (before: " + before + "), so the re-read cannot tell whether the revoke was applied"
			}
			return "", fmt.Sprintf("re-read the sessions: %d still active (before: %s), so the revoke does not appear to have been applied (yet)", n, before)
		},
	})
	res.WriteResult = wr
	return res
}

func validateRevoke(c *cloudflare.Client, r *RevokeRequest) error {
	if err := checkTarget(&r.Reason, &r.UserID, "the user id is required (the sessions are re-read by it)"); err != nil {
		return err
	}
	// The client's own checks (the email, the id, the account), before
	// the intent record: an invalid revoke is never audited.
	email, err := c.CheckRevoke(cloudflare.RevokeRequest{Email: r.Email, Devices: r.Devices, UserUID: r.UserID})
	if err != nil {
		return err
	}
	r.Email = email
	return nil
}

// ReviewSessions reads a user's active sessions fresh from the API (never
// the cache), soonest to expire first: what a revoke review shows.
func ReviewSessions(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.ActiveSession, error) {
	return LoadSessions(cloudflare.WithFresh(ctx), c, userID)
}

// ReviewLastSeen reads a user's last seen identity fresh, for the review.
func ReviewLastSeen(ctx context.Context, c *cloudflare.Client, userID string) (cloudflare.LastSeenIdentity, error) {
	return LoadLastSeen(cloudflare.WithFresh(ctx), c, userID)
}
