package actions

// The risky-users queue: every user of the risky-users summary, most
// severe first, then most recent. The console's queue pane and
// `cftriage users` share it.

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// Risk levels, lowest first.
var RiskLevels = []string{"low", "medium", "high"}

// LevelRank orders risk levels: high 3, medium 2, low 1, anything else
// (null, an unknown level) 0.
func LevelRank(level string) int {
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

// ParseLevel checks a minimum level typed by the analyst ("" means no
// minimum) and returns it lower-cased.
func ParseLevel(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if l == "" || LevelRank(l) > 0 {
		return l, nil
	}
	return "", &indicator.InputError{Field: "risk level", Input: s, Msg: "must be low, medium or high"}
}

// RiskyUsersResult is the queue and the exchange it was read with.
type RiskyUsersResult struct {
	Users    []cloudflare.RiskyUser
	Total    int // users in the summary before the level filter
	Exchange *cloudflare.Exchange
}

// RiskyUsers reads the risky-users summary and returns its users at
// minLevel or above ("" = all), most severe first, then most recent.
// minLevel is checked before anything is sent.
func RiskyUsers(ctx context.Context, c *cloudflare.Client, minLevel string) (RiskyUsersResult, error) {
	lvl, err := ParseLevel(minLevel)
	if err != nil {
		return RiskyUsersResult{}, err
	}
	if c == nil {
		return RiskyUsersResult{}, errNoClient
	}
	sum, ex, err := c.RiskSummary(ctx)
	res := RiskyUsersResult{Exchange: ex}
	if err != nil {
		return res, err
	}
	res.Total = len(sum.Users)
	res.Users = FilterRiskyUsers(sum.Users, lvl)
	SortRiskyUsers(res.Users)
	return res, nil
}

// FilterRiskyUsers keeps the users at minLevel or above (all when
// minLevel is ""), in a new slice.
func FilterRiskyUsers(users []cloudflare.RiskyUser, minLevel string) []cloudflare.RiskyUser {
	out := make([]cloudflare.RiskyUser, 0, len(users))
	floor := LevelRank(minLevel)
	for _, u := range users {
		if minLevel == "" || LevelRank(u.MaxRiskLevel) >= floor {
			out = append(out, u)
		}
	}
	return out
}

// SortRiskyUsers orders the queue in place: highest level first, then the
// most recent last event (one that does not parse goes after those that
// do), then email, then user id, so the order is total and stable.
func SortRiskyUsers(users []cloudflare.RiskyUser) {
	// Sort small pointer-free keys, then permute: moving whole users
	// around would cost a write barrier per string.
	type row struct {
		rank int
		t    int64 // UnixNano of the last event
		ok   bool  // the last event parsed
		idx  int
	}
	rows := make([]row, len(users))
	for i, u := range users {
		t, ok := cloudflare.ParseTime(u.LastEvent)
		rows[i] = row{rank: LevelRank(u.MaxRiskLevel), t: t.UnixNano(), ok: ok, idx: i}
	}
	slices.SortFunc(rows, func(a, b row) int {
		if c := b.rank - a.rank; c != 0 {
			return c
		}
		switch {
		case a.ok && b.ok:
			if c := cmp.Compare(b.t, a.t); c != 0 {
				return c
			}
		case a.ok != b.ok: // a parsed time before none
			if a.ok {
				return -1
			}
			return 1
		}
		ua, ub := &users[a.idx], &users[b.idx]
		return cmp.Or(strings.Compare(strings.ToLower(ua.Email), strings.ToLower(ub.Email)),
			strings.Compare(ua.UserID, ub.UserID), cmp.Compare(a.idx, b.idx))
	})
	sorted := make([]cloudflare.RiskyUser, len(users))
	for i, r := range rows {
		sorted[i] = users[r.idx]
	}
	copy(users, sorted)
}
