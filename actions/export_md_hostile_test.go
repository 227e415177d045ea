package actions

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestExportMarkdownHostileAPIText: API text in a case's Markdown export
// (a registrar, a risk type, a user's name, the account name) cannot
// become a live link, an image, HTML or emphasis in the ticket it is
// pasted into.
func TestExportMarkdownHostileAPIText(t *testing.T) {
	at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	r := CaseReport{
		Name: "INC-9", Created: at, Exported: at,
		Organisation: "Acme <img src=x onerror=alert(1)>",
		Entries: []CaseEntry{{
			Type: "item", Added: at, Kind: "domain", Indicator: "evil.example", Account: "acc",
			Verdict: "risky: [Reset your password](https://phish.example/login)",
			Facts: []Fact{
				{Label: "registrar", Value: "[Click here](https://phish.example/a) ![i](https://t.example/p.png)", Operation: "WHOIS", Fetched: at},
				{Label: "name", Value: "<script>alert(1)</script> <https://auto.example/x> **bold**", Operation: "user risk", Fetched: at},
				{Label: "categories", Value: "see https://bare.example/x", Operation: "domain overview", Fetched: at},
			},
		}},
	}
	md := ExportMarkdown(r)
	// What a Markdown renderer acts on: the text without its
	// backslash-escaped characters.
	live := regexp.MustCompile(`\\.`).ReplaceAllString(md, "")
	for _, bad := range []string{
		"](", "<img", "<script", "<https", "**bold", "https://", "http://",
	} {
		if strings.Contains(live, bad) {
			t.Errorf("Markdown export keeps %q live:\n%s", bad, md)
		}
	}
	// The text itself is still there to read.
	for _, want := range []string{"Click here", "Reset your password", "alert(1)", `hxxps\[://\]bare.example`, "bold"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown export lost %q:\n%s", want, md)
		}
	}
}
