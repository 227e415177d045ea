package sanitize

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"cftriage/sanitize/sanitizetest"
)

var dangerous = sanitizetest.Dangerous

func TestSanitizeHostile(t *testing.T) {
	for _, h := range append(sanitizetest.Hostile, sanitizetest.HostileJSON...) {
		for _, ml := range []bool{false, true} {
			// The quote ends a JSON string: nothing may swallow it.
			in := "pre " + h + `" post`
			var got string
			if ml {
				got = Multiline(in)
			} else {
				got = Line(in)
			}
			if what, bad := dangerous(got, ml); bad {
				t.Errorf("sanitize(%q, multiline=%v) = %q: contains %s", in, ml, got, what)
			}
			// The surrounding text survives: sanitizing removes, it
			// does not swallow what comes before or after, terminated
			// or not.
			if !strings.HasPrefix(got, "pre ") || !strings.HasSuffix(got, `" post`) {
				t.Errorf("sanitize(%q) = %q: lost the text around it", in, got)
			}
			if strings.Contains(h, "VISIBLE-B") && !strings.Contains(got, "VISIBLE-B") {
				t.Errorf("sanitize(%q) = %q: a control string swallowed the next JSON field", in, got)
			}
		}
	}
}

func TestSanitizeExact(t *testing.T) {
	cases := []struct{ in, want, wantML string }{
		{"evil.example", "evil.example", "evil.example"},
		// Payloads go with their sequence.
		{"a\x1b]52;c;ZXZpbA==\x07b", "ab", "ab"},
		{"a\x1b]52;c;ZXZpbA==\x1b\\b", "ab", "ab"},
		{"a\x1b[2Jb", "ab", "ab"},
		{"a\x1b[38;2;255;0;0mb", "ab", "ab"},
		{"a\u009b31mb", "ab", "ab"},
		{"a\u009d0;x\u009cb", "ab", "ab"},
		{"a\x1bP1$r\x1b\\b", "ab", "ab"},
		{"a\x1b(0b", "ab", "ab"},
		// A sequence that does not end loses only its introducer: what
		// follows is shown, never swallowed.
		{"a\x1b]0;title", "a0;title", "a0;title"},
		{"a\u009d0;title", "a0;title", "a0;title"},
		{"a\u0090q", "aq", "aq"},
		{"a\x1b[12", "a12", "a12"},
		{"a\u009b12", "a12", "a12"},
		// The repro of the issue: a C1 OSC inside a JSON string.
		{`{"a":"x` + "\u009d" + `y","b":"SECRET-VISIBLE-B"}`, `{"a":"xy","b":"SECRET-VISIBLE-B"}`, `{"a":"xy","b":"SECRET-VISIBLE-B"}`},
		// A terminator further on does not help: a sequence never
		// reaches past the end of the JSON string it is in...
		{`{"a":"` + "\u009d" + `y","b":"B","c":"` + "\u009c" + `"}`, `{"a":"y","b":"B","c":""}`, `{"a":"y","b":"B","c":""}`},
		{`"x` + "\u009b" + `","b"`, `"x","b"`, `"x","b"`},
		{"\x1b\"q", "\"q", "\"q"},
		// ... nor past a line break ...
		{"a\u009dx\nb\u0007c", "ax bc", "ax\nbc"},
		{"a\x1b]0;x\r\nb\x07", "a0;x b", "a0;x\nb"},
		{"a\u009dx\u2028b\u009c", "ax b", "ax\nb"},
		// ... nor past maxPayload bytes.
		{"a\u009d" + strings.Repeat("x", maxPayload) + "\u009cb", "a" + strings.Repeat("x", maxPayload) + "b", "a" + strings.Repeat("x", maxPayload) + "b"},
		// A new ESC aborts a string; the new sequence is parsed.
		{"a\x1b]0;x\x1b[2Jb", "ab", "ab"},
		// Whitespace.
		{"a\tb", "a b", "a b"},
		{"a\nb", "a b", "a\nb"},
		{"a\r\nb", "a b", "a\nb"},
		{"a\rb", "a b", "a\nb"},
		{"a\u2028b", "a b", "a\nb"},
		// Invisible and bidi characters vanish; visible text stays.
		{"\u202egnp.exe", "gnp.exe", "gnp.exe"},
		{"pay\u200bpal", "paypal", "paypal"},
		{"a\u00adb", "ab", "ab"},
		// Invalid UTF-8 is replaced, not passed through.
		{"a\x9bb", "a\ufffdb", "a\ufffdb"},
		{"a\xffb", "a\ufffdb", "a\ufffdb"},
		// Legitimate non-ASCII survives.
		{"例え.テスト", "例え.テスト", "例え.テスト"},
		{"café — naïve", "café — naïve", "café — naïve"},
		{"👍🏽", "👍🏽", "👍🏽"},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Multiline(c.in); got != c.wantML {
			t.Errorf("Multiline(%q) = %q, want %q", c.in, got, c.wantML)
		}
	}
}

// TestC1InsidePrettyJSON is the repro as the headless api command
// and the Request pane see it: the server's \u009d escape decoded, the
// body indented again (encoding/json leaves C1 raw), then sanitized.
func TestC1InsidePrettyJSON(t *testing.T) {
	for _, c1 := range []string{`\u0090`, `\u0098`, `\u009d`, `\u009e`, `\u009f`} {
		body := `{"success":true,"result":{"a":"x` + c1 + `y","b":"SECRET-VISIBLE-B"}}`
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		pretty, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got := Multiline(string(pretty))
		if !strings.Contains(got, `"b": "SECRET-VISIBLE-B"`) || !strings.HasSuffix(got, "}") {
			t.Errorf("%s: the field after the control string is gone:\n%s", c1, got)
		}
	}
}

func seed(f *testing.F) {
	for _, h := range append(sanitizetest.Hostile, sanitizetest.HostileJSON...) {
		f.Add(h)
	}
	f.Add("plain text")
}

func FuzzSanitize(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, s string) {
		got := Line(s)
		if what, bad := dangerous(got, false); bad {
			t.Fatalf("Line(%q) = %q contains %s", s, got, what)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Line(%q) = %q is not valid UTF-8", s, got)
		}
		if again := Line(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
		ml := Multiline(s)
		if what, bad := dangerous(ml, true); bad {
			t.Fatalf("Multiline(%q) = %q contains %s", s, ml, what)
		}
		if strings.ReplaceAll(ml, "\n", " ") != got {
			t.Fatalf("multiline and single-line disagree: %q vs %q", ml, got)
		}
		// Whatever s leaves open, it cannot swallow the next JSON
		// string or the next line.
		if got := Line(s + `"VISIBLE`); !strings.HasSuffix(got, `"VISIBLE`) {
			t.Fatalf("Line(%q + %q) = %q: the text after a quote was swallowed", s, `"VISIBLE`, got)
		}
		if got := Multiline(s + "\nVISIBLE"); !strings.HasSuffix(got, "\nVISIBLE") {
			t.Fatalf("Multiline(%q + %q) = %q: the next line was swallowed", s, "\nVISIBLE", got)
		}
	})
}

// FuzzSanitizeJSON puts the fuzzed string in one field of a JSON object,
// compact and indented as the api command prints it: the field after it
// must come through whole.
func FuzzSanitizeJSON(f *testing.F) {
	seed(f)
	for _, c1 := range []string{"\u0090", "\u0098", "\u009d", "\u009e", "\u009f", "\u009b"} {
		f.Add("x" + c1 + "y")
		f.Add(c1)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := struct {
			A string `json:"a"`
			B string `json:"b"`
		}{s, "VISIBLE-B"}
		compact, _ := json.Marshal(v)
		if got := Line(string(compact)); !strings.HasSuffix(got, `,"b":"VISIBLE-B"}`) {
			t.Fatalf("Line(%s) = %q: the next field was swallowed", compact, got)
		}
		pretty, _ := json.MarshalIndent(v, "", "  ")
		if got := Multiline(string(pretty)); !strings.HasSuffix(got, ",\n  \"b\": \"VISIBLE-B\"\n}") {
			t.Fatalf("Multiline(%s) = %q: the next field was swallowed", pretty, got)
		}
	})
}
