package ui

import (
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// helpText opens help, returns its screen and closes it.
func (h *harness) helpText() string {
	h.t.Helper()
	h.press("?")
	s := h.screen()
	h.press("x")
	return s
}

// footer is the screen's last line.
func (h *harness) footer() string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-1]
}

// Help in the event details lists the details' own keys, not the User
// pane's beneath.
func TestHelpInEventDetailsListsItsOwnKeys(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailFewEvents)
	h.press("enter") // the newest event's details
	help := h.helpText()
	for _, want := range []string{"open domain/IP", "close"} {
		if !strings.Contains(help, want) {
			t.Errorf("help in event details lacks %q:\n%s", want, help)
		}
	}
	for _, not := range []string{"sort time/level", "filter events"} {
		if strings.Contains(help, not) {
			t.Errorf("help in event details lists the User pane's %q:\n%s", not, help)
		}
	}
}

// The pick list's help names enter.
func TestPickListHelpHasEnter(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailTwoUsers)
	h.mustSee("pick")
	if help := h.helpText(); !strings.Contains(help, "pick user") {
		t.Fatalf("pick list help lacks enter:\n%s", help)
	}
}

// The Domain pane's w is offered only when the sections do not all fit,
// and y stays in the footer at 80×24 on the WHOIS section.
func TestDomainSectionKeyOnlyWhenItSwitches(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.DomainPhishing)
	h.mustSee("WHOIS", "Category history", "Resolving IPs")
	if f := h.footer(); strings.Contains(f, "IPs/WHOIS/history") {
		t.Fatalf("footer offers w with every section on screen: %q", f)
	}
	h.press("w")
	h.mustSee("all sections are on screen")

	h.send(teaSize(80, 24))
	if f := h.footer(); !strings.Contains(f, "w IPs/WHOIS/history") {
		t.Fatalf("footer at 80×24 lacks w: %q", f)
	}
	h.press("w") // WHOIS
	f := h.footer()
	if !strings.Contains(f, "y copy domain") || !strings.Contains(f, "show IPs") {
		t.Fatalf("footer on the WHOIS section at 80×24: %q", f)
	}
}

// The Audit pane's help has the list keys and y; y in the detail says
// what it copied.
func TestAuditHelpAndDetailCopy(t *testing.T) {
	h := newHarness(t, 120, 40)
	resetBob(h, "INC-9")
	h.press("5")
	help := h.helpText()
	for _, want := range []string{"↓/j", "↑/k", "copy attempt id"} {
		if !strings.Contains(help, want) {
			t.Errorf("audit help lacks %q:\n%s", want, help)
		}
	}
	h.press("enter", "y")
	rec := h.auditRecords()[0]
	if h.clipboard != rec.AttemptID {
		t.Fatalf("y in the detail copied %q, want the attempt id %q", h.clipboard, rec.AttemptID)
	}
	h.mustSee("copied " + rec.AttemptID[:8])
}

// The ASN pane lights a tab of its own.
func TestASNPaneLightsATab(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("AS64500")
	tabs := strings.Split(h.screen(), "\n")[1]
	if !strings.Contains(tabs, "[ASN]") {
		t.Fatalf("tabs on the ASN pane: %q", tabs)
	}
}

// At 80 columns the header keeps the account while a lookup runs.
func TestHeaderKeepsAccountWhileLoadingAt80(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.sim.Inject(sim.Fault{Latency: time.Hour})
	h.focusSearch()
	h.typeText(sim.IPRiskyC2)
	pending := h.sendNoRun(kp("enter"))
	header := strings.Split(h.screen(), "\n")[0]
	if !strings.Contains(header, "account Demo account") || !strings.Contains(header, "loading") {
		t.Fatalf("header at 80 columns while loading: %q", header)
	}
	h.press("esc")
	h.run(pending)
}

// The quota's reset is a clock time, and a figure older than its window
// says "as of" rather than reading as a countdown that stopped.
func TestQuotaResetIsAClockTime(t *testing.T) {
	h := newHarness(t, 120, 40)
	now := fixedNow
	h.m.opts.Now = func() time.Time { return now }
	h.lookup(sim.IPRiskyC2)
	header := strings.Split(h.screen(), "\n")[0]
	if !strings.Contains(header, "resets 12:05:00") {
		t.Fatalf("header %q, want the reset as a clock time", header)
	}
	now = fixedNow.Add(6 * time.Minute)
	h.press("j")
	header = strings.Split(h.screen(), "\n")[0]
	if !strings.Contains(header, "as of 12:00:00") || strings.Contains(header, "resets") {
		t.Fatalf("header %q after the window passed, want an 'as of' time", header)
	}
}

// A disabled binding says why instead of acting, from the same list the
// footer reads.
func TestDisabledBindingSaysWhy(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.lookup("2001:db8::1")
	before := h.sim.Total()
	h.press("enter")
	h.mustSee("open domain disabled: passive DNS covers IPv4 only")
	if h.sim.Total() != before {
		t.Fatal("a disabled binding sent a request")
	}
}
