package request

import (
	"image/color"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/views"
)

// paneLayout is what the Request pane sizes and caches in Update and
// View must only read.
type paneLayout struct {
	w, h, bodyRows, bodyTop, endpointW, queryKeyW int
	bodyRev, checkedRev                           int
	bodyText                                      string
}

func layoutOf(tl *Tool) paneLayout {
	return paneLayout{
		w: tl.w, h: tl.h, bodyRows: tl.body.rows, bodyTop: tl.body.top,
		endpointW: tl.endpoint.Width(), queryKeyW: tl.query.key.Width(),
		bodyRev: tl.body.rev, checkedRev: tl.body.checkedRev, bodyText: tl.body.Text(),
	}
}

// laidOut fails unless the pane is sized for the console's body area and
// for its own state as it is now (what View draws with), and the body's
// check is of the body. It returns the body's rows.
func laidOut(h *harness, step string) int {
	h.t.Helper()
	tl := h.tool
	if tl.w != h.w || tl.h != h.toolHeight() {
		h.t.Fatalf("%s: pane sized %d×%d, the area is %d×%d", step, tl.w, tl.h, h.w, h.toolHeight())
	}
	ew := tl.editorWidth(tl.w)
	if want := views.RequestBodyRows(tl.frameView(h.ctx(), tl.w), ew, tl.h); tl.body.rows != want {
		h.t.Fatalf("%s: body editor has %d rows, the editor leaves it %d", step, tl.body.rows, want)
	}
	if want := max(4, ew-10); tl.endpoint.Width() != want {
		h.t.Fatalf("%s: endpoint input %d wide, want %d", step, tl.endpoint.Width(), want)
	}
	if !tl.body.checked() {
		h.t.Fatalf("%s: the body's check is of rev %d, the body is at %d", step, tl.body.checkedRev, tl.body.rev)
	}
	return tl.body.rows
}

// View only reads: drawing the pane at any size leaves its layout and
// caches as Update left them, so keys never depend on the last frame.
func TestRequestViewChangesNothing(t *testing.T) {
	h := newHarness(t, 120, 40)
	tl := h.tool
	h.setEndpoint("/accounts/{account_id}/intel/ip")
	h.addRow(views.FocusQuery, "ipv4", sim.IPRiskyC2)
	h.editBody()
	h.typeText(`{"a":1}`)
	for _, step := range []string{"typing", "at rest"} {
		if step == "at rest" {
			h.keys("esc")
		}
		before, first := layoutOf(tl), h.render()
		for _, sz := range [][2]int{{60, 12}, {200, 70}, {30, 5}} {
			c := h.ctx()
			c.Width, c.Height = sz[0], sz[1]
			tl.View(c) // sizes the pane was never given
			tl.Bindings(c)
		}
		if after := layoutOf(tl); after != before {
			t.Fatalf("%s: View changed the pane:\nbefore %+v\nafter  %+v", step, before, after)
		}
		if again := h.render(); again != first {
			t.Fatalf("%s: the same state drew differently:\n%s\n---\n%s", step, first, again)
		}
	}
	laidOut(h, "after rendering at other sizes")
}

// Every Update path that changes the pane leaves it laid out: keys,
// pastes, a window resize, a background change, and results that come
// back later (a send, a save, a recall, a refusal in a dialog).
func TestRequestStaysLaidOutThroughUpdate(t *testing.T) {
	h := newHarness(t, 70, 30)
	tl := h.tool
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
	// lines: the save's result (from the dialog) must take a body row.
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
	h := newHarness(t, 100, 30)
	h.color, h.th = true, views.NewTheme(true, false)
	h.tool.Resize(h.ctx())
	tl := h.tool
	text := func() string { return tl.endpoint.Styles().Focused.Text.Render("x") }
	dark := text()
	if dark != h.th.InputFocused.Render("x") {
		t.Fatalf("not styled from the dark theme: %q", dark)
	}
	h.send(tea.BackgroundColorMsg{Color: color.White})
	light := text()
	if light != h.th.InputFocused.Render("x") {
		t.Fatalf("not restyled from the light theme: %q", light)
	}
	if light == dark {
		t.Fatalf("the light and dark endpoint styles are the same (%q): the test shows nothing", light)
	}
	// The body is drawn with the theme of the frame.
	h.editBody()
	h.typeText("x")
	if raw := h.render(); !strings.Contains(raw, h.th.Input.Render("x")) && !strings.Contains(raw, h.th.Cursor.Render(" ")) {
		t.Fatalf("the body is not drawn in the light theme:\n%q", raw)
	}
}

// A small body is read back and checked as JSON once per change;
// drawing it neither reads nor checks it again.
func TestRequestBodyValidatedOncePerChange(t *testing.T) {
	h := newHarness(t, 100, 30)
	tl := h.tool
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
	if !strings.Contains(tl.body.checkErr, "invalid JSON at 1:9") {
		t.Fatalf("body error %q", tl.body.checkErr)
	}
	checks = 0
	h.keys("left", "left", "right") // the cursor moves, the text does not
	for range 5 {
		h.render()
	}
	h.keys("esc")
	h.render()
	if checks != 0 {
		t.Fatalf("%d checks without a change to the body", checks)
	}
	h.editBody()
	h.keys("end")
	h.send(tea.PasteMsg{Content: "2]}"})
	if checks != 1 || tl.body.checkErr != "" || tl.body.Text() != `{"k":[1,2]}` {
		t.Fatalf("after the paste: %d checks, body %q, error %q", checks, tl.body.Text(), tl.body.checkErr)
	}
	h.mustSee("valid JSON")
}
