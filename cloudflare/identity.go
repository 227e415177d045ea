package cloudflare

// The identity operations: risk behaviors and integrations (what a reset
// will touch), an Access user's last seen identity, active sessions and
// failed logins, the Access authentication logs, the devices a user was
// last seen on, and revoking a user's sessions (a write: sent once, never
// retried, exactly like ResetRisk).

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cftriage/indicator"
)

// riskRank orders risk levels; unknown levels rank below low.
func riskRank(level string) int {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "low":
		return 1
	case "medium":
		return 2
	case "high":
		return 3
	}
	return 0
}

// RiskBehaviors returns the account's risk behaviors, every one (enabled
// or not), most severe first, then by name. The API answers a map keyed
// by behavior id; each element's ID is that key.
func (c *Client) RiskBehaviors(ctx context.Context) ([]RiskBehavior, *Exchange, error) {
	p, err := c.accountPath(OpRiskBehaviors, "/zt_risk_scoring/behaviors")
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Behaviors map[string]RiskBehavior `json:"behaviors"`
	}
	ex, err := c.get(ctx, OpRiskBehaviors, p, nil, shapeEnvelope, "", &out)
	if err != nil {
		return nil, ex, err
	}
	list := make([]RiskBehavior, 0, len(out.Behaviors))
	for id, b := range out.Behaviors {
		b.ID = id
		list = append(list, b)
	}
	slices.SortFunc(list, func(a, b RiskBehavior) int {
		return cmp.Or(riskRank(b.RiskLevel)-riskRank(a.RiskLevel), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return list, ex, nil
}

// RiskIntegrations lists the account's risk-score integrations (active
// or not), in the API's order.
func (c *Client) RiskIntegrations(ctx context.Context) ([]RiskIntegration, *Exchange, error) {
	p, err := c.accountPath(OpRiskIntegrations, "/zt_risk_scoring/integrations")
	if err != nil {
		return nil, nil, err
	}
	var out []RiskIntegration
	ex, err := c.get(ctx, OpRiskIntegrations, p, nil, shapeEnvelope, "", &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []RiskIntegration{}
	}
	return out, ex, nil
}

// accessUserGet reads /access/users/{user_id}/rest. A 404 says which
// user had nothing.
func (c *Client) accessUserGet(ctx context.Context, op, userID, rest string, out any) (*Exchange, error) {
	id, err := normalizeUserID(userID)
	if err != nil {
		return nil, inputError(op, err)
	}
	p, err := c.accountPath(op, "/access/users/"+id+rest)
	if err != nil {
		return nil, err
	}
	ex, err := c.get(ctx, op, p, nil, shapeEnvelope, id, out)
	if e := (*Error)(nil); errors.As(err, &e) && e.Kind == KindNotFound {
		e.Message = fmt.Sprintf("Cloudflare has no %s for an Access user with id %s in account %s (HTTP 404): the user may not exist, or has not signed in.%s",
			op, id, c.accountID, said(e.Errors))
	}
	return ex, err
}

// LastSeenIdentity returns where, from what device and through which
// identity provider an Access user (by id, from FindUsers) last signed in.
func (c *Client) LastSeenIdentity(ctx context.Context, userID string) (LastSeenIdentity, *Exchange, error) {
	var out LastSeenIdentity
	ex, err := c.accessUserGet(ctx, OpLastSeenIdentity, userID, "/last_seen_identity", &out)
	if err != nil {
		return LastSeenIdentity{}, ex, err
	}
	return out, ex, nil
}

// ActiveSessions returns an Access user's active sessions (the endpoint
// has no paging parameters: one request).
func (c *Client) ActiveSessions(ctx context.Context, userID string) ([]ActiveSession, *Exchange, error) {
	var out []ActiveSession
	ex, err := c.accessUserGet(ctx, OpActiveSessions, userID, "/active_sessions", &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []ActiveSession{}
	}
	return out, ex, nil
}

// FailedLogins returns an Access user's failed logins.
func (c *Client) FailedLogins(ctx context.Context, userID string) ([]FailedLogin, *Exchange, error) {
	var out []FailedLogin
	ex, err := c.accessUserGet(ctx, OpFailedLogins, userID, "/failed_logins", &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []FailedLogin{}
	}
	return out, ex, nil
}

// AccessRequests returns Access authentication log entries. With an
// email the address is matched exactly (email_exact=true): the contract
// declares email as a whole address, so a substring such as
// "@example.com" is refused before anything is sent.
func (c *Client) AccessRequests(ctx context.Context, q AccessRequestsQuery) ([]AccessRequest, *Exchange, error) {
	query, err := accessRequestsQuery(q)
	if err != nil {
		return nil, nil, inputError(OpAccessRequests, err)
	}
	p, err := c.accountPath(OpAccessRequests, "/access/logs/access_requests")
	if err != nil {
		return nil, nil, err
	}
	var out []AccessRequest
	ex, err := c.get(ctx, OpAccessRequests, p, query, shapeEnvelope, "", &out)
	if err != nil {
		return nil, ex, err
	}
	if out == nil {
		out = []AccessRequest{}
	}
	return out, ex, nil
}

func accessRequestsQuery(q AccessRequestsQuery) ([][2]string, error) {
	var out [][2]string
	if strings.TrimSpace(q.Email) != "" {
		e, err := indicator.NormalizeEmail(indicator.Refang(q.Email))
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{"email", e}, [2]string{"email_exact", "true"})
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && q.Since.After(q.Until) {
		return nil, inputErr("time window", q.Since.UTC().Format(time.RFC3339)+" .. "+q.Until.UTC().Format(time.RFC3339), "starts after it ends")
	}
	if !q.Since.IsZero() {
		out = append(out, [2]string{"since", q.Since.UTC().Format(time.RFC3339)})
	}
	if !q.Until.IsZero() {
		out = append(out, [2]string{"until", q.Until.UTC().Format(time.RFC3339)})
	}
	switch d := strings.ToLower(strings.TrimSpace(q.Direction)); d {
	case "":
	case "asc", "desc":
		out = append(out, [2]string{"direction", d})
	default:
		return nil, inputErr("direction", q.Direction, "must be desc (newest first) or asc")
	}
	switch {
	case q.Limit < 0 || q.Limit > MaxAccessRequests:
		return nil, inputErr("limit", strconv.Itoa(q.Limit), fmt.Sprintf("must be between 1 and %d", MaxAccessRequests))
	case q.Limit > 0:
		out = append(out, [2]string{"limit", strconv.Itoa(q.Limit)})
	}
	return out, nil
}

// cursorInfo is the cursor paging part of a devices answer.
type cursorInfo struct {
	Count      float64 `json:"count"`
	Cursor     string  `json:"cursor"`
	PerPage    float64 `json:"per_page"`
	TotalCount float64 `json:"total_count"`
}

// maxDevicePages is the hard bound on MaxPages: a listing never makes
// more requests than this, whatever the caller asks.
const maxDevicePages = 100

// Devices lists WARP devices, following result_info.cursor from page to
// page until it comes back empty or MaxPages requests were made (then
// Truncated is set). A cursor the API repeats also ends the paging, so a
// misbehaving answer cannot loop. The exchange is the last page's; its
// Attempts counts every request and Duration covers all pages. Devices
// accepts an API token only (not the email + key pair).
func (c *Client) Devices(ctx context.Context, q DevicesQuery) (DeviceList, *Exchange, error) {
	base, err := devicesQuery(q)
	if err != nil {
		return DeviceList{}, nil, inputError(OpDevices, err)
	}
	p, err := c.accountPath(OpDevices, "/devices/physical-devices")
	if err != nil {
		return DeviceList{}, nil, err
	}
	pages := q.MaxPages
	if pages <= 0 {
		pages = DefaultDevicePages
	}
	pages = min(pages, maxDevicePages)
	out := DeviceList{Devices: []Device{}}
	var last *Exchange
	attempts := 0
	start := c.clock.Now()
	seen := map[string]bool{}
	cursor := ""
	for {
		query := slices.Clone(base)
		if cursor != "" {
			query = append(query, [2]string{"cursor", cursor})
		}
		rq := &request{op: OpDevices, method: http.MethodGet, url: c.fullURL(p, query), shape: shapeEnvelope}
		ex, env, e := c.send(ctx, rq)
		if ex != nil {
			attempts += ex.Attempts
			ex.Attempts = attempts
			ex.Duration = c.clock.Now().Sub(start)
			last = ex
		}
		var items []Device
		if e == nil {
			e = c.decodeInto(rq, ex, env, &items)
		}
		if e != nil {
			return DeviceList{}, last, e
		}
		out.Pages++
		out.Devices = append(out.Devices, items...)
		var ri cursorInfo
		if env != nil && len(env.ResultInfo) > 0 {
			_ = json.Unmarshal(env.ResultInfo, &ri) // paging hints only
		}
		if ri.TotalCount > 0 {
			out.TotalCount = int(ri.TotalCount)
		}
		next := ri.Cursor
		if next == "" || len(items) == 0 || seen[next] {
			break
		}
		if out.Pages >= pages {
			out.Truncated = true
			break
		}
		seen[next] = true
		cursor = next
	}
	return out, last, nil
}

func devicesQuery(q DevicesQuery) ([][2]string, error) {
	var out [][2]string
	if strings.TrimSpace(q.Email) != "" {
		e, err := indicator.NormalizeEmail(indicator.Refang(q.Email))
		if err != nil {
			return nil, err
		}
		out = append(out, [2]string{"last_seen_user.email", e})
	}
	switch a := strings.ToLower(strings.TrimSpace(q.ActiveRegistrations)); a {
	case "":
	case "include", "only", "exclude":
		out = append(out, [2]string{"active_registrations", a})
	default:
		return nil, inputErr("active registrations", q.ActiveRegistrations, "must be include, only or exclude")
	}
	switch {
	case q.PerPage < 0 || q.PerPage > 1000:
		return nil, inputErr("page size", strconv.Itoa(q.PerPage), "must be between 1 and 1000")
	case q.PerPage > 0:
		out = append(out, [2]string{"per_page", strconv.Itoa(q.PerPage)})
	}
	return out, nil
}

// RevokeUser revokes an Access user's sessions (and with Devices, their
// devices): a POST of {email, devices?}, never retried, exactly like
// ResetRisk. It reports Cloudflare's result: false means the call was
// answered but nothing was revoked. An answer without a boolean result
// is judged by its HTTP status and success, as the reset is. If it times
// out or the connection drops after sending, the error says the outcome
// is unknown.
func (c *Client) RevokeUser(ctx context.Context, r RevokeRequest) (bool, *Exchange, error) {
	rq, err := c.revokeRequest(r)
	if err != nil {
		return false, nil, err
	}
	ex, env, err := c.sendWrite(ctx, rq)
	if err != nil {
		return false, ex, err
	}
	revoked := true
	if env != nil {
		var b *bool
		if json.Unmarshal(env.Result, &b) == nil && b != nil {
			revoked = *b
		}
	}
	return revoked, ex, nil
}

// CheckRevoke runs every check RevokeUser makes before sending and
// returns the normalized email, so a reviewed flow refuses bad input
// before its confirmation, its audit record or any request.
func (c *Client) CheckRevoke(r RevokeRequest) (string, error) {
	if _, err := c.revokeRequest(r); err != nil {
		return "", err
	}
	e, _ := indicator.NormalizeEmail(indicator.Refang(r.Email))
	return e, nil
}

func (c *Client) revokeRequest(r RevokeRequest) (*request, error) {
	e, err := indicator.NormalizeEmail(indicator.Refang(r.Email))
	if err != nil {
		return nil, inputError(OpRevokeSessions, err)
	}
	p, err := c.accountPath(OpRevokeSessions, "/access/organizations/revoke_user")
	if err != nil {
		return nil, err
	}
	uid := ""
	if r.UserUID != "" {
		if uid, err = normalizeUserID(r.UserUID); err != nil {
			return nil, inputError(OpRevokeSessions, err)
		}
	}
	body := struct {
		Email   string `json:"email"`
		Devices bool   `json:"devices,omitempty"`
		UserUID string `json:"user_uid,omitempty"`
	}{e, r.Devices, uid}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, &Error{Kind: KindInput, Op: OpRevokeSessions, Err: err, Message: "The session revoke request could not be built."}
	}
	return c.writeRequest(OpRevokeSessions, p, b, e), nil
}
