package actions

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// realSession is a session on the analyst's (temporary) real storage,
// with one saved request in its config, as the cli builds it.
func realSession(t *testing.T) *Session {
	t.Helper()
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	auditPath, err := store.DefaultAuditPath()
	if err != nil {
		t.Fatal(err)
	}
	cfgDir, err := store.ConfigDir()
	if err != nil {
		t.Fatal(err)
	}
	stateDir, err := store.StateDir()
	if err != nil {
		t.Fatal(err)
	}
	cfg := &store.Config{}
	if err := cfg.SaveRequest(store.SavedRequest{Name: "real one", Method: "GET", Path: "/user/tokens/verify"}); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Save(cfgDir, nil); err != nil {
		t.Fatal(err)
	}
	return &Session{Profile: "default", Audit: store.OpenAudit(auditPath), Config: cfg, ConfigDir: cfgDir, StateDir: stateDir}
}

// TestDemoUsesItsOwnStorage: a reset in the demo is recorded in the
// demo's audit log only; the demo sees neither the real config's saved
// requests nor writes to the real history directory.
func TestDemoUsesItsOwnStorage(t *testing.T) {
	s := realSession(t)
	realAudit, realConfig, realState := s.Audit.Path(), s.ConfigDir, s.StateDir
	if err := s.StartDemo(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	demoState, _ := store.DemoStateDir()
	demoConfig, _ := store.DemoConfigDir()
	if s.StateDir != demoState || s.ConfigDir != demoConfig || s.Audit.Path() != store.AuditPath(demoState) {
		t.Fatalf("demo storage: state %q config %q audit %q", s.StateDir, s.ConfigDir, s.Audit.Path())
	}
	if s.StateDir == realState || s.ConfigDir == realConfig || s.Audit.Path() == realAudit {
		t.Fatal("the demo shares a directory with the real session")
	}
	if dir, err := s.HistoryDir(); err != nil || dir != demoState {
		t.Fatalf("HistoryDir = %q, %v", dir, err)
	}
	if s.Config == nil || s.Config.Request("real one") != nil {
		t.Fatalf("the demo's config carries the real saved requests: %+v", s.Config)
	}

	ctx := context.Background()
	u, err := LookupUser(ctx, s.Client, sim.EmailFewEvents)
	if err != nil {
		t.Fatal(err)
	}
	r := Reset(ctx, s.Writer(), ResetRequest{Email: sim.EmailFewEvents, UserID: u.User.ID, Reason: "demo", Before: u.Risk,
		AccountID: s.AccountID, Operator: store.Operator{OSUser: "tester"}})
	if r.Outcome != OutcomeSuccess || r.AuditErr != nil {
		t.Fatalf("demo reset: %+v", r)
	}
	demoRecs, err := store.ReadAudit(store.AuditPath(demoState), 0)
	if err != nil || len(demoRecs) != 2 {
		t.Fatalf("demo audit log: %d records, %v", len(demoRecs), err)
	}
	if _, err := os.Stat(realAudit); !os.IsNotExist(err) {
		t.Fatalf("the demo reset touched the real audit log (stat: %v)", err)
	}
}

// TestAdoptTakesTheDemosStorage: the console starts the demo on a
// detached copy; adopting it must move the console's session to the
// demo's storage, or its writes would land in the real log.
func TestAdoptTakesTheDemosStorage(t *testing.T) {
	main := realSession(t)
	realAudit := main.Audit.Path()
	ds := &Session{Profile: main.Profile, Audit: main.Audit, Config: main.Config.Clone(), ConfigDir: main.ConfigDir}
	if err := ds.StartDemo(); err != nil {
		t.Fatal(err)
	}
	main.Adopt(ds)
	defer main.Close()
	if main.Audit != ds.Audit || main.Audit.Path() == realAudit || main.ConfigDir != ds.ConfigDir ||
		main.StateDir != ds.StateDir || main.Config != ds.Config {
		t.Fatalf("after Adopt: audit %q config %q state %q", main.Audit.Path(), main.ConfigDir, main.StateDir)
	}

	// A session that is not the demo hands over only what it started.
	other := realSession(t)
	audit, cfgDir, stateDir := other.Audit, other.ConfigDir, other.StateDir
	plain := &Session{Audit: store.OpenAudit(filepath.Join(t.TempDir(), "x.jsonl")), ConfigDir: t.TempDir(), StateDir: t.TempDir()}
	other.Adopt(plain)
	if other.Audit != audit || other.ConfigDir != cfgDir || other.StateDir != stateDir {
		t.Fatal("adopting a non-demo session changed the storage")
	}
}

func TestHistoryDirFallsBack(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	want, _ := store.StateDir()
	if dir, err := (&Session{}).HistoryDir(); err != nil || dir != want {
		t.Fatalf("HistoryDir without StateDir = %q, %v; want %q", dir, err, want)
	}
}
