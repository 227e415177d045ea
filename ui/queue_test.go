package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

const opSummary = "dlp-zt-risk-score-account-summary"

// rowOrder is the order in which names appear on the screen.
func rowOrder(screen string, names ...string) []string {
	type at struct {
		n string
		i int
	}
	var found []at
	for _, n := range names {
		if i := strings.Index(screen, n); i >= 0 {
			found = append(found, at{n, i})
		}
	}
	for i := range found {
		for j := i + 1; j < len(found); j++ {
			if found[j].i < found[i].i {
				found[i], found[j] = found[j], found[i]
			}
		}
	}
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.n
	}
	return out
}

func TestQueueListsRiskyUsersMostSevereThenRecent(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "6")
	h.mustSee("Risky users", "4 users with a risk level", "sort severity ↓", "[6 Risky users]")
	got := strings.Join(rowOrder(h.screen(), "Carol", "Erin", "Bob Martin", "Dana Lee"), ",")
	if got != "Carol,Erin,Bob Martin,Dana Lee" {
		t.Fatalf("queue order %s", got)
	}
	if n := h.sim.Count(opSummary); n != 1 {
		t.Fatalf("summary read %d times", n)
	}
	// Leaving and coming back keeps the list: no second request.
	h.press("esc", "6")
	if n := h.sim.Count(opSummary); n != 1 {
		t.Fatalf("coming back re-read the summary (%d requests)", n)
	}
	// s sorts by recency, then by events.
	h.press("s")
	h.mustSee("sort recent ↓")
	if got := strings.Join(rowOrder(h.screen(), "Carol", "Erin", "Bob Martin", "Dana Lee"), ","); got != "Carol,Erin,Bob Martin,Dana Lee" {
		t.Fatalf("recent order %s", got)
	}
	h.press("s")
	h.mustSee("sort events ↓")
	h.press("s")
	h.mustSee("sort name ↑")
	if got := strings.Join(rowOrder(h.screen(), "Carol", "Erin", "Bob Martin", "Dana Lee"), ","); got != "Bob Martin,Carol,Dana Lee,Erin" {
		t.Fatalf("name order %s", got)
	}
	// ctrl+r reads it again.
	h.press("ctrl+r")
	if n := h.sim.Count(opSummary); n != 2 {
		t.Fatalf("ctrl+r: %d summary requests, want 2", n)
	}
}

func TestQueueFilterAndOpenUser(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.IPRiskyC2) // an unrelated trail
	h.press("6", "/")
	h.typeText("dana")
	h.mustSee("1 of 4 users", "Dana Lee")
	h.mustNotSee("Carol")
	h.press("enter") // keeps the filter
	h.mustSee("filter dana")
	h.press("esc") // clears it before leaving
	h.mustSee("4 users with a risk level")
	h.press("down", "enter") // Erin
	h.mustSee("user erin.kowalski@acme-corp.example", "Erin Kowalski")
	if crumbs := h.m.crumbs(); len(crumbs) != 1 {
		t.Fatalf("opening from the queue joined the IP's trail: %q", crumbs)
	}
	// The user page read the risk by id: no user search was needed.
	if n := h.sim.Count("zero-trust-users-get-users"); n != 0 {
		t.Fatalf("opening a queued user searched users %d times", n)
	}
	// Back at the start of that trail returns to the queue, as it was.
	h.press("esc")
	h.mustSee("Risky users", "4 users with a risk level")
}

func TestQueueFailureSaysWhy(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sim.Inject(sim.Fault{Op: opSummary, Status: 403})
	h.press("esc", "6")
	h.mustSee("Zero Trust: PII Read")
}

func TestWelcomeOffersTheQueue(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.mustSee("6 opens the risky-users queue")
}

func BenchmarkRiskyUsers(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			m := New(&actions.Session{Client: &cloudflare.Client{}, Profile: "default"}, Options{NoColor: true, Now: func() time.Time { return fixedNow }})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			levels := []string{"low", "medium", "high"}
			us := make([]cloudflare.RiskyUser, n)
			for i := range us {
				us[i] = cloudflare.RiskyUser{UserID: fmt.Sprintf("u-%d", i), Name: fmt.Sprintf("User %d", i),
					Email: fmt.Sprintf("user%d@acme-corp.example", i), EventCount: i % 17, MaxRiskLevel: levels[i%3],
					LastEvent: fixedNow.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339)}
			}
			m.switchTool(2)
			e := m.activeTool()
			q := e.t.(*queueTool)
			q.loaded = true
			q.setUsers(us, m.toolCtx(e))
			q.list.Cursor = n / 2
			pressLoop(b, m)
		})
	}
}
