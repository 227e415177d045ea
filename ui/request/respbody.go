package request

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"unicode/utf8"

	"cftriage/sanitize"
)

// rsChunk bounds a displayed line: longer lines are cut into
// continuation lines when the body is prepared, so a minified
// multi-megabyte line costs no more to draw than a short one.
const rsChunk = 2048

// maxSearchMatches caps the matches a body search records.
const maxSearchMatches = 100000

// respBody is a response body prepared once, off the Update loop, for
// display: a JSON body is pretty-printed, anything else is kept as text;
// both are sanitized and split into lines. Rendering touches only the
// visible lines, so a 5 MB body scrolls as fast as a small one. It is
// the views.ResponseBody the viewer draws.
type respBody struct {
	json bool // the body parsed as JSON and was pretty-printed
	size int  // the raw body's length in bytes

	text   string // sanitized display text, lines separated by \n
	lower  string // text with ASCII letters lowered (same byte offsets), for search
	starts []int  // byte offset of each displayed line
}

// newRespBody prepares raw for display. It is pure but not cheap for a large
// body: call it where I/O would be allowed (in a tea.Cmd), not in Update.
func newRespBody(raw []byte) *respBody {
	b := &respBody{size: len(raw)}
	text := ""
	if len(bytes.TrimSpace(raw)) > 0 {
		if json.Valid(raw) {
			var buf bytes.Buffer
			buf.Grow(len(raw) + len(raw)/2)
			if json.Indent(&buf, raw, "", "  ") == nil {
				b.json = true
				text = buf.String()
			}
		}
		if !b.json {
			text = string(raw)
		}
	}
	text = strings.TrimRight(sanitize.Multiline(text), "\n ")
	b.text = text
	b.lower = rsLower(text)
	b.starts = rsLineStarts(text)
	return b
}

// rsLineStarts splits text at \n and cuts lines longer than rsChunk
// (at a rune boundary) into continuation lines.
func rsLineStarts(text string) []int {
	if text == "" {
		return nil
	}
	starts := make([]int, 0, strings.Count(text, "\n")+1)
	for i := 0; i <= len(text); {
		starts = append(starts, i)
		nl := strings.IndexByte(text[i:], '\n')
		end := len(text)
		if nl >= 0 {
			end = i + nl
		}
		for end-i > rsChunk {
			cut := i + rsChunk
			for cut > i && !utf8.RuneStart(text[cut]) {
				cut--
			}
			if cut == i {
				cut = i + rsChunk
			}
			i = cut
			starts = append(starts, i)
		}
		if nl < 0 {
			break
		}
		i = end + 1
	}
	return starts
}

func rsLower(s string) string {
	hasUpper := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			hasUpper = true
			break
		}
	}
	if !hasUpper {
		return s
	}
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Lines is the number of displayed lines (0 for an empty body).
func (b *respBody) Lines() int {
	if b == nil {
		return 0
	}
	return len(b.starts)
}

// bounds is the byte range of displayed line i in text.
func (b *respBody) bounds(i int) (int, int) {
	start := b.starts[i]
	end := len(b.text)
	if i+1 < len(b.starts) {
		end = b.starts[i+1]
		if end > start && b.text[end-1] == '\n' {
			end--
		}
	}
	return start, end
}

// LineStart is the byte offset of displayed line i in Text.
func (b *respBody) LineStart(i int) int {
	if b == nil || i < 0 || i >= len(b.starts) {
		return 0
	}
	return b.starts[i]
}

// Line returns displayed line i (sanitized).
func (b *respBody) Line(i int) string {
	s, e := b.bounds(i)
	return b.text[s:e]
}

// Continued reports that line i continues the line above (a long line cut).
func (b *respBody) Continued(i int) bool {
	s := b.starts[i]
	return s > 0 && b.text[s-1] != '\n'
}

// Text is the whole display text: pretty JSON or the sanitized text. It
// is what "copy body" copies.
func (b *respBody) Text() string {
	if b == nil {
		return ""
	}
	return b.text
}

// Search returns the byte offsets of the matches of q in the display
// text, in order, case-insensitive for ASCII letters, at most
// maxSearchMatches of them.
func (b *respBody) Search(q string) []int {
	if b == nil || q == "" {
		return nil
	}
	q = rsLower(sanitize.Line(q))
	var out []int
	for off := 0; len(out) < maxSearchMatches; {
		i := strings.Index(b.lower[off:], q)
		if i < 0 {
			break
		}
		out = append(out, off+i)
		off += i + len(q)
	}
	return out
}

// LineOf is the displayed line holding byte offset off.
func (b *respBody) LineOf(off int) int {
	if b == nil || len(b.starts) == 0 {
		return 0
	}
	return max(0, sort.SearchInts(b.starts, off+1)-1)
}

// IsJSON reports that the body parsed as JSON and was pretty-printed.
func (b *respBody) IsJSON() bool { return b.json }

// Size is the raw body's length in bytes.
func (b *respBody) Size() int { return b.size }
