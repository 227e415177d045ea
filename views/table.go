package views

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one table column.
type Column struct {
	Title string
	Width int // fixed width in cells; 0 shares the rest with other 0 columns
	Min   int // a shared column never gets less (unless the screen is too narrow)
	Right bool
}

// Table renders only the visible rows: Row is called for those rows only,
// so 10,000 rows cost the same as 10.
type Table struct {
	Columns []Column
	N       int                             // number of rows
	Row     func(i int) []string            // cells of row i, raw API text (sanitized here)
	Style   func(i, col int) lipgloss.Style // optional per-cell style, may be nil
	Cursor  int                             // row under the cursor; < 0 for none
	Offset  int                             // first visible row (Render corrects it to keep the cursor visible)
	Focused bool
	Empty   string // shown when N == 0
}

// gutter is the cursor marker column.
const gutter = 2

// ScrollOffset returns the offset that keeps cursor visible in a window of
// height rows over n rows, moving as little as possible from offset.
func ScrollOffset(cursor, offset, height, n int) int {
	if n <= 0 || height <= 0 {
		return 0
	}
	cursor = clamp(cursor, 0, n-1)
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+height {
		offset = cursor - height + 1
	}
	return clamp(offset, 0, max(0, n-height))
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// Render draws the header row and the visible rows into exactly
// width×height. When the rows do not all fit, the header ends with the
// cursor position ("12/10000").
func (t Table) Render(width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	widths := t.layout(width)
	lines := make([]string, 0, height)

	rows := height - 1
	pos := ""
	if t.N > rows && t.N > 0 {
		at := t.Cursor
		if at < 0 {
			at = t.Offset
		}
		pos = strconv.Itoa(clamp(at, 0, t.N-1)+1) + "/" + strconv.Itoa(t.N)
	}
	if pos != "" {
		// The position indicator gets its own room at the right of the
		// header: the columns are laid out in what is left, so it never
		// covers a title.
		if w := width - ansi.StringWidth(pos) - 1; w >= gutter+8 {
			widths = t.layout(w)
		}
	}
	lines = append(lines, t.header(widths, width, pos, th))
	if rows <= 0 {
		return block(lines, width, height)
	}
	if t.N <= 0 {
		msg := t.Empty
		if msg == "" {
			msg = "(none)"
		}
		lines = append(lines, strings.Repeat(" ", gutter)+paint(th.Muted, clip(Sanitize(msg), width-gutter)))
		return block(lines, width, height)
	}
	cursor := clamp(t.Cursor, 0, t.N-1)
	off := ScrollOffset(cursor, t.Offset, rows, t.N)
	if t.Cursor < 0 {
		cursor = -1 // no cursor row
		off = clamp(t.Offset, 0, max(0, t.N-rows))
	}
	end := min(t.N, off+rows)
	for i := off; i < end; i++ {
		var cells []string
		if t.Row != nil {
			cells = t.Row(i)
		}
		lines = append(lines, t.row(i, i == cursor, cells, widths, width, th))
	}
	if width <= gutter {
		return block(lines, width, height)
	}
	// Rows are built exactly width wide: join without measuring again.
	blank := strings.Repeat(" ", width)
	for len(lines) < height {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

// layout returns the cell width of each column; 0 means the column is
// hidden because the screen is too narrow.
func (t Table) layout(width int) []int {
	n := len(t.Columns)
	w := make([]int, n)
	if n == 0 {
		return w
	}
	avail := width - gutter
	// Drop columns from the right until the fixed widths and minimums fit.
	for shown := n; shown > 0; shown-- {
		need := shown - 1 // one-cell gaps
		flex := 0
		for i := 0; i < shown; i++ {
			c := t.Columns[i]
			if c.Width > 0 {
				need += c.Width
			} else {
				flex++
				need += max(c.Min, 1)
			}
		}
		if need > avail && shown > 1 {
			continue
		}
		rest := avail - (shown - 1)
		for i := 0; i < shown; i++ {
			if c := t.Columns[i]; c.Width > 0 {
				w[i] = c.Width
				rest -= c.Width
			}
		}
		if flex > 0 {
			// Each shared column gets its minimum, then an equal part of
			// what is left.
			for i := 0; i < shown; i++ {
				if c := t.Columns[i]; c.Width == 0 {
					w[i] = max(c.Min, 1)
					rest -= w[i]
				}
			}
			share, extra := 0, 0
			if rest > 0 {
				share, extra = rest/flex, rest%flex
			}
			for i := 0; i < shown; i++ {
				if t.Columns[i].Width == 0 {
					w[i] += share
					if extra > 0 {
						w[i]++
						extra--
					}
				}
			}
		} else if rest > 0 {
			// No shared column: the last one takes the slack.
			w[shown-1] += rest
		}
		if shown == 1 && w[0] > avail {
			w[0] = avail
		}
		for i := range w {
			if w[i] < 0 {
				w[i] = 0
			}
		}
		return w
	}
	return w
}

func (t Table) header(widths []int, width int, pos string, th Theme) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", gutter))
	first := true
	for i, c := range t.Columns {
		if widths[i] <= 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(cell(c.Title, widths[i], c.Right))
	}
	line := b.String()
	if pos != "" && ansi.StringWidth(pos)+gutter+1 <= width {
		// The position indicator replaces the end of the header line.
		keep := width - ansi.StringWidth(pos) - 1
		line = ansi.Truncate(line, keep, "")
		line += strings.Repeat(" ", keep-ansi.StringWidth(line)) + " " + pos
	}
	return paint(th.TableHeader, fit(line, width))
}

func (t Table) row(i int, isCursor bool, cells []string, widths []int, width int, th Theme) string {
	sel := th.Selected
	if !t.Focused {
		sel = th.SelectedBlur
	}
	var b strings.Builder
	mark := "  "
	if isCursor {
		mark = "▸ "
		if !t.Focused {
			mark = "› "
		}
	}
	used := gutter
	if isCursor {
		b.WriteString(paint(sel, mark))
	} else {
		b.WriteString(mark)
	}
	first := true
	for c, col := range t.Columns {
		if widths[c] <= 0 {
			continue
		}
		if !first {
			if isCursor {
				b.WriteString(paint(sel, " "))
			} else {
				b.WriteByte(' ')
			}
			used++
		}
		first = false
		v := ""
		if c < len(cells) {
			v = Sanitize(cells[c])
		}
		text := cell(v, widths[c], col.Right)
		st := lipgloss.NewStyle()
		if t.Style != nil {
			st = t.Style(i, c)
		}
		if isCursor {
			st = st.Inherit(sel)
		}
		b.WriteString(paint(st, text))
		used += widths[c]
	}
	if used < width {
		if isCursor {
			b.WriteString(paint(sel, strings.Repeat(" ", width-used)))
		} else {
			b.WriteString(strings.Repeat(" ", width-used))
		}
	}
	return b.String()
}

// cell fits plain text into w cells, aligned left or right.
func cell(s string, w int, right bool) string {
	s = clip(s, w)
	pad := w - width(s)
	if pad <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", pad) + s
	}
	return s + strings.Repeat(" ", pad)
}
