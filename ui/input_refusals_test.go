package ui

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestSearchRefusesInvisibleCharacters: the search box gives the same
// inline error as the CLI for a zero-width space inside a domain, which
// used to be dropped ("exa\u200bmple.com" looked up example.com).
func TestSearchRefusesInvisibleCharacters(t *testing.T) {
	h := newHarness(t, 160, 30)
	h.lookup("exa\u200bmple.com")
	h.mustSee("U+200B zero width space", `after "exa"`, "retype it without")
	h.mustNotSee("domain example.com")
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent for refused input", n)
	}
	// A paste with a byte-order mark in front is refused the same way.
	h = newHarness(t, 160, 30)
	h.focusSearch()
	h.send(tea.PasteMsg{Content: "\ufeff203.0.113.66"})
	h.press("enter")
	h.mustSee("U+FEFF")
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent for refused input", n)
	}
}

// TestResetReasonPasteOverTheLimitSaysSo: a pasted reason longer than
// the audit log keeps is cut to fit, and the review says so.
func TestResetReasonPasteOverTheLimitSaysSo(t *testing.T) {
	h := newHarness(t, 120, 40)
	openReview(h)
	h.send(tea.PasteMsg{Content: strings.Repeat("x", actions.MaxReasonRunes+500)})
	d := h.topDialog().(*resetDialog)
	if n := len([]rune(d.reason)); n != actions.MaxReasonRunes {
		t.Fatalf("reason holds %d characters, want %d", n, actions.MaxReasonRunes)
	}
	h.mustSee("the reason is limited to 1000 characters; the paste was cut to fit")
}

// TestUserFoundBySearchSaysSo: when email= finds nobody and the search=
// fallback finds the user, the console says so on the status line.
func TestUserFoundBySearchSaysSo(t *testing.T) {
	isolateHome(t)
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }, EmailCaseSensitive: true})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sess := &actions.Session{Client: c, Demo: true, Profile: "default", AccountID: sim.DemoAccountID,
		Audit: store.OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))}
	h := &harness{t: t, m: New(sess, Options{NoColor: true, DarkBG: true, Now: func() time.Time { return fixedNow }}), sim: s, srv: srv, sess: sess}
	h.send(tea.WindowSizeMsg{Width: 160, Height: 30})
	h.lookup("BOB.MARTIN@acme-corp.example")
	h.mustSee("Bob Martin", sim.EmailFewEvents, "found by search= (email= found no user")
	h.lookup(sim.EmailNoEvents)
	h.mustNotSee("found by search=")
}
