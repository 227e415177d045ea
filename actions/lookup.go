package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cftriage/cloudflare"
	"cftriage/indicator"
)

// ErrUserNotFound is returned (wrapped in a *UserNotFoundError) when no
// Zero Trust user has the email; test with errors.Is.
var ErrUserNotFound = errors.New("user not found")

// UserNotFoundError says which email had no user.
type UserNotFoundError struct{ Email string }

func (e *UserNotFoundError) Error() string {
	return fmt.Sprintf("no Zero Trust user with email %s in this account (asked with email=, then search=)", e.Email)
}

// Is makes errors.Is(err, ErrUserNotFound) true.
func (e *UserNotFoundError) Is(target error) bool { return target == ErrUserNotFound }

// How a user was found: which query of the users listing matched.
type UserMatch string

const (
	// MatchEmail: email= with the address as typed.
	MatchEmail UserMatch = "email"
	// MatchSearch: email= found nobody; search= with the address, and
	// only the users whose email is that address (case-insensitively)
	// kept.
	MatchSearch UserMatch = "search"
)

// Describe says in words how the user was found, for the frontends.
func (m UserMatch) Describe() string {
	switch m {
	case MatchSearch:
		return "found by search= (email= found no user; only exact matches of the address, ignoring case, were kept)"
	case MatchEmail:
		return "found by email="
	}
	return ""
}

// UserResult is a user lookup. When several users match, Candidates
// holds them and User/Risk are empty: the caller picks one and calls
// LookupUserByID.
type UserResult struct {
	// Email is the address looked up, as typed; after exactly one match,
	// the user's own address.
	Email string
	// Query is the address as it was sent; Match says which query found
	// the users (empty when nobody was found).
	Query      string
	Match      UserMatch
	User       cloudflare.AccessUser
	Risk       cloudflare.RiskScore
	Candidates []cloudflare.AccessUser
	// Exchange is the exchange of the last call made (the risk score
	// when there was exactly one match, else the user search).
	Exchange *cloudflare.Exchange
}

// Ambiguous reports whether the caller must pick among Candidates.
func (r UserResult) Ambiguous() bool { return len(r.Candidates) > 1 }

// LookupUser validates email, finds the Zero Trust users with it and,
// when exactly one matches, reads its risk score. The address goes out
// as typed with email=; when that finds nobody, search= is asked and
// only exact matches (case-insensitive) are kept — Cloudflare does not
// document how email= matches. No user is a *UserNotFoundError; invalid
// email is an *indicator.InputError and nothing is sent.
func LookupUser(ctx context.Context, c *cloudflare.Client, email string) (UserResult, error) {
	addr, err := indicator.NormalizeEmail(email)
	if err != nil {
		return UserResult{}, err
	}
	res := UserResult{Email: addr, Query: addr}
	fail := func(err error) (UserResult, error) {
		var ce *cloudflare.Error
		if errors.As(err, &ce) && ce.Kind == cloudflare.KindNotFound {
			return res, &UserNotFoundError{Email: addr}
		}
		return res, err
	}
	match, ex, err := c.FindUsers(ctx, addr)
	res.Exchange, res.Match = ex, MatchEmail
	if err != nil {
		return fail(err)
	}
	if len(match) == 0 {
		match, ex, err = c.SearchUsers(ctx, addr)
		res.Exchange, res.Match = ex, MatchSearch
		if err != nil {
			return fail(err)
		}
	}
	switch len(match) {
	case 0:
		res.Match = ""
		return res, &UserNotFoundError{Email: addr}
	case 1:
		res.User = match[0]
		if e := strings.TrimSpace(match[0].Email); e != "" {
			res.Email = e
		}
		return lookupRisk(ctx, c, res)
	default:
		res.Candidates = match
		return res, nil
	}
}

// LookupUserByID reads the risk score of a known user (after the caller
// picked one of several candidates). email may be empty.
func LookupUserByID(ctx context.Context, c *cloudflare.Client, userID, email string) (UserResult, error) {
	if strings.TrimSpace(userID) == "" {
		return UserResult{}, &indicator.InputError{Field: "user id", Input: userID, Msg: "a user id is required"}
	}
	return lookupRisk(ctx, c, UserResult{Email: email, User: cloudflare.AccessUser{ID: userID, Email: email}})
}

// PickCandidate returns the candidate with id.
func (r UserResult) PickCandidate(id string) (cloudflare.AccessUser, bool) {
	for _, u := range r.Candidates {
		if u.ID == id {
			return u, true
		}
	}
	return cloudflare.AccessUser{}, false
}

func lookupRisk(ctx context.Context, c *cloudflare.Client, res UserResult) (UserResult, error) {
	risk, ex, err := c.RiskScore(ctx, res.User.ID)
	res.Exchange = ex
	if err != nil {
		return res, err
	}
	res.Risk = risk
	if res.User.Name == "" {
		res.User.Name = risk.Name
	}
	if res.User.Email == "" {
		res.User.Email = risk.Email
		res.Email = risk.Email
	}
	return res, nil
}
