package ui

import (
	"fmt"
	"testing"

	"cftriage/cloudflare/sim"
)

// TestGoldenScreens renders each pane at the two sizes analysts use most
// and compares the text with testdata/TestGoldenScreens/*.golden (go test
// ./ui -update).
func TestGoldenScreens(t *testing.T) {
	scenes := []struct {
		name string
		act  func(h *harness)
	}{
		{"welcome", func(h *harness) {}},
		{"ip_risky", func(h *harness) { h.lookup(sim.IPRiskyC2) }},
		{"ip_v6", func(h *harness) { h.lookup(sim.IPv6Risky); h.press("s") }},
		{"domain_phishing", func(h *harness) { h.lookup(sim.DomainPhishing) }},
		{"domain_hostile_whois", func(h *harness) { h.lookup(sim.DomainC2); h.press("w") }},
		{"user_events", func(h *harness) { h.lookup(sim.EmailFewEvents) }},
		{"user_many_events", func(h *harness) { h.lookup(sim.EmailManyEvents); h.press("end") }},
		{"user_pick", func(h *harness) { h.lookup(sim.EmailTwoUsers) }},
		{"event_details", func(h *harness) { h.lookup(sim.EmailFewEvents); h.press("enter") }},
		{"help", func(h *harness) { h.lookup(sim.IPRiskyC2); h.press("?") }},
		{"asn", func(h *harness) { h.lookup("AS64500") }},
		{"bad_input", func(h *harness) { h.typeText("hxxp://[::1"); h.press("enter") }},
	}
	for _, sc := range scenes {
		for _, sz := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				h := newHarness(t, sz[0], sz[1])
				sc.act(h)
				h.golden(fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1]))
			})
		}
	}
}
