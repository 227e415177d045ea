package ui

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	_ "modernc.org/sqlite"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// dbHarness is a console over the simulator whose session has the
// database in a temporary state directory, as the cli opens it.
func dbHarness(t *testing.T) (*harness, string) {
	t.Helper()
	isolateHome(t)
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	h := memoryHarness(t, s, srv.URL+sim.BasePath, dir)
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	return h, dir
}

func TestSameIPTwiceCostsNothingAndSaysCached(t *testing.T) {
	h, _ := dbHarness(t)
	h.lookup(sim.IPRiskyC2)
	h.mustSee("ip " + sim.IPRiskyC2)
	h.mustNotSee("cached ")
	sent := h.sim.Total()
	if sent == 0 {
		t.Fatal("the first lookup sent nothing")
	}
	h.lookup(sim.IPRiskyC2)
	if n := h.sim.Total() - sent; n != 0 {
		t.Fatalf("the same IP again sent %d requests, want 0", n)
	}
	h.mustSee("cached ", "ctrl+r fetches it fresh")

	// ctrl+r fetches fresh: the requests are sent, the label goes, and
	// the answer is compared with the one kept.
	h.press("ctrl+r")
	if n := h.sim.Total() - sent; n < 2 {
		t.Fatalf("ctrl+r sent %d requests, want the overview and passive DNS again", n)
	}
	h.mustNotSee("cached ")
	h.mustSee("unchanged since")
}

func TestBackAndDrillToASeenPageCostsNothing(t *testing.T) {
	h, _ := dbHarness(t)
	h.lookup(sim.DomainPhishing)
	h.mustSee("domain " + sim.DomainPhishing)
	h.press("enter") // the first resolving IP
	h.mustSee("ip ")
	crumb := h.m.top().Crumb()
	sent := h.sim.Total()
	h.press("esc", "enter")
	if got := h.m.top().Crumb(); got != crumb {
		t.Fatalf("drilled to %q, want %q", got, crumb)
	}
	if n := h.sim.Total() - sent; n != 0 {
		t.Fatalf("back and drill to a seen page sent %d requests, want 0", n)
	}
	h.mustSee("cached ")
}

// rewriteKeptUI replaces the result of every kept answer of op, dated
// back 26 hours, as if an earlier look had seen that.
func rewriteKeptUI(t *testing.T, db *store.DB, dir, op string, result any) {
	t.Helper()
	raw, err := sql.Open("sqlite", store.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query("SELECT request FROM cache WHERE operation = ?", op)
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for rows.Next() {
		var r string
		rows.Scan(&r)
		reqs = append(reqs, r)
	}
	rows.Close()
	if len(reqs) == 0 {
		t.Fatalf("nothing kept for %s", op)
	}
	for _, req := range reqs {
		e, ok := db.CacheGet(sim.DemoAccountID, req)
		if !ok {
			t.Fatalf("nothing kept for %s", req)
		}
		var env map[string]any
		if err := json.Unmarshal(e.Body, &env); err != nil {
			t.Fatal(err)
		}
		env["result"] = result
		e.Body, _ = json.Marshal(env)
		e.Fetched = time.Now().Add(-26 * time.Hour)
		if _, _, err := db.CachePut(e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDomainPaneShowsWhatChangedSince(t *testing.T) {
	h, dir := dbHarness(t)
	h.lookup(sim.DomainPhishing)
	h.mustNotSee("changed since", "unchanged since") // a first look has nothing to compare
	rewriteKeptUI(t, h.sess.DB, dir, cloudflare.OpDomainOverview, map[string]any{"domain": sim.DomainPhishing, "risk_score": 0.01, "risk_types": []any{}, "content_categories": []any{}})
	rewriteKeptUI(t, h.sess.DB, dir, cloudflare.OpWhois, map[string]any{"domain": sim.DomainPhishing, "found": true, "registrar": "Old Registrar", "nameservers": []any{"ns1.old.example"}})
	h.press("ctrl+r")
	h.mustSee("changed since", "risk types: + ", "risk score up: 0.01 → ", "WHOIS registrar: Old Registrar → ", "WHOIS nameservers: + ")
	// The pane below is still there.
	h.mustSee(sim.DomainPhishing, "Resolving IP")
}

func TestUserPaneShowsWhatChangedSince(t *testing.T) {
	h, dir := dbHarness(t)
	h.lookup(sim.EmailFewEvents)
	h.mustSee("Bob Martin")
	rewriteKeptUI(t, h.sess.DB, dir, cloudflare.OpRiskScore, map[string]any{"email": sim.EmailFewEvents, "name": "Bob Martin", "risk_level": "low", "events": []any{}})
	h.press("ctrl+r")
	h.mustSee("changed since", "risk level: low → ", "new event(s)")
}

func TestHistoryPaneListsFiltersAndReopens(t *testing.T) {
	h, _ := dbHarness(t)
	h.lookup(sim.DomainPhishing)
	h.lookup(sim.IPRiskyC2)
	h.lookup(sim.IPCleanCF)
	sent := h.sim.Total()
	h.press("8")
	h.mustSee("[8 History]", "3 lookups", "newest first")
	if got := strings.Join(rowOrder(h.screen(), sim.IPCleanCF, sim.IPRiskyC2, sim.DomainPhishing), ","); got != sim.IPCleanCF+","+sim.IPRiskyC2+","+sim.DomainPhishing {
		t.Fatalf("history order %s, want newest first", got)
	}
	h.mustSee("risky: ")

	h.press("/")
	h.typeText("micros0ft")
	h.mustSee("1 matching lookup ", sim.DomainPhishing)
	h.mustNotSee(sim.IPRiskyC2)
	h.press("enter") // keeps the filter
	h.mustSee("filter micros0ft")
	h.press("esc") // clears it before leaving
	h.mustSee("3 lookups", sim.IPRiskyC2)

	// Enter re-opens the lookup on a trail of its own, from the cache.
	h.press("down", "enter")
	h.mustSee("ip "+sim.IPRiskyC2, "cached ")
	if n := h.sim.Total() - sent; n != 0 {
		t.Fatalf("re-opening from the history sent %d requests, want 0 (cached)", n)
	}
	if crumbs := h.m.crumbs(); len(crumbs) != 1 {
		t.Fatalf("re-opening joined another trail: %q", crumbs)
	}
	// Back at the start of that trail returns to the History pane.
	h.press("esc")
	h.mustSee("[8 History]")
}

func TestHistoryPaneReadsPagesAsItScrolls(t *testing.T) {
	h, dir := dbHarness(t)
	fillHistory(t, dir, 450)
	h.press("esc", "8")
	h.mustSee("450 lookups", "more below (200 loaded)", "host-449.example")
	h.press("end")
	h.mustSee("more below (400 loaded)")
	h.press("end") // the last page (50) loads
	h.mustNotSee("more below")
	h.press("end")
	h.mustSee("host-0.example", "450/450")
	h.mustNotSee("more below")
	tl := h.m.activeTool().t.(*historyTool)
	if len(tl.rows) != 450 {
		t.Fatalf("%d rows held, want 450", len(tl.rows))
	}
}

func TestHistoryWithoutDatabaseSaysSo(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "8")
	h.mustSee("no local database")
}

// fillHistory writes n lookups straight into the database file, in one
// transaction (AddLookup would take one per row).
func fillHistory(tb testing.TB, dir string, n int) {
	tb.Helper()
	raw, err := sql.Open("sqlite", store.DBPath(dir))
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO history (time, account, kind, indicator, verdict, cached) VALUES (?, ?, ?, ?, ?, 0)`)
	if err != nil {
		tb.Fatal(err)
	}
	base := fixedNow.Add(-time.Duration(n) * time.Minute)
	for i := 0; i < n; i++ {
		v := "no risk types"
		if i%3 == 0 {
			v = "risky: Phishing"
		}
		if _, err := st.Exec(base.Add(time.Duration(i)*time.Minute).UTC().Format("2006-01-02T15:04:05.000Z"), sim.DemoAccountID, "domain", fmt.Sprintf("host-%d.example", i), v); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func BenchmarkHistoryPane(b *testing.B) {
	for _, n := range []int{100, 100000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			b.Setenv("XDG_CONFIG_HOME", b.TempDir())
			b.Setenv("XDG_STATE_HOME", b.TempDir())
			dir := b.TempDir()
			sess := &actions.Session{Client: &cloudflare.Client{}, Profile: "default", Config: &store.Config{}}
			sess.OpenDB(dir)
			b.Cleanup(sess.Close)
			fillHistory(b, dir, n)
			m := New(sess, Options{NoColor: true, Now: func() time.Time { return fixedNow }})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			runAll(m, m.switchTool(4))
			tl := m.activeTool().t.(*historyTool)
			if len(tl.rows) == 0 {
				b.Fatal("no history loaded")
			}
			tl.list.Cursor = min(len(tl.rows)/2, 60)
			pressLoop(b, m)
		})
	}
}

// runAll runs a command and its results through the model, for a
// benchmark's set-up (no harness).
func runAll(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			runAll(m, c)
		}
	default:
		if isTimerMsg(msg) {
			return
		}
		_, next := m.Update(msg)
		runAll(m, next)
	}
}

func BenchmarkStartup(b *testing.B) {
	for _, withDB := range []bool{false, true} {
		name := "db=none"
		if withDB {
			name = "db=file"
		}
		b.Run(name, func(b *testing.B) {
			b.Setenv("XDG_CONFIG_HOME", b.TempDir())
			b.Setenv("XDG_STATE_HOME", b.TempDir())
			dir := b.TempDir()
			if withDB {
				// A database with a long history, as after months of use.
				s := &actions.Session{Config: &store.Config{}}
				s.OpenDB(dir)
				s.Close()
				fillHistory(b, dir, 20000)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Launch to first frame: the session as the cli opens it,
				// its client, the console, its first size and frame.
				sess := &actions.Session{Profile: "default", BaseURL: "http://127.0.0.1:1/client/v4", Config: &store.Config{},
					Audit: store.OpenAudit(filepath.Join(dir, "audit.jsonl"))}
				if withDB {
					sess.OpenDB(dir)
				}
				c, err := sess.NewClient(sim.DemoToken, sim.DemoAccountID)
				if err != nil {
					b.Fatal(err)
				}
				sess.Client = c
				m := New(sess, Options{NoColor: true, Now: func() time.Time { return fixedNow }})
				m.Init()
				m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				if m.View().Content == "" {
					b.Fatal("no first frame")
				}
				sess.Close()
			}
		})
	}
}

// Earlier trails of drill-downs are reachable from the History pane: t
// lists them, Enter brings one back from memory, as it was.
func TestHistoryBringsBackAnEarlierTrail(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.IPRiskyC2)
	h.press("enter") // a hostname: the trail is ip › domain
	h.lookup(sim.EmailFewEvents)
	before := h.sim.Total()
	h.press("8", "t")
	h.mustSee("Earlier trails", "ip "+sim.IPRiskyC2+" › domain cdn-update.test")
	h.press("enter")
	h.mustSee("domain cdn-update.test")
	if crumbs := strings.Join(h.m.crumbs(), " › "); crumbs != "ip "+sim.IPRiskyC2+" › domain cdn-update.test" {
		t.Fatalf("breadcrumb after bringing the trail back: %q", crumbs)
	}
	if n := h.sim.Total() - before; n != 0 {
		t.Fatalf("bringing a trail back sent %d requests", n)
	}
	h.press("esc")
	h.mustSee("ip " + sim.IPRiskyC2)
}
