package cli

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// rawTime is an API timestamp printed as is ("2026-11-29T02:21:18.81Z").
var rawTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)

// TestHumanOutputFormatsTimes: the human output shows times as the
// console does ("2026-11-29 02:21 UTC", dates as days), never raw API
// timestamps.
func TestHumanOutputFormatsTimes(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, tc := range []struct {
		args []string
		want *regexp.Regexp
	}{
		{[]string{"user", sim.EmailFewEvents}, regexp.MustCompile(`last reset:  \d{4}-\d\d-\d\d \d\d:\d\d UTC\n`)},
		{[]string{"user", sim.EmailFewEvents}, regexp.MustCompile(`\n    \d{4}-\d\d-\d\d \d\d:\d\d UTC  high `)},
		{[]string{"domain", sim.DomainC2}, regexp.MustCompile(`created \d{4}-\d\d-\d\d, expires \d{4}-\d\d-\d\d\n`)},
		{[]string{"ip", sim.IPRiskyC2}, regexp.MustCompile(`\(\d{4}-\d\d-\d\d \.\. \d{4}-\d\d-\d\d\)`)},
		{[]string{"reset", sim.EmailFewEvents, "--reason", "INC-1", "--yes"}, regexp.MustCompile(`last reset: \d{4}-\d\d-\d\d \d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d UTC`)},
	} {
		r := f.run(t, "", tc.args...)
		if r.code != 0 {
			t.Fatalf("%q: exit %d %q", tc.args, r.code, r.stderr)
		}
		if m := rawTime.FindString(r.stdout); m != "" {
			t.Errorf("%q prints a raw timestamp (%s…):\n%s", tc.args, m, r.stdout)
		}
		if !tc.want.MatchString(r.stdout) {
			t.Errorf("%q: output does not match %s:\n%s", tc.args, tc.want, r.stdout)
		}
	}
}

// TestIPv6SaysPassiveDNSIsIPv4Only: an IPv6 lookup says why there is no
// passive DNS, and asks for none.
func TestIPv6SaysPassiveDNSIsIPv4Only(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "ip", sim.IPv6Risky)
	if r.code != 0 || !strings.Contains(r.stdout, "passive DNS covers IPv4 only") {
		t.Fatalf("exit %d stdout %q", r.code, r.stdout)
	}
	if n := f.sim.Count(sim.OpPassiveDNS); n != 0 {
		t.Fatalf("%d passive DNS requests for an IPv6 address", n)
	}
}

// TestAuditListPairsAttempts: the human list shows one line per attempt
// (intent and outcome together, as the Audit pane does), API calls by
// their path, the level before → after with "none" for the API's null,
// and a dangling intent as "no outcome"; --json stays one element per
// record.
func TestAuditListPairsAttempts(t *testing.T) {
	var writes atomic.Int64
	f := newFixtureWith(t, sim.Options{}, withWrites(&writes))
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "INC-11", "--yes"); r.code != 0 {
		t.Fatalf("reset: exit %d %q", r.code, r.stderr)
	}
	if r := f.run(t, "", "api", "POST", miscatPath, "--body", miscatBody, "--yes"); r.code != 0 {
		t.Fatalf("api: exit %d %q", r.code, r.stderr)
	}
	a := store.OpenAudit(store.AuditPath(filepath.Join(f.state, store.AppName)))
	if _, err := a.Intent(store.AuditRecord{AttemptID: "dead", Action: store.ActionRiskReset, TargetEmail: sim.EmailNoEvents, Reason: "INC-12"}); err != nil {
		t.Fatal(err)
	}

	r := f.run(t, "", "audit")
	if r.code != 0 {
		t.Fatalf("audit: exit %d %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 3 attempts (5 records):\n%s", len(lines), r.stdout)
	}
	// Newest first.
	dang, call, reset := lines[0], lines[1], lines[2]
	if !strings.Contains(dang, "no outcome") || !strings.Contains(dang, sim.EmailNoEvents) {
		t.Errorf("dangling intent line: %q", dang)
	}
	if !strings.Contains(call, "api_call") || !strings.Contains(call, "success (HTTP 200)") ||
		!strings.Contains(call, "POST "+miscatPath) ||
		strings.Contains(call, "http://") || strings.Contains(call, "/client/v4") {
		t.Errorf("api call line: %q", call)
	}
	if !strings.Contains(reset, "risk_reset") || !strings.Contains(reset, "success (HTTP 200)") ||
		!strings.Contains(reset, sim.EmailFewEvents) || !strings.Contains(reset, "level high → none") ||
		!strings.Contains(reset, "reason: INC-11") || !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC `).MatchString(reset) {
		t.Errorf("reset line: %q", reset)
	}
	if strings.Contains(r.stdout, "intent") {
		t.Errorf("the list shows records, not attempts:\n%s", r.stdout)
	}

	if r := f.run(t, "", "audit", "--limit", "2"); strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "api_call") {
		t.Errorf("--limit 2 (attempts):\n%s", r.stdout)
	}
	var recs []store.AuditRecord
	m := f.run(t, "", "audit", "--json", "--limit", "0")
	if err := json.Unmarshal([]byte(m.stdout), &recs); err != nil || len(recs) != 5 {
		t.Fatalf("--json: %d records, %v", len(recs), err)
	}
}
