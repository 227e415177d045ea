package cloudflare

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clock is time for the client; tests replace it so waits are instant and
// measurable without timed assertions.
type clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, returning ctx.Err() then.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sfItem is one member of a structured-field list header: a name and its
// parameters (`"default";r=50;t=30`).
type sfItem struct {
	name   string
	params map[string]string
}

// parseSFList reads a structured-field list leniently: members separated
// by commas (outside quotes), parameters by semicolons. Garbage yields
// fewer or no items, never an error.
func parseSFList(v string) []sfItem {
	var items []sfItem
	var parts []string
	inQuote, start := false, 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			inQuote = !inQuote
		case '\\':
			if inQuote {
				i++
			}
		case ',':
			if !inQuote {
				parts = append(parts, v[start:i])
				start = i + 1
			}
		}
	}
	if start <= len(v) {
		parts = append(parts, v[start:])
	}
	for _, p := range parts {
		fields := strings.Split(p, ";")
		it := sfItem{name: strings.Trim(strings.TrimSpace(fields[0]), `"`), params: map[string]string{}}
		for _, f := range fields[1:] {
			k, val, _ := strings.Cut(strings.TrimSpace(f), "=")
			it.params[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(val), `"`)
		}
		items = append(items, it)
	}
	return items
}

// paramInt reads a non-negative integer parameter, capped so an absurd
// value cannot overflow a time.Duration.
func (it sfItem) paramInt(k string) (int, bool) {
	n, err := strconv.ParseInt(it.params[k], 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	if n > 1<<31 {
		n = 1 << 31
	}
	return int(n), true
}

// ParseQuota reads the `Ratelimit` and `Ratelimit-Policy` headers
// (`"default";r=50;t=30` and `"default";q=1200;w=300`). When several
// limits are listed, the one with the least remaining is reported. Known is
// false when no usable Ratelimit header is present.
func ParseQuota(h http.Header, now time.Time) Quota {
	var q Quota
	rl := strings.Join(h.Values("Ratelimit"), ",")
	if rl == "" {
		return q
	}
	var best *sfItem
	bestR := 0
	for _, it := range parseSFList(rl) {
		r, ok := it.paramInt("r")
		if !ok {
			continue
		}
		if best == nil || r < bestR {
			it := it
			best, bestR = &it, r
		}
	}
	if best == nil {
		return q
	}
	q.Known = true
	q.Remaining = bestR
	q.Seen = now
	if t, ok := best.paramInt("t"); ok {
		q.Reset = time.Duration(t) * time.Second
	}
	policies := parseSFList(strings.Join(h.Values("Ratelimit-Policy"), ","))
	pol := -1
	for i, p := range policies {
		if p.name == best.name {
			pol = i
			break
		}
	}
	if pol < 0 && len(policies) > 0 {
		pol = 0
	}
	if pol >= 0 {
		if n, ok := policies[pol].paramInt("q"); ok {
			q.Limit = n
		}
		if w, ok := policies[pol].paramInt("w"); ok {
			q.Window = time.Duration(w) * time.Second
		}
	}
	return q
}

// maxRetryAfter bounds a Retry-After we believe; beyond a day it is noise.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		if d > maxRetryAfter {
			d = maxRetryAfter
		}
		return d, true
	}
	return 0, false
}

// windowLimiter keeps at most n requests in any window: it remembers the
// send times of the last n requests, so a new one may go only when the
// oldest of them is a full window old. Unlike a token bucket with burst n
// (which allows 2n in the first window), this matches the server's rule
// exactly.
type windowLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	times  []time.Time // ring buffer of send times
	next   int         // oldest entry once the ring is full
}

func newWindowLimiter(n int, window time.Duration) *windowLimiter {
	return &windowLimiter{n: n, window: window, times: make([]time.Time, 0, min(n, 4096))}
}

// take records a send at now and returns 0, or returns how long until a
// slot frees (recording nothing).
func (l *windowLimiter) take(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.times) < l.n {
		l.times = append(l.times, now)
		return 0
	}
	oldest := l.times[l.next]
	if wait := oldest.Add(l.window).Sub(now); wait > 0 {
		return wait
	}
	l.times[l.next] = now
	l.next = (l.next + 1) % l.n
	return 0
}
