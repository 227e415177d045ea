package actions

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestTriageJSONSanitizesEveryText: the JSON and NDJSON exports (stdout
// by default) carry no bidi override, C1 control or escape from the API
// or the pasted text in any field: a user's risk level and the skipped
// tokens too.
func TestTriageJSONSanitizesEveryText(t *testing.T) {
	hostile := "high\u202e\u009b2J\u200b"
	rep := TriageReport{Generated: time.Unix(0, 0).UTC(), Counts: map[string]int{}, Results: []TriageRecord{{
		Indicator: "bob@acme.example", Kind: "email", Verdict: VerdictRisky, RiskLevel: hostile,
	}}, Skipped: []SkippedText{{Text: "x\u202eyz\u009b", Reason: "not an indicator"}}}
	for _, format := range []string{"json", "ndjson"} {
		var b bytes.Buffer
		if err := WriteTriage(&b, format, rep); err != nil {
			t.Fatal(err)
		}
		for _, r := range []string{"\u202e", "\u009b", "\u200b"} {
			if strings.Contains(b.String(), r) {
				t.Errorf("%s export keeps %U:\n%s", format, []rune(r)[0], b.String())
			}
		}
		if !strings.Contains(b.String(), "high") {
			t.Errorf("%s export lost the risk level:\n%s", format, b.String())
		}
	}
}
