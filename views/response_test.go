package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// assertExact fails unless s is exactly w×h cells.
func assertExact(t *testing.T, name, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Fatalf("%s: %d lines, want %d:\n%s", name, len(lines), h, ansi.Strip(s))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%s: line %d is %d wide, want %d: %q", name, i, got, w, ansi.Strip(l))
		}
	}
}

func TestRenderResponseExactSizes(t *testing.T) {
	body := newTestBody([]byte(`{"result":{"ip":"203.0.113.7","risk_types":[{"id":1,"name":"Command and Control"}]},"success":true,"errors":[],"messages":[]}`))
	hdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Cf-Ray": {"8a1b\x1b[31m2c3d-SJC"}}
	views := map[string]ResponseView{
		"ok":      {Method: "GET", URL: "https://api.example/client/v4/x", Status: 200, Duration: 42 * time.Millisecond, Header: hdr, Body: body, Match: -1},
		"err":     {Method: "POST", URL: "https://api.example/client/v4/x", Status: 403, Header: hdr, Body: body, Err: strings.Repeat("missing permission ", 20), Match: -1},
		"headers": {Status: 200, Header: hdr, Body: body, ShowHeaders: true, Match: -1},
		"failed":  {Method: "GET", Err: "connection refused", Match: -1},
		"pending": {Pending: true, Method: "GET", URL: "https://api.example/x"},
		"none":    {Match: -1},
		"search":  {Status: 200, Body: body, Search: "result", Matches: body.Search("result"), Match: 0, XOff: 3},
		"typing":  {Status: 200, Body: body, SearchInput: "/resu", Match: -1},
	}
	for name, v := range views {
		for _, sz := range [][2]int{{80, 24}, {120, 40}, {30, 6}, {12, 3}, {1, 1}} {
			out := RenderResponse(v, sz[0], sz[1], NewTheme(true, false))
			assertExact(t, fmt.Sprintf("%s %dx%d", name, sz[0], sz[1]), out, sz[0], sz[1])
			if strings.Contains(ansi.Strip(out), "\x1b") {
				t.Fatalf("%s: a raw escape survived", name)
			}
		}
	}
	out := ansi.Strip(RenderResponse(views["headers"], 80, 10, PlainTheme()))
	if !strings.Contains(out, "Cf-Ray: 8a1b2c3d-SJC") {
		t.Fatalf("header value not sanitized/shown:\n%s", out)
	}
	out = ansi.Strip(RenderResponse(views["ok"], 80, 24, PlainTheme()))
	for _, want := range []string{"200 OK", "42 ms", "application/json", "Body (", `"ip": "203.0.113.7"`} {
		if !strings.Contains(out, want) {
			t.Fatalf("response lacks %q:\n%s", want, out)
		}
	}
}

func TestResponseScrollShowsOnlyTheWindow(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("[")
	for i := 0; i < 500; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"item-%03d"`, i)
	}
	sb.WriteString("]")
	b := newTestBody([]byte(sb.String()))
	v := ResponseView{Status: 200, Body: b, Top: 100, Match: -1}
	rows := ResponseBodyRows(v, 60, 20)
	out := ansi.Strip(RenderResponse(v, 60, 20, PlainTheme()))
	if !strings.Contains(out, `"item-099"`) || strings.Contains(out, `"item-098"`) {
		t.Fatalf("window does not start at line 101:\n%s", out)
	}
	last := fmt.Sprintf(`"item-%03d"`, 99+rows-1)
	if !strings.Contains(out, last) || strings.Contains(out, fmt.Sprintf(`"item-%03d"`, 99+rows)) {
		t.Fatalf("window is not %d lines:\n%s", rows, out)
	}
	if !strings.Contains(out, "lines 101-") {
		t.Fatalf("position not shown:\n%s", out)
	}
}

func TestPaintWindowMatchesAndHorizontalScroll(t *testing.T) {
	th := Theme{Match: lipgloss.NewStyle().Bold(true), Cursor: lipgloss.NewStyle().Underline(true)}
	line := `"evil": "EVIL evil"`
	segs := rsJSONSegments(line, nil)
	ms := [][2]int{{1, 5}, {9, 13}, {14, 18}}
	out := rsPaintWindow(line, segs, ms, 9, 0, 40, rsMakePalette(th))
	if ansi.Strip(out) != line {
		t.Fatalf("text changed: %q", ansi.Strip(out))
	}
	if strings.Count(out, "\x1b[1m") != 2 || strings.Count(out, "\x1b[4m") != 1 {
		t.Fatalf("want two plain matches and one current: %q", out)
	}
	if !strings.Contains(out, "\x1b[4mEVIL") {
		t.Fatalf("current match is not the one at byte 9: %q", out)
	}
	if got := ansi.Strip(rsPaintWindow("abcdefghij", []rsSeg{{0, 10, rsPlain}}, nil, -1, 3, 4, rsMakePalette(Theme{}))); got != "defg" {
		t.Fatalf("window [3,7) = %q", got)
	}
	// A wide character cut by the left edge leaves a blank, not half a glyph.
	if got := ansi.Strip(rsPaintWindow("日本語", []rsSeg{{0, 9, rsPlain}}, nil, -1, 1, 4, rsMakePalette(Theme{}))); got != " 本" {
		t.Fatalf("wide window = %q", got)
	}
}

func TestJSONSegmentsKinds(t *testing.T) {
	line := `    "key": "va\"l", 12.5e-3, true, false, null, {}`
	segs := rsJSONSegments(line, nil)
	kinds := map[string]int{}
	for _, s := range segs {
		kinds[line[s.start:s.end]] = s.kind
	}
	want := map[string]int{`"key"`: rsKey, `"va\"l"`: rsString, "12.5e-3": rsNumber, "true": rsBool, "false": rsBool, "null": rsNull, "{": rsPunct, ":": rsPunct}
	for tok, k := range want {
		if got, ok := kinds[tok]; !ok || got != k {
			t.Errorf("%s: kind %d (found %v), want %d", tok, got, ok, k)
		}
	}
	// Segments tile the line exactly.
	pos := 0
	for _, s := range segs {
		if s.start != pos {
			t.Fatalf("gap at %d", pos)
		}
		pos = s.end
	}
	if pos != len(line) {
		t.Fatalf("segments end at %d of %d", pos, len(line))
	}
}

func BenchmarkRenderResponse5MB(b *testing.B) {
	raw := bigJSON(5 << 20)
	body := newTestBody(raw)
	th := NewTheme(true, false)
	v := ResponseView{Status: 200, Body: body, Match: -1, Header: http.Header{}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Top = (i * 37) % body.Lines()
		_ = RenderResponse(v, 120, 40, th)
	}
}

// bigJSON is a realistic JSON response of about n bytes (minified, as
// the API sends it).
func bigJSON(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"success":true,"errors":[],"messages":[],"result":[`)
	for i := 0; sb.Len() < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"hostname":"host-%d.example.com","first_seen":"2026-01-%02dT10:00:00Z","risky":%v,"score":%d.5,"tags":["a","b"],"note":null}`, i, i, i%28+1, i%3 == 0, i%100)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

func TestRenderResponseWrapsTheURL(t *testing.T) {
	url := "https://api.cloudflare.com/client/v4/accounts/023e105f4ecef8ad9ca31a8372d0c353/intel/ip?ipv4=203.0.113.7"
	v := ResponseView{Method: "GET", URL: url, Status: 200, Body: newTestBody([]byte(`{"a":1}`)), Match: -1}
	for _, w := range []int{40, 60} {
		out := ansi.Strip(RenderResponse(v, w, 12, PlainTheme()))
		if !strings.Contains(strings.Join(strings.Fields(out), ""), "GET"+url) {
			t.Fatalf("width %d: the URL is cut:\n%s", w, out)
		}
		if !strings.Contains(out, `"a": 1`) {
			t.Fatalf("width %d: the body is gone:\n%s", w, out)
		}
	}
	v.Pending, v.Status, v.Body = true, 0, nil
	out := ansi.Strip(RenderResponse(v, 40, 12, PlainTheme()))
	if !strings.Contains(strings.Join(strings.Fields(out), ""), url) {
		t.Fatalf("pending: the URL is cut:\n%s", out)
	}
}

// testBody is a ResponseBody for the renderer's tests: the text
// pretty-printed when it is JSON and split at newlines. The Request
// pane's document model (ui/request) also sanitizes and cuts long lines;
// those are tested there, with this renderer.
type testBody struct {
	json   bool
	size   int
	text   string
	starts []int
}

func newTestBody(raw []byte) *testBody {
	b := &testBody{size: len(raw), text: string(raw)}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") == nil {
		b.json, b.text = true, buf.String()
	}
	if b.text != "" {
		b.starts = append(b.starts, 0)
		for i := 0; i < len(b.text); i++ {
			if b.text[i] == '\n' {
				b.starts = append(b.starts, i+1)
			}
		}
	}
	return b
}

func (b *testBody) Lines() int           { return len(b.starts) }
func (b *testBody) LineStart(i int) int  { return b.starts[i] }
func (b *testBody) Continued(i int) bool { return false }
func (b *testBody) IsJSON() bool         { return b.json }
func (b *testBody) Size() int            { return b.size }
func (b *testBody) Line(i int) string {
	end := len(b.text)
	if i+1 < len(b.starts) {
		end = b.starts[i+1] - 1
	}
	return b.text[b.starts[i]:end]
}

// Search is the byte offsets of q, case-insensitive.
func (b *testBody) Search(q string) []int {
	var out []int
	low, q := strings.ToLower(b.text), strings.ToLower(q)
	for off := 0; q != ""; {
		i := strings.Index(low[off:], q)
		if i < 0 {
			break
		}
		out = append(out, off+i)
		off += i + len(q)
	}
	return out
}
