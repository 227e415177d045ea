package views

import (
	"strconv"
	"strings"
	"time"

	"cftriage/cloudflare"

	"github.com/charmbracelet/x/ansi"
)

// RevokeReview is everything the session-revoke review shows. API strings
// are sanitized here, as are the typed fields.
type RevokeReview struct {
	Name, Email, UserID    string
	AccountName, AccountID string
	LastSeen               *cloudflare.LastSeenIdentity
	LastSeenNote           string // loading, or why it could not be read
	Sessions               []cloudflare.ActiveSession
	SessionsNote           string // loading, or why they could not be read ("" once read)
	Devices                bool
	Explain                string // what a revoke does and does not do

	Reason, Confirm string
	Field           int
	Problem         string
	State           ReviewState
	Result          *RevokeOutcome
}

// RevokeOutcome is what the revoke came to.
type RevokeOutcome struct {
	Outcome     string // success, failure, unknown or not_sent
	HTTPStatus  int
	Err         string
	After       []cloudflare.ActiveSession
	Reread      bool // After holds the re-read
	BeforeKnown bool
	Before      int
	Warning     string
	Finding     string
	AuditErr    string
	AttemptID   string
}

// RevokeReviewHeight is the height the review needs at width.
func RevokeReviewHeight(r RevokeReview, width int) int {
	return len(revokeLines(r, max(width-4, 1), PlainTheme())) + 2
}

// RenderRevokeReview draws the revoke review into exactly width×height.
func RenderRevokeReview(r RevokeReview, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	inner := max(width-4, 1)
	return frame("Revoke Access sessions", squeeze(revokeLines(r, inner, th), max(height-2, 1)), width, height, th)
}

func revokeLines(r RevokeReview, w int, th Theme) []pline {
	var ls []pline
	add := func(p int, ss ...string) {
		for _, s := range ss {
			ls = append(ls, pline{s: s, p: p})
		}
	}
	lw := min(labelW, max(w/4, 1))
	kvp := func(p int, label, value string) { add(p, kv(label, value, lw, w, th)...) }
	head := ""
	if n := Sanitize(r.Name); n != "" {
		head = paint(th.Title, n) + "  "
	}
	add(prioKeep, clip(head+paint(th.Value, Sanitize(r.Email)), w))
	if id := Sanitize(r.UserID); id != "" {
		kvp(prioState, "User ID", paint(th.Value, id))
	}
	kvp(prioKeep, "Account", account(r.AccountName, r.AccountID, th))

	if r.State != ReviewDone {
		switch l := r.LastSeen; {
		case l != nil:
			where := Sanitize(l.IP)
			if where == "" {
				where = "unknown IP"
			}
			if c := Sanitize(l.Geo.Country); c != "" {
				where += " (" + c + ")"
			}
			if idp := Sanitize(l.IdP.Type); idp != "" {
				where += " via " + idp
			}
			when := "—"
			if t := l.IAT.Time(); !t.IsZero() {
				when = stamp(t.Format(time.RFC3339))
			}
			kvp(prioState, "Last seen", paint(th.Value, when+" from "+where))
		default:
			kvp(prioState, "Last seen", paint(th.Muted, Sanitize(orText(r.LastSeenNote, "unknown"))))
		}
		switch {
		case r.SessionsNote != "":
			kvp(prioState, "Sessions", paint(th.Warn, Sanitize(r.SessionsNote)))
		case len(r.Sessions) == 0:
			kvp(prioState, "Sessions", paint(th.Muted, "none active"))
		default:
			kvp(prioState, "Sessions", paint(th.Value, strconv.Itoa(len(r.Sessions))+" active"))
			for _, s := range r.Sessions {
				add(prioList, sessionLine(s, lw, w, th))
			}
		}
		devices := "no (sessions only; ctrl+d to include the devices)"
		if r.Devices {
			devices = "yes: the user's WARP devices are revoked too (ctrl+d to leave them)"
		}
		kvp(prioState, "Devices", paint(th.Value, devices))
	}

	f := reviewForm{
		email: r.Email, reason: r.Reason, confirm: r.Confirm, problem: r.Problem, field: r.Field, state: r.State,
		explain: Sanitize(r.Explain),
		sending: "Revoking the sessions… (sent once; never retried)",
	}
	return append(ls, formLines(f, lw, w, th, func() []pline { return revokeResultLines(r, lw, w, th) })...)
}

func revokeResultLines(r RevokeReview, lw, w int, th Theme) []pline {
	res := r.Result
	if res == nil {
		return noResult(th)
	}
	var mid plines
	if res.Outcome == "success" || res.Outcome == "unknown" {
		before := "unknown"
		if res.BeforeKnown {
			before = strconv.Itoa(res.Before)
		}
		if res.Reread {
			mid.add(prioKeep, fit(paint(th.Label, "Sessions"), lw)+paint(th.Removed, before)+paint(th.Muted, " → ")+paint(th.Added, strconv.Itoa(len(res.After))))
			for _, s := range res.After {
				mid.add(prioList, sessionLine(s, lw, w, th))
			}
		} else {
			mid.add(prioKeep, paint(th.Muted, "The sessions could not be re-read; the state after is unknown."))
		}
		mid.para(prioKeep, "The user can sign in again unless the identity provider blocks them.", w, func(s string) string { return paint(th.Value, s) })
	}
	o := writeOutcome{
		outcome: res.Outcome, httpStatus: res.HTTPStatus, err: res.Err, warning: res.Warning,
		finding: res.Finding, auditErr: res.AuditErr, attemptID: res.AttemptID,
	}
	words := outcomeWords{done: "✓ Sessions revoked", failed: "✗ Revoke failed", unknown: "revoked the sessions"}
	return outcomeLines(o, words, mid, w, th)
}

// sessionLine is one active session: its applications and expiry.
func sessionLine(s cloudflare.ActiveSession, lw, w int, th Theme) string {
	var apps []string
	for _, a := range s.AppList() {
		n := Sanitize(a.Name)
		if h := Sanitize(a.Hostname); h != "" {
			n += " (" + h + ")"
		}
		apps = append(apps, n)
	}
	name := strings.Join(apps, ", ")
	if name == "" {
		name = Sanitize(s.Name)
	}
	right := ""
	if e := s.ExpiresAt(); !e.IsZero() {
		right = "  " + paint(th.Muted, "until "+stamp(e.UTC().Format(time.RFC3339)))
	}
	nameW := w - lw - ansi.StringWidth(right)
	if nameW < 8 {
		return clip(strings.Repeat(" ", lw)+"• "+name, w)
	}
	return strings.Repeat(" ", lw) + fit("• "+orText(name, "session"), nameW) + right
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}
