package actions

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"cftriage/cloudflare"
)

// The one login flow, for `cftriage auth login` and the console's
// first-run screen alike: VerifyLogin checks the token and lists what it
// can see, VerifiedToken.Choices says which accounts to pick from, and
// CompleteLogin stores the token for the chosen one. The frontends ask
// and say; the flow decides.

// VerifiedToken is an active token that verified, ready for the account
// choice. Token is the secret itself: never render it.
type VerifiedToken struct {
	Token  string
	Status cloudflare.TokenStatus
	// Client is the client that verified the token, for the account id
	// given at verify (AccountID, "" for none).
	Client    *cloudflare.Client
	AccountID string
	// Accounts are the accounts a user token can see (account tokens
	// cannot list accounts: nil); ListErr says why listing failed.
	Accounts []cloudflare.Account
	ListErr  error
}

// InactiveTokenError is a token that verified but is not active
// (disabled or expired): nothing is stored.
type InactiveTokenError struct{ Status, ExpiresOn string }

func (e *InactiveTokenError) Error() string {
	exp := e.ExpiresOn
	if exp == "" {
		exp = "never"
	}
	return fmt.Sprintf("the token is %s (expires %s), not active; nothing was stored", e.Status, exp)
}

// VerifyLogin builds a client for token and accountID with the session's
// base URL and timeout (a token or account id that cannot be sent is
// refused before any request), verifies the token at the endpoint its
// prefix names (cloudflare.Client.VerifyToken), refuses one that is not
// active, and lists the accounts a user token can see. It stores nothing
// and does not change the session.
func (s *Session) VerifyLogin(ctx context.Context, token, accountID string) (*VerifiedToken, error) {
	token, accountID = strings.TrimSpace(token), strings.TrimSpace(accountID)
	if token == "" {
		return nil, errors.New("no token to verify")
	}
	c, err := s.NewClient(token, accountID)
	if err != nil {
		return nil, err
	}
	st, _, err := c.VerifyToken(ctx)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(st.Status, "active") {
		return nil, &InactiveTokenError{Status: st.Status, ExpiresOn: st.ExpiresOn}
	}
	v := &VerifiedToken{Token: token, Status: st, Client: c, AccountID: accountID}
	if st.Kind != "account" {
		v.Accounts, _, v.ListErr = c.ListAccounts(ctx)
	}
	return v, nil
}

// ErrNoAccounts: the token verified but sees no account, and none was
// given.
var ErrNoAccounts = errors.New("the token verified but sees no accounts; give the account id")

// AccountListError: listing the token's accounts failed, and no account
// id was given.
type AccountListError struct{ Err error }

func (e *AccountListError) Error() string {
	return "the token verified, but listing its accounts failed: " + Explain(e.Err)
}
func (e *AccountListError) Unwrap() error { return e.Err }

// AccountChoice is what the analyst picks the account from.
type AccountChoice struct {
	Accounts []cloudflare.Account
	Selected int // preselected
	// Decided: no question needs asking — an account token's own
	// account, an account id given, or the only account listed.
	Decided bool
	// NotListed: the given account is not among those the token lists.
	NotListed bool
}

// Choices lists the accounts to pick from. An account token's account is
// the one it verified under. An account id given (pick) comes first, or
// is preselected where the token lists it. Otherwise the listed accounts,
// the verify account preselected when among them.
func (v *VerifiedToken) Choices(pick string) (AccountChoice, error) {
	pick = strings.TrimSpace(pick)
	if v.Status.Kind == "account" {
		pick = v.AccountID
	}
	if pick != "" {
		for i, a := range v.Accounts {
			if a.ID == pick {
				return AccountChoice{Accounts: v.Accounts, Selected: i, Decided: true}, nil
			}
		}
		return AccountChoice{Accounts: append([]cloudflare.Account{{ID: pick}}, v.Accounts...), Decided: true,
			NotListed: v.ListErr == nil && len(v.Accounts) > 0}, nil
	}
	switch {
	case v.ListErr != nil:
		return AccountChoice{}, &AccountListError{Err: v.ListErr}
	case len(v.Accounts) == 0:
		return AccountChoice{}, ErrNoAccounts
	}
	ch := AccountChoice{Accounts: v.Accounts, Decided: len(v.Accounts) == 1}
	for i, a := range v.Accounts {
		if a.ID == v.AccountID {
			ch.Selected = i
		}
	}
	return ch, nil
}

// CompleteLogin stores the verified token for acct — in the keyring, or
// the 0600 file when insecure (the caller shows
// store.InsecureStorageWarning first) — with the account, the token id
// and, when the session has one, LoginBaseURL in the profile (SaveLogin).
// It returns a client for the chosen account.
func (s *Session) CompleteLogin(v *VerifiedToken, acct cloudflare.Account, insecure bool) (*cloudflare.Client, error) {
	err := s.SaveLogin(LoginRequest{Token: v.Token, TokenID: v.Status.ID, AccountID: acct.ID, AccountName: acct.Name,
		Insecure: insecure, BaseURL: s.LoginBaseURL})
	if err != nil {
		return nil, err
	}
	if v.Client != nil && v.Client.AccountID() == acct.ID {
		return v.Client, nil
	}
	c, err := s.NewClient(v.Token, acct.ID)
	if err != nil {
		return nil, err
	}
	c.ShareIdentity(v.Client) // the token id for the audit log, without asking again
	return c, nil
}
