package actions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"
	"unicode"

	"cftriage/sanitize"
)

// Export formats of a case.
const (
	FormatMarkdown = "md"
	FormatJSON     = "json"
	FormatSTIX     = "stix"
)

// Export renders a case report in format. Everything from the API is
// stripped of control and invisible characters; with the report masked,
// no email address is left anywhere in the output.
func Export(r CaseReport, format string) ([]byte, error) {
	r = r.sanitized()
	var out []byte
	var err error
	switch format {
	case FormatMarkdown:
		out = []byte(ExportMarkdown(r))
	case FormatJSON:
		out, err = ExportJSON(r)
	case FormatSTIX:
		out, err = ExportSTIX(r)
	default:
		return nil, fmt.Errorf("unknown export format %q: use md, json or stix", format)
	}
	if err != nil {
		return nil, err
	}
	if r.Masked {
		// The last net: anything that still looks like an email goes.
		out = []byte(MaskEmails(string(out)))
	}
	return out, nil
}

// ExportJSON is the report as JSON (cftriage's own shape).
func ExportJSON(r CaseReport) ([]byte, error) {
	r = r.sanitized()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
		CaseReport
	}{"cftriage-case", 1, r})
	return b.Bytes(), err
}

// ExportMarkdown is the report ready to paste into a ticket: a summary
// table with the verdicts, each item's key facts with the operation and
// time they came from, the notes and the audited writes. Indicators are
// defanged so nothing in the ticket is a live link.
func ExportMarkdown(r CaseReport) string {
	r = r.sanitized()
	var b strings.Builder
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	items, notes := 0, 0
	for _, e := range r.Entries {
		if e.Type == "item" {
			items++
		} else {
			notes++
		}
	}
	fmt.Fprintf(&b, "# Case: %s\n\n", mdText(r.Name))
	org := ""
	if r.Organisation != "" {
		org = " · " + mdText(r.Organisation)
	}
	fmt.Fprintf(&b, "Created %s · exported %s · %d item(s), %d note(s)%s\n", ts(r.Created), ts(r.Exported), items, notes, org)
	if r.Masked {
		b.WriteString("\nUser emails and names are masked.\n")
	}
	if items > 0 {
		b.WriteString("\n## Summary\n\n| # | Indicator | Kind | Verdict | Looked up |\n|---|---|---|---|---|\n")
		n := 0
		for _, e := range r.Entries {
			if e.Type != "item" {
				continue
			}
			n++
			fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s |\n", n, mdCode(Defang(e.Indicator)), e.Kind, caseCell(verdictMark(e)), firstFetched(e, ts))
		}
		b.WriteString("\n## Items\n")
		n = 0
		for _, e := range r.Entries {
			if e.Type != "item" {
				continue
			}
			n++
			fmt.Fprintf(&b, "\n### %d. `%s` (%s)\n\n", n, mdCode(Defang(e.Indicator)), e.Kind)
			fmt.Fprintf(&b, "Verdict: **%s** · account `%s` · pinned %s\n\n", caseCell(e.Verdict), mdCode(e.Account), ts(e.Added))
			if len(e.Facts) == 0 {
				b.WriteString("No facts could be read from the pinned answers.\n")
				continue
			}
			b.WriteString("| Fact | Value | From |\n|---|---|---|\n")
			for _, f := range e.Facts {
				v := caseCell(f.Value)
				if hostFacts[f.Label] {
					// Escaped first, so the [.] defanging adds stays as written.
					v = defangList(v)
				}
				fmt.Fprintf(&b, "| %s | %s | %s, %s |\n", caseCell(f.Label), v, caseCell(f.Operation), ts(f.Fetched))
			}
		}
	}
	if notes > 0 {
		b.WriteString("\n## Notes\n")
		for _, e := range r.Entries {
			if e.Type != "note" {
				continue
			}
			fmt.Fprintf(&b, "\n**%s**\n\n%s\n", ts(e.Added), mdBlock(e.Note))
		}
	}
	if len(r.Writes) > 0 {
		b.WriteString("\n## Actions taken (audit log)\n\n| Time | Action | Target | Reason | Outcome | Attempt |\n|---|---|---|---|---|---|\n")
		for _, w := range r.Writes {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | `%s` |\n", ts(w.Time), w.Action, caseCell(Defang(w.Target)), caseCell(w.Reason), caseCell(w.Outcome), mdCode(w.AttemptID))
		}
	}
	return b.String()
}

// sanitized is a copy of r with every text from the API (or the case
// database, or the audit log) through the screen's sanitizer, before any
// escaping or defanging: what an export shows is what the console shows.
// Notes and pinned answers keep their line breaks. Idempotent.
func (r CaseReport) sanitized() CaseReport {
	l := cleanLine
	r.Name, r.Organisation = l(r.Name), l(r.Organisation)
	entries := make([]CaseEntry, len(r.Entries))
	for i, e := range r.Entries {
		e.Type, e.Kind, e.Indicator, e.Account, e.Verdict = l(e.Type), l(e.Kind), l(e.Indicator), l(e.Account), l(e.Verdict)
		e.Note = cleanLines(e.Note)
		if e.Facts != nil {
			facts := make([]Fact, len(e.Facts))
			for j, f := range e.Facts {
				f.Label, f.Value, f.Operation = l(f.Label), l(f.Value), l(f.Operation)
				facts[j] = f
			}
			e.Facts = facts
		}
		if e.Answers != nil {
			answers := make([]CaseAnswer, len(e.Answers))
			for j, a := range e.Answers {
				a.Operation, a.Request, a.Body = l(a.Operation), l(a.Request), cleanLines(a.Body)
				answers[j] = a
			}
			e.Answers = answers
		}
		entries[i] = e
	}
	if r.Entries != nil {
		r.Entries = entries
	}
	if r.Writes != nil {
		writes := make([]CaseWrite, len(r.Writes))
		for i, w := range r.Writes {
			w.Action, w.Target, w.Reason, w.Outcome, w.AttemptID = l(w.Action), l(w.Target), l(w.Reason), l(w.Outcome), l(w.AttemptID)
			writes[i] = w
		}
		r.Writes = writes
	}
	return r
}

func verdictMark(e CaseEntry) string {
	if e.Risky {
		return "⚠ " + e.Verdict
	}
	return e.Verdict
}

func firstFetched(e CaseEntry, ts func(time.Time) string) string {
	var first time.Time
	for _, f := range e.Facts {
		if first.IsZero() || f.Fetched.Before(first) {
			first = f.Fetched
		}
	}
	if first.IsZero() {
		first = e.Added
	}
	return ts(first)
}

// Defang makes an indicator safe to paste: dots become [.], "://"
// becomes [://] after hxxp, "@" becomes [@]. Text that is not an
// indicator (a verdict) is left alone by the callers.
func Defang(s string) string {
	s = cleanLine(s)
	if strings.HasPrefix(s, "user ") { // a masked user
		return s
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() {
		return strings.ReplaceAll(s, ":", "[:]")
	}
	low := strings.ToLower(s)
	switch {
	case strings.HasPrefix(low, "https://"):
		s = "hxxps[://]" + s[len("https://"):]
	case strings.HasPrefix(low, "http://"):
		s = "hxxp[://]" + s[len("http://"):]
	}
	s = strings.ReplaceAll(s, "@", "[@]")
	if strings.Count(s, ".") > 0 {
		s = strings.ReplaceAll(s, ".", "[.]")
	}
	return s
}

// defangList defangs each element of a list fact ("3 hostname(s):
// a.example, b.example"; "192.0.2.1, 2001:db8::1").
func defangList(v string) string {
	head, list, found := strings.Cut(v, ": ")
	if !found {
		head, list = "", v
	}
	parts := strings.Split(list, ", ")
	for i, p := range parts {
		if !strings.HasPrefix(p, "… ") {
			parts[i] = Defang(p)
		}
	}
	if found {
		return head + ": " + strings.Join(parts, ", ")
	}
	return strings.Join(parts, ", ")
}

// hostFacts are the facts whose values list hosts or IPs (defanged).
var hostFacts = map[string]bool{"resolves to": true, "passive DNS": true, "nameservers": true}

// cleanLine is the screen's sanitizer (sanitize.Line: escape sequences go
// whole, with their payload, not just their control bytes, so an export
// reads as the console shows it), then drops what is left of control,
// format (bidi, zero-width) and other invisible characters and U+FFFD.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar:
			return -1
		}
		return r
	}, sanitize.Line(s))
}

// cleanLines is cleanLine for each line, the line breaks kept.
func cleanLines(s string) string {
	lines := strings.Split(sanitize.Multiline(s), "\n")
	for i, l := range lines {
		lines[i] = cleanLine(l)
	}
	return strings.Join(lines, "\n")
}

// caseCell is text safe inside a Markdown table cell.
func caseCell(s string) string {
	s = mdText(s)
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// mdCode is text safe inside a `code span`.
func mdCode(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(cleanLine(s), "`", "'"), "|", `\|`)
}

// mdText is API text (a registrar, a risk type, a name) safe in a
// Markdown line: nothing in it may become a link, an image, HTML, an
// entity or emphasis in the ticket it is pasted into, so it reads as
// the API wrote it. URLs are defanged (autolinks), Markdown punctuation
// is backslash-escaped, and an entity's & too (&#x202e; would be a
// bidi override once rendered).
func mdText(s string) string {
	s = mdURL.ReplaceAllStringFunc(cleanLine(s), func(m string) string {
		low := strings.ToLower(m)
		if strings.HasPrefix(low, "www.") {
			return m[:3] + "[.]"
		}
		scheme := m[:len(m)-len("://")]
		if l := strings.ToLower(scheme); l == "http" || l == "https" {
			scheme = "hxxp" + scheme[4:]
		}
		return scheme + "[://]"
	})
	s = mdEscape.Replace(s)
	return mdEntity.ReplaceAllString(s, `\&$1`)
}

var (
	mdURL    = regexp.MustCompile(`(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)`)
	mdEntity = regexp.MustCompile(`&(#?[A-Za-z0-9]+;)`)
	mdEscape = strings.NewReplacer(`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`,
		"[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "!", `\!`)
)

// mdBlock is a note's Markdown, kept as written (lines and all) but
// without control characters, and as a quote so it cannot break the
// document's own headings.
func mdBlock(s string) string {
	return "> " + strings.ReplaceAll(cleanLines(s), "\n", "\n> ")
}
