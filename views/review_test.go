package views

import (
	"strconv"
	"strings"
	"testing"

	"cftriage/cloudflare"
)

func reviewFixture() Review {
	reset := "2026-04-01T10:00:00Z"
	evs := userEvents(12)
	return Review{
		Name: "Alice Example", Email: "alice@example.com", UserID: "0b9c8d7e-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
		Before:      &cloudflare.RiskScore{RiskLevel: "high", LastResetTime: &reset, Events: evs},
		Recent:      evs[:4],
		AccountName: "Acme SOC", AccountID: "023e105f4ecef8ad9ca31a8372d0c353",
	}
}

// reviewStates are the review at each step, for size and hostile checks.
func reviewStates(r Review) map[string]Review {
	out := map[string]Review{}
	e := r
	e.Reason, e.Confirm, e.Field = "INC-2041 travel confirmed", "alice@exa", FieldConfirm
	out["editing"] = e
	p := e
	p.Problem = "the email typed does not match alice@example.com"
	out["problem"] = p
	s := e
	s.State = ReviewSending
	out["sending"] = s
	after := "2026-05-20T12:00:00Z"
	ok := e
	ok.State = ReviewDone
	ok.Result = &ReviewResult{Outcome: "success", HTTPStatus: 200, After: &cloudflare.RiskScore{LastResetTime: &after},
		Warning: "the reset succeeded, but last_reset_time did not move", AttemptID: "57f4bcf9a98733aedb504ed3d19e5b54"}
	out["success"] = ok
	f := e
	f.State = ReviewDone
	f.Result = &ReviewResult{Outcome: "failure", HTTPStatus: 403, Err: "The token lacks the Zero Trust Write permission.", AuditErr: "could not write the outcome"}
	out["failure"] = f
	u := e
	u.State = ReviewDone
	u.Result = &ReviewResult{Outcome: "unknown", Err: "The risk reset timed out after 30s.", Finding: "re-read the user: last_reset_time is still 2026-04-01", After: r.Before}
	out["unknown"] = u
	return out
}

func TestReviewFillsEverySize(t *testing.T) {
	for name, r := range reviewStates(reviewFixture()) {
		s := scene{name: "review-" + name, exact: true, fn: func(w, h int, th Theme) string { return RenderReview(r, w, h, th) }}
		for tn, th := range themes() {
			for _, w := range propWidths {
				for _, h := range propHeights {
					checkSize(t, s.name+"/"+tn, s, s.fn(w, h, th), w, h)
				}
			}
		}
	}
}

func TestReviewShowsWhatAResetDoes(t *testing.T) {
	r := reviewStates(reviewFixture())["editing"]
	out := plain(RenderReview(r, 100, ReviewHeight(r, 100), NewTheme(true, true)))
	for _, want := range []string{
		"Reset risk score", "HIGH", "Alice Example", "alice@example.com", "0b9c8d7e-1a2b-4c3d-8e9f-a0b1c2d3e4f5",
		"Acme SOC (023e105f4ecef8ad9ca31a8372d0c353)", "Risk level  high", "Last reset  2026-04-01 10:00 UTC",
		"Events      12", "most recent:", "Zero Trust Write", "clear this user's risk history",
		"Reason      › INC-2041 travel confirmed", "Confirm     › alice@exa",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("review lacks %q:\n%s", want, out)
		}
	}
	// Four recent events listed, not all twelve.
	if n := strings.Count(out, "• "); n != 4 {
		t.Errorf("%d events listed, want the 4 recent ones", n)
	}
}

func TestReviewKeepsFieldsWhenShort(t *testing.T) {
	r := reviewStates(reviewFixture())["problem"]
	full := ReviewHeight(r, 80)
	// Seven rows hold the border and the five lines never dropped.
	for h := full; h >= 7; h-- {
		out := plain(RenderReview(r, 80, h, PlainTheme()))
		for _, want := range []string{"Reason", "Confirm", "Not sent: the email typed does not match"} {
			if !strings.Contains(out, want) {
				t.Fatalf("height %d: %q was dropped:\n%s", h, want, out)
			}
		}
		if h < full && strings.Contains(out, "…") && !strings.Contains(out, "Not sent") {
			t.Fatalf("height %d: cut instead of dropping optional lines", h)
		}
	}
	// Events go before the explanation, and the explanation goes whole.
	// (2 blanks, 4 events and their heading: 7 lines.)
	out := plain(RenderReview(r, 80, full-7, PlainTheme()))
	if strings.Count(out, "• ") != 0 || strings.Contains(out, "most recent") || !strings.Contains(out, "recorded in the audit log") {
		t.Fatalf("at height %d expected events dropped first, explanation kept:\n%s", full-7, out)
	}
	out = plain(RenderReview(r, 80, full-5, PlainTheme()))
	if strings.Count(out, "• ") != 1 || !strings.Contains(out, "most recent") {
		t.Fatalf("at height %d expected the newest event kept under its heading:\n%s", full-5, out)
	}
	for h := 6; h < full; h++ {
		out := plain(RenderReview(r, 80, h, PlainTheme()))
		if strings.Contains(out, "clear this user's risk history") != strings.Contains(out, "recorded in the audit log") {
			t.Fatalf("height %d: the explanation was cut in half:\n%s", h, out)
		}
	}
}

func TestReviewLongReasonShowsItsEnd(t *testing.T) {
	r := reviewFixture()
	r.Reason = strings.Repeat("a", 200) + "THE-END"
	out := plain(RenderReview(r, 60, 40, PlainTheme()))
	if !strings.Contains(out, "…") || !strings.Contains(out, "THE-END") {
		t.Fatalf("long reason does not show its end:\n%s", out)
	}
}

func TestReviewResults(t *testing.T) {
	st := reviewStates(reviewFixture())
	cases := map[string][]string{
		"success": {"✓ Risk score reset (HTTP 200)", "Risk level  high → none", "Last reset  2026-04-01 10:00 UTC → 2026-05-20 12:00 UTC",
			"Events      12 → 0", "! the reset succeeded, but last_reset_time did not move", "Reason      INC-2041"},
		"failure": {"✗ Reset failed (HTTP 403) — not retried", "The token lacks the Zero Trust Write permission.", "! could not write the outcome"},
		"unknown": {"? Outcome UNKNOWN — not retried", "timed out after 30s", "last_reset_time is still", "Events      12 → 12"},
		"sending": {"Sending the reset… (sent once; never retried)"},
	}
	for name, wants := range cases {
		r := st[name]
		out := plain(RenderReview(r, 110, ReviewHeight(r, 110), NewTheme(true, true)))
		for _, w := range wants {
			if !strings.Contains(out, w) {
				t.Errorf("%s: lacks %q:\n%s", name, w, out)
			}
		}
		if name != "sending" && strings.Contains(out, "› ") {
			t.Errorf("%s: input fields still shown after sending:\n%s", name, out)
		}
	}
	// A failure shows no before → after (nothing was re-read).
	if out := plain(RenderReview(st["failure"], 110, 40, PlainTheme())); strings.Contains(out, "→") {
		t.Errorf("failure shows a before → after:\n%s", out)
	}
}

func TestReviewHostileStrings(t *testing.T) {
	r := reviewFixture()
	r.Name, r.Email, r.UserID = hostileText("name"), hostileText("mail"), hostileText("id")
	r.AccountName, r.AccountID = hostileText("acct"), hostileText("acctid")
	r.Recent = []cloudflare.RiskEvent{{Name: hostileText("ev"), RiskLevel: hostileText("lvl"), Timestamp: hostileText("ts")}}
	lrt := hostileText("reset")
	r.Before = &cloudflare.RiskScore{RiskLevel: hostileText("lvl"), LastResetTime: &lrt, Events: r.Recent}
	for name, s := range reviewStates(r) {
		s.Reason, s.Confirm, s.Problem = hostileText("reason"), hostileText("confirm"), hostileText("problem")
		if s.Result != nil {
			res := *s.Result
			res.Err, res.Warning, res.Finding, res.AuditErr, res.AttemptID = hostileText("err"), hostileText("warn"), hostileText("find"), hostileText("audit"), hostileText("att")
			s.Result = &res
		}
		for tn, th := range themes() {
			for _, sz := range [][2]int{{20, 10}, {80, 24}, {120, 40}, {400, 60}} {
				checkEscapes(t, "review-"+name+"/"+tn, RenderReview(s, sz[0], sz[1], th), tn != "plain", th.NoColor)
			}
		}
	}
}

// TestReviewGolden: the review after a success (the console's goldens,
// ui/testdata/TestResetReviewGolden, show it while editing and with a problem).
func TestReviewGolden(t *testing.T) {
	st := reviewStates(reviewFixture())
	for _, name := range []string{"success"} {
		r := st[name]
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			w, h := sz[0], sz[1]
			bw := min(w-2, 100)
			bh := min(h-2, ReviewHeight(r, bw))
			out := Overlay(block(nil, w, h), RenderReview(r, bw, bh, NewTheme(true, true)), w, h)
			checkGolden(t, "review_"+name+"_"+strconv.Itoa(w)+"x"+strconv.Itoa(h), out, w, h)
		}
	}
}

// A short screen that drops some of the recent events says how many.
func TestReviewCountsTheEventsNotShown(t *testing.T) {
	r := reviewStates(reviewFixture())["editing"]
	r.Recent = r.Before.Events[:5]
	full := ReviewHeight(r, 80)
	seen := map[int]bool{}
	for h := full; h >= 7; h-- {
		out := plain(RenderReview(r, 80, h, PlainTheme()))
		shown := strings.Count(out, "• ")
		seen[shown] = true
		marker := "most recent (+" + strconv.Itoa(5-shown) + " more not shown):"
		switch {
		case shown == 5 && (!strings.Contains(out, "most recent:") || strings.Contains(out, "more not shown")):
			t.Fatalf("height %d: all five shown, yet:\n%s", h, out)
		case shown > 0 && shown < 5 && !strings.Contains(out, marker):
			t.Fatalf("height %d: %d of 5 shown without %q:\n%s", h, shown, marker, out)
		case shown == 0 && strings.Contains(out, "most recent"):
			t.Fatalf("height %d: a heading without events:\n%s", h, out)
		}
	}
	if !seen[5] || !seen[3] || !seen[1] {
		t.Fatalf("the heights tried did not drop events one by one: %v", seen)
	}
}
