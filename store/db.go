package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DBFile is the database's name inside the state directory (the demo's
// state directory keeps its own).
const DBFile = "cftriage.db"

// DBPath is stateDir/cftriage.db.
func DBPath(stateDir string) string { return filepath.Join(stateDir, DBFile) }

// Busy timeouts: how long one statement waits for another process's lock
// before the database is set aside. The console must never stall on it.
const (
	ConsoleBusyTimeout  = 200 * time.Millisecond
	HeadlessBusyTimeout = 2 * time.Second
)

// lockPause is how long the database is left alone after a lock error,
// so a long-held lock costs one bounded wait, not one per lookup.
const lockPause = 10 * time.Second

// DBOptions configures OpenDB.
type DBOptions struct {
	// BusyTimeout bounds every wait on another process's lock (default
	// ConsoleBusyTimeout).
	BusyTimeout time.Duration
	// Warn is told, once, what is wrong when the database cannot be used
	// (missing directory, locked, corrupt, read-only, newer schema). The
	// program goes on without the cache; nil means silent (Problem still
	// says it).
	Warn func(msg string)
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// Guard holds the tokens that may never be stored: an answer, a pin
	// or a history entry carrying one is refused.
	Guard *Guard
}

// DB is cftriage's embedded SQLite database (cache, lookup history,
// cases). It never fails its caller hard: when the file cannot be used,
// every operation degrades (reads find nothing, writes are dropped) and
// the first problem is told once through DBOptions.Warn. Safe for
// concurrent use; several processes may share the file (WAL mode).
type DB struct {
	guard *Guard // tokens never stored
	path  string
	db    *sql.DB // nil when the database could not be opened
	busy  time.Duration
	warn  func(string)
	now   func() time.Time
	// historyKeep is HistoryKeep (tests lower it).
	historyKeep int

	mu          sync.Mutex
	problem     string
	warned      bool
	off         bool      // corrupt, unreadable, newer schema: not used again this run
	noWrite     bool      // read-only file or full disk: reads only
	pausedUntil time.Time // after a lock error
}

// ErrDBUnavailable is returned by operations that need the database
// (cases) when it cannot be used; Problem says why.
var ErrDBUnavailable = errors.New("the local database is not available")

// OpenDB opens (creating 0600 in a 0700 directory) and migrates the
// database at path. It always returns a usable *DB: when the file is
// missing and cannot be created, locked, corrupt or read-only, the DB
// works without storage and says so once.
func OpenDB(path string, o DBOptions) *DB {
	d := &DB{path: path, busy: o.BusyTimeout, warn: o.Warn, now: o.Now, historyKeep: HistoryKeep, guard: o.Guard}
	if d.busy <= 0 {
		d.busy = ConsoleBusyTimeout
	}
	if d.now == nil {
		d.now = time.Now
	}
	if err := d.open(); err != nil {
		d.fail(err)
		if d.db != nil {
			d.db.Close()
			d.db = nil
		}
		d.mu.Lock()
		d.off = true
		d.mu.Unlock()
	}
	return d
}

func (d *DB) open() error {
	if d.path == "" {
		return errors.New("no state directory")
	}
	if err := ensureDir(filepath.Dir(d.path)); err != nil {
		return err
	}
	// Created here, 0600, so SQLite never creates it with the umask's
	// mode (its -wal and -shm files copy this file's mode).
	f, err := os.OpenFile(d.path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = f.Chmod(fileMode)
	}
	f.Close()
	dsn := d.path + "?_busy_timeout=" + strconv.Itoa(int(d.busy/time.Millisecond)) +
		"&_txlock=immediate&_foreign_keys=1&_synchronous=NORMAL"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	d.db = db
	// One connection: statements of this process queue in Go (each is
	// short) instead of contending for SQLite's lock with each other.
	db.SetMaxOpenConns(1)
	ctx, cancel := d.ctx()
	defer cancel()
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode=WAL").Scan(&mode); err != nil {
		return err
	}
	return d.migrate(ctx)
}

// ctx bounds one operation: the busy timeout plus room for the work, so
// a queued statement cannot wait forever either.
func (d *DB) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*d.busy+time.Second)
}

// Path is the database file.
func (d *DB) Path() string { return d.path }

// Problem says what is wrong with the database ("" when nothing is).
func (d *DB) Problem() string {
	if d == nil {
		return "no database"
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.problem
}

// Available reports whether the database can be used right now.
func (d *DB) Available() bool { return d.usable(false) }

// Close closes the database.
func (d *DB) Close() error {
	if d == nil || d.db == nil {
		return nil
	}
	return d.db.Close()
}

func (d *DB) usable(write bool) bool {
	if d == nil || d.db == nil {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.off || (write && d.noWrite) {
		return false
	}
	return !d.now().Before(d.pausedUntil)
}

// run runs fn if the database is usable and classifies its error: a
// lock pauses the database for a while, a read-only file stops writes,
// corruption stops everything. The first problem is told once.
func (d *DB) run(write bool, fn func(ctx context.Context, db *sql.DB) error) error {
	if !d.usable(write) {
		return ErrDBUnavailable
	}
	ctx, cancel := d.ctx()
	defer cancel()
	err := fn(ctx, d.db)
	if isStorageError(err) {
		d.fail(err)
	}
	return err
}

// isStorageError tells a database that cannot be used (SQLite's errors,
// a wait that ran out, a file problem) from a logical refusal (a
// duplicate case name, no rows), which leaves the database in use.
func isStorageError(err error) bool {
	var se *sqlite.Error
	var pe *fs.PathError
	return err != nil && !errors.Is(err, sql.ErrNoRows) &&
		(errors.As(err, &se) || errors.As(err, &pe) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn))
}

// fail records err's consequence and tells it once.
func (d *DB) fail(err error) {
	msg, off, noWrite, pause := d.describe(err)
	d.mu.Lock()
	switch {
	case off:
		d.off = true
	case noWrite:
		d.noWrite = true
	case pause:
		d.pausedUntil = d.now().Add(lockPause)
	}
	first := !d.warned
	d.warned = true
	if d.problem == "" || off {
		d.problem = msg
	}
	warn := d.warn
	d.mu.Unlock()
	if first && warn != nil {
		warn(msg)
	}
}

func (d *DB) describe(err error) (msg string, off, noWrite, pause bool) {
	p := d.path
	var se *sqlite.Error
	code := -1
	if errors.As(err, &se) {
		code = se.Code() & 0xff
	}
	switch {
	case code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED || errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("the local database %s is locked by another program; going on without the cache for now", p), false, false, true
	case code == sqlite3.SQLITE_READONLY || errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("the local database %s is read-only (check its permissions); going on without the cache", p), code != sqlite3.SQLITE_READONLY, code == sqlite3.SQLITE_READONLY, false
	case code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB:
		return fmt.Sprintf("the local database %s is damaged or not a cftriage database; going on without the cache (move the file away to start a new one)", p), true, false, false
	case code == sqlite3.SQLITE_FULL:
		return fmt.Sprintf("the disk holding the local database %s is full; answers are not kept", p), false, true, false
	case errors.Is(err, errNewerSchema):
		return fmt.Sprintf("the local database %s was written by a newer cftriage; going on without the cache", p), true, false, false
	}
	return fmt.Sprintf("the local database %s cannot be used (%v); going on without the cache", p, err), true, false, false
}

// Time format in the database: UTC, millisecond, fixed width, so text
// order is time order and the sqlite3 shell shows it readably.
const dbTimeLayout = "2006-01-02T15:04:05.000Z"

func dbTime(t time.Time) string { return t.UTC().Format(dbTimeLayout) }

func parseDBTime(s string) time.Time {
	t, err := time.Parse(dbTimeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

// containsSecret reports data carrying a token the guard forbids.
func (d *DB) containsSecret(data []byte) bool { return d.guard.Contains(data) }
