package ui

import (
	"net/http/httptest"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
)

// useSim points the harness's session at a new simulator (another
// reading of the API, faults) before the first lookup.
func (h *harness) useSim(o sim.Options) {
	h.t.Helper()
	o.Now = func() time.Time { return fixedNow }
	s := sim.New(o)
	srv := httptest.NewServer(s)
	h.t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{
		BaseURL: srv.URL + sim.BasePath, Token: sim.DemoToken, AccountID: sim.DemoAccountID,
		Timeout: 5 * time.Second, BackoffBase: time.Millisecond, MaxRetries: 1,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.sess.Client, h.sim, h.srv = c, s, srv
}

// TestASNPaneOnTheContractsReading: the overview is just the number, so
// the pane shows the subnets and says the address total is IPv4's.
func TestASNPaneOnTheContractsReading(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("AS64500")
	h.mustSee("asn AS64500", "Subnets     2 (1 IPv4, 1 IPv6) · 128 IPv4 addresses", "203.0.113.0/25", "2001:db8:bad::/48")
	h.mustNotSee("Country", "Domains", "unavailable")
	if h.sim.Count(sim.OpASN) != 1 || h.sim.Count(sim.OpASNSubnets) != 1 {
		t.Fatalf("overview sent %d times, subnets %d; want 1 each", h.sim.Count(sim.OpASN), h.sim.Count(sim.OpASNSubnets))
	}
}

// TestASNPaneShowsWhatTheDocsReadingCarries: name, country, type, domain
// count and top domains, when the overview has them.
func TestASNPaneShowsWhatTheDocsReadingCarries(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.useSim(sim.Options{Variants: true})
	h.lookup("13335") // the older SDK's array
	h.mustSee("AS13335  CLOUDFLARENET", "Country     US  type hosting_provider",
		"Domains     2 · top: "+sim.DomainPopular+", "+sim.DomainClean, "Subnets     5 (3 IPv4, 2 IPv6) · ")
	h.lookup("AS64501") // the docs' object
	h.mustSee("AS64501  EXAMPLE-TELECOM Residential Broadband", "Country     DE  type isp", "Subnets     2 (1 IPv4, 1 IPv6)")
	h.mustNotSee("Domains")
	// The parking hoster's ten top domains are cut to two lines, saying
	// how many are left out.
	h.lookup("AS64502")
	h.mustSee("AS64502  PARKSERV-AS", "Domains     291 · top: best-casino-026.example, ", " more")
}

// TestASNPaneKeepsSubnetsWhenTheOverviewFails: the overview is the lesser
// half; its failure is a note, not an error screen.
func TestASNPaneKeepsSubnetsWhenTheOverviewFails(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.useSim(sim.Options{})
	h.sim.Inject(sim.Fault{Op: sim.OpASN, Status: 503})
	h.lookup("AS64500")
	h.mustSee("Overview    unavailable: Cloudflare had a server error", "Subnets     2 (1 IPv4, 1 IPv6)", "203.0.113.0/25")
	h.mustNotSee("Lookup failed")
}

// TestEventDetailsThatAreNotObjects: the API allows any JSON value as
// event_details; the dialog shows an array's items and a string whole,
// and a domain inside still opens.
func TestEventDetailsThatAreNotObjects(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.useSim(sim.Options{Variants: true})
	h.lookup(sim.EmailIPv6Event)
	h.mustSee("Connection to a command and control server", "Download of a newly registered domain's file")
	h.press("enter") // the newest event: details are an array
	h.mustSee("[0].action", "block", "[0].dst_ip", sim.IPv6Risky, "[1]", sim.DomainC2)
	h.press("esc", "down", "enter") // the next: a string
	h.mustSee("value", "setup.msi from "+sim.DomainNew+" (isolated)")
	h.press("esc", "up", "enter", "down", "down", "down", "enter") // [1] is a domain: it opens
	h.mustSee("domain " + sim.DomainC2)
}
