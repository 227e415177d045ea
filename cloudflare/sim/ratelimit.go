package sim

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"time"
)

// Cloudflare's global API limit: 1,200 requests per 5 minutes per token.
// Going over blocks every call for the next 5 minutes (Options.RateQuota
// and RateWindow change both; the block lasts a window).
const (
	defaultQuota = 1200
	rateWindow   = 300 * time.Second
)

type window struct {
	start        time.Time
	count        int
	blockedUntil time.Time
}

type rateState struct {
	remaining  int
	resetIn    int // seconds until the window (or block) ends
	retryAfter int // > 0 when the request is over the limit
}

// take counts one request for the caller identified by key (a hash of the
// credentials, so the raw token is never kept) and reports the quota left.
func (s *Sim) take(key string) rateState {
	now := s.now()
	if s.quota < 0 {
		return rateState{remaining: defaultQuota, resetIn: ceilSeconds(s.window)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.limits[key]
	if w == nil || !now.Before(w.start.Add(s.window)) && !now.Before(w.blockedUntil) {
		w = &window{start: now}
		s.limits[key] = w
	}
	if now.Before(w.blockedUntil) {
		left := ceilSeconds(w.blockedUntil.Sub(now))
		return rateState{remaining: 0, resetIn: left, retryAfter: left}
	}
	w.count++
	if w.count > s.quota {
		w.blockedUntil = now.Add(s.window)
		left := ceilSeconds(s.window)
		return rateState{remaining: 0, resetIn: left, retryAfter: left}
	}
	return rateState{remaining: s.quota - w.count, resetIn: ceilSeconds(w.start.Add(s.window).Sub(now))}
}

func ceilSeconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	if n < 1 {
		n = 1
	}
	return n
}

func rateKey(r *http.Request) string {
	cred := r.Header.Get("Authorization")
	if cred == "" {
		cred = r.Header.Get("X-Auth-Key")
	}
	sum := sha256.Sum256([]byte(cred))
	return string(sum[:])
}

func (s *Sim) setRateHeaders(h http.Header, rs rateState) {
	q := s.quota
	if q < 0 {
		q = defaultQuota
	}
	h.Set("Ratelimit", fmt.Sprintf(`"default";r=%d;t=%d`, rs.remaining, rs.resetIn))
	h.Set("Ratelimit-Policy", fmt.Sprintf(`"burst";q=%d;w=%d`, q, ceilSeconds(s.window)))
}
