package views

import (
	"strconv"

	"charm.land/lipgloss/v2"

	"cftriage/cloudflare"
)

// QueuePane is everything the risky-users queue shows.
type QueuePane struct {
	Users    []cloudflare.RiskyUser // all users, as received
	Shown    []int                  // indexes into Users: sorted and filtered
	Sort     string                 // e.g. "severity ↓"
	Filter   string
	Editing  bool // the filter is being typed
	Cursor   int
	Offset   int
	Focused  bool
	Loading  bool
	Err      string
	Fetched  string // when the list was read, e.g. "12:04:31"
	ReadOnly bool
}

// QueueColumns are the queue's columns.
var QueueColumns = []Column{
	{Title: "Level", Width: 7},
	{Title: "Name", Min: 12},
	{Title: "Email", Min: 20},
	{Title: "Events", Width: 7, Right: true},
	{Title: "Last event", Width: 20},
}

// QueueRow is one user's cells.
func QueueRow(u cloudflare.RiskyUser) []string {
	return []string{levelWord(u.MaxRiskLevel), u.Name, u.Email, strconv.Itoa(u.EventCount), stamp(u.LastEvent)}
}

// RenderQueue draws the risky-users queue into exactly width×height.
func RenderQueue(p QueuePane, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	if p.Users == nil && (p.Loading || p.Err != "") {
		return paneMessage(p.Loading, p.Err, width, height, th)
	}
	count := plural(len(p.Users), "user") + " with a risk level"
	if len(p.Shown) != len(p.Users) {
		count = strconv.Itoa(len(p.Shown)) + " of " + count
	}
	note := count + " · sort " + p.Sort
	if p.Fetched != "" {
		note += " · read " + p.Fetched
	}
	if p.Loading {
		note += " · refreshing…"
	}
	lines := []string{sectionTitle("Risky users", note, width, th)}
	lines = append(lines, filterLine(p.Filter, p.Editing, "  (esc clears)", "enter opens the user · / filters · s sorts", width, th))
	if p.Err != "" {
		lines = append(lines, fit(paint(th.Error, "refresh failed: "+Sanitize(p.Err)), width))
	}
	t := Table{
		Columns: QueueColumns,
		N:       len(p.Shown),
		Row:     func(i int) []string { return QueueRow(p.Users[p.Shown[i]]) },
		Style: func(i, col int) lipgloss.Style {
			if col == 0 {
				return LevelStyle(p.Users[p.Shown[i]].MaxRiskLevel, th)
			}
			return th.Value
		},
		Cursor:  p.Cursor,
		Offset:  p.Offset,
		Focused: p.Focused,
		Empty:   "no user has a risk level",
	}
	if p.Filter != "" {
		t.Empty = "no user matches the filter"
	}
	rest := height - len(lines)
	if rest > 0 {
		lines = append(lines, splitLines(t.Render(width, rest, th))...)
	}
	return block(lines, width, height)
}
