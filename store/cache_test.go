package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCachePutGetReplace(t *testing.T) {
	d := openTestDB(t, DBPath(t.TempDir()), nil)
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	e := CacheEntry{Account: "acct", Request: "https://api/x?ipv4=1.1.1.1", Operation: "IP overview", Kind: "ip",
		Indicator: "1.1.1.1", Fetched: t0, Status: 200, ContentType: "application/json", Body: []byte(`{"v":1}`)}
	if _, replaced, err := d.CachePut(e); err != nil || replaced {
		t.Fatalf("first put: replaced=%v err=%v", replaced, err)
	}
	got, ok := d.CacheGet("acct", e.Request)
	if !ok || string(got.Body) != `{"v":1}` || !got.Fetched.Equal(t0) || got.ContentType != "application/json" || got.Indicator != "1.1.1.1" {
		t.Fatalf("get = %+v %v", got, ok)
	}
	if _, ok := d.CacheGet("other-account", e.Request); ok {
		t.Error("another account's answer was served")
	}
	e2 := e
	e2.Body, e2.Fetched = []byte(`{"v":2}`), t0.Add(time.Hour)
	prev, replaced, err := d.CachePut(e2)
	if err != nil || !replaced || string(prev.Body) != `{"v":1}` || !prev.Fetched.Equal(t0) {
		t.Fatalf("replace: prev=%+v replaced=%v err=%v", prev, replaced, err)
	}
	if got, _ := d.CacheGet("acct", e.Request); string(got.Body) != `{"v":2}` {
		t.Errorf("after replace: %q", got.Body)
	}
}

func TestCacheRefusesTheToken(t *testing.T) {
	tok := "tok-" + strings.Repeat("s3cr3t", 6)
	g := NewGuard()
	g.Forbid(tok)
	d := OpenDB(DBPath(t.TempDir()), DBOptions{BusyTimeout: ConsoleBusyTimeout, Guard: g})
	t.Cleanup(func() { d.Close() })
	_, _, err := d.CachePut(CacheEntry{Account: "a", Request: "u", Kind: "ip", Status: 200, Body: []byte(`{"echo":"` + tok + `"}`)})
	if !errors.Is(err, ErrContainsSecret) {
		t.Fatalf("an answer echoing the token was kept: %v", err)
	}
	d.Close()
	b, _ := os.ReadFile(d.Path())
	w, _ := os.ReadFile(d.Path() + "-wal")
	if strings.Contains(string(b)+string(w), tok) {
		t.Error("the token is in the database file")
	}
}

func TestCacheStatsAndPurge(t *testing.T) {
	d := openTestDB(t, DBPath(t.TempDir()), nil)
	put := func(kind, req, body string) {
		t.Helper()
		if _, _, err := d.CachePut(CacheEntry{Account: "a", Request: req, Kind: kind, Status: 200, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	put("ip", "1", `{"a":1}`)
	put("ip", "2", `{"a":22}`)
	put("user", "3", `{"email":"x@example.com"}`)
	stats, err := d.CacheStats()
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]CacheKindStats{}
	for _, s := range stats {
		byKind[s.Kind] = s
	}
	if len(stats) != len(CacheKindNames()) {
		t.Errorf("stats list %d kinds, want every kind (%d)", len(stats), len(CacheKindNames()))
	}
	if s := byKind["ip"]; s.Entries != 2 || s.Bytes != int64(len(`{"a":1}`)+len(`{"a":22}`)) || s.Newest.IsZero() {
		t.Errorf("ip stats = %+v", s)
	}
	if s := byKind["whois"]; s.Entries != 0 || s.Bytes != 0 {
		t.Errorf("whois stats = %+v", s)
	}
	if n, err := d.CachePurge("user"); err != nil || n != 1 {
		t.Fatalf("purge users: %d %v", n, err)
	}
	if _, ok := d.CacheGet("a", "3"); ok {
		t.Error("a user answer survived purge --users")
	}
	if _, ok := d.CacheGet("a", "1"); !ok {
		t.Error("purge --users removed an IP answer")
	}
	if n, err := d.CachePurge(); err != nil || n != 2 {
		t.Fatalf("purge all: %d %v", n, err)
	}
}

func TestTidyDropsOldEntries(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	d := OpenDB(DBPath(t.TempDir()), DBOptions{Now: func() time.Time { return now }})
	defer d.Close()
	put := func(kind, req string, age time.Duration) {
		t.Helper()
		if _, _, err := d.CachePut(CacheEntry{Account: "a", Request: req, Kind: kind, Status: 200, Body: []byte(`{}`), Fetched: now.Add(-age)}); err != nil {
			t.Fatal(err)
		}
	}
	put("ip", "young-ip", 30*24*time.Hour)
	put("ip", "old-ip", CacheKeepIntel+time.Hour)
	put("user", "young-user", time.Hour)
	put("user", "old-user", CacheKeepUsers+time.Hour)
	if err := d.Tidy(); err != nil {
		t.Fatal(err)
	}
	for req, want := range map[string]bool{"young-ip": true, "old-ip": false, "young-user": true, "old-user": false} {
		if _, ok := d.CacheGet("a", req); ok != want {
			t.Errorf("%s kept = %v, want %v", req, ok, want)
		}
	}
}

func TestCacheConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"profiles": {}, "cache": {"ttl": {"ip": "30m", "user": "0s"}}}`)
	c, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	ttl := c.CacheTTL()
	if ttl["ip"] != 30*time.Minute || ttl["user"] != 0 || ttl["whois"] != 24*time.Hour || ttl["domain"] != time.Hour || ttl["asn"] != 24*time.Hour {
		t.Errorf("ttl = %v", ttl)
	}
	if got := c.Clone().CacheTTL(); got["ip"] != 30*time.Minute {
		t.Errorf("Clone lost the cache config: %v", got)
	}
	if err := c.Save(dir, NewGuard()); err != nil {
		t.Fatal(err)
	}
	c2, err := LoadConfig(dir)
	if err != nil || c2.CacheTTL()["ip"] != 30*time.Minute {
		t.Errorf("Save lost the cache config: %v %v", err, c2)
	}
	for _, bad := range []string{`{"cache": {"ttl": {"ip": "soon"}}}`, `{"cache": {"ttl": {"ipp": "1h"}}}`, `{"cache": {"ttl": {"ip": "-1h"}}}`} {
		write(bad)
		if _, err := LoadConfig(dir); err == nil {
			t.Errorf("LoadConfig accepted %s", bad)
		}
	}
	var nilCfg *Config
	if nilCfg.CacheTTL()["user"] != 5*time.Minute {
		t.Error("defaults without a config")
	}
	empty := &Config{}
	if err := empty.Save(dir, NewGuard()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ConfigFile)); strings.Contains(string(b), "cache") {
		t.Errorf("an empty cache config is written: %s", b)
	}
}

func TestCacheForgetUser(t *testing.T) {
	d := openTestDB(t, DBPath(t.TempDir()), nil)
	put := func(account, kind, req, ind string) {
		t.Helper()
		if _, _, err := d.CachePut(CacheEntry{Account: account, Request: req, Kind: kind, Indicator: ind, Status: 200, Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	put("a", "user", "risk/bob-id", "bob-id")
	put("a", "user", "users?email=bob", "Bob@Example.com")
	put("a", "user", "summary", "")
	put("a", "user", "risk/alice-id", "alice-id")
	put("a", "ip", "ip?ipv4=1.1.1.1", "1.1.1.1")
	put("b", "user", "risk/bob-id", "bob-id")
	n, err := d.CacheForgetUser("a", "BOB-ID", " bob@example.com ")
	if err != nil || n != 3 {
		t.Fatalf("forgot %d (%v), want 3: bob's two answers and the summary", n, err)
	}
	for _, k := range []struct {
		account, req string
		kept         bool
	}{{"a", "risk/bob-id", false}, {"a", "users?email=bob", false}, {"a", "summary", false},
		{"a", "risk/alice-id", true}, {"a", "ip?ipv4=1.1.1.1", true}, {"b", "risk/bob-id", true}} {
		if _, ok := d.CacheGet(k.account, k.req); ok != k.kept {
			t.Errorf("%s %s: kept = %v, want %v", k.account, k.req, ok, k.kept)
		}
	}
}
