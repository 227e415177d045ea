package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Clock is time for the client; tests replace it (Config.Clock) so waits
// are instant and measurable without timed assertions.
type Clock interface {
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

// QuotaStore keeps the quota state that every cftriage process of one
// profile shares, so a loop of separate processes is paced like one
// client. store.QuotaFile implements it with a small file under an
// exclusive file lock; the client owns the format.
type QuotaStore interface {
	// Update calls fn with the stored state (nil when there is none)
	// while holding a lock that other processes honour too, and stores
	// what fn returns unless it is nil.
	Update(fn func(state []byte) []byte) error
}

// QuotaWait is a wait for the shared quota, told to Config.OnQuotaWait
// before it starts.
type QuotaWait struct {
	Op    string        // the call that waits
	Wait  time.Duration // how long
	Until time.Time     // when it will try again
	// RetryAfter is set when a 429's Retry-After (read by this or by
	// another process) is the cause; otherwise the quota of the
	// Ratelimit headers is used up until its window resets.
	RetryAfter bool
	Seen       time.Time     // when that state was read from a response
	Limit      int           // the policy, when known
	Window     time.Duration // the policy's window, when known
	// Err is set instead (Wait 0) when the shared state could not be
	// used: the call goes on, paced by this process alone. It is told
	// once per client.
	Err error
}

// Message is the sentence for the analyst: why and until when.
func (w QuotaWait) Message() string {
	if w.Err != nil {
		return fmt.Sprintf("the quota state shared with other cftriage processes could not be used (%v); this process paces itself alone", w.Err)
	}
	why := "Cloudflare's quota"
	if w.Limit > 0 && w.Window > 0 {
		why += fmt.Sprintf(" (%d requests per %s)", w.Limit, formatWait(w.Window))
	}
	why += " is used up until its window resets"
	if w.RetryAfter {
		why = "Cloudflare answered 429 (rate limited) and asked to wait"
	}
	return fmt.Sprintf("waiting %s, until %s, before the %s: %s (read at %s, shared by every cftriage process of this profile)",
		formatWait(w.Wait), w.Until.Local().Format("15:04:05"), w.Op, why, w.Seen.Local().Format("15:04:05"))
}

// defaultMaxQuotaWait bounds a wait for the shared quota: Cloudflare's
// window and its 429 block are 5 minutes, so a loop waits them out; a
// longer wait fails at once (nothing sent) instead of hanging.
const defaultMaxQuotaWait = 6 * time.Minute

// sharedFile is the shared state: one entry per API base, since the
// simulator and Cloudflare keep separate quotas.
type sharedFile struct {
	Bases map[string]*sharedEntry `json:"bases"`
}

// sharedEntry is the latest quota read for one base, less the requests
// sent since, and a 429's block.
type sharedEntry struct {
	// Remaining is what the last answer left, less the requests
	// reserved since; meaningful only before ResetAt.
	Remaining int `json:"remaining"`
	// ResetAt is when the window's quota comes back (zero: unknown).
	ResetAt time.Time `json:"reset_at,omitzero"`
	// Estimated: ResetAt was guessed when the last window passed (now +
	// a window) and no answer of the new window has come yet.
	Estimated     bool `json:"estimated,omitempty"`
	Limit         int  `json:"limit,omitempty"`
	WindowSeconds int  `json:"window_seconds,omitempty"`
	// Seen is when the state was last read from a response.
	Seen time.Time `json:"seen"`
	// BlockedUntil is the end of a 429's Retry-After.
	BlockedUntil time.Time `json:"blocked_until,omitzero"`
	// BlockSeen is when that 429 was read.
	BlockSeen time.Time `json:"block_seen,omitzero"`
	// Probing counts requests sent while nothing was known of the window
	// (before its first answer): the first answer counts only itself, so
	// the others still in flight are taken off what it leaves.
	Probing int `json:"probing,omitempty"`
	// ProbeSince is when the first of them went.
	ProbeSince time.Time `json:"probe_since,omitzero"`
}

func (e *sharedEntry) window() time.Duration { return time.Duration(e.WindowSeconds) * time.Second }

// maxSharedBases bounds the file: the demo's simulator gets a new port
// (so a new base) on every run.
const maxSharedBases = 32

func decodeShared(b []byte) *sharedFile {
	var f sharedFile
	if len(b) > 0 && json.Unmarshal(b, &f) != nil {
		// Garbage (a crash mid-write): start over; the next answer
		// restores the state.
		f = sharedFile{}
	}
	if f.Bases == nil {
		f.Bases = map[string]*sharedEntry{}
	}
	for k, e := range f.Bases {
		if e == nil {
			delete(f.Bases, k)
		}
	}
	return &f
}

func (f *sharedFile) encode(now time.Time) []byte {
	// Drop what no longer tells anything, oldest first beyond the cap.
	for k, e := range f.Bases {
		if now.After(e.ResetAt) && now.After(e.BlockedUntil) && now.Sub(e.Seen) > 24*time.Hour && now.Sub(e.ProbeSince) > 24*time.Hour {
			delete(f.Bases, k)
		}
	}
	for len(f.Bases) > maxSharedBases {
		oldest := ""
		for k, e := range f.Bases {
			if oldest == "" || e.Seen.Before(f.Bases[oldest].Seen) {
				oldest = k
			}
		}
		delete(f.Bases, oldest)
	}
	b, _ := json.Marshal(f)
	return b
}

// paceMargin is added to a wait for a reset: the headers count whole
// seconds, and arriving a moment late costs little while a moment early
// costs a 429 and a blocked account.
func paceMargin(window time.Duration) time.Duration {
	return min(max(window/20, 100*time.Millisecond), time.Second)
}

// reserve counts one request against the shared quota of base, or says
// how long to wait (counting nothing). changed tells whether to store.
func (f *sharedFile) reserve(base string, now time.Time) (w QuotaWait, changed bool) {
	e := f.Bases[base]
	if e == nil {
		// Nothing known yet: the first answer tells. Count what goes
		// meanwhile, so concurrent first requests are not forgotten.
		f.Bases[base] = &sharedEntry{Probing: 1, ProbeSince: now}
		return w, true
	}
	if now.Before(e.BlockedUntil) {
		until := e.BlockedUntil.Add(paceMargin(e.window()))
		return QuotaWait{Wait: until.Sub(now), Until: until, RetryAfter: true, Seen: e.BlockSeen, Limit: e.Limit, Window: e.window()}, false
	}
	if e.ResetAt.IsZero() {
		e.Probing++
		return w, true
	}
	if !now.Before(e.ResetAt) {
		// The window has passed: the quota is whole again. Its new end is
		// estimated from now; the answer to this request corrects it.
		if e.Limit <= 0 || e.WindowSeconds <= 0 {
			e.ResetAt, e.Remaining = time.Time{}, 0
			return w, true
		}
		e.Remaining, e.ResetAt, e.Estimated = e.Limit, now.Add(e.window()), true
	}
	if e.Remaining <= 0 {
		until := e.ResetAt.Add(paceMargin(e.window()))
		return QuotaWait{Wait: until.Sub(now), Until: until, Seen: e.Seen, Limit: e.Limit, Window: e.window()}, false
	}
	e.Remaining--
	return w, true
}

// record stores what an answer said (q, read at now) and a 429's block.
func (f *sharedFile) record(base string, q Quota, block time.Duration, now time.Time) {
	e := f.Bases[base]
	if e == nil {
		e = &sharedEntry{}
		f.Bases[base] = e
	}
	if q.Known {
		if q.Limit > 0 {
			e.Limit = q.Limit
		}
		if q.Window > 0 {
			e.WindowSeconds = int(q.Window / time.Second)
		}
		reset := q.Reset
		if reset <= 0 {
			reset = e.window() // no reset time: assume a whole window
		}
		if reset > 0 {
			resetAt := q.Seen.Add(reset)
			// Answers from one window name about the same reset (give or
			// take the rounding to seconds); another window's is at least
			// a window away.
			tol := time.Second
			if w := e.window(); w > 0 {
				tol = w / 2
			}
			switch {
			case e.ResetAt.IsZero() || !now.Before(e.ResetAt) || resetAt.After(e.ResetAt.Add(tol)):
				// A new window. When its first requests went out before
				// anything was known, the others are still to be counted.
				e.Remaining, e.ResetAt, e.Estimated = max(0, q.Remaining-max(0, e.Probing-1)), resetAt, false
				e.Probing, e.ProbeSince = 0, time.Time{}
			case resetAt.Before(e.ResetAt.Add(-tol)):
				// A late answer from an earlier window: what is stored is newer.
			default:
				// The same window: requests reserved by others may not be
				// counted in this answer yet, so keep the lower count.
				e.Remaining = min(e.Remaining, q.Remaining)
				// Each answer's reset is rounded up to a second from when
				// the server counted, so none is early and the earliest
				// is the closest; a guess gives way to any answer.
				if e.Estimated || resetAt.Before(e.ResetAt) {
					e.ResetAt, e.Estimated = resetAt, false
				}
			}
		}
		e.Seen = now
	}
	if block > 0 {
		if until := now.Add(block); until.After(e.BlockedUntil) {
			e.BlockedUntil, e.BlockSeen = until, now
		}
		if e.Seen.IsZero() {
			e.Seen = now
		}
	}
}

// paceShared waits until the shared quota lets one more request go and
// counts it. Before the first attempt ctx is the caller's own (the wait
// is not part of the call's timeout); later attempts wait within it.
func (c *Client) paceShared(ctx, parent context.Context, rq *request) *Error {
	if c.shared == nil {
		return nil
	}
	for {
		now := c.clock.Now()
		var w QuotaWait
		err := c.shared.Update(func(b []byte) []byte {
			f := decodeShared(b)
			var changed bool
			w, changed = f.reserve(c.baseStr, now)
			if !changed {
				return nil
			}
			return f.encode(now)
		})
		if err != nil {
			c.sharedFailed(err)
			return nil
		}
		if w.Wait <= 0 {
			return nil
		}
		w.Op = rq.op
		tooLong := w.Wait > c.maxQuotaWait
		if dl, ok := ctx.Deadline(); ok && w.Wait >= time.Until(dl) {
			tooLong = true
		}
		if tooLong {
			msg := fmt.Sprintf("Cloudflare's quota for this profile is used up until %s (in %s, read at %s by a cftriage process); nothing was sent",
				w.Until.Local().Format("15:04:05"), formatWait(w.Wait), w.Seen.Local().Format("15:04:05"))
			if w.RetryAfter {
				msg = rateLimitedMessage(w.Wait, now) + " (a 429 read by a cftriage process of this profile) — nothing was sent"
			}
			return &Error{Kind: KindRateLimited, Op: rq.op, RetryAfter: w.Wait, Message: msg}
		}
		p := &w
		c.waiting.Store(p)
		if c.onQuotaWait != nil {
			c.onQuotaWait(w)
		}
		err = c.clock.Sleep(ctx, w.Wait)
		c.waiting.CompareAndSwap(p, nil)
		if err != nil {
			return c.contextError(ctx, parent, rq, false)
		}
	}
}

// recordShared stores an answer's quota headers and a 429's block for
// the other processes. A failure is told once and otherwise ignored.
func (c *Client) recordShared(h http.Header, block time.Duration) {
	if c.shared == nil {
		return
	}
	now := c.clock.Now()
	q := ParseQuota(h, now)
	if !q.Known && block <= 0 {
		return
	}
	if err := c.shared.Update(func(b []byte) []byte {
		f := decodeShared(b)
		f.record(c.baseStr, q, block, now)
		return f.encode(now)
	}); err != nil {
		c.sharedFailed(err)
	}
}

func (c *Client) sharedFailed(err error) {
	if c.sharedWarned.Swap(true) || c.onQuotaWait == nil {
		return
	}
	c.onQuotaWait(QuotaWait{Err: err})
}

// QuotaWaiting reports the wait for the shared quota in progress, if
// any, so the console can show it while a call waits.
func (c *Client) QuotaWaiting() (QuotaWait, bool) {
	if w := c.waiting.Load(); w != nil {
		return *w, true
	}
	return QuotaWait{}, false
}
