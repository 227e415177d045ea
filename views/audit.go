package views

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"cftriage/store"

	"charm.land/lipgloss/v2"
)

// AuditOutcome is an attempt's outcome as shown: success / failure /
// unknown, "no outcome" for a dangling intent, "?" when the record says
// nothing readable.
func AuditOutcome(e store.AuditEntry) string {
	if o := Sanitize(e.OutcomeWord()); o != "" {
		return o
	}
	return "?"
}

// AuditTarget is store.AuditEntry.Target, sanitized: what the attempt
// acted on (the user, or the method and endpoint of an API call).
func AuditTarget(e store.AuditEntry) string { return Sanitize(e.Target()) }

// elideMiddle fits "METHOD /path" into w cells by replacing the start
// of the path with "…": the method says what was done and the path's end
// (the operation, the id) tells rows apart, while its start is mostly
// /accounts/{account_id}. Without a method two fifths of the room go to
// the start.
func elideMiddle(s string, w int) string {
	r := []rune(s)
	if w <= 0 || len(r) <= w {
		return s
	}
	if w < 8 {
		return string(r[:w-1]) + "…"
	}
	head := (w - 1) * 2 / 5
	if sp := strings.IndexByte(s, ' '); sp > 0 && sp+1 <= w-1-8 && utf8.RuneCountInString(s[:sp+1]) == sp+1 {
		head = sp + 1
	}
	tail := w - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

// AuditPane is everything the Audit pane shows.
type AuditPane struct {
	Path    string
	Entries []store.AuditEntry // newest first
	Records int                // records read
	Limit   int                // the most records read; Records == Limit means older ones exist
	Cursor  int
	Offset  int
	Focused bool
	Loading bool
	Err     string

	Verifying bool
	Verify    *store.VerifyReport
	VerifyErr string
}

// AuditColumns are the Audit pane's columns, the Action column wide
// enough for every action name (revoke_sessions).
var AuditColumns = []Column{
	{Title: "Time (UTC)", Width: 16},
	{Title: "Action", Width: len(store.ActionRevokeSessions)},
	{Title: "Target", Min: 20},
	{Title: "Outcome", Width: 10},
	{Title: "HTTP", Width: 4, Right: true},
	{Title: "Operator", Width: 12}, // OS user names are short; the rest goes to the target
	{Title: "Account", Min: 12},    // the first to go on a narrow screen: the detail has it
}

// narrowAction is the Action column's width when the full names would
// push the operator off the screen (below about 84 columns): the names
// that do not fit get their short form (auditShortAction).
const narrowAction = 10

// auditShortAction is the short form of the action names longer than
// narrowAction, readable where a cut name would not be.
var auditShortAction = map[string]string{store.ActionRevokeSessions: "revoke"}

// auditColumns are AuditColumns for a pane width: the Action column is
// narrowed rather than lose the Operator column.
func auditColumns(t Table, width, height int) []Column {
	t.Columns = AuditColumns
	if w := auditWidths(t, width, height); len(w) > 5 && w[5] > 0 {
		return AuditColumns
	}
	cols := append([]Column(nil), AuditColumns...)
	cols[1].Width = narrowAction
	return cols
}

// AuditAction is the action as the list shows it in a column w cells
// wide: the name, or its short form when the name does not fit.
func AuditAction(action string, w int) string {
	if utf8.RuneCountInString(action) > w {
		if short, ok := auditShortAction[action]; ok {
			return short
		}
	}
	return action
}

// AuditRow is the cells of an entry in AuditColumns order.
func AuditRow(e store.AuditEntry) []string {
	r := e.Rec()
	if r == nil {
		return nil
	}
	when := ""
	if t := e.When(); !t.IsZero() {
		when = t.UTC().Format("2006-01-02 15:04")
	}
	status := ""
	if e.Outcome != nil && e.Outcome.HTTPStatus != 0 {
		status = strconv.Itoa(e.Outcome.HTTPStatus)
	}
	return []string{when, r.Action, AuditTarget(e), AuditOutcome(e), status, r.Operator.OSUser, r.AccountID}
}

// OutcomeStyle is the style of an outcome word.
func OutcomeStyle(outcome string, th Theme) lipgloss.Style {
	switch outcome {
	case store.OutcomeSuccess:
		return th.OK
	case store.OutcomeFailure:
		return th.Error
	case store.OutcomeUnknown, "no outcome":
		return th.Warn
	}
	return th.Value
}

// maxVerifyShare bounds the verify report to part of the pane so the
// list stays usable.
const maxVerifyShare = 3

// RenderAudit draws the Audit pane into exactly width×height.
func RenderAudit(p AuditPane, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	n := len(p.Entries)
	info := "newest first"
	switch {
	case p.Loading && n == 0:
		info = "reading…"
	case p.Limit > 0 && p.Records >= p.Limit:
		info = plural(n, "action") + " from the latest " + thousands(p.Records) + " records · newest first"
	default:
		info = plural(n, "action") + " · newest first"
	}
	lines := []string{
		fit(paint(th.Title, "Audit log")+"  "+paint(th.Muted, info), width),
		fit(paint(th.Label, "File ")+paint(th.Value, Sanitize(p.Path)), width),
	}
	ver := verifyLines(p, width, th)
	if most := max(height/maxVerifyShare, 2); len(ver) > most {
		ver = limit(ver, most, th)
	}
	lines = append(lines, ver...)
	if p.Err != "" {
		lines = append(lines, splitLines(ErrorBox("Reading the audit log failed", p.Err, width, th))...)
	}
	lines = append(lines, "")
	if avail := height - len(lines); avail > 0 {
		t := Table{
			Columns: AuditColumns,
			N:       n,
			Style: func(i, col int) lipgloss.Style {
				switch col {
				case 3:
					return OutcomeStyle(AuditOutcome(p.Entries[i]), th)
				case 0, 4, 6:
					return th.Muted
				}
				return th.Value
			},
			Cursor:  p.Cursor,
			Offset:  p.Offset,
			Focused: p.Focused,
			Empty:   "no audited actions yet: a risk reset or an API write is recorded here",
		}
		if p.Loading && n == 0 {
			t.Empty = "reading the audit log…"
		}
		t.Columns = auditColumns(t, width, avail)
		var actionW, targetW int
		if ws := auditWidths(t, width, avail); len(ws) > 2 {
			actionW, targetW = ws[1], ws[2]
		}
		t.Row = func(i int) []string {
			cells := AuditRow(p.Entries[i])
			if len(cells) > 2 {
				cells[1] = AuditAction(cells[1], actionW)
			}
			if r := p.Entries[i].Rec(); r != nil && (r.Method != "" || r.URL != "") && len(cells) > 2 {
				cells[2] = elideMiddle(cells[2], targetW)
			}
			return cells
		}
		lines = append(lines, splitLines(t.Render(width, avail, th))...)
	}
	return block(lines, width, height)
}

// auditWidths are the widths Table.Render gives the columns (it narrows
// them when the rows do not fit and it shows the position), so a long
// path can be elided in its middle, not cut at its end, and a long action
// name shortened.
func auditWidths(t Table, width, height int) []int {
	if t.N > height-1 && t.N > 0 {
		at := t.Cursor
		if at < 0 {
			at = t.Offset
		}
		pos := strconv.Itoa(clamp(at, 0, t.N-1)+1) + "/" + strconv.Itoa(t.N)
		if w := width - len(pos) - 1; w >= gutter+8 {
			return t.layout(w)
		}
	}
	return t.layout(width)
}

func verifyLines(p AuditPane, width int, th Theme) []string {
	para := func(st lipgloss.Style, s string) []string {
		var out []string
		for _, l := range wrap(s, width) {
			out = append(out, paint(st, l))
		}
		return out
	}
	switch {
	case p.Verifying:
		return []string{paint(th.Accent, "Verifying the hash chain…")}
	case p.VerifyErr != "":
		return para(th.Error, "✗ Verify could not read the log: "+Sanitize(p.VerifyErr))
	case p.Verify == nil:
		return []string{paint(th.Muted, "v verifies the hash chain and that every intent has an outcome")}
	}
	rep := p.Verify
	warnings := func(out []string) []string {
		for _, w := range rep.Warnings {
			out = append(out, para(th.Warn, "! "+Sanitize(w.Msg))...)
		}
		return out
	}
	if rep.OK {
		out := para(th.OK, "✓ Verified: "+thousands(rep.Lines)+" records, hash chain intact, every intent has an outcome")
		if !rep.HeadChecked && rep.Lines > 0 {
			out = append(out, para(th.Warn, "! no head file: removal of the last records cannot be detected")...)
		}
		return warnings(out)
	}
	var out []string
	var first *store.Problem
	dangling := 0
	for i := range rep.Problems {
		if rep.Problems[i].Kind == store.ProblemDangling {
			dangling++
			continue
		}
		if first == nil {
			first = &rep.Problems[i]
		}
	}
	others := len(rep.Problems) - dangling
	if first != nil {
		head := "✗ Verify FAILED at line " + strconv.Itoa(first.Line) + " (" + Sanitize(first.Kind) + ")"
		if others > 1 {
			head += ", and " + strconv.Itoa(others-1) + " more problem(s)"
		}
		out = append(out, para(th.Error, head)...)
		out = append(out, para(th.Value, "  "+Sanitize(first.Msg))...)
	}
	if dangling > 0 {
		out = append(out, para(th.Warn, "! "+strconv.Itoa(dangling)+" intent(s) without an outcome: the result is unknown; check the target's current state")...)
		for _, d := range rep.Dangling {
			out = append(out, clip(paint(th.Value, "  "+danglingText(d, rep.Problems)), width))
		}
	}
	if !rep.HeadChecked && rep.Lines > 0 {
		out = append(out, para(th.Warn, "! no head file: removal of the last records cannot be detected")...)
	}
	return warnings(out)
}

// danglingText names a dangling intent with its line.
func danglingText(d store.AuditRecord, probs []store.Problem) string {
	line := ""
	for _, p := range probs {
		if p.Kind == store.ProblemDangling && d.AttemptID != "" && strings.Contains(p.Msg, d.AttemptID) {
			line = "line " + strconv.Itoa(p.Line) + ": "
			break
		}
	}
	what := Sanitize(d.TargetEmail)
	if d.Method != "" || d.URL != "" {
		what = Sanitize(d.Method + " " + store.APIPath(d.URL))
	}
	return line + d.Time.UTC().Format("2006-01-02 15:04:05") + "  " + Sanitize(d.Action) + " " + what + "  attempt " + Sanitize(d.AttemptID)
}

// AuditDetailHeight is the height the detail box needs at width.
func AuditDetailHeight(e store.AuditEntry, width int) int {
	return len(auditDetailLines(e, max(width-4, 1), PlainTheme())) + 2
}

// AuditDetail draws one attempt's full record as a box of exactly
// width×height, scrolled down by offset lines.
func AuditDetail(e store.AuditEntry, offset, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := auditDetailLines(e, max(width-4, 1), th)
	rows := max(height-2, 1)
	offset = clamp(offset, 0, max(0, len(lines)-rows))
	lines = lines[offset:]
	title := "Audit record"
	if r := e.Rec(); r != nil {
		title = Sanitize(r.Action) + " " + AuditTarget(e)
	}
	if offset > 0 || len(lines) > rows {
		title += "  " + strconv.Itoa(offset+1) + "-" + strconv.Itoa(min(offset+rows, offset+len(lines))) + "/" + strconv.Itoa(offset+len(lines))
	}
	return frame(title, lines, width, height, th)
}

func auditDetailLines(e store.AuditEntry, w int, th Theme) []string {
	r := e.Rec()
	if r == nil {
		return []string{paint(th.Muted, "No record.")}
	}
	lw := min(labelW+2, max(w/3, 1))
	var out []string
	kvs := func(label, value string) { out = append(out, kv(label, value, lw, w, th)...) }
	val := func(s string) string { return paint(th.Value, Sanitize(s)) }

	oc := AuditOutcome(e)
	outcome := paint(OutcomeStyle(oc, th), oc)
	if e.Outcome != nil && e.Outcome.HTTPStatus != 0 {
		outcome += paint(th.Muted, " (HTTP "+strconv.Itoa(e.Outcome.HTTPStatus)+")")
	}
	if e.Outcome == nil {
		outcome += paint(th.Muted, " — the intent has no outcome record: the result is unknown")
	}
	kvs("Outcome", outcome)
	kvs("Action", val(r.Action))
	if r.Method != "" || r.URL != "" {
		kvs("Request", val(strings.TrimSpace(r.Method+" "+r.URL)))
	}
	if r.TargetEmail != "" {
		kvs("User", val(r.TargetEmail))
	}
	if r.TargetUserID != "" {
		kvs("User ID", val(r.TargetUserID))
	}
	if r.Reason != "" {
		kvs("Reason", val(r.Reason))
	} else if r.Action == store.ActionRiskReset {
		kvs("Reason", paint(th.Warn, "none recorded"))
	}
	kvs("Account", val(r.AccountID))
	op := val(r.Operator.OSUser)
	if r.Operator.TokenID != "" {
		op += paint(th.Muted, " · token id ") + val(r.Operator.TokenID)
	}
	kvs("Operator", op)
	stampRec := func(x *store.AuditRecord) string {
		return val(x.Time.UTC().Format("2006-01-02 15:04:05.000")+" UTC") + paint(th.Muted, " · seq "+strconv.FormatInt(x.Seq, 10))
	}
	if e.Intent != nil {
		kvs("Intent", stampRec(e.Intent))
	} else {
		kvs("Intent", paint(th.Muted, "not among the records read"))
	}
	if e.Outcome != nil {
		kvs("Outcome at", stampRec(e.Outcome))
	}
	kvs("Attempt", val(r.AttemptID))
	before := r.Before
	if before == nil && e.Intent != nil {
		before = e.Intent.Before
	}
	if before != nil {
		kvs("Before", stateText(before, th))
	}
	if e.Outcome != nil && e.Outcome.After != nil {
		kvs("After", stateText(e.Outcome.After, th))
	}
	out = append(out, revokeDetail(e, lw, w, th)...)
	if e.Outcome != nil {
		for _, ce := range e.Outcome.CFErrors {
			kvs("CF error", paint(th.Error, strconv.Itoa(ce.Code))+" "+val(ce.Message))
		}
		if e.Outcome.ErrorMessage != "" {
			kvs("Error", paint(th.Error, Sanitize(e.Outcome.ErrorMessage)))
		}
	}
	return out
}

// revokeDetail is what a session revoke did, from its intent (devices,
// sessions reviewed) and its outcome (Cloudflare's result, the re-read):
// nil for other actions.
func revokeDetail(e store.AuditEntry, lw, w int, th Theme) []string {
	var in, res *store.AuditRevoke
	if e.Intent != nil {
		in = e.Intent.Revoke
	}
	if e.Outcome != nil {
		res = e.Outcome.Revoke
	}
	if in == nil && res == nil {
		return nil
	}
	var before, after *int
	devices := false
	if in != nil {
		before, devices = in.SessionsBefore, in.Devices
	}
	if res != nil {
		after, devices = res.SessionsAfter, devices || res.Devices
		if before == nil {
			before = res.SessionsBefore
		}
	}
	count := func(n *int) string {
		if n == nil {
			return "?"
		}
		return thousands(*n)
	}
	var out []string
	kvs := func(label, value string) { out = append(out, kv(label, value, lw, w, th)...) }
	sessions := paint(th.Value, count(before))
	switch {
	case e.Outcome == nil:
		sessions += paint(th.Muted, " before · no outcome recorded")
	case after == nil:
		sessions += paint(th.Value, " → ?") + paint(th.Muted, " (not re-read)")
	default:
		sessions += paint(th.Value, " → "+count(after))
	}
	if before == nil {
		sessions += paint(th.Muted, " · the count before was not known")
	}
	kvs("Sessions", sessions)
	if devices {
		kvs("Devices", paint(th.Warn, "revoked too"))
	} else {
		kvs("Devices", paint(th.Value, "not revoked"))
	}
	if e.Outcome != nil {
		switch r := res; {
		case r == nil || r.Revoked == nil:
			kvs("CF result", paint(th.Muted, "no answer"))
		case *r.Revoked:
			kvs("CF result", paint(th.OK, "revoked")+paint(th.Muted, " (result true)"))
		default:
			kvs("CF result", paint(th.Error, "nothing revoked")+paint(th.Muted, " (result false)"))
		}
	}
	return out
}

func stateText(s *store.UserState, th Theme) string {
	last := "never"
	if s.LastReset != "" {
		last = stamp(s.LastReset)
	}
	return paint(LevelStyle(s.RiskLevel, th), "level "+levelWord(s.RiskLevel)) +
		paint(th.Value, " · last reset "+last+" · "+thousands(s.EventCount)+" events")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return thousands(n) + " " + word + "s"
}
