package store

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// warnings collects what a DB says, so a test can check it is said once.
type warnings struct {
	mu   sync.Mutex
	msgs []string
}

func (w *warnings) add(m string) { w.mu.Lock(); w.msgs = append(w.msgs, m); w.mu.Unlock() }
func (w *warnings) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.msgs...)
}

func openTestDB(t *testing.T, path string, w *warnings) *DB {
	t.Helper()
	o := DBOptions{BusyTimeout: ConsoleBusyTimeout}
	if w != nil {
		o.Warn = w.add
	}
	d := OpenDB(path, o)
	t.Cleanup(func() { d.Close() })
	return d
}

func TestOpenDBCreatesPrivateWALFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", AppName)
	path := DBPath(dir)
	var w warnings
	d := openTestDB(t, path, &w)
	if !d.Available() || d.Problem() != "" || len(w.all()) != 0 {
		t.Fatalf("fresh database unusable: %q %v", d.Problem(), w.all())
	}
	if _, _, err := d.CachePut(CacheEntry{Account: "a", Request: "u", Operation: "op", Kind: "ip", Indicator: "1.1.1.1", Status: 200, Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, path, 0o600)
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL file next to the database: %v", err)
	}
	var mode string
	var version int
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	if err := raw.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != SchemaVersion {
		t.Errorf("user_version = %d (%v), want %d", version, err, SchemaVersion)
	}
	for _, table := range []string{"cache", "history", "cases", "case_entries", "case_answers", "case_activity"} {
		var n int
		if err := raw.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestOpenDBTwiceKeepsData(t *testing.T) {
	path := DBPath(t.TempDir())
	d := openTestDB(t, path, nil)
	if err := d.AddLookup(Lookup{Account: "a", Kind: "ip", Indicator: "192.0.2.1", Verdict: "no risk types"}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d2 := openTestDB(t, path, nil)
	ls, err := d2.Lookups(LookupQuery{})
	if err != nil || len(ls) != 1 || ls[0].Indicator != "192.0.2.1" {
		t.Fatalf("after reopening: %v %v", ls, err)
	}
}

func TestCorruptDatabaseIsSaidOnceAndIgnored(t *testing.T) {
	path := DBPath(t.TempDir())
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not a database ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	var w warnings
	d := openTestDB(t, path, &w)
	if d.Available() {
		t.Fatal("a corrupt file is reported available")
	}
	if _, ok := d.CacheGet("a", "u"); ok {
		t.Error("a corrupt database served an answer")
	}
	if _, _, err := d.CachePut(CacheEntry{Account: "a", Request: "u", Status: 200}); !errors.Is(err, ErrDBUnavailable) {
		t.Errorf("CachePut on a corrupt database: %v", err)
	}
	if err := d.AddLookup(Lookup{Kind: "ip", Indicator: "x"}); !errors.Is(err, ErrDBUnavailable) {
		t.Errorf("AddLookup: %v", err)
	}
	if got := w.all(); len(got) != 1 || !strings.Contains(got[0], "damaged") || !strings.Contains(got[0], path) {
		t.Errorf("warnings = %q, want one naming the damaged file", got)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "this is not a database") {
		t.Error("the corrupt file was overwritten; it must be left for the analyst")
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := DBPath(t.TempDir())
	d := openTestDB(t, path, nil)
	d.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion+5)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	var w warnings
	d2 := openTestDB(t, path, &w)
	if d2.Available() || len(w.all()) != 1 || !strings.Contains(w.all()[0], "newer cftriage") {
		t.Fatalf("newer schema: available=%v warnings=%q", d2.Available(), w.all())
	}
}

func TestUnusablePathIsSaid(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var w warnings
	// The state "directory" is a regular file: nothing can be created.
	d := openTestDB(t, DBPath(filepath.Join(file, "state")), &w)
	if d.Available() || len(w.all()) != 1 {
		t.Fatalf("available=%v warnings=%q", d.Available(), w.all())
	}
	if ls, err := d.Lookups(LookupQuery{}); len(ls) != 0 || err == nil {
		t.Errorf("Lookups = %v, %v", ls, err)
	}
	var nilDB *DB
	if nilDB.Available() || nilDB.Problem() == "" {
		t.Error("a nil DB must be unavailable with a reason")
	}
}

// TestHelperHoldLock (a child process) holds the database's write lock
// until its stdin closes.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv(helperEnv)
	if !strings.HasPrefix(path, "lock:") {
		t.Skip("helper")
	}
	raw, err := sql.Open("sqlite", strings.TrimPrefix(path, "lock:"))
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec("BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO history (time, account, kind, indicator) VALUES ('x', 'a', 'ip', 'held')"); err != nil {
		t.Fatal(err)
	}
	fmt.Println("LOCKED")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	_, _ = raw.Exec("ROLLBACK")
}

// holdLock starts a child process holding path's write lock; the
// returned function releases it.
func holdLock(t *testing.T, path string) func() {
	t.Helper()
	cmd := helperCmd(t, "TestHelperHoldLock", helperEnv+"=lock:"+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	locked := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "LOCKED") {
			locked = true
			break
		}
	}
	if !locked {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the helper did not take the lock")
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			stdin.Close()
			go func() {
				for sc.Scan() {
				}
			}()
			cmd.Wait()
		})
	}
	t.Cleanup(release)
	return release
}

func TestLockedByAnotherProcess(t *testing.T) {
	path := DBPath(t.TempDir())
	d0 := openTestDB(t, path, nil)
	if _, _, err := d0.CachePut(CacheEntry{Account: "a", Request: "kept", Kind: "ip", Status: 200, Body: []byte(`{"x":1}`)}); err != nil {
		t.Fatal(err)
	}
	d0.Close()
	release := holdLock(t, path)

	var w warnings
	start := time.Now()
	d := openTestDB(t, path, &w) // already migrated: opens without the write lock
	if !d.Available() {
		t.Fatalf("opening a locked, migrated database failed: %q", d.Problem())
	}
	// WAL: reads go on while another process writes.
	if e, ok := d.CacheGet("a", "kept"); !ok || string(e.Body) != `{"x":1}` {
		t.Errorf("read under another process's write lock: %v %q", ok, e.Body)
	}
	if _, _, err := d.CachePut(CacheEntry{Account: "a", Request: "new", Kind: "ip", Status: 200, Body: []byte(`{}`)}); err == nil {
		t.Fatal("a write under another process's lock succeeded")
	}
	// Set aside after the first bounded wait: the next writes do not wait.
	for i := 0; i < 5; i++ {
		if err := d.AddLookup(Lookup{Kind: "ip", Indicator: "x"}); !errors.Is(err, ErrDBUnavailable) {
			t.Fatalf("write %d while paused: %v", i, err)
		}
	}
	// A hang guard, not a speed measure: six writes must not each wait.
	if el := time.Since(start); el > 20*ConsoleBusyTimeout {
		t.Errorf("the locked database held the caller %s", el)
	}
	if got := w.all(); len(got) != 1 || !strings.Contains(got[0], "locked by another program") {
		t.Errorf("warnings = %q, want one saying it is locked", got)
	}
	release()
	// After the pause it is used again.
	d.mu.Lock()
	d.pausedUntil = time.Time{}
	d.mu.Unlock()
	if err := d.AddLookup(Lookup{Kind: "ip", Indicator: "after"}); err != nil {
		t.Errorf("after the lock was released: %v", err)
	}
}

// TestHelperWriteHistory (a child process) adds N lookups.
func TestHelperWriteHistory(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if !strings.HasPrefix(spec, "write:") {
		t.Skip("helper")
	}
	path := strings.TrimPrefix(spec, "write:")
	d := OpenDB(path, DBOptions{BusyTimeout: HeadlessBusyTimeout})
	defer d.Close()
	for i := 0; i < 100; i++ {
		if err := d.AddLookup(Lookup{Account: "child", Kind: "ip", Indicator: fmt.Sprintf("198.51.100.%d", i)}); err != nil {
			t.Fatalf("child write %d: %v", i, err)
		}
	}
}

func TestConcurrentWriters(t *testing.T) {
	path := DBPath(t.TempDir())
	openTestDB(t, path, nil).Close() // migrated once, as a first run would
	child := helperCmd(t, "TestHelperWriteHistory", helperEnv+"=write:"+path)
	out := make(chan error, 1)
	go func() {
		b, err := child.CombinedOutput()
		if err == nil && !strings.Contains(string(b), "--- PASS") {
			err = fmt.Errorf("helper did not run: %s", b)
		}
		out <- err
	}()
	// Two handles in this process (console and a headless command) plus
	// the child process write at once.
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for h := 0; h < 2; h++ {
		d := OpenDB(path, DBOptions{BusyTimeout: HeadlessBusyTimeout})
		defer d.Close()
		for g := 0; g < 2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					if err := d.AddLookup(Lookup{Account: "parent", Kind: "domain", Indicator: fmt.Sprintf("h%d-g%d-%d.example", h, g, i)}); err != nil {
						errs <- err
					}
					if _, _, err := d.CachePut(CacheEntry{Account: "parent", Request: fmt.Sprintf("u%d", i%5), Kind: "domain", Status: 200, Body: []byte(`{}`)}); err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := <-out; err != nil {
		t.Fatal(err)
	}
	d := openTestDB(t, path, nil)
	for acct, want := range map[string]int{"parent": 200, "child": 100} {
		if n, err := d.LookupCount(LookupQuery{Account: acct}); err != nil || n != want {
			t.Errorf("%s lookups = %d (%v), want %d", acct, n, err, want)
		}
	}
}
