package ui

import (
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
)

const (
	opLastSeen = "zero-trust-users-get-last-seen-identity"
	opSessions = "zero-trust-users-get-active-sessions"
	opFailed   = "zero-trust-users-get-failed-logins"
	opRequests = "access-authentication-logs-get-access-authentication-logs"
	opDevices  = "list-devices"
)

// The queue → user → last seen IP → IP pane → back path, with the
// identity's parts loading only when shown.
func TestUserIdentityAndPivot(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.press("esc", "6")
	h.mustSee("Bob Martin")
	// Bob is third in the queue.
	h.press("down", "down", "enter")
	h.mustSee("user "+sim.EmailFewEvents, "Last seen", sim.IPRiskyC2, "✗ risky", "WARP")
	if n := h.sim.Count(opLastSeen); n != 1 {
		t.Fatalf("last seen identity read %d times", n)
	}
	for _, op := range []string{opSessions, opFailed, opRequests, opDevices} {
		if n := h.sim.Count(op); n != 0 {
			t.Fatalf("%s read before its section was shown (%d)", op, n)
		}
	}
	// The parts load when their section is shown, once.
	h.press("i")
	h.mustSee("[Sessions]")
	h.press("i")
	h.mustSee("[Failed logins]")
	h.press("i")
	h.mustSee("[Access requests]", "allowed")
	h.press("i", "i", "i", "i")
	for _, op := range []string{opSessions, opFailed, opRequests, opDevices} {
		if n := h.sim.Count(op); n != 1 {
			t.Fatalf("%s read %d times, want once", op, n)
		}
	}
	// l pivots to the last seen IP; Back returns from memory.
	h.press("l")
	h.mustSee("ip "+sim.IPRiskyC2, "RISKY")
	before := h.sim.Total()
	h.press("esc")
	h.mustSee("user " + sim.EmailFewEvents)
	if n := h.sim.Total() - before; n != 0 {
		t.Fatalf("back to the user sent %d requests", n)
	}
	// Enter on an Access request opens its IP (the section was on failed
	// logins: 3 + 4 presses).
	h.press("i")
	h.mustSee("[Access requests]")
	h.press("enter")
	if !strings.Contains(h.screen(), "ip 203.0.113.") {
		t.Fatalf("enter on an Access request:\n%s", h.screen())
	}
}

// Each part fails on its own, naming the missing permission, while the
// rest of the pane shows.
func TestUserIdentityPartsFailAlone(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.sim.Inject(sim.Fault{Op: opSessions, Status: 403})
	h.sim.Inject(sim.Fault{Op: opLastSeen, Status: 500})
	h.lookup(sim.EmailFewEvents)
	h.mustSee("Bob Martin", "Impossible travel", "Last seen   unavailable")
	h.press("i")
	h.mustSee("Sessions  unavailable: the token lacks Access: Audit Logs Read")
	h.press("i")
	h.mustSee("[Failed logins]")
	h.mustNotSee("unavailable: the token lacks")
}

// The hostnames of passive DNS and a domain's resolving IPs carry their
// verdicts, looked up in bulk for the rows on screen and never twice.
func TestVerdictsInsideLists(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.IPRiskyC2)
	h.mustSee("Intel", "cdn-update.test")
	line := ""
	for _, l := range strings.Split(h.screen(), "\n") {
		if f := strings.Fields(strings.TrimPrefix(l, "▸")); len(f) > 0 && f[0] == "cdn-update.test" {
			line = l
		}
	}
	if !strings.Contains(line, "risky") {
		t.Fatalf("no verdict beside cdn-update.test: %q", line)
	}
	bulk := h.sim.Count("domain-intelligence-get-multiple-domain-details")
	if bulk != 1 {
		t.Fatalf("%d bulk requests for the hostnames on screen, want 1", bulk)
	}
	// Moving in the list does not ask again for what is known.
	h.press("down", "up")
	if n := h.sim.Count("domain-intelligence-get-multiple-domain-details"); n != bulk {
		t.Fatalf("moving re-asked the verdicts (%d bulk requests)", n)
	}
	h.lookup(sim.DomainPhishing)
	h.mustSee("Resolving IP", "Intel")
}

// The domains and IPs inside an event's details show their verdicts.
func TestEventDetailsShowVerdicts(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.lookup(sim.EmailFewEvents)
	h.press("down") // "Blocked request to a phishing domain"
	h.press("enter")
	h.mustSee(sim.DomainPhishing, "↗ ✗ risky")
}

// After a reset the User pane shows the re-read; c must not pin the
// answer read before the write as if it were what the screen shows.
func TestPinAfterResetIsNotStale(t *testing.T) {
	h, _ := dbHarness(t)
	newCase(h, "INC-5")
	resetBob(h, "INC-5 cleared")
	h.mustSee("NONE")
	h.press("c")
	h.mustSee("changed since it was read")
}
