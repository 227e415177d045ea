package actions

// The user context: the identity side of a user lookup, in parts that load
// and fail on their own (the console loads the last seen identity with the
// user and the rest when the analyst opens them; the CLI's --context loads
// all five). Each part returns its data or the client's *cloudflare.Error,
// whose Kind and Message say what went wrong: a 403 is KindPermission and
// its message names the missing permission (PartPermission gives it
// alone).

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// Context part names, as the CLI's --json context object keys them.
const (
	PartLastSeen       = "lastSeen"
	PartSessions       = "sessions"
	PartFailedLogins   = "failedLogins"
	PartAccessRequests = "accessRequests"
	PartDevices        = "devices"
)

// ContextParts lists the parts in the order they are shown.
var ContextParts = []string{PartLastSeen, PartSessions, PartFailedLogins, PartAccessRequests, PartDevices}

// DefaultAccessRequests is how many Access requests LoadAccessRequests
// reads when asked for n <= 0.
const DefaultAccessRequests = 10

// ContextDevicePages bounds the device listing of a user's context.
const ContextDevicePages = 5

// LoadLastSeen reads where, from what device and through which identity
// provider the user (by Access user id) last signed in.
func LoadLastSeen(ctx context.Context, c *cloudflare.Client, userID string) (cloudflare.LastSeenIdentity, error) {
	if c == nil {
		return cloudflare.LastSeenIdentity{}, errNoClient
	}
	id, _, err := c.LastSeenIdentity(ctx, userID)
	return id, err
}

// LoadSessions reads the user's active Access sessions, soonest to
// expire first.
func LoadSessions(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.ActiveSession, error) {
	if c == nil {
		return nil, errNoClient
	}
	s, _, err := c.ActiveSessions(ctx, userID)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(s, func(a, b cloudflare.ActiveSession) int { return a.ExpiresAt().Compare(b.ExpiresAt()) })
	return s, nil
}

// LoadFailedLogins reads the user's failed Access logins, newest first
// (by metadata.datetime; entries without one last, in the API's order).
func LoadFailedLogins(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.FailedLogin, error) {
	if c == nil {
		return nil, errNoClient
	}
	f, _, err := c.FailedLogins(ctx, userID)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(f, func(a, b cloudflare.FailedLogin) int {
		ta, oka := cloudflare.ParseTime(a.When())
		tb, okb := cloudflare.ParseTime(b.When())
		switch {
		case oka && okb:
			return tb.Compare(ta)
		case oka != okb: // a time before none
			if oka {
				return -1
			}
			return 1
		}
		return 0
	})
	return f, nil
}

// LoadAccessRequests reads the latest n Access authentication log entries
// of the email (matched exactly), newest first; n <= 0 means
// DefaultAccessRequests.
func LoadAccessRequests(ctx context.Context, c *cloudflare.Client, email string, n int) ([]cloudflare.AccessRequest, error) {
	if c == nil {
		return nil, errNoClient
	}
	if n <= 0 {
		n = DefaultAccessRequests
	}
	n = min(n, cloudflare.MaxAccessRequests)
	if strings.TrimSpace(email) == "" {
		return nil, &indicator.InputError{Field: "email address", Msg: "is empty; the Access requests are read for one user"}
	}
	r, _, err := c.AccessRequests(ctx, cloudflare.AccessRequestsQuery{Email: email, Direction: "desc", Limit: n})
	return r, err
}

// LoadDevices reads the devices the email was last seen on, whatever
// their registrations (a revoked device still shows, with none active).
func LoadDevices(ctx context.Context, c *cloudflare.Client, email string) (cloudflare.DeviceList, error) {
	if c == nil {
		return cloudflare.DeviceList{}, errNoClient
	}
	if strings.TrimSpace(email) == "" {
		return cloudflare.DeviceList{}, &indicator.InputError{Field: "email address", Msg: "is empty; devices are listed for one user"}
	}
	d, _, err := c.Devices(ctx, cloudflare.DevicesQuery{Email: email, ActiveRegistrations: "include", MaxPages: ContextDevicePages})
	return d, err
}

// UserContext is every part of a user's context; each Err is set instead
// of its data when that part failed.
type UserContext struct {
	LastSeen          cloudflare.LastSeenIdentity
	LastSeenErr       error
	Sessions          []cloudflare.ActiveSession
	SessionsErr       error
	FailedLogins      []cloudflare.FailedLogin
	FailedLoginsErr   error
	AccessRequests    []cloudflare.AccessRequest
	AccessRequestsErr error
	Devices           cloudflare.DeviceList
	DevicesErr        error
}

// Err returns the error of a part by name (PartLastSeen, ...).
func (u UserContext) Err(part string) error {
	switch part {
	case PartLastSeen:
		return u.LastSeenErr
	case PartSessions:
		return u.SessionsErr
	case PartFailedLogins:
		return u.FailedLoginsErr
	case PartAccessRequests:
		return u.AccessRequestsErr
	case PartDevices:
		return u.DevicesErr
	}
	return nil
}

// LoadUserContext loads all five parts concurrently (the client paces
// them); one failing leaves the others. userID is the Access user id,
// email the user's address; requests is how many Access requests.
func LoadUserContext(ctx context.Context, c *cloudflare.Client, userID, email string, requests int) UserContext {
	var u UserContext
	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	run(func() { u.LastSeen, u.LastSeenErr = LoadLastSeen(ctx, c, userID) })
	run(func() { u.Sessions, u.SessionsErr = LoadSessions(ctx, c, userID) })
	run(func() { u.FailedLogins, u.FailedLoginsErr = LoadFailedLogins(ctx, c, userID) })
	run(func() { u.AccessRequests, u.AccessRequestsErr = LoadAccessRequests(ctx, c, email, requests) })
	run(func() { u.Devices, u.DevicesErr = LoadDevices(ctx, c, email) })
	wg.Wait()
	return u
}

// PartPermission is the token permission a failed part lacks: set for a
// 403 of an operation whose permission the contract names, else "".
func PartPermission(err error) string {
	var ce *cloudflare.Error
	if errors.As(err, &ce) && ce.Kind == cloudflare.KindPermission {
		return cloudflare.PermissionFor(ce.Op)
	}
	return ""
}

var errNoClient = errors.New("no API client")
