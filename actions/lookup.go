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
	return fmt.Sprintf("no Zero Trust user with email %s in this account", e.Email)
}

// Is makes errors.Is(err, ErrUserNotFound) true.
func (e *UserNotFoundError) Is(target error) bool { return target == ErrUserNotFound }

// UserResult is a user lookup. When several users match, Candidates
// holds them and User/Risk are empty: the caller picks one and calls
// LookupUserByID.
type UserResult struct {
	Email      string // normalized email that was looked up
	User       cloudflare.AccessUser
	Risk       cloudflare.RiskScore
	Candidates []cloudflare.AccessUser
	// Exchange is the exchange of the last call made (the risk score
	// when there was exactly one match, else the user search).
	Exchange *cloudflare.Exchange
}

// Ambiguous reports whether the caller must pick among Candidates.
func (r UserResult) Ambiguous() bool { return len(r.Candidates) > 1 }

// LookupUser normalizes email, finds the Zero Trust users with it and,
// when exactly one matches, reads its risk score. No user is a
// *UserNotFoundError; invalid email is a *indicator.InputError and
// nothing is sent.
func LookupUser(ctx context.Context, c *cloudflare.Client, email string) (UserResult, error) {
	norm, err := indicator.NormalizeEmail(email)
	if err != nil {
		return UserResult{}, err
	}
	res := UserResult{Email: norm}
	users, ex, err := c.FindUsers(ctx, norm)
	res.Exchange = ex
	if err != nil {
		var ce *cloudflare.Error
		if errors.As(err, &ce) && ce.Kind == cloudflare.KindNotFound {
			return res, &UserNotFoundError{Email: norm}
		}
		return res, err
	}
	// The API matches loosely; keep only exact (case-insensitive) matches
	// as the contract asks callers to do.
	var match []cloudflare.AccessUser
	for _, u := range users {
		if strings.EqualFold(strings.TrimSpace(u.Email), norm) {
			match = append(match, u)
		}
	}
	switch len(match) {
	case 0:
		return res, &UserNotFoundError{Email: norm}
	case 1:
		res.User = match[0]
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
