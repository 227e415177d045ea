package actions

import (
	"context"
	"sync"

	"cftriage/cloudflare"
	"cftriage/store"
)

// UnknownTokenID is the operator's token id when token verify failed.
const UnknownTokenID = "unknown"

// tokenIDs caches the token id per client: it does not change for a
// client's lifetime and verify is one more request per audited action.
var tokenIDs sync.Map // *cloudflare.Client -> string

// OperatorFor returns who acts through c: the OS user and the token's id
// from token verify (never the token). A failed verify gives the id
// "unknown" and is not cached, so a later call may succeed.
func OperatorFor(ctx context.Context, c *cloudflare.Client) store.Operator {
	op := store.Operator{OSUser: store.OSUser(), TokenID: UnknownTokenID}
	if c == nil {
		return op
	}
	if id, ok := tokenIDs.Load(c); ok {
		op.TokenID = id.(string)
		return op
	}
	st, _, err := c.VerifyToken(ctx)
	if err != nil || st.ID == "" {
		return op
	}
	tokenIDs.Store(c, st.ID)
	op.TokenID = st.ID
	return op
}

// SetOperatorTokenID records the token id of c when the caller already
// verified the token (login, auth status), saving a request.
func SetOperatorTokenID(c *cloudflare.Client, id string) {
	if c != nil && id != "" {
		tokenIDs.Store(c, id)
	}
}
