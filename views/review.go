package views

import (
	"strconv"
	"strings"

	"cftriage/cloudflare"

	"github.com/charmbracelet/x/ansi"
)

// ReviewState is where a risk-reset review is.
type ReviewState int

const (
	// ReviewEditing: the analyst is filling in the reason and the
	// confirmation; nothing has been sent.
	ReviewEditing ReviewState = iota
	// ReviewSending: confirmed; the one request is in flight and the
	// review is locked.
	ReviewSending
	// ReviewDone: the result is known (or known to be unknown).
	ReviewDone
)

// Review fields.
const (
	FieldReason = iota
	FieldConfirm
)

// Review is everything the risk-reset review dialog shows. Strings that
// came from the API (names, ids, events, errors) are sanitized here; the
// typed fields are sanitized too (a paste can carry anything).
type Review struct {
	Name, Email, UserID    string
	Before                 *cloudflare.RiskScore // the state the analyst reviews (read fresh); nil until read
	BeforeNote             string                // why Before is nil: "reading…", or the read's error
	Recent                 []cloudflare.RiskEvent
	AccountName, AccountID string
	// Blast is what the reset touches, one sentence a line (a part that
	// could not be read says so); BlastNote stands in while it loads.
	Blast     []string
	BlastNote string

	Reason, Confirm string
	Field           int    // FieldReason or FieldConfirm (while editing)
	Problem         string // why the last Enter did not send

	State  ReviewState
	Result *ReviewResult // set when State is ReviewDone
}

// ReviewResult is what the reset came to.
type ReviewResult struct {
	Outcome    string // success, failure, unknown or not_sent
	HTTPStatus int
	Err        string // the client's explanation
	After      *cloudflare.RiskScore
	Warning    string // success, but the re-read looks wrong
	Finding    string // what the re-read showed after an unknown outcome
	AuditErr   string
	AttemptID  string
}

// Line priorities for fitting a dialog into a short screen: 0 is never
// dropped; higher numbers go first.
const (
	prioKeep = iota
	prioState
	prioExplain // dropped as a whole
	prioList
	prioBlank
)

// pline is a dialog line and its priority. An item is one of a list
// whose heading (more != nil) says how many of its items were dropped.
type pline struct {
	s    string
	p    int
	item bool
	more func(n int) string // the heading when n > 0 items are dropped
}

// squeeze drops lines, highest priority number first, until at most h
// remain. prioExplain goes as a whole (half a sentence misleads); other
// levels lose lines from the bottom, and a list's heading, which goes
// with its last item, counts the items that went.
func squeeze(ls []pline, h int) []string {
	n := len(ls)
	drop := make([]bool, len(ls))
	for p := prioBlank; p > prioKeep && n > h; p-- {
		if p == prioExplain {
			for i := range ls {
				if ls[i].p == p && !drop[i] {
					drop[i] = true
					n--
				}
			}
			continue
		}
		for i := len(ls) - 1; i >= 0 && n > h; i-- {
			if ls[i].p == p && !drop[i] {
				drop[i] = true
				n--
			}
		}
	}
	items, gone := 0, 0
	for i, l := range ls {
		if l.item {
			items++
			if drop[i] {
				gone++
			}
		}
	}
	out := make([]string, 0, n)
	for i, l := range ls {
		switch {
		case drop[i], l.more != nil && items > 0 && gone == items: // no heading over nothing
		case l.more != nil && gone > 0:
			out = append(out, l.more(gone))
		default:
			out = append(out, l.s)
		}
	}
	return out
}

// frame draws lines in a titled rounded box of exactly width×height.
func frame(title string, lines []string, width, height int, th Theme) string {
	if width < 4 || height < 3 {
		return block(lines, max(width, 0), max(height, 0))
	}
	inner := width - 4
	body := make([]string, height-2)
	for i := range body {
		if i < len(lines) {
			body[i] = fit(lines[i], inner)
		} else {
			body[i] = strings.Repeat(" ", inner)
		}
	}
	if len(lines) > len(body) {
		body[len(body)-1] = fit(paint(th.Muted, ellipsis), inner)
	}
	return box(title, body, width, height, th)
}

// ReviewHeight is the height the review needs at width (border
// included), so the dialog can be as tall as its content.
func ReviewHeight(r Review, width int) int {
	return len(reviewLines(r, max(width-4, 1), PlainTheme())) + 2
}

// RenderReview draws the review dialog into exactly width×height.
func RenderReview(r Review, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	inner := max(width-4, 1)
	lines := squeeze(reviewLines(r, inner, th), max(height-2, 1))
	return frame("Reset risk score", lines, width, height, th)
}

func reviewLines(r Review, w int, th Theme) []pline {
	var ls []pline
	add := func(p int, ss ...string) {
		for _, s := range ss {
			ls = append(ls, pline{s: s, p: p})
		}
	}
	lw := min(labelW, max(w/4, 1))
	kvp := func(p int, label, value string) { add(p, kv(label, value, lw, w, th)...) }

	// Who.
	head := ""
	if r.Before != nil {
		head = RiskBadge(r.Before.RiskLevel, th) + "  "
	}
	if n := Sanitize(r.Name); n != "" {
		head += paint(th.Title, n) + "  "
	}
	head += paint(th.Value, Sanitize(r.Email))
	add(prioKeep, clip(head, w))
	if id := Sanitize(r.UserID); id != "" {
		kvp(prioState, "User ID", paint(th.Value, id))
	}
	kvp(prioKeep, "Account", account(r.AccountName, r.AccountID, th))

	// The state the analyst reviews.
	if r.Before != nil && r.State != ReviewDone {
		kvp(prioState, "Risk level", levelText(r.Before.RiskLevel, th))
		kvp(prioState, "Last reset", lastResetText(r.Before.LastResetTime, th))
		kvp(prioState, "Events", paint(th.Value, thousands(len(r.Before.Events))))
		if len(r.Recent) > 0 {
			// Its own line so that it goes with the last event dropped.
			// When the screen is short it says how many are not shown.
			ind := strings.Repeat(" ", lw)
			ls = append(ls, pline{s: ind + paint(th.Muted, "most recent:"), p: prioList, more: func(n int) string {
				return ind + paint(th.Muted, "most recent (+"+strconv.Itoa(n)+" more not shown):")
			}})
		}
		for _, e := range r.Recent {
			ls = append(ls, pline{s: eventLine(e, lw, w, th), p: prioList, item: true})
		}
	}
	if r.Before == nil && r.State != ReviewDone {
		note := Sanitize(r.BeforeNote)
		if note == "" {
			note = "not read"
		}
		for _, l := range kv("Now", paint(th.Warn, note), lw, w, th) {
			add(prioKeep, l)
		}
	}
	if r.State != ReviewDone && (len(r.Blast) > 0 || r.BlastNote != "") {
		add(prioBlank, "")
		add(prioState, paint(th.Label, "What the reset touches"))
		if r.BlastNote != "" {
			add(prioState, paint(th.Muted, "  "+clip(Sanitize(r.BlastNote), max(w-2, 1))))
		}
		for _, b := range r.Blast {
			for i, l := range wrap(Sanitize(b), max(w-4, 1)) {
				lead := "  • "
				if i > 0 {
					lead = "    "
				}
				add(prioState, lead+paint(th.Value, l))
			}
		}
	}

	f := reviewForm{
		email: r.Email, reason: r.Reason, confirm: r.Confirm, problem: r.Problem, field: r.Field, state: r.State,
		explain: "A reset makes Cloudflare clear this user's risk history: the risk level and every event above. It cannot be undone, and the API token needs the Zero Trust Write permission. The attempt is recorded in the audit log.",
		sending: "Sending the reset… (sent once; never retried)",
	}
	return append(ls, formLines(f, lw, w, th, func() []pline { return resultLines(r, lw, w, th) })...)
}

func resultLines(r Review, lw, w int, th Theme) []pline {
	res := r.Result
	if res == nil {
		return noResult(th)
	}
	var mid plines
	if r.Before != nil && res.After != nil && (res.Outcome == "success" || res.Outcome == "unknown") {
		b, a := r.Before, res.After
		arrow := func(label, before, after string) {
			mid.add(prioKeep, fit(paint(th.Label, label), lw)+paint(th.Removed, before)+paint(th.Muted, " → ")+paint(th.Added, after))
		}
		arrow("Risk level", levelWord(b.RiskLevel), levelWord(a.RiskLevel))
		arrow("Last reset", resetWord(b.LastResetTime), resetWord(a.LastResetTime))
		arrow("Events", thousands(len(b.Events)), thousands(len(a.Events)))
	} else if res.Outcome == "success" {
		mid.add(prioKeep, paint(th.Muted, "The user could not be re-read; the state after is unknown."))
	}
	o := writeOutcome{
		outcome: res.Outcome, httpStatus: res.HTTPStatus, err: res.Err, warning: res.Warning,
		finding: res.Finding, auditErr: res.AuditErr, attemptID: res.AttemptID,
	}
	words := outcomeWords{done: "✓ Risk score reset", failed: "✗ Reset failed", unknown: "applied the reset"}
	return outcomeLines(o, words, mid, w, th)
}

// field is one labelled input line; the focused one has a cursor, and
// long text shows its end (where the cursor is).
func field(label, value, placeholder string, focused bool, lw, w int, th Theme) string {
	lab := paint(th.Label, fit(label, lw))
	avail := w - lw - 2 // "› " prefix
	if avail < 1 {
		return clip(lab, w)
	}
	v := Sanitize(value)
	prefix := paint(th.Muted, "› ")
	if focused {
		prefix = paint(th.Accent, "› ")
	}
	if v == "" {
		cur := ""
		if focused {
			cur = paint(th.Cursor, " ")
			avail--
		}
		return lab + prefix + cur + paint(th.Placeholder, clip(placeholder, max(avail, 0)))
	}
	room := avail
	if focused {
		room-- // the cursor cell
	}
	if vw := ansi.StringWidth(v); vw > room && room > 1 {
		v = ellipsis + ansi.TruncateLeft(v, vw-(room-1), "")
	}
	st := th.Input
	if focused {
		st = th.InputFocused
	}
	out := lab + prefix + paint(st, v)
	if focused {
		out += paint(th.Cursor, " ")
	}
	return out
}

func eventLine(e cloudflare.RiskEvent, lw, w int, th Theme) string {
	lvl := strings.ToLower(Sanitize(e.RiskLevel))
	if lvl == "" {
		lvl = "none"
	}
	right := "  " + paint(LevelStyle(e.RiskLevel, th), fit(lvl, 6)) + " " + paint(th.Muted, stamp(e.Timestamp))
	rw := ansi.StringWidth(right)
	nameW := w - lw - rw
	if nameW < 8 {
		return clip(strings.Repeat(" ", lw)+"• "+Sanitize(e.Name), w)
	}
	return strings.Repeat(" ", lw) + fit("• "+Sanitize(e.Name), nameW) + right
}

func account(name, id string, th Theme) string {
	name, id = Sanitize(name), Sanitize(id)
	switch {
	case name != "" && id != "":
		return paint(th.Value, name) + paint(th.Muted, " ("+id+")")
	case id != "":
		return paint(th.Value, id)
	case name != "":
		return paint(th.Value, name)
	}
	return paint(th.Warn, "unknown")
}

func levelWord(level string) string {
	l := strings.ToLower(strings.TrimSpace(Sanitize(level)))
	if l == "" {
		return "none"
	}
	return l
}

func levelText(level string, th Theme) string {
	return paint(LevelStyle(level, th), levelWord(level))
}

func resetWord(t *string) string {
	if t == nil || strings.TrimSpace(*t) == "" {
		return "never"
	}
	return stamp(*t)
}

func lastResetText(t *string, th Theme) string {
	w := resetWord(t)
	if w == "never" {
		return paint(th.Muted, w)
	}
	return paint(th.Value, w)
}
