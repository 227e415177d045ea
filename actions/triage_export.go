package actions

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"cftriage/indicator"
	"cftriage/sanitize"
)

// TriageFormats are the export formats, as --format names them.
var TriageFormats = []string{"table", "csv", "json", "ndjson", "md"}

// TriageColumns are the record's fields in CSV order.
var TriageColumns = []string{"indicator", "kind", "verdict", "riskScore", "riskTypes", "categories",
	"asn", "country", "riskLevel", "error", "cached"}

func scoreText(r TriageRecord) string {
	if r.RiskScore == nil {
		return ""
	}
	return strconv.FormatFloat(*r.RiskScore, 'f', -1, 64)
}

func (r TriageRecord) cells() []string {
	cached := ""
	if r.Cached {
		cached = "true"
	} else if r.Verdict != "" {
		cached = "false"
	}
	return []string{r.Indicator, r.Kind, r.Verdict, scoreText(r), strings.Join(r.RiskTypes, "; "),
		strings.Join(r.Categories, "; "), r.ASN, r.Country, r.RiskLevel, r.Error, cached}
}

// normalized fills nil lists so JSON always carries arrays.
func (r TriageRecord) normalized() TriageRecord {
	if r.RiskTypes == nil {
		r.RiskTypes = []string{}
	}
	if r.Categories == nil {
		r.Categories = []string{}
	}
	return r
}

// TriageReport is the JSON export: the run and its results.
type TriageReport struct {
	Generated time.Time      `json:"generated"`
	Total     int            `json:"total"`
	Requests  int            `json:"requests"`
	Canceled  bool           `json:"canceled"`
	Counts    map[string]int `json:"counts"` // per verdict
	Results   []TriageRecord `json:"results"`
	Skipped   []SkippedText  `json:"skipped,omitempty"`
	NotTakenN int            `json:"notTaken,omitempty"`
}

// SkippedText is a token left out of the run, and why.
type SkippedText struct {
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// NewTriageReport builds the report of a finished (or stopped) run, its
// records most severe first.
func NewTriageReport(sum TriageSummary, x indicator.Extraction, now time.Time) TriageReport {
	recs := append([]TriageRecord(nil), sum.Records...)
	SortTriage(recs)
	rep := TriageReport{Generated: now.UTC(), Total: len(x.Found), Requests: sum.Requests, Canceled: sum.Canceled,
		Counts: map[string]int{}, Results: make([]TriageRecord, len(recs)), NotTakenN: x.Over}
	for i, r := range recs {
		rep.Results[i] = r.normalized()
		rep.Counts[r.Verdict]++
	}
	for _, s := range x.Skipped {
		rep.Skipped = append(rep.Skipped, SkippedText{Text: s.Text, Reason: s.Reason})
	}
	return rep
}

// WriteTriage writes the report in a format. Every text from the API is
// sanitized; Markdown defangs the indicators (a ticket must not carry
// live links), the other formats keep them normalized.
func WriteTriage(w io.Writer, format string, rep TriageReport) error {
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		if err := cw.Write(TriageColumns); err != nil {
			return err
		}
		for _, r := range rep.Results {
			if err := cw.Write(safeCells(r.cells())); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case "json":
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(safeReport(rep))
	case "ndjson":
		e := json.NewEncoder(w)
		for _, r := range safeReport(rep).Results {
			if err := e.Encode(r); err != nil {
				return err
			}
		}
		return nil
	case "md":
		return writeTriageMarkdown(w, rep)
	case "table", "":
		return writeTriageTable(w, rep)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(TriageFormats, ", "))
}

// safeCells sanitizes cells and keeps a spreadsheet from running one as
// a formula (=, +, -, @ at the start).
func safeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		c = sanitize.Line(c)
		if c != "" && strings.ContainsRune("=+-@", rune(c[0])) && i != 3 {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

func safeReport(rep TriageReport) TriageReport {
	out := rep
	out.Results = make([]TriageRecord, len(rep.Results))
	for i, r := range rep.Results {
		r.Indicator, r.Error, r.Country, r.ASN = sanitize.Line(r.Indicator), sanitize.Line(r.Error), sanitize.Line(r.Country), sanitize.Line(r.ASN)
		r.Kind, r.Verdict, r.RiskLevel = sanitize.Line(r.Kind), sanitize.Line(r.Verdict), sanitize.Line(r.RiskLevel)
		r.RiskTypes, r.Categories = sanitizeList(r.RiskTypes), sanitizeList(r.Categories)
		out.Results[i] = r.normalized()
	}
	// The skipped tokens come from the pasted text: untrusted too.
	out.Skipped = make([]SkippedText, len(rep.Skipped))
	for i, s := range rep.Skipped {
		out.Skipped[i] = SkippedText{Text: sanitize.Line(s.Text), Reason: s.Reason}
	}
	if len(rep.Skipped) == 0 {
		out.Skipped = rep.Skipped
	}
	return out
}

func sanitizeList(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = sanitize.Line(s)
	}
	return out
}

// mdCell escapes a Markdown table cell.
func mdCell(s string) string {
	s = sanitize.Line(s)
	return mdEscaper.Replace(s)
}

var mdEscaper = strings.NewReplacer("|", "\\|", "`", "\\`", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]")

func writeTriageMarkdown(w io.Writer, rep TriageReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Triage — %d indicators (%s)\n\n", rep.Total, rep.Generated.Format("2006-01-02 15:04 UTC"))
	var parts []string
	for _, v := range []string{VerdictRisky, VerdictError, VerdictUnknown, VerdictClean} {
		if n := rep.Counts[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	if len(parts) > 0 {
		b.WriteString(strings.Join(parts, " · ") + "\n\n")
	}
	if rep.Canceled {
		b.WriteString("_Stopped before the end: the table holds what was done._\n\n")
	}
	b.WriteString("| Indicator | Kind | Verdict | Risk score | Risk types | Categories | ASN | Country | Risk level |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rep.Results {
		// Defanged, then escaped: [.] must stay visible in the rendered
		// table, so the brackets are escaped too.
		ind := mdCell(indicator.Defang(indicator.Type(r.Kind), r.Indicator))
		verdict := r.Verdict
		if r.Verdict == VerdictRisky {
			verdict = "**risky**"
		}
		if r.Error != "" {
			verdict += " (" + mdCell(r.Error) + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", ind, r.Kind, verdict, scoreText(r),
			mdCell(strings.Join(r.RiskTypes, ", ")), mdCell(strings.Join(r.Categories, ", ")), mdCell(r.ASN), mdCell(r.Country), mdCell(r.RiskLevel))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTriageTable(w io.Writer, rep TriageReport) error {
	tw := make([][]string, 0, len(rep.Results)+1)
	tw = append(tw, []string{"VERDICT", "KIND", "INDICATOR", "SCORE", "RISK TYPES / CATEGORIES", "ASN", "CC", "LEVEL"})
	for _, r := range rep.Results {
		what := strings.Join(r.RiskTypes, ", ")
		if what == "" {
			what = strings.Join(r.Categories, ", ")
		}
		if r.Error != "" {
			what = r.Error
		}
		tw = append(tw, []string{r.Verdict, r.Kind, sanitize.Line(r.Indicator), scoreText(r), sanitize.Line(what),
			sanitize.Line(r.ASN), sanitize.Line(r.Country), sanitize.Line(r.RiskLevel)})
	}
	widths := make([]int, len(tw[0]))
	for _, row := range tw {
		for i, c := range row {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, row := range tw {
		for i, c := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == len(row)-1 {
				b.WriteString(c)
				continue
			}
			b.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
