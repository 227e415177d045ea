package actions

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// simClient serves s over httptest and returns a client for token.
func simClient(t *testing.T, s *sim.Sim, token string, timeout time.Duration) *cloudflare.Client {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := cloudflare.New(cloudflare.Config{BaseURL: srv.URL + sim.BasePath, Token: token, AccountID: sim.DemoAccountID,
		Timeout: timeout, BackoffBase: time.Millisecond, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func bobOf(t *testing.T, c *cloudflare.Client) UserResult {
	t.Helper()
	res, err := LookupUser(context.Background(), c, sim.EmailFewEvents)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestLoadUserContext(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 0)
	bob := bobOf(t, c)
	s.ResetCounts()
	u := LoadUserContext(context.Background(), c, bob.User.ID, bob.Email, 4)
	for _, p := range ContextParts {
		if err := u.Err(p); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if u.LastSeen.IP != sim.IPRiskyC2 || len(u.Sessions) != 3 || len(u.FailedLogins) != 3 || len(u.AccessRequests) != 4 || len(u.Devices.Devices) != 2 {
		t.Fatalf("context %+v", u)
	}
	for i := 1; i < len(u.Sessions); i++ {
		if u.Sessions[i].ExpiresAt().Before(u.Sessions[i-1].ExpiresAt()) {
			t.Error("sessions not soonest to expire first")
		}
	}
	for i := 1; i < len(u.FailedLogins); i++ {
		if u.FailedLogins[i].When() > u.FailedLogins[i-1].When() {
			t.Error("failed logins not newest first")
		}
	}
	for _, r := range u.AccessRequests {
		if r.UserEmail != sim.EmailFewEvents {
			t.Errorf("Access request of %s", r.UserEmail)
		}
	}
	// One request per part.
	for _, op := range []string{sim.OpLastSeenIdentity, sim.OpActiveSessions, sim.OpFailedLogins, sim.OpAccessRequests, sim.OpDevices} {
		if n := s.Count(op); n != 1 {
			t.Errorf("%s: %d requests", op, n)
		}
	}
	if s.Total() != 5 {
		t.Errorf("%d requests in all, want 5", s.Total())
	}
}

// Each part fails alone — a 500, a timeout, a missing permission — and
// says so, while the others load.
func TestUserContextPartsFailAlone(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 500*time.Millisecond)
	bob := bobOf(t, c)
	ctx := context.Background()

	for _, tc := range []struct {
		part  string
		fault sim.Fault
		kind  cloudflare.ErrorKind
	}{
		{PartLastSeen, sim.Fault{Op: sim.OpLastSeenIdentity, Status: 500}, cloudflare.KindServer},
		{PartSessions, sim.Fault{Op: sim.OpActiveSessions, Latency: 3 * time.Second}, cloudflare.KindTimeout},
		{PartFailedLogins, sim.Fault{Op: sim.OpFailedLogins, HTML: true}, cloudflare.KindGateway},
		{PartAccessRequests, sim.Fault{Op: sim.OpAccessRequests, Malformed: true}, cloudflare.KindMalformed},
		{PartDevices, sim.Fault{Op: sim.OpDevices, Status: 503}, cloudflare.KindServer},
	} {
		s.ClearFaults()
		s.Inject(tc.fault)
		u := LoadUserContext(ctx, c, bob.User.ID, bob.Email, 0)
		for _, p := range ContextParts {
			err := u.Err(p)
			if p != tc.part {
				if err != nil {
					t.Errorf("%s failing: %s failed too: %v", tc.part, p, err)
				}
				continue
			}
			var ce *cloudflare.Error
			if !errors.As(err, &ce) || ce.Kind != tc.kind || ce.Message == "" {
				t.Errorf("%s: err %v, want kind %v", p, err, tc.kind)
			}
		}
	}
	s.ClearFaults()

	// A token without Access: Audit Logs Read: four parts say which
	// permission they lack; the devices still load.
	const noAudit = "token-without-access-audit-logs"
	perms := slices.DeleteFunc(slices.Clone(sim.AllPermissions), func(p sim.Permission) bool { return p == sim.PermAccessUsersRead })
	s2 := sim.New(sim.Options{Tokens: map[string]sim.TokenSpec{sim.DemoToken: {Perms: sim.AllPermissions}, noAudit: {Perms: perms}}})
	weak := simClient(t, s2, noAudit, 0)
	u := LoadUserContext(ctx, weak, bob.User.ID, bob.Email, 0)
	for _, p := range []string{PartLastSeen, PartSessions, PartFailedLogins, PartAccessRequests} {
		err := u.Err(p)
		if PartPermission(err) != cloudflare.PermAccessAuditRead || !strings.Contains(Explain(err), cloudflare.PermAccessAuditRead) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if u.DevicesErr != nil || len(u.Devices.Devices) != 2 {
		t.Errorf("devices with the weak token: %+v %v", u.Devices, u.DevicesErr)
	}
	if PartPermission(nil) != "" || PartPermission(errors.New("x")) != "" {
		t.Error("PartPermission of a non-403")
	}
}

func TestContextInputSendsNothing(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 0)
	ctx := context.Background()
	u := LoadUserContext(ctx, c, "not-a-uuid", "", 0)
	for _, p := range ContextParts {
		if u.Err(p) == nil {
			t.Errorf("%s accepted bad input", p)
		}
	}
	if _, err := LoadAccessRequests(ctx, c, "@acme-corp.example", 5); err == nil {
		t.Error("a domain accepted as an email")
	}
	if s.Total() != 0 {
		t.Fatalf("%d requests for bad input", s.Total())
	}
	if _, err := LoadLastSeen(ctx, nil, "x"); err == nil {
		t.Error("nil client")
	}
}

// After a revoke with devices, the context still lists the devices (with
// no active registration) and no sessions.
func TestContextAfterRevoke(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 0)
	bob := bobOf(t, c)
	ok, _, err := c.RevokeUser(context.Background(), cloudflare.RevokeRequest{Email: bob.Email, Devices: true})
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	u := LoadUserContext(context.Background(), c, bob.User.ID, bob.Email, 0)
	if u.SessionsErr != nil || len(u.Sessions) != 0 || u.DevicesErr != nil || len(u.Devices.Devices) != 2 {
		t.Fatalf("after revoke: %d sessions (%v), devices %+v (%v)", len(u.Sessions), u.SessionsErr, u.Devices, u.DevicesErr)
	}
	for _, d := range u.Devices.Devices {
		if d.ActiveRegistrations != 0 {
			t.Errorf("device %s still has %d registrations", d.Name, d.ActiveRegistrations)
		}
	}
}

func TestBlastRadius(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 0)
	bob := bobOf(t, c)
	ctx := context.Background()
	s.ResetCounts()
	b := LoadBlastRadius(ctx, c, bob.User.ID, &bob.Risk)
	if b.BehaviorsErr != nil || b.IntegrationsErr != nil || b.EventsErr != nil {
		t.Fatalf("%+v", b)
	}
	if len(b.Behaviors) != 2 || b.Behaviors[0].ID != "imp_travel" || b.Behaviors[1].RiskLevel != "medium" {
		t.Errorf("enabled behaviors %+v", b.Behaviors)
	}
	if len(b.Integrations) != 1 || b.Integrations[0].TenantURL != sim.OktaTenantURL {
		t.Errorf("active integrations %+v", b.Integrations)
	}
	if b.Events.Count != len(bob.Risk.Events) || b.Events.Highest != "high" {
		t.Errorf("events %+v", b.Events)
	}
	if s.Count(opRisk) != 0 || s.Total() != 2 {
		t.Errorf("the reviewed risk score was read again: %v", s.Counts())
	}
	text := strings.Join(b.Lines(), "\n")
	for _, want := range []string{
		"Events cleared: 5, highest level high.",
		"Impossible Travel (high), High Number of DLP Policies Triggered (medium)",
		"The new level is pushed to Okta at " + sim.OktaTenantURL + ".",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lines lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "SentinelOne") || strings.Contains(text, "legacy") {
		t.Errorf("a disabled behavior or inactive integration is listed:\n%s", text)
	}
	a := b.Audit()
	if a == nil || len(a.Active) != 1 || a.Active[0].Type != "Okta" || a.Active[0].TenantURL != sim.OktaTenantURL || a.Unknown != "" {
		t.Errorf("audit %+v", a)
	}

	// Without the reviewed score it is read; each part fails alone.
	s.Inject(sim.Fault{Op: sim.OpRiskIntegrations, Status: 500})
	s.Inject(sim.Fault{Op: opRisk, Status: 502})
	b = LoadBlastRadius(ctx, c, bob.User.ID, nil)
	if b.BehaviorsErr != nil || len(b.Behaviors) != 2 || b.IntegrationsErr == nil || b.Integrations != nil || b.EventsErr == nil {
		t.Fatalf("%+v", b)
	}
	text = strings.Join(b.Lines(), "\n")
	for _, want := range []string{"Events cleared: unknown", "Risk-score integrations: unknown", "HTTP 500", "Enabled risk behaviors"} {
		if !strings.Contains(text, want) {
			t.Errorf("lines lack %q:\n%s", want, text)
		}
	}
	if a := b.Audit(); a == nil || len(a.Active) != 0 || !strings.Contains(a.Unknown, "HTTP 500") {
		t.Errorf("audit of unknown integrations %+v", a)
	}
	s.ClearFaults()

	// Nothing enabled, nothing active, nothing to clear: said plainly.
	none := BlastRadius{Behaviors: []cloudflare.RiskBehavior{}, Integrations: []cloudflare.RiskIntegration{}}
	text = strings.Join(none.Lines(), "\n")
	for _, want := range []string{"none (the user has no risk events)", "none enabled", "none active"} {
		if !strings.Contains(text, want) {
			t.Errorf("empty radius lacks %q:\n%s", want, text)
		}
	}
	if a := none.Audit(); a == nil || a.Active == nil || len(a.Active) != 0 {
		t.Errorf("audit of no integrations %+v", a)
	}
}

// A reset given the blast radius records the active integrations in both
// of its audit records.
func TestResetAuditsIntegrations(t *testing.T) {
	f := newFixture(t, 0)
	req := f.request(t, sim.EmailFewEvents)
	br := LoadBlastRadius(context.Background(), f.client, req.UserID, &req.Before)
	req.Integrations = br.Audit()
	res := Reset(context.Background(), f.writer(), req)
	if res.Outcome != OutcomeSuccess {
		t.Fatal(res.Err)
	}
	recs := f.records(t)
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	for _, r := range recs {
		if r.Integrations == nil || len(r.Integrations.Active) != 1 || r.Integrations.Active[0].TenantURL != sim.OktaTenantURL {
			t.Errorf("%s record: integrations %+v", r.Phase, r.Integrations)
		}
	}
	if v, err := store.VerifyAudit(f.path); err != nil || !v.OK {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

func TestRiskyUsers(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, s, sim.DemoToken, 0)
	ctx := context.Background()
	res, err := RiskyUsers(ctx, c, "")
	if err != nil || res.Exchange == nil || res.Exchange.StatusCode != http.StatusOK {
		t.Fatal(err)
	}
	if len(res.Users) != res.Total || res.Total < 4 {
		t.Fatalf("%d of %d users", len(res.Users), res.Total)
	}
	for i := 1; i < len(res.Users); i++ {
		a, b := res.Users[i-1], res.Users[i]
		ta, _ := cloudflare.ParseTime(a.LastEvent)
		tb, _ := cloudflare.ParseTime(b.LastEvent)
		if LevelRank(a.MaxRiskLevel) < LevelRank(b.MaxRiskLevel) || LevelRank(a.MaxRiskLevel) == LevelRank(b.MaxRiskLevel) && ta.Before(tb) {
			t.Errorf("%s (%s, %s) before %s (%s, %s)", a.Email, a.MaxRiskLevel, a.LastEvent, b.Email, b.MaxRiskLevel, b.LastEvent)
		}
	}
	if res.Users[len(res.Users)-1].MaxRiskLevel != "low" {
		t.Errorf("the low user is not last: %+v", res.Users)
	}
	high, err := RiskyUsers(ctx, c, " HIGH ")
	if err != nil || len(high.Users) == 0 || len(high.Users) >= res.Total {
		t.Fatalf("--level high: %d users, %v", len(high.Users), err)
	}
	for _, u := range high.Users {
		if u.MaxRiskLevel != "high" {
			t.Errorf("%s is %s", u.Email, u.MaxRiskLevel)
		}
	}
	s.ResetCounts()
	if _, err := RiskyUsers(ctx, c, "critical"); err == nil || s.Total() != 0 {
		t.Fatalf("bad level: %v, %d requests", err, s.Total())
	}
}

func TestSortRiskyUsers(t *testing.T) {
	users := []cloudflare.RiskyUser{
		{Email: "a@x", MaxRiskLevel: "low", LastEvent: "2026-03-14T10:00:00Z"},
		{Email: "b@x", MaxRiskLevel: "high", LastEvent: "2026-03-10T10:00:00Z"},
		{Email: "c@x", MaxRiskLevel: "high", LastEvent: "2026-03-14T09:00:00Z"},
		{Email: "d@x", MaxRiskLevel: "critical", LastEvent: "2026-03-14T11:00:00Z"},
		{Email: "e@x", MaxRiskLevel: "high", LastEvent: "not a time"},
		{Email: "f@x", MaxRiskLevel: "medium", LastEvent: "2026-03-14T09:00:00Z"},
		{Email: "A@x", MaxRiskLevel: "HIGH", LastEvent: "2026-03-14T09:00:00Z"},
	}
	SortRiskyUsers(users)
	var got []string
	for _, u := range users {
		got = append(got, u.Email)
	}
	want := "A@x c@x b@x e@x f@x a@x d@x"
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
	if f := FilterRiskyUsers(users, "medium"); len(f) != 5 {
		t.Fatalf("medium and above: %d", len(f))
	}
}
