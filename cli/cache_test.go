package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cftriage/cloudflare/sim"
	"cftriage/store"
)

func (f *fixture) dbPath() string { return filepath.Join(f.state, store.AppName, store.DBFile) }

func TestHeadlessLookupsUseTheCache(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for i := 0; i < 2; i++ {
		if r := f.run(t, "", "ip", sim.IPRiskyC2); r.code != 0 {
			t.Fatalf("ip: %d %s", r.code, r.stderr)
		}
	}
	if n := f.sim.Count(opIP); n != 1 {
		t.Fatalf("the same IP twice from two runs: %d requests, want 1", n)
	}
	if r := f.run(t, "", "ip", "--no-cache", sim.IPRiskyC2); r.code != 0 || f.sim.Count(opIP) != 2 {
		t.Fatalf("--no-cache: exit %d, %d requests", r.code, f.sim.Count(opIP))
	}
	if r := f.run(t, "", "ip", "--max-age", "0", sim.IPRiskyC2); r.code != 0 || f.sim.Count(opIP) != 3 {
		t.Fatalf("--max-age 0: exit %d, %d requests", r.code, f.sim.Count(opIP))
	}
	if r := f.run(t, "", "ip", "--max-age", "1d", sim.IPRiskyC2); r.code != 0 || f.sim.Count(opIP) != 3 {
		t.Fatalf("--max-age 1d: exit %d, %d requests", r.code, f.sim.Count(opIP))
	}
	for _, bad := range [][]string{{"--max-age", "soon"}, {"--max-age", "-1h"}, {"--no-cache", "--max-age", "1h"}} {
		r := f.run(t, "", append([]string{"ip", sim.IPRiskyC2}, bad...)...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", bad, r.code, ExitUsage, r.stderr)
		}
	}
	if n := f.sim.Count(opIP); n != 3 {
		t.Errorf("bad flags sent requests: %d", n)
	}
	assertMode(t, f.dbPath(), 0o600)
	assertMode(t, filepath.Dir(f.dbPath()), 0o700)
	b, _ := os.ReadFile(f.dbPath())
	w, _ := os.ReadFile(f.dbPath() + "-wal")
	if strings.Contains(string(b)+string(w), sim.DemoToken) {
		t.Error("the token is in the database")
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s mode %v, want %v", path, fi.Mode().Perm(), want)
	}
}

func TestCacheStatsAndPurgeCommands(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "ip", sim.IPRiskyC2); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := f.run(t, "", "user", sim.EmailFewEvents); r.code != 0 {
		t.Fatal(r.stderr)
	}
	var st cacheStatsJSON
	r := f.run(t, "", "cache", "stats", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || r.code != 0 {
		t.Fatalf("cache stats --json: %d %v %s", r.code, err, r.stdout)
	}
	kinds := map[string]store.CacheKindStats{}
	for _, k := range st.Kinds {
		kinds[k.Kind] = k
	}
	// ip: overview + passive DNS; user: search + risk score.
	if kinds["ip"].Entries != 2 || kinds["user"].Entries != 2 || kinds["ip"].Bytes == 0 || st.Entries != 4 || st.Path != f.dbPath() {
		t.Errorf("stats = %+v", st)
	}
	human := f.run(t, "", "cache", "stats")
	if human.code != 0 || !strings.Contains(human.stdout, f.dbPath()) || !strings.Contains(human.stdout, "total") {
		t.Errorf("cache stats: %d %q", human.code, human.stdout)
	}
	if r := f.run(t, "", "cache", "purge", "--users"); r.code != 0 || !strings.Contains(r.stdout, "Purged 2 cached user answers") {
		t.Errorf("purge --users: %d %q %q", r.code, r.stdout, r.stderr)
	}
	f.run(t, "", "user", sim.EmailFewEvents)
	if n := f.sim.Count(opRisk); n != 2 {
		t.Errorf("after purge --users the user was not fetched again: %d", n)
	}
	f.run(t, "", "ip", sim.IPRiskyC2)
	if n := f.sim.Count(opIP); n != 1 {
		t.Errorf("purge --users dropped the IP answer: %d requests", n)
	}
	if r := f.run(t, "", "cache", "purge"); r.code != 0 || !strings.Contains(r.stdout, "Purged 4 cached answers") {
		t.Errorf("purge: %d %q", r.code, r.stdout)
	}
	f.run(t, "", "ip", sim.IPRiskyC2)
	if n := f.sim.Count(opIP); n != 2 {
		t.Errorf("after purge: %d requests, want 2", n)
	}
}

func TestHistoryCommand(t *testing.T) {
	f := newFixture(t, sim.Options{})
	for _, args := range [][]string{{"ip", sim.IPRiskyC2}, {"domain", sim.DomainPhishing}, {"user", sim.EmailFewEvents}, {"ip", sim.IPCleanCF}} {
		if r := f.run(t, "", args...); r.code != 0 {
			t.Fatalf("%v: %s", args, r.stderr)
		}
	}
	r := f.run(t, "", "history", "--json")
	var out struct {
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("history --json: %d %v %s", r.code, err, r.stdout)
	}
	if len(out.Entries) != 4 {
		t.Fatalf("entries = %v", out.Entries)
	}
	first := out.Entries[0]
	if first["indicator"] != sim.IPCleanCF || first["kind"] != "ip" || first["account"] != sim.DemoAccountID || first["verdict"] != "no risk types" {
		t.Errorf("newest entry = %v", first)
	}
	if _, err := time.Parse(time.RFC3339, first["time"].(string)); err != nil {
		t.Errorf("time %v: %v", first["time"], err)
	}
	if len(first) != 5 {
		t.Errorf("entry keys = %v, want indicator, kind, account, time, verdict", first)
	}
	if v := out.Entries[3]["verdict"].(string); !strings.HasPrefix(v, "risky: ") {
		t.Errorf("the risky IP's verdict = %q", v)
	}
	r = f.run(t, "", "history", "--json", "--kind", "user")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Entries) != 1 || out.Entries[0]["indicator"] != sim.EmailFewEvents {
		t.Errorf("--kind user: %v %s", err, r.stdout)
	}
	r = f.run(t, "", "history", "--since", "1h")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 4 || !strings.Contains(r.stdout, sim.DomainPhishing) {
		t.Errorf("history --since 1h:\n%s", r.stdout)
	}
	if r := f.run(t, "", "history", "--kind", "url"); r.code != ExitUsage {
		t.Errorf("--kind url: exit %d", r.code)
	}
	// The demo keeps its own database.
	r = f.run(t, "", "history", "--demo", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Entries) != 0 {
		t.Errorf("the demo's history shows the real lookups: %s", r.stdout)
	}
}

func TestHeadlessSaysTheDatabaseIsUnusable(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if err := os.MkdirAll(filepath.Dir(f.dbPath()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.dbPath(), []byte(strings.Repeat("garbage!", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		r := f.run(t, "", "ip", sim.IPRiskyC2)
		if r.code != 0 || !strings.Contains(r.stdout, sim.IPRiskyC2) {
			t.Fatalf("lookup with a corrupt database: %d %q", r.code, r.stderr)
		}
		if strings.Count(r.stderr, "damaged") != 1 {
			t.Errorf("run %d: the problem must be said once: %q", i, r.stderr)
		}
		if n := f.sim.Count(opIP); n != i {
			t.Errorf("run %d: %d requests", i, n)
		}
	}
	if r := f.run(t, "", "history"); r.code != ExitAPI || !strings.Contains(r.stderr, "damaged") {
		t.Errorf("history on a corrupt database: %d %q", r.code, r.stderr)
	}
}

func TestHeadlessSaysTheDatabaseIsLocked(t *testing.T) {
	f := newFixture(t, sim.Options{})
	if r := f.run(t, "", "ip", sim.IPCleanCF); r.code != 0 { // creates and migrates the database
		t.Fatal(r.stderr)
	}
	// Another connection holds the write lock (SQLite's locks work
	// between connections of one process as between processes).
	raw, err := sql.Open("sqlite", f.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec("BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("DELETE FROM history"); err != nil {
		t.Fatal(err)
	}
	r := f.run(t, "", "ip", sim.IPRiskyC2)
	if r.code != 0 || !strings.Contains(r.stdout, sim.IPRiskyC2) {
		t.Fatalf("lookup under a lock: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Count(r.stderr, "locked by another program") != 1 {
		t.Errorf("stderr = %q, want the lock said once", r.stderr)
	}
	if _, err := raw.Exec("ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }
