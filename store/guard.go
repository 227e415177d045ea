package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"sync"
)

// ErrContainsSecret is returned by a writer (config, history, audit) that
// refused data because it contains a registered API token.
var ErrContainsSecret = errors.New("refusing to write: the data contains the API token")

// minSecretLen: shorter "secrets" would match ordinary text and make
// writes fail for no reason; real API tokens are 40 characters.
const minSecretLen = 8

var forbidden struct {
	sync.RWMutex
	secrets []string
}

// ForbidSecret registers a token that no store writer may ever write:
// Config.Save, AppendHistory and Audit.Append fail with ErrContainsSecret if
// their output contains it. Call it once the token is resolved (defence in
// depth: the writers should never be handed the token in the first place).
// Tokens shorter than 8 characters are ignored.
func ForbidSecret(token string) {
	if len(token) < minSecretLen {
		return
	}
	forbidden.Lock()
	defer forbidden.Unlock()
	for _, s := range forbidden.secrets {
		if s == token {
			return
		}
	}
	forbidden.secrets = append(forbidden.secrets, token)
}

// containsSecret reports whether data contains any registered token or
// extra, raw or as JSON would escape it.
func containsSecret(data []byte, extra ...string) bool {
	check := func(s string) bool {
		if len(s) < minSecretLen {
			return false
		}
		if bytes.Contains(data, []byte(s)) {
			return true
		}
		if esc, err := json.Marshal(s); err == nil {
			esc = esc[1 : len(esc)-1]
			return bytes.Contains(data, esc)
		}
		return false
	}
	for _, s := range extra {
		if check(s) {
			return true
		}
	}
	forbidden.RLock()
	defer forbidden.RUnlock()
	for _, s := range forbidden.secrets {
		if check(s) {
			return true
		}
	}
	return false
}
