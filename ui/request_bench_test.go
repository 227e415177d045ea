package ui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/actions"
	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/views"
)

// big5MB is a minified JSON answer of about 5 MB, the shape a large
// listing comes back in.
func big5MB() []byte {
	var sb strings.Builder
	sb.WriteString(`{"success":true,"errors":[],"messages":[],"result":[`)
	for i := 0; sb.Len() < 5<<20; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"%08x-user","email":"user%d@acme-corp.example","name":"User Número %d","event_count":%d,"last_event":"2026-11-%02dT10:00:00Z","max_risk_level":"high","flags":[true,false,null]}`,
			i, i, i, i%977, i%28+1)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// BenchmarkResponseScroll5MB measures one key press in the response
// viewer holding a 5 MB JSON body: Update (scroll one line) plus View
// (the whole 120×40 screen, colours on).
func BenchmarkResponseScroll5MB(b *testing.B) {
	c, err := cloudflare.New(cloudflare.Config{BaseURL: "https://api.cloudflare.com/client/v4", Token: "bench-token", AccountID: sim.DemoAccountID})
	if err != nil {
		b.Fatal(err)
	}
	m := New(&actions.Session{Client: c, Profile: "default", AccountID: sim.DemoAccountID}, Options{DarkBG: true, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.switchTool(0)
	t := m.tools[0].legacy.(*requestTool)
	raw := big5MB()
	ex := &cloudflare.Exchange{Method: "GET", StatusCode: 200, Body: raw, Duration: 420 * time.Millisecond,
		Header: http.Header{"Content-Type": {"application/json"}}}
	t.resp = newResponse("GET", c.BaseURL()+"/accounts/x/access/users", ex, views.NewBody(raw), nil)
	t.setFocus(views.FocusResponse)
	lines := t.resp.body.Lines()
	down, top := kp("down"), kp("g")
	// The keys must move the window, or this would time a no-op.
	for _, step := range []struct {
		k    tea.KeyPressMsg
		want int
	}{{down, 1}, {down, 2}, {top, 0}} {
		m.Update(step.k)
		if t.resp.top != step.want {
			b.Fatalf("after %s the window starts at line %d, want %d", step.k, t.resp.top, step.want)
		}
	}
	moved := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := down
		prev := t.resp.top
		if prev >= lines-60 {
			k = top
		}
		m.Update(k)
		if t.resp.top != prev {
			moved++
		}
		_ = m.View()
	}
	b.StopTimer()
	if moved != b.N {
		b.Fatalf("only %d of %d key presses moved the window", moved, b.N)
	}
	if lines < 100000 {
		b.Fatalf("only %d lines: the body is not the size meant", lines)
	}
}

// BenchmarkRequestKeyWithBigBody measures one key press elsewhere in the
// editor (the method selector) while the body holds 10,000 lines of
// JSON: Update plus View of the whole 120×40 screen. The body is read
// back and checked only when it changes, so this must not grow with it.
func BenchmarkRequestKeyWithBigBody(b *testing.B) {
	c, err := cloudflare.New(cloudflare.Config{BaseURL: "https://api.cloudflare.com/client/v4", Token: "bench-token", AccountID: sim.DemoAccountID})
	if err != nil {
		b.Fatal(err)
	}
	m := New(&actions.Session{Client: c, Profile: "default", AccountID: sim.DemoAccountID}, Options{DarkBG: true, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	m.switchTool(0)
	t := m.tools[0].legacy.(*requestTool)
	var sb strings.Builder
	sb.WriteString("[\n")
	for i := 0; i < bodyMaxLines-3; i++ {
		fmt.Fprintf(&sb, "  {\"id\": %d, \"email\": \"user%d@acme-corp.example\"},\n", i, i)
	}
	sb.WriteString("  {}\n]")
	if !t.setBody(sb.String()) {
		b.Fatal("the body did not fit the editor")
	}
	t.setFocus(views.FocusMethod)
	right := kp("l")
	m.Update(right)
	if t.bodyNow.err != "" || len(t.bodyNow.lines) != bodyMaxLines {
		b.Fatalf("body: %d lines, error %q", len(t.bodyNow.lines), t.bodyNow.err)
	}
	if sc := m.View().Content; !strings.Contains(sc, "user0@acme-corp.example") {
		b.Fatalf("the body is not on screen:\n%s", sc)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := t.method
		m.Update(right)
		if t.method == before {
			b.Fatal("the key did not change the method")
		}
		_ = m.View()
	}
}
