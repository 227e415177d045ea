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
	para := func(p int, text string, st func(string) string) {
		for _, l := range wrap(text, w) {
			add(p, st(l))
		}
	}

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

	switch r.State {
	case ReviewEditing, ReviewSending:
		add(prioBlank, "")
		para(prioExplain, Sanitize(r.Explain), func(s string) string { return paint(th.Muted, s) })
		add(prioBlank, "")
		editing := r.State == ReviewEditing
		add(prioKeep, field("Reason", r.Reason, "required: free text or a ticket id", editing && r.Field == FieldReason, lw, w, th))
		add(prioKeep, field("Confirm", r.Confirm, "type "+Sanitize(r.Email)+" to confirm", editing && r.Field == FieldConfirm, lw, w, th))
		if editing && r.Problem != "" {
			para(prioKeep, "✗ Not sent: "+Sanitize(r.Problem), func(s string) string { return paint(th.Error, s) })
		}
		if !editing {
			add(prioKeep, "", paint(th.Accent, "Revoking the sessions… (sent once; never retried)"))
		}
	case ReviewDone:
		if reason := Sanitize(r.Reason); reason != "" {
			kvp(prioState, "Reason", paint(th.Value, reason))
		}
		add(prioBlank, "")
		ls = append(ls, revokeResultLines(r, lw, w, th)...)
	}
	return ls
}

func revokeResultLines(r RevokeReview, lw, w int, th Theme) []pline {
	var ls []pline
	add := func(p int, ss ...string) {
		for _, s := range ss {
			ls = append(ls, pline{s: s, p: p})
		}
	}
	para := func(p int, text string, st func(string) string) {
		for _, l := range wrap(text, w) {
			add(p, st(l))
		}
	}
	res := r.Result
	if res == nil {
		add(prioKeep, paint(th.Muted, "No result."))
		return ls
	}
	status := ""
	if res.HTTPStatus != 0 {
		status = " (HTTP " + strconv.Itoa(res.HTTPStatus) + ")"
	}
	errP := func(s string) string { return paint(th.Error, s) }
	warnP := func(s string) string { return paint(th.Warn, s) }
	plainP := func(s string) string { return paint(th.Value, s) }
	switch res.Outcome {
	case "success":
		para(prioKeep, "✓ Sessions revoked"+status, func(s string) string { return paint(th.OK, s) })
	case "failure":
		para(prioKeep, "✗ Revoke failed"+status+" — not retried", errP)
		para(prioKeep, Sanitize(res.Err), plainP)
	case "unknown":
		para(prioKeep, "? Outcome UNKNOWN — not retried", warnP)
		para(prioKeep, "No answer from Cloudflare: it may or may not have revoked the sessions.", plainP)
		if e := Sanitize(res.Err); e != "" {
			para(prioState, e, plainP)
		}
		if f := Sanitize(res.Finding); f != "" {
			para(prioKeep, f, plainP)
		}
	default:
		para(prioKeep, "✗ Not sent: "+Sanitize(res.Err), errP)
	}
	if res.Outcome == "success" || res.Outcome == "unknown" {
		before := "unknown"
		if res.BeforeKnown {
			before = strconv.Itoa(res.Before)
		}
		if res.Reread {
			add(prioKeep, fit(paint(th.Label, "Sessions"), lw)+paint(th.Removed, before)+paint(th.Muted, " → ")+paint(th.Added, strconv.Itoa(len(res.After))))
			for _, s := range res.After {
				add(prioList, sessionLine(s, lw, w, th))
			}
		} else {
			add(prioKeep, paint(th.Muted, "The sessions could not be re-read; the state after is unknown."))
		}
		para(prioKeep, "The user can sign in again unless the identity provider blocks them.", plainP)
	}
	if wn := Sanitize(res.Warning); wn != "" {
		para(prioKeep, "! "+wn, warnP)
	}
	if ae := Sanitize(res.AuditErr); ae != "" {
		para(prioKeep, "! "+ae, warnP)
	}
	if id := Sanitize(res.AttemptID); id != "" {
		add(prioState, paint(th.Muted, clip("audit attempt "+id, w)))
	}
	return ls
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
