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
	"time"

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

// cacheOf is the cache relation of a part's exchange (zero without one).
func cacheOf(ex *cloudflare.Exchange) cloudflare.CacheInfo {
	if ex == nil {
		return cloudflare.CacheInfo{}
	}
	return ex.Cache
}

// LoadSessions reads the user's active Access sessions, soonest to
// expire first.
func LoadSessions(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.ActiveSession, error) {
	if c == nil {
		return nil, errNoClient
	}
	s, _, err := loadSessions(ctx, c, userID)
	return s, err
}

func loadSessions(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.ActiveSession, *cloudflare.Exchange, error) {
	if c == nil {
		return nil, nil, errNoClient
	}
	s, ex, err := c.ActiveSessions(ctx, userID)
	if err != nil {
		return nil, ex, err
	}
	slices.SortStableFunc(s, func(a, b cloudflare.ActiveSession) int { return a.ExpiresAt().Compare(b.ExpiresAt()) })
	return s, ex, nil
}

// LoadFailedLogins reads the user's failed Access logins, newest first
// (by metadata.datetime; entries without one last, in the API's order).
func LoadFailedLogins(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.FailedLogin, error) {
	if c == nil {
		return nil, errNoClient
	}
	f, _, err := loadFailedLogins(ctx, c, userID)
	return f, err
}

func loadFailedLogins(ctx context.Context, c *cloudflare.Client, userID string) ([]cloudflare.FailedLogin, *cloudflare.Exchange, error) {
	if c == nil {
		return nil, nil, errNoClient
	}
	f, ex, err := c.FailedLogins(ctx, userID)
	if err != nil {
		return nil, ex, err
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
	return f, ex, nil
}

// LoadAccessRequests reads the latest n Access authentication log entries
// of the email (matched exactly), newest first; n <= 0 means
// DefaultAccessRequests.
func LoadAccessRequests(ctx context.Context, c *cloudflare.Client, email string, n int) ([]cloudflare.AccessRequest, error) {
	r, _, err := loadAccessRequests(ctx, c, email, n)
	return r, err
}

func loadAccessRequests(ctx context.Context, c *cloudflare.Client, email string, n int) ([]cloudflare.AccessRequest, *cloudflare.Exchange, error) {
	if c == nil {
		return nil, nil, errNoClient
	}
	if n <= 0 {
		n = DefaultAccessRequests
	}
	n = min(n, cloudflare.MaxAccessRequests)
	if strings.TrimSpace(email) == "" {
		return nil, nil, &indicator.InputError{Field: "email address", Msg: "is empty; the Access requests are read for one user"}
	}
	return c.AccessRequests(ctx, cloudflare.AccessRequestsQuery{Email: email, Direction: "desc", Limit: n})
}

// LoadDevices reads the devices the email was last seen on, whatever
// their registrations (a revoked device still shows, with none active).
func LoadDevices(ctx context.Context, c *cloudflare.Client, email string) (cloudflare.DeviceList, error) {
	d, _, err := loadDevices(ctx, c, email)
	return d, err
}

func loadDevices(ctx context.Context, c *cloudflare.Client, email string) (cloudflare.DeviceList, *cloudflare.Exchange, error) {
	if c == nil {
		return cloudflare.DeviceList{}, nil, errNoClient
	}
	if strings.TrimSpace(email) == "" {
		return cloudflare.DeviceList{}, nil, &indicator.InputError{Field: "email address", Msg: "is empty; devices are listed for one user"}
	}
	return c.Devices(ctx, cloudflare.DevicesQuery{Email: email, ActiveRegistrations: "include", MaxPages: ContextDevicePages})
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
	// Each part's relation to the cache (Hit: it came from the cache,
	// Fetched: when the API gave it), by part name; set for the parts
	// that were read.
	Cache map[string]cloudflare.CacheInfo
}

// FromCache reports whether a part came from the cache, and when the
// API gave it.
func (u UserContext) FromCache(part string) (time.Time, bool) {
	ci, ok := u.Cache[part]
	if !ok || !ci.Hit {
		return time.Time{}, false
	}
	return ci.Fetched, true
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
	var ls, ss, fl, ar, dv *cloudflare.Exchange
	run(func() {
		if c == nil {
			u.LastSeenErr = errNoClient
			return
		}
		u.LastSeen, ls, u.LastSeenErr = c.LastSeenIdentity(ctx, userID)
	})
	run(func() { u.Sessions, ss, u.SessionsErr = loadSessions(ctx, c, userID) })
	run(func() { u.FailedLogins, fl, u.FailedLoginsErr = loadFailedLogins(ctx, c, userID) })
	run(func() { u.AccessRequests, ar, u.AccessRequestsErr = loadAccessRequests(ctx, c, email, requests) })
	run(func() { u.Devices, dv, u.DevicesErr = loadDevices(ctx, c, email) })
	wg.Wait()
	u.Cache = map[string]cloudflare.CacheInfo{}
	for part, ex := range map[string]*cloudflare.Exchange{PartLastSeen: ls, PartSessions: ss, PartFailedLogins: fl, PartAccessRequests: ar, PartDevices: dv} {
		if u.Err(part) == nil && ex != nil {
			u.Cache[part] = cacheOf(ex)
		}
	}
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
