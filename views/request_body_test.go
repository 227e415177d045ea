package views

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestRenderRequestBody(t *testing.T) {
	th := PlainTheme()
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = "line" + strconv.Itoa(i+1)
	}
	for _, tc := range []struct {
		name        string
		body        RequestBody
		width, rows int
		want        []string
	}{
		{"empty shows the placeholder", RequestBody{Placeholder: "JSON body"}, 40, 5, []string{"  1 JSON body"}},
		{"cursor at the top", RequestBody{Lines: ten}, 40, 3, []string{"  1 line1", "  2 line2", "  3 line3"}},
		{"cursor below the window", RequestBody{Lines: ten, CursorLine: 6}, 40, 3, []string{"  5 line5", "  6 line6", "  7 line7"}},
		{"cursor on the last line", RequestBody{Lines: ten, CursorLine: 9}, 40, 3, []string{"  8 line8", "  9 line9", " 10 line10"}},
		{"shorter than the rows", RequestBody{Lines: ten[:2], CursorLine: 1}, 40, 5, []string{"  1 line1", "  2 line2"}},
		{"no rows still shows one", RequestBody{Lines: ten, CursorLine: 4}, 40, 0, []string{"  5 line5"}},
		{"a long line is cut to the text column", RequestBody{Lines: []string{strings.Repeat("a", 30)}}, 14, 2, []string{"  1 " + strings.Repeat("a", 9) + "…"}},
		{"cut by cells, not bytes", RequestBody{Lines: []string{"例例例例例例"}}, 10, 1, []string{"  1 例例…"}},
		{"an empty line stays", RequestBody{Lines: []string{"{", "", "}"}}, 20, 3, []string{"  1 {", "  2 ", "  3 }"}},
	} {
		got := RenderRequestBody(tc.body, tc.width, tc.rows, th)
		if want := strings.Join(tc.want, "\n"); got != want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, want)
		}
	}
}

// A body is the analyst's text but may come from a file (a saved request,
// history): control sequences in it are never drawn.
func TestRenderRequestBodySanitizes(t *testing.T) {
	for _, th := range []Theme{PlainTheme(), NewTheme(true, false)} {
		b := RequestBody{Lines: []string{"\x1b]52;c;ZXZpbA==\x07\x1b[2Jred\u009b31m\tx\u202e"}}
		got := RenderRequestBody(b, 40, 1, th)
		if plain := ansi.Strip(got); plain != "  1 red x" {
			t.Errorf("drawn as %q", plain)
		}
		for _, bad := range []string{"\x1b]", "\x1b[2J", "\x07", "\u009b", "\u202e", "\t"} {
			if strings.Contains(got, bad) {
				t.Errorf("output keeps %q: %q", bad, got)
			}
		}
	}
}

// The cursor is drawn where the editor has it, on a line that scrolls
// sideways to keep it in view; the number column fits the last number.
func TestRenderRequestBodyCursorAndGutter(t *testing.T) {
	th := PlainTheme()
	long := "0123456789abcdefghij"
	for _, tc := range []struct {
		name        string
		body        RequestBody
		width, rows int
		want        []string
	}{
		{"cursor inside a short line", RequestBody{Lines: []string{"abc"}, Cursor: true, CursorCol: 1}, 20, 1, []string{"  1 abc"}},
		{"cursor past the column scrolls the line", RequestBody{Lines: []string{long}, Cursor: true, CursorCol: 15}, 14, 1, []string{"  1 …789abcdef"}},
		{"cursor at the end of a long line", RequestBody{Lines: []string{long}, Cursor: true, CursorCol: len(long)}, 14, 1, []string{"  1 …cdefghij "}},
		{"the rest is cut after the cursor", RequestBody{Lines: []string{long}, Cursor: true, CursorCol: 2}, 14, 1, []string{"  1 012345678…"}},
		{"the window starts at Top", RequestBody{Lines: make([]string, 10), CursorLine: 5, Top: 4}, 20, 3, []string{"  5 ", "  6 ", "  7 "}},
		{"Top is moved to show the cursor", RequestBody{Lines: make([]string, 10), CursorLine: 8, Top: 1}, 20, 3, []string{"  7 ", "  8 ", "  9 "}},
		{"a wider number column for 100 lines", RequestBody{Lines: make([]string, 100), CursorLine: 99}, 20, 2, []string{"  99 ", " 100 "}},
	} {
		got := ansi.Strip(RenderRequestBody(tc.body, tc.width, tc.rows, th))
		if want := strings.Join(tc.want, "\n"); got != want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, want)
		}
		for _, l := range strings.Split(got, "\n") {
			if w := ansi.StringWidth(l); w > tc.width {
				t.Errorf("%s: line %q is %d wide, more than %d", tc.name, l, w, tc.width)
			}
		}
	}
	// The cursor cell is styled apart from the text (reverse in the
	// plain theme).
	got := RenderRequestBody(RequestBody{Lines: []string{"abc"}, Cursor: true, CursorCol: 1}, 20, 1, NewTheme(true, true))
	if want := th.Cursor.Render("b"); !strings.Contains(got, want) {
		t.Errorf("the cursor is not drawn on b: %q (want %q inside)", got, want)
	}
}
