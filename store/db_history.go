package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// HistoryKeep is how many lookups the history keeps (the newest).
const HistoryKeep = 100_000

// Lookup is one lookup in the history (a row of the history table).
type Lookup struct {
	ID        int64     `json:"-"`
	Time      time.Time `json:"time"`
	Account   string    `json:"account"`
	Kind      string    `json:"kind"` // ip | domain | user | asn
	Indicator string    `json:"indicator"`
	Verdict   string    `json:"verdict"`
	Cached    bool      `json:"-"`
}

// AddLookup records a lookup. Without a usable database it is dropped
// (the problem was already said once).
func (d *DB) AddLookup(l Lookup) error {
	if l.Time.IsZero() {
		l.Time = d.now()
	}
	if d.containsSecret([]byte(l.Indicator + "\x00" + l.Verdict)) {
		return ErrContainsSecret
	}
	return d.run(true, func(ctx context.Context, db *sql.DB) error {
		_, err := db.ExecContext(ctx, `INSERT INTO history (time, account, kind, indicator, verdict, cached) VALUES (?, ?, ?, ?, ?, ?)`,
			dbTime(l.Time), l.Account, l.Kind, l.Indicator, l.Verdict, l.Cached)
		return err
	})
}

// LookupQuery selects history entries, newest first. Zero fields do not
// filter. Paging: pass the last entry's ID of one page as Before for the
// next; each page costs an index walk of Limit rows (plus the rows the
// filters skip), however long the history.
type LookupQuery struct {
	Kind    string    // ip | domain | user | asn
	Account string    // one account's lookups
	Since   time.Time // at or after
	Text    string    // the indicator or verdict contains it (case-insensitive)
	Before  int64     // only entries older than this ID (the previous page's last)
	Limit   int       // default 100; at most 10,000
	// Distinct keeps only the newest lookup of each indicator (the
	// search box's ↑ recall).
	Distinct bool
}

// Lookups runs q. Without a usable database it is empty, with the
// reason as the error.
func (d *DB) Lookups(q LookupQuery) ([]Lookup, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 10_000)
	where, args := q.filters()
	sqlText := `SELECT id, time, account, kind, indicator, verdict, cached FROM history`
	if len(where) > 0 {
		sqlText += " WHERE " + strings.Join(where, " AND ")
	}
	// id order is insertion order, which is time order for one clock;
	// the primary key makes "newest first, stop after Limit" an index walk.
	sqlText += " ORDER BY id DESC"
	var out []Lookup
	seen := map[string]bool{}
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		limit := q.Limit
		if q.Distinct {
			// Walk further: repeats are skipped in Go, bounded.
			limit = min(q.Limit*20, 20_000)
		}
		rows, err := db.QueryContext(ctx, sqlText+" LIMIT ?", append(args, limit)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() && len(out) < q.Limit {
			var l Lookup
			var t string
			if err := rows.Scan(&l.ID, &t, &l.Account, &l.Kind, &l.Indicator, &l.Verdict, &l.Cached); err != nil {
				return err
			}
			if q.Distinct {
				k := l.Kind + "\x00" + l.Indicator
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			l.Time = parseDBTime(t)
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, d.unavailable(err)
	}
	return out, nil
}

// LookupCount counts the history entries q selects (Limit, Before and
// Distinct ignored): the History pane's "N lookups".
func (d *DB) LookupCount(q LookupQuery) (int, error) {
	q.Before = 0
	where, args := q.filters()
	s := `SELECT COUNT(*) FROM history`
	if len(where) > 0 {
		s += " WHERE " + strings.Join(where, " AND ")
	}
	var n int
	err := d.run(false, func(ctx context.Context, db *sql.DB) error {
		return db.QueryRowContext(ctx, s, args...).Scan(&n)
	})
	return n, d.unavailable(err)
}

// RecentIndicators is what the search box's ↑ recalls across runs: the
// newest distinct indicators looked up (in any account), newest first.
func (d *DB) RecentIndicators(n int) []string {
	ls, _ := d.Lookups(LookupQuery{Limit: n, Distinct: true})
	out := make([]string, 0, len(ls))
	seen := map[string]bool{}
	for _, l := range ls {
		if !seen[l.Indicator] {
			seen[l.Indicator] = true
			out = append(out, l.Indicator)
		}
	}
	return out
}

// filters is q's WHERE terms and their arguments (Before included).
func (q LookupQuery) filters() ([]string, []any) {
	var where []string
	var args []any
	if q.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, q.Kind)
	}
	if q.Account != "" {
		where, args = append(where, "account = ?"), append(args, q.Account)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "time >= ?"), append(args, dbTime(q.Since))
	}
	if t := strings.TrimSpace(q.Text); t != "" {
		like := "%" + escapeLike(strings.ToLower(t)) + "%"
		where = append(where, `(lower(indicator) LIKE ? ESCAPE '\' OR lower(verdict) LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if q.Before > 0 {
		where, args = append(where, "id < ?"), append(args, q.Before)
	}
	return where, args
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
