package store

import (
	"context"
	"errors"
	"fmt"
)

// migrations are the schema's versions, in order: migrations[i] takes
// the database from version i to i+1 (PRAGMA user_version). Never edit
// one that has shipped; add the next. Table and column names are plain
// on purpose: an analyst can read the file with the sqlite3 shell (the
// README documents them).
var migrations = []string{
	// 1: the cache, the lookup history, cases.
	`CREATE TABLE cache (
		account      TEXT NOT NULL,    -- Cloudflare account id
		request      TEXT NOT NULL,    -- the GET's full URL (never the token)
		operation    TEXT NOT NULL,    -- "IP overview", "WHOIS", ...
		kind         TEXT NOT NULL,    -- ip | domain | whois | asn | user
		indicator    TEXT NOT NULL,    -- the IP, domain, ASN, email or user id asked about
		fetched_at   TEXT NOT NULL,    -- UTC, 2006-01-02T15:04:05.000Z
		status       INTEGER NOT NULL, -- HTTP status (always 2xx: errors are never kept)
		content_type TEXT NOT NULL DEFAULT '',
		body         TEXT NOT NULL,    -- the answer as received
		PRIMARY KEY (account, request)
	);
	CREATE INDEX cache_by_kind ON cache (kind, fetched_at);
	CREATE INDEX cache_by_indicator ON cache (account, indicator);

	CREATE TABLE history (
		id        INTEGER PRIMARY KEY,
		time      TEXT NOT NULL,       -- when the lookup was made (UTC)
		account   TEXT NOT NULL,
		kind      TEXT NOT NULL,       -- ip | domain | user | asn
		indicator TEXT NOT NULL,
		verdict   TEXT NOT NULL DEFAULT '', -- the verdict at the time
		cached    INTEGER NOT NULL DEFAULT 0 -- 1: answered from the cache
	);
	-- Indexes end in the rowid (id), so "one kind, newest first" walks one.
	CREATE INDEX history_by_time ON history (time);
	CREATE INDEX history_by_kind ON history (kind);
	CREATE INDEX history_by_account ON history (account);

	CREATE TABLE cases (
		id      INTEGER PRIMARY KEY,
		name    TEXT NOT NULL UNIQUE,
		created TEXT NOT NULL
	);
	-- When each case was the active one (ended NULL: it still is).
	CREATE TABLE case_activity (
		case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
		started TEXT NOT NULL,
		ended   TEXT
	);
	-- A case's pinned items and notes, in the order they were added.
	CREATE TABLE case_entries (
		id        INTEGER PRIMARY KEY,
		case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
		added     TEXT NOT NULL,
		type      TEXT NOT NULL CHECK (type IN ('item', 'note')),
		kind      TEXT NOT NULL DEFAULT '', -- item: ip | domain | url | user | asn
		indicator TEXT NOT NULL DEFAULT '',
		account   TEXT NOT NULL DEFAULT '',
		verdict   TEXT NOT NULL DEFAULT '',
		note      TEXT NOT NULL DEFAULT ''  -- note: Markdown text
	);
	CREATE INDEX case_entries_by_case ON case_entries (case_id, id);
	-- The answers an item pinned, as they were.
	CREATE TABLE case_answers (
		entry_id   INTEGER NOT NULL REFERENCES case_entries (id) ON DELETE CASCADE,
		operation  TEXT NOT NULL,
		request    TEXT NOT NULL,
		fetched_at TEXT NOT NULL,
		body       TEXT NOT NULL
	);
	CREATE INDEX case_answers_by_entry ON case_answers (entry_id);`,
}

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

var errNewerSchema = errors.New("database schema is newer than this cftriage")

// migrate brings the schema to SchemaVersion, one transaction per step,
// so two processes starting at once cannot both apply a step (the
// second waits for the first's write lock, then sees the new version).
func (d *DB) migrate(ctx context.Context) error {
	// Up to date (the usual case) is read without a write lock, so
	// another process holding one does not stop this one at start-up.
	var cur int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return err
	}
	if cur == len(migrations) {
		return nil
	}
	for {
		tx, err := d.db.BeginTx(ctx, nil) // BEGIN IMMEDIATE (_txlock)
		if err != nil {
			return err
		}
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return err
		}
		if v > len(migrations) {
			tx.Rollback()
			return errNewerSchema
		}
		if v == len(migrations) {
			return tx.Rollback()
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("schema migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
}
