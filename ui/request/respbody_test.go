package request

import (
	"strings"
	"testing"

	"cftriage/views"
)

func TestNewBodyPrettyPrintsJSONAndSanitizes(t *testing.T) {
	raw := []byte(`{"success":true,"result":{"name":"evil` + "\u202e" + `gpj.exe","n":[1,2.5e3,null]},"esc":"\u001b[2J"}`)
	b := newRespBody(raw)
	if !b.json {
		t.Fatal("valid JSON not recognised")
	}
	if b.size != len(raw) {
		t.Fatalf("size = %d, want %d", b.size, len(raw))
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
	b := newRespBody([]byte("<html>\x1b]52;c;ZXZpbA==\x07gateway\r\nerror\u009b31m</html>"))
	if b.json {
		t.Fatal("HTML taken for JSON")
	}
	if b.Lines() != 2 || b.Line(0) != "<html>gateway" || b.Line(1) != "error</html>" {
		t.Fatalf("lines = %q", b.Text())
	}
	if newRespBody(nil).Lines() != 0 || newRespBody([]byte("  \n")).Lines() != 0 {
		t.Fatal("an empty body has lines")
	}
}

func TestLongLinesAreCutIntoContinuations(t *testing.T) {
	long := strings.Repeat("é", 3000) // 6000 bytes: cut at rune boundaries
	b := newRespBody([]byte("first\n" + long + "\nlast"))
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
		if (i > 1) != b.Continued(i) {
			t.Fatalf("Continued(%d) = %v", i, b.Continued(i))
		}
		joined.WriteString(l)
	}
	if joined.String() != long || b.Line(4) != "last" {
		t.Fatal("the cut lines do not add up to the original")
	}
	out := views.RenderResponse(views.ResponseView{Status: 200, Body: b, Match: -1}, 40, 10, views.PlainTheme())
	lines := strings.Split(out, "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want 10", len(lines))
	}
	if !strings.HasPrefix(lines[4], " 2 é") || !strings.HasPrefix(lines[5], "   é") {
		t.Fatalf("continuation lines carry a line number:\n%s", out)
	}
}

func TestSearchIsCaseInsensitiveWithOffsets(t *testing.T) {
	b := newRespBody([]byte(`{"a":"Evil","b":["evil.example","EVIL"]}`))
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
