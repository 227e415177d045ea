package actions

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cftriage/cloudflare"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestSessionsShareTheProfilesQuota: two sessions of one profile (two
// processes) pace to one quota file under the state directory; another
// profile has its own.
func TestSessionsShareTheProfilesQuota(t *testing.T) {
	srv, err := StartSimServer(sim.New(sim.Options{RateQuota: 2, RateWindow: time.Hour}))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	state := t.TempDir()
	session := func(profile string, told *[]cloudflare.QuotaWait) *cloudflare.Client {
		s := &Session{Profile: profile, StateDir: state, BaseURL: srv.BaseURL, Audit: store.OpenAudit(filepath.Join(state, "audit.jsonl")),
			OnQuotaWait: func(w cloudflare.QuotaWait) { *told = append(*told, w) },
			// An hour is beyond any wait: the call fails unsent at once.
			Tune: func(c *cloudflare.Config) { c.MaxQuotaWait = time.Minute }}
		c, err := s.NewClient(sim.DemoToken, sim.DemoAccountID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var told []cloudflare.QuotaWait
	for i := 0; i < 2; i++ {
		if _, _, err := session("work", &told).DomainOverview(context.Background(), sim.DomainClean); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(store.QuotaPath(state, "work")); err != nil {
		t.Fatalf("no quota file for the profile: %v", err)
	}
	_, ex, err := session("work", &told).DomainOverview(context.Background(), sim.DomainClean)
	var ce *cloudflare.Error
	if !asErr(err, &ce) || ce.Kind != cloudflare.KindRateLimited || ex != nil || ce.StatusCode != 0 {
		t.Fatalf("third process of the profile: %v (exchange %v)", err, ex)
	}
	if n := srv.Sim.Count(sim.OpDomain); n != 2 {
		t.Fatalf("%d requests reached the simulator, want 2", n)
	}
	// Another profile keeps its own state (and here meets the real 429).
	_, _, err = session("other", &told).DomainOverview(context.Background(), sim.DomainClean)
	if !asErr(err, &ce) || ce.StatusCode != 429 {
		t.Fatalf("other profile: %v", err)
	}
}

// TestDemoQuotaStateIsTheDemos: the demo's clients keep their quota file
// under the demo's state directory.
func TestDemoQuotaStateIsTheDemos(t *testing.T) {
	s := realSession(t)
	realState := s.StateDir
	if err := s.StartDemo(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.Client.DomainOverview(context.Background(), sim.DomainClean); err != nil {
		t.Fatal(err)
	}
	demoState, _ := store.DemoStateDir()
	if _, err := os.Stat(store.QuotaPath(demoState, "default")); err != nil {
		t.Fatalf("no demo quota file: %v", err)
	}
	if _, err := os.Stat(store.QuotaPath(realState, "default")); !os.IsNotExist(err) {
		t.Fatalf("the demo wrote the real quota file: %v", err)
	}
}

func asErr(err error, target **cloudflare.Error) bool { return errors.As(err, target) }
