package sim_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/internal/contracttest"
)

// post sends a JSON body.
func post(t *testing.T, base, path, token, body string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

type identityResult struct {
	Email          string `json:"email"`
	IP             string `json:"ip"`
	DeviceID       string `json:"device_id"`
	IAT            int64  `json:"iat"`
	IsWARP         bool   `json:"is_warp"`
	UserUUID       string `json:"user_uuid"`
	Geo            struct{ Country string }
	IdP            struct{ ID, Type string }
	DevicePosture  map[string]struct{ Success bool } `json:"devicePosture"`
	DeviceSessions map[string]struct {
		LastAuthenticated int64 `json:"last_authenticated"`
	} `json:"device_sessions"`
}

type sessionResult struct {
	Expiration int64  `json:"expiration"`
	Name       string `json:"name"`
	Metadata   struct {
		Apps map[string]struct{ Hostname, Name, UID string }
		IAT  int64 `json:"iat"`
		TTL  int   `json:"ttl"`
	} `json:"metadata"`
}

type accessRequestResult struct {
	Allowed   bool   `json:"allowed"`
	AppDomain string `json:"app_domain"`
	CreatedAt string `json:"created_at"`
	IPAddress string `json:"ip_address"`
	RayID     string `json:"ray_id"`
	UserEmail string `json:"user_email"`
}

type deviceResult struct {
	ID                  string                     `json:"id"`
	Name                string                     `json:"name"`
	ActiveRegistrations int                        `json:"active_registrations"`
	LastSeenAt          *string                    `json:"last_seen_at"`
	LastSeenUser        struct{ ID, Email string } `json:"last_seen_user"`
}

type devicesPage struct {
	Result     []deviceResult `json:"result"`
	ResultInfo struct {
		Count      int    `json:"count"`
		Cursor     string `json:"cursor"`
		PerPage    int    `json:"per_page"`
		TotalCount int    `json:"total_count"`
	} `json:"result_info"`
}

func devicesOf(t *testing.T, base, query string) devicesPage {
	t.Helper()
	r := get(t, base, acct("/devices/physical-devices?"+query))
	if r.status != http.StatusOK {
		t.Fatalf("devices %s: %d %s", query, r.status, r.body)
	}
	var p devicesPage
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestContractIdentityOperations: valid requests to every identity
// operation, each validated against the contract (request and answer),
// and each succeeding.
func TestContractIdentityOperations(t *testing.T) {
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }})
	base := server(t, s, true)
	bob := userID(t, base, sim.EmailFewEvents)
	contractor := userID(t, base, "Dana.Lee@acme-corp.example")
	since := url.QueryEscape(fixedNow.Add(-48 * time.Hour).Format(time.RFC3339))
	until := url.QueryEscape(fixedNow.Format(time.RFC3339))
	for _, p := range []string{
		acct("/zt_risk_scoring/behaviors"),
		acct("/zt_risk_scoring/integrations"),
		acct("/access/users/" + bob + "/last_seen_identity"),
		acct("/access/users/" + contractor + "/last_seen_identity"),
		acct("/access/users/" + bob + "/active_sessions"),
		acct("/access/users/" + contractor + "/active_sessions"),
		acct("/access/users/" + bob + "/failed_logins"),
		acct("/access/users/" + contractor + "/failed_logins"),
		acct("/access/logs/access_requests"),
		acct("/access/logs/access_requests?email=" + sim.EmailFewEvents + "&email_exact=true&direction=desc&limit=5"),
		acct("/access/logs/access_requests?email=" + sim.EmailFewEvents + "&emailOp=neq&since=" + since + "&until=" + until + "&direction=asc&page=2&per_page=10"),
		acct("/access/logs/access_requests?fields=ray_id,allowed&limit=3"),
		acct("/devices/physical-devices"),
		acct("/devices/physical-devices?last_seen_user.email=" + sim.EmailManyEvents + "&per_page=1"),
		acct("/devices/physical-devices?active_registrations=include&sort_by=last_seen_at&sort_order=desc&search=carol&seen_after=2026-01-01T00:00:00Z"),
	} {
		if r := get(t, base, p); r.status != http.StatusOK {
			t.Errorf("GET %s: %d %s", p, r.status, r.body)
		}
	}
	next := devicesOf(t, base, "per_page=5").ResultInfo.Cursor
	if next == "" {
		t.Fatal("no cursor on the first page of all devices")
	}
	if r := get(t, base, acct("/devices/physical-devices?per_page=5&cursor="+next)); r.status != http.StatusOK {
		t.Errorf("second devices page: %d %s", r.status, r.body)
	}
	for _, body := range []string{
		`{"email":"` + sim.EmailFewEvents + `"}`,
		`{"email":"` + sim.EmailIPv6Event + `","devices":true,"warp_session_reauth":true}`,
		`{"email":"nobody@acme-corp.example"}`,
	} {
		if r := post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, body); r.status != http.StatusOK {
			t.Errorf("revoke %s: %d %s", body, r.status, r.body)
		}
	}
}

func TestContractIdentityErrors(t *testing.T) {
	const weak = "sim-token-without-permissions"
	s := sim.New(sim.Options{Now: func() time.Time { return fixedNow }, Tokens: map[string]sim.TokenSpec{
		sim.DemoToken: {Perms: sim.AllPermissions},
		weak:          {Perms: []sim.Permission{sim.PermRiskRead}},
	}})
	base := server(t, s, true)
	bob := userID(t, base, sim.EmailFewEvents)
	for _, p := range []string{
		acct("/zt_risk_scoring/behaviors"), acct("/zt_risk_scoring/integrations"),
		acct("/access/users/" + bob + "/last_seen_identity"), acct("/access/users/" + bob + "/active_sessions"),
		acct("/access/users/" + bob + "/failed_logins"), acct("/access/logs/access_requests"),
		acct("/devices/physical-devices"),
	} {
		do(t, base, http.MethodGet, p, weak).wantError(t, 403, 9109)
	}
	post(t, base, acct("/access/organizations/revoke_user"), weak, `{"email":"`+sim.EmailFewEvents+`"}`).wantError(t, 403, 9109)
	unknown := "00000000-0000-4000-8000-000000000000"
	get(t, base, acct("/access/users/"+unknown+"/last_seen_identity")).wantError(t, 404, 7003)
	get(t, base, acct("/access/users/"+unknown+"/active_sessions")).wantError(t, 404, 7003)
	get(t, base, acct("/access/logs/access_requests?since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z")).wantError(t, 400, 1003)
	get(t, base, acct("/devices/physical-devices?cursor=bm90LWEtY3Vyc29y")).wantError(t, 400, 1003)

	// Requests that break the contract on purpose; the answers may not.
	lax := server(t, s, true, contracttest.AllowInvalidRequests())
	get(t, lax, acct("/access/logs/access_requests?direction=sideways")).wantError(t, 400, 1003)
	get(t, lax, acct("/access/logs/access_requests?since=yesterday")).wantError(t, 400, 1003)
	get(t, lax, acct("/devices/physical-devices?active_registrations=maybe")).wantError(t, 400, 1003)
	get(t, lax, acct("/access/users/not-a-uuid/failed_logins")).wantError(t, 400, 1003)
	post(t, lax, acct("/access/organizations/revoke_user"), sim.DemoToken, `{}`).wantError(t, 400, 1003)
	post(t, lax, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"`+sim.EmailFewEvents+`","devices":"yes"}`).wantError(t, 400, 1003)
	post(t, lax, acct("/access/organizations/revoke_user"), sim.DemoToken, ``).wantError(t, 400, 1003)
}

// A Zero Trust Write token reads behaviors and integrations too ("at
// least one of" Zero Trust Read, Zero Trust Write).
func TestBehaviorsAcceptZeroTrustWrite(t *testing.T) {
	const writer = "sim-token-zero-trust-write"
	s := sim.New(sim.Options{Tokens: map[string]sim.TokenSpec{writer: {Perms: []sim.Permission{sim.PermRiskWrite}}}})
	base := server(t, s, false)
	for _, p := range []string{acct("/zt_risk_scoring/behaviors"), acct("/zt_risk_scoring/integrations")} {
		if r := do(t, base, http.MethodGet, p, writer); r.status != http.StatusOK {
			t.Errorf("%s with Zero Trust Write: %d", p, r.status)
		}
	}
}

// TestIdentityDatasetIsCoherent: every user of the risky-users summary is
// an Access user with a risk score, a last seen identity from an IP the
// intel dataset rates risky, and sessions, Access requests and a device
// that agree with it.
func TestIdentityDatasetIsCoherent(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	var sum struct {
		Users []struct {
			UserID string `json:"user_id"`
			Email  string `json:"email"`
		}
	}
	get(t, base, acct("/zt_risk_scoring/summary")).result(t, &sum)
	if len(sum.Users) < 4 {
		t.Fatalf("summary has %d users", len(sum.Users))
	}
	for _, u := range sum.Users {
		var users []accessUser
		get(t, base, acct("/access/users?email="+url.QueryEscape(u.Email))).result(t, &users)
		if !slices.ContainsFunc(users, func(a accessUser) bool { return a.ID == u.UserID }) {
			t.Errorf("%s (%s) of the summary is not an Access user", u.Email, u.UserID)
		}
		get(t, base, acct("/zt_risk_scoring/"+u.UserID)).result(t, &riskScore{})

		var id identityResult
		get(t, base, acct("/access/users/"+u.UserID+"/last_seen_identity")).result(t, &id)
		if id.UserUUID != u.UserID || !strings.EqualFold(id.Email, u.Email) || id.IdP.Type != "okta" || id.Geo.Country == "" {
			t.Errorf("%s: identity %+v", u.Email, id)
		}
		addr := netip.MustParseAddr(id.IP)
		param := "ipv4"
		if addr.Is6() {
			param = "ipv6"
		}
		var ips []ipResult
		get(t, base, acct("/intel/ip?"+param+"="+url.QueryEscape(id.IP))).result(t, &ips)
		if len(ips) != 1 || len(ips[0].RiskTypes) == 0 {
			t.Errorf("%s was last seen from %s, which the intel dataset does not rate risky: %+v", u.Email, id.IP, ips)
		}
		if _, has := id.DeviceSessions[id.DeviceID]; id.DeviceID == "" || !has {
			t.Errorf("%s: device %q not in device_sessions %v", u.Email, id.DeviceID, id.DeviceSessions)
		}
		dev := devicesOf(t, base, "id="+id.DeviceID)
		if len(dev.Result) != 1 || dev.Result[0].LastSeenUser.ID != u.UserID {
			t.Errorf("%s: last seen device %s: %+v", u.Email, id.DeviceID, dev.Result)
		}

		var sessions []sessionResult
		get(t, base, acct("/access/users/"+u.UserID+"/active_sessions")).result(t, &sessions)
		if len(sessions) == 0 {
			t.Errorf("%s has no active session", u.Email)
		}
		for _, se := range sessions {
			if se.Expiration != se.Metadata.IAT+int64(se.Metadata.TTL) || se.Expiration <= fixedNow.Unix() || len(se.Metadata.Apps) == 0 {
				t.Errorf("%s: session %+v", u.Email, se)
			}
		}

		var reqs []accessRequestResult
		get(t, base, acct("/access/logs/access_requests?email="+url.QueryEscape(u.Email)+"&email_exact=true&limit=100")).result(t, &reqs)
		fromLastSeen := false
		for i, r := range reqs {
			if !strings.EqualFold(r.UserEmail, u.Email) {
				t.Errorf("%s: log entry of %s", u.Email, r.UserEmail)
			}
			if i > 0 && r.CreatedAt > reqs[i-1].CreatedAt {
				t.Errorf("%s: log not newest first", u.Email)
			}
			fromLastSeen = fromLastSeen || r.Allowed && r.IPAddress == id.IP
		}
		if !fromLastSeen {
			t.Errorf("%s: no allowed Access request from the last seen IP %s", u.Email, id.IP)
		}
	}
}

// Every denied Access request is a failed login with the same ray id.
func TestFailedLoginsAreDeniedRequests(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), false)
	bob := userID(t, base, sim.EmailFewEvents)
	var fails []struct {
		Expiration int64          `json:"expiration"`
		Metadata   map[string]any `json:"metadata"`
	}
	get(t, base, acct("/access/users/"+bob+"/failed_logins")).result(t, &fails)
	var reqs []accessRequestResult
	get(t, base, acct("/access/logs/access_requests?email="+sim.EmailFewEvents+"&email_exact=true&limit=100")).result(t, &reqs)
	var denied []string
	for _, r := range reqs {
		if !r.Allowed {
			denied = append(denied, r.RayID)
		}
	}
	if len(fails) != 3 || len(denied) != 3 {
		t.Fatalf("%d failed logins, %d denied requests; want 3 and 3", len(fails), len(denied))
	}
	for _, f := range fails {
		if ray, _ := f.Metadata["ray_id"].(string); !slices.Contains(denied, ray) || f.Metadata["user_uuid"] != bob || f.Metadata["app_name"] == "" {
			t.Errorf("failed login %v matches no denied request %v", f.Metadata, denied)
		}
		at, err := time.Parse(time.RFC3339, f.Metadata["datetime"].(string))
		if err != nil || f.Expiration != at.Add(7*24*time.Hour).Unix() {
			t.Errorf("failed login at %v expires %d", f.Metadata["datetime"], f.Expiration)
		}
	}
	// A user without failed logins gets an empty list, not null.
	alice := userID(t, base, sim.EmailNoEvents)
	r := get(t, base, acct("/access/users/"+alice+"/failed_logins"))
	if !bytes.Contains(r.body, []byte(`"result":[]`)) {
		t.Errorf("no failed logins: %s", r.body)
	}
}

func TestBehaviorsAndIntegrations(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), false)
	var b struct {
		Behaviors map[string]struct {
			Name      string `json:"name"`
			Enabled   bool   `json:"enabled"`
			RiskLevel string `json:"risk_level"`
		} `json:"behaviors"`
	}
	get(t, base, acct("/zt_risk_scoring/behaviors")).result(t, &b)
	on, off := 0, 0
	for _, v := range b.Behaviors {
		if v.Enabled {
			on++
		} else {
			off++
		}
	}
	if !b.Behaviors["imp_travel"].Enabled || on == 0 || off == 0 {
		t.Fatalf("behaviors %+v: want some enabled (imp_travel among them) and some not", b.Behaviors)
	}
	var ints []struct {
		Active          bool   `json:"active"`
		IntegrationType string `json:"integration_type"`
		TenantURL       string `json:"tenant_url"`
		ReferenceID     string `json:"reference_id"`
	}
	get(t, base, acct("/zt_risk_scoring/integrations")).result(t, &ints)
	var active []string
	for _, i := range ints {
		if i.Active {
			active = append(active, i.IntegrationType+" "+i.TenantURL)
		}
	}
	if len(active) != 1 || active[0] != "Okta "+sim.OktaTenantURL {
		t.Fatalf("active integrations %v, want one Okta at %s", active, sim.OktaTenantURL)
	}
	// The active integration pushes to the IdP the identities use.
	var id identityResult
	get(t, base, acct("/access/users/"+userID(t, base, sim.EmailFewEvents)+"/last_seen_identity")).result(t, &id)
	for _, i := range ints {
		if i.Active && i.ReferenceID != id.IdP.ID {
			t.Errorf("integration reference_id %s, identity IdP %s", i.ReferenceID, id.IdP.ID)
		}
	}
}

// Revoking clears the user's sessions (a re-read shows none), leaves
// other users' alone, with devices zeroes the devices' registrations,
// and answers false for an email without a user.
func TestRevokeClearsSessions(t *testing.T) {
	clk := &clock{t: fixedNow}
	s := sim.New(sim.Options{Now: clk.Now})
	base := server(t, s, true)
	bob, erin := userID(t, base, sim.EmailFewEvents), userID(t, base, sim.EmailIPv6Event)
	sessions := func(id string) int {
		var out []sessionResult
		get(t, base, acct("/access/users/"+id+"/active_sessions")).result(t, &out)
		return len(out)
	}
	if sessions(bob) != 3 || sessions(erin) != 2 {
		t.Fatalf("before: bob %d, erin %d sessions", sessions(bob), sessions(erin))
	}
	clk.Advance(time.Minute)
	var result bool
	post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"BOB.MARTIN@acme-corp.example"}`).result(t, &result)
	if !result || sessions(bob) != 0 || sessions(erin) != 2 {
		t.Fatalf("after revoking bob: result %v, bob %d, erin %d sessions", result, sessions(bob), sessions(erin))
	}
	if n := len(devicesOf(t, base, "last_seen_user.email="+sim.EmailFewEvents).Result); n != 2 {
		t.Fatalf("a revoke without devices changed bob's devices: %d active", n)
	}

	post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"`+sim.EmailIPv6Event+`","devices":true}`).result(t, &result)
	if !result || sessions(erin) != 0 {
		t.Fatalf("erin: result %v, %d sessions", result, sessions(erin))
	}
	if p := devicesOf(t, base, "last_seen_user.email="+sim.EmailIPv6Event); len(p.Result) != 0 {
		t.Fatalf("erin's devices still active: %+v", p.Result)
	}
	all := devicesOf(t, base, "last_seen_user.email="+sim.EmailIPv6Event+"&active_registrations=include")
	if len(all.Result) != 1 || all.Result[0].ActiveRegistrations != 0 {
		t.Fatalf("erin's revoked device: %+v", all.Result)
	}

	post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"nobody@acme-corp.example"}`).result(t, &result)
	if result {
		t.Fatal("revoking an email without a user answered true")
	}
	// Another Sim has its own state.
	other := server(t, sim.New(sim.Options{Now: clk.Now}), false)
	var out []sessionResult
	get(t, other, acct("/access/users/"+bob+"/active_sessions")).result(t, &out)
	if len(out) != 3 {
		t.Fatalf("a fresh Sim shows %d sessions for bob", len(out))
	}
}

// A latency fault runs the revoke with its body intact.
func TestRevokeUnderLatencyStillReadsTheBody(t *testing.T) {
	s := sim.New(sim.Options{})
	base := server(t, s, false)
	s.Inject(sim.Fault{Op: sim.OpRevokeUser, Latency: 20 * time.Millisecond, Times: 1})
	var result bool
	post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"`+sim.EmailFewEvents+`"}`).result(t, &result)
	if !result {
		t.Fatal("revoke under latency answered false")
	}
}

func TestIdentityCountsAndFaults(t *testing.T) {
	s := sim.New(sim.Options{})
	base := server(t, s, false)
	bob := userID(t, base, sim.EmailFewEvents)
	paths := map[string]string{
		sim.OpRiskBehaviors:    acct("/zt_risk_scoring/behaviors"),
		sim.OpRiskIntegrations: acct("/zt_risk_scoring/integrations"),
		sim.OpLastSeenIdentity: acct("/access/users/" + bob + "/last_seen_identity"),
		sim.OpActiveSessions:   acct("/access/users/" + bob + "/active_sessions"),
		sim.OpFailedLogins:     acct("/access/users/" + bob + "/failed_logins"),
		sim.OpAccessRequests:   acct("/access/logs/access_requests"),
		sim.OpDevices:          acct("/devices/physical-devices"),
	}
	for op, p := range paths {
		s.ResetCounts()
		s.Inject(sim.Fault{Op: op, Status: http.StatusServiceUnavailable, Times: 1})
		get(t, base, p).wantError(t, 503, 10001)
		if r := get(t, base, p); r.status != http.StatusOK {
			t.Errorf("%s after its one fault: %d", op, r.status)
		}
		if s.Count(op) != 2 || s.Total() != 2 {
			t.Errorf("%s: count %d, total %d, want 2 and 2", op, s.Count(op), s.Total())
		}
	}
	// A faulted revoke revokes nothing.
	s.ResetCounts()
	s.Inject(sim.Fault{Op: sim.OpRevokeUser, Status: http.StatusInternalServerError, Times: 1})
	post(t, base, acct("/access/organizations/revoke_user"), sim.DemoToken, `{"email":"`+sim.EmailFewEvents+`"}`).wantError(t, 500, 10001)
	var out []sessionResult
	get(t, base, paths[sim.OpActiveSessions]).result(t, &out)
	if len(out) == 0 || s.Count(sim.OpRevokeUser) != 1 {
		t.Fatalf("after a faulted revoke: %d sessions, %d revoke requests", len(out), s.Count(sim.OpRevokeUser))
	}
}

// Cursor paging visits every device once and ends on an empty cursor.
func TestDevicesCursorPaging(t *testing.T) {
	base := server(t, sim.New(sim.Options{}), true)
	p := devicesOf(t, base, "last_seen_user.email="+sim.EmailManyEvents+"&per_page=1")
	seen := map[string]bool{}
	for pages := 1; ; pages++ {
		if len(p.Result) != 1 || p.ResultInfo.TotalCount != 3 || p.ResultInfo.PerPage != 1 {
			t.Fatalf("page %d: %+v", pages, p)
		}
		seen[p.Result[0].Name] = true
		if p.ResultInfo.Cursor == "" {
			if pages != 3 {
				t.Fatalf("paging ended after %d pages", pages)
			}
			break
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		p = devicesOf(t, base, "last_seen_user.email="+sim.EmailManyEvents+"&per_page=1&cursor="+p.ResultInfo.Cursor)
	}
	if len(seen) != 3 || !seen["CAROL-PC-03"] || !seen["CAROL-PC-05"] {
		t.Fatalf("devices seen: %v", seen)
	}
	var never int
	for _, d := range devicesOf(t, base, "last_seen_user.email="+sim.EmailManyEvents).Result {
		if d.LastSeenAt == nil {
			never++
		}
	}
	if never != 1 {
		t.Fatalf("%d never-seen devices, want 1 (last_seen_at null)", never)
	}
}

func TestAccessRequestsFilters(t *testing.T) {
	base := server(t, sim.New(sim.Options{Now: func() time.Time { return fixedNow }}), true)
	list := func(q string) []accessRequestResult {
		var out []accessRequestResult
		get(t, base, acct("/access/logs/access_requests?"+q)).result(t, &out)
		return out
	}
	if n := len(list("")); n != 25 {
		t.Errorf("default limit: %d entries", n)
	}
	if n := len(list("limit=3")); n != 3 {
		t.Errorf("limit=3: %d entries", n)
	}
	asc := list("email=" + sim.EmailFewEvents + "&email_exact=true&direction=asc&limit=100")
	desc := list("email=" + sim.EmailFewEvents + "&email_exact=true&limit=100")
	if len(asc) != len(desc) || len(asc) < 5 || asc[0].RayID != desc[len(desc)-1].RayID {
		t.Errorf("asc and desc disagree: %d and %d", len(asc), len(desc))
	}
	since := fixedNow.Add(-100 * time.Minute).Format(time.RFC3339)
	for _, r := range list("email=" + sim.EmailFewEvents + "&email_exact=true&since=" + url.QueryEscape(since)) {
		if r.CreatedAt < since {
			t.Errorf("entry at %s before since %s", r.CreatedAt, since)
		}
	}
	// Both Dana Lee accounts share the address (case aside).
	dana := list("email=" + sim.EmailTwoUsers + "&email_exact=true&limit=100")
	emails := map[string]bool{}
	for _, r := range dana {
		emails[r.UserEmail] = true
	}
	if len(emails) != 2 {
		t.Errorf("dana's entries name %v", emails)
	}
}
