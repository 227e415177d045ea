package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cftriage/actions"
	"cftriage/store"
)

// cacheFlags are the global --no-cache and --max-age.
type cacheFlags struct {
	noCache bool
	maxAge  ageFlag
}

func (c *cacheFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.noCache, "no-cache", false, "neither use nor keep cached answers")
	fs.Var(&c.maxAge, "max-age", "use cached answers at most `D` old (30m, 2h, 1d; 0 = always fetch)")
}

// ageFlag is a duration that also takes days ("7d") and knows whether
// it was given.
type ageFlag struct {
	set bool
	d   time.Duration
}

func (a *ageFlag) String() string {
	if a == nil || !a.set {
		return ""
	}
	return a.d.String()
}

func (a *ageFlag) Set(s string) error {
	d, err := parseAge(s)
	if err != nil {
		return err
	}
	a.set, a.d = true, d
	return nil
}

// parseAge reads a Go duration or a number of days ("7d").
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := strconv.ParseFloat(n, 64); err == nil && v >= 0 && v < 100000 {
			return time.Duration(v * float64(24*time.Hour)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30m, 2h or 7d", s)
	}
	return d, nil
}

// memoryOpts are the cache, history and case commands' flags.
type memoryOpts struct {
	users   bool
	since   ageFlag
	kind    string
	format  string
	maskPII bool
	output  string
}

// dbSetup says how the session's database is opened (before OpenDB or
// StartDemo): the console waits briefly on a lock and tells problems on
// its own screen; a headless command waits longer and says it on stderr.
func (e *env) dbSetup(s *actions.Session, console bool) {
	s.DBOptions = store.DBOptions{BusyTimeout: store.HeadlessBusyTimeout}
	if console {
		s.DBOptions.BusyTimeout = store.ConsoleBusyTimeout
	} else {
		stderr := e.stderr
		s.DBOptions.Warn = func(msg string) { fmt.Fprintln(stderr, "cftriage: warning: "+clean(msg)) }
	}
	f := e.g.cache
	s.CachePolicy = actions.CachePolicy{Off: f.noCache, Fresh: f.maxAge.set && f.maxAge.d == 0, MaxAge: f.maxAge.d}
}

// checkCacheFlags refuses contradictory cache flags before anything runs.
func (e *env) checkCacheFlags() error {
	if e.g.cache.noCache && e.g.cache.maxAge.set {
		return usageErr("--no-cache and --max-age contradict each other; give one")
	}
	return nil
}

// storeSession opens the database (the demo's with --demo) for a command
// that works on it alone; its problems are the command's error.
func (e *env) storeSession() (*actions.Session, error) {
	if err := e.checkCacheFlags(); err != nil {
		return nil, err
	}
	s, err := e.baseSession()
	if err != nil {
		return nil, err
	}
	e.dbSetup(s, false)
	s.DBOptions.Warn = nil // said as the command's error instead
	dir := s.StateDir
	if e.g.demo {
		if dir, err = store.DemoStateDir(); err != nil {
			return nil, configErr("the demo's state directory: %v", err)
		}
		s.StateDir = dir
	}
	s.OpenDB(dir)
	if !s.DB.Available() {
		s.Close()
		return nil, &exitError{code: ExitAPI, msg: clean(s.DB.Problem())}
	}
	return s, nil
}

// dbError is the exit error of a database operation that failed.
func dbError(db *store.DB, err error) error {
	if errors.Is(err, store.ErrDBUnavailable) && db.Problem() != "" {
		return &exitError{code: ExitAPI, msg: clean(db.Problem()), err: err}
	}
	return &exitError{code: ExitAPI, msg: "the local database: " + clean(err.Error()), err: err}
}

func memoryCommands() map[string]*command {
	return map[string]*command{
		"cache": {name: "cache", usage: "cache stats | cache purge [--users]", desc: "The local cache of API answers (cftriage.db in the state directory).",
			sub: map[string]*command{
				"stats": {name: "cache stats", usage: "cache stats", desc: "Entries and size of the cached answers, per kind.", run: runCacheStats},
				"purge": {name: "cache purge", usage: "cache purge [--users]", desc: "Delete the cached answers (--users: only the users' risk and context). The history and cases stay.",
					flags: func(fs *flag.FlagSet, o *opts) {
						fs.BoolVar(&o.mem.users, "users", false, "only the users' answers (personal data)")
					}, run: runCachePurge},
			}},
		"history": {name: "history", usage: "history [--since D] [--kind ip|domain|user|asn] [--limit N]",
			desc: "Earlier lookups, newest first, across runs (--json: {\"entries\": [...]}).",
			flags: func(fs *flag.FlagSet, o *opts) {
				fs.Var(&o.mem.since, "since", "only lookups of the last `D` (30m, 12h, 7d)")
				fs.StringVar(&o.mem.kind, "kind", "", "only one kind: `ip|domain|user|asn`")
				fs.IntVar(&o.limit, "limit", 100, "at most `N` entries (0 = all)")
			}, run: runHistory},
		"case": caseCommand(),
	}
}

type cacheStatsJSON struct {
	Path    string                 `json:"path"`
	Kinds   []store.CacheKindStats `json:"kinds"`
	Entries int                    `json:"entries"`
	Bytes   int64                  `json:"bytes"`
}

func runCacheStats(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage cache stats")
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	stats, err := s.DB.CacheStats()
	if err != nil {
		return dbError(s.DB, err)
	}
	out := cacheStatsJSON{Path: s.DB.Path(), Kinds: stats}
	for _, k := range stats {
		out.Entries += k.Entries
		out.Bytes += k.Bytes
	}
	if e.g.json {
		return writeJSON(e.stdout, out)
	}
	w := e.stdout
	fmt.Fprintf(w, "Cache: %s\n", clean(out.Path))
	fmt.Fprintf(w, "  %-8s %8s %10s  %-16s  %s\n", "kind", "entries", "size", "oldest", "newest")
	for _, k := range stats {
		fmt.Fprintf(w, "  %-8s %8d %10s  %-16s  %s\n", k.Kind, k.Entries, byteSize(k.Bytes), localMinute(k.Oldest), localMinute(k.Newest))
	}
	fmt.Fprintf(w, "  %-8s %8d %10s\n", "total", out.Entries, byteSize(out.Bytes))
	return nil
}

func runCachePurge(_ context.Context, e *env) error {
	if len(e.args) != 0 {
		return usageErr("usage: cftriage cache purge [--users]")
	}
	s, err := e.storeSession()
	if err != nil {
		return err
	}
	defer s.Close()
	var kinds []string
	if e.o.mem.users {
		kinds = []string{"user"}
	}
	n, err := s.DB.CachePurge(kinds...)
	if err != nil {
		return dbError(s.DB, err)
	}
	if e.g.json {
		return writeJSON(e.stdout, struct {
			Purged int64 `json:"purged"`
			Users  bool  `json:"users_only"`
		}{n, e.o.mem.users})
	}
	what := "cached answers"
	if e.o.mem.users {
		what = "cached user answers"
	}
	fmt.Fprintf(e.stdout, "Purged %d %s from %s.\n", n, what, clean(s.DB.Path()))
	return nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func localMinute(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("2006-01-02 15:04")
}
