package actions

import (
	"context"

	"cftriage/cloudflare"
	"cftriage/store"
)

// UnknownTokenID is the operator's token id when token verify failed.
const UnknownTokenID = "unknown"

// OperatorFor returns who acts through c: the OS user and the token's id
// from token verify (never the token). The client remembers its token's
// identity (cloudflare.Client.Identity), so the id is asked once per
// client, whoever verified first (login, auth status, an earlier write);
// there is no process-wide table. A failed verify gives the id "unknown",
// and a later call asks again.
func OperatorFor(ctx context.Context, c *cloudflare.Client) store.Operator {
	op := store.Operator{OSUser: store.OSUser(), TokenID: UnknownTokenID}
	if c == nil {
		return op
	}
	if st, err := c.Identity(ctx); err == nil && st.ID != "" {
		op.TokenID = st.ID
	}
	return op
}
