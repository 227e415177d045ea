package actions

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cftriage/store"
)

// Each session's guard covers its own writers, and only them: there is no
// process-wide list a test or a second session could leak into.
func TestSessionGuardIsPerSession(t *testing.T) {
	const tokA, tokB = "token-of-session-a-0123456789", "token-of-session-b-9876543210"
	open := func(tok string) (*Session, string) {
		p := filepath.Join(t.TempDir(), "audit.jsonl")
		s := &Session{Audit: store.OpenAudit(p), BaseURL: "http://127.0.0.1:1/client/v4"}
		if _, err := s.NewClient(tok, ""); err != nil {
			t.Fatal(err)
		}
		return s, p
	}
	a, pathA := open(tokA)
	b, pathB := open(tokB)
	for _, s := range []*Session{a, b} {
		if _, err := s.Audit.Intent(store.AuditRecord{Action: store.ActionAPICall, Method: "POST", Reason: tokA + " " + tokB}); err != nil {
			t.Fatal(err)
		}
	}
	la, _ := os.ReadFile(pathA)
	lb, _ := os.ReadFile(pathB)
	if strings.Contains(string(la), tokA) || !strings.Contains(string(la), "…6789") {
		t.Errorf("session A's log does not mask A's token:\n%s", la)
	}
	if strings.Contains(string(lb), tokB) || !strings.Contains(string(lb), tokA) {
		t.Errorf("session B's log masks A's token (a shared list) or not its own:\n%s", lb)
	}
	// The config writer is handed the same guard.
	cfg := &store.Config{}
	cfg.SaveRequest(store.SavedRequest{Name: "n", Method: "GET", Path: "/x?t=" + tokA})
	if err := cfg.Save(t.TempDir(), a.Guard); err == nil {
		t.Error("the config was saved with session A's token in it")
	}
	if err := cfg.Save(t.TempDir(), b.Guard); err != nil {
		t.Errorf("session B refused a token it never saw: %v", err)
	}
}
