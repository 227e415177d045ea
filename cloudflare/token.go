package cloudflare

import (
	"context"
	"errors"
	"strings"
)

// Cloudflare's scannable token formats name the owner in a prefix: cfat_
// for account API tokens, cfut_ for user API tokens. Older tokens carry
// no prefix.
const (
	accountTokenPrefix = "cfat_"
	userTokenPrefix    = "cfut_"
)

// TokenKind is what a token's prefix says it is: "account", "user", or
// "" when the token has no known prefix (only token verify can tell).
func TokenKind(token string) string {
	t := strings.TrimSpace(token)
	switch {
	case strings.HasPrefix(t, accountTokenPrefix):
		return "account"
	case strings.HasPrefix(t, userTokenPrefix):
		return "user"
	}
	return ""
}

// TokenKind is what the client knows of its token's kind: from the
// prefix, or from a token verify it made; "" while unknown.
func (c *Client) TokenKind() string {
	if k := TokenKind(c.token); k != "" {
		return k
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ident != nil {
		return c.ident.Kind
	}
	return ""
}

// VerifyToken checks the token at the endpoint its prefix names: cfat_
// (account API tokens) at /accounts/{account_id}/tokens/verify, which
// needs the account id; cfut_ (user API tokens) at /user/tokens/verify.
// A token without either prefix is tried at the user endpoint and, when
// that refuses it and an account id is configured, at the account
// endpoint. Kind says which accepted it. A token that verifies but is
// "disabled" or "expired" is not an error: check Status. A successful
// verify is remembered (Identity).
func (c *Client) VerifyToken(ctx context.Context) (TokenStatus, *Exchange, error) {
	var (
		st  TokenStatus
		ex  *Exchange
		err error
	)
	switch TokenKind(c.token) {
	case "account":
		if c.accountID == "" {
			return TokenStatus{}, nil, &Error{Kind: KindInput, Op: OpVerifyToken,
				Message: "This is an account API token (cfat_…): it verifies under its account, and no account id is configured; nothing was sent."}
		}
		st, ex, err = c.verifyAt(ctx, "account")
	case "user":
		st, ex, err = c.verifyAt(ctx, "user")
	default:
		st, ex, err = c.verifyEither(ctx)
	}
	if err == nil {
		c.mu.Lock()
		c.ident = &st
		c.mu.Unlock()
	}
	return st, ex, err
}

func (c *Client) verifyAt(ctx context.Context, kind string) (TokenStatus, *Exchange, error) {
	path := "/user/tokens/verify"
	if kind == "account" {
		path = "/accounts/" + c.accountID + "/tokens/verify"
	}
	var out TokenStatus
	ex, err := c.get(ctx, OpVerifyToken, path, nil, shapeEnvelope, "", &out)
	if err != nil {
		return TokenStatus{}, ex, err
	}
	out.Kind = kind
	return out, ex, nil
}

// verifyEither is the route for a token without a prefix: user first,
// then (with an account id) account.
func (c *Client) verifyEither(ctx context.Context) (TokenStatus, *Exchange, error) {
	st, ex, err := c.verifyAt(ctx, "user")
	if err == nil {
		return st, ex, nil
	}
	var first *Error
	if !errors.As(err, &first) || c.accountID == "" || !refusedToken(first) {
		return TokenStatus{}, ex, err
	}
	st, ex2, err2 := c.verifyAt(ctx, "account")
	if err2 == nil {
		return st, ex2, nil
	}
	var second *Error
	if errors.As(err2, &second) && refusedToken(second) {
		// Both endpoints refused: the token itself is the problem, and the
		// user endpoint's answer says so most plainly.
		return TokenStatus{}, ex, err
	}
	return TokenStatus{}, ex2, err2
}

func refusedToken(e *Error) bool {
	return e.Kind == KindAuth || e.Kind == KindPermission || e.Kind == KindNotFound
}

// Identity is what token verify said about the client's token (its id,
// status and kind): the remembered answer, or a verify made now. The
// token id goes into the audit log as the operator; it belongs to this
// client's token, so it lives with the client, not in a process-wide
// table.
func (c *Client) Identity(ctx context.Context) (TokenStatus, error) {
	c.mu.Lock()
	id := c.ident
	c.mu.Unlock()
	if id != nil {
		return *id, nil
	}
	st, _, err := c.VerifyToken(ctx)
	return st, err
}

// ShareIdentity gives c what from learned of the token by verifying it,
// when both hold the same token: a login verifies with one client and
// goes on with another, for the account it picked. Nothing is shared
// between different tokens.
func (c *Client) ShareIdentity(from *Client) {
	if from == nil || from == c || from.token != c.token {
		return
	}
	from.mu.Lock()
	id := from.ident
	from.mu.Unlock()
	if id == nil {
		return
	}
	st := *id
	c.mu.Lock()
	c.ident = &st
	c.mu.Unlock()
}
