package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Case is one investigation. Exactly one case (or none) is active: the
// one `case add` and `case note` (and the console's pin key) write to.
type Case struct {
	ID      int64     `json:"-"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Active  bool      `json:"active"`
	Items   int       `json:"items"`
	Notes   int       `json:"notes"`
}

// Case entry types.
const (
	EntryItem = "item"
	EntryNote = "note"
)

// CaseEntry is a pinned item (an indicator with the answers as they
// were) or a note, in the order added.
type CaseEntry struct {
	ID        int64
	Added     time.Time
	Type      string // EntryItem | EntryNote
	Kind      string // item: ip | domain | url | user | asn
	Indicator string
	Account   string
	Verdict   string
	Note      string // note: Markdown
	Answers   []CaseAnswer
}

// CaseAnswer is one API answer an item pinned.
type CaseAnswer struct {
	Operation string
	Request   string
	Fetched   time.Time
	Status    int
	Body      []byte
}

// CasePeriod is a span during which a case was the active one (Ended
// zero: it still is).
type CasePeriod struct {
	Started, Ended time.Time
}

// ErrNoCase is returned for a case name that does not exist.
var ErrNoCase = errors.New("no such case")

// ErrNoActiveCase is returned when a case is needed and none is active.
var ErrNoActiveCase = errors.New("no active case: create one with `cftriage case new <name>`")

// CheckCaseName refuses empty, overlong or control-character names.
func CheckCaseName(name string) error {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return errors.New("a case needs a name")
	case utf8.RuneCountInString(n) > 100:
		return errors.New("a case name is at most 100 characters")
	case strings.IndexFunc(n, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		return errors.New("a case name cannot contain control or invisible characters")
	}
	return nil
}

// CreateCase creates a case and makes it the active one.
func (d *DB) CreateCase(name string) (Case, error) {
	name = strings.TrimSpace(name)
	if err := CheckCaseName(name); err != nil {
		return Case{}, err
	}
	now := d.now()
	var c Case
	err := d.run(true, func(ctx context.Context, db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE name = ?`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("a case named %q already exists", name)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO cases (name, created) VALUES (?, ?)`, name, dbTime(now))
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if err := activate(ctx, tx, id, now); err != nil {
			return err
		}
		c = Case{ID: id, Name: name, Created: now, Active: true}
		return tx.Commit()
	})
	return c, d.unavailable(err)
}

func activate(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE case_activity SET ended = ? WHERE ended IS NULL AND case_id != ?`, dbTime(now), id); err != nil {
		return err
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_activity WHERE case_id = ? AND ended IS NULL`, id).Scan(&open); err != nil {
		return err
	}
	if open == 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_activity (case_id, started) VALUES (?, ?)`, id, dbTime(now))
		return err
	}
	return nil
}

// ActivateCase makes the named case the active one.
func (d *DB) ActivateCase(name string) (Case, error) {
	c, err := d.CaseByName(name)
	if err != nil {
		return Case{}, err
	}
	err = d.run(true, func(ctx context.Context, db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if err := activate(ctx, tx, c.ID, d.now()); err != nil {
			return err
		}
		return tx.Commit()
	})
	c.Active = true
	return c, d.unavailable(err)
}

const caseColumns = `SELECT c.id, c.name, c.created,
	EXISTS (SELECT 1 FROM case_activity a WHERE a.case_id = c.id AND a.ended IS NULL),
	(SELECT COUNT(*) FROM case_entries e WHERE e.case_id = c.id AND e.type = 'item'),
	(SELECT COUNT(*) FROM case_entries e WHERE e.case_id = c.id AND e.type = 'note')
	FROM cases c`

func scanCase(sc interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var created string
	err := sc.Scan(&c.ID, &c.Name, &created, &c.Active, &c.Items, &c.Notes)
	c.Created = parseDBTime(created)
	return c, err
}

// Cases lists every case, newest first.
func (d *DB) Cases() ([]Case, error) {
	var out []Case
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx, caseColumns+` ORDER BY c.id DESC`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, d.unavailable(err)
}

// CaseByName returns the named case, or ErrNoCase.
func (d *DB) CaseByName(name string) (Case, error) {
	var c Case
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		var err error
		c, err = scanCase(db.QueryRowContext(ctx, caseColumns+` WHERE c.name = ?`, strings.TrimSpace(name)))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, fmt.Errorf("%w %q (see `cftriage case list`)", ErrNoCase, strings.TrimSpace(name))
	}
	return c, d.unavailable(err)
}

// ActiveCase returns the active case, or ErrNoActiveCase.
func (d *DB) ActiveCase() (Case, error) {
	var c Case
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		var err error
		c, err = scanCase(db.QueryRowContext(ctx, caseColumns+
			` WHERE c.id = (SELECT case_id FROM case_activity WHERE ended IS NULL ORDER BY rowid DESC LIMIT 1)`))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, ErrNoActiveCase
	}
	return c, d.unavailable(err)
}

// AddCaseEntry appends an item (with its answers) or a note to a case.
func (d *DB) AddCaseEntry(caseID int64, e CaseEntry) (int64, error) {
	if e.Type != EntryItem && e.Type != EntryNote {
		return 0, fmt.Errorf("unknown case entry type %q", e.Type)
	}
	if e.Added.IsZero() {
		e.Added = d.now()
	}
	blob := []byte(e.Indicator + e.Note + e.Verdict)
	for _, a := range e.Answers {
		blob = append(blob, a.Body...)
		blob = append(blob, a.Request...)
	}
	if d.containsSecret(blob) {
		return 0, ErrContainsSecret
	}
	var id int64
	err := d.run(true, func(ctx context.Context, db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		res, err := tx.ExecContext(ctx, `INSERT INTO case_entries (case_id, added, type, kind, indicator, account, verdict, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, caseID, dbTime(e.Added), e.Type, e.Kind, e.Indicator, e.Account, e.Verdict, e.Note)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		for _, a := range e.Answers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_answers (entry_id, operation, request, fetched_at, body) VALUES (?, ?, ?, ?, ?)`,
				id, a.Operation, a.Request, dbTime(a.Fetched), string(a.Body)); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
	return id, d.unavailable(err)
}

// CaseEntries returns a case's items and notes in the order added, each
// item with its answers.
func (d *DB) CaseEntries(caseID int64) ([]CaseEntry, error) {
	var out []CaseEntry
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT id, added, type, kind, indicator, account, verdict, note
			FROM case_entries WHERE case_id = ? ORDER BY id`, caseID)
		if err != nil {
			return err
		}
		idx := map[int64]int{}
		for rows.Next() {
			var e CaseEntry
			var added string
			if err := rows.Scan(&e.ID, &added, &e.Type, &e.Kind, &e.Indicator, &e.Account, &e.Verdict, &e.Note); err != nil {
				rows.Close()
				return err
			}
			e.Added = parseDBTime(added)
			idx[e.ID] = len(out)
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		arows, err := db.QueryContext(ctx, `SELECT a.entry_id, a.operation, a.request, a.fetched_at, a.body
			FROM case_answers a JOIN case_entries e ON e.id = a.entry_id WHERE e.case_id = ? ORDER BY a.rowid`, caseID)
		if err != nil {
			return err
		}
		defer arows.Close()
		for arows.Next() {
			var id int64
			var a CaseAnswer
			var fetched string
			if err := arows.Scan(&id, &a.Operation, &a.Request, &fetched, &a.Body); err != nil {
				return err
			}
			a.Fetched, a.Status = parseDBTime(fetched), 200
			if i, ok := idx[id]; ok {
				out[i].Answers = append(out[i].Answers, a)
			}
		}
		return arows.Err()
	})
	return out, d.unavailable(err)
}

// CasePeriods returns when the case was active, oldest first.
func (d *DB) CasePeriods(caseID int64) ([]CasePeriod, error) {
	var out []CasePeriod
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx, `SELECT started, COALESCE(ended, '') FROM case_activity WHERE case_id = ? ORDER BY rowid`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s, e string
			if err := rows.Scan(&s, &e); err != nil {
				return err
			}
			p := CasePeriod{Started: parseDBTime(s)}
			if e != "" {
				p.Ended = parseDBTime(e)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, d.unavailable(err)
}
