// Package sanitize makes untrusted text (anything an API answered, or a
// file someone could have edited) safe to write to a terminal. It is the
// one door for such text into the console and the headless output, and
// depends on nothing but the standard library, so a headless run does not
// pull the rendering stack in for it.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes one line of untrusted text safe for a terminal: escape
// sequences are removed with their payload, control characters, bidi
// controls and invisible format characters are dropped, tabs and line
// breaks become spaces, and invalid UTF-8 becomes U+FFFD.
//
// Nothing from the data may hide other data: a sequence never reaches past
// a double quote (the end of a JSON string), a line break or maxPayload
// bytes. A sequence that does not end before one of those (an unterminated
// OSC, DCS, SOS, PM or APC string, a CSI without its final byte) loses only
// its introducer; what follows it is shown as text.
func Line(s string) string { return sanitize(s, false) }

// Multiline is Line but keeps line breaks (CRLF, lone CR, U+2028 and
// U+2029 become \n).
func Multiline(s string) string { return sanitize(s, true) }

// maxPayload bounds what a control string or CSI may hide. Real titles and
// hyperlinks are shorter; past it the "payload" is shown, which is always
// safe, since the introducer is gone.
const maxPayload = 256

func sanitize(s string, multiline bool) string {
	if Plain(s) {
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

// Plain reports whether s is printable ASCII only: the common case, which
// needs no sanitizing (and is as wide as it is long).
func Plain(s string) bool {
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

// barrier reports a byte no sequence may swallow: the end of a JSON
// string, or a line break (U+2028, U+2029 and NEL are caught as runes by
// the callers that look past ASCII).
func barrier(c byte) bool { return c == '"' || c == '\n' || c == '\r' }

// skipEscape returns the index after the escape sequence whose ESC was at
// i-1, including any string payload (OSC, DCS, SOS, PM, APC). When no
// complete sequence follows, only the ESC is dropped.
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
	// nF sequences: intermediates 0x20-0x2f then one final byte; Fp, Fe
	// and Fs sequences are one final byte.
	j := i
	for j < len(s) && j-i < maxPayload && s[j] >= 0x20 && s[j] <= 0x2f && !barrier(s[j]) {
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
		return j + 1
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte
// (introducer ending at i). A CSI cut short (a barrier, a byte that cannot
// be part of it, the end of the text, or maxPayload) loses only its
// introducer.
func skipCSI(s string, i int) int {
	for j := i; j < len(s) && j-i < maxPayload; j++ {
		c := s[j]
		if c >= 0x40 && c <= 0x7e {
			return j + 1
		}
		if c < 0x20 || c > 0x7e || barrier(c) {
			return i
		}
	}
	return i
}

// skipString skips a control string (introducer ending at i) up to its
// terminator: BEL, ESC \ or C1 ST. Another ESC ends it too (a new
// sequence starts there). A string that meets a barrier, runs past
// maxPayload or never ends loses only its introducer, so a missing
// terminator cannot swallow what follows.
func skipString(s string, i int) int {
	for j := i; j < len(s) && j-i < maxPayload; {
		c := s[j]
		switch {
		case c == 0x07:
			return j + 1
		case c == 0x1b:
			if j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			return j
		case barrier(c):
			return i
		case c < utf8.RuneSelf:
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		switch r {
		case 0x9c: // C1 ST
			return j + size
		case 0x85, 0x2028, 0x2029: // NEL, line and paragraph separators
			return i
		}
		j += size
	}
	return i
}
