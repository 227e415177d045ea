package actions

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"cftriage/cloudflare"
	"cftriage/store"
)

// Memory connects the client's cache hook (cloudflare.Cache and
// cloudflare.Observer) to the database: it serves kept answers within
// their time-to-live, keeps fresh ones, and records every lookup in the
// history. Session.NewClient gives it to every client it builds, so the
// console and the headless commands share it without doing anything.
type Memory struct {
	db  *store.DB
	ttl map[string]time.Duration
	CachePolicy
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
	// usersOff: a write's user answers could not be forgotten in the
	// database, so no user answer is served from it for the rest of the
	// run (a stale one must never pass for current).
	usersOff atomic.Bool
}

// CachePolicy is how a session uses the cache (headless flags).
type CachePolicy struct {
	// Off: neither read nor keep answers (--no-cache); the history is
	// still recorded.
	Off bool
	// Fresh: never serve a kept answer, but keep fresh ones (--max-age 0).
	Fresh bool
	// MaxAge > 0 replaces every kind's time-to-live (--max-age D).
	MaxAge time.Duration
}

// NewMemory serves db with the given per-kind time-to-live
// (store.Config.CacheTTL).
func NewMemory(db *store.DB, ttl map[string]time.Duration) *Memory {
	return &Memory{db: db, ttl: ttl}
}

// DB is the database behind the memory.
func (m *Memory) DB() *store.DB { return m.db }

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Get implements cloudflare.Cache.
func (m *Memory) Get(k cloudflare.CacheKey, maxAge time.Duration) (cloudflare.CachedAnswer, bool) {
	if m == nil || m.Off || m.Fresh || (k.Kind == cloudflare.CacheUser && m.usersOff.Load()) {
		return cloudflare.CachedAnswer{}, false
	}
	if maxAge < 0 && m.MaxAge > 0 {
		maxAge = m.MaxAge
	}
	if maxAge < 0 {
		maxAge = m.ttl[k.Kind]
	}
	if maxAge <= 0 {
		return cloudflare.CachedAnswer{}, false
	}
	e, ok := m.db.CacheGet(k.Account, k.Request)
	if !ok || e.Status < 200 || e.Status >= 300 {
		return cloudflare.CachedAnswer{}, false
	}
	// An answer "from the future" (the clock moved back) is not trusted.
	if age := m.now().Sub(e.Fetched); age > maxAge || age < -time.Minute {
		return cloudflare.CachedAnswer{}, false
	}
	return cloudflare.CachedAnswer{Status: e.Status, ContentType: e.ContentType, Body: e.Body, Fetched: e.Fetched}, true
}

// Put implements cloudflare.Cache.
func (m *Memory) Put(k cloudflare.CacheKey, a cloudflare.CachedAnswer) (cloudflare.CachedAnswer, bool) {
	if m == nil || m.Off {
		return cloudflare.CachedAnswer{}, false
	}
	prev, ok, err := m.db.CachePut(store.CacheEntry{Account: k.Account, Request: k.Request, Operation: k.Operation,
		Kind: k.Kind, Indicator: k.Indicator, Fetched: a.Fetched, Status: a.Status, ContentType: a.ContentType, Body: a.Body})
	if err != nil || !ok {
		return cloudflare.CachedAnswer{}, false
	}
	return cloudflare.CachedAnswer{Status: prev.Status, ContentType: prev.ContentType, Body: prev.Body, Fetched: prev.Fetched}, true
}

// ForgetUser drops what the cache kept about a user of account (by
// email and id) and the answers about every user (the risky-users
// summary): a reviewed write calls it after sending, whatever the
// outcome. If the database cannot delete them, no user answer is served
// from it for the rest of the run.
func (m *Memory) ForgetUser(account string, subjects ...string) {
	if m == nil {
		return
	}
	if _, err := m.db.CacheForgetUser(account, subjects...); err != nil {
		m.usersOff.Store(true)
	}
}

// forgetUser is ForgetUser on the cache c was built with, if it is a
// Memory.
func forgetUser(c *cloudflare.Client, subjects ...string) {
	if c == nil {
		return
	}
	if m, ok := c.Cache().(*Memory); ok {
		m.ForgetUser(c.AccountID(), subjects...)
	}
}

// Observe implements cloudflare.Observer: the main answer of each
// lookup (IP, domain, user risk, ASN overview) goes into the history
// with its verdict at the time.
func (m *Memory) Observe(k cloudflare.CacheKey, a cloudflare.CachedAnswer, fromCache bool) {
	if m == nil {
		return
	}
	kind := historyKind(k.Operation)
	if kind == "" {
		return
	}
	ind, verdict := k.Indicator, Verdict(k.Operation, a)
	if k.Operation == cloudflare.OpRiskScore {
		// The history names a user by email, not by id.
		var rs cloudflare.RiskScore
		if cloudflare.DecodeAnswer(k.Operation, a, &rs) == nil && strings.TrimSpace(rs.Email) != "" {
			ind = strings.ToLower(strings.TrimSpace(rs.Email))
		}
	}
	_ = m.db.AddLookup(store.Lookup{Time: m.now(), Account: k.Account, Kind: kind, Indicator: ind, Verdict: verdict, Cached: fromCache})
}

// History kinds (the history table's kind column and --kind).
const (
	KindIP     = "ip"
	KindDomain = "domain"
	KindUser   = "user"
	KindASN    = "asn"
	KindURL    = "url" // case items only: a URL is looked up by its host
)

// historyKind is the history kind of a lookup's main operation; ""
// for the operations that only complete a lookup (passive DNS, WHOIS).
func historyKind(op string) string {
	switch op {
	case cloudflare.OpIPOverview:
		return KindIP
	case cloudflare.OpDomainOverview:
		return KindDomain
	case cloudflare.OpRiskScore:
		return KindUser
	case cloudflare.OpASNOverview:
		return KindASN
	}
	return ""
}

// Verdict is a lookup's verdict in a few words, from its main answer:
// the risk types an IP or domain has ("risky: Phishing, Malware" or "no
// risk types"), a user's risk level ("risk level high"). API text: the
// caller sanitizes it before display. "" when the answer does not decode.
func Verdict(op string, a cloudflare.CachedAnswer) string {
	switch op {
	case cloudflare.OpIPOverview:
		var infos []cloudflare.IPInfo
		if cloudflare.DecodeAnswer(op, a, &infos) != nil {
			return ""
		}
		return IPVerdict(infos)
	case cloudflare.OpDomainOverview:
		var d cloudflare.Domain
		if cloudflare.DecodeAnswer(op, a, &d) != nil {
			return ""
		}
		return DomainVerdict(d)
	case cloudflare.OpRiskScore:
		var rs cloudflare.RiskScore
		if cloudflare.DecodeAnswer(op, a, &rs) != nil {
			return ""
		}
		return UserVerdict(rs)
	}
	return ""
}

// IPVerdict: the risk types of an IP overview.
func IPVerdict(infos []cloudflare.IPInfo) string {
	var names []string
	for _, in := range infos {
		names = appendNames(names, in.RiskTypes)
	}
	return riskVerdict(names)
}

// DomainVerdict: a domain's own and inherited risk types.
func DomainVerdict(d cloudflare.Domain) string {
	return riskVerdict(appendNames(appendNames(nil, d.RiskTypes), d.InheritedRiskTypes))
}

// UserVerdict: a user's risk level.
func UserVerdict(r cloudflare.RiskScore) string {
	if strings.TrimSpace(r.RiskLevel) == "" {
		return "no risk level"
	}
	return "risk level " + strings.TrimSpace(r.RiskLevel)
}

// Risky reports whether a verdict names risk (what STIX exports as an
// indicator rather than observed data).
func Risky(verdict string) bool {
	return strings.HasPrefix(verdict, "risky: ") || verdict == "risk level high" || verdict == "risk level medium"
}

func riskVerdict(names []string) string {
	if len(names) == 0 {
		return "no risk types"
	}
	return "risky: " + strings.Join(names, ", ")
}

func appendNames(out []string, rts []cloudflare.RiskType) []string {
	for _, rt := range rts {
		n := strings.TrimSpace(rt.Name)
		if n == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == n {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, n)
		}
	}
	return out
}

// OpenDB opens the database in stateDir with the session's DBOptions and
// makes it the session's (closing on Close), with a Memory over it that
// follows s.CachePolicy. The demo calls it with its own state directory.
func (s *Session) OpenDB(stateDir string) {
	o := s.DBOptions
	o.Guard = s.guard()
	db := store.OpenDB(store.DBPath(stateDir), o)
	_ = db.Tidy()
	mem := NewMemory(db, s.Config.CacheTTL())
	mem.CachePolicy = s.CachePolicy
	s.mu.Lock()
	s.closers = append(s.closers, func() { db.Close() })
	s.mu.Unlock()
	s.DB, s.Memory = db, mem
}

// cache is what NewClient hands the client (a nil interface when the
// session has no database).
func (s *Session) cache() cloudflare.Cache {
	if s.Memory == nil {
		return nil
	}
	return s.Memory
}

// ReviewRead reads a user's risk score fresh from the API (never the
// cache), for what a reviewed write shows before it sends: the console's
// review screen calls it instead of reusing the User pane's answer.
func ReviewRead(ctx context.Context, c *cloudflare.Client, userID string) (cloudflare.RiskScore, *cloudflare.Exchange, error) {
	return c.RiskScore(cloudflare.WithFresh(ctx), userID)
}

// RecentIndicators is what the search box's ↑ recalls from earlier runs:
// the newest distinct indicators of the history, newest first (none
// without a database).
func (s *Session) RecentIndicators(n int) []string {
	if s == nil || s.DB == nil {
		return nil
	}
	return s.DB.RecentIndicators(n)
}
