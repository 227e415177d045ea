package views

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize makes one line of untrusted API text safe for a terminal:
// escape sequences are removed with their payload, control characters,
// bidi controls and invisible format characters are dropped, tabs and
// line breaks become spaces, and invalid UTF-8 becomes U+FFFD.
func Sanitize(s string) string { return sanitize(s, false) }

// SanitizeMultiline is Sanitize but keeps line breaks (CRLF and lone CR
// become \n).
func SanitizeMultiline(s string) string { return sanitize(s, true) }

func sanitize(s string, multiline bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	nl := " "
	if multiline {
		nl = "\n"
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			// A stray byte such as 0x9b would be CSI on an 8-bit terminal.
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		switch {
		case r == 0x1b: // ESC
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x90 || r == 0x98 || r == 0x9d || r == 0x9e || r == 0x9f: // C1 DCS, SOS, OSC, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteString(nl)
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++ // CRLF is one break
			}
			b.WriteString(nl)
		case r == 0x2028 || r == 0x2029: // line / paragraph separator
			b.WriteString(nl)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			// other C0, DEL, other C1: dropped
		case invisible(r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII only, the common case,
// so it can be returned without allocating.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// invisible reports format characters that render as nothing and can
// reorder or disguise text: bidi embeddings, overrides, isolates and marks,
// zero-width characters, BOM, tag characters — all of Unicode's Cf
// category — and a few blank-looking letters used for spoofing.
func invisible(r rune) bool {
	switch r {
	case 0x115f, 0x1160, 0x3164, 0xffa0, 0x034f, 0x180e:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// skipEscape returns the index after the escape sequence whose ESC was at
// i-1, including any string payload (OSC, DCS, SOS, PM, APC).
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	// nF sequences: intermediates 0x20-0x2f then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c >= 0x40 && c <= 0x7e {
			return i + 1
		}
		if c < 0x20 || c > 0x7e {
			// Malformed: leave the byte to the caller, which drops
			// controls and keeps text.
			return i
		}
		i++
	}
	return i
}

// skipString skips a control string up to its terminator: BEL, ESC \ or
// C1 ST. An unterminated string swallows the rest of the text, which is
// what a terminal would do too.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // a new escape sequence aborts the string
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}
