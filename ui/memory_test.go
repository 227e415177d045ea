package ui

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// memoryHarness is a console whose session has the database, as the cli
// builds it: each call is a new run on the same state directory.
func memoryHarness(t *testing.T, s *sim.Sim, base, stateDir string) *harness {
	t.Helper()
	sess := &actions.Session{Profile: "default", BaseURL: base, Config: &store.Config{},
		Audit: store.OpenAudit(filepath.Join(stateDir, "audit.jsonl")),
		Tune:  func(c *cloudflare.Config) { c.BackoffBase = time.Millisecond }}
	sess.OpenDB(stateDir)
	t.Cleanup(sess.Close)
	c, err := sess.NewClient(sim.DemoToken, sim.DemoAccountID)
	if err != nil {
		t.Fatal(err)
	}
	sess.Client, sess.AccountID = c, sim.DemoAccountID
	m := New(sess, Options{NoColor: true, DarkBG: true, Now: func() time.Time { return fixedNow }})
	h := &harness{t: t, m: m, sim: s, sess: sess}
	h.run(m.Init()) // as Bubble Tea starts it: earlier runs' lookups load
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return h
}

func TestConsoleRemembersAcrossRuns(t *testing.T) {
	isolateHome(t)
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()

	first := memoryHarness(t, s, srv.URL+sim.BasePath, dir)
	first.lookup(sim.DomainPhishing)
	first.lookup(sim.IPRiskyC2)
	first.mustSee(sim.IPRiskyC2)
	sent := s.Total()

	second := memoryHarness(t, s, srv.URL+sim.BasePath, dir)
	second.focusSearch()
	second.press("up")
	if got := second.m.omni.Value(); got != sim.IPRiskyC2 {
		t.Fatalf("↑ in a new run gave %q, want the last lookup of the earlier run", got)
	}
	second.press("up")
	if got := second.m.omni.Value(); got != sim.DomainPhishing {
		t.Fatalf("↑↑ gave %q", got)
	}
	second.press("down")
	second.press("enter")
	second.mustSee(sim.IPRiskyC2)
	if n := s.Total() - sent; n != 0 {
		t.Errorf("re-opening an IP looked up in the earlier run sent %d requests, want 0", n)
	}
}
