package store

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"
)

func TestLookupsFilterPageAndRecall(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	d := openTestDB(t, DBPath(t.TempDir()), nil)
	add := func(i int, acct, kind, ind, verdict string) {
		t.Helper()
		if err := d.AddLookup(Lookup{Time: t0.Add(time.Duration(i) * time.Minute), Account: acct, Kind: kind, Indicator: ind, Verdict: verdict}); err != nil {
			t.Fatal(err)
		}
	}
	add(0, "A", "ip", "192.0.2.1", "no risk types")
	add(1, "A", "domain", "evil.example", "risky: Phishing")
	add(2, "B", "user", "ann@example.com", "risk level high")
	add(3, "A", "ip", "192.0.2.1", "risky: Malware")
	add(4, "A", "domain", "100%_off.example", "no risk types")

	all, err := d.Lookups(LookupQuery{})
	if err != nil || len(all) != 5 {
		t.Fatalf("all = %v %v", all, err)
	}
	if all[0].Indicator != "100%_off.example" || all[4].Verdict != "no risk types" || !all[0].Time.Equal(t0.Add(4*time.Minute)) {
		t.Errorf("not newest first: %+v", all)
	}
	check := func(name string, q LookupQuery, want ...string) {
		t.Helper()
		got, err := d.Lookups(q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var inds []string
		for _, l := range got {
			inds = append(inds, l.Indicator)
		}
		if fmt.Sprint(inds) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, inds, want)
		}
		if n, _ := d.LookupCount(q); q.Limit == 0 && q.Before == 0 && !q.Distinct && n != len(want) {
			t.Errorf("%s count = %d, want %d", name, n, len(want))
		}
	}
	check("kind", LookupQuery{Kind: "ip"}, "192.0.2.1", "192.0.2.1")
	check("account", LookupQuery{Account: "B"}, "ann@example.com")
	check("since", LookupQuery{Since: t0.Add(3 * time.Minute)}, "100%_off.example", "192.0.2.1")
	check("text in verdict", LookupQuery{Text: "PHISH"}, "evil.example")
	// % and _ are literal, not wildcards.
	check("like escape", LookupQuery{Text: "%_"}, "100%_off.example")
	check("distinct", LookupQuery{Distinct: true}, "100%_off.example", "192.0.2.1", "ann@example.com", "evil.example")
	page1, _ := d.Lookups(LookupQuery{Limit: 2})
	check("page 2", LookupQuery{Limit: 2, Before: page1[1].ID}, "ann@example.com", "evil.example")
	if got := d.RecentIndicators(2); fmt.Sprint(got) != "[100%_off.example 192.0.2.1]" {
		t.Errorf("RecentIndicators = %v", got)
	}
}

func TestHistoryKeepsTheNewest(t *testing.T) {
	d := openTestDB(t, DBPath(t.TempDir()), nil)
	const keep = 500
	d.historyKeep = keep
	fillHistory(t, d, keep+10)
	if err := d.Tidy(); err != nil {
		t.Fatal(err)
	}
	n, err := d.LookupCount(LookupQuery{})
	if err != nil || n != keep {
		t.Fatalf("count after tidy = %d %v, want %d", n, err, keep)
	}
	newest, _ := d.Lookups(LookupQuery{Limit: 1})
	if len(newest) != 1 || newest[0].Indicator != fmt.Sprintf("host%d.example", keep+9) {
		t.Errorf("the newest entry went: %v", newest)
	}
}

// fillHistory inserts n lookups in one transaction (fast set-up).
func fillHistory(tb testing.TB, d *DB, n int) {
	tb.Helper()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kinds := []string{"ip", "domain", "user", "asn"}
	// Straight on the handle: the per-operation deadline is for single
	// statements, not for this bulk set-up.
	err := func(ctx context.Context, db *sql.DB) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		st, err := tx.PrepareContext(ctx, `INSERT INTO history (time, account, kind, indicator, verdict) VALUES (?, 'acct', ?, ?, 'no risk types')`)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if _, err := st.ExecContext(ctx, dbTime(t0.Add(time.Duration(i)*time.Second)), kinds[i%4], fmt.Sprintf("host%d.example", i)); err != nil {
				return err
			}
		}
		return tx.Commit()
	}(context.Background(), d.db)
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkHistoryQuery is the History pane's page read: the newest 50,
// the newest 50 of one kind, and a typed filter, at 100 and 100,000
// entries. A page must cost about the same however long the history.
func BenchmarkHistoryQuery(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			d := OpenDB(DBPath(b.TempDir()), DBOptions{})
			defer d.Close()
			fillHistory(b, d, n)
			for _, q := range []struct {
				name string
				q    LookupQuery
			}{
				{"page", LookupQuery{Limit: 50}},
				{"kind", LookupQuery{Limit: 50, Kind: "asn"}},
				{"filter", LookupQuery{Limit: 50, Text: "host9"}},
			} {
				b.Run(q.name, func(b *testing.B) {
					for b.Loop() {
						ls, err := d.Lookups(q.q)
						if err != nil || len(ls) == 0 {
							b.Fatalf("%v %v", ls, err)
						}
					}
				})
			}
		})
	}
}
