package store

import (
	"slices"
	"testing"
)

// forbidForTest is ForbidSecret for tests: the global list of forbidden
// tokens is restored when t ends, so a test's token never leaks into the
// tests after it and their order does not matter.
func forbidForTest(t testing.TB, token string) {
	t.Helper()
	forbidden.RLock()
	saved := slices.Clone(forbidden.secrets)
	forbidden.RUnlock()
	t.Cleanup(func() {
		forbidden.Lock()
		forbidden.secrets = saved
		forbidden.Unlock()
	})
	ForbidSecret(token)
}

func TestForbidForTestIsUndone(t *testing.T) {
	const tok = "scoped-token-1a2b3c4d5e6f"
	t.Run("forbids", func(t *testing.T) {
		forbidForTest(t, tok)
		if !containsSecret([]byte("x " + tok + " y")) {
			t.Fatal("the token is not forbidden inside the test")
		}
	})
	if containsSecret([]byte("x " + tok + " y")) {
		t.Fatal("the token is still forbidden after the test that registered it")
	}
	// A record carrying it is written again, as for any other text.
	a := OpenAudit(auditPath(t))
	r := resetRecord("scoped@corp")
	r.Reason = tok
	if _, err := a.Intent(r); err != nil {
		t.Fatalf("after the scoped test: %v", err)
	}
}
