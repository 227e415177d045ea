package store

import (
	"net/url"
	"strings"
	"time"
)

// AuditEntry is one audited attempt: its intent and its outcome record.
// Either may be nil: an intent without outcome is dangling (the result
// is unknown), an outcome without intent was cut off by the read limit
// (or the intent line is gone; verify tells).
type AuditEntry struct {
	Intent, Outcome *AuditRecord
}

// Rec is the record that describes the attempt best: the outcome (it
// repeats the intent's fields and adds the result), else the intent.
func (e AuditEntry) Rec() *AuditRecord {
	if e.Outcome != nil {
		return e.Outcome
	}
	return e.Intent
}

// When is the time the attempt started (the intent), else the outcome's.
func (e AuditEntry) When() time.Time {
	if e.Intent != nil {
		return e.Intent.Time
	}
	if e.Outcome != nil {
		return e.Outcome.Time
	}
	return time.Time{}
}

// OutcomeWord is the outcome as recorded (success / failure / unknown),
// or "no outcome" for a dangling intent. It is not sanitized: the file is
// ours but may have been edited.
func (e AuditEntry) OutcomeWord() string {
	if e.Outcome == nil {
		return "no outcome"
	}
	return e.Outcome.Outcome
}

// Target is what the attempt acted on: the user's email (or id), or the
// method and endpoint of an API call (APIPath without its query, the
// record's own account as {account_id}: the full URL is in the record).
// It is not sanitized.
func (e AuditEntry) Target() string {
	r := e.Rec()
	if r == nil {
		return ""
	}
	switch {
	case r.Method != "" || r.URL != "":
		// The endpoint identifies the call; its query (often long) is in
		// the detail view, with the full URL.
		path, _, _ := strings.Cut(APIPath(r.URL), "?")
		return strings.TrimSpace(r.Method + " " + accountPlaceholder(path, r.AccountID))
	case r.TargetEmail != "":
		return r.TargetEmail
	}
	return r.TargetUserID
}

// accountPlaceholder writes the record's own account id in path as
// {account_id}, as the Request pane takes it: the id has its own column
// and would otherwise fill the target's.
func accountPlaceholder(path, accountID string) string {
	if accountID == "" {
		return path
	}
	seg := "/accounts/" + accountID
	if rest, ok := strings.CutPrefix(path, seg); ok && (rest == "" || rest[0] == '/' || rest[0] == '?') {
		return "/accounts/{account_id}" + rest
	}
	return path
}

// apiBasePath is the Cloudflare API's base path; a recorded URL is shown
// relative to it.
const apiBasePath = "/client/v4"

// APIPath is a recorded request URL relative to the API base, as an
// analyst types it: without scheme, host and the /client/v4 prefix, with
// the query ("https://api.cloudflare.com/client/v4/accounts/x/intel/ip?ipv4=1"
// → "/accounts/x/intel/ip?ipv4=1"). A URL that does not parse is
// returned as is. The result is not sanitized.
func APIPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	p := u.EscapedPath()
	if i := strings.Index(p, apiBasePath); i >= 0 {
		if rest := p[i+len(apiBasePath):]; rest == "" || rest[0] == '/' {
			p = rest
		}
	}
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// GroupAudit pairs intents with their outcomes by attempt id, keeping
// the order of recs (newest first, so an attempt sits where its newest
// record is). A record that would overwrite one already paired (a
// duplicate, which verify reports) gets an entry of its own.
func GroupAudit(recs []AuditRecord) []AuditEntry {
	out := make([]AuditEntry, 0, len(recs)/2+1)
	at := make(map[string]int, len(recs)/2+1)
	for i := range recs {
		r := &recs[i]
		j, ok := at[r.AttemptID]
		if ok && r.AttemptID != "" {
			e := &out[j]
			switch {
			case r.Phase == PhaseOutcome && e.Outcome == nil:
				e.Outcome = r
				continue
			case r.Phase != PhaseOutcome && e.Intent == nil:
				e.Intent = r
				continue
			}
		}
		e := AuditEntry{}
		if r.Phase == PhaseOutcome {
			e.Outcome = r
		} else {
			e.Intent = r
		}
		out = append(out, e)
		if !ok && r.AttemptID != "" {
			at[r.AttemptID] = len(out) - 1
		}
	}
	return out
}
