package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"cftriage/actions"
	"cftriage/cloudflare"
)

// revokeJSON is revoke's --json output, the shape of reset's.
type revokeJSON = resetJSON

// runRevoke is the headless session revoke: the same reviewed flow as the
// console's (actions.Revoke), its review on stderr.
func runRevoke(ctx context.Context, e *env) error {
	// The flow refuses in read-only mode whatever the frontend does;
	// startWrite asks first, so nothing is looked up or confirmed for it.
	email, reason, sess, w, err := e.startWrite(ctx, "revoke <email> --reason <text> [--devices] [--yes] [--user-id ID]", "revoke the user's sessions", "revoke")
	if err != nil {
		return err
	}
	defer sess.close()
	// What the analyst reviews comes fresh from the API, never the cache.
	res, err := e.lookupUser(cloudflare.WithFresh(ctx), sess.Client, email)
	if err != nil {
		return err
	}
	id := res.User.ID
	lastSeen, lastSeenErr := actions.ReviewLastSeen(ctx, sess.Client, id)
	sessions, sessionsErr := actions.ReviewSessions(ctx, sess.Client, id)

	// The review, with --yes too: what is about to happen is on record
	// in the job's log.
	what := "Revoke the Access sessions"
	if e.o.devices {
		what += " and devices"
	}
	fmt.Fprintf(e.stderr, "%s of %s <%s> (id %s) in account %s.\n", what, orNone(clean(res.User.Name)), email, clean(id), sess.accountLabel())
	printRevokeIdentity(e.stderr, lastSeen, lastSeenErr)
	printSessions(e.stderr, "active sessions", sessions, sessionsErr)
	fmt.Fprintln(e.stderr, actions.RevokeNote)
	if e.o.devices {
		fmt.Fprintln(e.stderr, actions.RevokeDevicesNote)
	}
	if err := e.confirmEmail(email); err != nil {
		return err
	}
	r := actions.Revoke(ctx, w, actions.RevokeRequest{
		Email:       email,
		UserID:      id,
		Name:        res.User.Name,
		Reason:      reason,
		Devices:     e.o.devices,
		Before:      sessions,
		BeforeKnown: sessionsErr == nil,
		AccountID:   sess.AccountID,
		Operator:    sess.Operator(ctx),
	})
	if err := e.writeResultJSON(r.WriteResult, true); err != nil {
		return err
	}
	if !e.g.json {
		printRevokeResult(e, r, sessionsErr == nil)
	}
	// Its --json output has the exchange already.
	return e.finishWrite("revoke", r.WriteResult, nil)
}

// printRevokeIdentity is the review's identity line: when, from where and
// through which identity provider the user last signed in.
func printRevokeIdentity(w io.Writer, l cloudflare.LastSeenIdentity, err error) {
	if err != nil {
		label(w, "last seen", unavailable(err))
		return
	}
	where := orNone(clean(l.IP))
	if l.Geo.Country != "" {
		where += " (" + clean(l.Geo.Country) + ")"
	}
	if l.IdP.Type != "" {
		where += " via " + clean(l.IdP.Type)
	}
	label(w, "last seen", stampUnix(l.IAT.Time())+" from "+where)
}

// printSessions lists active sessions: their applications and expiry.
func printSessions(w io.Writer, name string, ss []cloudflare.ActiveSession, err error) {
	switch {
	case err != nil:
		label(w, name, unavailable(err))
		return
	case len(ss) == 0:
		label(w, name, "none")
		return
	}
	label(w, name, strconv.Itoa(len(ss)))
	for _, s := range ss {
		var apps []string
		for _, a := range s.AppList() {
			n := orNone(clean(a.Name))
			if a.Hostname != "" {
				n += " (" + clean(a.Hostname) + ")"
			}
			apps = append(apps, n)
		}
		if len(apps) == 0 && s.Name != "" {
			apps = append(apps, clean(s.Name))
		}
		fmt.Fprintf(w, "    %s  until %s\n", orNone(strings.Join(apps, ", ")), stampUnix(s.ExpiresAt()))
	}
}

func printRevokeResult(e *env, r actions.RevokeResult, beforeKnown bool) {
	w := e.stdout
	switch r.Outcome {
	case actions.OutcomeSuccess:
		fmt.Fprintf(w, "revoke: success (HTTP %d)\n", statusOf(r.Exchange))
	case actions.OutcomeFailure:
		fmt.Fprintf(w, "revoke: FAILED (HTTP %d)\n", statusOf(r.Exchange))
		return
	case actions.OutcomeUnknown:
		fmt.Fprintln(w, "revoke: outcome UNKNOWN")
	default:
		return
	}
	before := "unknown"
	if beforeKnown {
		before = strconv.Itoa(len(r.Before))
	}
	if r.After == nil {
		fmt.Fprintf(w, "  active sessions: %s before; could not re-read them\n", before)
	} else {
		fmt.Fprintf(w, "  active sessions: %s → %d\n", before, len(r.After))
		if len(r.After) > 0 {
			printSessions(w, "still active", r.After, nil)
		}
	}
	fmt.Fprintln(w, "  the user can sign in again unless the identity provider blocks them")
}
