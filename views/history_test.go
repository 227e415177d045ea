package views

import (
	"strings"
	"testing"
	"time"
)

func historyRows() []HistoryRow {
	at := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	return []HistoryRow{
		{Time: at, Kind: "domain", Indicator: "x.cdn-update.test", Verdict: "risky: Command and Control & Botnet", Cached: true},
		{Time: at, Kind: "ip", Indicator: "198.51.100.7", Verdict: "risky: Command and Control", Cached: false},
		{Time: at, Kind: "asn", Indicator: "13335", Verdict: "ASN CLOUDFLARENET · US", Cached: true},
		{Time: at, Kind: "user", Indicator: "bob.martin@acme-corp.example", Verdict: "risk level high", Cached: true},
	}
}

func historyPane(rows []HistoryRow) HistoryPane {
	return HistoryPane{N: len(rows), Row: func(i int) HistoryRow { return rows[i] }, Total: len(rows)}
}

// "cached" stays in sight whatever the verdict; at 120 columns the
// verdict has the room the indicators do not need.
func TestHistoryShowsCachedAndTheVerdict(t *testing.T) {
	rows := historyRows()
	for _, w := range []int{80, 120} {
		out := plain(RenderHistory(historyPane(rows), w, 12, PlainTheme()))
		lines := strings.Split(out, "\n")
		for _, r := range rows {
			var line string
			for _, l := range lines {
				if strings.Contains(l, r.Time.Format("2006-01-02")) && strings.Contains(l, historyIndicator(r)[:5]) {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("%d columns: no row for %s:\n%s", w, r.Indicator, out)
			}
			if strings.Contains(line, "cached") != r.Cached {
				t.Errorf("%d columns: %s: cached = %v, the row says:\n%s", w, r.Indicator, r.Cached, line)
			}
			if w == 120 && !strings.Contains(line, r.Verdict) {
				t.Errorf("120 columns: the verdict %q is cut:\n%s", r.Verdict, line)
			}
			if len(historyIndicator(r)) <= 24 && !strings.Contains(line, historyIndicator(r)) {
				t.Errorf("%d columns: the indicator %q is cut:\n%s", w, historyIndicator(r), line)
			}
		}
	}
	// Without the long email on screen, 80 columns hold the C2 verdict.
	if out := plain(RenderHistory(historyPane(rows[:3]), 80, 12, PlainTheme())); !strings.Contains(strings.Join(strings.Fields(out), " "), "198.51.100.7 risky: Command and Control 2026") {
		t.Errorf("80 columns: short indicators leave the verdict no room:\n%s", out)
	}
}
