package request

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare"
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

// benchHarness is the pane at 120×40 with colours on (a real frame
// paints every style).
func benchHarness(b *testing.B) *harness {
	b.Helper()
	h := newHarness(b, 120, 40)
	h.color, h.th = true, views.NewTheme(true, false)
	h.tool.Resize(h.ctx())
	return h
}

// press is one key as the root routes it (the pane's bindings, then
// Update), without running the commands it returns: Bubble Tea runs
// those off the Update loop.
func (h *harness) press(k tea.KeyPressMsg) { _ = h.routeKey(k) }

// BenchmarkResponseScroll5MB measures one key press in the response
// viewer holding a 5 MB JSON body: Update (scroll one line) plus the
// frame (the whole 120×40 screen, colours on).
func BenchmarkResponseScroll5MB(b *testing.B) {
	h := benchHarness(b)
	t := h.tool
	raw := big5MB()
	ex := &cloudflare.Exchange{Method: "GET", StatusCode: 200, Body: raw, Duration: 420 * time.Millisecond,
		Header: http.Header{"Content-Type": {"application/json"}}}
	t.resp = newResponse("GET", h.sess.Client.BaseURL()+"/accounts/x/access/users", ex, newRespBody(raw), nil)
	t.setFocus(views.FocusResponse)
	lines := t.resp.body.Lines()
	down, top := kp("down"), kp("g")
	// The keys must move the window, or this would time a no-op.
	for _, step := range []struct {
		k    tea.KeyPressMsg
		want int
	}{{down, 1}, {down, 2}, {top, 0}} {
		h.press(step.k)
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
		h.press(k)
		if t.resp.top != prev {
			moved++
		}
		_ = h.render()
	}
	b.StopTimer()
	if moved != b.N {
		b.Fatalf("only %d of %d key presses moved the window", moved, b.N)
	}
	if lines < 100000 {
		b.Fatalf("only %d lines: the body is not the size meant", lines)
	}
}

// jsonLines is a JSON array of n lines, about 50 bytes each.
func jsonLines(n int) string {
	var sb strings.Builder
	sb.WriteString("[\n")
	for i := 0; i < n-3; i++ {
		fmt.Fprintf(&sb, "  {\"id\": %d, \"email\": \"user%d@acme-corp.example\"},\n", i, i)
	}
	sb.WriteString("  {}\n]")
	return sb.String()
}

// bodyHarness is the pane typing in a body of n lines, the cursor in its
// middle (on a line of text, after its first character).
func bodyHarness(b *testing.B, n int) *harness {
	b.Helper()
	h := benchHarness(b)
	t := h.tool
	if !t.body.SetText(jsonLines(n)) || t.body.Lines() != n {
		b.Fatalf("the body holds %d lines, want %d", t.body.Lines(), n)
	}
	t.setFocus(views.FocusBody)
	h.press(kp("enter")) // start typing
	if !t.editing {
		b.Fatal("enter on the body did not start typing")
	}
	t.body.moveRow(n / 2)
	t.body.col = 3
	t.relayout(h.ctx())
	mid := fmt.Sprintf(" %d ", n/2+1)
	if sc := h.screen(); !strings.Contains(sc, mid) {
		b.Fatalf("line %d is not on screen:\n%s", n/2+1, sc)
	}
	return h
}

// BenchmarkBodyTyping measures a key typed into the body: the root's
// routing (the pane's bindings, then Update) plus the frame, alternately
// a character and a backspace (the body keeps its size). The commands
// returned are not run: one is a big body's JSON check, which waits for
// a pause in the typing and then runs off the Update loop.
func BenchmarkBodyTyping(b *testing.B) {
	for _, n := range []int{100, bodyMaxLines} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			h := bodyHarness(b, n)
			t := h.tool
			keys := []tea.KeyPressMsg{kp("x"), kp("backspace")}
			line := t.body.lines[t.body.row]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rev := t.body.rev
				h.press(keys[i%2])
				if t.body.rev == rev {
					b.Fatal("the key did not change the body")
				}
				_ = h.render()
			}
			b.StopTimer()
			if b.N%2 == 0 && t.body.lines[t.body.row] != line {
				b.Fatalf("typing and deleting left %q, want %q", t.body.lines[t.body.row], line)
			}
			if t.body.Lines() != n {
				b.Fatalf("%d lines after typing, want %d", t.body.Lines(), n)
			}
		})
	}
}

// BenchmarkBodyCheck10000 is the JSON check of a 10,000-line body: what
// a pause in the typing costs, once, off the Update loop.
func BenchmarkBodyCheck10000(b *testing.B) {
	s := jsonLines(bodyMaxLines)
	b.SetBytes(int64(len(s)))
	for i := 0; i < b.N; i++ {
		if jsonError(s) != "" {
			b.Fatal("the body is not valid JSON")
		}
	}
}

// BenchmarkRequestKeyWithBigBody measures one key press elsewhere in the
// editor (the method selector) while the body holds 10,000 lines of
// JSON: routing plus the whole 120×40 frame. It must not grow with the
// body.
func BenchmarkRequestKeyWithBigBody(b *testing.B) {
	h := benchHarness(b)
	t := h.tool
	if !t.body.SetText(jsonLines(bodyMaxLines)) {
		b.Fatal("the body did not fit the editor")
	}
	t.setFocus(views.FocusMethod)
	t.body.checkNow()
	right := kp("l")
	h.press(right)
	if t.body.checkErr != "" || t.body.Lines() != bodyMaxLines {
		b.Fatalf("body: %d lines, error %q", t.body.Lines(), t.body.checkErr)
	}
	if sc := h.screen(); !strings.Contains(sc, "user0@acme-corp.example") {
		b.Fatalf("the body is not on screen:\n%s", sc)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := t.method
		h.press(right)
		if t.method == before {
			b.Fatal("the key did not change the method")
		}
		_ = h.render()
	}
}
