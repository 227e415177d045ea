package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
)

// TestSimIdentityOperations: every identity method against the simulator,
// the exchanges validated against the contract (revoke's POST included).
func TestSimIdentityOperations(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	s := sim.New(sim.Options{Now: func() time.Time { return now }})
	c := simClient(t, simServer(t, s, true), nil)
	ctx := context.Background()
	bob := userID(t, c, sim.EmailFewEvents)

	bs, _, err := c.RiskBehaviors(ctx)
	if err != nil || len(bs) < 3 {
		t.Fatalf("behaviors %+v %v", bs, err)
	}
	if bs[0].ID != "imp_travel" || bs[0].RiskLevel != "high" || !bs[0].Enabled || bs[0].Name != "Impossible Travel" {
		t.Errorf("behaviors not most severe first, or the map key lost: %+v", bs[0])
	}
	for i := 1; i < len(bs); i++ {
		if riskRank(bs[i].RiskLevel) > riskRank(bs[i-1].RiskLevel) {
			t.Errorf("behavior %d (%s) outranks %d", i, bs[i].RiskLevel, i-1)
		}
	}

	ints, _, err := c.RiskIntegrations(ctx)
	if err != nil || len(ints) != 2 {
		t.Fatalf("integrations %+v %v", ints, err)
	}
	if !ints[0].Active || ints[0].IntegrationType != "Okta" || ints[0].TenantURL != sim.OktaTenantURL || ints[1].Active {
		t.Errorf("integrations %+v", ints)
	}

	id, ex, err := c.LastSeenIdentity(ctx, strings.ToUpper(bob))
	if err != nil {
		t.Fatal(err)
	}
	if id.IP != sim.IPRiskyC2 || id.Geo.Country != "SC" || id.IdP.Type != "okta" || id.IdP.ID != ints[0].ReferenceID ||
		!id.IsWARP || id.DeviceID == "" || len(id.DevicePosture) == 0 || id.UserUUID != bob || !strings.Contains(ex.URL, "/access/users/"+bob+"/") {
		t.Errorf("identity %+v (URL %s)", id, ex.URL)
	}
	if got := id.IAT.Time(); got.After(now) || now.Sub(got) > time.Hour {
		t.Errorf("iat %v, want shortly before %v", got, now)
	}
	if ds, ok := id.DeviceSessions[id.DeviceID]; !ok || ds.LastAuthenticated != id.IAT {
		t.Errorf("device sessions %+v", id.DeviceSessions)
	}

	sessions, _, err := c.ActiveSessions(ctx, bob)
	if err != nil || len(sessions) != 3 {
		t.Fatalf("sessions %+v %v", sessions, err)
	}
	for _, se := range sessions {
		apps := se.AppList()
		if !se.ExpiresAt().After(now) || len(apps) != 1 || apps[0].Hostname == "" || apps[0].UID == "" || se.Name != "Bob Martin" {
			t.Errorf("session %+v", se)
		}
	}

	fails, _, err := c.FailedLogins(ctx, bob)
	if err != nil || len(fails) != 3 {
		t.Fatalf("failed logins %+v %v", fails, err)
	}
	if fails[0].AppName() == "" || fails[0].RayID() == "" || fails[0].When() == "" || fails[0].Expiration.IsZero() {
		t.Errorf("failed login %+v", fails[0])
	}

	reqs, ex, err := c.AccessRequests(ctx, AccessRequestsQuery{Email: "Bob.Martin@acme-corp[.]example", Direction: "desc", Limit: 4,
		Since: now.Add(-48 * time.Hour), Until: now})
	if err != nil || len(reqs) != 4 {
		t.Fatalf("access requests %+v %v", reqs, err)
	}
	q, _ := url.Parse(ex.URL)
	// The address goes as typed (refanged), not lowercased: the API does
	// not say its match ignores case.
	if v := q.Query(); v.Get("email") != "Bob.Martin@acme-corp.example" || v.Get("email_exact") != "true" || v.Get("limit") != "4" || v.Get("since") == "" {
		t.Errorf("query %s", ex.URL)
	}
	for i, r := range reqs {
		if r.UserEmail != sim.EmailFewEvents || (i > 0 && r.CreatedAt > reqs[i-1].CreatedAt) {
			t.Errorf("entry %d: %+v", i, r)
		}
	}

	// Carol has three devices; one per page follows the cursor thrice.
	dl, ex, err := c.Devices(ctx, DevicesQuery{Email: sim.EmailManyEvents, PerPage: 1})
	if err != nil || len(dl.Devices) != 3 || dl.Pages != 3 || dl.Truncated || dl.TotalCount != 3 || ex.Attempts != 3 {
		t.Fatalf("devices %+v %v (exchange %+v)", dl, err, ex)
	}
	names := map[string]bool{}
	never := 0
	for _, d := range dl.Devices {
		names[d.Name] = true
		if d.LastSeenAt == "" {
			never++
		}
		if d.LastSeenUser == nil || d.LastSeenUser.Email != sim.EmailManyEvents {
			t.Errorf("device %+v", d)
		}
	}
	if len(names) != 3 || never != 1 {
		t.Errorf("devices %v, %d never seen", names, never)
	}
	short, _, err := c.Devices(ctx, DevicesQuery{Email: sim.EmailManyEvents, PerPage: 1, MaxPages: 2})
	if err != nil || len(short.Devices) != 2 || !short.Truncated || short.Pages != 2 {
		t.Fatalf("bounded devices %+v %v", short, err)
	}

	// Revoke: one POST, the sessions are gone on a re-read.
	before := s.Count(sim.OpRevokeUser)
	ok, ex, err := c.RevokeUser(ctx, RevokeRequest{Email: " BOB.MARTIN@acme-corp.example "})
	if err != nil || !ok || ex.StatusCode != 200 || ex.Attempts != 1 || s.Count(sim.OpRevokeUser) != before+1 {
		t.Fatalf("revoke %v %+v %v", ok, ex, err)
	}
	if after, _, err := c.ActiveSessions(ctx, bob); err != nil || len(after) != 0 {
		t.Fatalf("after the revoke: %d sessions, %v", len(after), err)
	}
	ok, _, err = c.RevokeUser(ctx, RevokeRequest{Email: sim.EmailIPv6Event, Devices: true})
	if err != nil || !ok {
		t.Fatalf("revoke with devices %v %v", ok, err)
	}
	if dl, _, err := c.Devices(ctx, DevicesQuery{Email: sim.EmailIPv6Event, ActiveRegistrations: "include"}); err != nil ||
		len(dl.Devices) != 1 || dl.Devices[0].ActiveRegistrations != 0 {
		t.Fatalf("erin's devices after the revoke %+v %v", dl, err)
	}
	ok, _, err = c.RevokeUser(ctx, RevokeRequest{Email: "nobody@acme-corp.example"})
	if err != nil || ok {
		t.Fatalf("revoking nobody: %v %v, want false and no error", ok, err)
	}

	for _, op := range []string{OpRiskBehaviors, OpRiskIntegrations, OpLastSeenIdentity, OpActiveSessions, OpFailedLogins, OpAccessRequests, OpDevices, OpRevokeSessions} {
		if s.Count(OperationID(op)) == 0 {
			t.Errorf("%s (%s) never reached the simulator", op, OperationID(op))
		}
	}
}

// The revoke body is {email, devices?} and nothing else.
func TestRevokeBody(t *testing.T) {
	var bodies []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Header.Get("Content-Type")+" "+string(b))
		fmt.Fprint(w, `{"success":true,"result":true}`) // the docs' shape: no errors, no messages
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	for _, r := range []RevokeRequest{{Email: "a@b.example"}, {Email: "a@b.example", Devices: true}} {
		if ok, _, err := c.RevokeUser(context.Background(), r); err != nil || !ok {
			t.Fatalf("%+v: %v %v", r, ok, err)
		}
	}
	want := []string{`application/json {"email":"a@b.example"}`, `application/json {"email":"a@b.example","devices":true}`}
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Fatalf("bodies %q, want %q", bodies, want)
	}
}

// RevokeUser's answer: result true/false decides; without a boolean
// result, the HTTP status and success do (as for the reset).
func TestRevokeResult(t *testing.T) {
	for _, tc := range []struct {
		body  string
		want  bool
		fails bool
		kind  ErrorKind
	}{
		{`{"success":true,"errors":[],"messages":[],"result":true}`, true, false, 0},
		{`{"success":true,"result":false}`, false, false, 0},
		{`{"success":true,"result":null}`, true, false, 0},
		{`{"success":true}`, true, false, 0},
		{``, true, false, 0},
		{`{"success":false,"errors":[{"code":1000,"message":"nope"}],"result":null}`, false, true, KindAuth},
		{`{"success":false,"errors":[{"code":12001,"message":"nope"}],"result":null}`, false, true, KindUnknown},
	} {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, tc.body)
		})
		c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
		ok, ex, err := c.RevokeUser(context.Background(), RevokeRequest{Email: "a@b.example"})
		if tc.fails {
			wantKind(t, err, tc.kind)
			continue
		}
		if err != nil || ok != tc.want || ex == nil {
			t.Errorf("%s: %v %v, want %v", tc.body, ok, err, tc.want)
		}
	}
}

// TestSimFailedRevokeSentOnce: a revoke that fails in any way reached the
// simulator exactly once, over a reused keep-alive connection too.
func TestSimFailedRevokeSentOnce(t *testing.T) {
	op := sim.OpRevokeUser
	for _, tc := range []struct {
		name  string
		fault sim.Fault
		mod   func(*Config)
		kind  ErrorKind
		frag  string
	}{
		{"500", sim.Fault{Op: op, Status: 500}, nil, KindServer, "HTTP 500"},
		{"429", sim.Fault{Op: op, Status: 429, RetryAfter: 1}, nil, KindRateLimited, "rate limited by Cloudflare"},
		{"html", sim.Fault{Op: op, HTML: true}, nil, KindGateway, "HTML error page"},
		{"dropped connection", sim.Fault{Op: op, DropConnection: true}, nil, KindNetwork, "outcome is unknown"},
		{"timeout", sim.Fault{Op: op, Latency: 5 * time.Second}, func(c *Config) { c.Timeout = 200 * time.Millisecond }, KindTimeout, "outcome is unknown"},
		{"malformed", sim.Fault{Op: op, Malformed: true}, nil, KindMalformed, "probably applied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sim.New(sim.Options{})
			base := simServer(t, s, false)
			good := simClient(t, base, nil)
			bob := userID(t, good, sim.EmailFewEvents)
			c := simClient(t, base, func(c *Config) {
				c.MaxRetries = 5
				c.HTTPClient = nil
				if tc.mod != nil {
					tc.mod(c)
				}
			})
			if _, _, err := c.ActiveSessions(context.Background(), bob); err != nil {
				t.Fatal(err)
			}
			s.Inject(tc.fault)
			ok, ex, err := c.RevokeUser(context.Background(), RevokeRequest{Email: sim.EmailFewEvents})
			e := wantKind(t, err, tc.kind)
			if ok || !strings.Contains(e.Message, tc.frag) {
				t.Fatalf("revoked %v, message %q, want %q", ok, e.Message, tc.frag)
			}
			if n := s.Count(op); n != 1 {
				t.Fatalf("the revoke reached the simulator %d times, want exactly 1", n)
			}
			if ex == nil || ex.Attempts != 1 {
				t.Fatalf("exchange %+v", ex)
			}
		})
	}
}

func TestIdentityInputSendsNothing(t *testing.T) {
	s := sim.New(sim.Options{})
	c := simClient(t, simServer(t, s, false), nil)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"identity: email for id": func() error { _, _, err := c.LastSeenIdentity(ctx, "bob@acme-corp.example"); return err },
		"sessions: path":         func() error { _, _, err := c.ActiveSessions(ctx, "../../accounts"); return err },
		"failed logins: empty":   func() error { _, _, err := c.FailedLogins(ctx, " "); return err },
		"requests: substring": func() error {
			_, _, err := c.AccessRequests(ctx, AccessRequestsQuery{Email: "@acme-corp.example"})
			return err
		},
		"requests: window": func() error {
			_, _, err := c.AccessRequests(ctx, AccessRequestsQuery{Since: time.Now(), Until: time.Now().Add(-time.Hour)})
			return err
		},
		"requests: direction": func() error { _, _, err := c.AccessRequests(ctx, AccessRequestsQuery{Direction: "up"}); return err },
		"requests: limit": func() error {
			_, _, err := c.AccessRequests(ctx, AccessRequestsQuery{Limit: MaxAccessRequests + 1})
			return err
		},
		"devices: email":    func() error { _, _, err := c.Devices(ctx, DevicesQuery{Email: "not an email"}); return err },
		"devices: per page": func() error { _, _, err := c.Devices(ctx, DevicesQuery{PerPage: -1}); return err },
		"devices: regs":     func() error { _, _, err := c.Devices(ctx, DevicesQuery{ActiveRegistrations: "all"}); return err },
		"revoke: email":     func() error { _, _, err := c.RevokeUser(ctx, RevokeRequest{Email: "bob"}); return err },
		"revoke: check":     func() error { _, err := c.CheckRevoke(RevokeRequest{Email: ""}); return err },
	} {
		e := wantKind(t, call(), KindInput)
		if e.Message == "" {
			t.Errorf("%s: no message", name)
		}
	}
	if n := s.Total(); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
	if e, err := c.CheckRevoke(RevokeRequest{Email: "Bob.Martin@ACME-corp[.]example"}); err != nil || e != "Bob.Martin@ACME-corp.example" {
		t.Fatalf("CheckRevoke = %q, %v", e, err)
	}
	noAcct := simClient(t, simServer(t, s, false), func(c *Config) { c.AccountID = "" })
	if _, _, err := noAcct.RiskBehaviors(ctx); !strings.Contains(wantKind(t, err, KindInput).Message, "account id") {
		t.Fatal(err)
	}
}

// A 403 names the permission each identity operation needs; a 404 says
// which Access user had nothing.
func TestSimIdentityPermissionsAndNotFound(t *testing.T) {
	const weak = "weak-token-0123456789abcdef012345"
	s := sim.New(sim.Options{Tokens: map[string]sim.TokenSpec{
		sim.DemoToken: {Perms: sim.AllPermissions},
		weak:          {Perms: []sim.Permission{sim.PermIntelRead}},
	}})
	base := simServer(t, s, true)
	ctx := context.Background()
	bob := userID(t, simClient(t, base, nil), sim.EmailFewEvents)
	lim := simClient(t, base, func(c *Config) { c.Token = weak })
	for name, call := range map[string]func() error{
		"Zero Trust Read":         func() error { _, _, err := lim.RiskBehaviors(ctx); return err },
		"Zero Trust Read ":        func() error { _, _, err := lim.RiskIntegrations(ctx); return err },
		"Access: Audit Logs Read": func() error { _, _, err := lim.LastSeenIdentity(ctx, bob); return err },
		"Access: Audit Logs Read ": func() error {
			_, _, err := lim.AccessRequests(ctx, AccessRequestsQuery{Email: sim.EmailFewEvents})
			return err
		},
		"Access: Organizations, Identity Providers, and Groups Write": func() error {
			_, _, err := lim.RevokeUser(ctx, RevokeRequest{Email: sim.EmailFewEvents})
			return err
		},
	} {
		e := wantKind(t, call(), KindPermission)
		if !strings.Contains(e.Message, `"`+strings.TrimSpace(name)+`" permission`) || e.StatusCode != 403 {
			t.Errorf("403 for %s: %q", name, e.Message)
		}
	}
	// The contract names no permission for devices: the message says so
	// without inventing one.
	_, _, err := lim.Devices(ctx, DevicesQuery{Email: sim.EmailFewEvents})
	if e := wantKind(t, err, KindPermission); !strings.Contains(e.Message, "lacks a permission") {
		t.Errorf("devices 403: %q", e.Message)
	}

	c := simClient(t, base, nil)
	_, _, err = c.ActiveSessions(ctx, "00000000-0000-4000-8000-000000000000")
	if e := wantKind(t, err, KindNotFound); !strings.Contains(e.Message, "00000000-0000-4000-8000-000000000000") || !strings.Contains(e.Message, "active sessions") {
		t.Errorf("404: %q", e.Message)
	}
}

// A cursor the API repeats ends the paging instead of looping.
func TestDevicesRepeatedCursorStops(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"success":true,"errors":[],"messages":[],"result":[{"id":"d","name":"x","active_registrations":1,"created_at":"","updated_at":"","last_seen_at":null}],"result_info":{"count":1,"cursor":"same","per_page":1}}`)
	})
	c, _ := newTestClient(t, srv.URL+"/client/v4", nil)
	dl, ex, err := c.Devices(context.Background(), DevicesQuery{MaxPages: 50})
	if err != nil || srv.Count() != 2 || dl.Pages != 2 || len(dl.Devices) != 2 || ex.Attempts != 2 {
		t.Fatalf("%+v %v after %d requests", dl, err, srv.Count())
	}
}

func TestUnixTimeDecoding(t *testing.T) {
	for in, want := range map[string]UnixTime{
		`1787126681`: 1787126681, `1787126681.9`: 1787126681, `"1787126681"`: 1787126681,
		`null`: 0, `""`: 0, `"2026-08-19T08:04:41Z"`: UnixTime(time.Date(2026, 8, 19, 8, 4, 41, 0, time.UTC).Unix()),
	} {
		var u UnixTime
		if err := json.Unmarshal([]byte(in), &u); err != nil || u != want {
			t.Errorf("%s: %d %v, want %d", in, u, err, want)
		}
	}
	for _, in := range []string{`"soon"`, `true`, `1e300`, `{}`} {
		var u UnixTime
		if err := json.Unmarshal([]byte(in), &u); err == nil {
			t.Errorf("%s decoded as %d", in, u)
		}
	}
	if !UnixTime(0).Time().IsZero() || UnixTime(1).Time() != time.Unix(1, 0).UTC() {
		t.Error("Time()")
	}
	// A session with an odd time decodes: one field must not fail the answer.
	var se []ActiveSession
	if err := json.Unmarshal([]byte(`[{"expiration":"1787148281","metadata":{"iat":1787126681.5,"apps":{"u1":{"name":"Wiki"}}}}]`), &se); err != nil ||
		se[0].ExpiresAt().Unix() != 1787148281 || se[0].AppList()[0].UID != "u1" {
		t.Fatalf("%+v %v", se, err)
	}
}

// devicePosture is camelCase in the contract; device_posture is read too.
func TestLastSeenIdentityPostureSpellings(t *testing.T) {
	for _, body := range []string{
		`{"devicePosture":{"r1":{"rule_name":"Firewall","success":true}},"ip":"192.0.2.1"}`,
		`{"device_posture":{"r1":{"rule_name":"Firewall","success":true}},"ip":"192.0.2.1"}`,
	} {
		var id LastSeenIdentity
		if err := json.Unmarshal([]byte(body), &id); err != nil || id.IP != "192.0.2.1" || id.DevicePosture["r1"].RuleName != "Firewall" ||
			id.DevicePosture["r1"].Success == nil || !*id.DevicePosture["r1"].Success {
			t.Errorf("%s: %+v %v", body, id, err)
		}
	}
	b, _ := json.Marshal(LastSeenIdentity{DevicePosture: map[string]PostureResult{"r": {}}})
	if !strings.Contains(string(b), `"devicePosture"`) {
		t.Errorf("encoded as %s", b)
	}
}
