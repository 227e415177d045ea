package request

import (
	"strings"
	"testing"
	"unicode"

	"cftriage/cloudflare/sim"
	"cftriage/views"
)

// takePath opens the full completion list in the endpoint and takes
// path from it with enter, as an analyst would.
func (h *harness) takePath(path string) {
	h.t.Helper()
	tl := h.tool
	if tl.focus != views.FocusEndpoint {
		tl.setFocus(views.FocusEndpoint)
	}
	if !tl.editing {
		h.keys("enter")
	}
	h.keys("ctrl+e", "ctrl+u", "down")
	for i := 0; i < len(tl.sugg) && tl.sugg[tl.suggIdx].Path != path; i++ {
		h.keys("down")
	}
	if !tl.suggOpen || tl.sugg[tl.suggIdx].Path != path {
		h.t.Fatalf("%s is not in the completion list", path)
	}
	h.keys("enter")
}

// noSpace drops every white space, to compare text that was wrapped.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestRequestPaneOpensWithoutTakingTyping(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.keys("5")
	h.keys("4")
	tl := h.tool
	if h.away != "" || tl.Capturing() {
		t.Fatalf("4 opened the pane typing (%v) or not at all (%q)", tl.Capturing(), h.away)
	}
	// 5 switches to the Audit tab instead of typing into the endpoint.
	h.keys("5")
	if h.away != "audit" {
		t.Fatalf("5 did not switch to the Audit tab (endpoint %q)", tl.endpoint.Value())
	}
	h.keys("4")
	if tl.endpoint.Value() != "" || tl.Capturing() {
		t.Fatalf("endpoint %q, capturing %v", tl.endpoint.Value(), tl.Capturing())
	}
	// Moving onto a text field does not start typing either.
	for i := 0; i < 5; i++ {
		h.keys("tab")
		if tl.Capturing() {
			t.Fatalf("tab onto %v started typing", tl.focus)
		}
	}
	// enter on the endpoint starts typing; every key is then text.
	tl.setFocus(views.FocusEndpoint)
	h.mustSee("enter/e edit path")
	h.keys("enter")
	h.typeText("q1?5")
	if got := tl.endpoint.Value(); got != "q1?5" || h.quit || h.away != "" || len(h.dialogs) != 0 || h.help {
		t.Fatalf("typing: endpoint %q, quit %v, away %q, dialogs %d", got, h.quit, h.away, len(h.dialogs))
	}
	h.mustSee("esc stop typing")
	// esc stops typing; ?, 1–5 and q work again.
	h.keys("esc")
	if tl.Capturing() {
		t.Fatal("esc did not stop typing")
	}
	h.keys("?")
	if !h.help {
		t.Fatal("? did not open help after esc")
	}
	h.keys("esc")
	h.keys("5")
	if h.away != "audit" {
		t.Fatal("5 did not switch tabs after esc")
	}
	h.keys("4")
	if tl.Capturing() {
		t.Fatal("coming back to the tab started typing")
	}
	// e starts typing in the body the same way.
	tl.setFocus(views.FocusBody)
	h.keys("e")
	h.typeText("5")
	if tl.body.Text() != "5" {
		t.Fatalf("body = %q", tl.body.Text())
	}
	h.keys("esc")
	h.keys("q")
	if !h.quit {
		t.Fatal("q did not quit once out of the field")
	}
}

func TestRequestEnterTakesTheSuggestionInsteadOfSending(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.keys("enter")
	h.typeText("reset")
	h.mustSee("POST", "reset a user's risk score")
	if !tl.suggOpen || tl.suggIdx != -1 {
		t.Fatalf("list open %v, highlighted %d", tl.suggOpen, tl.suggIdx)
	}
	h.keys("enter")
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/zt_risk_scoring/{user_id}/reset" || tl.methodName() != "POST" {
		t.Fatalf("enter took %s %q", tl.methodName(), got)
	}
	if h.sim.Total() != 0 || tl.resp != nil || tl.sending || len(h.dialogs) != 0 {
		t.Fatal("enter with the list open sent the half-typed path")
	}
	// With the list closed, enter sends what is typed.
	h.setEndpoint("/accounts")
	h.keys("shift+tab", "h", "tab", "enter") // POST → GET with h, back to the endpoint
	h.keys("enter")
	if tl.methodName() != "GET" || h.sim.Total() != 1 {
		t.Fatalf("method %s, %d requests; want one GET", tl.methodName(), h.sim.Total())
	}
}

func TestRequestTakenPathAddsItsQueryRows(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.takePath("/accounts/{account_id}/intel/ip")
	if got := tl.query.rows; len(got) != 2 || got[0].Key != "ipv4" || got[1].Key != "ipv6" || !got[0].Hint {
		t.Fatalf("query rows = %+v, want empty ipv4 and ipv6", got)
	}
	h.mustSee("ipv4 = (empty: not sent)", "ipv6 = (empty: not sent)")
	// Empty rows are not sent (nor shown in the preview).
	if tl.query.pairs() != nil || strings.Contains(tl.resolved, "?") {
		t.Fatalf("empty rows sent: %v, %s", tl.query.pairs(), tl.resolved)
	}
	// Fill ipv4 through the row editor.
	h.keys("tab") // endpoint → query, cursor on ipv4
	h.keys("enter", "tab")
	h.typeText(sim.IPRiskyC2)
	h.keys("enter")
	if p := tl.query.pairs(); len(p) != 1 || p[0] != [2]string{"ipv4", sim.IPRiskyC2} {
		t.Fatalf("pairs = %v", p)
	}
	// A path that also takes ipv4 keeps its value, drops the empty ipv6
	// and adds its own.
	h.takePath("/accounts/{account_id}/intel/dns")
	var keys []string
	for _, r := range tl.query.rows {
		keys = append(keys, r.Key)
	}
	if strings.Join(keys, ",") != "ipv4,page,per_page" || tl.query.pairs()[0] != [2]string{"ipv4", sim.IPRiskyC2} {
		t.Fatalf("rows after the second path: %v (%v)", keys, tl.query.pairs())
	}
	// One that does not take it drops it, and says so.
	h.takePath("/accounts/{account_id}/intel/whois")
	keys = keys[:0]
	for _, r := range tl.query.rows {
		keys = append(keys, r.Key)
	}
	if strings.Join(keys, ",") != "domain" {
		t.Fatalf("rows after the third path: %v", keys)
	}
	h.mustSee("dropped the query rows it does not take: ipv4=" + sim.IPRiskyC2)
	if h.sim.Total() != 0 {
		t.Fatal("taking paths sent a request")
	}
}

func TestRequestQueryTypedInTheEndpointBecomesRows(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.takePath("/accounts/{account_id}/intel/ip")
	h.keys("ctrl+e")
	h.typeText("?ipv4=" + sim.IPRiskyC2 + "&note=a%20b+c")
	h.keys("esc")
	if tl.suggOpen {
		h.keys("esc") // the first esc closed the list the typing opened
	}
	if got := tl.endpoint.Value(); got != "/accounts/{account_id}/intel/ip" {
		t.Fatalf("endpoint kept its query: %q", got)
	}
	want := [][2]string{{"ipv4", sim.IPRiskyC2}, {"note", "a b c"}}
	got := tl.query.pairs()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("pairs = %v, want %v (the empty ipv4 row filled, not repeated)", got, want)
	}
	if len(tl.query.rows) != 3 { // ipv4, ipv6 (still empty), note
		t.Fatalf("rows = %+v", tl.query.rows)
	}
	h.mustSee("the query went to the Query rows (2)")
	// A query that does not decode stays in the endpoint, refused there.
	h.setEndpoint("/accounts?name=%zz")
	h.keys("tab")
	if tl.endpoint.Value() != "/accounts?name=%zz" {
		t.Fatalf("malformed query moved: %q", tl.endpoint.Value())
	}
	h.mustSee("malformed query string")
	// So does one with a blank name: as a row it would be refused.
	h.setEndpoint("/accounts?+=1")
	h.keys("tab")
	if tl.endpoint.Value() != "/accounts?+=1" || len(tl.query.pairs()) != 2 {
		t.Fatalf("blank-named query moved: %q, rows %v", tl.endpoint.Value(), tl.query.pairs())
	}
	// Sending splits it too, so history holds the rows.
	h.setEndpoint("/accounts?page=2")
	h.keys("ctrl+r")
	if tl.endpoint.Value() != "/accounts" || h.sim.Total() != 1 {
		t.Fatalf("endpoint %q, %d requests", tl.endpoint.Value(), h.sim.Total())
	}
}

func TestRequestConfirmationListsTheHeaders(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint(writePath)
	h.addRow(views.FocusHeaders, "X-Request-Note", "SOC-4411")
	h.addRow(views.FocusHeaders, "X-Second", "two")
	h.editBody()
	h.typeText(`{"reason":"x"}`)
	h.keys("esc")
	h.tool.setFocus(views.FocusMethod)
	h.keys("right", "ctrl+r")
	h.mustSee("Send POST?", "X-Request-Note: SOC-4411", "X-Second: two", `{"reason":"x"}`, "/intel/miscategorization")
	h.keys("esc")
	if h.sim.Total() != 0 {
		t.Fatal("sent without confirmation")
	}
}

func TestRequestRowsStayAlignedWhenEdited(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.addRow(views.FocusHeaders, "k1", "v1")
	h.addRow(views.FocusHeaders, "k2", "v2")
	aligned := func(when string) {
		t.Helper()
		a, b := h.screenLine("v1"), h.screenLine("v2")
		if a == "" || b == "" {
			t.Fatalf("%s: rows not on screen:\n%s", when, h.screen())
		}
		col := func(l, sub string) int { return displayWidth(l[:strings.Index(l, sub)]) }
		ca, cb := col(a, ":"), col(b, ":")
		va, vb := col(a, "v1"), col(b, "v2")
		if ca != cb || va != vb {
			t.Fatalf("%s: rows misaligned:\n%q\n%q", when, a, b)
		}
	}
	aligned("added")
	h.keys("k", "e")
	h.typeText("X")
	aligned("while editing")
	h.keys("enter")
	h.mustSee("k1X: v1")
	aligned("after the edit")
}

func TestRequestEndpointAtRestShowsThePathFromItsStart(t *testing.T) {
	h := newHarness(t, 80, 24)
	long := "/accounts/{account_id}/zt_risk_scoring/00000000-0000-4000-8000-000000000000/" + strings.Repeat("segment/", 6)
	h.setEndpoint(long)
	h.keys("esc")
	line := h.screenLine("GET")
	if !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "GET")), "/accounts/{account_id}/zt_risk") ||
		!strings.HasSuffix(strings.TrimRight(line, " "), "…") {
		t.Fatalf("endpoint at rest: %q", line)
	}
}

func TestRequestRefusalsAndPreviewWrapInsteadOfBeingCut(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.setEndpoint("https://elsewhere.example.net/client/v4/accounts/{account_id}/intel/ip")
	if tl.endErr == "" || len(tl.endErr) < 120 {
		t.Fatalf("refusal too short for the test: %q", tl.endErr)
	}
	if !strings.Contains(noSpace(h.screen()), noSpace(tl.endErr)) {
		t.Fatalf("the refusal is cut:\n%s\nwant all of %q", h.screen(), tl.endErr)
	}
	h.setEndpoint("/accounts/{account_id}/intel/domain/bulk?domain=" + strings.Repeat("example.com&domain=", 5) + "last.example")
	h.keys("esc")
	if tl.resolved == "" || len(tl.resolved) < 150 {
		t.Fatalf("preview too short for the test: %q", tl.resolved)
	}
	if !strings.Contains(noSpace(h.screen()), noSpace("→ "+tl.resolved)) {
		t.Fatalf("the URL preview is cut:\n%s", h.screen())
	}
	// A refusal at send time (the notice) is wrapped too.
	tl.headers.rows = []views.KVRow{{Key: "X-Auth-Key", Value: "k"}}
	h.keys("ctrl+r")
	if tl.notice == "" || !tl.noticeErr || len(tl.notice) < 100 {
		t.Fatalf("notice too short for the test: %q", tl.notice)
	}
	if !strings.Contains(noSpace(h.screen()), noSpace(tl.notice)) {
		t.Fatalf("the refusal notice is cut:\n%s\nwant all of %q", h.screen(), tl.notice)
	}
	if h.sim.Total() != 0 {
		t.Fatal("a refused request was sent")
	}
}

func TestRequestFooterIsOneLineOfLiveKeys(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.setEndpoint("/accounts")
	h.keys("esc")
	for _, f := range []views.RequestFocus{views.FocusMethod, views.FocusEndpoint, views.FocusQuery, views.FocusHeaders, views.FocusBody} {
		tl.setFocus(f)
		sc := h.screen()
		// Only the console's footer lists keys: the pane itself does not.
		if n := strings.Count(sc, "send"); n != 1 {
			t.Fatalf("focus %v: %q %d times:\n%s", f, "send", n, sc)
		}
		if !strings.Contains(h.footerLine(), "ctrl+r send") {
			t.Fatalf("focus %v: the footer lacks send:\n%s", f, sc)
		}
	}
	tl.setFocus(views.FocusMethod)
	h.mustSee("←/→ h/l change method")
	h.keys("l")
	if tl.methodName() != "POST" {
		t.Fatalf("l on the method: %s", tl.methodName())
	}
	h.keys("h")
	if tl.methodName() != "GET" {
		t.Fatalf("h on the method: %s", tl.methodName())
	}
	// Disabled send says why, on the pane (the footer drops disabled keys).
	h.sess.ReadOnly, h.sess.ReadOnlyReason = true, "--read-only"
	h.keys("l")
	h.mustSee("POST disabled: read-only mode: --read-only")
	h.mustNotSee("ctrl+r send")
}

// mustSeeSpaced is mustSee with runs of spaces on screen read as one
// (help lays keys and descriptions out in columns).
func (h *harness) mustSeeSpaced(parts ...string) {
	h.t.Helper()
	sc := strings.Join(strings.Fields(h.screen()), " ")
	for _, p := range parts {
		if !strings.Contains(sc, p) {
			h.t.Fatalf("screen lacks %q:\n%s", p, h.screen())
		}
	}
}

// Help lists the keys that act where the analyst is, each with its own
// keys; no two lines of it say the same.
func TestRequestHelpListsEachBindingWithItsOwnKeys(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.tool.setFocus(views.FocusMethod)
	h.keys("?")
	if !h.help {
		t.Fatal("? did not open help")
	}
	h.mustSeeSpaced("←/→ h/l change method", "enter/ctrl+r send", "shift+tab previous part", "ctrl+o saved & history")
	h.mustNotSee("search body") // the response's keys do not act here
	h.keys("esc")
	h.setEndpoint("/accounts/{account_id}/intel/ip?ipv4=" + sim.IPRiskyC2)
	h.keys("ctrl+r", "?")
	h.mustSeeSpaced("/ ctrl+f search body", "n/N next/previous match", "y copy body", "H headers ⇄ body")
	h.mustNotSee("change method")
	h.keys("esc")
	// Every key a help line names is one its binding acts on, and no two
	// lines say the same, in every mode.
	glyph := map[string]string{"←": "left", "→": "right", "↑": "up", "↓": "down", "pgdn": "pgdown", "del": "delete"}
	everyMode(t, func(mode string, bs []Binding) {
		seen := map[string]bool{}
		for _, b := range bs {
			hp := b.Help()
			if seen[hp.Desc] {
				t.Errorf("%s: %q twice in help", mode, hp.Desc)
			}
			seen[hp.Desc] = true
			for _, chunk := range strings.Fields(hp.Key) {
				names := strings.Split(chunk, "/")
				if chunk == "/" {
					names = []string{"/"}
				}
				for _, n := range names {
					if g, ok := glyph[n]; ok {
						n = g
					}
					found := false
					for _, k := range b.Keys() {
						found = found || k == n
					}
					if !found {
						t.Errorf("%s: help %q names %q, which the binding does not match (%v)", mode, hp.Key, n, b.Keys())
					}
				}
			}
		}
	})
}

// The name being typed into a header or query row stays whole on screen
// as it grows.
func TestRequestRowShowsEveryCharacterWhileTyping(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.tool.setFocus(views.FocusHeaders)
	h.keys("a")
	for i, r := range "X-Foo-Bar" {
		h.typeText(string(r))
		typed := "X-Foo-Bar"[:i+1]
		found := false
		for _, l := range strings.Split(h.screen(), "\n") {
			if strings.Contains(l, "▸") && strings.Contains(l, typed) {
				found = true
			}
		}
		if !found {
			t.Fatalf("after typing %q the row does not show it:\n%s", typed, h.screen())
		}
	}
}
