package store

import (
	"errors"
	"slices"
	"sync"

	"cftriage/redact"
)

// ErrContainsSecret is returned by a writer (config, history) that refused
// data because it contains a token its Guard forbids.
var ErrContainsSecret = errors.New("refusing to write: the data contains the API token")

// Guard holds the API tokens that must never reach the disk. It is a
// value the session owns and hands to every writer: Config.Save and
// AppendHistory refuse data that contains a forbidden token
// (ErrContainsSecret); the audit log, which must record every write
// whatever its outcome, masks it instead (redact.Mask: "…" and the last
// four). A nil *Guard forbids nothing. Safe for concurrent use.
type Guard struct {
	mu      sync.RWMutex
	secrets []string
}

// NewGuard returns a guard forbidding tokens (tokens shorter than
// redact.MinLen are ignored: they would match ordinary text).
func NewGuard(tokens ...string) *Guard {
	g := &Guard{}
	for _, t := range tokens {
		g.Forbid(t)
	}
	return g
}

// Forbid adds token. Call it as soon as a token is known, before any
// writer could be handed data holding it (defence in depth: the writers
// should never be given the token in the first place).
func (g *Guard) Forbid(token string) {
	if g == nil || len(token) < redact.MinLen {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !slices.Contains(g.secrets, token) {
		g.secrets = append(g.secrets, token)
	}
}

// Merge forbids every token o forbids.
func (g *Guard) Merge(o *Guard) {
	if g == nil || o == nil || g == o {
		return
	}
	for _, t := range o.list() {
		g.Forbid(t)
	}
}

func (g *Guard) list() []string {
	if g == nil {
		return nil
	}
	g.mu.RLock()
	defer g.mu.RUnlock()
	return slices.Clone(g.secrets)
}

// Contains reports whether data holds a forbidden token: raw,
// JSON-escaped, or spelled with JSON escapes.
func (g *Guard) Contains(data []byte) bool {
	s := g.list()
	return len(s) > 0 && redact.Contains(data, s...)
}

// Redact masks every forbidden token in s.
func (g *Guard) Redact(s string) string {
	if sec := g.list(); len(sec) > 0 {
		return redact.String(s, sec...)
	}
	return s
}
