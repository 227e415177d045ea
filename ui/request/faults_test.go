package request

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/ui/pane"
	"cftriage/views"
)

// editorColumn is the screen left of the rule between the editor and
// the response (all of it when they are not side by side).
func (h *harness) editorColumn() string {
	var b strings.Builder
	for _, l := range strings.Split(h.screen(), "\n") {
		l, _, _ = strings.Cut(l, "│")
		b.WriteString(l + "\n")
	}
	return b.String()
}

// Issue 9: one Esc too many left the pane. esc closes one thing at a
// time (typing, the response) and, with nothing left, says so and stays.
func TestRequestEscNeverLeavesThePane(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.editBody()
	h.typeText(`{"a":1}`)
	h.keys("esc") // stops typing
	if h.tool.Capturing() || h.away != "" {
		t.Fatalf("esc: typing %v, away %q", h.tool.Capturing(), h.away)
	}
	for _, k := range []string{"esc", "esc", "backspace"} {
		h.keys(k)
		if h.away != "" {
			t.Fatalf("%s at rest left the pane (%s)", k, h.away)
		}
		h.mustSee("esc has nothing to close here: 1–3 go back to the investigation")
	}
	if h.tool.body.Text() != `{"a":1}` {
		t.Fatalf("the body changed: %q", h.tool.body.Text())
	}
	// From the response: esc returns to the editor, then stays.
	h.setEndpoint("/accounts")
	h.keys("ctrl+r")
	if h.tool.focus != views.FocusResponse {
		t.Fatal("the response did not take the focus")
	}
	h.keys("esc")
	if h.tool.focus == views.FocusResponse || h.away != "" {
		t.Fatalf("esc in the response: focus %v, away %q", h.tool.focus, h.away)
	}
	h.keys("esc")
	if h.away != "" {
		t.Fatal("the second esc left the pane")
	}
	// The footer does not offer esc as "back" here: the pane's own
	// meaning shadows the console's.
	if f := h.footerLine(); strings.Contains(f, "back") {
		t.Fatalf("the footer still offers esc back: %q", f)
	}
	// The way out is a tab key or the search box.
	h.keys("1")
	if h.away == "" {
		t.Fatal("1 did not leave the pane")
	}
}

// Issue 9: Enter right after closing the path list sent the request
// (a POST confirmation opened while the analyst meant to keep editing).
func TestRequestEnterAfterClosingTheListKeepsTyping(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	h.takePath("/accounts/{account_id}/zt_risk_scoring/{user_id}/reset") // POST
	h.keys("ctrl+u")
	h.typeText("/accounts/{account_id}/zt_risk_scoring/")
	if !tl.suggOpen || tl.methodName() != "POST" {
		t.Fatalf("list open %v, method %s:\n%s", tl.suggOpen, tl.methodName(), h.screen())
	}
	h.keys("esc")
	if f := h.footerLine(); !strings.Contains(f, "enter keep typing (enter again sends)") {
		t.Fatalf("the footer does not say what enter does now: %q", f)
	}
	h.keys("enter")
	if len(h.dialogs) != 0 || h.sim.Total() != 0 || tl.sending {
		t.Fatalf("enter right after closing the list sent (dialogs %d, requests %d)", len(h.dialogs), h.sim.Total())
	}
	if !tl.Capturing() || tl.focus != views.FocusEndpoint {
		t.Fatal("enter after closing the list stopped the typing")
	}
	h.mustSee("the list is closed: go on typing, or press enter again to send")
	// A second enter sends (a POST asks first).
	h.keys("enter")
	if len(h.dialogs) != 1 {
		t.Fatalf("the second enter did not send:\n%s", h.screen())
	}
	h.mustSee("Send POST?")
	h.keys("esc")
	// A key typed in between ends the hold: enter then sends at once.
	h.keys("left", "right", "enter")
	if len(h.dialogs) != 1 {
		t.Fatalf("enter did not send once typing went on:\n%s", h.screen())
	}
	h.keys("esc")
	if h.sim.Total() != 0 {
		t.Fatal("a write went without confirmation")
	}
}

// Issue 9: taking a known path kept the previous path's query rows (the
// reset path went out as …/reset?ipv4=203.0.113.66).
func TestRequestTakingAPathDropsTheLastPathsQuery(t *testing.T) {
	h := newHarness(t, 120, 40)
	tl := h.tool
	h.takePath("/accounts/{account_id}/intel/ip")
	h.keys("tab", "enter", "tab")
	h.typeText(sim.IPRiskyC2)
	h.keys("enter")
	h.mustSee("?ipv4=" + sim.IPRiskyC2)
	h.takePath("/accounts/{account_id}/zt_risk_scoring/{user_id}/reset")
	if p := tl.query.pairs(); len(p) != 0 {
		t.Fatalf("the reset path keeps query rows %v", p)
	}
	if !strings.Contains(noSpace(h.editorColumn()), noSpace("dropped the query rows it does not take: ipv4="+sim.IPRiskyC2)) {
		t.Fatalf("the dropped row is not named:\n%s", h.screen())
	}
	h.mustNotSee("ipv4 = ", "Query (")
	// Built, it has no query. (Sent raw, a reset is refused: the
	// reviewed reset is R on the User pane.)
	h.keys("ctrl+e", "ctrl+u")
	h.typeText(resetPath(h))
	h.keys("esc", "esc")
	req, full, err := tl.build(h.ctx())
	if err != nil || len(req.Query) != 0 || strings.Contains(full, "?") {
		t.Fatalf("the reset would go to %s (query %v, %v)", full, req.Query, err)
	}
	h.keys("ctrl+r")
	h.mustSee("as a raw call")
	if h.sim.Count(opReset) != 0 || len(h.dialogs) != 0 {
		t.Fatalf("a raw reset: %d sent, %d dialogs", h.sim.Count(opReset), len(h.dialogs))
	}
}

// Issue 9: a {user_id} placeholder had to be edited by hand. The users
// looked up this session (the console forwards pane.SeenUserMsg) are
// offered for it.
func TestRequestOffersTheUsersLookedUpForUserID(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	// No user looked up yet: the notice says where they come from.
	h.takePath("/accounts/{account_id}/zt_risk_scoring/{user_id}/reset")
	h.mustSee("fill in the {user_id} in the path")
	u := knownUser(h)
	before := h.sim.Total()
	h.send(pane.SeenUserMsg{ID: "00000000-0000-4000-8000-0000000000aa", Email: "older@example.com"})
	h.send(pane.SeenUserMsg{ID: u.ID, Email: u.Email})
	h.send(pane.SeenUserMsg{ID: u.ID, Email: u.Email}) // seen twice, listed once
	if len(tl.users) != 2 {
		t.Fatalf("users = %+v", tl.users)
	}
	h.takePath("/accounts/{account_id}/zt_risk_scoring/{user_id}/reset")
	h.mustSee("{user_id} — a user looked up this session", "▸ "+u.Email, "older@example.com")
	if strings.Index(h.screen(), u.Email) > strings.Index(h.screen(), "older@example.com") {
		t.Fatal("the latest user is not first")
	}
	h.mustSee("↓/↑ choose user", "tab/enter fill in the user")
	h.keys("enter")
	want := "/accounts/{account_id}/zt_risk_scoring/" + u.ID + "/reset"
	if got := tl.endpoint.Value(); got != want {
		t.Fatalf("endpoint %q, want %q", got, want)
	}
	h.mustSee("user "+u.Email+" filled in", u.ID)
	if len(h.dialogs) != 0 || h.sim.Total() != before {
		t.Fatal("filling in the user sent something")
	}
	// Sent raw, the reset is refused before any confirmation.
	h.keys("ctrl+r")
	h.mustSee("as a raw call", "R on the User pane")
	if h.sim.Count(opReset) != 0 || len(h.dialogs) != 0 {
		t.Fatalf("a raw reset: %d sent, %d dialogs", h.sim.Count(opReset), len(h.dialogs))
	}
	// ↓ on a path with the placeholder opens the list again; esc leaves
	// it to be typed.
	h.keys("esc")
	h.tool.setFocus(views.FocusEndpoint)
	h.keys("enter", "ctrl+u")
	h.typeText("/accounts/{account_id}/zt_risk_scoring/{user_id}")
	h.keys("esc") // the completion list
	h.mustSee("↓ users for {user_id}")
	h.keys("down", "down")
	h.mustSee("▸ older@example.com")
	h.keys("esc")
	if tl.fillOpen || !tl.Capturing() || !strings.Contains(tl.endpoint.Value(), "{user_id}") {
		t.Fatalf("esc on the user list: open %v, typing %v, path %q", tl.fillOpen, tl.Capturing(), tl.endpoint.Value())
	}
}

// Issue 9: editing an existing query row hid its first letter
// ("▸ pv4 = value").
func TestRequestEditedRowShowsItsWholeName(t *testing.T) {
	for _, name := range []string{"ipv4", "per_page", "X-Request-Note"} {
		h := newHarness(t, 100, 30)
		f := views.FocusQuery
		if strings.HasPrefix(name, "X-") {
			f = views.FocusHeaders
		}
		h.addRow(f, name, "value")
		h.addRow(f, "a", "b") // a shorter name beside it
		h.keys("k", "e")
		line := h.screenLine("▸ ")
		for _, l := range strings.Split(h.screen(), "\n") {
			if strings.HasPrefix(l, "▸ ") && !strings.Contains(l, "Query") && !strings.Contains(l, "Headers") {
				line = l
			}
		}
		if !strings.HasPrefix(line, "▸ "+name) {
			t.Fatalf("editing %q shows %q:\n%s", name, line, h.screen())
		}
	}
}

// Issue 9: the response search prompt showed "/s" before anything was
// typed.
func TestRequestSearchPromptShowsItsPlaceholder(t *testing.T) {
	for _, w := range []int{80, 120} {
		h := newHarness(t, w, 30)
		h.setEndpoint("/accounts/{account_id}/intel/ip?ipv4=" + sim.IPRiskyC2)
		h.keys("ctrl+r", "/")
		h.mustSee("/search the body")
		h.typeText("risk")
		h.mustSee("/risk")
		h.mustNotSee("search the body")
	}
}

// Issue 9: the wide URL preview wrapped in the middle of a value. Each
// query parameter (and each path segment) stays whole on its line.
func TestRequestWideURLPreviewWrapsBetweenParameters(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.setEndpoint("/accounts/{account_id}/intel/domain/bulk")
	for _, d := range []string{"first-long-name.example", "second-long-name.example", "third-long-name.example", "x.example"} {
		h.addRow(views.FocusQuery, "domain", d)
	}
	if !h.tool.wide(h.w) || len(h.tool.resolved) < 2*h.tool.editorWidth(h.w) {
		t.Fatalf("the preview %q is too short for the test", h.tool.resolved)
	}
	sc := h.screen()
	for _, want := range []string{"/" + sim.DemoAccountID, "&domain=second-long-name.example", "&domain=third-long-name.example", "?domain=first-long-name.example"} {
		if !strings.Contains(sc, want) {
			t.Fatalf("%q is cut by the wrap:\n%s", want, sc)
		}
	}
	if !strings.Contains(noSpace(h.editorColumn()), noSpace("→ "+h.tool.resolved)) {
		t.Fatalf("the preview is not all there:\n%s", sc)
	}
}

// A body over syncCheckMax is checked once the typing pauses, off the
// Update loop; a check of a body changed meanwhile is not taken, and a
// send never waits for the pause: it checks at once.
func TestRequestBigBodyCheckedAfterAPause(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
	tl.checkPause = 0
	checks := 0
	orig := jsonError
	jsonError = func(s string) string { checks++; return orig(s) }
	t.Cleanup(func() { jsonError = orig })

	big := jsonLines(2000)
	if len(big) <= syncCheckMax {
		t.Fatalf("the body (%d bytes) is too small for the test", len(big))
	}
	h.editBody()
	// Keys whose commands are held, as while the analyst types fast.
	var held []tea.Cmd
	held = append(held, h.sendNoRun(tea.PasteMsg{Content: big}))
	for _, k := range []string{"ctrl+home", "backspace", "delete"} { // breaks the JSON
		held = append(held, h.sendNoRun(kp(k)))
	}
	if checks != 0 {
		t.Fatalf("%d checks while typing into a big body", checks)
	}
	h.mustSee("checking JSON …")
	h.mustNotSee("valid JSON")
	// The first wait started before the last keys: it is not taken; the
	// one after it checks the body as it is now.
	for _, c := range held {
		h.run(c)
	}
	if checks != 1 || !strings.Contains(tl.body.checkErr, "invalid JSON at 2:48") {
		t.Fatalf("%d checks; error %q", checks, tl.body.checkErr)
	}
	h.mustSee("invalid JSON at 2:48")
	// Fixed again, sent before the pause ends: checked at once.
	h.sendNoRun(tea.PasteMsg{Content: "["})
	h.keys("esc")
	h.setEndpoint("/accounts")
	sendCmd := h.sendNoRun(kp("ctrl+r"))
	if !tl.body.checked() || tl.body.checkErr != "" {
		t.Fatalf("the send did not check the body: checked %v, error %q", tl.body.checked(), tl.body.checkErr)
	}
	h.run(sendCmd)
	if h.sim.Total() != 1 {
		t.Fatalf("%d requests, want the one GET", h.sim.Total())
	}
}

// The body editor's own keys: line numbers and the cursor, moving,
// deleting and breaking lines.
func TestRequestBodyEditorKeys(t *testing.T) {
	h := newHarness(t, 80, 24)
	tl := h.tool
	h.editBody()
	h.typeText(`{"a": 1}`)
	h.keys("home", "alt+f") // after `{"a":`, before the space
	h.keys("enter")
	if tl.body.Text() != "{\"a\":\n 1}" {
		t.Fatalf("after enter: %q", tl.body.Text())
	}
	h.mustSee(`  1 {"a":`, "  2  1}")
	h.keys("backspace")
	if tl.body.Text() != `{"a": 1}` {
		t.Fatalf("backspace at a line start did not join: %q", tl.body.Text())
	}
	h.keys("ctrl+k")
	if tl.body.Text() != `{"a":` {
		t.Fatalf("ctrl+k: %q", tl.body.Text())
	}
	h.keys("ctrl+w") // the word before the cursor: all of `{"a":`
	if tl.body.Text() != "" {
		t.Fatalf("ctrl+w: %q", tl.body.Text())
	}
	h.typeText("a b")
	h.keys("alt+b", "alt+d")
	if tl.body.Text() != "a " {
		t.Fatalf("alt+b, alt+d: %q", tl.body.Text())
	}
	tl.body.SetText(strings.Repeat("line\n", 40) + "end")
	h.keys("ctrl+end")
	h.mustSee(" 41 end")
	h.keys("pgup")
	if tl.body.Line() >= 40 || tl.body.Line() < 20 {
		t.Fatalf("pgup went to line %d", tl.body.Line()+1)
	}
	h.keys("ctrl+home")
	h.mustSee("  1 line")
	h.mustNotSee(" 41 end")
	// A wide character moves as one.
	tl.body.SetText("例x")
	h.keys("right", "delete")
	if tl.body.Text() != "例" {
		t.Fatalf("delete after a wide character: %q", tl.body.Text())
	}
}
