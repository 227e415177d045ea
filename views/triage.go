package views

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// TriageRow is one result as the Triage pane shows it.
type TriageRow struct {
	Indicator, Kind, Verdict, Score, What, ASN, Country, Level, Error string
	Cached                                                            bool
}

// TriagePane is everything the Triage pane shows.
type TriagePane struct {
	// Input: what was pasted or opened, and what was found in it.
	Source   string // "pasted text (12 lines)" or a path; "" before any
	Counts   string // "5 ip, 3 domain, 1 email"
	Skipped  []string
	Over     int
	InputErr string
	// Path is the open-a-file (or export) prompt's input line, "" when closed.
	Prompt, PromptLabel string

	Running  bool
	Stopped  bool
	Bar      string // the progress bar, drawn by the ui (Bubbles' progress)
	Progress string // "120/300 · 11.8/s · 16s left"
	Summary  string // after a run

	// N results after the filter, sorted; Row(i) is called only for the
	// rows on screen.
	N       int
	Row     func(i int) TriageRow
	Total   int // results before the filter
	Sort    string
	Filter  string
	Editing bool
	Cursor  int
	Offset  int
	Focused bool
}

// TriageColumns are the results table's columns.
var TriageColumns = []Column{
	{Title: "Verdict", Width: 8},
	{Title: "Kind", Width: 6},
	{Title: "Indicator", Min: 20},
	{Title: "Score", Width: 5, Right: true},
	{Title: "Risk types / categories", Min: 16},
	{Title: "ASN", Width: 9},
	{Title: "CC", Width: 3},
	{Title: "Level", Width: 6},
}

// VerdictStyle colours a triage verdict.
func VerdictStyle(v string, th Theme) lipgloss.Style {
	switch v {
	case "risky":
		return th.SevHigh
	case "error":
		return th.Error
	case "clean":
		return th.OK
	}
	return th.Muted
}

// RenderTriage draws the Triage pane into exactly width×height.
func RenderTriage(p TriagePane, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	var lines []string
	if p.Source == "" && p.InputErr == "" && p.Prompt == "" && p.Total == 0 && !p.Running {
		lines = append(lines,
			paint(th.Title, "Bulk triage"), "",
			"Paste an alert, an email, log lines or a CSV here (your terminal's paste),",
			"or press "+paint(th.Key, "o")+" to open a file by path. Every IP, domain, URL, email and ASN in it",
			"is found (defanged forms too) and looked up within the API quota.",
			"", paint(th.Muted, "Up to 10,000 indicators or 1 MiB of text per run."))
		var wrapped []string
		for _, l := range lines {
			if lipgloss.Width(l) > width {
				wrapped = append(wrapped, wrap(stripANSI(l), width)...)
			} else {
				wrapped = append(wrapped, l)
			}
		}
		return centre(wrapped, width, height)
	}
	title := "Bulk triage"
	if p.Source != "" {
		title += "  " + paint(th.Muted, Sanitize(p.Source))
	}
	lines = append(lines, fit(paint(th.Title, "Bulk triage")+strings.TrimPrefix(title, "Bulk triage"), width))
	if p.Counts != "" {
		lines = append(lines, fit(paint(th.Muted, "found ")+paint(th.Value, Sanitize(p.Counts)), width))
	}
	if len(p.Skipped) > 0 {
		lines = append(lines, fit(paint(th.Muted, fmt.Sprintf("skipped %d: ", len(p.Skipped))+Sanitize(strings.Join(p.Skipped, " · "))), width))
	}
	if p.Over > 0 {
		lines = append(lines, fit(paint(th.Warn, fmt.Sprintf("%d more not taken: one run takes at most 10,000 indicators", p.Over)), width))
	}
	if p.InputErr != "" {
		for _, l := range wrap(Sanitize(p.InputErr), width-2) {
			lines = append(lines, paint(th.Error, "✗ "+l))
		}
	}
	if p.Prompt != "" || p.PromptLabel != "" {
		lines = append(lines, fit(paint(th.Key, p.PromptLabel+" ")+p.Prompt, width))
	}
	switch {
	case p.Running:
		lines = append(lines, fit(p.Bar+" "+paint(th.Value, Sanitize(p.Progress)), width))
	case p.Summary != "":
		lines = append(lines, fit(paint(th.Value, Sanitize(p.Summary)), width))
	}
	if p.Editing || p.Filter != "" {
		lines = append(lines, filterLine(p.Filter, p.Editing, fmt.Sprintf("  %d of %d · esc clears", p.N, p.Total), "", width, th))
	}
	if p.Total > 0 || p.Running {
		t := Table{
			Columns: TriageColumns,
			N:       p.N,
			Row: func(i int) []string {
				r := p.Row(i)
				what := r.What
				if r.Error != "" {
					what = r.Error
				}
				v := r.Verdict
				if r.Cached {
					v += "·c"
				}
				return []string{v, r.Kind, r.Indicator, r.Score, what, r.ASN, r.Country, r.Level}
			},
			Style: func(i, col int) lipgloss.Style {
				if col == 0 {
					return VerdictStyle(p.Row(i).Verdict, th)
				}
				return th.Value
			},
			Cursor:  p.Cursor,
			Offset:  p.Offset,
			Focused: p.Focused,
			Empty:   "results appear here as they arrive",
		}
		if p.Filter != "" {
			t.Empty = "no result matches the filter"
		}
		if rest := height - len(lines) - 1; rest > 0 {
			lines = append(lines, sectionTitle("Results", "sort "+p.Sort+" · ·c: from the cache", width, th))
			lines = append(lines, splitLines(t.Render(width, rest, th))...)
		}
	}
	return block(lines, width, height)
}

func stripANSI(s string) string { return ansi.Strip(s) }
