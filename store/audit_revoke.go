package store

// ActionRevokeSessions is a reviewed revoke of a user's Access sessions.
const ActionRevokeSessions = "revoke_sessions"

// AuditRevoke is what a revoke_sessions record says beyond the common
// fields: whether the user's devices were revoked too, how many active
// sessions the analyst reviewed and the re-read found (nil: not known),
// and Cloudflare's result (outcome only; nil without an answer).
type AuditRevoke struct {
	Devices        bool  `json:"devices"`
	SessionsBefore *int  `json:"sessions_before,omitempty"`
	SessionsAfter  *int  `json:"sessions_after,omitempty"`
	Revoked        *bool `json:"revoked,omitempty"`
}

// copy is r with its own pointers, so the caller's never change.
func (r *AuditRevoke) copy() *AuditRevoke {
	if r == nil {
		return nil
	}
	c := *r
	for _, p := range []**int{&c.SessionsBefore, &c.SessionsAfter} {
		if *p != nil {
			v := **p
			*p = &v
		}
	}
	if c.Revoked != nil {
		v := *c.Revoked
		c.Revoked = &v
	}
	return &c
}
