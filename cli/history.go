package cli

import (
	"context"
	"fmt"
	"time"

	"cftriage/actions"
	"cftriage/store"
)

type historyJSON struct {
	Entries []historyEntryJSON `json:"entries"`
}

type historyEntryJSON struct {
	Indicator string    `json:"indicator"`
	Kind      string    `json:"kind"`
	Account   string    `json:"account"`
	Time      time.Time `json:"time"`
	Verdict   string    `json:"verdict"`
}

func runHistory(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage history [--since D] [--kind ip|domain|user|asn] [--limit N]")
	}
	q := store.LookupQuery{Limit: e.o.limit}
	switch e.o.mem.kind {
	case "", actions.KindIP, actions.KindDomain, actions.KindUser, actions.KindASN:
		q.Kind = e.o.mem.kind
	default:
		return usageErr("--kind %q: use ip, domain, user or asn", clean(e.o.mem.kind))
	}
	if e.o.limit < 0 {
		return usageErr("--limit must be 0 (all) or more")
	}
	if e.o.limit == 0 {
		q.Limit = store.HistoryKeep
	}
	if e.o.mem.since.set {
		q.Since = time.Now().Add(-e.o.mem.since.d)
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.DB.Lookups(q)
	if err != nil {
		return dbError(s.DB, err)
	}
	if e.g.json {
		out := historyJSON{Entries: make([]historyEntryJSON, 0, len(entries))}
		for _, l := range entries {
			out.Entries = append(out.Entries, historyEntryJSON{Indicator: l.Indicator, Kind: l.Kind, Account: l.Account, Time: l.Time.UTC(), Verdict: l.Verdict})
		}
		return writeJSON(e.stdout, out)
	}
	w := e.stdout
	if len(entries) == 0 {
		fmt.Fprintln(w, "No lookups in the history yet.")
		return nil
	}
	for _, l := range entries {
		cached := ""
		if l.Cached {
			cached = "  (cached)"
		}
		fmt.Fprintf(w, "%s  %-6s  %-40s  %s%s\n", l.Time.Local().Format("2006-01-02 15:04:05"), l.Kind, clean(l.Indicator), orNone(clean(l.Verdict)), cached)
	}
	return nil
}
