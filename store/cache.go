package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Default time-to-live of each cache kind (see cloudflare.CacheKindOf):
// intel an hour, WHOIS and ASN subnets a day, users five minutes.
var defaultCacheTTL = map[string]time.Duration{
	"ip":     time.Hour,
	"domain": time.Hour,
	"whois":  24 * time.Hour,
	"asn":    24 * time.Hour,
	"user":   5 * time.Minute,
}

// Cache retention: an expired answer is still kept a while, as what the
// next fresh answer is compared with ("changed since"), then dropped.
// Users' answers hold personal data and go sooner.
const (
	CacheKeepIntel = 90 * 24 * time.Hour
	CacheKeepUsers = 7 * 24 * time.Hour
)

// CacheConfig is the "cache" object of config.json:
//
//	"cache": {"ttl": {"ip": "30m", "whois": "48h", "user": "1m"}}
//
// Kinds not named keep their defaults; "0s" never serves that kind from
// the cache (answers are still kept for change detection).
type CacheConfig struct {
	TTL map[string]string `json:"ttl,omitempty"`
}

func (cc CacheConfig) clone() CacheConfig {
	if cc.TTL == nil {
		return cc
	}
	out := CacheConfig{TTL: make(map[string]string, len(cc.TTL))}
	for k, v := range cc.TTL {
		out.TTL[k] = v
	}
	return out
}

// IsZero makes an empty cache config vanish from config.json.
func (cc CacheConfig) IsZero() bool { return len(cc.TTL) == 0 }

// validate refuses unknown kinds and durations that do not parse, so a
// typo is said instead of silently ignored.
func (cc CacheConfig) validate() error {
	for k, v := range cc.TTL {
		if _, ok := defaultCacheTTL[k]; !ok {
			return fmt.Errorf("cache.ttl: unknown kind %q (kinds: %s)", k, strings.Join(CacheKindNames(), ", "))
		}
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			return fmt.Errorf("cache.ttl.%s: %q is not a duration such as \"30m\" or \"24h\"", k, v)
		}
	}
	return nil
}

// CacheKindNames lists the cache kinds, sorted.
func CacheKindNames() []string {
	out := make([]string, 0, len(defaultCacheTTL))
	for k := range defaultCacheTTL {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CacheTTL returns the time-to-live of every kind: the defaults, with
// the config's values over them. c may be nil.
func (c *Config) CacheTTL() map[string]time.Duration {
	out := make(map[string]time.Duration, len(defaultCacheTTL))
	for k, v := range defaultCacheTTL {
		out[k] = v
	}
	if c == nil {
		return out
	}
	for k, v := range c.Cache.TTL {
		if d, err := time.ParseDuration(strings.TrimSpace(v)); err == nil && d >= 0 {
			if _, ok := out[k]; ok {
				out[k] = d
			}
		}
	}
	return out
}

// CacheEntry is one kept answer (a row of the cache table).
type CacheEntry struct {
	Account     string
	Request     string // the full URL of the GET
	Operation   string
	Kind        string
	Indicator   string
	Fetched     time.Time
	Status      int
	ContentType string
	Body        []byte
}

// CacheGet returns the answer kept for (account, request), whatever its
// age; the caller judges freshness. Not found (or no database) is false.
func (d *DB) CacheGet(account, request string) (CacheEntry, bool) {
	var e CacheEntry
	var fetched string
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		return db.QueryRowContext(ctx,
			`SELECT account, request, operation, kind, indicator, fetched_at, status, content_type, body
			 FROM cache WHERE account = ? AND request = ?`, account, request).
			Scan(&e.Account, &e.Request, &e.Operation, &e.Kind, &e.Indicator, &fetched, &e.Status, &e.ContentType, &e.Body)
	})
	if err != nil {
		return CacheEntry{}, false
	}
	e.Fetched = parseDBTime(fetched)
	return e, true
}

// CachePut keeps e, replacing what was kept for the same account and
// request, and returns the replaced entry. Answers containing a token
// the guard forbids are refused.
func (d *DB) CachePut(e CacheEntry) (prev CacheEntry, replaced bool, err error) {
	if d.containsSecret(e.Body) || d.containsSecret([]byte(e.Request)) {
		return CacheEntry{}, false, ErrContainsSecret
	}
	if e.Fetched.IsZero() {
		e.Fetched = d.now()
	}
	err = d.run(true, func(ctx context.Context, db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var fetched string
		qerr := tx.QueryRowContext(ctx,
			`SELECT operation, kind, indicator, fetched_at, status, content_type, body
			 FROM cache WHERE account = ? AND request = ?`, e.Account, e.Request).
			Scan(&prev.Operation, &prev.Kind, &prev.Indicator, &fetched, &prev.Status, &prev.ContentType, &prev.Body)
		switch {
		case qerr == nil:
			replaced = true
			prev.Account, prev.Request, prev.Fetched = e.Account, e.Request, parseDBTime(fetched)
		case qerr != sql.ErrNoRows:
			return qerr
		}
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO cache (account, request, operation, kind, indicator, fetched_at, status, content_type, body)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (account, request) DO UPDATE SET operation = excluded.operation, kind = excluded.kind,
			   indicator = excluded.indicator, fetched_at = excluded.fetched_at, status = excluded.status,
			   content_type = excluded.content_type, body = excluded.body`,
			e.Account, e.Request, e.Operation, e.Kind, e.Indicator, dbTime(e.Fetched), e.Status, e.ContentType, string(e.Body)); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return CacheEntry{}, false, err
	}
	return prev, replaced, nil
}

// CacheKindStats is one line of `cftriage cache stats`.
type CacheKindStats struct {
	Kind    string    `json:"kind"`
	Entries int       `json:"entries"`
	Bytes   int64     `json:"bytes"` // the bodies' size
	Oldest  time.Time `json:"oldest,omitzero"`
	Newest  time.Time `json:"newest,omitzero"`
}

// CacheStats counts the kept answers per kind (every kind listed, empty
// ones too).
func (d *DB) CacheStats() ([]CacheKindStats, error) {
	byKind := map[string]*CacheKindStats{}
	for _, k := range CacheKindNames() {
		byKind[k] = &CacheKindStats{Kind: k}
	}
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx,
			`SELECT kind, COUNT(*), COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0), MIN(fetched_at), MAX(fetched_at)
			 FROM cache GROUP BY kind`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s CacheKindStats
			var oldest, newest string
			if err := rows.Scan(&s.Kind, &s.Entries, &s.Bytes, &oldest, &newest); err != nil {
				return err
			}
			s.Oldest, s.Newest = parseDBTime(oldest), parseDBTime(newest)
			byKind[s.Kind] = &s
		}
		return rows.Err()
	})
	if err != nil {
		return nil, d.unavailable(err)
	}
	out := make([]CacheKindStats, 0, len(byKind))
	for _, s := range byKind {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	return out, nil
}

// CachePurge deletes the kept answers of the given kinds (all when none
// is given) and returns how many went.
func (d *DB) CachePurge(kinds ...string) (int64, error) {
	var n int64
	err := d.run(true, func(ctx context.Context, db *sql.DB) error {
		q, args := `DELETE FROM cache`, []any{}
		if len(kinds) > 0 {
			q += ` WHERE kind IN (?` + strings.Repeat(", ?", len(kinds)-1) + `)`
			for _, k := range kinds {
				args = append(args, k)
			}
		}
		res, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, d.unavailable(err)
	}
	return n, nil
}

// CacheForgetUser deletes account's user-kind answers about one of
// subjects (a user's email or id, any case) and those about no single
// user (the risky-users summary): after a write to that user, nothing
// kept from before it may be served as current. It returns how many went.
func (d *DB) CacheForgetUser(account string, subjects ...string) (int64, error) {
	q, args := `DELETE FROM cache WHERE account = ? AND kind = 'user' AND (indicator = ''`, []any{account}
	for _, s := range subjects {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			q += ` OR lower(indicator) = ?`
			args = append(args, s)
		}
	}
	q += `)`
	var n int64
	err := d.run(true, func(ctx context.Context, db *sql.DB) error {
		res, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	if err != nil {
		return 0, d.unavailable(err)
	}
	return n, nil
}

// Tidy drops what is past keeping: cache entries older than their
// retention, history beyond HistoryKeep entries. Run once per start.
func (d *DB) Tidy() error {
	now := d.now()
	return d.run(true, func(ctx context.Context, db *sql.DB) error {
		if _, err := db.ExecContext(ctx, `DELETE FROM cache WHERE (kind = 'user' AND fetched_at < ?) OR fetched_at < ?`,
			dbTime(now.Add(-CacheKeepUsers)), dbTime(now.Add(-CacheKeepIntel))); err != nil {
			return err
		}
		_, err := db.ExecContext(ctx, `DELETE FROM history WHERE id <= (SELECT id FROM history ORDER BY id DESC LIMIT 1 OFFSET ?)`, d.historyKeep)
		return err
	})
}

// unavailable turns the sentinel into a sentence naming the problem.
func (d *DB) unavailable(err error) error {
	if err == ErrDBUnavailable {
		if p := d.Problem(); p != "" {
			return fmt.Errorf("%w: %s", ErrDBUnavailable, p)
		}
	}
	return err
}
