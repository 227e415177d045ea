package views

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestScrollOffset(t *testing.T) {
	cases := []struct{ cursor, offset, height, n, want int }{
		{0, 0, 10, 100, 0},
		{9, 0, 10, 100, 0},   // last visible row: no scroll
		{10, 0, 10, 100, 1},  // one below: scroll by one
		{50, 0, 10, 100, 41}, // jump: cursor lands on the last row
		{5, 20, 10, 100, 5},  // above the window: cursor on the first row
		{25, 20, 10, 100, 20},
		{99, 95, 10, 100, 90}, // offset never leaves empty rows at the end
		{3, 0, 10, 5, 0},      // everything fits
		{200, 0, 10, 100, 90}, // cursor past the end is clamped
		{-3, 7, 10, 100, 0},
		{0, 0, 0, 100, 0},
		{0, 0, 10, 0, 0},
	}
	for _, c := range cases {
		if got := ScrollOffset(c.cursor, c.offset, c.height, c.n); got != c.want {
			t.Errorf("ScrollOffset(%d, %d, %d, %d) = %d, want %d", c.cursor, c.offset, c.height, c.n, got, c.want)
		}
	}
}

func bigTable(n int, calls *[]int) Table {
	return Table{
		Columns: []Column{{Title: "Name", Min: 10}, {Title: "Level", Width: 6}, {Title: "Count", Width: 7, Right: true}},
		N:       n,
		Row: func(i int) []string {
			if calls != nil {
				*calls = append(*calls, i)
			}
			return []string{fmt.Sprintf("row %d", i), "high", fmt.Sprint(i * 3)}
		},
		Focused: true,
	}
}

func TestTableFetchesOnlyVisibleRows(t *testing.T) {
	var calls []int
	tb := bigTable(10000, &calls)
	tb.Cursor = 5000
	tb.Offset = 4995
	out := tb.Render(60, 11, PlainTheme())
	if len(calls) != 10 {
		t.Fatalf("Row called %d times for 10 visible rows: %v", len(calls), calls)
	}
	for i, c := range calls {
		if c != 4995+i {
			t.Fatalf("Row calls %v, want 4995..5004", calls)
		}
	}
	lines := strings.Split(out, "\n")
	if !strings.HasSuffix(strings.TrimRight(lines[0], " "), "5001/10000") {
		t.Errorf("header %q lacks the position indicator", lines[0])
	}
	if !strings.HasPrefix(lines[6], "▸ row 5000 ") {
		t.Errorf("cursor row is %q, want row 5000 at line 6", lines[6])
	}
}

func TestTableKeepsCursorVisibleWithStaleOffset(t *testing.T) {
	tb := bigTable(100, nil)
	tb.Cursor, tb.Offset = 80, 0 // the ui forgot to scroll
	out := tb.Render(40, 6, PlainTheme())
	if !strings.Contains(out, "▸ row 80 ") {
		t.Errorf("cursor row not rendered:\n%s", out)
	}
}

func TestTableNoIndicatorWhenAllFit(t *testing.T) {
	tb := bigTable(3, nil)
	out := tb.Render(40, 10, PlainTheme())
	if strings.Contains(out, "/3") {
		t.Errorf("position indicator shown although all rows fit:\n%s", out)
	}
	if n := strings.Count(out, "row "); n != 3 {
		t.Errorf("%d rows rendered, want 3", n)
	}
}

func TestTableAlignmentAndSanitizing(t *testing.T) {
	tb := Table{
		Columns: []Column{{Title: "Host", Min: 8}, {Title: "Hits", Width: 6, Right: true}},
		N:       1,
		Row:     func(int) []string { return []string{"evil\x1b[2J.example\u202e", "42"} },
		Cursor:  -1, // no row under the cursor: the ui may pass -1 when unfocused
	}
	out := tb.Render(30, 2, PlainTheme())
	lines := strings.Split(out, "\n")
	// 30 cells: gutter 2, Host 21 (the rest), gap 1, Hits 6 right-aligned.
	want := "  " + "evil.example" + strings.Repeat(" ", 9) + " " + "    42"
	if lines[1] != want {
		t.Errorf("row = %q\nwant  %q", lines[1], want)
	}
	if strings.ContainsAny(out, "\x1b\u202e") {
		t.Errorf("cell not sanitized: %q", out)
	}
}

func TestTableDropsColumnsWhenNarrow(t *testing.T) {
	tb := bigTable(3, nil)
	// 2 gutter + 10 min + 1 + 6 + 1 + 7 = 27: at 26 the last column goes.
	wide := tb.Render(27, 4, PlainTheme())
	narrow := tb.Render(26, 4, PlainTheme())
	if !strings.Contains(wide, "Count") {
		t.Errorf("Count column missing at 27 cells:\n%s", wide)
	}
	if strings.Contains(narrow, "Count") || !strings.Contains(narrow, "Level") {
		t.Errorf("at 26 cells want Name and Level only:\n%s", narrow)
	}
	for _, l := range strings.Split(narrow, "\n") {
		if ansi.StringWidth(l) != 26 {
			t.Errorf("line width %d: %q", ansi.StringWidth(l), l)
		}
	}
}

func TestTableEmpty(t *testing.T) {
	tb := Table{Columns: pdnsColumns, Empty: "no domains seen on this IP", Row: func(int) []string { panic("Row called on an empty table") }}
	out := tb.Render(60, 5, PlainTheme())
	if !strings.Contains(out, "no domains seen on this IP") {
		t.Errorf("empty message missing:\n%s", out)
	}
}

func TestTableCursorStyles(t *testing.T) {
	th := NewTheme(true, false)
	tb := bigTable(5, nil)
	tb.Cursor = 1
	focused := strings.Split(tb.Render(40, 6, th), "\n")[2]
	tb.Focused = false
	blurred := strings.Split(tb.Render(40, 6, th), "\n")[2]
	if focused == blurred {
		t.Errorf("focused and unfocused cursor rows look the same: %q", focused)
	}
	if !strings.HasPrefix(ansi.Strip(blurred), "› ") || !strings.HasPrefix(ansi.Strip(focused), "▸ ") {
		t.Errorf("cursor markers: focused %q, blurred %q", ansi.Strip(focused), ansi.Strip(blurred))
	}
}
