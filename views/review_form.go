package views

import "strconv"

// plines collects a dialog's lines with their priorities.
type plines []pline

func (ls *plines) add(p int, ss ...string) {
	for _, s := range ss {
		*ls = append(*ls, pline{s: s, p: p})
	}
}

// para adds text wrapped to w, each line painted by st.
func (ls *plines) para(p int, text string, w int, st func(string) string) {
	for _, l := range wrap(text, w) {
		ls.add(p, st(l))
	}
}

// reviewForm is the foot both write reviews (reset, revoke) share: while
// editing, what the write does, the reason and the confirmation, and why
// the last Enter did not send; while sending, that it is sent once; once
// done, the reason on record and the result.
type reviewForm struct {
	email, reason, confirm, problem string
	field                           int
	state                           ReviewState
	explain                         string // what the write does (sanitized)
	sending                         string // the line while the request is in flight
}

// formLines are the form's lines; result gives the result's, once done.
func formLines(f reviewForm, lw, w int, th Theme, result func() []pline) []pline {
	var ls plines
	switch f.state {
	case ReviewEditing, ReviewSending:
		ls.add(prioBlank, "")
		ls.para(prioExplain, f.explain, w, func(s string) string { return paint(th.Muted, s) })
		ls.add(prioBlank, "")
		editing := f.state == ReviewEditing
		ls.add(prioKeep, field("Reason", f.reason, "required: free text or a ticket id", editing && f.field == FieldReason, lw, w, th))
		ls.add(prioKeep, field("Confirm", f.confirm, "type "+Sanitize(f.email)+" to confirm", editing && f.field == FieldConfirm, lw, w, th))
		if editing && f.problem != "" {
			ls.para(prioKeep, "✗ Not sent: "+Sanitize(f.problem), w, func(s string) string { return paint(th.Error, s) })
		}
		if !editing {
			ls.add(prioKeep, "", paint(th.Accent, f.sending))
		}
	case ReviewDone:
		if reason := Sanitize(f.reason); reason != "" {
			ls.add(prioState, kv("Reason", paint(th.Value, reason), lw, w, th)...)
		}
		ls.add(prioBlank, "")
		ls = append(ls, result()...)
	}
	return ls
}

// writeOutcome is what a reviewed write came to, as both results say it.
type writeOutcome struct {
	outcome    string // success, failure, unknown or not_sent
	httpStatus int
	err        string
	warning    string
	finding    string
	auditErr   string
	attemptID  string
}

// outcomeWords are the write's own words for its outcome.
type outcomeWords struct {
	done    string // "✓ Sessions revoked"
	failed  string // "✗ Revoke failed"
	unknown string // what Cloudflare may or may not have done: "revoked the sessions"
}

// outcomeLines are a result's lines: the outcome, then mid (the write's
// own before → after), then the warnings and the audit attempt.
func outcomeLines(o writeOutcome, words outcomeWords, mid []pline, w int, th Theme) []pline {
	var ls plines
	status := ""
	if o.httpStatus != 0 {
		status = " (HTTP " + strconv.Itoa(o.httpStatus) + ")"
	}
	errP := func(s string) string { return paint(th.Error, s) }
	warnP := func(s string) string { return paint(th.Warn, s) }
	plainP := func(s string) string { return paint(th.Value, s) }
	switch o.outcome {
	case "success":
		ls.para(prioKeep, words.done+status, w, func(s string) string { return paint(th.OK, s) })
	case "failure":
		ls.para(prioKeep, words.failed+status+" — not retried", w, errP)
		ls.para(prioKeep, Sanitize(o.err), w, plainP)
	case "unknown":
		ls.para(prioKeep, "? Outcome UNKNOWN — not retried", w, warnP)
		ls.para(prioKeep, "No answer from Cloudflare: it may or may not have "+words.unknown+".", w, plainP)
		if e := Sanitize(o.err); e != "" {
			ls.para(prioState, e, w, plainP)
		}
		if f := Sanitize(o.finding); f != "" {
			ls.para(prioKeep, f, w, plainP)
		}
	default:
		ls.para(prioKeep, "✗ Not sent: "+Sanitize(o.err), w, errP)
	}
	ls = append(ls, mid...)
	if wn := Sanitize(o.warning); wn != "" {
		ls.para(prioKeep, "! "+wn, w, warnP)
	}
	if ae := Sanitize(o.auditErr); ae != "" {
		ls.para(prioKeep, "! "+ae, w, warnP)
	}
	if id := Sanitize(o.attemptID); id != "" {
		ls.add(prioState, paint(th.Muted, clip("audit attempt "+id, w)))
	}
	return ls
}

// noResult stands in for a result that is not there.
func noResult(th Theme) []pline {
	return []pline{{s: paint(th.Muted, "No result."), p: prioKeep}}
}
