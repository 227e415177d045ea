package views

import (
	"strconv"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// HistoryRow is one lookup as the History pane lists it.
type HistoryRow struct {
	Time      time.Time
	Kind      string
	Indicator string
	Verdict   string
	Account   string
	Cached    bool
}

// HistoryPane is everything the History pane shows: N lookups loaded
// so far (a page at a time), newest first; Row(i) is called for the
// rows on screen only.
type HistoryPane struct {
	N       int
	Row     func(i int) HistoryRow
	Total   int // matching lookups in the database; -1 unknown yet
	More    bool
	Filter  string
	Editing bool
	Cursor  int
	Offset  int
	Loading bool
	Err     string
	NoDB    string // why there is no history
}

// HistoryColumns are the History pane's columns. "cached" has a column
// of its own, before the verdict, so no verdict can push it out of
// sight; historyColumns narrows the Indicator to what the rows on screen
// need, the rest going to the verdict.
var HistoryColumns = []Column{
	{Title: "When", Width: 16},
	{Title: "Kind", Width: 6},
	{Title: "Indicator", Min: 24},
	{Title: "Cache", Width: len("cached")},
	{Title: "Verdict at the time", Min: 20},
}

// historyVerdictCol is the verdict's column in HistoryColumns.
const historyVerdictCol = 4

// historyColumns are HistoryColumns for a table width w whose widest
// indicator on screen is need cells: the Indicator column is that wide
// when the verdict keeps its minimum beside it; otherwise the two share
// the room as HistoryColumns says.
func historyColumns(need, w int) []Column {
	cols := HistoryColumns
	room := w - gutter - (len(cols) - 1)
	for i, c := range cols {
		if i != 2 {
			room -= max(c.Width, c.Min)
		}
	}
	need = max(need, len(cols[2].Title))
	if need > room {
		return cols
	}
	out := append([]Column(nil), cols...)
	out[2] = Column{Title: cols[2].Title, Width: need}
	return out
}

// historyIndicator is the Indicator cell of a row.
func historyIndicator(r HistoryRow) string {
	if r.Kind == "asn" {
		return "AS" + r.Indicator
	}
	return r.Indicator
}

// RenderHistory draws the History pane into exactly width×height.
func RenderHistory(p HistoryPane, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.NoDB != "" {
		return block([]string{sectionTitle("History", "", width, th), fit(paint(th.Muted, Sanitize(p.NoDB)), width)}, width, height)
	}
	note := ""
	switch {
	case p.Total >= 0 && p.Filter != "":
		note = thousands(p.Total) + " matching lookup"
		if p.Total != 1 {
			note += "s"
		}
	case p.Total >= 0:
		note = plural(p.Total, "lookup")
	}
	if p.Loading {
		note += " · loading…"
	}
	lines := []string{sectionTitle("History", note, width, th)}
	lines = append(lines, filterLine(p.Filter, p.Editing, "  (esc clears)", "newest first · enter re-opens (from the cache while fresh) · / filters", width, th))
	if p.Err != "" {
		lines = append(lines, fit(paint(th.Error, Sanitize(p.Err)), width))
	}
	t := Table{
		Columns: HistoryColumns,
		N:       p.N,
		Row: func(i int) []string {
			r := p.Row(i)
			cached := ""
			if r.Cached {
				cached = "cached"
			}
			return []string{r.Time.UTC().Format("2006-01-02 15:04"), r.Kind, historyIndicator(r), cached, r.Verdict}
		},
		Style: func(i, col int) lipgloss.Style {
			switch {
			case col == historyVerdictCol && isRiskyVerdict(p.Row(i).Verdict):
				return th.Error
			case col == historyVerdictCol-1:
				return th.Muted
			}
			return th.Value
		},
		Cursor:  p.Cursor,
		Offset:  p.Offset,
		Focused: true,
		Empty:   "no lookups yet",
	}
	if p.Filter != "" {
		t.Empty = "no lookup matches the filter"
	}
	if p.Loading && p.N == 0 {
		t.Empty = "loading…"
	}
	rest := height - len(lines)
	if p.More && rest > 2 {
		rest--
	}
	if rest > 0 {
		t.Columns = historyColumns(historyNeed(p, width, rest), historyTableWidth(p, width, rest))
		lines = append(lines, splitLines(t.Render(width, rest, th))...)
	}
	if p.More {
		lines = append(lines, fit(paint(th.Muted, "… more below ("+strconv.Itoa(p.N)+" loaded)"), width))
	}
	return block(lines, width, height)
}

// historyTableWidth is the width Table.Render lays the columns out in at
// height rows: less the position indicator's room when the rows do not
// all fit.
func historyTableWidth(p HistoryPane, width, height int) int {
	if rows := height - 1; p.N > rows && p.N > 0 {
		pos := strconv.Itoa(clamp(p.Cursor, 0, p.N-1)+1) + "/" + strconv.Itoa(p.N)
		if w := width - len(pos) - 1; w >= gutter+8 {
			return w
		}
	}
	return width
}

// historyNeed is the width of the widest indicator among the rows
// Table.Render shows at height rows (only those are read).
func historyNeed(p HistoryPane, width, height int) int {
	rows := height - 1
	off := ScrollOffset(p.Cursor, p.Offset, rows, p.N)
	need := 0
	for i := off; i < min(p.N, off+max(rows, 0)); i++ {
		need = max(need, ansi.StringWidth(Sanitize(historyIndicator(p.Row(i)))))
	}
	return need
}

func isRiskyVerdict(v string) bool {
	return len(v) > 7 && v[:7] == "risky: " || v == "risk level high" || v == "risk level medium"
}
