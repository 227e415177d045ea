package ui

import (
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/ui/pane"
)

const (
	opIP     = "ip-intelligence-get-ip-overview"
	opPDNS   = "passive-dns-by-ip-get-passive-dns-by-ip"
	opDomain = "domain-intelligence-get-domain-details"
	opRisk   = "dlp-zt-risk-score-user-details"
)

func TestLookupIPShowsVerdictAndFocusesList(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	h.mustSee("RISKY", "Command and Control", "AS64500", "cdn-update.test", "ip "+sim.IPRiskyC2)
	// The list has the keys: the footer offers its bindings, not the
	// search box's, and the cursor moves.
	h.mustNotSee("enter look up")
	first := h.cursorRow()
	h.press("down")
	if h.cursorRow() == first {
		t.Fatalf("down did not move the list's cursor after a result:\n%s", h.screen())
	}
	if got := h.sim.Count(opIP); got != 1 {
		t.Fatalf("IP overview sent %d times, want 1", got)
	}
}

func TestOmniboxDetectsKindAndRefangs(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("hxxps://login-micros0ft-support[.]example/owa")
	h.mustSee("domain "+sim.DomainPhishing, "Phishing")
	h.lookup(strings.ToUpper(sim.EmailFewEvents))
	h.mustSee("user "+sim.EmailFewEvents, "Bob Martin")
	h.lookup("AS64500")
	h.mustSee("asn AS64500", "Subnet")
}

func TestBadInputGetsInlineErrorAndNoRequest(t *testing.T) {
	h := newHarness(t, 100, 30)
	for _, in := range []string{"999.1.2.3", "not an indicator !!", "user@@corp"} {
		h.lookup(in)
		h.mustSee("✗") // the inline error
		h.press("esc") // clears the error
	}
	if n := h.sim.Total(); n != 0 {
		t.Fatalf("%d requests sent for bad input, want 0", n)
	}
	if c := h.crumbLine(); c != "" {
		t.Fatalf("a page was opened for bad input: %q", c)
	}
}

func TestDrillDownAndBackWithoutNewRequest(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	h.press("down", "down") // third hostname
	want := strings.Fields(h.cursorRow())[1]
	h.press("enter")
	h.mustSee("domain " + want)
	h.mustSee("ip " + sim.IPRiskyC2 + " › domain " + want)
	// domain → its resolving IP: the breadcrumb grows.
	h.press("enter")
	if c := h.crumbLine(); strings.Count(c, " › ") != 2 {
		t.Fatalf("breadcrumb %q, want three steps", c)
	}
	before := h.sim.Total()
	h.press("esc", "backspace")
	if got := h.sim.Total(); got != before {
		t.Fatalf("back sent %d requests, want none", got-before)
	}
	h.mustSee("ip "+sim.IPRiskyC2, "RISKY")
	h.mustNotSee("› domain")
	if row := h.cursorRow(); !strings.Contains(row, want) {
		t.Fatalf("cursor after back on %q, want %s (restored)", row, want)
	}
}

func TestCancelRunningLookup(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sim.Inject(sim.Fault{Latency: time.Hour})
	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	pending := h.sendNoRun(kp("enter"))
	h.mustSee("loading")
	ctx := h.m.top().slot.Context()
	h.press("esc")
	if ctx.Err() == nil {
		t.Fatal("esc did not cancel the lookup's requests")
	}
	if h.m.top() != nil {
		t.Fatal("page still on screen after cancel")
	}
	h.run(pending) // the canceled requests return at once with an error
	h.mustNotSee("RISKY", "failed", "canceled by")
	if h.m.busy() {
		t.Fatal("still busy after cancel")
	}
}

func TestResultForACanceledLookupIsDropped(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	first := h.sendNoRun(kp("enter")) // not answered yet
	h.press("esc")                    // canceled: its page is gone
	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	second := h.sendNoRun(kp("enter")) // the same IP again, a new page
	again := h.m.top()
	h.run(first) // the canceled lookup's answers arrive
	if b := again.Page.(*ipBody); b.info != nil || b.main.err != nil || again.slot.Pending == 0 {
		t.Fatalf("a canceled lookup's result landed on the new page (info=%v err=%v pending=%d)", b.info != nil, b.main.err, again.slot.Pending)
	}
	h.run(second)
	h.mustSee("RISKY")
}

// TestLateResultLandsOnItsOwnPage: a lookup answered after the analyst
// moved on fills its own page, not the one on screen.
func TestLateResultLandsOnItsOwnPage(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	slow := h.sendNoRun(kp("enter")) // not answered yet
	h.lookup(sim.DomainPhishing)
	h.mustSee("Phishing")
	h.run(slow) // the IP's answers arrive late
	h.mustSee("domain " + sim.DomainPhishing)
	h.mustNotSee("AS64500", "Associated domains")
	// Its page took the data, so bringing it back shows it without a
	// request.
	before := h.sim.Total()
	h.press("1")
	h.mustSee("RISKY", "AS64500")
	if h.sim.Total() != before {
		t.Fatal("back re-fetched")
	}
}

func TestAPIErrorShownInlineAndConsoleKeepsWorking(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.sim.Inject(sim.Fault{Op: opDomain, Status: 403})
	h.lookup(sim.DomainPhishing)
	h.mustSee("Intel Read")
	h.sim.ClearFaults()
	h.lookup(sim.IPRiskyC2)
	h.mustSee("RISKY")
}

func TestPassiveDNSPagesAsCursorReachesEnd(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPSharedHost)
	b := h.m.top().Page.(*ipBody)
	if len(b.recs) != pdnsPerPage || b.pdnsTotal <= pdnsPerPage {
		t.Fatalf("first page: %d records of %d", len(b.recs), b.pdnsTotal)
	}
	h.press("end")
	if len(b.recs) != 2*pdnsPerPage || h.sim.Count(opPDNS) != 2 {
		t.Fatalf("after end: %d records, %d requests", len(b.recs), h.sim.Count(opPDNS))
	}
	h.mustSee("2000 of 5000 records")
}

func TestIPv6SaysPassiveDNSIsIPv4Only(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPv6Risky)
	h.mustSee("IPv6", "IPv4 only")
	if n := h.sim.Count(opPDNS); n != 0 {
		t.Fatalf("passive DNS asked %d times for IPv6", n)
	}
}

func TestUserEventsSortFilterAndDetails(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailManyEvents)
	b := h.m.top().Page.(*userBody)
	if len(b.idx) != sim.ManyEventsCount {
		t.Fatalf("%d events indexed, want %d", len(b.idx), sim.ManyEventsCount)
	}
	evs := b.risk.Events
	for i := 1; i < len(b.idx); i++ {
		if b.times[b.idx[i-1]] < b.times[b.idx[i]] {
			t.Fatal("events not sorted newest first")
		}
	}
	h.press("o")
	for i := 1; i < len(b.idx); i++ {
		if sev(evs[b.idx[i-1]].RiskLevel) < sev(evs[b.idx[i]].RiskLevel) {
			t.Fatal("events not sorted by level")
		}
	}
	h.press("end") // a filter starts from the top of its matches
	h.press("f")
	h.typeText("impossible")
	h.press("enter")
	if b.list.Cursor != 0 {
		t.Fatalf("cursor %d after filtering, want 0", b.list.Cursor)
	}
	if len(b.idx) == 0 || len(b.idx) == sim.ManyEventsCount {
		t.Fatalf("filter kept %d events", len(b.idx))
	}
	for _, i := range b.idx {
		if !strings.Contains(strings.ToLower(evs[i].Name), "impossible") {
			t.Fatalf("filter kept %q", evs[i].Name)
		}
	}
	// Typing the filter did not leak into the global keys (q would quit).
	if h.quit {
		t.Fatal("typing a filter quit the console")
	}
	h.press("enter")
	if len(h.m.dialogs) != 1 {
		t.Fatal("enter on an event did not open its details")
	}
	h.mustSee("Impossible travel")
	h.press("esc")
	if len(h.m.dialogs) != 0 {
		t.Fatal("esc did not close the details")
	}
}

func sev(l string) int {
	switch l {
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	}
	return 0
}

func TestEventDetailLinkOpensLookup(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailFewEvents)
	b := h.m.top().Page.(*userBody)
	// Find an event with a linkable detail and open it.
	for i := range b.idx {
		ev := b.risk.Events[b.idx[i]]
		d := newEventDialog(ev)
		for j, kv := range d.kvs {
			if !kv.Link {
				continue
			}
			b.list.Cursor = i
			h.press("enter")
			for k := 0; k < j; k++ {
				h.press("down")
			}
			h.press("enter")
			if len(h.m.dialogs) != 0 {
				t.Fatal("dialog still open after opening a link")
			}
			if got := h.m.top().Crumb(); !strings.Contains(got, kv.Value) {
				t.Fatalf("opened %q, want a page for %q", got, kv.Value)
			}
			return
		}
	}
	t.Fatal("no event of the demo user has a domain or IP in its details")
}

func TestUserPickList(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.EmailTwoUsers)
	b := h.m.top().Page.(*userBody)
	cands := b.candidates
	if len(cands) != 2 || cands[0].ID == cands[1].ID {
		t.Fatalf("candidates %+v, want 2 distinct users", cands)
	}
	h.press("down", "enter")
	picked := h.m.top().Page.(*userBody)
	if picked == b || picked.user == nil || picked.user.ID != cands[1].ID {
		t.Fatal("picking the second user did not open it")
	}
	if picked.risk == nil || h.sim.Count(opRisk) != 1 {
		t.Fatalf("risk score not loaded after pick (%d requests)", h.sim.Count(opRisk))
	}
	// Back returns to the pick list, from memory, cursor on the pick.
	before := h.sim.Total()
	h.press("esc")
	if h.m.top().Page != b || b.pick.Cursor != 1 || h.sim.Total() != before {
		t.Fatal("back did not return to the pick list as it was")
	}
	h.mustSee(cands[0].Name)
}

func TestTabKeyKeepsBreadcrumbAsHistory(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.IPRiskyC2)
	h.press("enter") // a domain: the trail goes on
	h.lookup(sim.EmailFewEvents)
	// A lookup typed in the search box starts a trail of its own.
	if crumbs := h.crumbLine(); crumbs != "user "+sim.EmailFewEvents {
		t.Fatalf("breadcrumb after a new search %q, want the user alone", crumbs)
	}
	// 1 brings back the IP with the trail it was on, not pushed onto
	// the user's.
	h.press("1")
	if crumbs := h.crumbLine(); crumbs != "ip "+sim.IPRiskyC2 {
		t.Fatalf("breadcrumb %q, want the IP's own trail", crumbs)
	}
	h.mustSee("ip " + sim.IPRiskyC2)
	// 2 brings back the domain: it was opened from the IP.
	h.press("2")
	want := "ip " + sim.IPRiskyC2 + " › domain cdn-update.test"
	if crumbs := h.crumbLine(); crumbs != want {
		t.Fatalf("breadcrumb %q, want %q", crumbs, want)
	}
	// Back walks that trail only, never into the unrelated user lookup.
	h.press("esc")
	if c := h.crumbLine(); c != "ip "+sim.IPRiskyC2 {
		t.Fatalf("back from the domain gave %q, want the IP", c)
	}
	h.press("esc")
	h.mustSee("start of the path")
	// The IP page is still live: its on-demand subnets load.
	h.press("s")
	if b := h.m.top().Page.(*ipBody); b.subnets == nil {
		t.Fatalf("subnets after a tab round trip: %v", b.subnetsP.err)
	}
	h.press("3")
	if crumbs := h.crumbLine(); crumbs != "user "+sim.EmailFewEvents {
		t.Fatalf("3 gave breadcrumb %q", crumbs)
	}
}

// TestTabKeysDoNotDuplicatePages is the repro: 1 2 1 2 between
// two lookups must not grow the breadcrumb.
func TestTabKeysDoNotDuplicatePages(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup("192.0.2.10")
	h.lookup("brand-new-shop.example")
	before := h.sim.Total()
	h.press("1", "2", "1", "2")
	if crumbs := h.crumbLine(); crumbs != "domain brand-new-shop.example" {
		t.Fatalf("after 1 2 1 2 the breadcrumb is %q", crumbs)
	}
	if h.sim.Total() != before {
		t.Fatalf("switching tabs sent %d requests", h.sim.Total()-before)
	}
	h.press("esc")
	h.mustSee("start of the path")
}

// TestTabKeyRefetchesAFailedPage: a page whose lookup failed is looked
// up again when brought back, rather than show an old error as current.
func TestTabKeyRefetchesAFailedPage(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sim.Inject(sim.Fault{Op: opIP, Status: 403, Times: 1})
	h.lookup(sim.IPRiskyC2)
	h.mustSee("Intel Read")
	h.lookup(sim.DomainPhishing)
	h.press("1")
	h.mustNotSee("Intel Read")
	h.mustSee("RISKY")
}

func TestCopyQuitHelpAndTabs(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	h.press("y")
	if want := h.m.top().Page.(*ipBody).recs[0].Hostname; h.clipboard != want {
		t.Fatalf("copied %q, want %q", h.clipboard, want)
	}
	h.press("?")
	// Help shows the global keys and the IP pane's own, not the others'.
	h.mustSee("Global", "IP pane", "ASN subnets", "esc/backspace")
	h.mustNotSee("sort time/level")
	h.press("x")
	if len(h.m.dialogs) != 0 {
		t.Fatal("help did not close")
	}
	h.lookup(sim.DomainPhishing)
	h.press("1")
	if h.m.top().Kind() != pane.KindIP {
		t.Fatal("1 did not bring the IP pane back")
	}
	h.press("q")
	if !h.quit {
		t.Fatal("q did not quit")
	}
}

func TestQWhileTypingDoesNotQuit(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.typeText("q")
	if h.quit {
		t.Fatal("q in the search box quit")
	}
	h.press("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c did not quit")
	}
}

func TestResizeKeepsScreenWithinBounds(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailManyEvents)
	h.press("end")
	for _, sz := range [][2]int{{80, 24}, {60, 15}, {200, 60}, {40, 10}} {
		h.send(teaSize(sz[0], sz[1]))
		lines := strings.Split(h.screen(), "\n")
		if len(lines) > sz[1] {
			t.Fatalf("%dx%d: %d lines", sz[0], sz[1], len(lines))
		}
		for _, l := range lines {
			if w := displayWidth(l); w > sz[0] {
				t.Fatalf("%dx%d: line of width %d: %q", sz[0], sz[1], w, l)
			}
		}
	}
}

func TestEscCancelsOnlyTheSlowPartOfALoadedPage(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPSharedHost)
	h.sim.Inject(sim.Fault{Op: opPDNS, Latency: time.Hour})
	more := h.sendNoRun(kp("n")) // the second page of passive DNS, slow
	b := h.m.top().Page.(*ipBody)
	ctx := h.m.top().slot.Context()
	if !b.pdns.loading {
		t.Fatal("n did not start loading more records")
	}
	h.press("esc")
	if h.m.top() == nil || h.m.top().Page != b {
		t.Fatal("esc during a secondary load closed the page")
	}
	if ctx.Err() == nil {
		t.Fatal("esc did not cancel the slow request")
	}
	h.run(more) // canceled: returns at once, and its result is dropped
	if len(b.recs) != pdnsPerPage || b.pdns.loading || h.m.busy() {
		t.Fatalf("after cancel: %d records, loading=%v busy=%v", len(b.recs), b.pdns.loading, h.m.busy())
	}
	h.mustSee("Associated domains", "1000 of")
}

func TestTabsReachableFromEmptyConsole(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.press("5") // typed: the search box has focus at start
	if h.m.omni.Value() != "5" || h.m.activeTool() != nil {
		t.Fatal("a digit in the search box should be typed, not switch tabs")
	}
	h.press("esc", "esc") // clear, then leave the search box
	h.press("5")
	if h.m.activeTool() == nil || h.m.activeTool().title() != "Audit" {
		t.Fatal("5 did not open the Audit pane after leaving the search box")
	}
	h.press("/")
	if h.m.focus != focusOmni || h.m.activeTool() != nil {
		t.Fatal("/ did not return to the search box")
	}
}

func TestCopiedTextIsSanitized(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	b := h.m.top().Page.(*ipBody)
	hostile := -1
	for i, r := range b.recs {
		if strings.ContainsAny(r.Hostname, "\x1b\u202e\r") {
			hostile = i
		}
	}
	if hostile < 0 {
		t.Fatal("the demo's risky IP has no hostile hostname to copy")
	}
	for b.list.Cursor < hostile {
		h.press("down")
	}
	h.press("y")
	if h.clipboard == "" || strings.ContainsAny(h.clipboard, "\x1b\x07\r\u202e") {
		t.Fatalf("clipboard got %q", h.clipboard)
	}
}

func TestSearchBoxRecallsLookupsThenSuggestions(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.typeText("half-typed")
	h.press("up")
	if got := h.m.omni.Value(); got != sim.Suggestions()[0] {
		t.Fatalf("↑ with no lookups yet gave %q, want the first suggestion", got)
	}
	h.press("down")
	if got := h.m.omni.Value(); got != "half-typed" {
		t.Fatalf("↓ back past the newest gave %q, want the draft", got)
	}
	h.press("esc") // clear the draft
	h.lookup(sim.DomainPhishing)
	h.lookup("hxxp://" + sim.IPRiskyC2) // remembered in its canonical form
	h.focusSearch()
	h.press("up")
	if got := h.m.omni.Value(); got != sim.IPRiskyC2 {
		t.Fatalf("↑ gave %q, want the latest lookup", got)
	}
	h.press("up")
	if got := h.m.omni.Value(); got != sim.DomainPhishing {
		t.Fatalf("↑↑ gave %q, want the lookup before", got)
	}
	h.press("enter")
	h.mustSee("domain " + sim.DomainPhishing)
}

func TestEventWithoutDetailsDoesNotCrash(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.m.pushPaneDialog(newEventDialog(cloudflare.RiskEvent{ID: "e1", Name: "No details", RiskLevel: "low"}), 0)
	h.press("down", "down", "y", "enter")
	_ = h.screen() // renders without an index out of range
	h.press("esc")
	if len(h.m.dialogs) != 0 {
		t.Fatal("esc did not close the details")
	}
}

func TestRefreshKeepsPageAndClampsCursor(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPSharedHost)
	h.press("end") // loads the second page, cursor on record 2000
	b := h.m.top().Page.(*ipBody)
	if len(b.recs) != 2*pdnsPerPage {
		t.Fatalf("%d records before refresh", len(b.recs))
	}
	h.press("ctrl+r")
	if len(b.recs) != pdnsPerPage || b.list.Cursor >= len(b.recs) {
		t.Fatalf("after refresh: %d records, cursor %d", len(b.recs), b.list.Cursor)
	}
	h.press("y") // the value under the clamped cursor
	if h.clipboard == "" {
		t.Fatal("nothing copied after refresh")
	}
	// A refresh canceled with esc leaves the loaded page in place.
	h.sim.Inject(sim.Fault{Latency: time.Hour})
	pending := h.sendNoRun(kp("ctrl+r"))
	h.press("esc")
	if h.m.top() == nil || h.m.top().Page != b || b.info == nil {
		t.Fatal("esc during a refresh lost the page")
	}
	h.run(pending)
	h.mustSee(sim.IPSharedHost, "1000 of")
}

func TestStackIsBounded(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	h.lookup(sim.DomainPhishing)
	for i := 0; i < 100; i++ {
		h.press("1", "2")
	}
	if n := len(h.m.stack); n > maxStack {
		t.Fatalf("stack grew to %d pages", n)
	}
	if h.m.top().Kind() != pane.KindDomain {
		t.Fatal("the latest page is not on top after trimming")
	}
}

func TestTabBringsBackAPagePoppedByBack(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.IPRiskyC2)
	h.lookup(sim.EmailFewEvents)
	h.press("esc") // back to the IP
	before := h.sim.Total()
	h.press("3")
	if h.m.top().Kind() != pane.KindUser || h.sim.Total() != before {
		t.Fatal("3 did not bring the user back from memory")
	}
	h.mustSee("Bob Martin")
	// Its page still works: a refresh goes out and lands.
	h.press("ctrl+r")
	if h.sim.Count(opRisk) != 2 {
		t.Fatalf("refresh after coming back sent %d risk reads, want 2 in all", h.sim.Count(opRisk))
	}
	h.mustSee("Bob Martin")
}

func TestEscOnTheFirstPageStaysAndSaysSo(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup(sim.EmailFewEvents)
	h.press("f")
	h.typeText("blocked")
	h.press("enter") // the filter stays applied
	b := h.m.top().Page.(*userBody)
	h.press("esc") // first clears the filter
	if b.filter != "" || h.m.top() == nil {
		t.Fatalf("esc did not clear the filter first (filter %q)", b.filter)
	}
	h.press("esc") // then: the start of the path
	if h.m.top() == nil || h.m.focus != focusPage {
		t.Fatal("esc on the first page left it")
	}
	h.mustSee("start of the path")
	h.press("j") // still a list key, not text in the search box
	if h.m.omni.Value() != "" || b.list.Cursor != 1 {
		t.Fatalf("j after esc: search box %q, cursor %d", h.m.omni.Value(), b.list.Cursor)
	}
}

func TestHelpScrollsAtSmallSizes(t *testing.T) {
	h := newHarness(t, 80, 18)
	h.press("esc", "4", "?") // at 80×18 the Request pane's help does not fit
	if len(h.m.dialogs) != 1 {
		t.Fatal("? did not open help on the Request pane")
	}
	first := h.screen()
	h.press("down")
	if len(h.m.dialogs) != 1 {
		t.Fatal("↓ closed help instead of scrolling")
	}
	if h.screen() == first {
		t.Fatal("↓ did not scroll help")
	}
	h.press("x")
	if len(h.m.dialogs) != 0 {
		t.Fatal("another key did not close help")
	}
}

func TestHelpFromEventDetailsAndCopyOnWhois(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailFewEvents)
	h.press("enter", "?")
	if len(h.m.dialogs) != 2 {
		t.Fatal("? in the event details did not open help")
	}
	h.press("x", "esc")
	if len(h.m.dialogs) != 0 {
		t.Fatal("help and details did not close in turn")
	}
	h.lookup(sim.DomainPhishing)
	h.send(teaSize(80, 24)) // sections one at a time
	h.press("w")            // the WHOIS section: y copies the domain itself
	h.press("y")
	if h.clipboard != sim.DomainPhishing {
		t.Fatalf("y on the WHOIS section copied %q", h.clipboard)
	}
	h.mustSee("copied " + sim.DomainPhishing)
}

func TestLongInlineErrorIsReadableAt80Columns(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.typeText("evil[.]")
	h.press("enter")
	msg := h.m.omniErr
	if len(msg) < 80 {
		t.Fatalf("want a long message for this test, got %q", msg)
	}
	flat := strings.Join(strings.Fields(h.screen()), " ")
	if !strings.Contains(flat, strings.Join(strings.Fields(msg), " ")) {
		t.Fatalf("the whole reason %q is not on screen:\n%s", msg, h.screen())
	}
	if n := len(strings.Split(h.screen(), "\n")); n != 24 {
		t.Fatalf("screen has %d lines, want 24", n)
	}
}
