package views

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile are strings an attacker could plant in API data (a domain's
// category name, an event detail, a WHOIS field).
var hostile = []string{
	"\x1b]52;c;ZXZpbA==\x07",   // OSC 52: write the clipboard
	"\x1b]52;c;ZXZpbA==\x1b\\", // same, ST-terminated
	"\x1b[2J",                  // clear screen
	"\x1b[31mred\x1b[0m",       // colour
	"\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", // hyperlink
	"\x1bP+q544e\x1b\\",         // DCS (terminfo query)
	"\x1b_payload\x1b\\",        // APC
	"\x1b^pm\x1b\\",             // PM
	"\x1bXsos\x1b\\",            // SOS
	"\x1b(0",                    // charset switch (nF)
	"\x1bc",                     // full reset (RIS)
	"\u202e",                    // right-to-left override
	"\x07",                      // bell
	"\r",                        // carriage return
	"\u009b31m",                 // C1 CSI
	"\u009d0;title\u009c",       // C1 OSC, C1 ST
	"\x9b2J",                    // raw 8-bit CSI (invalid UTF-8)
	"\x1b]0;unterminated title", // OSC without terminator
	"\x1b[",                     // truncated CSI
	"\x1b",                      // lone ESC
	"a\x00b\x7fc\x08d",          // NUL, DEL, backspace
	"\u2066isolate\u2069\u200fmark\u061c\u200e",
	"zero\u200bwidth\u200d\ufeff",
	"tag\U000E0041\U000E007F",
}

// dangerous reports the first byte sequence a terminal could act on.
func dangerous(s string, multiline bool) (string, bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && strings.HasPrefix(s[i:], "\x9b"):
			return "raw C1 byte", true
		case r == '\n' && multiline:
		case r < 0x20 || r == 0x7f:
			return "C0/DEL", true
		case r >= 0x80 && r <= 0x9f:
			return "C1", true
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			return "bidi control", true
		case r == 0x200b || r == 0x200d || r == 0xfeff:
			return "zero-width", true
		case r >= 0xe0000 && r <= 0xe007f:
			return "tag character", true
		}
	}
	return "", false
}

func TestSanitizeHostile(t *testing.T) {
	for _, h := range hostile {
		for _, ml := range []bool{false, true} {
			in := "pre " + h + " post"
			var got string
			if ml {
				got = SanitizeMultiline(in)
			} else {
				got = Sanitize(in)
			}
			if what, bad := dangerous(got, ml); bad {
				t.Errorf("Sanitize(%q, multiline=%v) = %q: contains %s", in, ml, got, what)
			}
			// The surrounding text survives: sanitizing removes, it does
			// not swallow what follows a terminated sequence.
			if !strings.HasPrefix(got, "pre ") {
				t.Errorf("Sanitize(%q) = %q: lost the prefix", in, got)
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
		// An unterminated string swallows the rest, as a terminal would.
		{"a\x1b]0;title", "a", "a"},
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
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := SanitizeMultiline(c.in); got != c.wantML {
			t.Errorf("SanitizeMultiline(%q) = %q, want %q", c.in, got, c.wantML)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, h := range hostile {
		f.Add(h)
	}
	f.Add("plain text")
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if what, bad := dangerous(got, false); bad {
			t.Fatalf("Sanitize(%q) = %q contains %s", s, got, what)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Sanitize(%q) = %q is not valid UTF-8", s, got)
		}
		if again := Sanitize(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
		ml := SanitizeMultiline(s)
		if what, bad := dangerous(ml, true); bad {
			t.Fatalf("SanitizeMultiline(%q) = %q contains %s", s, ml, what)
		}
		if strings.ReplaceAll(ml, "\n", " ") != got {
			t.Fatalf("multiline and single-line disagree: %q vs %q", ml, got)
		}
	})
}
