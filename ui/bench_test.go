package ui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/indicator"
)

// benchModel is a console at 120×40 with one page already loaded, so a
// benchmark measures only a key press: Update plus View.
func benchModel(b *testing.B, p *page, colour bool) *Model {
	b.Helper()
	m := New(&actions.Session{Client: &cloudflare.Client{}, Profile: "default"}, Options{NoColor: !colour, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	p.slot = m.newSlot()
	m.stack = append(m.stack, p)
	m.setFocus(focusPage)
	return m
}

// sizes are the list sizes measured, each without colour and with it (a
// real terminal's frame carries the styling).
func eachSize(b *testing.B, f func(b *testing.B, n int, colour bool)) {
	for _, n := range []int{100, 10000} {
		for _, colour := range []bool{false, true} {
			name := fmt.Sprintf("rows=%d", n)
			if colour {
				name += "/colour"
			}
			b.Run(name, func(b *testing.B) { f(b, n, colour) })
		}
	}
}

// pressLoop alternates down and up so the cursor stays in the list and
// every press moves it (and scrolls when at an edge).
func pressLoop(b *testing.B, m *Model) {
	down, up := kp("down"), kp("up")
	// The press must do something, or this would time a no-op.
	before := m.View().Content
	m.Update(down)
	if m.View().Content == before {
		b.Fatal("a key press did not change the screen")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		if i%64 >= 32 {
			k = up
		}
		m.Update(k)
		_ = m.View()
	}
}

func BenchmarkEventsTable(b *testing.B) {
	eachSize(b, func(b *testing.B, n int, colour bool) {
		{
			evs := make([]cloudflare.RiskEvent, n)
			levels := []string{"low", "medium", "high"}
			for i := range evs {
				evs[i] = cloudflare.RiskEvent{
					ID: fmt.Sprintf("ev-%d", i), Name: fmt.Sprintf("Impossible travel %d", i),
					RiskLevel: levels[i%3],
					Timestamp: fixedNow.Add(-time.Duration(i) * time.Minute).Format(time.RFC3339),
				}
			}
			body := &userBody{email: "carol@example.com", user: &cloudflare.AccessUser{ID: "u1", Email: "carol@example.com", Name: "Carol"}}
			p := &page{Page: body}
			m := benchModel(b, p, colour)
			body.setRisk(cloudflare.RiskScore{Email: "carol@example.com", Name: "Carol", RiskLevel: "high", Events: evs}, m.pageCtx(p))
			// Start mid-list so the loop scrolls rather than pinning at 0.
			body.list.Cursor = n / 2
			pressLoop(b, m)
		}
	})
}

func BenchmarkPassiveDNS(b *testing.B) {
	eachSize(b, func(b *testing.B, n int, colour bool) {
		{
			recs := make([]cloudflare.ReverseRecord, n)
			for i := range recs {
				recs[i] = cloudflare.ReverseRecord{Hostname: fmt.Sprintf("host-%d.parked.example", i), FirstSeen: "2026-10-01", LastSeen: "2026-11-28"}
			}
			ind, _ := indicator.Detect("198.51.100.7")
			body := &ipBody{ind: ind, info: &cloudflare.IPInfo{IP: "198.51.100.7"}, recs: recs, pdnsTotal: n, pdnsPage: n / pdnsPerPage}
			p := &page{Page: body}
			m := benchModel(b, p, colour)
			body.list.Cursor = n / 2
			pressLoop(b, m)
		}
	})
}
