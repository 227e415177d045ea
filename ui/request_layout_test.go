package ui

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/views"
)

// paneLayout is what the Request pane sizes and caches in Update and
// View must only read.
type paneLayout struct {
	w, h, bodyH, bodyW, endpointW, queryKeyW int
	themed                                   bool
	theme                                    themeKey
	bodyDirty                                bool
	bodyText                                 string
}

func layoutOf(tl *requestTool) paneLayout {
	return paneLayout{
		w: tl.w, h: tl.h, bodyH: tl.body.Height(), bodyW: tl.body.Width(),
		endpointW: tl.endpoint.Width(), queryKeyW: tl.query.key.Width(),
		themed: tl.themed, theme: tl.themeKey, bodyDirty: tl.bodyDirty, bodyText: tl.bodyNow.text,
	}
}

// laidOut fails unless the pane is sized for the console's body area and
// for its own state as it is now (what View draws with), and the body
// snapshot is the body. It returns the body's rows.
func laidOut(h *harness, step string) int {
	h.t.Helper()
	tl, m := reqTool(h), h.m
	if tl.w != m.w || tl.h != m.bodyHeight()+2 {
		h.t.Fatalf("%s: pane sized %d×%d, the body area is %d×%d", step, tl.w, tl.h, m.w, m.bodyHeight()+2)
	}
	ew := tl.editorWidth(tl.w)
	if want := views.RequestBodyRows(tl.frameView(m, tl.w), ew, tl.h); tl.body.Height() != want {
		h.t.Fatalf("%s: body editor has %d rows, the editor leaves it %d", step, tl.body.Height(), want)
	}
	if want := max(4, ew-10); tl.endpoint.Width() != want {
		h.t.Fatalf("%s: endpoint input %d wide, want %d", step, tl.endpoint.Width(), want)
	}
	if tl.bodyDirty || tl.bodyNow.text != tl.body.Value() {
		h.t.Fatalf("%s: body snapshot %q (dirty %v), body %q", step, tl.bodyNow.text, tl.bodyDirty, tl.body.Value())
	}
	return tl.body.Height()
}

// View only reads: drawing the pane at any size leaves its layout and
// caches as Update left them, so keys never depend on the last frame.
func TestRequestViewChangesNothing(t *testing.T) {
	h := newRequestHarness(t, 120, 40)
	tl := reqTool(h)
	h.setEndpoint("/accounts/{account_id}/intel/ip")
	h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
	h.editBody()
	h.typeText(`{"a":1}`)
	// Typing in the body (the text area draws it), then at rest (drawn
	// from the snapshot).
	for _, step := range []string{"typing", "at rest"} {
		if step == "at rest" {
			h.keys("esc")
		}
		before, first := layoutOf(tl), h.m.View().Content
		for _, sz := range [][2]int{{60, 12}, {200, 70}, {30, 5}} {
			tl.render(h.m, sz[0], sz[1]) // sizes the pane was never given
		}
		if after := layoutOf(tl); after != before {
			t.Fatalf("%s: render changed the pane:\nbefore %+v\nafter  %+v", step, before, after)
		}
		if again := h.m.View().Content; again != first {
			t.Fatalf("%s: the same state drew differently:\n%s\n---\n%s", step, first, again)
		}
	}
	// And the pane is still laid out for the console's size.
	laidOut(h, "after rendering at other sizes")
}

// Every Update path that changes the pane leaves it laid out: keys,
// pastes, a window resize, a background change, and results that come
// back later (a send, a save, a recall, a refusal in a dialog).
func TestRequestStaysLaidOutThroughUpdate(t *testing.T) {
	h := newRequestHarness(t, 70, 30)
	tl := reqTool(h)
	start := laidOut(h, "opened")
	h.setEndpoint("/accounts")
	h.addRow(views.FocusQuery, "page", "1")
	h.addRow(views.FocusQuery, "per_page", "5")
	h.addRow(views.FocusHeaders, "X-Note", "layout")
	if rows := laidOut(h, "rows added"); rows >= start {
		t.Fatalf("three rows did not take body rows: %d, then %d", start, rows)
	}
	h.editBody()
	h.typeText(`{"a":`)
	laidOut(h, "typing an invalid body")
	h.send(tea.PasteMsg{Content: "1}"})
	laidOut(h, "pasting into the body")
	h.keys("ctrl+s")
	// A name long enough that the notice saying it was saved takes two
	// lines: the save's result (a tool message) must take a body row.
	name := "layout " + strings.Repeat("x", 60)
	h.typeText(name)
	before := laidOut(h, "naming")
	h.keys("enter")
	h.mustSee("saved as layout")
	if rows := laidOut(h, "saved"); rows != before-1 {
		t.Fatalf("the two-line notice left the body %d rows (it had %d)", rows, before)
	}
	h.send(teaSize(130, 44))
	if !tl.wide(tl.w) {
		t.Fatal("130 columns should put the response beside the editor")
	}
	laidOut(h, "resized wide")
	h.keys("ctrl+r")
	if tl.resp == nil || tl.resp.status != 200 {
		t.Fatalf("GET did not answer 200: %+v", tl.resp)
	}
	laidOut(h, "response arrived")
	h.send(teaSize(90, 26))
	laidOut(h, "resized narrow")
	h.keys("esc", "ctrl+o", "enter")
	h.mustSee("loaded layout xxx")
	laidOut(h, "recalled")
	tl.setFocus(views.FocusMethod)
	h.keys("right", "ctrl+r") // POST asks first
	h.keys("esc")
	h.mustSee("POST not sent")
	laidOut(h, "write refused in its dialog")
	h.send(tea.BackgroundColorMsg{Color: color.White})
	laidOut(h, "background changed")
}

// The terminal's answer to the background query restyles the pane's
// widgets in Update (they were styled for the guess before it).
func TestRequestWidgetsFollowTheTerminalBackground(t *testing.T) {
	c, err := cloudflare.New(cloudflare.Config{BaseURL: "https://api.cloudflare.com/client/v4", Token: "test-token", AccountID: sim.DemoAccountID})
	if err != nil {
		t.Fatal(err)
	}
	m := New(&actions.Session{Client: c, Profile: "default", AccountID: sim.DemoAccountID}, Options{DarkBG: true})
	tl := m.tools[0].legacy.(*requestTool)
	text := func() (endpoint, body string) {
		return tl.endpoint.Styles().Focused.Text.Render("x"), tl.body.Styles().Focused.Text.Render("x")
	}
	darkEP, darkBody := text()
	if darkEP != m.th.InputFocused.Render("x") || darkBody != m.th.Input.Render("x") {
		t.Fatalf("not styled from the dark theme: %q %q", darkEP, darkBody)
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.dark {
		t.Fatal("a white background read as dark")
	}
	ep, body := text()
	if ep != m.th.InputFocused.Render("x") || body != m.th.Input.Render("x") {
		t.Fatalf("not restyled from the light theme: %q %q", ep, body)
	}
	if ep == darkEP {
		t.Fatalf("the light and dark endpoint styles are the same (%q): the test shows nothing", ep)
	}
}

// The body is read back once per key and checked as JSON only when it
// changed; drawing it neither reads nor checks it again.
func TestRequestBodyValidatedOncePerChange(t *testing.T) {
	h := newRequestHarness(t, 100, 30)
	tl := reqTool(h)
	checks := 0
	orig := jsonError
	jsonError = func(s string) string { checks++; return orig(s) }
	t.Cleanup(func() { jsonError = orig })

	h.editBody()
	typed := `{"k":[1,`
	h.typeText(typed)
	if checks != len(typed) {
		t.Fatalf("%d keys changed the body, %d checks", len(typed), checks)
	}
	if !strings.Contains(tl.bodyNow.err, "invalid JSON at 1:9") {
		t.Fatalf("body error %q", tl.bodyNow.err)
	}
	checks = 0
	h.keys("left", "left", "right") // the cursor moves, the text does not
	for range 5 {
		h.m.View()
	}
	h.keys("esc")
	h.m.View()
	if checks != 0 {
		t.Fatalf("%d checks without a change to the body", checks)
	}
	h.editBody()
	h.keys("end")
	h.send(tea.PasteMsg{Content: "2]}"})
	if checks != 1 || tl.bodyNow.err != "" || tl.bodyNow.text != `{"k":[1,2]}` {
		t.Fatalf("after the paste: %d checks, body %q, error %q", checks, tl.bodyNow.text, tl.bodyNow.err)
	}
	h.mustSee("valid JSON")
}
