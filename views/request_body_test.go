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
