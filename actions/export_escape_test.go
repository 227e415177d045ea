package actions

import (
	"strings"
	"testing"
	"time"

	"cftriage/sanitize"
)

// TestExportsDropWholeEscapeSequences: an escape sequence in the API's
// text goes whole (payload too) from every export, before defanging and
// escaping, as it does from the screen; nothing of it is left to read.
func TestExportsDropWholeEscapeSequences(t *testing.T) {
	const seq = "\x1b[2J\x1b]52;c;ZXZpbA==\x07"
	host := "x" + seq + ".cdn-update.test"
	if got := sanitize.Line(host); got != "x.cdn-update.test" {
		t.Fatalf("fixture: the screen shows %q", got)
	}
	at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	r := CaseReport{
		Name: "INC" + seq + "-9", Created: at, Exported: at, Organisation: "Acme" + seq,
		Entries: []CaseEntry{
			{Type: "item", Added: at, Kind: "domain", Indicator: host, Account: "acc" + seq,
				Verdict: "risky: C2" + seq, Risky: true,
				Facts: []Fact{
					{Label: "resolves to", Value: "2 host(s): " + host + ", b" + seq + ".example", Operation: "passive DNS" + seq, Fetched: at},
					{Label: "registrar", Value: "Evil" + seq + " Registrar", Operation: "WHOIS", Fetched: at},
				},
				Answers: []CaseAnswer{{Operation: "domain", Request: "GET /x" + seq, Fetched: at, Body: `{"name":"` + host + `"}`}}},
			{Type: "note", Added: at, Note: "seen " + host + "\nsecond" + seq + " line"},
		},
		Writes: []CaseWrite{{Time: at, Action: "risk_reset", Target: "bob" + seq + "@example.com", Reason: "INC" + seq, Outcome: "success", AttemptID: "a1"}},
	}
	for _, format := range []string{FormatMarkdown, FormatJSON, FormatSTIX} {
		b, err := Export(r, format)
		if err != nil {
			t.Fatal(format, err)
		}
		out := string(b)
		for _, bad := range []string{"2J", "52;c", "ZXZpbA", "\x1b", "\\u001b", "\x07", "\\u0007"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s export keeps %q of the escape sequence:\n%s", format, bad, out)
			}
		}
		want := "x.cdn-update.test"
		if format == FormatMarkdown {
			want = "x[.]cdn-update[.]test"
		}
		if !strings.Contains(out, want) {
			t.Errorf("%s export lacks %q:\n%s", format, want, out)
		}
	}
	// The Markdown's line-by-line writers (ExportMarkdown alone) too.
	if md := ExportMarkdown(r); strings.Contains(md, "2J") || !strings.Contains(md, "Evil Registrar") || !strings.Contains(md, "b[.]example") {
		t.Errorf("ExportMarkdown:\n%s", md)
	}
	if b, _ := ExportJSON(r); strings.Contains(string(b), "2J") {
		t.Errorf("ExportJSON:\n%s", b)
	}
	// The caller's report is not changed.
	if r.Entries[0].Indicator != host {
		t.Error("exporting changed the report")
	}
}
