package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"cftriage/actions"
	"cftriage/cloudflare/sim"
	"cftriage/store"
)

// TestDemoWritesStayInTheDemosLog: resets and API writes in --demo are
// recorded in the demo's own audit log, which `audit --demo` lists and
// `audit` (the real log) never shows; real records stay out of the
// demo's log too.
func TestDemoWritesStayInTheDemosLog(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "demo-1", "--yes", "--demo"); r.code != 0 {
		t.Fatalf("demo reset: exit %d %q", r.code, r.stderr)
	}
	// The demo's simulator implements no raw write (its one write, the
	// reset, is refused as a raw call): the POST is answered 404, and
	// audited like any write that was sent.
	if r := f.run(t, "", "api", "POST", miscatPath, "--body", miscatBody, "--yes", "--demo"); r.code != ExitNotFound {
		t.Fatalf("demo api POST: exit %d %q, want %d (the simulator has no such write)", r.code, r.stderr, ExitNotFound)
	}
	if f.sim.Total() != 0 {
		t.Fatal("--demo sent requests to the configured API")
	}
	realLog := filepath.Join(f.state, store.AppName, store.AuditFile)
	if _, err := os.Stat(realLog); !os.IsNotExist(err) {
		t.Fatalf("demo writes reached the real audit log (stat: %v)", err)
	}
	demoLog := filepath.Join(f.state, store.AppName, store.DemoDir, store.AuditFile)
	if recs, err := store.ReadAudit(demoLog, 0); err != nil || len(recs) != 4 {
		t.Fatalf("demo audit log: %d records, %v", len(recs), err)
	}

	listed := func(args ...string) []store.AuditRecord {
		t.Helper()
		r := f.run(t, "", append([]string{"audit", "--json", "--limit", "0"}, args...)...)
		var recs []store.AuditRecord
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &recs) != nil {
			t.Fatalf("audit %v: exit %d %q %q", args, r.code, r.stdout, r.stderr)
		}
		return recs
	}
	if n := len(listed()); n != 0 {
		t.Fatalf("`audit` shows %d demo records", n)
	}
	if n := len(listed("--demo")); n != 4 {
		t.Fatalf("`audit --demo` shows %d records, want 4", n)
	}
	if r := f.run(t, "", "audit", "verify", "--demo"); r.code != 0 {
		t.Fatalf("audit verify --demo: exit %d %q", r.code, r.stdout)
	}

	// A real reset goes to the real log only.
	if r := f.run(t, "", "reset", sim.EmailFewEvents, "--reason", "real-1", "--yes"); r.code != 0 {
		t.Fatalf("real reset: exit %d %q", r.code, r.stderr)
	}
	for _, rec := range listed() {
		if rec.Reason != "real-1" {
			t.Fatalf("the real log has a record it should not: %+v", rec)
		}
	}
	for _, rec := range listed("--demo") {
		if rec.Reason == "real-1" {
			t.Fatal("a real reset was recorded in the demo's log")
		}
	}
}

// TestDemoConsoleSessionUsesDemoStorage: the console's --demo session
// records, keeps history and saves requests in the demo directories.
func TestDemoConsoleSessionUsesDemoStorage(t *testing.T) {
	f := newFixture(t, sim.Options{})
	old := Console
	t.Cleanup(func() { Console = old })
	var got *actions.Session
	Console = func(ctx context.Context, s *actions.Session) error { got = s; return nil }

	if r := f.run(t, ""); r.code != 0 || got == nil {
		t.Fatalf("console: exit %d %q", r.code, r.stderr)
	}
	realState, realConfig := got.StateDir, got.ConfigDir
	if realState != filepath.Join(f.state, store.AppName) || got.Audit.Path() != store.AuditPath(realState) {
		t.Fatalf("real session: state %q audit %q", realState, got.Audit.Path())
	}

	got = nil
	if r := f.run(t, "", "--demo"); r.code != 0 || got == nil {
		t.Fatalf("demo console: exit %d %q", r.code, r.stderr)
	}
	wantState, wantConfig := filepath.Join(realState, store.DemoDir), filepath.Join(realConfig, store.DemoDir)
	if got.StateDir != wantState || got.ConfigDir != wantConfig || got.Audit.Path() != store.AuditPath(wantState) {
		t.Fatalf("demo session: state %q config %q audit %q", got.StateDir, got.ConfigDir, got.Audit.Path())
	}
	if dir, _ := got.HistoryDir(); dir != wantState {
		t.Fatalf("demo history dir %q", dir)
	}
}
