package views

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// CaseRow is one entry of a case as its pane lists it: a pinned item, a
// note, or a write done while the case was active.
type CaseRow struct {
	Time    string // "2026-11-29 12:04"
	Kind    string // ip, domain, user, asn, url, note, reset, revoke
	What    string // the indicator, the note's first line, the write's target
	Verdict string // the verdict, or a write's outcome
	Risky   bool
}

// CasePane is everything the Case pane shows.
type CasePane struct {
	Name    string // the active case; "" when none
	Created string
	Others  []string // the other cases' names
	Rows    []CaseRow
	Cursor  int
	Offset  int
	Detail  []string // the entry under the cursor: its facts, or the note
	Loading bool
	Err     string
	Mask    bool // exports mask user emails and names
	// Prompt is the input line (switch case, export path); "" closed.
	Prompt, PromptLabel string
}

// CaseColumns are the Case pane's columns.
var CaseColumns = []Column{
	{Title: "Added", Width: 16},
	{Title: "Kind", Width: 6},
	{Title: "Indicator / note", Min: 20},
	{Title: "Verdict / outcome", Min: 16},
}

// RenderCase draws the Case pane into exactly width×height.
func RenderCase(p CasePane, width, height int, th Theme) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	var lines []string
	if p.Name == "" {
		if p.Loading || p.Err != "" {
			return paneMessage(p.Loading, p.Err, width, height, th)
		}
		lines = append(lines, sectionTitle("Case", "no active case", width, th),
			fit("n creates a case (or switches to one); then c pins what a pane shows", width))
		if len(p.Others) > 0 {
			lines = append(lines, fit(paint(th.Muted, "cases: "+Sanitize(strings.Join(p.Others, ", "))), width))
		}
	} else {
		note := plural(countKind(p.Rows, false), "item") + " · " + plural(countKind(p.Rows, true), "note") + " · created " + p.Created
		if p.Loading {
			note += " · loading…"
		}
		lines = append(lines, sectionTitle("Case "+Sanitize(p.Name), note, width, th))
		hint := "c on a pane pins it · N note · x export · n switch or create"
		if p.Mask {
			hint += " · exports mask PII (m)"
		} else {
			hint += " · m masks PII in exports"
		}
		lines = append(lines, fit(paint(th.Muted, hint), width))
		if p.Err != "" {
			lines = append(lines, fit(paint(th.Error, Sanitize(p.Err)), width))
		}
	}
	if p.Prompt != "" || p.PromptLabel != "" {
		lines = append(lines, fit(paint(th.Key, p.PromptLabel)+" "+p.Prompt, width))
		if len(p.Others) > 0 && p.Name != "" {
			lines = append(lines, fit(paint(th.Muted, "cases: "+Sanitize(strings.Join(p.Others, ", "))), width))
		}
	}
	if p.Name == "" {
		return block(lines, width, height)
	}
	rest := height - len(lines)
	detail := []string{}
	if len(p.Detail) > 0 && rest > 8 {
		detail = append(detail, sectionTitle("Entry", "", width, th))
		for _, d := range p.Detail {
			for _, l := range wrap(Sanitize(d), max(1, width-2)) {
				detail = append(detail, "  "+l)
			}
		}
		detail = limit(detail, max(2, rest/3), th)
	}
	t := Table{
		Columns: CaseColumns,
		N:       len(p.Rows),
		Row: func(i int) []string {
			r := p.Rows[i]
			return []string{r.Time, r.Kind, r.What, r.Verdict}
		},
		Style: func(i, col int) lipgloss.Style {
			if col == 3 && p.Rows[i].Risky {
				return th.Error
			}
			if p.Rows[i].Kind == "note" {
				return th.Muted
			}
			return th.Value
		},
		Cursor:  p.Cursor,
		Offset:  p.Offset,
		Focused: true,
		Empty:   "nothing pinned yet: c on an IP, domain, user or ASN pane pins what it shows",
	}
	if n := rest - len(detail); n > 0 {
		lines = append(lines, splitLines(t.Render(width, n, th))...)
	}
	return block(append(lines, detail...), width, height)
}

func countKind(rows []CaseRow, notes bool) int {
	n := 0
	for _, r := range rows {
		isNote := r.Kind == "note"
		if isNote == notes && (notes || (r.Kind != "reset" && r.Kind != "revoke")) {
			n++
		}
	}
	return n
}

// NoteEditor frames the note editor (the ui draws the text area) in a
// box width wide, titled with the case it adds to.
func NoteEditor(caseName, area, hint string, warn bool, width int, th Theme) string {
	title := "New note"
	if caseName != "" {
		title += " — case " + Sanitize(caseName)
	}
	lines := splitLines(area)
	st := th.Muted
	if warn {
		st = th.Warn
	}
	lines = append(lines, "", paint(st, hint))
	return box(title, lines, width, len(lines)+2, th)
}
