package cli

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

const opSummary = "dlp-zt-risk-score-account-summary"

func TestUsersCommand(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "users")
	if r.code != 0 {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	// Most severe first, then most recent: Carol's last event is the
	// newest of the high ones, Dana (low) comes last.
	order := []string{sim.EmailManyEvents, sim.EmailIPv6Event, sim.EmailFewEvents, sim.EmailTwoUsers}
	last := -1
	for _, email := range order {
		i := strings.Index(r.stdout, email)
		if i < 0 || i < last {
			t.Fatalf("%s missing or out of order:\n%s", email, r.stdout)
		}
		last = i
	}
	if !strings.Contains(r.stdout, "LEVEL") || !strings.Contains(r.stdout, "4 users") {
		t.Errorf("no header or count:\n%s", r.stdout)
	}
	if f.sim.Count(opSummary) != 1 || f.sim.Total() != 1 {
		t.Errorf("requests %v", f.sim.Counts())
	}

	high := f.run(t, "", "users", "--level", "HIGH")
	if high.code != 0 || strings.Contains(high.stdout, sim.EmailTwoUsers) || !strings.Contains(high.stdout, "3 of 4 users (at high or above)") {
		t.Fatalf("--level high: exit %d\n%s", high.code, high.stdout)
	}
	if low := f.run(t, "", "users", "--level", "low"); !strings.Contains(low.stdout, sim.EmailTwoUsers) {
		t.Fatalf("--level low lacks the low user:\n%s", low.stdout)
	}
}

func TestUsersJSONAndCSV(t *testing.T) {
	f := newFixture(t, sim.Options{})
	m := decode(t, f.run(t, "", "users", "--json"))
	checkExchange(t, m)
	users, ok := m["users"].([]any)
	if !ok || len(users) != 4 {
		t.Fatalf("users = %v", m["users"])
	}
	first := users[0].(map[string]any)
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, ",") != "email,eventCount,lastEvent,maxRiskLevel,name,userId" {
		t.Errorf("user keys %v", keys)
	}
	if first["email"] != sim.EmailManyEvents || first["eventCount"] != float64(sim.ManyEventsCount) || first["maxRiskLevel"] != "high" || first["userId"] == "" {
		t.Errorf("first user %v", first)
	}
	if !strings.Contains(m["rawResponse"].(string), `"users"`) {
		t.Errorf("rawResponse is not the summary: %v", m["rawResponse"])
	}
	filtered := decode(t, f.run(t, "", "users", "--level", "medium", "--json"))
	if n := len(filtered["users"].([]any)); n != 3 {
		t.Errorf("--level medium --json: %d users", n)
	}

	r := f.run(t, "", "users", "--csv")
	if r.code != 0 {
		t.Fatalf("--csv: exit %d %q", r.code, r.stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("csv %v %q", err, r.stdout)
	}
	if strings.Join(rows[0], ",") != "email,name,userId,maxRiskLevel,eventCount,lastEvent" || rows[1][0] != sim.EmailManyEvents || rows[1][4] != "10000" || rows[4][3] != "low" {
		t.Errorf("csv rows %q", rows)
	}
	if rows[1][1] != "Carol Díaz" {
		t.Errorf("non-ASCII name %q", rows[1][1])
	}
}

// A cell a spreadsheet would run as a formula is defused; controls go.
func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"Bob Martin": "Bob Martin", "": "", "evil\x1b[2J name": "evil name", "a\u202eb": "ab",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUsersBadInputSendsNothing(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{
		{"users", "--level", "critical"},
		{"users", "extra"},
		{"users", "--json", "--csv"},
		{"user", sim.EmailFewEvents, "--context=maybe"},
	} {
		r := f.run(t, "", args...)
		if r.code != ExitUsage || r.stderr == "" {
			t.Errorf("%q: exit %d stderr %q", args, r.code, r.stderr)
		}
	}
	if n := f.sim.Total(); n != 0 {
		t.Fatalf("%d requests for bad input", n)
	}
}

func TestUsersAPIFailure(t *testing.T) {
	f := newFixture(t, sim.Options{})
	f.sim.Inject(sim.Fault{Op: opSummary, Status: 403})
	r := f.run(t, "", "users", "--json")
	if r.code != ExitAPI || !strings.Contains(r.stderr, "Zero Trust: PII Read") {
		t.Fatalf("403: exit %d %q", r.code, r.stderr)
	}
	var m map[string]any
	if json.Unmarshal([]byte(r.stdout), &m) != nil || m["statusCode"] != float64(403) || m["error"] == "" {
		t.Fatalf("403 --json output %q", r.stdout)
	}
}

// Without --context, user makes the same two requests and prints the
// same keys as before.
func TestUserWithoutContextUnchanged(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{{"user", sim.EmailFewEvents}, {"user", sim.EmailFewEvents, "--json"}} {
		f.sim.ResetCounts()
		// --no-cache: the second run would be answered from the cache.
		r := f.run(t, "", append(args, "--no-cache")...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d %q", args, r.code, r.stderr)
		}
		if f.sim.Total() != 2 || f.sim.Count(opUsers) != 1 || f.sim.Count(opRisk) != 1 {
			t.Errorf("%v: requests %v, want the user search and the risk score", args, f.sim.Counts())
		}
		if strings.Contains(r.stdout, "context") || strings.Contains(r.stdout, "last seen") {
			t.Errorf("%v: context without --context:\n%s", args, r.stdout)
		}
	}
}

func TestUserContextJSON(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.run(t, "", "user", sim.EmailFewEvents, "--context", "--json")
	m := decode(t, r)
	checkExchange(t, m)
	if m["email"] != sim.EmailFewEvents || m["riskLevel"] != "high" {
		t.Errorf("connector keys %v %v", m["email"], m["riskLevel"])
	}
	c, ok := m["context"].(map[string]any)
	if !ok {
		t.Fatalf("context = %v", m["context"])
	}
	ls := c["lastSeen"].(map[string]any)
	if ls["ip"] != sim.IPRiskyC2 || ls["devicePosture"] == nil {
		t.Errorf("lastSeen %v", ls)
	}
	for part, n := range map[string]int{"sessions": 3, "failedLogins": 3, "accessRequests": 10, "devices": 2} {
		if l, ok := c[part].([]any); !ok || len(l) != n {
			t.Errorf("%s = %v, want %d items", part, c[part], n)
		}
	}
	if f.sim.Total() != 7 {
		t.Errorf("%d requests, want 2 + 5", f.sim.Total())
	}
	// The hostile failed-login metadata is escaped, never raw.
	assertNoTerminalControls(t, r.stdout)
	if !strings.Contains(r.stdout, `\u001b]52`) {
		t.Error("the hostile failed-login metadata was lost")
	}
}

// Each part fails alone as {"error": …}: a 500, a timeout, a missing
// permission; the command still succeeds with the rest.
func TestUserContextPartsFailAlone(t *testing.T) {
	f := newFixture(t, sim.Options{})
	f.sim.Inject(sim.Fault{Op: "zero-trust-users-get-active-sessions", Status: 500})
	f.sim.Inject(sim.Fault{Op: "zero-trust-users-get-failed-logins", Latency: 5_000_000_000})
	m := decode(t, f.run(t, "", "user", sim.EmailFewEvents, "--context", "--json", "--timeout", "1s"))
	c := m["context"].(map[string]any)
	errOf := func(part string) string {
		obj, ok := c[part].(map[string]any)
		if !ok || len(obj) != 1 {
			return ""
		}
		s, _ := obj["error"].(string)
		return s
	}
	if e := errOf("sessions"); !strings.Contains(e, "HTTP 500") {
		t.Errorf("sessions = %v", c["sessions"])
	}
	if e := errOf("failedLogins"); !strings.Contains(e, "timed out") {
		t.Errorf("failedLogins = %v", c["failedLogins"])
	}
	for _, p := range []string{"lastSeen", "accessRequests", "devices"} {
		if errOf(p) != "" {
			t.Errorf("%s failed too: %v", p, c[p])
		}
	}
	f.sim.ClearFaults()

	// A token without Access: Audit Logs Read fails the lookup itself;
	// one without the devices permission fails only the devices.
	noDevices := "token-without-devices-permission"
	perms := slices.DeleteFunc(slices.Clone(sim.AllPermissions), func(p sim.Permission) bool { return p == sim.PermDevicesRead })
	g := newFixture(t, sim.Options{Tokens: map[string]sim.TokenSpec{noDevices: {Perms: perms}}})
	t.Setenv(store.EnvToken, noDevices)
	r := g.run(t, "", "user", sim.EmailFewEvents, "--context")
	if r.code != 0 || !strings.Contains(r.stdout, "devices:         unavailable (") || !strings.Contains(r.stdout, "permission") ||
		!strings.Contains(r.stdout, "active sessions: 3") {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	assertNoTerminalControls(t, r.stdout)
}

func TestResetShowsBlastRadius(t *testing.T) {
	f := newFixture(t, sim.Options{})
	r := f.runTerminal(t, sim.EmailFewEvents+"\n", "reset", sim.EmailFewEvents, "--reason", "INC-9")
	if r.code != 0 {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	for _, want := range []string{
		"What the reset touches:", "Events cleared: 5, highest level high.",
		"Impossible Travel (high)", "The new level is pushed to Okta at " + sim.OktaTenantURL + ".",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("review lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Index(r.stderr, "What the reset touches") > strings.Index(r.stderr, "Type the user's email") {
		t.Errorf("the blast radius comes after the question:\n%s", r.stderr)
	}
	recs := f.auditRecords(t)
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	for _, rec := range recs {
		if rec.Integrations == nil || len(rec.Integrations.Active) != 1 || rec.Integrations.Active[0].TenantURL != sim.OktaTenantURL {
			t.Errorf("%s record integrations %+v", rec.Phase, rec.Integrations)
		}
	}

	// A part that cannot be read says so; the reset still goes ahead,
	// with --yes too, and the record says the integrations are unknown.
	f.sim.Inject(sim.Fault{Op: "dlp-zt-risk-score-integration-list", Status: 500})
	r = f.run(t, "", "reset", sim.EmailManyEvents, "--reason", "INC-10", "--yes", "--json")
	if r.code != 0 || !strings.Contains(r.stderr, "Risk-score integrations: unknown") {
		t.Fatalf("exit %d stderr %q", r.code, r.stderr)
	}
	if m := decode(t, r); m["success"] != true {
		t.Fatalf("json %v", m)
	}
	rec := f.auditRecords(t)[0]
	if rec.Integrations == nil || len(rec.Integrations.Active) != 0 || !strings.Contains(rec.Integrations.Unknown, "HTTP 500") {
		t.Fatalf("record integrations %+v", rec.Integrations)
	}
	if n := f.sim.Count(opReset); n != 2 {
		t.Fatalf("%d resets sent", n)
	}
}

func TestIdentityHelp(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for args, want := range map[string][]string{
		"users --help": {"Usage: cftriage users", "--level LEVEL", "--csv"},
		"user --help":  {"--context", "--user-id ID"},
		"--help":       {"users [--level LEVEL] [--csv]", "--context"},
	} {
		r := f.run(t, "", strings.Fields(args)...)
		for _, w := range want {
			if r.code != 0 || !strings.Contains(r.stdout, w) {
				t.Errorf("%s lacks %q:\n%s", args, w, r.stdout)
			}
		}
	}
}
