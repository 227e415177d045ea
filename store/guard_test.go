package store

import "testing"

func TestGuardIsAValue(t *testing.T) {
	const a, b = "token-aaaa-1111-2222", "token-bbbb-3333-4444"
	g, h := NewGuard(a), NewGuard()
	if !g.Contains([]byte("x "+a)) || h.Contains([]byte("x "+a)) {
		t.Fatal("a token forbidden in one guard leaked into another")
	}
	var none *Guard
	if none.Contains([]byte(a)) || none.Redact(a) != a {
		t.Fatal("a nil guard forbids something")
	}
	none.Forbid(a) // no panic
	h.Forbid("short")
	if h.Contains([]byte("short")) {
		t.Fatal("a token under 8 characters is forbidden")
	}
	h.Forbid(b)
	g.Merge(h)
	if !g.Contains([]byte(b)) || g.Redact("x "+b) != "x …4444" {
		t.Fatalf("merge: %q", g.Redact("x "+b))
	}
}
