// Package sanitizetest holds the hostile strings the sanitizer's tests and
// the renderers' tests share, and the check that nothing a terminal could
// act on got through.
package sanitizetest

import (
	"strings"
	"unicode/utf8"
)

// Hostile are strings an attacker could plant in API data (a domain's
// category name, an event detail, a WHOIS field), the unterminated ones
// last.
var Hostile = []string{
	"\x1b]52;c;ZXZpbA==\x07",   // OSC 52: write the clipboard
	"\x1b]52;c;ZXZpbA==\x1b\\", // same, ST-terminated
	"\x1b[2J",                  // clear screen
	"\x1b[31mred\x1b[0m",       // colour
	"\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", // hyperlink
	"\x1bP+q544e\x1b\\",   // DCS (terminfo query)
	"\x1b_payload\x1b\\",  // APC
	"\x1b^pm\x1b\\",       // PM
	"\x1bXsos\x1b\\",      // SOS
	"\x1b(0",              // charset switch (nF)
	"\x1bc",               // full reset (RIS)
	"\u202e",              // right-to-left override
	"\x07",                // bell
	"\r",                  // carriage return
	"\u009b31m",           // C1 CSI
	"\u009d0;title\u009c", // C1 OSC, C1 ST
	"\x9b2J",              // raw 8-bit CSI (invalid UTF-8)
	"a\x00b\x7fc\x08d",    // NUL, DEL, backspace
	"\u2066isolate\u2069\u200fmark\u061c\u200e",
	"zero\u200bwidth\u200d\ufeff",
	"tag\U000E0041\U000E007F",
	"\x1b]0;unterminated title", // OSC without terminator
	"\x1b[",                     // truncated CSI
	"\x1b",                      // lone ESC
	"\u009dunterminated C1 OSC", // C1 OSC without terminator
}

// HostileJSON are C1 string introducers (and a C1 CSI) inside JSON text,
// as json.Marshal leaves them (it escapes only C0): the string must not
// swallow the next field, VISIBLE-B.
var HostileJSON = []string{
	`{"a":"x` + "\u009d" + `y","b":"VISIBLE-B"}`,
	`{"a":"x` + "\u0090" + `y","b":"VISIBLE-B","c":"` + "\u009c" + `"}`,
	"{\n  \"a\": \"x\u0098y\",\n  \"b\": \"VISIBLE-B\"\n}",
	`{"a":"` + "\u009e" + `","b":"VISIBLE-B"}`,
	`{"a":"` + "\u009f" + `","b":"VISIBLE-B"}`,
	`{"a":"x` + "\u009b" + `","b":"VISIBLE-B"}`,
}

// Dangerous reports the first thing in s a terminal could act on, or that
// hides or reorders text: C0 (but \n when multiline), DEL, C1, a raw 8-bit
// CSI byte, bidi controls, zero-width and tag characters.
func Dangerous(s string, multiline bool) (string, bool) {
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
