package views

import (
	"strconv"
	"time"

	"charm.land/lipgloss/v2"
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

// HistoryColumns are the History pane's columns.
var HistoryColumns = []Column{
	{Title: "When", Width: 16},
	{Title: "Kind", Width: 6},
	{Title: "Indicator", Min: 24},
	{Title: "Verdict at the time", Min: 20},
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
	switch {
	case p.Editing:
		lines = append(lines, fit(paint(th.Key, "filter ")+paint(th.Value, Sanitize(p.Filter))+paint(th.Accent, "▏"), width))
	case p.Filter != "":
		lines = append(lines, fit(paint(th.Muted, "filter ")+paint(th.Value, Sanitize(p.Filter))+paint(th.Muted, "  (esc clears)"), width))
	default:
		lines = append(lines, fit(paint(th.Muted, "newest first · enter re-opens (from the cache while fresh) · / filters"), width))
	}
	if p.Err != "" {
		lines = append(lines, fit(paint(th.Error, Sanitize(p.Err)), width))
	}
	t := Table{
		Columns: HistoryColumns,
		N:       p.N,
		Row: func(i int) []string {
			r := p.Row(i)
			ind := r.Indicator
			if r.Kind == "asn" {
				ind = "AS" + ind
			}
			v := r.Verdict
			if r.Cached {
				v += " (cached)"
			}
			return []string{r.Time.UTC().Format("2006-01-02 15:04"), r.Kind, ind, v}
		},
		Style: func(i, col int) lipgloss.Style {
			if col == 3 && isRiskyVerdict(p.Row(i).Verdict) {
				return th.Error
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
		lines = append(lines, splitLines(t.Render(width, rest, th))...)
	}
	if p.More {
		lines = append(lines, fit(paint(th.Muted, "… more below ("+strconv.Itoa(p.N)+" loaded)"), width))
	}
	return block(lines, width, height)
}

func isRiskyVerdict(v string) bool {
	return len(v) > 7 && v[:7] == "risky: " || v == "risk level high" || v == "risk level medium"
}
