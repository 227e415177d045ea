package views

import (
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

func TestNewBodyPrettyPrintsJSONAndSanitizes(t *testing.T) {
	raw := []byte(`{"success":true,"result":{"name":"evil` + "\u202e" + `gpj.exe","n":[1,2.5e3,null]},"esc":"\u001b[2J"}`)
	b := NewBody(raw)
	if !b.JSON {
		t.Fatal("valid JSON not recognised")
	}
	if b.Size != len(raw) {
		t.Fatalf("Size = %d, want %d", b.Size, len(raw))
	}
	text := b.Text()
	if strings.ContainsRune(text, '\u202e') {
		t.Fatal("bidi override kept in the display text")
	}
	if !strings.Contains(text, "\n  \"result\": {\n    \"name\": \"evilgpj.exe\",") {
		t.Fatalf("not pretty-printed as expected:\n%s", text)
	}
	// The escaped ESC stays an escape in the text, never a raw byte.
	if strings.ContainsRune(text, 0x1b) || !strings.Contains(text, `\u001b[2J`) {
		t.Fatalf("escape handling: %q", text)
	}
	if b.Lines() != strings.Count(text, "\n")+1 {
		t.Fatalf("Lines = %d for %d newlines", b.Lines(), strings.Count(text, "\n"))
	}
	for i := 0; i < b.Lines(); i++ {
		if strings.Contains(b.Line(i), "\n") {
			t.Fatalf("line %d holds a newline", i)
		}
	}
}

func TestNewBodyTextIsSanitized(t *testing.T) {
	b := NewBody([]byte("<html>\x1b]52;c;ZXZpbA==\x07gateway\r\nerror\u009b31m</html>"))
	if b.JSON {
		t.Fatal("HTML taken for JSON")
	}
	if b.Lines() != 2 || b.Line(0) != "<html>gateway" || b.Line(1) != "error</html>" {
		t.Fatalf("lines = %q", b.Text())
	}
	if NewBody(nil).Lines() != 0 || NewBody([]byte("  \n")).Lines() != 0 {
		t.Fatal("an empty body has lines")
	}
}

func TestLongLinesAreCutIntoContinuations(t *testing.T) {
	long := strings.Repeat("é", 3000) // 6000 bytes: cut at rune boundaries
	b := NewBody([]byte("first\n" + long + "\nlast"))
	if b.Lines() != 2+3 {
		t.Fatalf("Lines = %d, want 5", b.Lines())
	}
	var joined strings.Builder
	for i := 1; i <= 3; i++ {
		l := b.Line(i)
		if len(l) > rsChunk {
			t.Fatalf("line %d is %d bytes", i, len(l))
		}
		if !strings.HasPrefix(l, "é") {
			t.Fatalf("line %d does not start on a rune boundary", i)
		}
		if (i > 1) != b.continued(i) {
			t.Fatalf("continued(%d) = %v", i, b.continued(i))
		}
		joined.WriteString(l)
	}
	if joined.String() != long || b.Line(4) != "last" {
		t.Fatal("the cut lines do not add up to the original")
	}
	out := RenderResponse(ResponseView{Status: 200, Body: b, Match: -1}, 40, 10, PlainTheme())
	assertExact(t, "long", out, 40, 10)
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[4], " 2 é") || !strings.HasPrefix(lines[5], "   é") {
		t.Fatalf("continuation lines carry a line number:\n%s", out)
	}
}

func TestSearchIsCaseInsensitiveWithOffsets(t *testing.T) {
	b := NewBody([]byte(`{"a":"Evil","b":["evil.example","EVIL"]}`))
	m := b.Search("eViL")
	if len(m) != 3 {
		t.Fatalf("%d matches, want 3", len(m))
	}
	for _, off := range m {
		if got := strings.ToLower(b.Text()[off : off+4]); got != "evil" {
			t.Fatalf("match at %d is %q", off, got)
		}
	}
	if l := b.LineOf(m[1]); !strings.Contains(b.Line(l), "evil.example") {
		t.Fatalf("LineOf(%d) = %d: %q", m[1], l, b.Line(l))
	}
	if len(b.Search("absent")) != 0 || len(b.Search("")) != 0 {
		t.Fatal("matches for an absent or empty query")
	}
}

func TestRenderResponseExactSizes(t *testing.T) {
	body := NewBody([]byte(`{"result":{"ip":"203.0.113.7","risk_types":[{"id":1,"name":"Command and Control"}]},"success":true,"errors":[],"messages":[]}`))
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
	b := NewBody([]byte(sb.String()))
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
	body := NewBody(raw)
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
	v := ResponseView{Method: "GET", URL: url, Status: 200, Body: NewBody([]byte(`{"a":1}`)), Match: -1}
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
