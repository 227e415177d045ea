package views

import (
	"strconv"
	"testing"

	"cftriage/cloudflare"
)

// BenchmarkTableRender renders one 80×24 frame of a table with the cursor
// in the middle; the cost must not depend on the number of rows.
func BenchmarkTableRender(b *testing.B) {
	th := NewTheme(true, false)
	for _, n := range []int{100, 10000} {
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			evs := userEvents(n)
			t := eventsTable(evs, th, true)
			t.Cursor = n / 2
			b.ReportAllocs()
			for b.Loop() {
				t.Cursor = (t.Cursor + 1) % n
				t.Offset = ScrollOffset(t.Cursor, t.Offset, 23, n)
				_ = t.Render(80, 24, th)
			}
		})
	}
}

// BenchmarkRenderUser is a full User pane frame over n events.
func BenchmarkRenderUser(b *testing.B) {
	th := NewTheme(true, false)
	for _, n := range []int{100, 10000} {
		b.Run("rows="+strconv.Itoa(n), func(b *testing.B) {
			evs := userEvents(n)
			p := UserPage{Email: "alice@example.com", User: alice(), Risk: &cloudflare.RiskScore{RiskLevel: "high"},
				Events: eventsTable(evs, th, true), Sort: "time ↓", EventCount: n, ResetHint: "R reset risk"}
			b.ReportAllocs()
			for b.Loop() {
				p.Events.Cursor = (p.Events.Cursor + 1) % n
				_ = RenderUser(p, 120, 40, th)
			}
		})
	}
}

func BenchmarkSanitize(b *testing.B) {
	for name, s := range map[string]string{
		"ascii":   "login-micros0ft.evil.example",
		"hostile": hostileText("x"),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = Sanitize(s)
			}
		})
	}
}
