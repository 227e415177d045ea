package views

import (
	"strings"
	"testing"

	"cftriage/cloudflare"

	"github.com/charmbracelet/x/exp/golden"
)

// TestColourGoldens: the severity styles and badges with their colours
// (the other goldens are ANSI-stripped, so painting high severity green
// would pass them). A fixed theme (dark and light, colours on) renders
// one sheet; the escapes are part of the golden.
func TestColourGoldens(t *testing.T) {
	levels := []string{"high", "medium", "low", ""}
	verdicts := []string{"risky", "clean", "error", "unknown"}
	for _, tc := range []struct {
		name string
		th   Theme
	}{{"dark", NewTheme(true, false)}, {"light", NewTheme(false, false)}} {
		t.Run(tc.name, func(t *testing.T) {
			th := tc.th
			var lines []string
			for _, l := range levels {
				lines = append(lines, "badge "+l+": "+RiskBadge(l, th), "level "+l+": "+LevelStyle(l, th).Render(levelWord(l)))
			}
			for _, v := range verdicts {
				lines = append(lines, "mark "+v+": "+VerdictMark(v, th), "verdict "+v+": "+VerdictStyle(v, th).Render(v))
			}
			for _, types := range [][]cloudflare.RiskType{
				{{ID: 21, Name: "Command and Control"}, {ID: 32, Name: "Newly Seen Domains"}},
				{{ID: 32, Name: "Newly Seen Domains"}},
				{{ID: 7, Name: "Technology"}},
				nil,
			} {
				info := &cloudflare.IPInfo{IP: "203.0.113.7", RiskTypes: types}
				first, _, _ := strings.Cut(RenderIP(IPPage{Info: info}, 60, 6, th), "\n")
				lines = append(lines, "ip: "+strings.TrimRight(first, " "))
			}
			golden.RequireEqual(t, strings.Join(lines, "\n")+"\n")
		})
	}
}

// TestColourGoldensTellSeveritiesApart guards the goldens themselves: a
// theme in which high and low look alike would make them worthless.
func TestColourGoldensTellSeveritiesApart(t *testing.T) {
	for _, th := range []Theme{NewTheme(true, false), NewTheme(false, false)} {
		hi, med, lo := RiskBadge("high", th), RiskBadge("medium", th), RiskBadge("low", th)
		if styleOf(hi) == "" || styleOf(hi) == styleOf(lo) || styleOf(hi) == styleOf(med) || styleOf(med) == styleOf(lo) {
			t.Fatalf("badges not told apart: %q %q %q", hi, med, lo)
		}
		if styleOf(VerdictMark("risky", th)) == styleOf(VerdictMark("clean", th)) {
			t.Fatal("risky and clean marks look alike")
		}
	}
}

// styleOf is the escapes of a painted string, without its text.
func styleOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			j := strings.IndexByte(s[i:], 'm')
			if j < 0 {
				break
			}
			b.WriteString(s[i : i+j+1])
			i += j
		}
	}
	return b.String()
}
