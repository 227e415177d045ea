package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"cftriage/cloudflare/sim"
	"cftriage/ui/pane"
)

// TestIPPaneLoadsAThousandAPage: 5,000 passive-DNS records take five
// requests and four trips to the end of the list, not 50 and 49.
func TestIPPaneLoadsAThousandAPage(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPSharedHost)
	h.mustSee("1000 of 5000 records")
	presses := 0
	for h.sim.Count(opPDNS) < 5 && presses < 10 {
		h.press("end")
		presses++
	}
	h.press("end") // at the end of everything: nothing more to ask
	if n := h.sim.Count(opPDNS); n != 5 || presses != 4 {
		t.Fatalf("%d requests after %d trips to the end", n, presses)
	}
	h.mustSee("5000 of 5000 records")
	h.press("n")
	if n := h.sim.Count(opPDNS); n != 5 {
		t.Fatalf("n asked again with everything loaded: %d requests", n)
	}
}

// TestIPPaneWindowKey: t widens the passive-DNS window (sent as start),
// the section title says which window is shown, and a page of an earlier
// window arriving late is dropped.
func TestIPPaneWindowKey(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPParkingFarm)
	h.mustSee("275 of 275 records · last 30 days", "t 90d window")
	h.press("t")
	h.mustSee("290 of 290 records · last 90 days", "t 365d window")
	h.press("t")
	h.mustSee("· last 365 days", "t 30d window")
	h.press("t")
	h.mustSee("275 of 275 records · last 30 days")

	// Two switches before any answer: only the last window's page lands.
	h.sim.Inject(sim.Fault{Op: opPDNS, Latency: 50 * time.Millisecond})
	wide := h.sendNoRun(kp("t")) // 90 days
	back := h.sendNoRun(kp("t")) // 365 days
	last := h.sendNoRun(kp("t")) // 30 days again
	h.run(last)
	h.run(wide)
	h.run(back)
	h.mustSee("275 of 275 records · last 30 days")
	if b := h.m.top().Page.(*ipBody); b.pdns.loading || len(b.recs) != 275 {
		t.Fatalf("after late pages: loading %v, %d records", b.pdns.loading, len(b.recs))
	}

	// IPv6 has no passive DNS: t is not offered.
	h.sim.ClearFaults()
	h.lookup(sim.IPv6Risky)
	h.mustNotSee("t 90d window")
	before := h.sim.Count(opPDNS)
	h.press("t")
	if h.sim.Count(opPDNS) != before {
		t.Fatal("t asked passive DNS for IPv6")
	}
}

// TestIPPaneSaysPrivateAddressesCannotBeKnown: no "No known risk" for an
// address Cloudflare's intel cannot see.
func TestIPPaneSaysPrivateAddressesCannotBeKnown(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("10.0.0.1")
	h.mustSee("NO VERDICT", "10.0.0.1 is a private address (10.0.0.0/8, RFC 1918)", "cannot know it")
	h.mustNotSee("No known risk")
	h.lookup("::1")
	h.mustSee("NO VERDICT", "loopback address")
	h.lookup(sim.IPCleanCF)
	h.mustSee("No known risk")
	h.mustNotSee("NO VERDICT", "cannot know")
}

// TestDomainPaneShowsUnicodeAndLookalikes: an IDN shows its Unicode form
// beside the punycode, and a label mixing scripts is flagged.
func TestDomainPaneShowsUnicodeAndLookalikes(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("pаypal.example") // a Cyrillic а
	h.mustSee("xn--pypal-4ve.example  pаypal.example", "⚠ label pаypal mixes Cyrillic and Latin letters")
	h.lookup("пример.рф")
	h.mustSee("xn--e1afmkfd.xn--p1ai  пример.рф")
	h.mustNotSee("⚠")
	h.lookup(sim.DomainClean)
	h.mustSee("\nacme-corp.example  ")
	h.mustNotSee("⚠")
}

// TestDomainPanePartsFailAlone: a failed WHOIS is said in its section
// while the overview and the history stay.
func TestDomainPanePartsFailAlone(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sim.Inject(sim.Fault{Op: sim.OpWhois, Status: 403})
	h.lookup(sim.DomainPhishing)
	h.mustSee("Phishing", "Intel Read", "Category history")
	if b := h.m.top().Page.(*domainBody); b.whoisP.err == nil || b.histP.err != nil || len(b.history) == 0 {
		t.Fatalf("parts: whois %v history %v (%d spans)", b.whoisP.err, b.histP.err, len(b.history))
	}
}

// TestDomainPaneCanceledPartLoadsAgainOnRefresh: a WHOIS canceled with
// Esc says so; ctrl+r shows it loading again (not "canceled" until the
// answer), then answered.
func TestDomainPaneCanceledPartLoadsAgainOnRefresh(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sim.Inject(sim.Fault{Op: sim.OpWhois, Latency: time.Hour})
	h.focusSearch()
	h.typeText(sim.DomainPhishing)
	// The lookup's requests run concurrently, as under Bubble Tea; the
	// overview and the history answer, WHOIS hangs until Esc.
	msgs := make(chan tea.Msg, 16)
	var spawn func(tea.Cmd)
	spawn = func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	spawn(h.sendNoRun(kp("enter")))
	results := 0
	for results < 3 {
		switch msg := (<-msgs).(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				spawn(c)
			}
		case pane.Result:
			results++
			h.send(msg)
			if results == 2 {
				h.press("esc") // cancels the hanging WHOIS, keeps the page
			}
		}
	}
	h.press("w") // the WHOIS section
	h.mustSee("Phishing", "canceled")
	h.sim.ClearFaults()
	refresh := h.sendNoRun(kp("ctrl+r"))
	h.mustSee("loading…")
	h.mustNotSee("canceled")
	h.run(refresh)
	h.mustSee("Example Registrar")
}
