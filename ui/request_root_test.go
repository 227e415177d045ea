package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
)

// The root routes the Request pane (a pane.Tool): keys through its
// bindings, its results, its dialogs, pastes, and the users looked up in
// the User pane.
func TestRequestPaneThroughTheRoot(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.EmailFewEvents)
	h.mustSee(sim.EmailFewEvents)
	h.press("4")
	if h.m.activeTool() == nil {
		t.Fatal("4 did not open the Request pane")
	}
	h.mustSee("no path yet")
	// A GET through the root, then esc twice: back to the editor, and
	// the pane stays.
	h.send(tea.PasteMsg{Content: "/accounts"})
	h.press("ctrl+r")
	if h.sim.Total() < 1 {
		t.Fatalf("the GET was not sent (%d requests)", h.sim.Total())
	}
	h.mustSee("200 OK")
	h.press("esc", "esc", "esc")
	if h.m.activeTool() == nil {
		t.Fatal("esc left the Request pane")
	}
	h.mustSee("esc has nothing to close here")
	// The user looked up is offered for {user_id}; a raw reset is refused
	// before any confirmation (the reviewed reset is R on the User pane).
	h.press("enter")
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	h.typeText("reset")
	h.press("enter") // takes the reset path
	h.mustSee("a user looked up this session", sim.EmailFewEvents)
	h.press("enter", "ctrl+r")
	if len(h.m.dialogs) != 0 || h.sim.Count("dlp-zt-risk-score-reset-user") != 0 {
		t.Fatalf("a raw reset: dialogs %d, resets %d", len(h.m.dialogs), h.sim.Count("dlp-zt-risk-score-reset-user"))
	}
	h.mustSee("R on the User pane")
	// Another write asks in the root's dialog stack and goes once.
	h.press("enter")
	h.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	h.typeText("miscategorization")
	h.press("enter", "ctrl+r") // takes the path, sends
	if len(h.m.dialogs) != 1 {
		t.Fatalf("no confirmation in the root's dialogs:\n%s", h.screen())
	}
	h.mustSee("Send POST?")
	h.press("y")
	if len(h.m.dialogs) != 0 || h.stub.writes.Load() != 1 {
		t.Fatalf("dialogs %d, writes %d", len(h.m.dialogs), h.stub.writes.Load())
	}
	h.mustSee("200 OK")
	// A disabled key says why on the pane.
	h.sess.ReadOnly = true
	h.press("ctrl+r")
	h.mustSee("send disabled: read-only mode")
}

// The footer does not offer a global key the Request pane binds itself:
// at rest esc does not go back (it never leaves the pane), and during a
// write nothing offers to cancel it.
func TestRequestFooterLeavesOutTheGlobalEsc(t *testing.T) {
	h := newHarness(t, 200, 40) // wide enough for every key of the footer
	h.lookup(sim.EmailFewEvents)
	h.press("4")
	footer := func() string {
		lines := strings.Split(h.screen(), "\n")
		return lines[len(lines)-1]
	}
	if f := footer(); strings.Contains(f, "back") || !strings.Contains(f, "q quit") {
		t.Fatalf("footer at rest: %q", f)
	}
	h.press("enter")
	h.typeText("miscategorization")
	h.press("enter", "ctrl+r") // the path, send
	if len(h.m.dialogs) != 1 {
		t.Fatalf("no confirmation:\n%s", h.screen())
	}
	yes := h.sendNoRun(kp("y"))
	_, send := h.m.Update(yes()) // the pane has the answer; the POST is not back
	if f := footer(); strings.Contains(f, "cancel") || !strings.Contains(f, "esc back to editor") {
		t.Fatalf("footer during the write: %q", f)
	}
	h.mustSee("a write cannot be canceled")
	h.run(send)
	h.mustSee("200 OK")
	if n := h.stub.writes.Load(); n != 1 {
		t.Fatalf("%d writes", n)
	}
}

// A request saved in the pane becomes the session's config through the
// root (pane.ConfigMsg), so a later write of the config keeps it.
func TestRequestSavedRequestReachesTheSession(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sess.ConfigDir = t.TempDir()
	h.press("esc", "4")
	h.send(tea.PasteMsg{Content: "/accounts"})
	h.send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	h.mustSee("Save request")
	h.typeText("mine")
	h.press("enter")
	h.mustSee("saved as mine")
	if h.sess.Config == nil || h.sess.Config.Request("mine") == nil {
		t.Fatal("the session's config lacks the saved request")
	}
}
