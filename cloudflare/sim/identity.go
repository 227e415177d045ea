package sim

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The identity operations: risk behaviors and integrations, an Access
// user's last seen identity, active sessions and failed logins, the Access
// authentication logs, revoking a user's sessions and the devices list.
//
// Behaviors and integrations accept Zero Trust Read or Zero Trust Write
// (risk:write), as the docs say. Assumptions, where the API documents
// nothing: the devices list needs devices:read, a stand-in for the
// permission Cloudflare does not name; an exact email filter
// (email_exact=true or emailOp=eq) ignores case; revoke answers result
// false when no Access user has the email, and 400/1003 for a body
// without one; devices come 10 a page by an opaque cursor, sorted by name
// unless sort_by says otherwise; an unknown user_id is 404/7003, as for
// the risk score.

// operationIds of the identity operations (keys of Count).
const (
	OpRiskBehaviors    = "dlp-zt-risk-score-get-behaviors"
	OpRiskIntegrations = "dlp-zt-risk-score-integration-list"
	OpLastSeenIdentity = "zero-trust-users-get-last-seen-identity"
	OpActiveSessions   = "zero-trust-users-get-active-sessions"
	OpFailedLogins     = "zero-trust-users-get-failed-logins"
	OpAccessRequests   = "access-authentication-logs-get-access-authentication-logs"
	OpRevokeUser       = "zero-trust-organization-revoke-all-access-tokens-for-a-user"
	OpDevices          = "list-devices"
)

// Permissions of the identity operations.
const (
	PermZeroTrustRead   Permission = "zt:read"           // Zero Trust Read (risk:write also reads)
	PermAccessOrgsWrite Permission = "access_orgs:write" // Access: Organizations, Identity Providers, and Groups Write
	// PermDevicesRead stands for whatever the devices list needs: the
	// contract names no permission for it.
	PermDevicesRead Permission = "devices:read"
)

// identityState is a Sim's mutable identity side (revokes), under Sim.mu.
type identityState struct {
	revokedAt        map[string]time.Time // user id → sessions revoked at
	devicesRevokedAt map[string]time.Time // user id → devices revoked at
}

// identity returns the Sim's identity state; the caller holds s.mu.
func (s *Sim) identity() *identityState {
	if s.ident == nil {
		s.ident = &identityState{revokedAt: map[string]time.Time{}, devicesRevokedAt: map[string]time.Time{}}
	}
	return s.ident
}

func forbidden() response {
	return fail(http.StatusForbidden, codeForbidden, "Unauthorized to access requested resource")
}

// anyPerm is the contract's "at least one of".
func anyPerm(t TokenSpec, ps ...Permission) bool {
	for _, p := range ps {
		if hasPerm(t, p) {
			return true
		}
	}
	return false
}

// ---- risk behaviors and integrations ----

type behaviorJSON struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Enabled     bool   `json:"enabled"`
	RiskLevel   string `json:"risk_level"`
}

func (s *Sim) riskBehaviors(c *call) response {
	if !anyPerm(c.tok, PermZeroTrustRead, PermRiskWrite) {
		return forbidden()
	}
	m := map[string]behaviorJSON{}
	for _, b := range riskBehaviors {
		m[b.ID] = behaviorJSON{b.Name, b.Description, b.Enabled, b.Level}
	}
	return ok(map[string]any{"behaviors": m})
}

type integrationJSON struct {
	ID              string `json:"id"`
	AccountTag      string `json:"account_tag"`
	Active          bool   `json:"active"`
	CreatedAt       string `json:"created_at"`
	IntegrationType string `json:"integration_type"`
	ReferenceID     string `json:"reference_id"`
	TenantURL       string `json:"tenant_url"`
	WellKnownURL    string `json:"well_known_url"`
}

func (s *Sim) riskIntegrations(c *call) response {
	if !anyPerm(c.tok, PermZeroTrustRead, PermRiskWrite) {
		return forbidden()
	}
	mk := func(seed string, active bool, days int, tenant, ref string) integrationJSON {
		id := stableUUID("integration:" + seed)
		return integrationJSON{ID: id, AccountTag: s.accountID, Active: active, CreatedAt: timestampOf(s.daysAgo(days)),
			IntegrationType: "Okta", ReferenceID: ref, TenantURL: tenant,
			WellKnownURL: "/.well-known/sse-configuration/" + id + "/"}
	}
	return ok([]integrationJSON{
		mk("okta", true, 190, OktaTenantURL, oktaIdPID),
		mk("okta-legacy", false, 640, "https://acme-corp-legacy.okta.example", stableUUID("idp:okta-legacy")),
	})
}

// ---- an Access user's identity, sessions and failed logins ----

type geoJSON struct {
	Country string `json:"country"`
}

type idpJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type deviceSessionJSON struct {
	LastAuthenticated int64 `json:"last_authenticated"`
}

type postureCheckJSON struct {
	Exists bool   `json:"exists"`
	Path   string `json:"path"`
}

type postureJSON struct {
	ID          string           `json:"id"`
	RuleName    string           `json:"rule_name"`
	Type        string           `json:"type"`
	Description string           `json:"description"`
	Success     bool             `json:"success"`
	Error       string           `json:"error,omitempty"`
	Timestamp   string           `json:"timestamp"`
	Check       postureCheckJSON `json:"check"`
	Data        map[string]any   `json:"data"`
}

type mtlsJSON struct {
	AuthStatus    string `json:"auth_status"`
	CertIssuerDN  string `json:"cert_issuer_dn"`
	CertIssuerSKI string `json:"cert_issuer_ski"`
	CertPresented bool   `json:"cert_presented"`
	CertSerial    string `json:"cert_serial"`
}

type identityJSON struct {
	AccountID          string                       `json:"account_id"`
	AuthStatus         string                       `json:"auth_status"`
	CommonName         string                       `json:"common_name"`
	DeviceID           string                       `json:"device_id"`
	DeviceSessions     map[string]deviceSessionJSON `json:"device_sessions"`
	DevicePosture      map[string]postureJSON       `json:"devicePosture"` // camelCase, as the API sends it
	Email              string                       `json:"email"`
	Geo                geoJSON                      `json:"geo"`
	IAT                int64                        `json:"iat"`
	IdP                idpJSON                      `json:"idp"`
	IP                 string                       `json:"ip"`
	IsGateway          bool                         `json:"is_gateway"`
	IsWARP             bool                         `json:"is_warp"`
	MTLSAuth           mtlsJSON                     `json:"mtls_auth"`
	ServiceTokenID     string                       `json:"service_token_id"`
	ServiceTokenStatus bool                         `json:"service_token_status"`
	UserUUID           string                       `json:"user_uuid"`
	Version            int                          `json:"version"`
}

func (s *Sim) unix(mins int) int64 { return s.minsAgo(mins).Unix() }

func (s *Sim) lastSeenIdentity(c *call) response {
	u, bad := s.riskUser(c)
	if bad != nil {
		return *bad
	}
	rec := getIdentities().byUser[u.ID]
	iat := s.unix(u.LoginMins)
	out := identityJSON{
		AccountID: s.accountID, AuthStatus: "NONE", Email: u.Email,
		DeviceSessions: map[string]deviceSessionJSON{}, DevicePosture: map[string]postureJSON{},
		Geo: geoJSON{rec.Country}, IAT: iat, IdP: idpJSON{oktaIdPID, "okta"}, IP: rec.IP,
		IsGateway: rec.Gateway, IsWARP: rec.WARP, MTLSAuth: mtlsJSON{AuthStatus: "NONE"},
		UserUUID: u.ID, Version: 2,
	}
	if d := rec.Device; d != nil {
		out.DeviceID = d.ID()
		out.DeviceSessions[d.ID()] = deviceSessionJSON{iat}
	}
	for _, p := range rec.Posture {
		id := stableUUID("posture:" + p.Rule)
		out.DevicePosture[id] = postureJSON{ID: id, RuleName: p.Rule, Type: p.Type, Description: p.Rule + " on the device",
			Success: p.OK, Error: p.Error, Timestamp: timestampOf(s.minsAgo(u.LoginMins)), Data: map[string]any{}}
	}
	return ok(out)
}

type sessionAppJSON struct {
	Hostname string `json:"hostname"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	UID      string `json:"uid"`
}

type sessionMetaJSON struct {
	Apps    map[string]sessionAppJSON `json:"apps"`
	Expires int64                     `json:"expires"`
	IAT     int64                     `json:"iat"`
	Nonce   string                    `json:"nonce"`
	TTL     int                       `json:"ttl"`
}

type sessionJSON struct {
	Expiration int64           `json:"expiration"`
	Metadata   sessionMetaJSON `json:"metadata"`
	Name       string          `json:"name"`
}

// activeSessions lists the sessions issued after the user's last revoke
// that have not expired yet (as of the Sim's clock).
func (s *Sim) activeSessions(c *call) response {
	u, bad := s.riskUser(c)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	revoked := s.identity().revokedAt[u.ID]
	s.mu.Unlock()
	now := s.now()
	out := []sessionJSON{}
	for i, se := range getIdentities().byUser[u.ID].Sessions {
		issued := s.minsAgo(se.Mins)
		exp := issued.Add(SessionTTL * time.Second)
		if !revoked.IsZero() && !issued.After(revoked) || !exp.After(now) {
			continue
		}
		meta := sessionMetaJSON{Apps: map[string]sessionAppJSON{}, Expires: exp.Unix(), IAT: issued.Unix(),
			Nonce: stableHex32(fmt.Sprintf("nonce:%s:%d", u.ID, i))[:16], TTL: SessionTTL}
		for _, k := range se.Apps {
			a := identityApps[k]
			meta.Apps[a.UID()] = sessionAppJSON{a.Host, a.Name, "self_hosted", a.UID()}
		}
		out = append(out, sessionJSON{Expiration: exp.Unix(), Metadata: meta, Name: u.Name})
	}
	return okPaged(out, resultInfo{Page: 1, PerPage: 20, Count: len(out), TotalCount: len(out), TotalPages: 1})
}

func rayOf(u *userRec, l loginRec) string {
	return stableHex32(fmt.Sprintf("ray:%s:%s:%d:%s", u.ID, l.App, l.Mins, l.IP))[:16]
}

type failedLoginJSON struct {
	Expiration int64          `json:"expiration"`
	Metadata   map[string]any `json:"metadata"`
}

// failedLogins are the denied entries of the user's authentication log,
// newest first; each is kept for 7 days.
func (s *Sim) failedLogins(c *call) response {
	u, bad := s.riskUser(c)
	if bad != nil {
		return *bad
	}
	var fails []loginRec
	for _, l := range getIdentities().byUser[u.ID].Logins {
		if !l.OK {
			fails = append(fails, l)
		}
	}
	slices.SortStableFunc(fails, func(a, b loginRec) int { return a.Mins - b.Mins })
	out := []failedLoginJSON{}
	for _, l := range fails {
		at := s.minsAgo(l.Mins)
		a := identityApps[l.App]
		meta := map[string]any{"app_name": a.Name, "aud": a.Aud(), "datetime": at.UTC().Format("2006-01-02T15:04:05.000Z"),
			"ray_id": rayOf(u, l), "user_email": u.Email, "user_uuid": u.ID}
		for k, v := range l.Extra {
			meta[k] = v
		}
		out = append(out, failedLoginJSON{Expiration: at.Add(7 * 24 * time.Hour).Unix(), Metadata: meta})
	}
	return okPaged(out, resultInfo{Page: 1, PerPage: 20, Count: len(out), TotalCount: len(out), TotalPages: 1})
}

// ---- Access authentication logs ----

type accessRequestJSON struct {
	Action     string `json:"action"`
	Allowed    bool   `json:"allowed"`
	AppDomain  string `json:"app_domain"`
	AppUID     string `json:"app_uid"`
	Connection string `json:"connection"`
	CreatedAt  string `json:"created_at"`
	IPAddress  string `json:"ip_address"`
	RayID      string `json:"ray_id"`
	UserEmail  string `json:"user_email"`
}

func timeParam(r *http.Request, name string) (time.Time, bool, *response) {
	v, has := query(r, name)
	if !has {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		resp := badParam(name, "must be a date-time such as 2026-03-01T00:00:00Z")
		return time.Time{}, false, &resp
	}
	return t, true, nil
}

// accessRequests filters like the docs describe: email is a substring
// unless email_exact=true or emailOp=eq (exact, case-insensitive here);
// emailOp=neq excludes, contains is a case-sensitive substring.
func (s *Sim) accessRequests(c *call) response {
	r := c.r
	limit, bad := intParam(r, "limit", 25, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	page, bad := intParam(r, "page", 1, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	perPage, bad := intParam(r, "per_page", 0, 1, math.MaxInt32)
	if bad != nil {
		return *bad
	}
	dir, _ := query(r, "direction")
	if dir == "" {
		dir = "desc"
	}
	if dir != "asc" && dir != "desc" {
		return badParam("direction", "must be desc or asc")
	}
	exact, bad := boolParam(r, "email_exact")
	if bad != nil {
		return *bad
	}
	op, hasOp := query(r, "emailOp")
	if hasOp && op != "eq" && op != "neq" && op != "contains" {
		return badParam("emailOp", "must be eq, neq or contains")
	}
	if exact {
		op = "eq"
	} else if !hasOp {
		op = "legacy"
	}
	since, hasSince, bad := timeParam(r, "since")
	if bad != nil {
		return *bad
	}
	until, hasUntil, bad := timeParam(r, "until")
	if bad != nil {
		return *bad
	}
	if hasSince && hasUntil && since.After(until) {
		return badParam("since", "must not be after until")
	}
	email, hasEmail := query(r, "email")
	var fields []string
	if f, has := query(r, "fields"); has && strings.TrimSpace(f) != "" {
		for _, name := range strings.Split(f, ",") {
			fields = append(fields, strings.TrimSpace(name))
		}
	}

	type entry struct {
		at  time.Time
		out accessRequestJSON
	}
	var all []entry
	for _, u := range getUsers().list {
		if hasEmail && email != "" {
			match := false
			switch op {
			case "eq", "neq":
				match = strings.EqualFold(u.Email, email)
			case "contains":
				match = strings.Contains(u.Email, email)
			default:
				match = strings.Contains(strings.ToLower(u.Email), strings.ToLower(email))
			}
			if match == (op == "neq") {
				continue
			}
		}
		for _, l := range getIdentities().byUser[u.ID].Logins {
			at := s.minsAgo(l.Mins)
			if hasSince && at.Before(since) || hasUntil && at.After(until) {
				continue
			}
			a := identityApps[l.App]
			all = append(all, entry{at, accessRequestJSON{Action: "login", Allowed: l.OK, AppDomain: a.Host, AppUID: a.UID(),
				Connection: "okta", CreatedAt: timestampOf(at), IPAddress: l.IP, RayID: rayOf(u, l), UserEmail: u.Email}})
		}
	}
	slices.SortStableFunc(all, func(a, b entry) int {
		c := a.at.Compare(b.at)
		if dir == "desc" {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.out.RayID, b.out.RayID))
	})
	if perPage > 0 {
		from := min((page-1)*perPage, len(all))
		all = all[from:min(from+perPage, len(all))]
	}
	all = all[:min(limit, len(all))]
	out := make([]any, 0, len(all))
	for _, e := range all {
		if fields == nil {
			out = append(out, e.out)
			continue
		}
		var m map[string]any
		_ = json.Unmarshal(encode(e.out), &m)
		kept := map[string]any{}
		for _, f := range fields {
			if v, has := m[f]; has {
				kept[f] = v
			}
		}
		out = append(out, kept)
	}
	return ok(out)
}

// ---- revoke a user's sessions ----

// revokeUser revokes the sessions of every Access user with the email
// (case-insensitively; only the one with user_uid when given), and with
// devices their devices' registrations. result is false when no user
// matched: nothing was revoked.
func (s *Sim) revokeUser(c *call) response {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	if err != nil {
		return badParam("body", "could not be read")
	}
	var in map[string]json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &in) != nil || in == nil {
		return badParam("body", "must be a JSON object with the user's email")
	}
	var email string
	if raw, has := in["email"]; !has || json.Unmarshal(raw, &email) != nil || !strings.Contains(email, "@") {
		return badParam("email", "the email of the user to revoke is required")
	}
	devices, bad := boolParam(c.r, "devices")
	if bad != nil {
		return *bad
	}
	for _, k := range []string{"devices", "warp_session_reauth"} {
		if raw, has := in[k]; has {
			var b bool
			if json.Unmarshal(raw, &b) != nil {
				return badParam(k, "must be true or false")
			}
			if k == "devices" {
				devices = devices || b
			}
		}
	}
	var uid string
	if raw, has := in["user_uid"]; has && json.Unmarshal(raw, &uid) != nil {
		return badParam("user_uid", "must be a string")
	}
	now := s.now().UTC()
	revoked := false
	s.mu.Lock()
	st := s.identity()
	for _, u := range getUsers().list {
		if !strings.EqualFold(u.Email, strings.TrimSpace(email)) || uid != "" && !strings.EqualFold(uid, u.ID) {
			continue
		}
		st.revokedAt[u.ID] = now
		if devices {
			st.devicesRevokedAt[u.ID] = now
		}
		revoked = true
	}
	s.mu.Unlock()
	return ok(revoked)
}

// ---- devices ----

type deviceUserJSON struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type deviceJSON struct {
	ID                  string          `json:"id"`
	ActiveRegistrations int             `json:"active_registrations"`
	CreatedAt           string          `json:"created_at"`
	LastSeenAt          *string         `json:"last_seen_at"`
	Name                string          `json:"name"`
	UpdatedAt           string          `json:"updated_at"`
	ClientVersion       *string         `json:"client_version"`
	DeletedAt           *string         `json:"deleted_at"`
	DeviceType          *string         `json:"device_type"`
	HardwareID          *string         `json:"hardware_id"`
	LastSeenUser        *deviceUserJSON `json:"last_seen_user"`
	MacAddress          *string         `json:"mac_address"`
	Manufacturer        *string         `json:"manufacturer"`
	Model               *string         `json:"model"`
	OSVersion           *string         `json:"os_version"`
	OSVersionExtra      *string         `json:"os_version_extra"`
	SerialNumber        *string         `json:"serial_number"`
}

type cursorInfoJSON struct {
	Count      int    `json:"count"`
	Cursor     string `json:"cursor"`
	PerPage    int    `json:"per_page"`
	TotalCount int    `json:"total_count"`
}

type devicesEnvelope struct {
	Success    bool           `json:"success"`
	Errors     []apiMsg       `json:"errors"`
	Messages   []apiMsg       `json:"messages"`
	Result     []deviceJSON   `json:"result"`
	ResultInfo cursorInfoJSON `json:"result_info"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (s *Sim) deviceView(d *deviceRec, revokedAt time.Time) deviceJSON {
	created := s.daysAgo(d.CreatedDays)
	updated := created
	out := deviceJSON{ID: d.ID(), ActiveRegistrations: 1, Name: d.Name,
		ClientVersion: strPtr("2026.1.150.0"), DeviceType: strPtr(d.Type),
		HardwareID: strPtr(strings.ToUpper(stableUUID("hw:" + d.Name))), MacAddress: strPtr(d.MAC),
		Manufacturer: strPtr(d.Maker), Model: strPtr(d.Model), OSVersion: strPtr(d.OS),
		OSVersionExtra: strPtr(d.OSExtra), SerialNumber: strPtr(d.Serial),
		LastSeenUser: &deviceUserJSON{d.Owner.ID, d.Owner.Email, d.Owner.Name}}
	if d.SeenMins >= 0 {
		seen := s.minsAgo(d.SeenMins)
		out.LastSeenAt = strPtr(timestampOf(seen))
		updated = seen
	}
	if !revokedAt.IsZero() {
		out.ActiveRegistrations = 0
		updated = revokedAt
	}
	out.CreatedAt, out.UpdatedAt = timestampOf(created), timestampOf(updated)
	return out
}

// devices pages by an opaque cursor: the offset of the next page, encoded.
// An empty cursor in result_info means the last page.
func (s *Sim) devices(c *call) response {
	r := c.r
	perPage, bad := intParam(r, "per_page", 10, 1, 1000)
	if bad != nil {
		return *bad
	}
	offset := 0
	if v, has := query(r, "cursor"); has && v != "" {
		raw, err := base64.RawURLEncoding.DecodeString(v)
		n, ok := strings.CutPrefix(string(raw), "sim-devices:")
		if err != nil || !ok {
			return badParam("cursor", "not a cursor this API returned")
		}
		if offset, err = strconv.Atoi(n); err != nil || offset < 0 {
			return badParam("cursor", "not a cursor this API returned")
		}
	}
	reg, _ := query(r, "active_registrations")
	switch reg {
	case "":
		reg = "only"
	case "include", "only", "exclude":
	default:
		return badParam("active_registrations", "must be include, only or exclude")
	}
	if v, has := query(r, "has_registration_type"); has && v != "warp" && v != "browser_extension" {
		return badParam("has_registration_type", "must be warp or browser_extension")
	}
	sortBy, _ := query(r, "sort_by")
	if sortBy != "" && !slices.Contains([]string{"name", "id", "client_version", "last_seen_user.email", "last_seen_at", "active_registrations", "created_at"}, sortBy) {
		return badParam("sort_by", "not a device field to sort by")
	}
	order, _ := query(r, "sort_order")
	if order != "" && order != "asc" && order != "desc" {
		return badParam("sort_order", "must be asc or desc")
	}
	seenAfter, hasAfter, bad := timeParam(r, "seen_after")
	if bad != nil {
		return *bad
	}
	seenBefore, hasBefore, bad := timeParam(r, "seen_before")
	if bad != nil {
		return *bad
	}
	email, hasEmail := query(r, "last_seen_user.email")
	search, _ := query(r, "search")
	search = strings.ToLower(search)
	ids := r.URL.Query()["id"]

	s.mu.Lock()
	revoked := make(map[string]time.Time, len(s.identity().devicesRevokedAt))
	for k, v := range s.identity().devicesRevokedAt {
		revoked[k] = v
	}
	s.mu.Unlock()
	var all []deviceJSON
	for _, d := range getIdentities().devices {
		v := s.deviceView(d, revoked[d.Owner.ID])
		switch {
		case hasEmail && !strings.EqualFold(d.Owner.Email, strings.TrimSpace(email)),
			len(ids) > 0 && !slices.Contains(ids, v.ID),
			reg == "only" && v.ActiveRegistrations == 0,
			reg == "exclude" && v.ActiveRegistrations > 0,
			search != "" && !strings.Contains(strings.ToLower(d.Name+" "+d.Serial+" "+d.Model+" "+d.Owner.Email), search):
			continue
		}
		if hasAfter || hasBefore {
			if d.SeenMins < 0 {
				continue
			}
			seen := s.minsAgo(d.SeenMins)
			if hasAfter && !seen.After(seenAfter) || hasBefore && !seen.Before(seenBefore) {
				continue
			}
		}
		all = append(all, v)
	}
	key := func(d deviceJSON) string {
		switch sortBy {
		case "id":
			return d.ID
		case "last_seen_user.email":
			return d.LastSeenUser.Email
		case "last_seen_at":
			if d.LastSeenAt == nil {
				return ""
			}
			return *d.LastSeenAt
		case "created_at":
			return d.CreatedAt
		case "active_registrations":
			return strconv.Itoa(d.ActiveRegistrations)
		case "client_version":
			return *d.ClientVersion
		}
		return d.Name
	}
	slices.SortStableFunc(all, func(a, b deviceJSON) int {
		c := cmp.Or(strings.Compare(key(a), key(b)), strings.Compare(a.ID, b.ID))
		if order == "desc" {
			c = -c
		}
		return c
	})
	out := devicesEnvelope{Success: true, Errors: []apiMsg{}, Messages: []apiMsg{}, Result: []deviceJSON{}}
	if offset < len(all) {
		out.Result = all[offset:min(offset+perPage, len(all))]
	}
	if next := offset + perPage; next < len(all) {
		out.ResultInfo.Cursor = base64.RawURLEncoding.EncodeToString([]byte("sim-devices:" + strconv.Itoa(next)))
	}
	out.ResultInfo.Count, out.ResultInfo.PerPage, out.ResultInfo.TotalCount = len(out.Result), perPage, len(all)
	return response{status: http.StatusOK, body: encode(out)}
}
